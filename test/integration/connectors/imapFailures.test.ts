// How the IMAP connector fails (and logs in as an administrator) against a real Dovecot started
// for this suite: each failure must carry its catalog code and disposition.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import type { ImapFlow } from 'imapflow';
import { imapConnector } from '../../../src/connectors/imap/imapConnector';
import { ConnectorError } from '../../../src/connectors/types';
import { startDovecot, type DovecotServer } from '../../servers/dovecot';
import { connectAs, seedMessages } from '../../servers/dovecotSeed';
import { plainMessage, sampleMessages } from '../../servers/testMessages';
import { imapRequest, imapSides } from '../../unit/connectors/connectorHarness';

const signal = new AbortController().signal;

/** Asserts the rejection's code and disposition; returns the error for further checks. */
async function rejectsWith(promise: Promise<unknown>, code: string, disposition: string, text?: RegExp): Promise<ConnectorError> {
  const error = await promise.then(
    () => assert.fail(`expected ${code}`),
    (e: unknown) => e,
  );
  assert.ok(error instanceof ConnectorError, String(error));
  assert.equal(error.code, code, error.message);
  assert.equal(error.disposition, disposition);
  if (text) assert.match(error.message, text);
  return error;
}

describe('connectors: imap failures and logins (Dovecot)', function () {
  this.timeout(20_000);
  let server: DovecotServer;
  /** Token introspection for Dovecot's oauth2 passdb: 'valid-token' is Alice's, anything else is refused. */
  const introspection = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const active = new URLSearchParams(body).get('token') === 'valid-token';
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify(active ? { active: true, username: 'alice' } : { active: false }));
    });
  });
  const { open, as, source, destination } = imapSides(() => server.port);

  before(async () => {
    await new Promise<void>((resolve) => introspection.listen(0, '127.0.0.1', resolve));
    server = await startDovecot({
      oauth2IntrospectionUrl: `http://127.0.0.1:${(introspection.address() as AddressInfo).port}/introspect`,
      users: [
        { user: 'alice', password: 'alice-pw' },
        { user: 'bob', password: 'bob-pw' },
        { user: 'carol', password: 'carol-pw', quotaBytes: 3000 },
      ],
      masterUsers: [{ user: 'admin', password: 'admin-pw' }],
      tls: true,
    });
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((m) => m.close()));
  });
  after(async () => {
    await server?.stop();
    introspection.close();
  });

  it('logs an administrator in to a user mailbox with the SASL PLAIN authorization identity', async () => {
    const request = imapRequest('127.0.0.1', server.port, 'bob', { username: 'admin', password: { secret: 'ADMIN' }, mechanism: 'plain', authorizationIdentity: '{mailbox}' }, { ADMIN: 'admin-pw' });
    const d = await imapConnector.openDestination(request);
    open.push(d);
    const folder = await d.ensureFolder(['From admin'], undefined);
    await d.writeItem(folder, { format: 'rfc822', data: plainMessage(5).raw, flags: [], date: new Date() }, signal);
    const bob = await connectAs(server, 'bob');
    const status = await bob.status('From admin', { messages: true });
    await bob.logout();
    assert.equal(status && status.messages, 1);
    const denied = imapRequest('127.0.0.1', server.port, 'nobody-here', { username: 'admin', password: { secret: 'ADMIN' }, authorizationIdentity: '{mailbox}' }, { ADMIN: 'admin-pw' });
    await rejectsWith(imapConnector.openSource(denied), 'IMAP-AUTHZ', 'mailbox');
  });

  it('logs in with an XOAUTH2 access token, and reports a refused token as IMAP-AUTH without the token', async () => {
    const withToken = (token: string) => imapRequest('127.0.0.1', server.port, 'alice', { username: 'alice', password: { secret: 'TOKEN' }, mechanism: 'xoauth2' }, { TOKEN: token });
    const s = await imapConnector.openSource(withToken('valid-token'));
    open.push(s);
    assert.ok((await s.listFolders()).some((f) => f.role === 'inbox'));
    const refused = await rejectsWith(imapConnector.openSource(withToken('expired-token')), 'IMAP-AUTH', 'mailbox', /the OAuth 2\.0 access token was refused/);
    assert.ok(!`${refused.message} ${refused.args.join(' ')}`.includes('expired-token'));
  });

  it('reports a wrong password as IMAP-AUTH (mailbox) without the password', async () => {
    const refused = await rejectsWith(imapConnector.openSource(as('alice', 'not-the-password')), 'IMAP-AUTH', 'mailbox', /^Login to 127\.0\.0\.1:\d+ as alice failed/);
    assert.ok(!`${refused.message} ${refused.args.join(' ')}`.includes('not-the-password'));
  });

  it('reports an unreachable port as IMAP-CONNECT', async () => {
    const { freePort } = await import('../../servers/dovecot.js');
    await rejectsWith(imapConnector.openSource(as('alice', 'alice-pw', { port: await freePort() })), 'IMAP-CONNECT', 'transient', /ECONNREFUSED/);
  });

  it('reports a self-signed certificate as IMAP-TLS (tls and starttls), and accepts it when the plan allows it', async () => {
    await rejectsWith(imapConnector.openSource(as('alice', 'alice-pw', { port: server.portTls, security: 'tls' })), 'IMAP-TLS', 'mailbox');
    const s = await imapConnector.openSource(as('alice', 'alice-pw', { port: server.portTls, security: 'tls', allowInvalidCertificates: true }));
    open.push(s);
    assert.ok((await s.listFolders()).length > 0);
    // The plain port offers STARTTLS with the same certificate.
    await rejectsWith(imapConnector.openSource(as('alice', 'alice-pw', { security: 'starttls' })), 'IMAP-TLS', 'mailbox');
    const upgraded = await imapConnector.openSource(as('alice', 'alice-pw', { security: 'starttls', allowInvalidCertificates: true }));
    open.push(upgraded);
    assert.ok((await upgraded.listFolders()).length > 0);
  });

  it('reports a destination over quota as IMAP-QUOTA (mailbox)', async () => {
    const d = await destination('carol', 'carol-pw');
    const inbox = await d.ensureFolder(['INBOX'], 'inbox');
    const [, multipart] = sampleMessages();
    await rejectsWith(d.writeItem(inbox, { format: 'rfc822', data: multipart.raw, flags: [], date: new Date() }, signal), 'IMAP-QUOTA', 'mailbox', /carol.*Quota exceeded/);
  });

  it('reconnects after the server drops the connection', async () => {
    await seedMessages(server, 'alice', 'Dropped', [plainMessage(1)]);
    const s = await source();
    const folder = (await s.listFolders()).find((f) => f.id === 'Dropped')!;
    // The session's client (private): the test waits until it has heard the server close the connection.
    const client = (s as unknown as { session: { client?: ImapFlow } }).session.client;
    assert.ok(client?.usable, 'connected before the kick');
    const closed = once(client, 'close');
    execFileSync('doveadm', ['-c', path.join(server.dir, 'dovecot.conf'), 'kick', 'alice'], { stdio: 'ignore' });
    await closed;
    // The next command opens the connection again by itself.
    const listing = await s.listItems(folder, undefined, signal);
    assert.equal(listing.items.length, 1);
  });
});
