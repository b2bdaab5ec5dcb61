// How Ferry's EWS requests reach Exchange: ews-javascript-api builds and parses the SOAP, this
// transport (its IXHRApi) sends it. It keeps a pool of at most `maxConnections` keep-alive
// connections to the server, each with its own authentication state, because NTLM authenticates a
// connection, not a request: the Type 1 / Type 2 / Type 3 handshake runs once on each new
// connection and later requests on it need no header. The authentication belongs to the socket:
// when the server closes an idle keep-alive connection (IIS does after 120 s) the agent opens a new
// one, which is authenticated again (and a request the server answers 401 on a connection thought
// authenticated is sent again after a new handshake, once). Over HTTPS the AUTHENTICATE message
// carries the channel binding of the server's certificate (Extended Protection, see
// channelBinding.ts). Basic and bearer tokens go on every request.
// Every non-200 answer is read here (SOAP fault ResponseCode, BackOffMilliseconds, HTTP status)
// and left in the caller's async context for EwsSession.call to turn into a catalog code.
import { AsyncLocalStorage } from 'node:async_hooks';
import * as http from 'node:http';
import * as https from 'node:https';
import type { Socket } from 'node:net';
import { TLSSocket } from 'node:tls';
import { channelBindingsHash, tlsServerEndPoint, withChannelBindings } from './channelBinding';
import { failureOfResponse, type EwsFailure } from './ewsErrors';
import type { EwsCredential } from './ewsSettings';

/** The part of ews-javascript-api's IXHROptions the library fills in. */
export interface XhrOptions {
  type?: string;
  url: string;
  headers?: Record<string, string>;
  data?: string;
}

/** The part of an XMLHttpRequest ews-javascript-api reads from an answer. */
export interface XhrResponse {
  status: number;
  statusText: string;
  responseText: string;
  response?: string;
  headers: Record<string, string>;
  getResponseHeader(name: string): string | null;
  getAllResponseHeaders(): string;
}

/** Per-call context: the failure the transport saw, for EwsSession.call (one call may send several requests). */
export interface CallScope {
  failure?: EwsFailure;
}

export const callScope = new AsyncLocalStorage<CallScope>();

interface Connection {
  /** Made on first use, for the URL's protocol; holds at most one socket. */
  agent?: http.Agent;
  /** The socket the last request went out on. */
  socket?: Socket;
  /** The socket NTLM authenticated; a new socket (the old one closed) needs a new handshake. */
  authenticated?: Socket;
  busy: boolean;
}

const authenticatedNow = (c: Connection) => c.authenticated !== undefined && !c.authenticated.destroyed;

const requestTimeoutMs = 300_000;

export class EwsTransport {
  readonly apiName = 'ferry';
  private readonly pool: Connection[] = [];
  private readonly waiting: ((c: Connection) => void)[] = [];
  private closed = false;

  constructor(
    private readonly credential: EwsCredential,
    private readonly options: {
      maxConnections: number;
      allowInvalidCertificates: boolean;
      headers?: Record<string, string>;
      /** A slot of the account's budget shared with other processes, held for each request. */
      gate?: () => Promise<() => void>;
    },
  ) {}

  /** IXHRApi: one SOAP request; resolves for 200, rejects with the answer otherwise (as the library expects). */
  async xhr(options: XhrOptions): Promise<XhrResponse> {
    const leave = await this.options.gate?.();
    const connection = await this.acquire().catch((err: unknown) => {
      leave?.();
      throw err;
    });
    try {
      const answer = await this.send(connection, options);
      if (answer.status === 200) return answer;
      const scope = callScope.getStore();
      const failure = failureOfResponse(answer.status, answer.responseText);
      if (scope && failure) scope.failure = failure;
      if (answer.status === 401) connection.authenticated = undefined;
      throw answer;
    } finally {
      this.release(connection);
      leave?.();
    }
  }

  xhrStream(): Promise<XhrResponse> {
    return Promise.reject(new Error('EWS streaming notifications are not used by Ferry'));
  }

  disconnect(): void {
    this.closed = true;
    for (const c of this.pool) c.agent?.destroy();
    this.pool.length = 0;
  }

  private async send(connection: Connection, options: XhrOptions): Promise<XhrResponse> {
    const headers: Record<string, string> = { ...options.headers, ...this.options.headers };
    // ews-javascript-api's WebCredentials always add Basic; NTLM never sends the password itself.
    for (const key of Object.keys(headers)) if (key.toLowerCase() === 'authorization') delete headers[key];
    if (this.credential.scheme === 'basic') headers.Authorization = `Basic ${Buffer.from(`${this.credential.username}:${this.credential.secret}`).toString('base64')}`;
    if (this.credential.scheme === 'oauth') headers.Authorization = `Bearer ${this.credential.secret}`;
    if (this.credential.scheme === 'ntlm') {
      if (authenticatedNow(connection)) {
        const answer = await this.request(connection, options, headers);
        if (answer.status !== 401) return answer;
        // The server no longer knows this connection (closed and replaced meanwhile): authenticate again.
        connection.authenticated = undefined;
      }
      const answer = await this.handshake(connection, options, headers);
      if (answer) return answer;
    }
    return this.request(connection, options, headers);
  }

  /** The NTLM handshake on this connection; returns the final answer when the server refused it. */
  private async handshake(connection: Connection, options: XhrOptions, headers: Record<string, string>): Promise<XhrResponse | undefined> {
    // A CommonJS module whose exports Node's ESM interop cannot list: take them from `default`.
    const loaded = await import('@ewsjs/ntlm-client');
    const ntlm = (loaded as unknown as { default?: typeof loaded }).default ?? loaded;
    const [domain, user] = this.credential.username.includes('\\') ? this.credential.username.split('\\', 2) : ['', this.credential.username];
    const challenge = await this.request(connection, { ...options, data: '' }, { ...headers, Authorization: ntlm.createType1Message('FERRY', domain.toUpperCase()) });
    const offer = [challenge.headers['www-authenticate'] ?? ''].flat().join(',');
    const type2 = /NTLM\s+([A-Za-z0-9+/=]+)/.exec(offer)?.[0];
    if (challenge.status !== 401 || !type2) return challenge.status === 200 ? undefined : challenge;
    const challenged = connection.socket;
    const decoded = ntlm.decodeType2Message(type2);
    // Over TLS: the binding of the certificate this connection sees, inside the NTLMv2 blob the proof covers.
    const certificate = challenged instanceof TLSSocket ? challenged.getPeerX509Certificate() : undefined;
    if (certificate && decoded.targetInfo.buffer) decoded.targetInfo.buffer = withChannelBindings(decoded.targetInfo.buffer, channelBindingsHash(tlsServerEndPoint(certificate.raw)));
    const answer = await this.request(connection, options, { ...headers, Authorization: ntlm.createType3Message(decoded, user, this.credential.secret, 'FERRY', domain.toUpperCase()) });
    if (answer.status !== 401 && connection.socket === challenged) connection.authenticated = challenged;
    return answer;
  }

  private request(connection: Connection, options: XhrOptions, headers: Record<string, string>): Promise<XhrResponse> {
    const url = new URL(options.url);
    const body = Buffer.from(options.data ?? '', 'utf8');
    const secure = url.protocol === 'https:';
    const lib = secure ? https : http;
    connection.agent ??= secure ? new https.Agent({ keepAlive: true, maxSockets: 1, rejectUnauthorized: !this.options.allowInvalidCertificates }) : new http.Agent({ keepAlive: true, maxSockets: 1 });
    return new Promise((resolve, reject) => {
      const req = lib.request(
        url,
        {
          method: options.type ?? 'POST',
          agent: connection.agent,
          headers: { ...headers, 'Content-Length': String(body.length), Connection: 'keep-alive' },
          timeout: requestTimeoutMs,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => resolve(xhrResponse(res, Buffer.concat(chunks).toString('utf8'))));
        },
      );
      req.on('socket', (socket: Socket) => {
        connection.socket = socket;
      });
      req.on('timeout', () => req.destroy(Object.assign(new Error(`no answer from ${url.host} within ${requestTimeoutMs / 1000} s`), { code: 'ETIMEDOUT' })));
      req.on('error', (err: NodeJS.ErrnoException) => {
        connection.authenticated = undefined;
        const scope = callScope.getStore();
        if (scope) scope.failure = { responseCode: err.code ?? 'ECONNRESET', message: err.message };
        reject(err);
      });
      req.end(body);
    });
  }

  private acquire(): Promise<Connection> {
    if (this.closed) return Promise.reject(new Error('the EWS session is closed'));
    const idle = this.pool.find((c) => !c.busy);
    if (idle) {
      idle.busy = true;
      return Promise.resolve(idle);
    }
    if (this.pool.length < this.options.maxConnections) {
      const connection: Connection = { busy: true };
      this.pool.push(connection);
      return Promise.resolve(connection);
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(connection: Connection): void {
    const next = this.waiting.shift();
    if (next) next(connection);
    else connection.busy = false;
  }
}

function xhrResponse(res: http.IncomingMessage, text: string): XhrResponse {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
  return {
    status: res.statusCode ?? 0,
    statusText: res.statusMessage ?? '',
    responseText: text,
    response: text,
    headers,
    getResponseHeader: (name) => headers[name.toLowerCase()] ?? null,
    getAllResponseHeaders: () => Object.entries(headers).map(([k, v]) => `${k}: ${v}`).join('\r\n'),
  };
}
