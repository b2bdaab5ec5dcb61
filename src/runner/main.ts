// The runner process: `fork(dist/runner.js, ['--state', DIR])`. Owns the state folder, answers the
// requests of protocol.ts over IPC, forwards events to a subscribed parent. Stops cleanly on stop,
// SIGTERM/SIGINT or when the parent goes away (a closed VS Code window).
import { parseArgs } from 'node:util';
import { setDeviceCodePrompt } from '../connectors/m365/auth/deviceCode';
import { setTokenCacheStore } from '../connectors/m365/auth/tokenCache';
import { registryConnectors } from './connectors';
import { protocolVersion, isRunnerRequest, type RunnerMessage, type RunnerRequest } from './protocol';
import { RunnerService, toFailure } from './runnerService';
import { sizeHeapForPasses } from '../engine/passHeap';

function send(message: RunnerMessage): void {
  if (process.connected) process.send?.(message);
}

/** Token caches by key: given by the parent (its SecretStorage), each change sent back to it. */
const tokenCaches = new Map<string, string>();

async function handle(service: RunnerService, req: RunnerRequest, subscribe: (on: boolean) => void): Promise<unknown> {
  switch (req.type) {
    case 'start':
      return service.start({ planFile: req.planFile, pass: req.pass, batch: req.batch, item: req.item, secrets: req.secrets, waitForSchedule: req.waitForSchedule });
    case 'stop':
      return { stopping: service.stop() };
    case 'status':
      return service.status(req.planFile);
    case 'subscribe':
    case 'unsubscribe':
      subscribe(req.type === 'subscribe');
      return { subscribed: req.type === 'subscribe' };
    case 'approve':
      return { approved: service.approve(req.planFile, req.by ?? 'runner', req.batch, req.item) };
    case 'complete':
      return service.complete(req.planFile, req.batch, req.secrets);
    case 'delete':
      service.delete(req.planFile, req.batch);
      return { deleted: req.batch };
    case 'discover':
      return service.discover(req.planFile, req.endpoint, req.secrets);
    case 'tokenCaches':
      for (const [key, data] of Object.entries(req.caches)) tokenCaches.set(key, data);
      return { tokenCaches: tokenCaches.size };
    case 'shutdown':
      setImmediate(() => void shutdown(service, 0));
      return { stopping: service.stop() };
  }
}

let shuttingDown = false;
async function shutdown(service: RunnerService, code: number): Promise<void> {
  if (shuttingDown) return;
  shuttingDown = true;
  service.stop();
  await service.idle();
  service.close();
  process.exit(code);
}

export function runnerMain(argv: string[]): void {
  const { values } = parseArgs({ args: argv, options: { state: { type: 'string' } } });
  if (!values.state) {
    send({ type: 'ready', ok: false, error: { kind: 'usage', message: 'runner needs --state DIR' } });
    process.exit(2);
  }
  const service = new RunnerService(values.state, { connectors: registryConnectors, env: process.env, owner: 'runner' });
  let recovered: number[];
  try {
    recovered = service.open();
  } catch (err) {
    send({ type: 'ready', ok: false, error: toFailure(err, values.state) });
    process.exit(1);
  }
  setTokenCacheStore({
    load: (key) => tokenCaches.get(key),
    save: (key, data) => {
      tokenCaches.set(key, data);
      send({ type: 'tokenCache', key, data });
    },
  });
  setDeviceCodePrompt((request) => send({ type: 'signIn', request }));
  let subscribed = false;
  service.events.on((event) => {
    if (subscribed) send({ type: 'event', event, at: Date.now() });
  });
  process.on('message', (raw) => {
    if (!isRunnerRequest(raw)) return;
    handle(service, raw, (on) => (subscribed = on)).then(
      (result) => send({ type: 'response', id: raw.id, ok: true, result }),
      (err: unknown) => send({ type: 'response', id: raw.id, ok: false, error: toFailure(err, values.state) }),
    );
  });
  process.on('disconnect', () => void shutdown(service, 0));
  process.on('SIGTERM', () => void shutdown(service, 0));
  process.on('SIGINT', () => void shutdown(service, 0));
  send({ type: 'ready', ok: true, pid: process.pid, stateDir: values.state, protocolVersion, recovered });
}

// Started as a program (the bundle dist/runner.js), not imported by tests.
if (require.main === module) {
  sizeHeapForPasses();
  runnerMain(process.argv.slice(2));
}
