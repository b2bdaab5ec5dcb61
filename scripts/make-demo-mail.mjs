#!/usr/bin/env node
// Writes the demo's sample mail: one Maildir++ mailbox per source address of
// examples/demo/demo.migration.yaml (and wave2.csv) under examples/demo/source/<address>/.
// Deterministic (seeded), so rerunning it rewrites the same files. All text is written for Ferry
// and released under CC0 1.0. File names start with the delivery time (Maildir convention); the
// demo script restores each file's mtime from it, since git does not keep mtimes.
//   node scripts/make-demo-mail.mjs [--out DIR]
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outArg = process.argv.indexOf('--out');
const out = outArg > 0 ? path.resolve(process.argv[outArg + 1]) : path.join(root, 'examples', 'demo', 'source');

const people = {
  'ann@contoso.example': { name: 'Ann Lindqvist', count: 120 },
  'bob@contoso.example': { name: 'Bob Okafor', count: 90 },
  'ceo@contoso.example': { name: 'Chloé Martin', count: 150 },
  'carol@contoso.example': { name: 'Carol Nguyen', count: 70 },
  'dave@contoso.example': { name: 'Dave Brennan', count: 60 },
  'erin@contoso.example': { name: 'Erin Søndergaard', count: 200 },
};
// Folder paths and how much of a mailbox lands in each (weights).
const folders = [
  [['INBOX'], 40],
  [['Sent'], 20],
  [['Drafts'], 3],
  [['Archive', '2024'], 12],
  [['Archive', '2025'], 10],
  [['Projects', 'Été 2026'], 8],
  [['Projects', 'Harbour move'], 6],
  [['Kunden', 'Müller & Söhne'], 4],
  [['Junk'], 3],
  [['Deleted Items'], 2],
];
const topics = ['quarterly numbers', 'harbour office move', 'team lunch', 'new laptop', 'travel plans', 'contract renewal', 'migration weekend', 'printer on floor 3', 'holiday rota', 'customer visit', 'budget review', 'security training', 'parking permits', 'release notes', 'Été 2026 offsite', 'Überstunden im Mai', 'café order'];
const openers = ['Hi', 'Hello', 'Good morning', 'Dear all', 'Hej', 'Bonjour'];
const lines = ['Could you take a look before Friday?', 'The numbers are in the attached sheet.', 'I moved the meeting to Thursday at 10.', 'Thanks for the quick turnaround on this.', 'Let me know if anything is missing.', 'We agreed to keep the old archive read-only.', 'Please reply all so the team sees it.', 'The new mailboxes go live after the cut-over.', 'Nothing urgent, just keeping you in the loop.', 'See the notes from last week below.'];

let seed = 20261115;
const rand = () => {
  // mulberry32: small and deterministic.
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const pick = (list) => list[Math.floor(rand() * list.length)];

/** Modified UTF-7 (RFC 3501) for Maildir++ folder names. */
function mutf7(name) {
  return name.replace(/&/g, '&-').replace(/[^\x20-\x7e]+/g, (run) => {
    const utf16 = Buffer.alloc(run.length * 2);
    for (let i = 0; i < run.length; i++) utf16.writeUInt16BE(run.charCodeAt(i), i * 2);
    return `&${utf16.toString('base64').replace(/=+$/, '').replace(/\//g, ',')}-`;
  });
}

const encodeWord = (text) => (/^[\x20-\x7e]*$/.test(text) ? text : `=?UTF-8?B?${Buffer.from(text).toString('base64')}?=`);
const anchor = Date.UTC(2026, 10, 15, 9, 0, 0);

function message(from, to, subject, date, i, kind) {
  const id = `<demo-${i}-${Math.floor(rand() * 1e9)}@contoso.example>`;
  const head = [`From: ${encodeWord(from.name)} <${from.address}>`, `To: ${to}`, `Subject: ${encodeWord(subject)}`, `Date: ${new Date(date).toUTCString().replace('GMT', '+0000')}`, `Message-ID: ${id}`, 'MIME-Version: 1.0'];
  const body = [`${pick(openers)},`, '', pick(lines), pick(lines), '', `-- `, from.name];
  if (kind === 'malformed') return `From ${from.address}\nSubject: ${subject}\nThis message has no blank line after its header and a bare\rcarriage return; Ferry carries it byte for byte.\n`;
  if (kind === 'attachment') {
    const b = `ferry-${i}`;
    const csv = Buffer.from(`item,amount\nlaptops,${Math.floor(rand() * 50)}\nchairs,${Math.floor(rand() * 90)}\n`).toString('base64');
    return [...head, `Content-Type: multipart/mixed; boundary="${b}"`, '', `--${b}`, 'Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: 8bit', '', ...body, `--${b}`, 'Content-Type: text/csv; name="numbers.csv"', 'Content-Disposition: attachment; filename="numbers.csv"', 'Content-Transfer-Encoding: base64', '', csv, `--${b}--`, ''].join('\n');
  }
  if (kind === 'html') {
    const b = `alt-${i}`;
    return [...head, `Content-Type: multipart/alternative; boundary="${b}"`, '', `--${b}`, 'Content-Type: text/plain; charset=utf-8', '', ...body, `--${b}`, 'Content-Type: text/html; charset=utf-8', '', `<p>${body.filter(Boolean).join('<br>')}</p>`, `--${b}--`, ''].join('\n');
  }
  return [...head, 'Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: 8bit', '', ...body, ''].join('\n');
}

fs.rmSync(out, { recursive: true, force: true });
let total = 0;
for (const [address, person] of Object.entries(people)) {
  const box = path.join(out, address);
  const weightSum = folders.reduce((s, [, w]) => s + w, 0);
  let n = 0;
  for (const [folderPath, weight] of folders) {
    const dir = folderPath[0] === 'INBOX' ? box : path.join(box, `.${folderPath.map(mutf7).join('.')}`);
    for (const sub of ['cur', 'new', 'tmp']) fs.mkdirSync(path.join(dir, sub), { recursive: true });
    if (folderPath[0] !== 'INBOX') fs.writeFileSync(path.join(dir, 'maildirfolder'), '');
    const count = Math.max(1, Math.round((person.count * weight) / weightSum));
    for (let k = 0; k < count; k++, n++) {
      // Mostly older mail (pre-stage material), some from the last 90 days.
      const ageDays = rand() < 0.25 ? rand() * 80 : 90 + rand() * 640;
      const date = anchor - Math.floor(ageDays * 86400000);
      const sent = folderPath[0] === 'Sent';
      const other = pick(Object.entries(people).filter(([a]) => a !== address));
      const from = sent ? { name: person.name, address } : { name: other[1].name, address: other[0] };
      const to = sent ? other[0] : address;
      const roll = rand();
      const kind = address === 'erin@contoso.example' && n === 3 ? 'malformed' : roll < 0.15 ? 'attachment' : roll < 0.35 ? 'html' : 'plain';
      const subject = `${rand() < 0.3 ? 'Re: ' : ''}${pick(topics)}`;
      const text = message(from, to, subject, date, n, kind);
      const unread = folderPath[0] === 'INBOX' && rand() < 0.1;
      const flags = folderPath[0] === 'Drafts' ? 'DS' : sent ? 'S' : `${rand() < 0.1 ? 'F' : ''}${rand() < 0.2 ? 'R' : ''}S`;
      const base = `${Math.floor(date / 1000)}.M${n}P1.ferry-demo`;
      const file = unread ? path.join(dir, 'new', base) : path.join(dir, 'cur', `${base}:2,${flags}`);
      fs.writeFileSync(file, text);
      fs.utimesSync(file, new Date(date), new Date(date));
      total++;
    }
  }
}
// git keeps no empty directories; a dot file (which Maildir readers skip) keeps cur/new/tmp.
for (const address of Object.keys(people)) {
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      if (!e.isDirectory()) continue;
      const child = path.join(dir, e.name);
      if (['cur', 'new', 'tmp'].includes(e.name) && fs.readdirSync(child).length === 0) fs.writeFileSync(path.join(child, '.keep'), '');
      else walk(child);
    }
  };
  walk(path.join(out, address));
}
console.log(`make-demo-mail: wrote ${total} messages for ${Object.keys(people).length} mailboxes into ${path.relative(process.cwd(), out) || out}`);
