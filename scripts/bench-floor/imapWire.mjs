// One plain-TCP IMAP connection for the floor programs of `npm run bench:imap` (scripts/bench-floor/):
// the least a Node client needs, with no Ferry code. Tagged commands (pipelined: any number in
// flight), responses parsed line by line with their literals (`{n}` / `{n+}`), and the socket reading
// straight into a literal's own Buffer (net.Socket `onread`), each piece handed to the caller as it
// lands (so a body can be hashed while it is in cache). Synchronising literals wait for the
// server's `+`; LITERAL+ is used when the server announces it.
import net from 'node:net';

/** Reads go into the literal itself while this much of it or more is left; into one reused buffer otherwise. */
const READ = 64 * 1024;
const LF = 0x0a;
const CRLF = Buffer.from('\r\n');

export class ImapWire {
  /** @type {net.Socket} */
  #socket;
  #tag = 0;
  /** tag -> { resolve, reject, untagged: responses that came while it was the oldest in flight } */
  #pending = new Map();
  /** Resolvers waiting for a `+` continuation (synchronising literals), in order. */
  #continuations = [];
  /** Pieces of a line not yet ended (copied out of the read buffer). */
  #lineParts = [];
  /** The response being read: its lines (latin1, without CRLF) and literals, in order. */
  #response = [];
  /** The literal being filled, how much of it is, and whom to tell of each piece. */
  #literal;
  #filled = 0;
  #sink;
  #scratch = Buffer.allocUnsafe(READ);
  #target;
  #closed;
  /** Writes waiting for a synchronising literal's `+` (undefined when none). */
  #writing;
  /** Capabilities, upper case, from the greeting or the login's answer. */
  capabilities = new Set();

  /**
   * `hooks.literal(size, text)`: called when a literal starts (`text`: the response's line up to it);
   * may return `{ buffer, piece(view) }` to read it into `buffer` (exactly `size` bytes), each piece
   * given to `piece` as it lands. `hooks.untagged(parts)`: each untagged response (lines and literals).
   */
  constructor(hooks = {}) {
    this.hooks = hooks;
  }

  /** Connects, reads the greeting (capabilities when it has them) and resolves once the server is ready. */
  static connect(host, port, hooks) {
    const wire = new ImapWire(hooks);
    return new Promise((resolve, reject) => {
      let greeted = false;
      wire.#greeting = (parts) => {
        greeted = true;
        const line = parts[0];
        if (!/^\* OK\b/i.test(line)) return reject(new Error(`greeting: ${line}`));
        wire.#takeCapabilities(line);
        resolve(wire);
      };
      wire.#socket = net.connect({
        host,
        port,
        onread: { buffer: () => wire.#readTarget(), callback: (n, buf) => (wire.#received(n, buf), true) },
      });
      wire.#socket.setNoDelay(true);
      wire.#socket.once('error', (error) => (greeted ? wire.#fail(error) : reject(error)));
      wire.#socket.once('close', () => wire.#fail(new Error('connection closed')));
    });
  }

  #greeting;

  /** Sends `${tag} ${text}` (parts: strings and Buffers; a `{literal}` part object is written as an IMAP literal). */
  command(...parts) {
    if (this.#closed) return Promise.reject(this.#closed);
    const tag = `F${++this.#tag}`;
    const done = new Promise((resolve, reject) => this.#pending.set(tag, { resolve, reject, untagged: [] }));
    // With synchronising literals a command waits for `+` halfway: the next one must wait for it.
    if (!this.#writing && (this.capabilities.has('LITERAL+') || parts.every((p) => typeof p === 'string'))) {
      this.#write(tag, parts);
    } else {
      const next = (this.#writing ?? Promise.resolve()).then(() => this.#write(tag, parts));
      this.#writing = next;
      next.then(() => this.#writing === next && (this.#writing = undefined));
    }
    return done;
  }

  /** A command's answer: rejects unless the tagged status is OK. */
  async ok(...parts) {
    const answer = await this.command(...parts);
    if (answer.status !== 'OK') throw new Error(`${String(parts[0]).split(' ')[0]}: ${answer.status} ${answer.text}`);
    return answer;
  }

  async #write(tag, parts) {
    const literalPlus = this.capabilities.has('LITERAL+');
    this.#socket.cork();
    let line = `${tag} `;
    for (const part of parts) {
      if (typeof part === 'string') {
        line += part;
        continue;
      }
      // A literal: its size, then (after the server's `+` unless LITERAL+) its bytes.
      this.#socket.write(`${line}{${part.length}${literalPlus ? '+' : ''}}\r\n`);
      line = '';
      if (!literalPlus) {
        this.#socket.uncork();
        await new Promise((resolve) => this.#continuations.push(resolve));
        this.#socket.cork();
      }
      this.#socket.write(part);
    }
    this.#socket.write(line);
    this.#socket.write(CRLF);
    this.#socket.uncork();
  }

  /** LOGOUT, its BYE and OK read, then the socket closed. */
  async logout() {
    await this.ok('LOGOUT');
    this.#closed = new Error('logged out');
    this.#socket.destroy();
  }

  #takeCapabilities(line) {
    const m = /\[CAPABILITY ([^\]]*)\]/i.exec(line) ?? /^\* CAPABILITY (.*)$/i.exec(line);
    if (m) this.capabilities = new Set(m[1].toUpperCase().split(' '));
  }

  #fail(error) {
    this.#closed ??= error;
    for (const { reject } of this.#pending.values()) reject(error);
    this.#pending.clear();
  }

  // ------------------------------------------------------------ reading

  #readTarget() {
    this.#target = this.#literal && this.#literal.length - this.#filled >= READ ? this.#literal.subarray(this.#filled) : this.#scratch;
    return this.#target;
  }

  #received(n, buf) {
    if (buf === this.#target && buf !== this.#scratch) this.#literalFilled(buf.subarray(0, n));
    else this.#push(buf.subarray(0, n));
  }

  #push(chunk) {
    let pos = 0;
    while (pos < chunk.length) {
      if (this.#literal) {
        const n = Math.min(this.#literal.length - this.#filled, chunk.length - pos);
        chunk.copy(this.#literal, this.#filled, pos, pos + n);
        this.#literalFilled(this.#literal.subarray(this.#filled, this.#filled + n));
        pos += n;
        continue;
      }
      const lf = chunk.indexOf(LF, pos);
      if (lf === -1) {
        this.#lineParts.push(Buffer.from(chunk.subarray(pos)));
        return;
      }
      const end = chunk.subarray(pos, lf + 1);
      const line = this.#lineParts.length ? Buffer.concat([...this.#lineParts.splice(0), end]) : end;
      pos = lf + 1;
      this.#endLine(line.toString('latin1', 0, line.length - (line[line.length - 2] === 0x0d ? 2 : 1)));
    }
  }

  #endLine(text) {
    this.#response.push(text);
    const m = /\{(\d+)\+?\}$/.exec(text);
    if (!m) return this.#endResponse();
    const size = Number(m[1]);
    const own = this.hooks.literal?.(size, text);
    this.#literal = own ? own.buffer : Buffer.allocUnsafe(size);
    this.#sink = own?.piece;
    this.#filled = 0;
    if (size === 0) this.#literalFilled(this.#literal);
  }

  #literalFilled(view) {
    if (view.length) this.#sink?.(view);
    this.#filled += view.length;
    if (this.#filled < this.#literal.length) return;
    this.#response.push(this.#literal);
    this.#literal = undefined;
    this.#sink = undefined;
  }

  #endResponse() {
    const parts = this.#response;
    this.#response = [];
    const first = parts[0];
    if (this.#greeting) {
      const greet = this.#greeting;
      this.#greeting = undefined;
      return greet(parts);
    }
    if (first.startsWith('+')) return this.#continuations.shift()?.();
    if (first.startsWith('* ')) {
      if (/^\* (OK \[)?CAPABILITY /i.test(first)) this.#takeCapabilities(first);
      this.#pending.values().next().value?.untagged.push(parts);
      return this.hooks.untagged?.(parts);
    }
    const m = /^(\S+) (OK|NO|BAD) ?(.*)$/i.exec(first);
    const waiting = m && this.#pending.get(m[1]);
    if (!waiting) return this.#fail(new Error(`unexpected answer: ${first.slice(0, 200)}`));
    this.#pending.delete(m[1]);
    this.#takeCapabilities(first);
    waiting.resolve({ status: m[2].toUpperCase(), text: m[3], untagged: waiting.untagged });
  }
}

/** An IMAP quoted string (the bench's users and passwords need nothing more). */
export const quoted = (s) => `"${s.replace(/[\\"]/g, '\\$&')}"`;

/** The command-line options of a floor that logs in to a source and a destination user (node:util parseArgs). */
export const accountOptions = {
  host: { type: 'string', default: '127.0.0.1' },
  port: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  password: { type: 'string' },
};

/** Connects and logs in (LOGIN, as mbsync is configured in the bench). */
export async function login(host, port, user, password, hooks) {
  const wire = await ImapWire.connect(host, port, hooks);
  await wire.ok(`LOGIN ${quoted(user)} ${quoted(password)}`);
  return wire;
}
