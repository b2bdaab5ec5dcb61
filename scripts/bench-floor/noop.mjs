#!/usr/bin/env node
// The no-op delta floor of `npm run bench:imap`: the least a Node 22 program must do to find that a
// resync has nothing to do, with no Ferry code. It logs in to the source and the destination at
// once, asks each for every folder's status in one command (`LIST "" "*" RETURN (STATUS (...))`,
// RFC 5819, the LOGOUT pipelined behind it), reads meanwhile a small SQLite state (node:sqlite)
// holding each folder's last MESSAGES, UIDVALIDITY, UIDNEXT and HIGHESTMODSEQ, compares, exits.
//   node scripts/bench-floor/noop.mjs --port P --from USER --to USER --password PW --state FILE [--record] [--source-only]
// `--record`: writes what the servers answer into the state (the bench does it once, untimed).
// `--source-only`: asks the source alone (what Ferry's quiet delta asks). Prints `quiet` (exit 0)
// or what changed (exit 3).
import { parseArgs } from 'node:util';
import { accountOptions, login } from './imapWire.mjs';

const { values: o } = parseArgs({
  options: {
    ...accountOptions,
    state: { type: 'string' },
    record: { type: 'boolean', default: false },
    'source-only': { type: 'boolean', default: false },
  },
});

/** Each folder's status on one side: name -> `MESSAGES n UIDVALIDITY n UIDNEXT n HIGHESTMODSEQ n`. */
async function statuses(user) {
  const wire = await login(o.host, Number(o.port), user, o.password);
  const [list] = await Promise.all([wire.ok('LIST "" "*" RETURN (STATUS (MESSAGES UIDVALIDITY UIDNEXT HIGHESTMODSEQ))'), wire.logout()]);
  const out = new Map();
  for (const parts of list.untagged) {
    // `* STATUS name (...)`: the name quoted, an atom or a literal (then the line's end is in parts[2]).
    const line = parts.length === 3 ? `${parts[0]}"${parts[1].toString('latin1')}"${parts[2]}` : parts[0];
    const m = /^\* STATUS (?:"((?:[^"\\]|\\.)*)"|(\S+)) \((.*)\)$/i.exec(line);
    if (m) out.set(m[1] ?? m[2], m[3]);
  }
  return out;
}

const sides = o['source-only'] ? [['source', o.from]] : [['source', o.from], ['destination', o.to]];
// The connections first: the state is opened while the servers greet and log in.
const asked = Promise.all(sides.map(async ([side, user]) => [side, await statuses(user)]));
const { DatabaseSync } = await import('node:sqlite');
const db = new DatabaseSync(o.state);
db.exec('CREATE TABLE IF NOT EXISTS folders (side TEXT, name TEXT, status TEXT, PRIMARY KEY (side, name)) WITHOUT ROWID');
const known = o.record ? [] : db.prepare('SELECT side, name, status FROM folders').all();
const now = await asked;
if (o.record) {
  db.exec('BEGIN');
  db.exec('DELETE FROM folders');
  const insert = db.prepare('INSERT INTO folders (side, name, status) VALUES (?, ?, ?)');
  for (const [side, folders] of now) for (const [name, status] of folders) insert.run(side, name, status);
  db.exec('COMMIT');
  db.close();
  process.stdout.write('recorded\n');
} else {
  const changed = [];
  db.close();
  for (const [side, folders] of now) {
    const before = known.filter((r) => r.side === side);
    if (before.length !== folders.size) changed.push(`${side}: ${before.length} folders recorded, ${folders.size} now`);
    for (const r of before) if (folders.get(r.name) !== r.status) changed.push(`${side} ${r.name}: ${r.status} -> ${folders.get(r.name)}`);
  }
  process.stdout.write(changed.length ? `changed: ${changed.join('; ')}\n` : 'quiet\n');
  process.exitCode = changed.length ? 3 : 0;
}
