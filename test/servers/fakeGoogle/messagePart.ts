// A raw RFC 822 message as Gmail's `MessagePart` tree (messages.get format=full|metadata):
// headers in order, mimeType, filename, body size and data (base64url) for leaves, parts for
// multiparts, partId "" for the top and "0", "0.1", ... below. Attachments' bodies stay inline as
// data here (Gmail moves large ones behind an attachmentId; not modelled).

export interface MessagePartHeader {
  name: string;
  value: string;
}

export interface MessagePart {
  partId: string;
  mimeType: string;
  filename: string;
  headers: MessagePartHeader[];
  body: { size: number; data?: string };
  parts?: MessagePart[];
}

/** Splits an entity into its header fields (unfolded, in order) and body. */
export function splitEntity(raw: Buffer): { headers: MessagePartHeader[]; body: Buffer } {
  const text = raw.toString('latin1');
  const m = /\r?\n\r?\n/.exec(text);
  const head = m ? text.slice(0, m.index) : text;
  const body = m ? raw.subarray(m.index + m[0].length) : Buffer.alloc(0);
  const headers: MessagePartHeader[] = [];
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0) headers.push({ name: line.slice(0, i).trim(), value: Buffer.from(line.slice(i + 1).trim(), 'latin1').toString('utf8') });
  }
  return { headers, body };
}

const headerValue = (headers: MessagePartHeader[], name: string) => headers.find((h) => h.name.toLowerCase() === name.toLowerCase())?.value;

function param(value: string | undefined, name: string): string | undefined {
  if (!value) return undefined;
  const m = new RegExp(`;\\s*${name}\\*?=\\s*("([^"]*)"|[^;\\s]+)`, 'i').exec(value);
  return m ? (m[2] ?? m[1]) : undefined;
}

function decodeBody(body: Buffer, encoding: string | undefined): Buffer {
  const e = (encoding ?? '').toLowerCase();
  if (e === 'base64') return Buffer.from(body.toString('latin1').replace(/[^A-Za-z0-9+/=]/g, ''), 'base64');
  if (e === 'quoted-printable') {
    const s = body.toString('latin1').replace(/=\r?\n/g, '');
    return Buffer.from(s.replace(/=([0-9A-Fa-f]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1');
  }
  return body;
}

export function messagePart(raw: Buffer, partId = ''): MessagePart {
  const { headers, body } = splitEntity(raw);
  const contentType = headerValue(headers, 'content-type') ?? 'text/plain';
  const mimeType = contentType.split(';')[0].trim().toLowerCase();
  const filename = param(headerValue(headers, 'content-disposition'), 'filename') ?? param(contentType, 'name') ?? '';
  const boundary = mimeType.startsWith('multipart/') ? param(contentType, 'boundary') : undefined;
  if (boundary) {
    const text = body.toString('latin1');
    const delimiter = `--${boundary}`;
    const pieces = text.split(new RegExp(`\\r?\\n?${delimiter.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?:--)?[ \\t]*\\r?\\n?`));
    const inner = pieces.slice(1, -1).filter((p) => p.length > 0);
    const prefix = partId === '' ? '' : `${partId}.`;
    return { partId, mimeType, filename, headers, body: { size: 0 }, parts: inner.map((p, i) => messagePart(Buffer.from(p, 'latin1'), `${prefix}${i}`)) };
  }
  const decoded = decodeBody(body, headerValue(headers, 'content-transfer-encoding'));
  return { partId, mimeType, filename, headers, body: { size: decoded.length, ...(decoded.length > 0 ? { data: decoded.toString('base64url') } : {}) } };
}

/** Gmail's snippet: the start of the first text part, whitespace collapsed, HTML-escaped. */
export function snippetOf(part: MessagePart): string {
  const find = (p: MessagePart): MessagePart | undefined => (p.parts ? p.parts.map(find).find(Boolean) : p.mimeType.startsWith('text/') ? p : undefined);
  const text = find(part);
  if (!text?.body.data) return '';
  let s = Buffer.from(text.body.data, 'base64url').toString('utf8');
  if (text.mimeType === 'text/html') s = s.replace(/<[^>]*>/g, ' ');
  s = s.replace(/\s+/g, ' ').trim().slice(0, 200);
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}
