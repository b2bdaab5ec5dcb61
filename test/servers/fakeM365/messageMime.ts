// The MIME a message created from JSON exports as (`GET .../messages/{id}/$value`), rendered from
// what the fake holds: the header block from PidTagTransportMessageHeaders (0x007D) when the
// message carries it (less its Content-* fields), else headers made from the properties; then the
// body and file attachments (multipart/related for inline ones, multipart/mixed for the others).
// S/MIME as Exchange stores it (MS-OXOSMIME): a message of class IPM.Note.SMIME.MultipartSigned
// exports its smime.p7m attachment (the whole multipart/signed entity) as the body, byte for byte,
// so the signature still verifies; IPM.Note.SMIME exports application/pkcs7-mime.
import { randomBytes } from 'node:crypto';
import type { AttachmentRecord, MessageRecord } from './data';

interface Recipient {
  emailAddress?: { name?: string; address?: string };
}

/** The message properties a JSON create stores (the rest is on MessageRecord). */
export interface CreatedMessage {
  body?: { contentType?: string; content?: string };
  from?: Recipient;
  sender?: Recipient;
  toRecipients?: Recipient[];
  ccRecipients?: Recipient[];
  bccRecipients?: Recipient[];
  replyTo?: Recipient[];
  importance?: string;
  categories?: string[];
}

export const PR_TRANSPORT_MESSAGE_HEADERS = 'string 0x007d';
export const PR_MESSAGE_CLASS = 'string 0x001a';
export const PR_CLIENT_SUBMIT_TIME = 'systemtime 0x0039';

const CRLF = '\r\n';
const wrap = (b: Buffer) => (b.toString('base64').match(/.{1,76}/g) ?? []).join(CRLF);
const encoded = (s: string) => (/^[\x20-\x7e]*$/.test(s) ? s : `=?UTF-8?B?${Buffer.from(s, 'utf8').toString('base64')}?=`);
const quoted = (s: string) => `"${encoded(s).replace(/"/g, '\\"')}"`;
const mailbox = (r: Recipient | undefined) => (r?.emailAddress?.address ? (r.emailAddress.name ? `${quoted(r.emailAddress.name)} <${r.emailAddress.address}>` : r.emailAddress.address) : undefined);
const boundary = () => `----=_fake_${randomBytes(8).toString('hex')}`;

/** The header fields of a header block, each with its continuation lines. */
export function headerFields(block: string): string[] {
  const fields: string[] = [];
  for (const line of block.split(/\r?\n/)) {
    if (/^[ \t]/.test(line) && fields.length > 0) fields[fields.length - 1] += CRLF + line;
    else if (line.trim()) fields.push(line);
  }
  return fields;
}

function headersOf(m: MessageRecord, c: CreatedMessage): string[] {
  const transport = m.props[PR_TRANSPORT_MESSAGE_HEADERS];
  if (transport) return headerFields(transport).filter((f) => !/^(content-[\w-]+|mime-version)\s*:/i.test(f));
  const list = (rs: Recipient[] | undefined) => (rs ?? []).map(mailbox).filter(Boolean).join(', ');
  const date = new Date(m.props[PR_CLIENT_SUBMIT_TIME] ?? m.receivedDateTime);
  return [
    ...(mailbox(c.from) ? [`From: ${mailbox(c.from)}`] : []),
    ...(list(c.toRecipients) ? [`To: ${list(c.toRecipients)}`] : []),
    ...(list(c.ccRecipients) ? [`Cc: ${list(c.ccRecipients)}`] : []),
    `Subject: ${encoded(m.subject)}`,
    `Date: ${date.toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: ${m.internetMessageId}`,
  ];
}

function leaf(contentType: string, bytes: Buffer, extra: string[] = []): string {
  return [`Content-Type: ${contentType}`, ...extra, 'Content-Transfer-Encoding: base64', '', wrap(bytes)].join(CRLF);
}

function multipart(subtype: string, parts: string[]): string {
  const b = boundary();
  return [`Content-Type: multipart/${subtype}; boundary="${b}"`, '', ...parts.map((p) => `--${b}${CRLF}${p}`), `--${b}--`, ''].join(CRLF);
}

function attachmentPart(a: AttachmentRecord, bytes: Buffer): string {
  const name = quoted(a.name);
  return leaf(`${a.contentType}; name=${name}`, bytes, [`Content-Disposition: ${a.isInline ? 'inline' : 'attachment'}; filename=${name}`, ...(a.contentId ? [`Content-ID: <${a.contentId}>`] : [])]);
}

/** The message's MIME; `bytes` reads an attachment's content. */
export function renderMime(m: MessageRecord, bytes: (a: AttachmentRecord) => Buffer): Buffer {
  const c = m.created ?? {};
  const head = [...headersOf(m, c), 'MIME-Version: 1.0'].join(CRLF) + CRLF;
  const attachments = m.attachments ?? [];
  const messageClass = (m.props[PR_MESSAGE_CLASS] ?? '').toLowerCase();
  const p7m = attachments.find((a) => a.name.toLowerCase() === 'smime.p7m');
  if (p7m && messageClass === 'ipm.note.smime.multipartsigned') return Buffer.concat([Buffer.from(head, 'utf8'), bytes(p7m)]);
  if (p7m && messageClass === 'ipm.note.smime') return Buffer.from(head + leaf('application/pkcs7-mime; smime-type=enveloped-data; name="smime.p7m"', bytes(p7m), ['Content-Disposition: attachment; filename="smime.p7m"']) + CRLF, 'utf8');
  const html = (c.body?.contentType ?? 'text').toLowerCase() === 'html';
  let entity = leaf(`text/${html ? 'html' : 'plain'}; charset=utf-8`, Buffer.from(c.body?.content ?? '', 'utf8'));
  const inline = attachments.filter((a) => a.isInline);
  const files = attachments.filter((a) => !a.isInline);
  if (inline.length > 0) entity = multipart('related', [entity, ...inline.map((a) => attachmentPart(a, bytes(a)))]);
  if (files.length > 0) entity = multipart('mixed', [entity, ...files.map((a) => attachmentPart(a, bytes(a)))]);
  return Buffer.from(head + entity, 'utf8');
}
