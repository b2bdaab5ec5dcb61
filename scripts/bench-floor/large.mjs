#!/usr/bin/env node
// The large-message floor of `npm run bench:imap`: the least a Node 22 program must do to copy one
// IMAP folder into another as Ferry must, with no Ferry code. It logs in to both users at once,
// lists the source folder's UIDs, flags and internal dates, fetches every body
// (`UID FETCH n BODY.PEEK[]`, a window of them in flight, as mbsync pipelines), computes each body's
// probe (SHA-256 and bare-LF count, probe.mjs) as its bytes land, then APPENDs it (LITERAL+ when
// announced) with its flags and date, every tagged answer checked. Large bodies are read into
// memory that is reused once their APPEND is answered.
//   node scripts/bench-floor/large.mjs --host H --port P --from USER --to USER --password PW [--no-hash] [--window N] [--folder INBOX]
// `--no-hash`: no probe (what the exact probe alone costs); `--window N`: bodies fetched and not yet
// written (default 8; 0: all at once, as mbsync). Prints a JSON summary (messages, bytes) on stdout.
import { parseArgs } from 'node:util';
import { accountOptions, login, quoted } from './imapWire.mjs';
import { Probe } from './probe.mjs';

const { values: o } = parseArgs({
  options: {
    ...accountOptions,
    folder: { type: 'string', default: 'INBOX' },
    window: { type: 'string', default: '8' },
    'no-hash': { type: 'boolean', default: false },
  },
});
const HASH = !o['no-hash'];
const POOLED = 256 * 1024;
const STEP = 1024 * 1024;

/** Memory of large bodies, reused once written (ArrayBuffers in 1 MiB steps). */
const free = [];
const takeMemory = (size) => {
  const i = free.findIndex((b) => b.byteLength >= size);
  const memory = i === -1 ? new ArrayBuffer(Math.ceil(size / STEP) * STEP) : free.splice(i, 1)[0];
  return Buffer.from(memory, 0, size);
};

/** Bodies landed (in FETCH order): uid -> { data, probe }. */
const landed = new Map();
let reading;
const source = await login(o.host, Number(o.port), o.from, o.password, {
  literal(size, text) {
    if (!/BODY\[\] \{\d+\+?\}$/i.test(text)) return undefined;
    const probe = HASH ? new Probe() : undefined;
    reading = { data: size >= POOLED ? takeMemory(size) : Buffer.allocUnsafe(size), probe };
    return { buffer: reading.data, piece: probe && ((view) => probe.update(view)) };
  },
  untagged(parts) {
    if (!reading || parts.length < 2 || !/^\* \d+ FETCH /i.test(parts[0])) return;
    const uid = Number(/\bUID (\d+)/i.exec(parts.filter((p) => typeof p === 'string').join(' '))?.[1]);
    landed.set(uid, { data: reading.data, probe: reading.probe?.finish() });
    reading = undefined;
    onLanded(uid);
  },
});
const destination = login(o.host, Number(o.port), o.to, o.password);

// The listing: UID, flags and internal date of every message (RFC822.SIZE too, as Ferry lists it).
await source.ok(`EXAMINE ${quoted(o.folder)}`);
const listing = await source.ok('UID FETCH 1:* (UID FLAGS INTERNALDATE RFC822.SIZE)');
const messages = listing.untagged
  .map(([line]) => /^\* \d+ FETCH \((.*)\)$/i.exec(line)?.[1])
  .filter(Boolean)
  .map((fields) => ({
    uid: Number(/\bUID (\d+)/i.exec(fields)[1]),
    flags: /\bFLAGS \(([^)]*)\)/i.exec(fields)[1].split(' ').filter((f) => f && f.toLowerCase() !== '\\recent'),
    date: /\bINTERNALDATE "([^"]+)"/i.exec(fields)[1],
  }));
const byUid = new Map(messages.map((m) => [m.uid, m]));
const dst = await destination;

const WINDOW = Number(o.window) || messages.length;
let next = 0;
let written = 0;
let bytes = 0;
const writes = [];
const fetches = [];
const fetchMore = () => {
  while (next < messages.length && next - written < WINDOW) fetches.push(source.ok(`UID FETCH ${messages[next++].uid} BODY.PEEK[]`));
};

function onLanded(uid) {
  const m = byUid.get(uid);
  const { data, probe } = landed.get(uid);
  landed.delete(uid);
  if (!m) throw new Error(`a body of UID ${uid}, not listed`);
  // Here Ferry records the probe in an intent, then writes.
  m.probe = probe;
  const flags = m.flags.join(' ');
  writes.push(
    dst.ok(`APPEND ${quoted(o.folder)} (${flags}) "${m.date}" `, data).then(() => {
      written++;
      bytes += data.length;
      if (data.length >= POOLED) free.push(data.buffer);
      fetchMore();
    }),
  );
}

fetchMore();
// Every FETCH answered, then every APPEND (each one's completion may send more FETCHes).
while (fetches.length || writes.length) {
  await Promise.all(fetches.splice(0));
  await Promise.all(writes.splice(0));
}
if (written !== messages.length) throw new Error(`${written} written of ${messages.length}`);
await Promise.all([source.logout(), dst.logout()]);
process.stdout.write(JSON.stringify({ messages: written, bytes, hashed: HASH ? messages.filter((m) => m.probe).length : 0 }) + '\n');
