// Sign-in failures as msal-node reports them, mapped to catalog codes without a server: the AADSTS
// code in the text picks the entry; TLS and network failures get theirs; the trace ids Microsoft
// appends stay out of the message.
import * as assert from 'node:assert/strict';
import { toAuthError } from '../../../../src/connectors/m365/auth/authErrors';
import type { M365Settings } from '../../../../src/connectors/m365/m365Settings';
import { retryAfterMs } from '../../../../src/connectors/m365/graphErrors';

const settings: M365Settings = { tenantId: 'contoso.onmicrosoft.com', clientId: '00000000-0000-4000-8000-000000000001', authorityHost: 'https://login.microsoftonline.com', graphEndpoint: 'https://graph.microsoft.com', credential: { kind: 'deviceCode' } };
const msalError = (errorCode: string, errorMessage: string) => Object.assign(new Error(`${errorCode}: ${errorMessage}`), { errorCode, errorMessage });

describe('m365 sign-in errors', () => {
  const cases: [string, string, string][] = [
    ['invalid_grant', 'AADSTS50126: Error validating credentials due to invalid username or password. Trace ID: 1 Correlation ID: 2 Timestamp: 2026-11-21 07:00:00Z', 'M365-BAD-CREDENTIALS'],
    ['invalid_grant', 'AADSTS65001: The user or administrator has not consented to use the application. Trace ID: x', 'M365-CONSENT'],
    ['unauthorized_client', "AADSTS700016: Application with identifier 'x' was not found in the directory 'y'.", 'M365-APP-NOT-FOUND'],
    ['invalid_client', 'AADSTS7000222: The provided client secret keys for app are expired.', 'M365-BAD-SECRET'],
    ['invalid_request', 'AADSTS90002: Tenant not found.', 'M365-TENANT-NOT-FOUND'],
    ['invalid_request', 'AADSTS50059: No tenant-identifying information found.', 'M365-AUTH'],
  ];
  for (const [errorCode, text, code] of cases) {
    it(`${text.slice(0, 14)} -> ${code}`, () => {
      const err = toAuthError(msalError(errorCode, text), settings);
      assert.equal(err.code, code);
      assert.equal(err.disposition, 'mailbox');
      assert.doesNotMatch(err.message, /Trace ID|Correlation ID/);
      assert.match(err.message, /AADSTS\d+/);
    });
  }

  it('tells TLS failures (mailbox) from unreachable hosts (transient)', () => {
    const tls = toAuthError(new Error('network_error: unable to verify the first certificate'), settings);
    assert.deepEqual([tls.code, tls.disposition], ['M365-TLS', 'mailbox']);
    const down = toAuthError(new Error('network_error: connect ECONNREFUSED 127.0.0.1:443'), settings);
    assert.deepEqual([down.code, down.disposition], ['M365-CONNECT', 'transient']);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    assert.equal(retryAfterMs('12'), 12_000);
    assert.equal(retryAfterMs(new Date(61_000).toUTCString(), 1_000), 60_000);
    assert.equal(retryAfterMs(undefined), undefined);
    assert.equal(retryAfterMs('soon'), undefined);
  });
});
