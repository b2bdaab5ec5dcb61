// What a copy of a message kept: the source's MIME against the destination's (as it exports it),
// field by field: every header field of the source (by name and value, unfolded), subject,
// addresses, date, Message-ID, the text and HTML bodies, attachments by name, size and SHA-256,
// inline images by Content-ID, an S/MIME signature (the signed entity byte for byte, so it still
// verifies), and, when given, the read and flag state. mailparser is loaded on first use.
import { createHash } from 'node:crypto';
import type { AddressObject, ParsedMail } from 'mailparser';
import { headerFields, splitMessage } from './mimeParts';

export interface FidelityRow {
  field: string;
  kept: boolean;
  /** What differs, when not kept. */
  detail?: string;
}

export interface MessageState {
  read: boolean;
  flagged: boolean;
}

export interface Copy {
  raw: Buffer;
  state?: MessageState;
}

const text = (s: string | false | undefined) => (s || '').replace(/\s+/g, ' ').trim();
const addresses = (a: AddressObject | AddressObject[] | undefined) =>
  (Array.isArray(a) ? a : a ? [a] : [])
    .flatMap((o) => o.value)
    .map((e) => (e.address ?? '').toLowerCase())
    .sort()
    .join(', ');

/** Header fields as `name: value` (name lower-cased), Content-* and MIME-Version aside. */
function fieldsOf(raw: Buffer): string[] {
  return headerFields(splitMessage(raw).headers)
    .map((f) => `${f.slice(0, f.indexOf(':')).trim().toLowerCase()}: ${f.slice(f.indexOf(':') + 1).replace(/\s+/g, ' ').trim()}`)
    .filter((f) => !/^(content-[\w-]+|mime-version):/.test(f));
}

/** The signed entity of a multipart/signed message (its parts, line ends aside), or undefined. */
function signedEntity(raw: Buffer): string | undefined {
  const { headers, body } = splitMessage(raw);
  const type = headerFields(headers, /^content-type$/i)[0] ?? '';
  if (!/:\s*multipart\/signed/i.test(type)) return undefined;
  const boundary = /boundary="?([^";\s]+)"?/i.exec(type)?.[1] ?? '';
  const text = body.toString('latin1');
  return text.slice(text.indexOf(`--${boundary}`)).replace(/\r\n/g, '\n');
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex').slice(0, 16);
const attachmentsOf = (p: ParsedMail) =>
  p.attachments
    .filter((a) => !a.related || !a.contentId)
    .map((a) => `${a.filename ?? '(unnamed)'} ${a.size} B ${sha(a.content)}`)
    .sort();
const inlineOf = (p: ParsedMail) =>
  p.attachments
    .filter((a) => a.contentId && a.related)
    .map((a) => `${(a.cid ?? a.contentId ?? '').replace(/^<|>$/g, '')} ${sha(a.content)}`)
    .sort();

function row(field: string, source: string, destination: string): FidelityRow {
  return source === destination ? { field, kept: true } : { field, kept: false, detail: `source ${JSON.stringify(source.slice(0, 120))}, destination ${JSON.stringify(destination.slice(0, 120))}` };
}

/** The comparison of a source message with the destination's copy. */
export async function compareMessages(source: Copy, destination: Copy): Promise<FidelityRow[]> {
  const { simpleParser } = await import('mailparser');
  const options = { keepCidLinks: true, skipTextToHtml: true, skipImageLinks: true } as const;
  const [s, d] = await Promise.all([simpleParser(source.raw, options), simpleParser(destination.raw, options)]);
  const rows: FidelityRow[] = [];
  const held = new Set(fieldsOf(destination.raw));
  const missing = fieldsOf(source.raw).filter((f) => !held.has(f));
  rows.push(missing.length === 0 ? { field: 'headers', kept: true } : { field: 'headers', kept: false, detail: `missing or changed: ${missing.map((f) => f.slice(0, f.indexOf(':'))).join(', ')}` });
  rows.push(row('subject', s.subject ?? '', d.subject ?? ''));
  rows.push(row('from', addresses(s.from), addresses(d.from)));
  rows.push(row('to', addresses(s.to), addresses(d.to)));
  rows.push(row('cc', addresses(s.cc), addresses(d.cc)));
  rows.push(row('date', s.date?.toISOString() ?? '', d.date?.toISOString() ?? ''));
  rows.push(row('message-id', s.messageId ?? '', d.messageId ?? ''));
  rows.push(row('body text', text(s.text), text(d.text)));
  rows.push(row('body html', text(s.html), text(d.html)));
  rows.push(row('attachments', attachmentsOf(s).join('; '), attachmentsOf(d).join('; ')));
  rows.push(row('inline images', inlineOf(s).join('; '), inlineOf(d).join('; ')));
  const signed = signedEntity(source.raw);
  if (signed !== undefined) rows.push({ field: 'signature', kept: signed === signedEntity(destination.raw), ...(signed === signedEntity(destination.raw) ? {} : { detail: 'the signed entity changed: the signature no longer verifies' }) });
  if (source.state && destination.state) {
    rows.push(row('read', String(source.state.read), String(destination.state.read)));
    rows.push(row('flag', String(source.state.flagged), String(destination.state.flagged)));
  }
  return rows;
}

/** The comparison as lines of text: `kept  field` or `LOST  field: detail`. */
export function formatFidelity(rows: FidelityRow[]): string {
  const kept = rows.filter((r) => r.kept).length;
  return [...rows.map((r) => (r.kept ? `kept  ${r.field}` : `LOST  ${r.field}: ${r.detail ?? ''}`)), `${kept} of ${rows.length} kept`].join('\n');
}
