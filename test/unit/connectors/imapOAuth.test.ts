// XOAUTH2 access tokens from a refresh token (src/connectors/imap/imapOAuth.ts) against the fake
// Google token endpoint: kept while good, refreshed before expiry (the clock is injected), one
// request for concurrent refreshes, and each refusal of the token endpoint as its catalog code.
import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import { RefreshingAccessToken } from '../../../src/connectors/imap/imapOAuth';
import { ConnectorError } from '../../../src/connectors/types';
import { startGoogleTokens, type GoogleTokens } from '../../servers/fakeGmailImap/googleTokens';

const CLIENT = { clientId: 'unit.apps.googleusercontent.test', clientSecret: 'unit-secret' };

describe('imap XOAUTH2 refresh (RefreshingAccessToken)', function () {
  this.timeout(20_000);
  let tokens: GoogleTokens;
  before(async () => {
    tokens = await startGoogleTokens({ client: CLIENT, expiresIn: 3599 });
  });
  after(async () => {
    await tokens?.close();
  });
  const make = (refreshToken: string, extra: { clientSecret?: string; tokenUrl?: string; now?: () => number } = {}) =>
    new RefreshingAccessToken({ clientId: CLIENT.clientId, clientSecret: extra.clientSecret ?? CLIENT.clientSecret, refreshToken, tokenUrl: extra.tokenUrl ?? tokens.tokenUrl, user: 'ann@gmail.test', ...(extra.now ? { now: extra.now } : {}) });
  const refusal = async (p: Promise<unknown>): Promise<ConnectorError> => {
    const error = await p.then(() => undefined, (e: unknown) => e);
    assert.ok(error instanceof ConnectorError, String(error));
    return error;
  };

  it('keeps a token while it has time left and gets a new one five minutes before it expires', async () => {
    let skew = 0;
    const t = make(tokens.grant('ann@gmail.test'), { now: () => Date.now() + skew });
    const first = await t.current();
    assert.ok(tokens.check('ann@gmail.test', first));
    assert.equal(await t.current(), first);
    skew = 3599_000 - 6 * 60_000;
    assert.equal(await t.current(), first, 'six minutes left: kept');
    skew = 3599_000 - 4 * 60_000;
    const second = await t.current();
    assert.notEqual(second, first, 'four minutes left: refreshed');
    assert.equal(t.refreshes, 2);
  });

  it('asks the token endpoint once for concurrent refreshes (a server refused the token on several connections)', async () => {
    const t = make(tokens.grant('bea@gmail.test'));
    const before = tokens.refreshes.length;
    const got = await Promise.all([t.refresh(), t.refresh(), t.refresh()]);
    assert.equal(new Set(got).size, 1);
    assert.equal(tokens.refreshes.length - before, 1);
  });

  it('a revoked refresh token is IMAP-OAUTH-REVOKED (the mailbox fails), without the token in the message', async () => {
    const refresh = tokens.grant('cal@gmail.test');
    tokens.revoke(refresh);
    const error = await refusal(make(refresh).current());
    assert.equal(error.code, 'IMAP-OAUTH-REVOKED');
    assert.equal(error.disposition, 'mailbox');
    assert.match(error.message, /invalid_grant: Token has been expired or revoked\./);
    assert.ok(!error.message.includes(refresh));
  });

  it('a wrong client secret is IMAP-OAUTH-CLIENT; an endpoint that does not answer is IMAP-OAUTH-TOKEN, retried', async () => {
    const wrong = await refusal(make(tokens.grant('dan@gmail.test'), { clientSecret: 'not-it' }).current());
    assert.equal(wrong.code, 'IMAP-OAUTH-CLIENT');
    assert.ok(!wrong.message.includes('not-it'));
    // A port nobody listens on (taken, then released).
    const port = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as net.AddressInfo).port;
        s.close(() => resolve(p));
      });
    });
    const down = await refusal(make(tokens.grant('dan@gmail.test'), { tokenUrl: `http://127.0.0.1:${port}/token` }).current());
    assert.equal(down.code, 'IMAP-OAUTH-TOKEN');
    assert.equal(down.disposition, 'transient');
  });
});
