import * as assert from 'node:assert/strict';
import { toConnectorError, type ImapErrorContext } from '../../../src/connectors/imap/imapErrors';
import { ConnectorError } from '../../../src/connectors/types';
import { getEntry } from '../../../src/errors/catalog';

const context: ImapErrorContext = { host: 'imap.example', port: 993, user: 'admin', mailbox: 'ann@example', command: 'APPEND to Sent', folder: 'Sent', sizeBytes: 1234 };

/** An error shaped like the ones imapflow raises. */
function imapflowError(message: string, fields: Record<string, unknown>): Error {
  return Object.assign(new Error(message), fields);
}

describe('connectors: IMAP error mapping', () => {
  const cases: readonly [string, Error, string, string][] = [
    ['wrong password', imapflowError('Command failed', { authenticationFailed: true, serverResponseCode: 'AUTHENTICATIONFAILED', responseText: 'Authentication failed.' }), 'IMAP-AUTH', 'mailbox'],
    ['authorization identity refused', imapflowError('Command failed', { authenticationFailed: true, serverResponseCode: 'AUTHORIZATIONFAILED', responseText: 'Authorization failed' }), 'IMAP-AUTHZ', 'mailbox'],
    ['connection refused', imapflowError('connect ECONNREFUSED 127.0.0.1:1', { code: 'ECONNREFUSED' }), 'IMAP-CONNECT', 'transient'],
    ['unknown host', imapflowError('getaddrinfo ENOTFOUND nope', { code: 'ENOTFOUND' }), 'IMAP-CONNECT', 'mailbox'],
    ['self-signed certificate', imapflowError('self-signed certificate', { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }), 'IMAP-TLS', 'mailbox'],
    ['STARTTLS refused', imapflowError('Failed to upgrade', { tlsFailed: true }), 'IMAP-TLS', 'mailbox'],
    ['greeting timeout', imapflowError('Failed to receive greeting', { code: 'GREETING_TIMEOUT' }), 'IMAP-TIMEOUT', 'transient'],
    ['connection closed', imapflowError('Connection not available', { code: 'NoConnection' }), 'IMAP-DISCONNECT', 'transient'],
    ['socket reset', imapflowError('read ECONNRESET', { code: 'ECONNRESET' }), 'IMAP-DISCONNECT', 'transient'],
    ['over quota (code)', imapflowError('Command failed', { responseStatus: 'NO', serverResponseCode: 'OVERQUOTA', responseText: 'Quota exceeded (mailbox for user is full)' }), 'IMAP-QUOTA', 'mailbox'],
    ['over quota (text only)', imapflowError('Command failed', { responseStatus: 'NO', responseText: 'Quota exceeded' }), 'IMAP-QUOTA', 'mailbox'],
    ['too big', imapflowError('Command failed', { responseStatus: 'NO', serverResponseCode: 'TOOBIG', responseText: 'Message too large' }), 'IMAP-ITEM-TOO-LARGE', 'item'],
    ['APPENDLIMIT', imapflowError('Message content too big for APPENDLIMIT=1000', { serverResponseCode: 'APPENDLIMIT' }), 'IMAP-ITEM-TOO-LARGE', 'item'],
    ['no such folder', imapflowError('Command failed', { responseStatus: 'NO', serverResponseCode: 'NONEXISTENT', responseText: 'Mailbox does not exist' }), 'IMAP-NOMAILBOX', 'item'],
    ['too many connections', imapflowError('Command failed', { responseStatus: 'NO', responseText: 'Too many simultaneous connections' }), 'IMAP-THROTTLED', 'transient'],
    ['[LIMIT]', imapflowError('Command failed', { responseStatus: 'NO', serverResponseCode: 'LIMIT', responseText: 'Slow down' }), 'IMAP-THROTTLED', 'transient'],
    ['[UNAVAILABLE]', imapflowError('Command failed', { responseStatus: 'NO', serverResponseCode: 'UNAVAILABLE', responseText: 'Try later' }), 'IMAP-NO', 'transient'],
    ['other NO', imapflowError('Command failed', { responseStatus: 'NO', responseText: 'Permission denied' }), 'IMAP-NO', 'item'],
    ['BAD', imapflowError('Command failed', { responseStatus: 'BAD', responseText: 'Error in IMAP command: Invalid arguments' }), 'IMAP-BAD', 'item'],
  ];
  for (const [name, raw, code, disposition] of cases) {
    it(`${name} -> ${code} (${disposition})`, () => {
      const mapped = toConnectorError(raw, context);
      assert.ok(mapped instanceof ConnectorError, `not mapped: ${String(mapped)}`);
      assert.equal(mapped.code, code);
      assert.equal(mapped.disposition, disposition);
      assert.ok(getEntry(code), `${code} is in the catalog`);
      assert.doesNotMatch(mapped.message, /\{\d\}/, 'every placeholder filled');
    });
  }

  it('quotes the server text in IMAP-NO, without the timing suffix Dovecot adds', () => {
    const mapped = toConnectorError(imapflowError('Command failed', { responseStatus: 'NO', responseText: 'Permission denied (0.001 + 0.000 secs).' }), context) as ConnectorError;
    assert.equal(mapped.message, 'imap.example refused APPEND to Sent: Permission denied');
  });

  it('carries the server back-off of a throttled connection', () => {
    const mapped = toConnectorError(imapflowError('Throttled', { code: 'ETHROTTLE', throttleReset: 5000 }), context) as ConnectorError;
    assert.equal(mapped.code, 'IMAP-THROTTLED');
    assert.equal(mapped.retryAfterMs, 5000);
  });

  it('never quotes the command sent (a LOGIN carries the password)', () => {
    const mapped = toConnectorError(imapflowError('Command failed', { authenticationFailed: true, responseText: 'Authentication failed.', executedCommand: 'A1 LOGIN admin s3cret' }), context) as ConnectorError;
    assert.doesNotMatch(mapped.message, /s3cret/);
    assert.doesNotMatch(mapped.args.join(' '), /s3cret/);
  });

  it('lets programming errors and connector errors through unchanged', () => {
    const bug = new TypeError('x is undefined');
    assert.equal(toConnectorError(bug, context), bug);
    const already = new ConnectorError('IMAP-NO', 'x', 'item');
    assert.equal(toConnectorError(already, context), already);
  });
});
