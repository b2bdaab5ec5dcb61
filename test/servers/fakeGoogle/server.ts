// The fake Google: one HTTP origin on 127.0.0.1 serving Google's OAuth 2.0 token endpoint
// (`/token`) and the Gmail, Calendar, People and Admin SDK Directory API subsets at Google's
// paths (a client points its `rootUrl` here). Every API request goes through the same steps:
// the method from the discovery description, the bearer token and its scopes, the query
// parameters, the per-user quota, the handler, then a check of the JSON answer against the
// method's response schema and `fields=` applied. `admin` sets the domain and mailboxes up.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomInt } from 'node:crypto';
import { jsonOf, type FakeRequest, type FakeResponse } from '../fakeM365/http';
import { readRequest, send } from '../fakeM365/server';
import { AccessTokens, type Grant } from './accessTokens';
import { ApiError, type ApiContext, type Handler } from './apiContext';
import { FakeGoogleAdmin } from './admin';
import { parseParameters, routeOf, schemaProblems } from './discovery';
import { Domain } from './domain';
import { googleError } from './errors';
import { applyFields, parseFields } from './fields';
import { CalendarService } from './calendarApi';
import { DirectoryService } from './directoryApi';
import { GmailService } from './gmailApi';
import { PeopleService } from './people';
import { TokenEndpoint } from './oauth';
import { Quota, googleLimits, type QuotaLimits } from './quota';

export interface FakeGoogleOptions {
  /** 0 (a free port) unless told. */
  port?: number;
  /** The Workspace domain's name (example.test). */
  domain?: string;
  /** Seconds an access token lives (Google: 3599). */
  tokenLifetimeSeconds?: number;
  quota?: Partial<QuotaLimits>;
}

export interface FakeGoogle {
  /** e.g. http://127.0.0.1:43121 (a Google client's `rootUrl`). */
  url: string;
  /** The token endpoint, e.g. http://127.0.0.1:43121/token (a key file's `token_uri`). */
  tokenUrl: string;
  port: number;
  admin: FakeGoogleAdmin;
  stop(): Promise<void>;
  /** The same as stop (the shape runStandalone expects). */
  close(): Promise<void>;
}

const BEARER_REALM = 'Bearer realm="https://accounts.google.com/"';

export class FakeGoogleServer {
  readonly domain: Domain;
  readonly tokens: AccessTokens;
  readonly quota: Quota;
  readonly gmail: GmailService;
  readonly calendar: CalendarService;
  readonly people: PeopleService;
  readonly directory: DirectoryService;
  readonly tokenEndpoint: TokenEndpoint;
  readonly handlers: Record<string, Handler>;
  /** Requests answered, by discovery method id. */
  readonly requests: Record<string, number> = {};
  /** Every way an answer deviated from the discovery schemas (each also answered 500). */
  readonly schemaProblems: string[] = [];
  /** Every JSON body answered with 2xx, with its method id, for tests that check shapes. */
  readonly answered: { id: string; body: unknown }[] = [];
  recordAnswers = false;
  origin = '';

  constructor(options: FakeGoogleOptions) {
    this.domain = new Domain(options.domain ?? 'example.test');
    this.tokens = new AccessTokens(options.tokenLifetimeSeconds ?? 3599);
    this.quota = new Quota({ ...googleLimits, ...options.quota }, String(randomInt(100_000_000, 999_999_999)));
    this.gmail = new GmailService(this.domain);
    this.calendar = new CalendarService(this.domain);
    this.people = new PeopleService(this.domain);
    this.directory = new DirectoryService(this.domain);
    this.tokenEndpoint = new TokenEndpoint({ domain: this.domain, tokens: this.tokens, tokenUrl: () => `${this.origin}/token` });
    this.handlers = { ...this.gmail.handlers, ...this.calendar.handlers, ...this.people.handlers, ...this.directory.handlers };
  }

  private authenticate(req: FakeRequest): Grant | FakeResponse {
    const header = req.headers.authorization;
    const token = header ? /^Bearer\s+(\S+)$/i.exec(header)?.[1] : (req.query.get('access_token') ?? undefined);
    if (!header && !token)
      return googleError(401, 'required', 'Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.', { itemMessage: 'Login Required.', location: 'Authorization', locationType: 'header', headers: { 'www-authenticate': BEARER_REALM } });
    const grant = this.tokens.check(token);
    if (!grant)
      return googleError(401, 'authError', 'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.', { itemMessage: 'Invalid Credentials', location: 'Authorization', locationType: 'header', headers: { 'www-authenticate': `${BEARER_REALM}, error="invalid_token"` } });
    return grant;
  }

  async handle(req: FakeRequest): Promise<FakeResponse> {
    if (req.path === '/token') return this.tokenEndpoint.handle(req);
    const route = routeOf(req.method, req.path);
    const handler = route && this.handlers[route.id];
    if (!route || !handler) return googleError(404, 'notFound', `Method not found: ${req.method} ${req.path}`);
    const grant = this.authenticate(req);
    if ('status' in grant) return grant;
    if (!route.method.scopes.some((s) => grant.scopes.has(s))) {
      return googleError(403, 'insufficientPermissions', 'Request had insufficient authentication scopes.', {
        itemMessage: 'Insufficient Permission',
        headers: { 'www-authenticate': `${BEARER_REALM}, error="insufficient_scope", scope="${route.method.scopes.join(' ')}"` },
        details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'ACCESS_TOKEN_SCOPE_INSUFFICIENT', domain: 'googleapis.com', metadata: { method: route.id, service: `${route.api.split('.')[0]}.googleapis.com` } }],
      });
    }
    const parsed = parseParameters(route, req.query);
    if ('error' in parsed) return parsed.error;
    const fieldsText = req.query.get('fields');
    const fields = fieldsText ? parseFields(fieldsText) : undefined;
    if (fieldsText && !fields) return googleError(400, 'invalidParameter', `Invalid field selection ${fieldsText}`, { location: 'fields' });
    if (route.method.request && !route.upload && req.body.length > 0) {
      const body = jsonOf(req);
      const problems = body ? schemaProblems(route.api, route.method.request, body) : ['not JSON'];
      if (problems.length) return googleError(400, 'invalid', `Invalid JSON payload received. ${problems.join('; ')}`);
    }
    const taken = this.quota.take(grant.subject ?? grant.clientEmail, route.id);
    if ('refusal' in taken) return taken.refusal;
    this.requests[route.id] = (this.requests[route.id] ?? 0) + 1;
    const ctx: ApiContext = { req, route, params: parsed.params, grant };
    let out: FakeResponse;
    try {
      out = await handler(ctx);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      out = err.response;
    } finally {
      taken.release();
    }
    if (out.status >= 200 && out.status < 300 && out.body !== undefined && !Buffer.isBuffer(out.body) && typeof out.body === 'object' && route.method.response) {
      const problems = schemaProblems(route.api, route.method.response, out.body);
      if (problems.length) {
        this.schemaProblems.push(...problems.map((p) => `${route.id}: ${p}`));
        return googleError(500, 'backendError', `FakeDeviatesFromDiscovery: ${problems.join('; ')}`);
      }
      if (this.recordAnswers) this.answered.push({ id: route.id, body: out.body });
      if (fields) return { ...out, body: applyFields(out.body, fields) as object };
    }
    return out;
  }
}

export async function startFakeGoogle(options: FakeGoogleOptions = {}): Promise<FakeGoogle> {
  const fake = new FakeGoogleServer(options);
  const server = http.createServer((req, res) => {
    void (async () => send(res, await fake.handle(await readRequest(req))))().catch((err: unknown) => send(res, googleError(500, 'backendError', err instanceof Error ? err.message : String(err))));
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  fake.origin = `http://127.0.0.1:${port}`;
  const stop = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return { url: fake.origin, tokenUrl: `${fake.origin}/token`, port, admin: new FakeGoogleAdmin(fake), stop, close: stop };
}
