// The meaning of one IMAP server response (RFC 3501 7, 9): a continuation, a status response
// (tagged or untagged OK/NO/BAD/BYE/PREAUTH with its [response code]) or untagged data (`* 12
// FETCH (...)`, `* 3 EXISTS`, `* CAPABILITY ...`) whose values are atoms, quoted strings, NIL,
// numbers, literals and nested lists, in any order the server chooses.
import { ImapProtocolError, type RawResponse } from './responseReader';

/** An IMAP value: an atom or a string (quoted or number), a literal's bytes, NIL, or a list. */
export type ImapValue = string | Buffer | null | ImapValue[];

export type ImapStatus = 'OK' | 'NO' | 'BAD' | 'BYE' | 'PREAUTH';

export type ParsedResponse =
  | { kind: 'continuation'; text: string }
  | { kind: 'status'; tag: string; status: ImapStatus; code?: string; text: string }
  | { kind: 'data'; number?: number; name: string; values: ImapValue[] };

const STATUSES = new Set(['OK', 'NO', 'BAD', 'BYE', 'PREAUTH']);

/** Reads the values of a response's text, the literals in their places. */
class Values {
  private seg = 0;
  private pos = 0;

  constructor(
    private readonly text: readonly string[],
    private readonly literals: readonly Buffer[],
  ) {}

  private get s(): string {
    return this.text[this.seg];
  }

  private skipSpaces(): void {
    while (this.pos < this.s.length && this.s.charCodeAt(this.pos) === 32) this.pos++;
  }

  /** Whether every value was read. */
  done(): boolean {
    this.skipSpaces();
    return this.pos >= this.s.length && this.seg >= this.literals.length;
  }

  /** The rest of the current line as text (a status response's human-readable part). */
  rest(): string {
    this.skipSpaces();
    const r = this.s.slice(this.pos);
    this.pos = this.s.length;
    return r;
  }

  /** A `[...]` response code at this point, if any (brackets nest only in theory). */
  code(): string | undefined {
    this.skipSpaces();
    if (this.s[this.pos] !== '[') return undefined;
    const end = this.s.indexOf(']', this.pos);
    if (end === -1) return undefined;
    const code = this.s.slice(this.pos + 1, end);
    this.pos = end + 1;
    return code;
  }

  value(): ImapValue {
    this.skipSpaces();
    const s = this.s;
    if (this.pos >= s.length) {
      if (this.seg >= this.literals.length) throw new ImapProtocolError(`a response ended early: ${this.text.join(' {...} ')}`);
      const literal = this.literals[this.seg++];
      this.pos = 0;
      return literal;
    }
    const c = s.charCodeAt(this.pos);
    if (c === 40 /* ( */) {
      this.pos++;
      const list: ImapValue[] = [];
      for (;;) {
        this.skipSpaces();
        if (this.pos < this.s.length && this.s.charCodeAt(this.pos) === 41 /* ) */) {
          this.pos++;
          return list;
        }
        list.push(this.value());
      }
    }
    if (c === 34 /* " */) return this.quoted();
    return this.atom();
  }

  private quoted(): string {
    const s = this.s;
    let out = '';
    let from = ++this.pos;
    for (; this.pos < s.length; this.pos++) {
      const c = s.charCodeAt(this.pos);
      if (c === 92 /* \ */) {
        out += s.slice(from, this.pos);
        from = ++this.pos;
      } else if (c === 34) {
        out += s.slice(from, this.pos++);
        return out;
      }
    }
    throw new ImapProtocolError(`an unterminated quoted string: ${s}`);
  }

  /** An atom; `[...]` inside it (BODY[HEADER.FIELDS (A B)]) is part of it, spaces included. */
  private atom(): string | null {
    const s = this.s;
    const from = this.pos;
    let depth = 0;
    for (; this.pos < s.length; this.pos++) {
      const c = s.charCodeAt(this.pos);
      if (c === 91 /* [ */) depth++;
      else if (c === 93 /* ] */) depth = Math.max(0, depth - 1);
      else if (depth === 0 && (c === 32 || c === 40 || c === 41)) break;
    }
    if (this.pos === from) throw new ImapProtocolError(`an unexpected '${s[from]}' in ${s}`);
    const atom = s.slice(from, this.pos);
    return atom.length === 3 && atom.toUpperCase() === 'NIL' ? null : atom;
  }
}

/** The tag of a response ('*' untagged, '+' continuation, else a command's tag). */
export function tagOf(raw: RawResponse): string {
  const first = raw.text[0];
  const space = first.indexOf(' ');
  return space === -1 ? first : first.slice(0, space);
}

export function parseResponse(raw: RawResponse): ParsedResponse {
  const first = raw.text[0];
  if (first.startsWith('+')) return { kind: 'continuation', text: first.slice(1).trim() };
  const space = first.indexOf(' ');
  if (space === -1) throw new ImapProtocolError(`a response without content: ${first}`);
  const tag = first.slice(0, space);
  const values = new Values([first.slice(space + 1), ...raw.text.slice(1)], raw.literals);
  const head = values.value();
  if (typeof head !== 'string') throw new ImapProtocolError(`a response that starts with a ${head === null ? 'NIL' : 'list'}: ${first}`);
  const status = head.toUpperCase();
  if (STATUSES.has(status)) {
    const code = values.code();
    return { kind: 'status', tag, status: status as ImapStatus, ...(code !== undefined ? { code } : {}), text: values.rest() };
  }
  if (tag !== '*') throw new ImapProtocolError(`a tagged response that is no status: ${first}`);
  let number: number | undefined;
  let name = status;
  if (/^\d+$/.test(head)) {
    number = Number(head);
    const next = values.value();
    if (typeof next !== 'string') throw new ImapProtocolError(`untagged data without a name: ${first}`);
    name = next.toUpperCase();
  }
  const data: ImapValue[] = [];
  while (!values.done()) data.push(values.value());
  return { kind: 'data', ...(number !== undefined ? { number } : {}), name, values: data };
}

/** What a FETCH response says of one message (the attributes a body fetch asks for). */
export interface FetchedMessage {
  uid?: number;
  flags?: string[];
  internalDate?: string;
  size?: number;
  /** BODY[] as sent: undefined when the response has no BODY[] (a flags update), null for NIL. */
  body?: Buffer | null;
}

const asString = (v: ImapValue | undefined): string | undefined => (typeof v === 'string' ? v : Buffer.isBuffer(v) ? v.toString('utf8') : undefined);

/** The attributes of an untagged FETCH's list (`UID 5 FLAGS (\Seen) BODY[] {n}...`), in any order. */
export function fetchedMessage(values: readonly ImapValue[]): FetchedMessage {
  const list = values[0];
  if (!Array.isArray(list)) throw new ImapProtocolError('a FETCH response without its list');
  const msg: FetchedMessage = {};
  for (let i = 0; i + 1 < list.length; i += 2) {
    const key = list[i];
    const value = list[i + 1];
    if (typeof key !== 'string') throw new ImapProtocolError('a FETCH attribute name that is no atom');
    switch (key.toUpperCase()) {
      case 'UID':
        msg.uid = Number(asString(value));
        break;
      case 'FLAGS':
        msg.flags = Array.isArray(value) ? value.map((f) => asString(f) ?? '') : [];
        break;
      case 'INTERNALDATE':
        msg.internalDate = asString(value);
        break;
      case 'RFC822.SIZE':
        msg.size = Number(asString(value));
        break;
      case 'BODY[]':
      case 'BINARY[]':
      case 'RFC822':
        msg.body = value === null ? null : Buffer.isBuffer(value) ? value : Buffer.from(asString(value) ?? '', 'utf8');
        break;
      default:
        break;
    }
  }
  return msg;
}
