// Runs the floor programs of this folder for scripts/bench-imap.mjs, each a child timed like Ferry
// and the peer (the bench's `timed`: spawn to exit, peak RSS), and checks what they did.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
/** node:sqlite still warns at load in Node 22: not a cost of the floor. */
const NODE_FLAGS = ['--disable-warning=ExperimentalWarning'];

async function runFloor(timed, name, args, okCodes = [0]) {
  const r = await timed(process.execPath, [...NODE_FLAGS, path.join(here, `${name}.mjs`), ...args], {});
  if (!okCodes.includes(r.code)) throw new Error(`floor ${name} exited ${r.code}: ${r.err}${r.out.slice(0, 500)}`);
  return r;
}

/** The large floor (large.mjs) from `src` into the fresh user `dst`; `hash: false` leaves the probe out. */
export function runLargeFloor(timed, server, password, [src, dst], { hash }) {
  return runFloor(timed, 'large', ['--port', String(server.port), '--from', src, '--to', dst, '--password', password, ...(hash ? [] : ['--no-hash'])]);
}

/** The no-op delta floor (noop.mjs): `record` writes the state (untimed use), else it must find nothing to do. */
export async function runNoopFloor(timed, server, password, src, dst, state, { record = false } = {}) {
  const r = await runFloor(timed, 'noop', ['--port', String(server.port), '--from', src, '--to', dst, '--password', password, '--state', state, ...(record ? ['--record'] : [])]);
  if (r.out.trim() !== (record ? 'recorded' : 'quiet')) throw new Error(`floor noop: ${r.out.trim()}`);
  return r;
}

/** The Maildir floor (maildir.mjs) from the Maildir `from` into the new Maildir `to`. */
export function runMaildirFloor(timed, from, to, state, { rename, durable = false }) {
  return runFloor(timed, 'maildir', ['--from', from, '--to', to, '--state', state, ...(rename ? [] : ['--no-rename']), ...(durable ? ['--durable'] : [])]);
}
