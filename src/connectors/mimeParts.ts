// The two parts of a raw RFC 5322 message, and its header fields, without decoding anything.

/** The header block and the body of a raw message (the blank line between them dropped). */
export function splitMessage(raw: Buffer): { headers: string; body: Buffer } {
  const crlf = raw.indexOf('\r\n\r\n');
  const lf = raw.indexOf('\n\n');
  const [at, gap] = crlf !== -1 && (lf === -1 || crlf <= lf) ? [crlf, 4] : lf !== -1 ? [lf, 2] : [raw.length, 0];
  return { headers: raw.subarray(0, at).toString('utf8'), body: raw.subarray(Math.min(raw.length, at + gap)) };
}

/** The unfolded fields of a header block (`Name: value`), those whose names match `name` when given. */
export function headerFields(headers: string, name?: RegExp): string[] {
  return headers
    .replace(/\r?\n(?=[ \t])/g, '')
    .split(/\r?\n/)
    .filter((f) => f.includes(':') && (!name || name.test(f.slice(0, f.indexOf(':')).trim())));
}
