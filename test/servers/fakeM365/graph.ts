// Microsoft Graph under `/v1.0/` and `/beta/` as the fake serves it: bearer token check (401 with
// Graph's error JSON), injectable faults, the per-app-per-mailbox throttle, then users, mail
// folders, messages and `$batch`. Every request, a `$batch` sub-request included, goes through
// `handle`. Beta-only resources (cross-tenant migration jobs) answer only under `/beta`.
import type { FakeData, UserRecord } from './data';
import { faultResponse, type Faults } from './faults';
import { handleBatch } from './graphBatch';
import { handleCrossTenant } from './crossTenantJobs';
import type { GraphCall, GraphVersion, MailboxCall } from './graphContext';
import { afterVersion, page, versionOf } from './graphContext';
import { handleDelta } from './graphDelta';
import { handleFolders } from './graphFolders';
import { handleMessages } from './graphMessages';
import { asksImmutableIds } from './messageIds';
import { handlePim } from './graphPim';
import { handleMailboxApi, isMailboxApi, mailboxIdOf } from './mailboxApi';
import { graphError, json, type FakeRequest, type FakeResponse } from './http';
import { applySelect, bodyDeviations, queryProblem, resourceAt, type ResourceKind } from './graphSchema';
import type { Throttle } from './throttle';
import type { TokenIssuer } from './tokens';

export interface GraphOptions {
  data: FakeData;
  tokens: TokenIssuer;
  throttle: Throttle;
  faults: Faults;
  origin: () => string;
  maxRequestBytes: number;
}

export class Graph {
  /** Requests served; tests read it. */
  requests = 0;
  /** Time each mailbox request takes (ms), so concurrent requests overlap as they do against Microsoft. */
  latencyMs = 0;

  constructor(private readonly o: GraphOptions) {}

  /** JSON bodies the fake was about to send that v1.0's metadata does not allow (each answered 500 instead). */
  readonly deviations: string[] = [];

  /**
   * Serves a request whose path starts with `/v1.0/` or `/beta/`. Under v1.0, a query naming a
   * property the resource's type lacks is Graph's 400, `$select` cuts what is sent, and every JSON
   * body is held against the v1.0 metadata (graphSchema.ts): a deviation is the fake's bug, so it
   * answers 500 and records it rather than teach a client something Graph never sends.
   */
  async handle(req: FakeRequest): Promise<FakeResponse> {
    const version = versionOf(req.path);
    const kind = version === 'v1.0' ? resourceAt(afterVersion(req.path)) : undefined;
    if (kind && req.method === 'GET') {
      const problem = queryProblem(req.query, kind.type);
      if (problem) return graphError(400, 'RequestBroker--ParseUri', problem);
    }
    const res = await this.serve(req, version);
    return kind ? this.checked(req, kind, res) : res;
  }

  private checked(req: FakeRequest, kind: ResourceKind, res: FakeResponse): FakeResponse {
    const body = res.body;
    if (res.status >= 300 || typeof body !== 'object' || body === null || Buffer.isBuffer(body)) return res;
    // A POST to a collection answers the one entity it made (an action such as exportItems, its collection).
    if (kind.collection && req.method !== 'GET' && kind.type !== 'exportItemResponse') kind = { ...kind, collection: false };
    let shaped = body as Record<string, unknown>;
    if (req.method === 'GET' && req.query.has('$select')) {
      shaped = kind.collection && Array.isArray(shaped.value) ? { ...shaped, value: (shaped.value as Record<string, unknown>[]).map((e) => applySelect(e, req.query)) } : applySelect(shaped, req.query);
    }
    const found = bodyDeviations(shaped, kind, `${req.method} ${req.path}`);
    if (!found.length) return { ...res, body: shaped };
    this.deviations.push(...found);
    return graphError(500, 'FakeDeviatesFromMetadata', found.join('; '));
  }

  private async serve(req: FakeRequest, version: GraphVersion): Promise<FakeResponse> {
    if (isMailboxApi(req.path)) return handleMailboxApi(this, this.o, req);
    this.requests++;
    const auth = this.o.tokens.check(req.headers.authorization);
    if ('problem' in auth) return graphError(401, 'InvalidAuthenticationToken', auth.problem, { 'www-authenticate': 'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"' });
    const claims = auth.claims;
    const tenant = this.o.data.tenant(String(claims.tid));
    if (!tenant) return graphError(401, 'InvalidAuthenticationToken', 'The tenant of the token does not exist.');
    const roles = Array.isArray(claims.roles) ? claims.roles.map(String) : typeof claims.scp === 'string' ? claims.scp.split(' ') : [];
    const call: GraphCall = { data: this.o.data, tenant, roles, ...(typeof claims.upn === 'string' ? { upn: claims.upn } : {}), version, base: `${this.o.origin()}/${version}`, maxRequestBytes: this.o.maxRequestBytes, immutableIds: asksImmutableIds(req) };
    const path = afterVersion(req.path);
    if (path === '/$batch' && req.method === 'POST') return handleBatch(req, version, (sub) => this.handle(sub));
    const fault = this.o.faults.take(req);
    if (fault) return faultResponse(fault);
    if (req.body.length > this.o.maxRequestBytes) return graphError(413, 'RequestEntityTooLarge', `The request is larger than ${this.o.maxRequestBytes} bytes.`);
    if (await this.o.faults.hold(req.method, path)) return graphError(503, 'ServiceUnavailable', 'The request was held and never served.');
    const segments = path.split('/').filter(Boolean);
    if (segments[0] === 'solutions' && segments[1] === 'migrations') {
      // crossTenantMigrationJob is beta only: v1.0's `solutions` has no `migrations`.
      if (version !== 'beta') return graphError(400, 'BadRequest', "Resource not found for the segment 'migrations'.");
      return handleCrossTenant(this, call, req, segments);
    }
    if (segments[0] === 'users' && segments.length === 1) return this.listUsers(call, req);
    const who = segments[0] === 'me' ? call.upn : segments[0] === 'users' ? segments[1] : undefined;
    if (!who) return graphError(400, 'BadRequest', `Resource not found for the segment '${segments[0] ?? ''}'.`);
    const rest = segments.slice(segments[0] === 'me' ? 1 : 2);
    const user = this.o.data.findUser(tenant, who);
    // Delegated tokens reach only the signed-in user's own mailbox.
    if (!user || (call.upn && user.userPrincipalName.toLowerCase() !== call.upn.toLowerCase())) return graphError(404, 'ErrorInvalidUser', `The requested user '${decodeURIComponent(who)}' is invalid.`);
    const key = `${String(claims.appid)}|${user.id}`;
    const tenantKey = `${String(claims.appid)}|${tenant.id}`;
    const refused = this.o.throttle.admit(key, req.method === 'GET' ? 0 : req.body.length, tenantKey);
    if (refused) return graphError(429, 'ApplicationThrottled', refused.reason, { 'retry-after': String(refused.retryAfterSeconds) });
    let answer: FakeResponse;
    try {
      if (this.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
      answer = await this.route({ ...call, user, box: undefined as never }, req, rest, `${call.base}/users/${user.id}`);
    } finally {
      this.o.throttle.release(key, tenantKey);
    }
    // Served: a held answer is cut once dropped (the request took effect, its client never hears).
    return (await this.o.faults.holdAnswer(req.method, path)) ? { ...answer, cut: true } : answer;
  }

  private listUsers(call: GraphCall, req: FakeRequest): FakeResponse {
    if (!call.roles.some((r) => r === 'User.Read.All' || r === 'Directory.Read.All')) return graphError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
    const users = call.tenant.users.map((u) => userJson(u));
    return json(200, { '@odata.context': `${call.base}/$metadata#users`, ...page(users, req.query, `${call.base}/users`, 100) });
  }

  private async route(partial: MailboxCall, req: FakeRequest, rest: string[], userLink: string): Promise<FakeResponse> {
    const user = partial.user;
    if (rest.length === 0 && req.method === 'GET') return json(200, userJson(user));
    // Without an Exchange Online licence there is no mailbox behind the user.
    if (!user.licensed) return graphError(404, 'MailboxNotEnabledForRESTAPI', 'The mailbox is either inactive, soft-deleted, or is hosted on-premise.');
    const call: MailboxCall = { ...partial, box: this.o.data.mailbox(user.id) };
    // exchangeSettings: the id of the user's mailbox in the mailbox import/export API.
    if (rest[0] === 'settings' && rest[1] === 'exchange' && rest.length === 2 && req.method === 'GET') {
      if (!call.roles.some((r) => r === 'User.Read.All' || r === 'User.Read' || r === 'Directory.Read.All')) return graphError(403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.');
      return json(200, { '@odata.context': `${call.base}/$metadata#users('${user.id}')/settings/exchange/$entity`, id: user.id, primaryMailboxId: mailboxIdOf(user, call.tenant) });
    }
    if (rest[0] === 'mailboxSettings' && rest.length === 1) return json(200, { timeZone: 'UTC', language: { locale: 'en-US' }, userPurpose: 'user' });
    const link = `${userLink}/${rest.join('/')}`;
    if (rest[0] === 'mailFolders' && rest[2] === 'messages' && rest[3] === 'delta' && rest.length === 4 && req.method === 'GET') return handleDelta(call, req, rest[1], link);
    const pim = handlePim(call, req, rest, link);
    if (pim) return pim;
    const response = (rest[0] === 'mailFolders' && rest[2] !== 'messages' ? handleFolders(call, req, rest, link) : undefined) ?? handleMessages(call, req, rest, link);
    return response ?? graphError(400, 'BadRequest', `Unsupported request: ${req.method} /${rest.join('/')}`);
  }
}

/** A user as Graph returns it, with the licence fields a "licensed for Exchange Online" check reads. */
function userJson(u: UserRecord): object {
  return {
    id: u.id,
    userPrincipalName: u.userPrincipalName,
    displayName: u.displayName,
    mail: u.licensed ? u.userPrincipalName : null,
    assignedLicenses: u.licensed ? [{ skuId: '6fd2c87f-b296-42f0-b197-1e91e994b900', disabledPlans: [] }] : [],
    assignedPlans: u.licensed ? [{ assignedDateTime: '2026-01-01T00:00:00Z', capabilityStatus: 'Enabled', service: 'exchange', servicePlanId: 'efb87545-963c-4e0d-99df-69c6916d9eb0' }] : [],
  };
}
