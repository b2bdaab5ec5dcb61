// RFC 3501 syntax for the fake's side: commands framed from a byte stream (literals `{n}` with a
// continuation, LITERAL+ `{n+}` without), tokens (atoms with their [section] kept whole, quoted
// strings, literals, parenthesised lists), sequence sets, and the server's output forms.

export type Token = { kind: 'atom'; value: string } | { kind: 'string'; value: Buffer } | { kind: 'list'; items: Token[] } | { kind: 'nil' };

/** Frames commands out of the bytes a client sends; `continueLiteral` is called for a synchronising literal. */
export class CommandFramer {
  private buffer = Buffer.alloc(0);
  private pending: Buffer[] = [];
  private literalLeft = 0;

  constructor(private readonly continueLiteral: () => void) {}

  /** Adds bytes; returns the complete commands (each without its final CRLF). */
  push(chunk: Buffer): Buffer[] {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    const done: Buffer[] = [];
    for (;;) {
      if (this.literalLeft > 0) {
        if (this.buffer.length < this.literalLeft) return done;
        this.pending.push(this.buffer.subarray(0, this.literalLeft));
        this.buffer = this.buffer.subarray(this.literalLeft);
        this.literalLeft = 0;
        continue;
      }
      const eol = this.buffer.indexOf('\r\n');
      if (eol === -1) return done;
      const line = this.buffer.subarray(0, eol);
      this.buffer = this.buffer.subarray(eol + 2);
      const literal = /\{(\d+)(\+?)\}$/.exec(line.toString('latin1'));
      this.pending.push(line);
      if (literal) {
        this.pending.push(Buffer.from('\r\n'));
        this.literalLeft = Number(literal[1]);
        if (!literal[2]) this.continueLiteral();
        if (this.literalLeft === 0) continue;
        continue;
      }
      done.push(Buffer.concat(this.pending));
      this.pending = [];
    }
  }
}

const ATOM_END = new Set([0x20, 0x28, 0x29, 0x0d, 0x0a]);

/** Tokenises one framed command (after the tag and command name, or whole). */
export function tokenize(input: Buffer): Token[] {
  let i = 0;
  const parseList = (close: number | undefined): Token[] => {
    const out: Token[] = [];
    for (;;) {
      while (input[i] === 0x20) i++;
      if (i >= input.length) {
        if (close !== undefined) throw new SyntaxError('unclosed list');
        return out;
      }
      const c = input[i];
      if (c === close) {
        i++;
        return out;
      }
      if (c === 0x28) {
        i++;
        out.push({ kind: 'list', items: parseList(0x29) });
      } else if (c === 0x22) {
        i++;
        const bytes: number[] = [];
        while (i < input.length && input[i] !== 0x22) {
          if (input[i] === 0x5c) i++;
          bytes.push(input[i++]);
        }
        if (input[i] !== 0x22) throw new SyntaxError('unclosed quoted string');
        i++;
        out.push({ kind: 'string', value: Buffer.from(bytes) });
      } else if (c === 0x7b) {
        const m = /^\{(\d+)\+?\}\r\n/.exec(input.subarray(i, i + 30).toString('latin1'));
        if (!m) throw new SyntaxError('bad literal');
        i += m[0].length;
        const n = Number(m[1]);
        out.push({ kind: 'string', value: input.subarray(i, i + n) });
        i += n;
      } else {
        const start = i;
        let depth = 0;
        while (i < input.length && (depth > 0 || !ATOM_END.has(input[i]))) {
          if (input[i] === 0x5b) depth++;
          else if (input[i] === 0x5d) depth--;
          i++;
        }
        if (i === start) throw new SyntaxError(`unexpected character ${String.fromCharCode(c)}`);
        const value = input.subarray(start, i).toString('latin1');
        out.push(value.toUpperCase() === 'NIL' ? { kind: 'nil' } : { kind: 'atom', value });
      }
    }
  };
  return parseList(undefined);
}

/** The text of an atom or string token (astring). */
export function astring(t: Token | undefined): string | undefined {
  if (!t) return undefined;
  if (t.kind === 'atom') return t.value;
  if (t.kind === 'string') return t.value.toString('utf8');
  return undefined;
}

/** The numbers of a sequence set (`1:3,7,9:*`) among `all` (sorted ascending); `*` is the largest. */
export function inSet(set: string, all: readonly number[]): Set<number> {
  const max = all.length ? all[all.length - 1] : 0;
  const picked = new Set<number>();
  const num = (s: string) => (s === '*' ? max : Number(s));
  for (const part of set.split(',')) {
    const [a, b] = part.split(':');
    const lo = num(a);
    const hi = b === undefined ? lo : num(b);
    if (!Number.isInteger(lo) || !Number.isInteger(hi) || lo < 0 || hi < 0) throw new SyntaxError(`bad sequence set ${set}`);
    const [from, to] = lo <= hi ? [lo, hi] : [hi, lo];
    for (const n of all) if (n >= from && n <= to) picked.add(n);
  }
  return picked;
}

/** A quoted string (RFC 3501 quoted, escapes \ and "). */
export function quoted(s: string): string {
  return `"${s.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number) => String(n).padStart(2, '0');

/** INTERNALDATE as RFC 3501 date-time, in UTC: "17-Jul-1996 02:44:25 +0000". */
export function imapDate(d: Date): string {
  return `"${two(d.getUTCDate())}-${MONTHS[d.getUTCMonth()]}-${d.getUTCFullYear()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000"`;
}

/** The header lines of `raw` whose names are (or, with `not`, are not) in `names`, plus the blank line. */
export function headerFields(raw: Buffer, names: readonly string[], not: boolean): Buffer {
  const text = raw.toString('latin1');
  const end = text.indexOf('\r\n\r\n');
  const header = end === -1 ? text : text.slice(0, end + 2);
  const wanted = new Set(names.map((n) => n.toLowerCase()));
  const kept: string[] = [];
  let keep = false;
  for (const line of header.split('\r\n')) {
    if (line === '') continue;
    if (/^[ \t]/.test(line)) {
      if (keep) kept.push(line);
      continue;
    }
    const name = line.slice(0, line.indexOf(':')).trim().toLowerCase();
    keep = wanted.has(name) !== not;
    if (keep) kept.push(line);
  }
  return Buffer.from(kept.map((l) => `${l}\r\n`).join('') + '\r\n', 'latin1');
}
