// Real-world message shapes for fidelity tests, made at test time: HTML, multipart/alternative,
// an HTML body with an inline image (multipart/related, cid:), any message with a large generated
// attachment, and S/MIME clear-signed and encrypted messages (openssl smime with a throwaway
// certificate).
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { plainMessage, type TestMessage } from './testMessages';

const crlf = (lines: string[]) => lines.join('\r\n') + '\r\n';
const base64Lines = (b: Buffer) => (b.toString('base64').match(/.{1,76}/g) ?? []).join('\r\n');

/** Deterministic bytes (a test can hash them). */
export function pattern(size: number, seed = 7): Buffer {
  const bytes = Buffer.alloc(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + seed + (i >> 10)) & 0xff;
  return bytes;
}

function headed(n: number, subject: string, contentHeaders: string[], body: string, date = new Date(Date.UTC(2025, 2, 1, 9, 0, 0) + n * 60_000)): TestMessage {
  const messageId = `<real-${n}@ferry.test>`;
  const raw = crlf([
    'Received: from mx.source.example by mail.source.example; ' + date.toUTCString().replace('GMT', '+0000'),
    'From: "Ann Sender" <ann@source.example>',
    'To: "Bob Receiver" <bob@source.example>, carol@source.example',
    'Cc: dan@source.example',
    'Reply-To: replies@source.example',
    `Subject: ${subject}`,
    `Date: ${date.toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: ${messageId}`,
    'X-Mailer: Ferry test generator',
    'MIME-Version: 1.0',
    ...contentHeaders,
    '',
    body,
  ]);
  return { kind: subject, raw: Buffer.from(raw, 'utf8'), flags: ['\\Seen'], date, messageId };
}

export function htmlMessage(n: number): TestMessage {
  return headed(n, 'HTML newsletter', ['Content-Type: text/html; charset=utf-8'], '<html><body><h1>News</h1><p>An <b>HTML</b> body.</p></body></html>');
}

export function alternativeMessage(n: number): TestMessage {
  const b = 'alt-boundary-1';
  return headed(n, 'Alternative bodies', [`Content-Type: multipart/alternative; boundary="${b}"`], [`--${b}`, 'Content-Type: text/plain; charset=utf-8', '', 'Plain version.', `--${b}`, 'Content-Type: text/html; charset=utf-8', '', '<p>HTML version.</p>', `--${b}--`].join('\r\n'));
}

export function inlineImageMessage(n: number): TestMessage {
  const b = 'rel-boundary-1';
  const png = pattern(2048, 3);
  return headed(
    n,
    'Inline image',
    [`Content-Type: multipart/related; boundary="${b}"; type="text/html"`],
    [`--${b}`, 'Content-Type: text/html; charset=utf-8', '', '<p>Logo: <img src="cid:logo-1@ferry.test"></p>', `--${b}`, 'Content-Type: image/png; name="logo.png"', 'Content-Disposition: inline; filename="logo.png"', 'Content-ID: <logo-1@ferry.test>', 'Content-Transfer-Encoding: base64', '', base64Lines(png), `--${b}--`].join('\r\n'),
  );
}

/** `raw` (a single-part message) as multipart/mixed with an attachment of `size` bytes named `name`. */
export function withAttachment(raw: Buffer, size: number, name = 'archive.bin'): Buffer {
  const text = raw.toString('utf8');
  const at = text.indexOf('\r\n\r\n');
  const head = text.slice(0, at).split('\r\n');
  const partHeaders = head.filter((l) => /^content-/i.test(l));
  const b = 'mixed-boundary-1';
  return Buffer.from(
    crlf([
      ...head.filter((l) => !/^content-/i.test(l) && !/^mime-version/i.test(l)),
      'MIME-Version: 1.0',
      `Content-Type: multipart/mixed; boundary="${b}"`,
      '',
      `--${b}`,
      ...(partHeaders.length ? partHeaders : ['Content-Type: text/plain; charset=us-ascii']),
      '',
      text.slice(at + 4).replace(/\r\n$/, ''),
      `--${b}`,
      `Content-Type: application/octet-stream; name="${name}"`,
      `Content-Disposition: attachment; filename="${name}"`,
      'Content-Transfer-Encoding: base64',
      '',
      base64Lines(pattern(size)),
      `--${b}--`,
    ]),
    'utf8',
  );
}

export function largeAttachmentMessage(n: number, size: number): TestMessage {
  const m = plainMessage(n);
  return { ...m, kind: `${size} byte attachment`, raw: withAttachment(m.raw, size) };
}

/** A clear-signed (multipart/signed) message and the certificate that verifies it. */
export function signedMessage(n: number): TestMessage & { certificate: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-smime-'));
  try {
    const { key, cert } = smimeIdentity(dir, 'ann@source.example');
    fs.writeFileSync(path.join(dir, 'body.txt'), 'Content-Type: text/plain; charset=utf-8\r\n\r\nThis text is signed.\r\n');
    const signed = execFileSync('openssl', ['smime', '-sign', '-in', path.join(dir, 'body.txt'), '-signer', cert, '-inkey', key, '-from', 'ann@source.example', '-to', 'bob@source.example', '-subject', 'Signed message', '-crlfeol']);
    const date = new Date(Date.UTC(2025, 2, 2, 10, 0, 0) + n * 60_000);
    const messageId = `<signed-${n}@ferry.test>`;
    const extra = Buffer.from(crlf([`Date: ${date.toUTCString().replace('GMT', '+0000')}`, `Message-ID: ${messageId}`]), 'utf8');
    return { kind: 'S/MIME signed', raw: Buffer.concat([extra, signed]), flags: [], date, messageId, certificate: fs.readFileSync(cert, 'utf8') };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A throwaway key and self-signed certificate (PEM) for S/MIME. */
function smimeIdentity(dir: string, email: string): { key: string; cert: string } {
  const key = path.join(dir, 'key.pem');
  const cert = path.join(dir, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', `/CN=${email}`, '-addext', `subjectAltName=email:${email}`], { stdio: 'ignore' });
  return { key, cert };
}

/** An S/MIME encrypted (application/pkcs7-mime) message and the key and certificate that decrypt it. */
export function encryptedMessage(n: number): TestMessage & { key: string; certificate: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-smime-'));
  try {
    const { key, cert } = smimeIdentity(dir, 'bob@source.example');
    fs.writeFileSync(path.join(dir, 'body.txt'), 'Content-Type: text/plain; charset=utf-8\r\n\r\nThis text is secret.\r\n');
    const encrypted = execFileSync('openssl', ['smime', '-encrypt', '-aes256', '-in', path.join(dir, 'body.txt'), '-from', 'ann@source.example', '-to', 'bob@source.example', '-subject', 'Encrypted message', cert]);
    const date = new Date(Date.UTC(2025, 2, 3, 10, 0, 0) + n * 60_000);
    const messageId = `<encrypted-${n}@ferry.test>`;
    const extra = Buffer.from(crlf([`Date: ${date.toUTCString().replace('GMT', '+0000')}`, `Message-ID: ${messageId}`]), 'utf8');
    return { kind: 'S/MIME encrypted', raw: Buffer.concat([extra, Buffer.from(encrypted.toString('latin1').replace(/\r?\n/g, '\r\n'), 'latin1')]), flags: ['\\Seen'], date, messageId, key: fs.readFileSync(key, 'utf8'), certificate: fs.readFileSync(cert, 'utf8') };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The text openssl decrypts from `raw` with `key` and `certificate`, or undefined. */
export function decrypted(raw: Buffer, key: string, certificate: string): string | undefined {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-smime-'));
  try {
    fs.writeFileSync(path.join(dir, 'm.eml'), raw);
    fs.writeFileSync(path.join(dir, 'key.pem'), key);
    fs.writeFileSync(path.join(dir, 'cert.pem'), certificate);
    return execFileSync('openssl', ['smime', '-decrypt', '-in', path.join(dir, 'm.eml'), '-inkey', path.join(dir, 'key.pem'), '-recip', path.join(dir, 'cert.pem')], { stdio: ['ignore', 'pipe', 'ignore'] }).toString('utf8');
  } catch {
    return undefined;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Whether openssl verifies the S/MIME signature of `raw` against `certificate` (content unchanged). */
export function signatureVerifies(raw: Buffer, certificate: string): boolean {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-smime-'));
  try {
    fs.writeFileSync(path.join(dir, 'm.eml'), raw);
    fs.writeFileSync(path.join(dir, 'ca.pem'), certificate);
    execFileSync('openssl', ['smime', '-verify', '-in', path.join(dir, 'm.eml'), '-CAfile', path.join(dir, 'ca.pem'), '-out', path.join(dir, 'out.txt')], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
