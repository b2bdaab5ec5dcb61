// The fake Microsoft 365 at the protocol level: sign-in answers (secret, certificate, the AADSTS
// errors Microsoft returns), Graph's 401 without a token, the documented throttling with
// Retry-After and `$batch` limits (messages, attachments and ids: fakeM365Messages.test.ts).
import * as assert from 'node:assert/strict';
import { createPrivateKey, randomUUID, sign } from 'node:crypto';
import { startTestTenant, type TestTenant } from '../../../servers/fakeM365/testTenant';
import { request, tokenRequest } from './fakeHttp';

const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');

describe('fake Microsoft 365', function () {
  this.timeout(20_000);
  let t: TestTenant;
  let token: string;
  const graph = (path: string, options: Parameters<typeof request>[2] = {}) => request(`${t.fake.url}/v1.0${path}`, t.fake.caPem, { ...options, headers: { authorization: `Bearer ${token}`, ...(options.headers ?? {}) } });

  before(async () => {
    t = await startTestTenant(['ann@contoso.test']);
    t.fake.data.addUser(t.tenant, 'nolicence@contoso.test', { licensed: false });
    token = String((await tokenRequest(t.fake.url, t.fake.caPem, t.tenant.id, t.app.clientId, t.secret)).json().access_token);
  });
  after(async () => {
    await t?.fake.close();
  });

  it('serves OpenID metadata per tenant, by id or domain', async () => {
    const meta = (await request(`${t.fake.url}/contoso.test/v2.0/.well-known/openid-configuration`, t.fake.caPem)).json();
    assert.equal(meta.token_endpoint, `${t.fake.url}/contoso.test/oauth2/v2.0/token`);
    assert.equal(meta.issuer, `${t.fake.url}/${t.tenant.id}/v2.0`);
  });

  it('issues a bearer token with an expiry for the right client secret', async () => {
    const res = await tokenRequest(t.fake.url, t.fake.caPem, t.tenant.id, t.app.clientId, t.secret);
    assert.equal(res.status, 200);
    const body = res.json();
    assert.equal(body.token_type, 'Bearer');
    assert.ok(Number(body.expires_in) > 0);
    assert.equal(String(body.access_token).split('.').length, 3);
  });

  it('answers AADSTS7000215, AADSTS700016 and AADSTS90002 as Microsoft does', async () => {
    const wrong = await tokenRequest(t.fake.url, t.fake.caPem, t.tenant.id, t.app.clientId, 'nope');
    assert.equal(wrong.status, 401);
    assert.equal(wrong.json().error, 'invalid_client');
    assert.match(String(wrong.json().error_description), /^AADSTS7000215: Invalid client secret provided/);
    assert.deepEqual(wrong.json().error_codes, [7000215]);
    const unknownApp = await tokenRequest(t.fake.url, t.fake.caPem, t.tenant.id, randomUUID(), t.secret);
    assert.equal(unknownApp.status, 400);
    assert.match(String(unknownApp.json().error_description), /^AADSTS700016: Application with identifier '.*' was not found in the directory 'contoso.test'/);
    const unknownTenant = await tokenRequest(t.fake.url, t.fake.caPem, 'fabrikam.test', t.app.clientId, t.secret);
    assert.equal(unknownTenant.status, 400);
    assert.match(String(unknownTenant.json().error_description), /^AADSTS90002: Tenant 'fabrikam.test' not found/);
  });

  it('verifies a certificate assertion: signature by the registered key and the x5t thumbprint', async () => {
    const aud = `${t.fake.url}/${t.tenant.id}/oauth2/v2.0/token`;
    const assertion = (key: string, x5t: string) => {
      const now = Math.floor(Date.now() / 1000);
      const input = `${b64({ alg: 'RS256', typ: 'JWT', x5t })}.${b64({ aud, iss: t.app.clientId, sub: t.app.clientId, jti: randomUUID(), nbf: now, exp: now + 600 })}`;
      return `${input}.${sign('sha256', Buffer.from(input), createPrivateKey(key)).toString('base64url')}`;
    };
    const post = (jwt: string) =>
      request(aud, t.fake.caPem, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ grant_type: 'client_credentials', client_id: t.app.clientId, scope: `${t.fake.url}/.default`, client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: jwt }).toString() });
    const x5t = Buffer.from(t.certificate.sha1, 'hex').toString('base64url');
    assert.equal((await post(assertion(t.certificate.privateKey, x5t))).status, 200);
    // Another key under the registered thumbprint: the signature does not verify.
    const { privateKey: other } = await import('node:crypto').then((c) => c.generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } }));
    const forged = await post(assertion(other, x5t));
    assert.equal(forged.status, 401);
    assert.match(String(forged.json().error_description), /^AADSTS700027: Client assertion contains an invalid signature/);
  });

  it('answers 401 with Graph error JSON without a valid token', async () => {
    const none = await request(`${t.fake.url}/v1.0/users/ann@contoso.test/mailFolders`, t.fake.caPem);
    assert.equal(none.status, 401);
    assert.equal((none.json().error as { code: string }).code, 'InvalidAuthenticationToken');
    const forged = await request(`${t.fake.url}/v1.0/users/ann@contoso.test/mailFolders`, t.fake.caPem, { headers: { authorization: `Bearer ${token.slice(0, -4)}AAAA` } });
    assert.equal(forged.status, 401);
  });

  it('reports licences and refuses mail of an unlicensed user with MailboxNotEnabledForRESTAPI', async () => {
    const user = (await graph('/users/ann@contoso.test')).json();
    assert.equal((user.assignedLicenses as unknown[]).length, 1);
    const nolicence = await graph('/users/nolicence@contoso.test/mailFolders/inbox');
    assert.equal(nolicence.status, 404);
    assert.equal((nolicence.json().error as { code: string }).code, 'MailboxNotEnabledForRESTAPI');
  });

  it('holds $batch to 20 requests and returns sub-request errors inside a 200 envelope', async () => {
    const requests = (n: number) => Array.from({ length: n }, (_, i) => ({ id: String(i), method: 'GET', url: '/users/ann@contoso.test/mailFolders/inbox' }));
    const tooMany = await graph('/$batch', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ requests: requests(21) }) });
    assert.equal(tooMany.status, 400);
    t.fake.faults.failNext(1, 429, 3);
    const batch = await graph('/$batch', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ requests: requests(2) }) });
    assert.equal(batch.status, 200);
    const responses = batch.json().responses as { status: number; headers: Record<string, string> }[];
    assert.deepEqual(responses.map((r) => r.status), [429, 200]);
    assert.equal(responses[0].headers['retry-after'], '3');
  });

  it('throttles per app per mailbox: 429 with Retry-After beyond the request budget', async () => {
    t.fake.throttle.limits = { ...t.fake.throttle.limits, requests: 3, requestWindowMs: 5_000 };
    try {
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push(await graph('/users/ann@contoso.test/mailFolders/inbox'));
      assert.deepEqual(statuses.map((s) => s.status).slice(-1), [429]);
      const last = statuses[3];
      assert.ok(Number(last.headers['retry-after']) >= 1);
      assert.match(String((last.json().error as { message: string }).message), /MailboxRequests/);
    } finally {
      t.fake.throttle.limits = { ...t.fake.throttle.limits, requests: 10_000, requestWindowMs: 600_000 };
    }
  });

  it('throttles uploads beyond the byte budget with IncomingBytes', async () => {
    t.fake.throttle.limits = { ...t.fake.throttle.limits, uploadBytes: 1500, uploadWindowMs: 5_000 };
    try {
      const mime = Buffer.from(`Subject: upload\r\n\r\n${'z'.repeat(700)}\r\n`).toString('base64');
      const post = () => graph('/users/ann@contoso.test/mailFolders/drafts/messages', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: mime });
      assert.equal((await post()).status, 201);
      const refused = await post();
      assert.equal(refused.status, 429);
      assert.match(String((refused.json().error as { message: string }).message), /IncomingBytes/);
      assert.ok(Number(refused.headers['retry-after']) >= 1);
    } finally {
      t.fake.throttle.limits = { ...t.fake.throttle.limits, uploadBytes: 150 * 1024 * 1024, uploadWindowMs: 300_000 };
    }
  });

  it('refuses a 5th concurrent request to one mailbox', async () => {
    // A hold point instead of latency: an admitted request stays in flight (inside the fake, past
    // the throttle) until each of the 8 has been admitted or refused, however slowly they arrive.
    const fakeGraph = t.fake.graph as unknown as { route: (...args: unknown[]) => Promise<unknown> };
    const route = fakeGraph.route;
    let decided = 0;
    let allDecided!: () => void;
    const everyOne = new Promise<void>((resolve) => (allDecided = resolve));
    const decide = () => ++decided === 8 && allDecided();
    fakeGraph.route = async function (this: unknown, ...args: unknown[]) {
      decide();
      await everyOne;
      return route.apply(this, args);
    };
    try {
      const results = await Promise.all(Array.from({ length: 8 }, () => graph('/users/ann@contoso.test/mailFolders?$top=50').then((r) => (r.status === 429 && decide(), r))));
      const refused = results.filter((r) => r.status === 429);
      assert.equal(results.length - refused.length, 4);
      for (const r of refused) assert.match(String((r.json().error as { message: string }).message), /MailboxConcurrency/);
    } finally {
      fakeGraph.route = route;
    }
  });
});
