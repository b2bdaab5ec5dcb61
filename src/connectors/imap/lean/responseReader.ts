// IMAP server responses read off a byte stream as it arrives (RFC 3501 7, 9): lines and literals
// `{n}`, a literal whose bytes cross any number of chunks going straight into one Buffer allocated
// at its announced size (a message body is never gathered from pieces). The lean body reader's
// wire: responses are handed over whole, split into their text lines and their literals.

import { StreamingProbe } from '../../streamingProbe';
import type { BodyPool } from './bodyPool';
import { largeItemBytes } from '../../types';

/** One complete server response: `text[i]` is followed by `literals[i]` (the `{n}` marker cut off). */
export interface RawResponse {
  text: string[];
  literals: Buffer[];
}

/** The server broke the protocol (a line without end, a literal of impossible size). */
export class ImapProtocolError extends Error {
  override readonly name = 'ImapProtocolError';
}

/** Size of the reused read buffer outside literals (what Node reads per chunk otherwise). */
export const READ_BUFFER = 64 * 1024;
/** Longest line between literals: a body fetch's lines are short, so a longer one is a broken stream. */
const MAX_LINE = 8 * 1024 * 1024;
/** `{n}` (or `~{n}`, a literal8) ending a line; `+` is only sent by clients but harmless. */
const LITERAL_AT_END = /~?\{(\d{1,10})\+?\}$/;

export class ResponseReader {
  private lineParts: Buffer[] = [];
  private lineBytes = 0;
  private text: string[] = [];
  private literals: Buffer[] = [];
  private literal: Buffer | undefined;
  private filled = 0;
  /** The probe hashes of the literal being filled, when it is large (hashed piece by piece as it arrives). */
  private probe: StreamingProbe | undefined;
  /** The Buffer readTarget() gave last, and the reused one for what is not a literal. */
  private target: Buffer | undefined;
  private scratch: Buffer | undefined;

  /** `bodies`: where a large literal's memory comes from (handed back by whoever reads it last). */
  constructor(
    private readonly onResponse: (response: RawResponse) => void,
    private readonly bodies?: BodyPool,
  ) {}

  /** Whether nothing of a next response has arrived (no partial line, literal or response). */
  get idle(): boolean {
    return this.lineParts.length === 0 && this.literal === undefined && this.text.length === 0;
  }

  /** Takes the next bytes of the stream; calls onResponse for each response completed by them. */
  push(chunk: Buffer): void {
    let pos = 0;
    while (pos < chunk.length) {
      if (this.literal) {
        const n = Math.min(this.literal.length - this.filled, chunk.length - pos);
        chunk.copy(this.literal, this.filled, pos, pos + n);
        this.literalFilled(this.literal.subarray(this.filled, this.filled + n));
        pos += n;
        continue;
      }
      const lf = chunk.indexOf(10, pos);
      if (lf === -1) {
        this.keepPart(chunk.subarray(pos));
        return;
      }
      const piece = chunk.subarray(pos, lf + 1);
      pos = lf + 1;
      const line = this.lineParts.length === 0 ? piece : Buffer.concat([...this.lineParts, piece]);
      this.lineParts = [];
      this.lineBytes = 0;
      this.endLine(line);
    }
  }

  /**
   * Where the next socket read should land (net.Socket's `onread`, connections without TLS): the
   * rest of the literal being filled, so a large body goes from the kernel straight into its Buffer
   * (no 64 KB chunk allocated per read, no copy), else one reused buffer (lines, small literals).
   */
  readTarget(): Buffer {
    this.target = this.literal && this.literal.length - this.filled >= READ_BUFFER ? this.literal.subarray(this.filled) : (this.scratch ??= Buffer.allocUnsafe(READ_BUFFER));
    return this.target;
  }

  /** `n` bytes were read into `buf`, the Buffer the last readTarget() gave; handled like push(). */
  received(n: number, buf: Buffer): void {
    if (buf === this.target && this.literal && buf !== this.scratch) this.literalFilled(buf.subarray(0, n));
    else this.push(buf.subarray(0, n));
  }

  /** `bytes` (a view of the literal, at `filled`) hold the literal's next bytes. */
  private literalFilled(bytes: Buffer): void {
    const literal = this.literal!;
    this.probe?.update(bytes);
    this.filled += bytes.length;
    if (this.filled < literal.length) return;
    this.probe?.finish(literal);
    this.probe = undefined;
    this.literals.push(literal);
    this.literal = undefined;
  }

  /** A line not ended in this chunk: kept (copied, so the chunk itself is not held). */
  private keepPart(part: Buffer): void {
    this.lineBytes += part.length;
    if (this.lineBytes > MAX_LINE) throw new ImapProtocolError(`a server line longer than ${MAX_LINE} bytes`);
    this.lineParts.push(Buffer.from(part));
  }

  private endLine(line: Buffer): void {
    const end = line.length >= 2 && line[line.length - 2] === 13 ? line.length - 2 : line.length - 1;
    const text = line.toString('utf8', 0, end);
    const literal = LITERAL_AT_END.exec(text);
    if (!literal) {
      this.text.push(text);
      const response = { text: this.text, literals: this.literals };
      this.text = [];
      this.literals = [];
      this.onResponse(response);
      return;
    }
    this.text.push(text.slice(0, literal.index));
    const size = Number(literal[1]);
    if (size > 0xffffffff) throw new ImapProtocolError(`a literal of ${size} bytes`);
    // Unset memory: every byte is written before the Buffer is handed on (its size is the literal's).
    const body = this.bodies && size >= largeItemBytes ? this.bodies.take(size) : Buffer.allocUnsafe(size);
    if (size === 0) this.literals.push(body);
    else {
      this.literal = body;
      this.filled = 0;
      this.probe = size >= largeItemBytes ? new StreamingProbe() : undefined;
    }
  }
}
