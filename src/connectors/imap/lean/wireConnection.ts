// A raw IMAP connection for the lean body reader: node:net / node:tls with the options the connector
// built for imapflow (host, port, TLS, STARTTLS, timeouts, credentials), the greeting, STARTTLS,
// CAPABILITY and a login by the mechanism imapflow would choose (LOGIN, AUTHENTICATE PLAIN, XOAUTH2),
// then commands with any number in flight: each resolves with its tagged status, untagged data goes
// to `onData` as it arrives. Every failure is a ConnectorError of the IMAP catalog, as imapflow's are.
import net from 'node:net';
import type { ImapFlowOptions } from 'imapflow';
import { imapError, toConnectorError, type ImapErrorContext } from '../imapErrors';
import { parseResponse, type ImapStatus, type ParsedResponse } from './responseParser';
import type { BodyPool } from './bodyPool';
import { READ_BUFFER, ResponseReader, type RawResponse } from './responseReader';

/** node:tls on first use: a connection without TLS (a quiet probe of a local server) does not load it (~10 ms). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const tlsModule = () => require('node:tls') as typeof import('node:tls');

export interface WireStatus {
  status: ImapStatus;
  code?: string;
  text: string;
}

export type UntaggedData = Extract<ParsedResponse, { kind: 'data' }>;

/** Why the lean reader cannot log in where imapflow can (a mechanism it does not speak): the caller falls back. */
export class LeanUnsupported extends Error {
  override readonly name = 'LeanUnsupported';
}

type Mechanism = 'xoauth2' | 'plain' | 'login';

/**
 * The mechanism imapflow's authenticate() picks for these credentials and capabilities, where it is
 * one this reader speaks (OAUTHBEARER and SASL LOGIN are imapflow's only).
 */
export function loginMechanism(auth: NonNullable<ImapFlowOptions['auth']>, caps: ReadonlySet<string>): Mechanism | LeanUnsupported {
  if (auth.accessToken) {
    if (caps.has('AUTH=OAUTHBEARER')) return new LeanUnsupported('the server offers OAUTHBEARER, which imapflow prefers');
    return caps.has('AUTH=XOAUTH2') ? 'xoauth2' : new LeanUnsupported('the server offers no AUTH=XOAUTH2');
  }
  if (!auth.pass) return new LeanUnsupported('no password');
  let method = (auth.loginMethod ?? '').toUpperCase();
  if (!method && /\\|\//.test(auth.user)) method = 'LOGIN';
  if ((caps.has('AUTH=LOGIN') || caps.has('AUTH=PLAIN')) && method !== 'LOGIN') {
    if ((!method && caps.has('AUTH=PLAIN')) || method === 'AUTH=PLAIN') return 'plain';
    return new LeanUnsupported('imapflow would use AUTHENTICATE LOGIN');
  }
  return caps.has('LOGINDISABLED') ? new LeanUnsupported('the server announces LOGINDISABLED') : 'login';
}

/** A quoted string of printable ASCII (a mailbox name in modified UTF-7). */
export const quoted = (value: string): string => `"${value.replace(/["\\]/g, '\\$&')}"`;

/** An IMAP string argument: quoted, or a literal when it holds what a quoted string cannot. */
function stringArg(value: string): string | Buffer {
  return /[\r\n\0]|[^\x01-\x7f]/.test(value) ? Buffer.from(value, 'utf8') : quoted(value);
}

interface Pending {
  command: string;
  resolve: (status: WireStatus) => void;
  reject: (error: unknown) => void;
  onContinuation?: (text: string) => void;
}

export class WireConnection {
  readonly capabilities = new Set<string>();
  /** Untagged data (FETCH, EXISTS, EXPUNGE ...) as it arrives. */
  onData: (data: UntaggedData) => void = () => undefined;
  /** Untagged OK/NO/BAD (their response codes: UIDVALIDITY at EXAMINE). */
  onStatus: (status: WireStatus) => void = () => undefined;
  private socket: net.Socket;
  private readonly reader: ResponseReader;
  private readonly pending = new Map<string, Pending>();
  private nextTag = 1;
  private byeReason: string | undefined;
  /** The error every command gets once the connection is over (made when one is rejected with it). */
  private ended: (() => unknown) | undefined;
  private greeting: { resolve: (r: ParsedResponse) => void; reject: (e: unknown) => void } | undefined;

  private constructor(
    socket: net.Socket,
    private readonly options: ImapFlowOptions,
    private readonly context: ImapErrorContext,
    bodies?: BodyPool,
  ) {
    this.socket = socket;
    this.reader = new ResponseReader((raw) => this.dispatch(raw), bodies);
    this.attach(socket);
  }

  /** Whether commands can still be sent. */
  get live(): boolean {
    return this.ended === undefined;
  }

  /** Connects, reads the greeting, upgrades with STARTTLS where asked and logs in. */
  /** `bodies`: the memory large literals are read into (the lean reader's pool). */
  static async open(options: ImapFlowOptions, context: ImapErrorContext, bodies?: BodyPool): Promise<WireConnection> {
    // Without TLS, reads land where the reader says (large bodies straight into their Buffer).
    const reads = !options.secure && options.doSTARTTLS !== true ? new PlainReads() : undefined;
    const socket = await connectSocket(options, context, reads);
    const wire = new WireConnection(socket, options, context, bodies);
    reads?.deliverTo(wire);
    try {
      await wire.start();
      return wire;
    } catch (error) {
      wire.destroy();
      throw error;
    }
  }

  private async start(): Promise<void> {
    const greeting = await this.bounded(
      new Promise<ParsedResponse>((resolve, reject) => (this.greeting = { resolve, reject })),
      this.options.greetingTimeout ?? 16_000,
      'GREETING_TIMEOUT',
    );
    if (greeting.kind !== 'status' || greeting.status === 'BYE' || greeting.status === 'BAD' || greeting.status === 'NO') {
      throw imapError('IMAP-DISCONNECT', [this.context.host, greeting.kind === 'status' ? greeting.text || greeting.status : 'no greeting']);
    }
    if (greeting.status === 'PREAUTH') throw new LeanUnsupported('the server greets with PREAUTH');
    if (!this.takeCapabilities(greeting.code)) await this.expectOk(await this.command('CAPABILITY'), 'CAPABILITY');
    if (!this.capabilities.has('IMAP4REV1') && !this.capabilities.has('IMAP4REV2')) throw new LeanUnsupported('the server announces neither IMAP4rev1 nor IMAP4rev2');
    if (this.options.doSTARTTLS === true) await this.startTls();
    await this.login();
  }

  private async startTls(): Promise<void> {
    if (!this.capabilities.has('STARTTLS')) throw new LeanUnsupported('the server does not announce STARTTLS');
    await this.expectOk(await this.command('STARTTLS'), 'STARTTLS');
    // Bytes after the OK and before the handshake would be an attacker's (STARTTLS injection).
    if (!this.reader.idle) throw imapError('IMAP-TLS', [this.context.host, String(this.context.port), 'data after the STARTTLS answer']);
    const plain = this.socket;
    plain.removeAllListeners('data');
    plain.removeAllListeners('close');
    plain.removeAllListeners('error');
    plain.removeAllListeners('timeout');
    this.socket = await upgrade(plain, this.options, this.context);
    this.attach(this.socket);
    this.capabilities.clear();
    await this.expectOk(await this.command('CAPABILITY'), 'CAPABILITY');
  }

  private async login(): Promise<void> {
    const auth = this.options.auth;
    if (!auth) throw new LeanUnsupported('no credentials');
    const mechanism = loginMechanism(auth, this.capabilities);
    if (mechanism instanceof LeanUnsupported) throw mechanism;
    let status: WireStatus;
    if (mechanism === 'xoauth2') {
      const sasl = Buffer.from(`user=${auth.user}\x01auth=Bearer ${auth.accessToken ?? ''}\x01\x01`).toString('base64');
      // A refusal comes as a continuation with the provider's JSON; the empty answer ends the exchange.
      status = await this.command(`AUTHENTICATE XOAUTH2 ${sasl}`, () => this.write(''));
    } else if (mechanism === 'plain') {
      const sasl = Buffer.from([auth.authzid ?? '', auth.user, auth.pass ?? ''].join('\0')).toString('base64');
      status = this.capabilities.has('SASL-IR') ? await this.command(`AUTHENTICATE PLAIN ${sasl}`, () => this.write('')) : await this.command('AUTHENTICATE PLAIN', () => this.write(sasl));
    } else {
      status = await this.commandWith(['LOGIN ', stringArg(auth.user), ' ', stringArg(auth.pass ?? '')]);
    }
    if (status.status !== 'OK') {
      throw toConnectorError(Object.assign(new Error(status.text), { responseStatus: status.status, serverResponseCode: status.code?.split(' ')[0], responseText: status.text, authenticationFailed: true }), { ...this.context, command: 'login' });
    }
    this.takeCapabilities(status.code);
  }

  /** Capabilities from a `[CAPABILITY ...]` response code; false when the code is not one. */
  private takeCapabilities(code: string | undefined): boolean {
    if (!code || !/^CAPABILITY /i.test(code)) return false;
    this.capabilities.clear();
    for (const c of code.split(' ').slice(1)) this.capabilities.add(c.toUpperCase());
    return true;
  }

  /** Sends a command; resolves with its tagged status (OK, NO or BAD). */
  command(line: string, onContinuation?: (text: string) => void): Promise<WireStatus> {
    return this.commandWith([line], onContinuation);
  }

  /** A command with literal arguments (Buffers): sent as `{n}` after the server's go-ahead, `{n+}` with LITERAL+. */
  private commandWith(parts: (string | Buffer)[], onContinuation?: (text: string) => void): Promise<WireStatus> {
    if (this.ended !== undefined) return Promise.reject(this.ended());
    const tag = `L${this.nextTag++}`;
    const name = typeof parts[0] === 'string' ? parts[0].split(' ')[0] : 'a command';
    return new Promise<WireStatus>((resolve, reject) => {
      const pending: Pending = { command: name, resolve, reject, ...(onContinuation ? { onContinuation } : {}) };
      this.pending.set(tag, pending);
      const plus = this.capabilities.has('LITERAL+');
      let text = `${tag} `;
      const rest = [...parts];
      const sendUpTo = (): void => {
        while (rest.length > 0) {
          const part = rest.shift()!;
          if (typeof part === 'string') {
            text += part;
            continue;
          }
          if (plus) {
            this.socket.write(`${text}{${part.length}+}\r\n`);
            this.socket.write(part);
            text = '';
            continue;
          }
          this.socket.write(`${text}{${part.length}}\r\n`);
          text = '';
          pending.onContinuation = () => {
            this.socket.write(part);
            sendUpTo();
          };
          return;
        }
        this.socket.write(`${text}\r\n`);
      };
      sendUpTo();
    });
  }

  private write(line: string): void {
    this.socket.write(`${line}\r\n`);
  }

  /** Throws the catalog error for a refused command (as imapflow's refusals map). */
  async expectOk(status: WireStatus, command: string): Promise<void> {
    if (status.status === 'OK') return;
    throw this.refusal(status, command);
  }

  /** The ConnectorError for a NO or BAD answer to `command`. */
  refusal(status: WireStatus, command: string, extra: Partial<ImapErrorContext> = {}): unknown {
    return toConnectorError(Object.assign(new Error(status.text), { responseStatus: status.status, serverResponseCode: status.code?.split(' ')[0], responseText: status.text }), { ...this.context, ...extra, command });
  }

  private dispatch(raw: RawResponse): void {
    const response = parseResponse(raw);
    if (this.greeting) {
      const g = this.greeting;
      this.greeting = undefined;
      return g.resolve(response);
    }
    if (response.kind === 'continuation') {
      // Continuations answer the one command that waits for one (commands with literals are not pipelined).
      for (const p of this.pending.values()) {
        if (p.onContinuation) {
          const go = p.onContinuation;
          if (p.command !== 'AUTHENTICATE') delete p.onContinuation;
          return go(response.text);
        }
      }
      return;
    }
    if (response.kind === 'data') {
      if (response.name === 'CAPABILITY') {
        this.capabilities.clear();
        for (const c of response.values) if (typeof c === 'string') this.capabilities.add(c.toUpperCase());
      }
      return this.onData(response);
    }
    if (response.tag === '*') {
      if (response.status === 'BYE') this.byeReason = response.text || 'the server said BYE';
      else this.onStatus({ status: response.status, ...(response.code !== undefined ? { code: response.code } : {}), text: response.text });
      return;
    }
    const pending = this.pending.get(response.tag);
    if (!pending) return;
    this.pending.delete(response.tag);
    pending.resolve({ status: response.status, ...(response.code !== undefined ? { code: response.code } : {}), text: response.text });
  }

  /** Where the next read of a connection without TLS lands (PlainReads). */
  readTarget(): Buffer {
    return this.reader.readTarget();
  }

  /** A chunk read by the socket itself (TLS, STARTTLS), or bytes kept before the connection existed. */
  received(chunk: Buffer): void {
    this.input(() => this.reader.push(chunk));
  }

  /** `n` bytes read into `buf`, the Buffer readTarget() gave (PlainReads). */
  receivedInto(n: number, buf: Buffer): void {
    this.input(() => this.reader.received(n, buf));
  }

  private input(read: () => void): void {
    try {
      read();
      // After BYE the session is over, whether or not the server closes the socket (a server
      // draining its clients may keep it open): what this chunk completed stands, the rest fails.
      const bye = this.byeReason;
      if (bye !== undefined) this.end(() => imapError('IMAP-DISCONNECT', [this.context.host, bye]));
    } catch (error) {
      this.end(() => (error instanceof Error && error.name === 'ImapProtocolError' ? imapError('IMAP-DISCONNECT', [this.context.host, `unreadable answer: ${error.message.slice(0, 200)}`]) : error));
    }
  }

  private attach(socket: net.Socket): void {
    // A socket with `onread` (PlainReads) emits no 'data'.
    socket.on('data', (chunk: Buffer) => this.received(chunk));
    socket.on('error', (error) => {
      const command = this.current();
      this.end(() => toConnectorError(error, { ...this.context, command }));
    });
    socket.on('close', () => {
      const reason = this.byeReason ?? `the connection closed during ${this.current()}`;
      this.end(() => imapError('IMAP-DISCONNECT', [this.context.host, reason]));
    });
    socket.setTimeout(this.options.socketTimeout ?? 120_000);
    socket.on('timeout', () => this.end(() => imapError('IMAP-TIMEOUT', [this.context.host, String(this.context.port), 'ETIMEOUT'])));
  }

  private current(): string {
    const first = this.pending.values().next();
    return first.done ? 'a command' : first.value.command;
  }

  /**
   * The connection is over: every command in flight, and every later one, gets the error `why`
   * makes, made once and only when one does (a catalog message loads the catalog: a LOGOUT that
   * went well rejects nothing).
   */
  private end(why: () => unknown): void {
    if (this.ended !== undefined) return;
    let error: { made: unknown } | undefined;
    this.ended = () => (error ??= { made: why() }).made;
    this.socket.destroy();
    const pending = [...this.pending.values()];
    if (!this.greeting && !pending.length) return;
    const made = this.ended();
    this.greeting?.reject(made);
    this.greeting = undefined;
    this.pending.clear();
    for (const p of pending) p.reject(made);
  }

  private async bounded<T>(work: Promise<T>, ms: number, code: string): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(imapError('IMAP-TIMEOUT', [this.context.host, String(this.context.port), code])), ms);
    });
    try {
      return await Promise.race([work, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** LOGOUT, waited for a few seconds at most; then the socket is closed whatever the server says. */
  async close(): Promise<void> {
    if (this.ended !== undefined) return;
    const logout = this.command('LOGOUT').catch(() => undefined);
    await this.bounded(logout, 5_000, 'LOGOUT').catch(() => undefined);
    this.destroy();
  }

  destroy(): void {
    this.end(() => imapError('IMAP-DISCONNECT', [this.context.host, 'closed by Ferry']));
  }
}

const serverName = (host: string) => (net.isIP(host) ? undefined : host);

/**
 * The reads of a connection without TLS (net.Socket `onread`): into the Buffer the connection's
 * reader names, so a large body is read straight into its own Buffer. Bytes that arrive before the
 * connection exists are kept (copied) and handed to it first.
 */
class PlainReads {
  private wire: WireConnection | undefined;
  private early: Buffer[] = [];
  private readonly spare = Buffer.allocUnsafe(READ_BUFFER);

  target(): Buffer {
    return this.wire ? this.wire.readTarget() : this.spare;
  }

  received(n: number, buf: Buffer): void {
    if (this.wire) this.wire.receivedInto(n, buf);
    else this.early.push(Buffer.from(buf.subarray(0, n)));
  }

  deliverTo(wire: WireConnection): void {
    this.wire = wire;
    for (const chunk of this.early.splice(0)) wire.received(chunk);
  }
}

function connectSocket(options: ImapFlowOptions, context: ImapErrorContext, reads?: PlainReads): Promise<net.Socket> {
  const host = options.host ?? context.host;
  const port = options.port ?? context.port;
  return new Promise<net.Socket>((resolve, reject) => {
    const socket = options.secure
      ? tlsModule().connect({ host, port, ...(serverName(host) ? { servername: serverName(host) } : {}), ...(options.tls ?? {}) })
      : net.connect({ host, port, ...(reads ? { onread: { buffer: () => reads.target(), callback: (n: number, buf: Uint8Array) => (reads.received(n, buf as Buffer), true) } } : {}) });
    const timer = setTimeout(() => fail(Object.assign(new Error('connection timed out'), { code: 'CONNECT_TIMEOUT' })), options.connectionTimeout ?? 30_000);
    const fail = (error: unknown) => {
      clearTimeout(timer);
      socket.destroy();
      reject(toConnectorError(error, { ...context, command: 'login' }));
    };
    socket.once('error', fail);
    socket.once(options.secure ? 'secureConnect' : 'connect', () => {
      clearTimeout(timer);
      socket.removeListener('error', fail);
      socket.setNoDelay(true);
      socket.setKeepAlive(true, 5_000);
      resolve(socket);
    });
  });
}

function upgrade(plain: net.Socket, options: ImapFlowOptions, context: ImapErrorContext): Promise<net.Socket> {
  const host = options.host ?? context.host;
  return new Promise<net.Socket>((resolve, reject) => {
    const socket = tlsModule().connect({ socket: plain, host, ...(serverName(host) ? { servername: serverName(host) } : {}), ...(options.tls ?? {}) });
    const fail = (error: unknown) => {
      socket.destroy();
      reject(toConnectorError(error, { ...context, command: 'STARTTLS' }));
    };
    socket.once('error', fail);
    socket.once('secureConnect', () => {
      socket.removeListener('error', fail);
      resolve(socket);
    });
  });
}
