// The workload of `npm run bench:imap` (scripts/bench-imap.mjs): deterministic small and large
// messages, seeded straight into a Dovecot user's Maildir, and the check that a destination holds
// exactly the source's messages. Shared with scripts/bench-imap-huge.mjs.
import { execFileSync } from 'node:child_process';
import { createCipheriv, createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
/** mulberry32, seeded, so every run (and both tools) see the same messages. */
const { prng } = require(path.join(root, 'out', 'test', 'unit', 'helpers', 'prng.js'));
const { ImapFlow } = require('imapflow');

export const PASSWORD = 'bench-pw';
const MB = 1024 * 1024;

const WORDS = 'the of migration mailbox server folder message project budget meeting report quarterly invoice shipment customer schedule review draft update contract offer team plan release notes agenda minutes thanks regards please attached find below following week monday friday deadline'.split(' ');
const NAMES = ['Ann Archer', 'Bob Baker', 'Carol Chen', 'Dan Dorsey', 'Eve Evans', 'Frank Fisher', 'Grace Gomez', 'Heidi Hall'];
const FLAG_SETS = [['\\Seen'], ['\\Seen'], ['\\Seen'], [], ['\\Seen', '\\Flagged'], ['\\Seen', '\\Answered'], ['\\Seen', '$Forwarded'], ['\\Seen', 'Work']];

const pick = (rnd, list) => list[Math.floor(rnd() * list.length)];
const address = (name) => `${name.split(' ')[0].toLowerCase()}@bench.example`;

function sentence(rnd, words) {
  const s = Array.from({ length: words }, () => pick(rnd, WORDS)).join(' ');
  return s[0].toUpperCase() + s.slice(1) + '.';
}

/** A 2-4 KB text message (some multipart), its flags and date; `n` makes it unique. */
export function smallMessage(box, n) {
  const rnd = prng(n * 7919 + box.charCodeAt(1));
  const from = pick(rnd, NAMES);
  const to = pick(rnd, NAMES);
  const date = new Date(Date.UTC(2023, 0, 1) + Math.floor(rnd() * 700 * 86400) * 1000);
  const target = 2048 + Math.floor(rnd() * 2048);
  const head = [
    `Return-Path: <${address(from)}>`,
    `From: ${from} <${address(from)}>`,
    `To: ${to} <${address(to)}>`,
    `Subject: ${sentence(rnd, 3 + Math.floor(rnd() * 6)).slice(0, -1)} #${n}`,
    `Date: ${date.toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: <bench-${box}-${n}@bench.example>`,
    'MIME-Version: 1.0',
  ];
  let body = '';
  while (body.length < target - 600) body += `${sentence(rnd, 8 + Math.floor(rnd() * 12))}\n${rnd() < 0.2 ? '\n' : ''}`;
  let text;
  if (rnd() < 0.25) {
    const b = `=_b${n}`;
    text = [...head, `Content-Type: multipart/alternative; boundary="${b}"`, '', `--${b}`, 'Content-Type: text/plain; charset=utf-8', '', body.slice(0, body.length / 2), `--${b}`, 'Content-Type: text/html; charset=utf-8', '', `<p>${body.slice(body.length / 2).replace(/\n/g, '<br>')}</p>`, `--${b}--`, ''].join('\n');
  } else {
    text = [...head, 'Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: 8bit', '', body].join('\n');
  }
  return { data: Buffer.from(text, 'utf8'), flags: pick(rnd, FLAG_SETS), date };
}

/** Deterministic incompressible bytes (AES-CTR of zeros). */
function noise(seed, length) {
  const key = createHash('sha256').update(`bench-key-${seed}`).digest().subarray(0, 16);
  return createCipheriv('aes-128-ctr', key, Buffer.alloc(16)).update(Buffer.alloc(length));
}

/** A message with a 2-5 MB attachment (base64, 76-character lines). */
export function largeMessage(n) {
  const rnd = prng(1_000_003 * (n + 1));
  const raw = noise(n, Math.floor((2 + rnd() * 3) * MB * 0.74));
  const b64 = raw.toString('base64').replace(/.{76}/g, '$&\n');
  const date = new Date(Date.UTC(2024, 0, 1) + n * 3_600_000);
  const b = `=_att${n}`;
  const text = [
    'From: Ann Archer <ann@bench.example>',
    'To: Bob Baker <bob@bench.example>',
    `Subject: Scan ${n} with attachment`,
    `Date: ${date.toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: <bench-large-${n}@bench.example>`,
    'MIME-Version: 1.0',
    `Content-Type: multipart/mixed; boundary="${b}"`,
    '',
    `--${b}`,
    'Content-Type: text/plain; charset=utf-8',
    '',
    'The scan is attached.',
    `--${b}`,
    `Content-Type: application/pdf; name="scan-${n}.pdf"`,
    `Content-Disposition: attachment; filename="scan-${n}.pdf"`,
    'Content-Transfer-Encoding: base64',
    '',
    b64,
    `--${b}--`,
    '',
  ].join('\n');
  return { data: Buffer.from(text, 'latin1'), flags: ['\\Seen'], date };
}

// ---------------------------------------------------------------- seeding (straight into Maildir)

const MAILDIR_FLAGS = { '\\Seen': 'S', '\\Flagged': 'F', '\\Answered': 'R', '\\Draft': 'D' };
const KEYWORDS = ['$Forwarded', 'Work'];

/**
 * Writes the messages as Maildir files of the user (Dovecot's INBOX), internal date = mtime, then
 * hands the folder to the mail user. Tool-neutral and fast; Dovecot indexes it on the warm-up.
 */
export function seedMaildir(server, user, messages) {
  const dir = server.mailDir(user);
  for (const sub of ['cur', 'new', 'tmp']) fs.mkdirSync(path.join(dir, sub), { recursive: true });
  fs.writeFileSync(path.join(dir, 'dovecot-keywords'), KEYWORDS.map((k, i) => `${i} ${k}\n`).join(''));
  let bytes = 0;
  let i = 0;
  // Any iterable: a generator seeds 200,000 messages without holding them.
  for (const m of messages) {
    const letters = m.flags.map((f) => MAILDIR_FLAGS[f] ?? String.fromCharCode(97 + KEYWORDS.indexOf(f))).sort().join('');
    const file = path.join(dir, 'cur', `${Math.floor(m.date.getTime() / 1000)}.M${i}P1.bench:2,${letters}`);
    fs.writeFileSync(file, m.data);
    fs.utimesSync(file, m.date, m.date);
    bytes += m.data.length;
    i++;
  }
  if (process.getuid?.() === 0) execFileSync('chown', ['-R', 'nobody:nogroup', dir]);
  return bytes;
}

export const client = (server, user) => new ImapFlow({ host: server.host, port: server.port, secure: false, doSTARTTLS: false, auth: { user, pass: PASSWORD }, logger: false, disableAutoIdle: true });

/** Lets Dovecot build the source indexes before anything is timed (neither tool pays for it). */
export async function warmUp(server, user) {
  const c = client(server, user);
  await c.connect();
  try {
    await c.mailboxOpen('INBOX', { readOnly: true });
    // In runs, so that a mailbox of 200,000 is not held whole here.
    for (let first = 1; first <= c.mailbox.exists; first += 10_000) {
      await c.fetchAll(`${first}:${Math.min(c.mailbox.exists, first + 9_999)}`, { uid: true, flags: true, internalDate: true, size: true, headers: ['message-id'] });
    }
    return c.mailbox.exists;
  } finally {
    await c.logout();
  }
}

// ---------------------------------------------------------------- verification

/**
 * sha256 of every message file of a user's Maildir (any folder), sorted, with CRLF as LF (Dovecot
 * stores LF) and without the X-TUID header mbsync adds to every message it uploads (it finds its
 * copies by it).
 */
export function contentHashes(dir) {
  const out = [];
  const walk = (d) => {
    if (!fs.existsSync(d)) return;
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/[\\/](cur|new)$/.test(d)) out.push(createHash('sha256').update(fs.readFileSync(p).toString('latin1').replace(/\r\n/g, '\n').replace(/^X-TUID: [^\n]*\n/m, '')).digest('hex'));
    }
  };
  walk(dir);
  return out.sort();
}

export function verify(server, pairs) {
  let messages = 0;
  for (const [src, dst] of pairs) {
    const a = contentHashes(server.mailDir(src));
    const b = contentHashes(server.mailDir(dst));
    if (a.length !== b.length) return `${dst}: ${b.length} messages, the source has ${a.length}`;
    if (a.some((h, i) => h !== b[i])) return `${dst}: same count (${b.length}) but different content`;
    messages += b.length;
  }
  return messages;
}
