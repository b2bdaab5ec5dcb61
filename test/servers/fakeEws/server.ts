// The fake on-premises Exchange (2016 CU) for Ferry's EWS connector: EWS SOAP at
// /EWS/Exchange.asmx, autodiscover SOAP and POX, Exchange-style authentication, throttling and
// injected faults, plus /__fake/... admin endpoints. 127.0.0.1 over HTTP, or HTTPS with a test CA
// (config.https) and Extended Protection for NTLM (config.extendedProtection). Idle keep-alive
// connections are closed after config.keepAliveTimeoutMs, as IIS does.
import * as fs from 'node:fs';
import { X509Certificate } from 'node:crypto';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { makeServerCertificates } from '../fakeM365/certs';
import { authenticate, type ChannelBindingPolicy } from './auth';
import { getUserSettings, poxAutodiscover } from './autodiscover';
import { EwsStore, type FakeEwsUser, type FaultRule } from './data';
import { decodeId } from './ids';
import { expectedChannelBindings } from './ntlm';
import { canAccess, OPERATIONS, referencedMailbox, VERSIONS, type OpContext } from './ews';
import { envelope, errorMessage, EwsFault, faultEnvelope, MESSAGES, opResponse, ResponseError, serverBusy } from './soap';
import { Faults, Throttle, type FakeEwsStats } from './throttle';
import { requestSchemaError } from './xsd';
import { attr, child, children, NS, parseXml, path as xpath, text, XmlParseError, type XElement } from './xml';

export interface FakeEwsOptions {
  /** Folder made by createFakeEwsData (a fresh empty one when omitted). */
  dataDir?: string;
  /** 0 (a free port) unless told. */
  port?: number;
  /** Fixed clock for deterministic output (golden files). */
  now?: () => Date;
  /** Sees every EWS SOAP answer (success, error response message or fault) as sent, for schema checks. */
  onEwsResponse?: (answer: { operation: string; status: number; body: string }) => void;
  /**
   * Requests of these operations are validated against Microsoft's schemas (messages.xsd and
   * types.xsd in `xsdDir`, see xsd.ts) before they run, as Exchange does: an invalid one gets the
   * ErrorSchemaValidation fault. `fake.requestChecks()` counts them.
   */
  requestSchemas?: { xsdDir: string; operations: readonly string[] };
}

export interface FakeEws {
  /** http://127.0.0.1:<port> (https:// with config.https) */
  url: string;
  /** With config.https: the test CA clients must trust (PEM, and its file). */
  caPem?: string;
  caPath?: string;
  /** Connections accepted, and those the server closed after keepAliveTimeoutMs idle. */
  connections(): { opened: number; closedIdle: number };
  /** <url>/EWS/Exchange.asmx */
  ewsUrl: string;
  port: number;
  store: EwsStore;
  stats(): FakeEwsStats;
  resetStats(): void;
  setFaults(rules: FaultRule[], append?: boolean): void;
  /** The injected faults with the hits each has left (0: spent). */
  faults(): FaultRule[];
  /** Changes an item's read state as another client would (SyncFolderItems then reports ReadFlagChange). */
  setRead(itemId: string, read: boolean): void;
  /** Requests validated against the schemas (options.requestSchemas), and why those refused were. */
  requestChecks(): { validated: number; refused: string[] };
  close(): Promise<void>;
}

const XML_TYPE = 'text/xml; charset=utf-8';

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: http.ServerResponse, status: number, body: string | Buffer, headers: Record<string, string | string[]> = {}): void {
  const buf = Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
  res.writeHead(status, { 'cache-control': 'private', server: 'Microsoft-IIS/10.0', 'x-powered-by': 'ASP.NET', ...headers, 'content-length': String(buf.length) });
  res.end(buf);
}

export async function startFakeEws(options: FakeEwsOptions = {}): Promise<FakeEws> {
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-fake-ews-'));
  const store = new EwsStore(dataDir);
  const throttle = new Throttle(store.config.throttling, store.config.mailboxThrottling ?? store.config.throttling);
  const faults = new Faults(store.config.faults);
  const now = options.now ?? (() => new Date());
  let ewsUrl = '';
  const checks = { validated: 0, refused: [] as string[] };

  /** An EWS request is in flight for its account's concurrency from its arrival (its body may still be coming) until answered. */
  async function handleEws(req: http.IncomingMessage, res: http.ServerResponse, user: FakeEwsUser): Promise<void> {
    const leave = throttle.arrive(user.address);
    try {
      const latency = store.config.latencyMs ?? 0;
      if (latency > 0) await new Promise((r) => setTimeout(r, latency));
      await answerEws(req, res, user);
    } finally {
      leave();
    }
  }

  async function answerEws(req: http.IncomingMessage, res: http.ServerResponse, user: FakeEwsUser): Promise<void> {
    let opName = '';
    const reply = (status: number, body: string) => {
      options.onEwsResponse?.({ operation: opName, status, body });
      send(res, status, body, { 'content-type': XML_TYPE });
    };
    const replyFault = (f: EwsFault) => reply(f.httpStatus, faultEnvelope(f));
    const raw = (await readBody(req)).toString('utf8');
    let root: XElement;
    try {
      root = parseXml(raw);
    } catch (e) {
      const m = e instanceof XmlParseError ? e.message : String(e);
      return replyFault(new EwsFault('ErrorSchemaValidation', `The request failed schema validation: ${m.split('\n')[0]}`, 500, undefined, 'a:ErrorSchemaValidation'));
    }
    if (root.namespaceURI !== NS.soap || root.localName !== 'Envelope') return replyFault(new EwsFault('ErrorSchemaValidation', 'The request failed schema validation: the root element is not a SOAP 1.1 Envelope.'));
    const header = child(root, NS.soap, 'Header');
    const body = children(child(root, NS.soap, 'Body'))[0];
    if (!body) return replyFault(new EwsFault('ErrorSchemaValidation', 'The request failed schema validation: the SOAP Body is empty.'));
    opName = body.localName ?? '';
    const op = body.namespaceURI === NS.m ? OPERATIONS[opName] : undefined;
    if (!op) return replyFault(new EwsFault('ErrorInvalidRequest', `The request is invalid: ${opName} is not an operation this server supports.`));
    if (options.requestSchemas?.operations.includes(opName)) {
      const problem = requestSchemaError(options.requestSchemas.xsdDir, raw);
      checks.validated++;
      if (problem) {
        checks.refused.push(`${opName}: ${problem}`);
        return replyFault(new EwsFault('ErrorSchemaValidation', `The request failed schema validation: ${problem}`));
      }
    }
    const version = attr(child(header, NS.t, 'RequestServerVersion'), 'Version') ?? 'Exchange2007';
    if (!VERSIONS.includes(version)) return replyFault(new EwsFault('ErrorInvalidServerVersion', MESSAGES.ErrorInvalidServerVersion));
    const newest = store.config.serverVersion;
    if (newest && VERSIONS.indexOf(version) > VERSIONS.indexOf(newest)) return replyFault(new EwsFault('ErrorInvalidServerVersion', MESSAGES.ErrorInvalidServerVersion));
    if (VERSIONS.indexOf(version) < VERSIONS.indexOf(op.minVersion)) {
      return replyFault(new EwsFault('ErrorSchemaValidation', `The request failed schema validation: The element '${opName}' in namespace '${NS.m}' is not valid for the requested server version ${version}.`));
    }
    if (user.ewsEnabled === false) return replyFault(new EwsFault('ErrorAccessDenied', MESSAGES.ErrorAccessDenied));

    // Impersonation
    let acting = user;
    let impersonating = false;
    const sid = xpath(header, [NS.t, 'ExchangeImpersonation'], [NS.t, 'ConnectingSID']);
    if (sid) {
      if (!(user.roles ?? []).includes('ApplicationImpersonation')) return replyFault(new EwsFault('ErrorImpersonateUserDenied', MESSAGES.ErrorImpersonateUserDenied));
      const idEl = children(sid)[0];
      const value = (text(idEl) ?? '').trim();
      const kind = idEl?.localName ?? '';
      const target = kind === 'PrincipalName'
        ? store.config.users.find((u) => (u.upn ?? u.address).toLowerCase() === value.toLowerCase())
        : kind === 'PrimarySmtpAddress' || kind === 'SmtpAddress' ? store.user(value) : undefined;
      if (!target || target.hasMailbox === false) {
        return replyFault(kind === 'PrimarySmtpAddress' || kind === 'SmtpAddress'
          ? new EwsFault('ErrorNonExistentMailbox', MESSAGES.ErrorNonExistentMailbox)
          : new EwsFault('ErrorImpersonationFailed', MESSAGES.ErrorImpersonationFailed));
      }
      acting = target;
      impersonating = true;
    }
    const mailbox = acting.address.toLowerCase();
    const referenced = referencedMailbox(body) ?? mailbox;

    // X-AnchorMailbox must name a mailbox and agree with the request.
    const anchor = (req.headers['x-anchormailbox'] as string | undefined)?.trim().toLowerCase();
    if (anchor) {
      const a = store.user(anchor);
      if (!a || a.hasMailbox === false) return replyFault(new EwsFault('ErrorNonExistentMailbox', MESSAGES.ErrorNonExistentMailbox));
      if (impersonating && anchor !== mailbox) {
        return replyFault(new EwsFault('ErrorImpersonationFailed', `The X-AnchorMailbox header (${anchor}) does not name the impersonated mailbox (${mailbox}).`));
      }
      // A delegate may anchor on its own mailbox or on any mailbox it holds FullAccess on.
      if (!impersonating && anchor !== mailbox && !(user.fullAccess ?? []).some((m) => m.toLowerCase() === anchor)) {
        return replyFault(new EwsFault('ErrorAccessDenied', `${MESSAGES.ErrorAccessDenied} (X-AnchorMailbox ${anchor})`));
      }
    }

    // Throttling: per account and per target mailbox.
    const admitted = throttle.admit(user.address, referenced, opName);
    if (!admitted.ok) return replyFault(serverBusy(admitted.backOffMs));
    try {
      const fault = faults.take(['serverBusy', 'http503', 'reset', 'malformed', 'mailboxMoveInProgress', 'internalServerError'], referenced, opName);
      if (fault) {
        switch (fault.kind) {
          case 'serverBusy': return replyFault(serverBusy(fault.backOffMs ?? 2000));
          case 'http503': return send(res, 503, '<html><body><h1>Service Unavailable</h1></body></html>', { 'content-type': 'text/html' });
          case 'reset': req.socket.destroy(); return;
          case 'malformed': return send(res, 200, envelope(opResponse(opName, [])).slice(0, 200), { 'content-type': XML_TYPE }); // not SOAP: not tapped
          case 'mailboxMoveInProgress': return reply(200, envelope(opResponse(opName, [errorMessage(opName, 'ErrorMailboxMoveInProgress', MESSAGES.ErrorMailboxMoveInProgress)])));
          case 'internalServerError': return replyFault(new EwsFault('ErrorInternalServerError', MESSAGES.ErrorInternalServerError));
          default: break;
        }
      }
      const ctx: OpContext = {
        store, principal: user, acting, mailbox, impersonating, now,
        beforeWrite: (mb, bytes) => {
          if (!faults.write(mb, opName, bytes)) throw new ResponseError('ErrorQuotaExceeded', MESSAGES.ErrorQuotaExceeded);
        },
        itemFault: (mb) => !!faults.take(['itemNotFound'], mb, opName),
      };
      void canAccess;
      const out = op.run(ctx, body);
      reply(200, envelope(out));
    } catch (e) {
      if (e instanceof EwsFault) return replyFault(e);
      if (e instanceof ResponseError) return reply(200, envelope(opResponse(opName, [errorMessage(opName, e.code, e.message)])));
      return replyFault(new EwsFault('ErrorInternalServerError', `${MESSAGES.ErrorInternalServerError} ${e instanceof Error ? e.message : String(e)}`));
    }
  }

  async function handleAdmin(req: http.IncomingMessage, res: http.ServerResponse, p: string): Promise<void> {
    const body = await readBody(req);
    if (p === '/__fake/stats' && req.method === 'GET') return send(res, 200, JSON.stringify(throttle.stats), { 'content-type': 'application/json' });
    if (p === '/__fake/stats/reset' && req.method === 'POST') {
      throttle.reset();
      return send(res, 204, '');
    }
    if (p === '/__fake/faults' && req.method === 'GET') return send(res, 200, JSON.stringify({ faults: faults.list() }), { 'content-type': 'application/json' });
    if (p === '/__fake/faults' && req.method === 'POST') {
      try {
        const parsed = JSON.parse(body.toString('utf8') || '{}') as { faults?: FaultRule[]; append?: boolean };
        faults.set(parsed.faults ?? [], parsed.append ?? false);
        return send(res, 200, JSON.stringify({ faults: faults.list() }), { 'content-type': 'application/json' });
      } catch (e) {
        return send(res, 400, JSON.stringify({ error: String(e) }), { 'content-type': 'application/json' });
      }
    }
    return send(res, 404, '');
  }

  const certs = store.config.https ? await makeServerCertificates(path.join(dataDir, 'tls')) : undefined;
  const mode = store.config.extendedProtection ?? 'None';
  const binding: ChannelBindingPolicy | undefined = certs && mode !== 'None' ? { expected: expectedChannelBindings(new X509Certificate(certs.cert).raw), mode } : undefined;
  const handler: http.RequestListener = (req, res) => {
    const p = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const lower = p.toLowerCase();
    void (async () => {
      if (lower.startsWith('/__fake/')) return handleAdmin(req, res, lower);
      const isEws = lower === '/ews/exchange.asmx';
      const isSvc = lower === '/autodiscover/autodiscover.svc';
      const isPox = lower === '/autodiscover/autodiscover.xml';
      if (!isEws && !isSvc && !isPox) {
        await readBody(req);
        return send(res, 404, '<html><body><h2>404 - File or directory not found.</h2></body></html>', { 'content-type': 'text/html' });
      }
      const auth = authenticate(store, req, binding);
      if ('status' in auth) {
        await readBody(req);
        return send(res, 401, '', { 'www-authenticate': auth.headers });
      }
      if (req.method !== 'POST') {
        await readBody(req);
        if (isEws && req.method === 'GET') return send(res, 200, '<html><head><title>Exchange Web Services</title></head><body><p>You have created a service.</p></body></html>', { 'content-type': 'text/html; charset=utf-8' });
        return send(res, 405, '', { allow: 'POST' });
      }
      if (isEws) return handleEws(req, res, auth.user);
      const xml = (await readBody(req)).toString('utf8');
      const op = isSvc ? 'autodiscover:GetUserSettings' : 'autodiscover:POX';
      throttle.stats.operations[op] = (throttle.stats.operations[op] ?? 0) + 1;
      const [status, out] = isSvc ? getUserSettings(store, xml, ewsUrl) : poxAutodiscover(store, xml, ewsUrl);
      return send(res, status, out, { 'content-type': XML_TYPE });
    })().catch((e: unknown) => {
      if (!res.headersSent) send(res, 500, String(e));
      else res.destroy();
    });
  };
  const server = certs ? https.createServer({ key: certs.key, cert: certs.cert }, handler) : http.createServer(handler);
  // The server closes idle keep-alive connections itself, after keepAliveTimeoutMs without a
  // request (counted, so a test can wait for it), as IIS does after its connection timeout.
  server.keepAliveTimeout = 0;
  const keepAliveMs = store.config.keepAliveTimeoutMs ?? 120_000;
  const connections = { opened: 0, closedIdle: 0 };
  const idleTimers = new WeakMap<Socket, NodeJS.Timeout>();
  const idleFrom = (socket: Socket) => {
    clearTimeout(idleTimers.get(socket));
    idleTimers.set(socket, setTimeout(() => {
      connections.closedIdle++;
      socket.end();
    }, keepAliveMs).unref());
  };
  server.on(certs ? 'secureConnection' : 'connection', (socket: Socket) => {
    connections.opened++;
    idleFrom(socket);
    socket.on('close', () => clearTimeout(idleTimers.get(socket)));
  });
  server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    clearTimeout(idleTimers.get(req.socket));
    res.on('finish', () => idleFrom(req.socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `${certs ? 'https' : 'http'}://127.0.0.1:${port}`;
  ewsUrl = `${url}/EWS/Exchange.asmx`;
  return {
    url,
    ewsUrl,
    port,
    ...(certs ? { caPem: certs.caPem, caPath: certs.caPath } : {}),
    connections: () => ({ ...connections }),
    store,
    stats: () => JSON.parse(JSON.stringify(throttle.stats)) as FakeEwsStats,
    resetStats: () => throttle.reset(),
    setFaults: (rules, append) => faults.set(rules, append),
    faults: () => faults.list(),
    requestChecks: () => ({ validated: checks.validated, refused: [...checks.refused] }),
    setRead: (itemId, read) => {
      const id = decodeId(itemId);
      const item = id?.kind === 'item' ? store.itemsOf(id.mailbox).get(id.local) : undefined;
      if (!id || !item) throw new Error(`no item ${itemId}`);
      store.setRead(id.mailbox, item, read);
    },
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

export { createFakeEwsData } from './data';
export type { FakeEwsConfig, FakeEwsSeed, FakeEwsUser, FaultRule, SeedItem, SeedMailbox } from './data';
