// The fake Google's usage limits: Gmail's quota units per method per user per minute, refused with
// Google's rateLimitExceeded answer (429, or 403 as Gmail has answered) for that user only, and
// the per-user limit of concurrent requests (429 "Too many concurrent requests for user."), and
// Google's transient 503/500 on cue.
import * as assert from 'node:assert/strict';
import { rfc822, startTestDomain, type TestDomain } from '../../../servers/fakeGoogle/testDomain';

type GoogleErrorBody = { error: { code: number; status?: string; message: string; errors: { reason: string; domain: string }[] } };

describe('fake Google: quota units and rate limits', () => {
  let d: TestDomain;
  let ann: string;
  let bob: string;
  beforeEach(async () => {
    d = await startTestDomain({ quota: { unitsPerMinute: 50 } });
    [ann, bob] = d.users;
  });
  afterEach(async () => {
    await d.fake.stop();
  });

  it('charges Google\'s units per method and refuses a user past the per-minute quota, not the others', async () => {
    const m = d.fake.admin.addMessage(ann, { raw: rfc822('q'), labels: ['INBOX'] });
    const annToken = await d.accessToken(ann);
    const bobToken = await d.accessToken(bob);
    assert.equal((await d.call(annToken, '/gmail/v1/users/me/profile')).status, 200);
    assert.equal((await d.call(annToken, '/gmail/v1/users/me/labels')).status, 200);
    assert.equal((await d.call(annToken, `/gmail/v1/users/me/history?startHistoryId=${d.fake.admin.mailbox(ann).historyId}`)).status, 200);
    assert.equal(d.fake.admin.quotaStats(ann).units, 1 + 1 + 2);
    for (let i = 0; i < 9; i++) assert.equal((await d.call(annToken, `/gmail/v1/users/me/messages/${m.id}?format=raw`)).status, 200);
    assert.equal(d.fake.admin.quotaStats(ann).units, 49);
    const refused = await d.call(annToken, `/gmail/v1/users/me/messages/${m.id}?format=raw`);
    assert.equal(refused.status, 429);
    const body = refused.body as unknown as GoogleErrorBody;
    assert.equal(body.error.status, 'RESOURCE_EXHAUSTED');
    assert.deepEqual([body.error.errors[0].reason, body.error.errors[0].domain], ['rateLimitExceeded', 'usageLimits']);
    assert.match(body.error.message, /^Quota exceeded for quota metric 'Queries' and limit 'Queries per minute per user' of service 'gmail.googleapis.com'/);
    assert.equal(refused.headers.get('retry-after'), null, 'Gmail sends no Retry-After');
    assert.equal((await d.call(annToken, '/gmail/v1/users/me/profile')).status, 200, 'a 1-unit call still fits');
    assert.equal((await d.call(bobToken, '/gmail/v1/users/me/messages')).status, 200, 'another user is not slowed');
    assert.deepEqual(d.fake.admin.quotaStats(ann).refusedQuota, 1);
  });

  it('answers 403 rateLimitExceeded when set to Gmail\'s older answer', async () => {
    d.fake.admin.setQuota({ answer: 403, unitsPerMinute: 5 });
    const token = await d.accessToken(ann);
    assert.equal((await d.call(token, '/gmail/v1/users/me/messages')).status, 200);
    const refused = await d.call(token, '/gmail/v1/users/me/messages');
    assert.equal(refused.status, 403);
    assert.equal((refused.body as unknown as GoogleErrorBody).error.errors[0].reason, 'rateLimitExceeded');
  });

  it('refuses a request beyond the per-user concurrency limit with 429, others of other users go on', async () => {
    d.fake.admin.setQuota({ concurrent: 2, unitsPerMinute: 15_000 });
    const token = await d.accessToken(ann);
    const release = d.fake.admin.holdRequests(ann);
    const held = [d.call(token, '/gmail/v1/users/me/labels'), d.call(token, '/gmail/v1/users/me/profile')];
    await d.fake.admin.whenHeld(ann, 2);
    const third = await d.call(token, '/gmail/v1/users/me/labels');
    assert.equal(third.status, 429);
    assert.equal((third.body as unknown as GoogleErrorBody).error.message, 'Too many concurrent requests for user.');
    const bobToken = await d.accessToken(bob);
    assert.equal((await d.call(bobToken, '/gmail/v1/users/me/labels')).status, 200);
    release();
    assert.deepEqual((await Promise.all(held)).map((r) => r.status), [200, 200]);
    assert.equal((await d.call(token, '/gmail/v1/users/me/labels')).status, 200);
    assert.equal(d.fake.admin.quotaStats(ann).refusedConcurrency, 1);
  });

  it('serves transient 503 and 500 answers on cue, only to the matching method and user', async () => {
    const m = d.fake.admin.addMessage(ann, { raw: rfc822('f'), labels: ['INBOX'] });
    const token = await d.accessToken(ann);
    d.fake.admin.failNext(2, 503, { method: 'gmail.users.messages.get', user: ann });
    d.fake.admin.failNext(1, 500, { user: bob });
    assert.equal((await d.call(token, '/gmail/v1/users/me/labels')).status, 200, 'another method is not hit');
    const first = await d.call(token, `/gmail/v1/users/me/messages/${m.id}?format=raw`);
    assert.deepEqual([first.status, (first.body as unknown as GoogleErrorBody).error.status], [503, 'UNAVAILABLE']);
    assert.equal((await d.call(token, `/gmail/v1/users/me/messages/${m.id}?format=raw`)).status, 503);
    assert.equal((await d.call(token, `/gmail/v1/users/me/messages/${m.id}?format=raw`)).status, 200);
    const bobToken = await d.accessToken(bob);
    const backend = await d.call(bobToken, '/gmail/v1/users/me/profile');
    assert.deepEqual([backend.status, (backend.body as unknown as GoogleErrorBody).error.errors[0].reason], [500, 'backendError']);
    assert.equal(d.fake.admin.faultsServed, 3);
  });
});
