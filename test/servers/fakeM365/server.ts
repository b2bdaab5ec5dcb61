// The fake Microsoft 365: one HTTPS origin on 127.0.0.1 serving the identity platform
// (`/<tenant>/...`) and Graph (`/v1.0/...`) the way Microsoft lays them out, plus `/_fake/...`
// control endpoints for faults. Node's https and crypto only.
import * as fs from 'node:fs';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { makeServerCertificates } from './certs';
import { FakeData } from './data';
import { Faults } from './faults';
import { Graph } from './graph';
import { handleUpload, isUploadUrl } from './graphAttachments';
import { graphError, json, jsonOf, type FakeRequest, type FakeResponse } from './http';
import { Identity } from './identity';
import { Throttle, microsoftLimits, type ThrottleLimits } from './throttle';
import { TokenIssuer } from './tokens';

export interface FakeM365Options {
  /** Folder of directory.json and the mailboxes; a fresh temp folder when omitted. */
  dataDir?: string;
  /** 0 (a free port) unless told. */
  port?: number;
  limits?: Partial<ThrottleLimits>;
  tokenLifetimeSeconds?: number;
  /** Largest Graph request body (Graph: 4 MB for a message). */
  maxRequestBytes?: number;
  /** Time each mailbox request takes in ms (0). */
  latencyMs?: number;
}

export interface FakeM365 {
  /** e.g. https://127.0.0.1:43121 */
  url: string;
  port: number;
  caPath: string;
  caPem: string;
  data: FakeData;
  identity: Identity;
  tokens: TokenIssuer;
  throttle: Throttle;
  faults: Faults;
  graph: Graph;
  close(): Promise<void>;
}

export function readRequest(req: import('node:http').IncomingMessage): Promise<FakeRequest> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('error', reject);
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'https://127.0.0.1');
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]));
      resolve({ method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers, body: Buffer.concat(chunks) });
    });
  });
}

export function send(res: import('node:http').ServerResponse, out: FakeResponse): void {
  const body = out.body === undefined ? undefined : Buffer.isBuffer(out.body) ? out.body : Buffer.from(typeof out.body === 'string' ? out.body : JSON.stringify(out.body), 'utf8');
  res.writeHead(out.status, { ...(out.headers ?? {}), ...(body ? { 'content-length': String(body.length) } : {}) });
  res.end(body);
}

export async function startFakeM365(options: FakeM365Options = {}): Promise<FakeM365> {
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-fake-m365-'));
  const certs = await makeServerCertificates(path.join(dataDir, 'tls'));
  const data = new FakeData(dataDir);
  const tokens = new TokenIssuer(options.tokenLifetimeSeconds);
  const throttle = new Throttle({ ...microsoftLimits, ...options.limits });
  const faults = new Faults();
  let origin = '';
  const identity = new Identity(data, tokens, () => origin);
  const graph = new Graph({ data, tokens, throttle, faults, origin: () => origin, maxRequestBytes: options.maxRequestBytes ?? 4 * 1024 * 1024 });
  graph.latencyMs = options.latencyMs ?? 0;

  const control = (req: FakeRequest): FakeResponse => {
    const body = jsonOf(req) ?? {};
    if (req.path === '/_fake/faults' && req.method === 'POST') {
      const status = body.status === 429 || body.status === 404 || body.status === 507 ? body.status : 503;
      const retryAfter = typeof body.retryAfter === 'number' ? body.retryAfter : 1;
      const match = body.match as { method?: unknown; path?: unknown; body?: unknown } | undefined;
      if (typeof body.failNext === 'number' && match) faults.failMatching({ ...(typeof match.method === 'string' ? { method: match.method } : {}), ...(typeof match.path === 'string' ? { path: new RegExp(match.path) } : {}), ...(typeof match.body === 'string' ? { body: new RegExp(match.body) } : {}) }, body.failNext, status, retryAfter);
      else if (typeof body.failNext === 'number') faults.failNext(body.failNext, status, retryAfter);
      if (body.expireTokens === true) tokens.revokeAll();
      return json(200, { ok: true });
    }
    if (req.path === '/_fake/devicelogin' && req.method === 'POST') return json(identity.approveDeviceCode(String(body.user_code ?? ''), String(body.user ?? '')) ? 200 : 404, {});
    if (req.path === '/_fake/stats') return json(200, { graphRequests: graph.requests, tokensIssued: tokens.issued, refusals: throttle.refusals, faultsServed: faults.served });
    return graphError(404, 'NotFound', 'No such control endpoint.');
  };

  const server = https.createServer({ key: certs.key, cert: certs.cert }, (req, res) => {
    void (async () => {
      const request = await readRequest(req);
      let out: FakeResponse;
      if (request.path.startsWith('/v1.0/') || request.path.startsWith('/beta/')) out = await graph.handle(request);
      else if (isUploadUrl(request.path)) {
        out = handleUpload(data, request);
        // A range stored whose answer never reaches the client (a connection lost on the way back).
        if (faults.takeCut(request)) return void res.destroy();
      }
      else if (request.path.startsWith('/_fake/')) out = control(request);
      else out = identity.handle(request) ?? graphError(404, 'NotFound', `Nothing at ${request.path}.`);
      if (out.cut) return void res.destroy();
      send(res, out);
    })().catch((err: unknown) => send(res, graphError(500, 'InternalServerError', err instanceof Error ? err.message : String(err))));
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  origin = `https://127.0.0.1:${port}`;
  return {
    url: origin,
    port,
    caPath: certs.caPath,
    caPem: certs.caPem,
    data,
    identity,
    tokens,
    throttle,
    faults,
    graph,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
