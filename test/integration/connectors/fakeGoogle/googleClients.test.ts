// Google's own clients against the fake Google: google-auth-library's JWT client signs the
// service account's assertion and fetches a user's token, @googleapis/gmail (rootUrl pointed at
// the fake) lists labels, pages through messages and reads raw ones, @googleapis/calendar,
// @googleapis/people and @googleapis/admin list their resources. Nobody here wrote these clients:
// what they accept is what Google's servers send. The only change to them is a request
// interceptor that sends the token request (addressed to https://oauth2.googleapis.com/token) to
// the fake's token URL; the assertion's audience stays Google's.
import * as assert from 'node:assert/strict';
import { gmail } from '@googleapis/gmail';
import { JWT } from 'google-auth-library';
import { MIGRATION_SCOPES } from '../../../servers/fakeGoogle/admin';
import { GOOGLE_TOKEN_URL } from '../../../servers/fakeGoogle/oauth';
import { rfc822, startTestDomain, type TestDomain } from '../../../servers/fakeGoogle/testDomain';

/** google-auth-library's JWT client for `subject`, its token request routed to the fake. */
export function jwtClient(d: TestDomain, subject: string, scopes = MIGRATION_SCOPES, forceRefreshOnFailure = false): JWT {
  const client = new JWT({ email: d.key.client_email, key: d.key.private_key, keyId: d.key.private_key_id, scopes, subject, forceRefreshOnFailure });
  client.transporter.interceptors.request.add({
    resolved: (options) => {
      if (String(options.url) === GOOGLE_TOKEN_URL) options.url = new URL(d.fake.tokenUrl);
      return Promise.resolve(options);
    },
  });
  return client;
}

describe('fake Google: Google\'s own clients (google-auth-library, @googleapis/*)', function () {
  this.timeout(60_000);
  let d: TestDomain;
  let ann: string;
  beforeEach(async () => {
    d = await startTestDomain();
    ann = d.users[0];
  });
  afterEach(async () => {
    await d.fake.stop();
  });

  it('the JWT client gets a token; @googleapis/gmail lists labels, pages messages and reads them raw', async () => {
    const a = d.fake.admin;
    a.addLabel(ann, 'Clients');
    a.addLabel(ann, 'Clients/Acme');
    const stored = new Map<string, string>();
    for (let i = 0; i < 23; i++) {
      const raw = rfc822(`client message ${i}`);
      stored.set(a.addMessage(ann, { raw, labels: i % 2 ? ['INBOX', 'Clients/Acme'] : ['INBOX', 'UNREAD'], internalDate: Date.UTC(2026, 0, 1, i) }).id, raw);
    }
    const auth = jwtClient(d, ann);
    const client = gmail({ version: 'v1', auth, rootUrl: `${d.fake.url}/` });
    const labels = await client.users.labels.list({ userId: 'me' });
    assert.ok(labels.data.labels?.some((l) => l.name === 'Clients/Acme' && l.type === 'user'));
    const profile = await client.users.getProfile({ userId: 'me' });
    assert.equal(profile.data.emailAddress, ann);
    assert.equal(profile.data.messagesTotal, 23);
    const ids: string[] = [];
    let pageToken: string | undefined;
    do {
      const page = await client.users.messages.list({ userId: 'me', maxResults: 10, ...(pageToken ? { pageToken } : {}) });
      ids.push(...(page.data.messages ?? []).map((m) => m.id ?? ''));
      pageToken = page.data.nextPageToken ?? undefined;
    } while (pageToken);
    assert.equal(ids.length, 23);
    assert.equal(new Set(ids).size, 23);
    for (const id of ids.slice(0, 5)) {
      const m = await client.users.messages.get({ userId: 'me', id, format: 'raw' });
      assert.equal(Buffer.from(m.data.raw ?? '', 'base64url').toString('utf8'), stored.get(id));
    }
    const labelled = await client.users.messages.list({ userId: 'me', labelIds: [a.labelId(ann, 'Clients/Acme')] });
    assert.equal(labelled.data.messages?.length, 11);
    assert.equal(d.fake.admin.tokensIssued, 1, 'one token for all the calls');
    assert.deepEqual(d.fake.admin.schemaProblems, []);
  });

  it('tokens expire after the lifetime the fake announces; the JWT client fetches a new one, never sending a dead token', async () => {
    d.fake.admin.setTokenLifetime(2);
    const client = gmail({ version: 'v1', auth: jwtClient(d, ann), rootUrl: `${d.fake.url}/` });
    await client.users.getProfile({ userId: 'me' });
    const first = await d.accessToken(ann);
    const deadline = Date.now() + 15_000;
    while ((await d.call(first, '/gmail/v1/users/me/profile')).status === 200 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    const again = await client.users.getProfile({ userId: 'me' });
    assert.equal(again.data.emailAddress, ann);
    assert.ok(d.fake.admin.tokensIssued >= 3);
  });

  it('a token revoked before its expiry: google-auth-library keeps sending it (a connector must get a new client on 401)', async () => {
    const auth = jwtClient(d, ann, MIGRATION_SCOPES, true);
    const client = gmail({ version: 'v1', auth, rootUrl: `${d.fake.url}/` });
    await client.users.getProfile({ userId: 'me' });
    d.fake.admin.expireTokens();
    await assert.rejects(client.users.getProfile({ userId: 'me' }), /invalid authentication credentials/);
    const fresh = gmail({ version: 'v1', auth: jwtClient(d, ann), rootUrl: `${d.fake.url}/` });
    assert.equal((await fresh.users.getProfile({ userId: 'me' })).data.emailAddress, ann);
  });

  it('the JWT client reports the fake\'s refusal of a user without delegation', async () => {
    d.fake.admin.delegate(d.key.client_id, []);
    const client = gmail({ version: 'v1', auth: jwtClient(d, ann), rootUrl: `${d.fake.url}/` });
    await assert.rejects(client.users.getProfile({ userId: 'me' }), /unauthorized_client: Client is unauthorized to retrieve access tokens/);
  });
});
