import * as assert from 'node:assert/strict';
import { googleError } from '../../../../src/connectors/gmail/gmailErrors';
import { tokenRefusal } from '../../../../src/connectors/gmail/gmailAuth';
import { parseServiceAccountKey } from '../../../../src/connectors/gmail/gmailSettings';
import { getEntry } from '../../../../src/errors/catalog';

const api = (status: number, reason: string, message: string, headers: Record<string, string> = {}) => ({
  status,
  message,
  response: { status, data: { error: { code: status, message, errors: [{ reason, message, domain: 'usageLimits' }] } }, headers: new Headers(headers) },
});
const ctx = { mailbox: 'ann@example.com', what: 'read a message', item: { kind: 'message', id: '18c' } };

describe('connectors: gmail errors', () => {
  it('rate limits (429, 403 rateLimitExceeded/userRateLimitExceeded) are transient GMAIL-RATE with the asked delay', () => {
    const e429 = googleError(api(429, 'rateLimitExceeded', 'Quota exceeded', { 'retry-after': '7' }), ctx);
    assert.equal(e429.code, 'GMAIL-RATE');
    assert.equal(e429.disposition, 'transient');
    assert.equal(e429.retryAfterMs, 7000);
    assert.equal(googleError(api(403, 'userRateLimitExceeded', 'User Rate Limit Exceeded'), ctx).code, 'GMAIL-RATE');
    assert.equal(googleError(api(403, 'rateLimitExceeded', 'Rate Limit Exceeded'), ctx).retryAfterMs, undefined);
  });

  it('5xx and broken connections are transient; a listed item gone is an item error; a service off stops the mailbox', () => {
    assert.equal(googleError(api(503, 'backendError', 'Backend Error'), ctx).disposition, 'transient');
    assert.equal(googleError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), ctx).code, 'GMAIL-UNAVAILABLE');
    const gone = googleError(api(404, 'notFound', 'Requested entity was not found.'), ctx);
    assert.deepEqual([gone.code, gone.disposition], ['GMAIL-ITEM-GONE', 'item']);
    const off = googleError(api(400, 'failedPrecondition', 'Mail service not enabled'), ctx);
    assert.deepEqual([off.code, off.disposition], ['GMAIL-NO-SERVICE', 'mailbox']);
    assert.equal(googleError(api(403, 'accessNotConfigured', 'Gmail API has not been used in project 1 before or it is disabled.'), ctx).code, 'GMAIL-NO-SERVICE');
  });

  it("tells the token endpoint's refusals apart, each a catalog code with an Admin console step", () => {
    const sa = { clientEmail: 'ferry@p.iam.gserviceaccount.com' };
    const code = (status: number, error: string, description: string) => tokenRefusal({ error, error_description: description }, status, sa, 'ann@example.com').code;
    assert.equal(code(400, 'invalid_grant', 'Invalid JWT Signature.'), 'GMAIL-BAD-KEY');
    assert.equal(code(400, 'invalid_grant', 'Invalid JWT: No valid verifier found for issuer.'), 'GMAIL-BAD-KEY');
    assert.equal(code(401, 'unauthorized_client', 'Client is unauthorized to retrieve access tokens using this method, or client not authorized for any of the scopes requested.'), 'GMAIL-NO-DELEGATION');
    assert.equal(code(400, 'invalid_grant', 'Invalid email or User ID'), 'GMAIL-USER-UNKNOWN');
    assert.equal(code(400, 'invalid_grant', 'The account has been deleted'), 'GMAIL-USER-UNKNOWN');
    assert.equal(code(400, 'access_denied', 'Account restricted'), 'GMAIL-USER-SUSPENDED');
    assert.equal(code(503, 'temporarily_unavailable', ''), 'GMAIL-UNAVAILABLE');
    for (const c of ['GMAIL-BAD-KEY', 'GMAIL-NO-DELEGATION', 'GMAIL-SCOPE-MISSING', 'GMAIL-USER-UNKNOWN', 'GMAIL-USER-SUSPENDED', 'GMAIL-NO-ADMIN']) {
      const entry = getEntry(c);
      assert.ok(entry, c);
      assert.match(entry.action, /Admin console|Cloud console|adminEmail/, c);
    }
  });

  it('reads the key from the JSON key file or a PEM, and refuses anything else with GMAIL-BAD-KEY', () => {
    const pem = '-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n';
    assert.deepEqual(parseServiceAccountKey(JSON.stringify({ private_key: pem, client_email: 'sa@p.iam.gserviceaccount.com' }), '', 'G'), { privateKey: pem, clientEmail: 'sa@p.iam.gserviceaccount.com' });
    assert.equal(parseServiceAccountKey(pem, 'x@y.z', 'G').privateKey, pem);
    assert.throws(() => parseServiceAccountKey('{not json', 'x@y.z', 'G'), (e: Error & { code?: string }) => e.code === 'GMAIL-BAD-KEY' && !e.message.includes('not json'));
    assert.throws(() => parseServiceAccountKey('hunter2', 'x@y.z', 'G'), (e: Error & { code?: string }) => e.code === 'GMAIL-BAD-KEY' && !e.message.includes('hunter2'));
  });
});
