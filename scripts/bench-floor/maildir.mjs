#!/usr/bin/env node
// The Maildir floor of `npm run bench:imap`: the least a Node 22 program must do to copy a Maildir
// into a new one as Ferry must, with no Ferry code, all synchronous fs calls. Each message of the
// source's cur/ and new/ is read (its mtime is its date), probed (SHA-256 and bare LFs, probe.mjs),
// written under a unique name into tmp/ with the source's mtime, and renamed into cur/ with its
// flags in the name (Maildir's delivery rule: no reader sees half a message); a small SQLite state
// (node:sqlite, WAL, synchronous NORMAL, as Ferry's) gets one row per message, all in one transaction.
//   node scripts/bench-floor/maildir.mjs --from DIR --to DIR --state FILE [--no-rename | --durable]
// `--no-rename`: written straight into cur/ under the final name (no tmp/ step). `--durable`: Ferry's
// rule for a Maildir destination, by batches of 100 (writeBatchLimits): the batch's files written
// into tmp/ with their descriptors kept open, fdatasynced in parallel on libuv's pool, closed,
// renamed into cur/, then cur/ fsynced once. Prints a JSON summary (messages, bytes) on stdout.
import fs from 'node:fs';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { parseArgs } from 'node:util';
import { probeOf } from './probe.mjs';

const { values: o } = parseArgs({
  options: {
    from: { type: 'string' },
    to: { type: 'string' },
    state: { type: 'string' },
    'no-rename': { type: 'boolean', default: false },
    durable: { type: 'boolean', default: false },
  },
});
const RENAME = !o['no-rename'];
const DURABLE = o.durable;
/** The durable batch: open descriptors of files in tmp/ and their final names. */
const pending = [];
async function flush() {
  await Promise.all(pending.map(({ fd }) => new Promise((resolve, reject) => fs.fdatasync(fd, (e) => (e ? reject(e) : resolve())))));
  for (const { fd, tmp, final } of pending) {
    fs.closeSync(fd);
    fs.renameSync(tmp, final);
  }
  pending.length = 0;
  const dir = fs.openSync(path.join(o.to, 'cur'), 'r');
  fs.fsyncSync(dir);
  fs.closeSync(dir);
}

for (const sub of ['cur', 'new', 'tmp']) fs.mkdirSync(path.join(o.to, sub), { recursive: true });
const db = new DatabaseSync(o.state);
db.exec('PRAGMA journal_mode = WAL');
db.exec('PRAGMA synchronous = NORMAL');
db.exec('CREATE TABLE IF NOT EXISTS written (source TEXT PRIMARY KEY, name TEXT, sha256 TEXT, bare_lf INTEGER, size INTEGER) WITHOUT ROWID');
const insert = db.prepare('INSERT INTO written (source, name, sha256, bare_lf, size) VALUES (?, ?, ?, ?, ?)');

let buffer = Buffer.allocUnsafe(1024 * 1024);
let messages = 0;
let bytes = 0;
db.exec('BEGIN');
for (const sub of ['cur', 'new']) {
  const dir = path.join(o.from, sub);
  for (const file of fs.readdirSync(dir)) {
    const from = fs.openSync(path.join(dir, file), 'r');
    const { size, atime, mtime } = fs.fstatSync(from);
    if (size > buffer.length) buffer = Buffer.allocUnsafe(size);
    let read = 0;
    while (read < size) {
      const n = fs.readSync(from, buffer, read, size - read, read);
      if (n === 0) throw new Error(`${file}: ${read} of ${size} bytes`);
      read += n;
    }
    fs.closeSync(from);
    const data = buffer.subarray(0, size);
    const probe = probeOf(data);
    const colon = file.indexOf(':2,');
    const info = colon === -1 ? '' : file.slice(colon + 3);
    const unique = `${Math.floor(mtime.getTime() / 1000)}.M${messages}P${process.pid}.floor,S=${size}`;
    const final = path.join(o.to, 'cur', `${unique}:2,${info}`);
    const out = fs.openSync(RENAME ? path.join(o.to, 'tmp', unique) : final, 'wx');
    for (let at = 0; at < size; ) at += fs.writeSync(out, data, at, size - at);
    fs.futimesSync(out, atime, mtime);
    if (DURABLE) {
      pending.push({ fd: out, tmp: path.join(o.to, 'tmp', unique), final });
      if (pending.length === 100) await flush();
    } else {
      fs.closeSync(out);
      if (RENAME) fs.renameSync(path.join(o.to, 'tmp', unique), final);
    }
    insert.run(`${sub}/${file}`, unique, probe.sha256, probe.bareLf, size);
    messages++;
    bytes += size;
  }
}
if (pending.length > 0) await flush();
db.exec('COMMIT');
db.close();
process.stdout.write(JSON.stringify({ messages, bytes }) + '\n');
