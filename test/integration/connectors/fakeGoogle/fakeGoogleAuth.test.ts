// The fake Google's token endpoint and bearer checks: a service account's JWT is exchanged for a
// user's access token only with a good signature, audience, lifetime, known scopes, the admin's
// delegation of every scope and an active user; each refusal is Google's error and text.
import * as assert from 'node:assert/strict';
import { startTestDomain, type TestDomain } from '../../../servers/fakeGoogle/testDomain';

const GMAIL_READONLY = 'https://www.googleapis.com/auth/gmail.readonly';

describe('fake Google: OAuth token endpoint (service account, domain-wide delegation)', () => {
  let d: TestDomain;
  beforeEach(async () => {
    d = await startTestDomain();
  });
  afterEach(async () => {
    await d.fake.stop();
  });

  it('gives a bearer token for a delegated user and scopes, with Google\'s answer shape', async () => {
    const r = await d.tokenResponse();
    assert.equal(r.status, 200);
    assert.match(String(r.body.access_token), /^ya29\./);
    assert.equal(r.body.token_type, 'Bearer');
    assert.equal(r.body.expires_in, 3599);
    const own = await d.tokenResponse({ aud: d.fake.tokenUrl });
    assert.equal(own.status, 200, 'the fake\'s own token URL is an accepted audience too');
  });

  it('refuses a JWT signed with another key: invalid_grant "Invalid JWT Signature."', async () => {
    const other = d.fake.admin.createServiceAccount('other');
    const forged = { ...other, private_key_id: d.key.private_key_id };
    const r = await d.tokenResponse({}, forged);
    assert.deepEqual([r.status, r.body], [400, { error: 'invalid_grant', error_description: 'Invalid JWT Signature.' }]);
    d.fake.admin.deleteServiceAccountKey(d.key.client_email, d.key.private_key_id);
    const deleted = await d.tokenResponse();
    assert.deepEqual([deleted.status, deleted.body.error_description], [400, 'Invalid JWT Signature.'], 'a deleted key no longer signs');
  });

  it('refuses a wrong audience, an over-long or expired lifetime, and an unknown issuer', async () => {
    const aud = await d.tokenResponse({ aud: 'https://www.googleapis.com/oauth2/v4/tokenX' });
    assert.equal(aud.body.error, 'invalid_grant');
    assert.match(String(aud.body.error_description), /audience/);
    const now = Math.floor(Date.now() / 1000);
    const long = await d.tokenResponse({ iat: now, exp: now + 3601 });
    assert.equal(long.body.error_description, 'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.');
    const expired = await d.tokenResponse({ iat: now - 7200, exp: now - 3600 });
    assert.equal(expired.body.error, 'invalid_grant');
    const unknown = await d.tokenResponse({ iss: 'nobody@nowhere.iam.gserviceaccount.com' });
    assert.deepEqual(unknown.body, { error: 'invalid_grant', error_description: 'Invalid JWT: No valid verifier found for issuer.' });
  });

  it('tells a missing delegation or a scope not delegated (unauthorized_client) from an invalid scope (invalid_scope)', async () => {
    const text = 'Client is unauthorized to retrieve access tokens using this method, or client not authorized for any of the scopes requested.';
    const notDelegated = await d.tokenResponse({ scope: `${GMAIL_READONLY} https://www.googleapis.com/auth/gmail.modify` });
    assert.deepEqual([notDelegated.status, notDelegated.body], [401, { error: 'unauthorized_client', error_description: text }]);
    const invalid = await d.tokenResponse({ scope: 'https://www.googleapis.com/auth/gmail.everything' });
    assert.deepEqual([invalid.status, invalid.body.error], [400, 'invalid_scope']);
    const empty = await d.tokenResponse({ scope: null });
    assert.deepEqual(empty.body, { error: 'invalid_scope', error_description: 'Empty or missing scope not allowed.' });
    d.fake.admin.delegate(d.key.client_id, []);
    const none = await d.tokenResponse({ scope: GMAIL_READONLY });
    assert.deepEqual([none.status, none.body.error], [401, 'unauthorized_client']);
  });

  it('tells an unknown, a suspended and a deleted user apart', async () => {
    const unknown = await d.tokenResponse({ sub: `zed@${d.fake.admin.domainName}` });
    assert.deepEqual(unknown.body, { error: 'invalid_grant', error_description: 'Invalid email or User ID' });
    d.fake.admin.suspendUser(d.users[0]);
    const suspended = await d.tokenResponse({ sub: d.users[0] });
    assert.deepEqual(suspended.body, { error: 'access_denied', error_description: 'Account restricted' });
    d.fake.admin.deleteUser(d.users[1]);
    const deleted = await d.tokenResponse({ sub: d.users[1] });
    assert.deepEqual(deleted.body, { error: 'invalid_grant', error_description: 'The account has been deleted' });
    assert.deepEqual(d.fake.admin.tokenRefusals, { invalid_grant: 2, access_denied: 1 });
  });

  it('APIs refuse a missing or expired token (401 with WWW-Authenticate) and a token without the method\'s scope (403)', async () => {
    const res = await fetch(`${d.fake.url}/gmail/v1/users/me/profile`);
    assert.equal(res.status, 401);
    assert.match(res.headers.get('www-authenticate') ?? '', /^Bearer realm="https:\/\/accounts.google.com\/"/);
    const token = await d.accessToken(d.users[0]);
    assert.equal((await d.call(token, '/gmail/v1/users/me/profile')).status, 200);
    d.fake.admin.expireTokens();
    const expired = await d.call(token, '/gmail/v1/users/me/profile');
    assert.equal(expired.status, 401);
    assert.equal((expired.body.error as { status: string }).status, 'UNAUTHENTICATED');
    assert.match(expired.headers.get('www-authenticate') ?? '', /error="invalid_token"/);
    const calendarOnly = await d.accessToken(d.users[0], ['https://www.googleapis.com/auth/calendar.readonly']);
    const denied = await d.call(calendarOnly, '/gmail/v1/users/me/labels');
    assert.equal(denied.status, 403);
    const error = denied.body.error as { errors: { reason: string }[]; message: string };
    assert.deepEqual([error.errors[0].reason, error.message], ['insufficientPermissions', 'Request had insufficient authentication scopes.']);
    assert.match(denied.headers.get('www-authenticate') ?? '', /error="insufficient_scope"/);
  });

  it('a short token lifetime ends tokens on time (the client must fetch another)', async () => {
    d.fake.admin.setTokenLifetime(1);
    const r = await d.tokenResponse();
    assert.equal(r.body.expires_in, 1);
    const token = String(r.body.access_token);
    const deadline = Date.now() + 10_000;
    let status = 200;
    while (status === 200 && Date.now() < deadline) {
      status = (await d.call(token, '/gmail/v1/users/me/profile')).status;
      if (status === 200) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.equal(status, 401);
  });

  it('a service account token without a user gets Gmail\'s 400 failedPrecondition', async () => {
    const r = await d.tokenResponse({ sub: null, scope: GMAIL_READONLY });
    assert.equal(r.status, 200);
    const res = await d.call(String(r.body.access_token), '/gmail/v1/users/me/labels');
    assert.equal(res.status, 400);
    assert.equal((res.body.error as { message: string }).message, 'Precondition check failed.');
  });

});
