import * as assert from 'node:assert/strict';
import { imapAuth, imapEndpointSettings, imapFlowOptions } from '../../../src/connectors/imap/imapSettings';
import { ConnectorError } from '../../../src/connectors/types';
import { imapRequest } from './connectorHarness';

describe('connectors: IMAP settings and credentials', () => {
  it('fills the schema defaults: tls on 993, starttls and none on 143', () => {
    assert.deepEqual(imapEndpointSettings({ host: 'h' }), { host: 'h', port: 993, security: 'tls', allowInvalidCertificates: false, maxConnections: 10 });
    assert.equal(imapEndpointSettings({ host: 'h', security: 'starttls' }).port, 143);
    assert.equal(imapEndpointSettings({ host: 'h', security: 'none', port: 1143 }).port, 1143);
  });

  it('maps security to imapflow options and accepts invalid certificates only when asked', () => {
    const auth = { user: 'u', pass: 'p' };
    const tls = imapFlowOptions(imapEndpointSettings({ host: 'h' }), auth);
    assert.equal(tls.secure, true);
    assert.equal(tls.tls, undefined);
    assert.equal(tls.logger, false);
    const starttls = imapFlowOptions(imapEndpointSettings({ host: 'h', security: 'starttls', allowInvalidCertificates: true }), auth);
    assert.deepEqual([starttls.secure, starttls.doSTARTTLS, starttls.tls?.rejectUnauthorized], [false, true, false]);
    const none = imapFlowOptions(imapEndpointSettings({ host: 'h', security: 'none' }), auth);
    assert.deepEqual([none.secure, none.doSTARTTLS], [false, false]);
  });

  const endpoint = imapEndpointSettings({ host: 'h', security: 'none' });

  it('logs in with the password secret', () => {
    const { auth, identity } = imapAuth(imapRequest('h', 143, 'ann@x', { username: 'ann@x', password: { secret: 'ANN' } }, { ANN: 'pw' }), endpoint);
    assert.deepEqual(auth, { user: 'ann@x', pass: 'pw' });
    assert.deepEqual(identity, { user: 'ann@x' });
  });

  it('uses SASL PLAIN with the authorization identity for an administrator, {mailbox} filled per item', () => {
    const { auth, identity } = imapAuth(imapRequest('h', 143, 'ann@x', { username: 'admin', password: { secret: 'ADM' }, authorizationIdentity: '{mailbox}' }, { ADM: 'pw' }), endpoint);
    assert.deepEqual(auth, { user: 'admin', pass: 'pw', loginMethod: 'AUTH=PLAIN', authzid: 'ann@x' });
    assert.deepEqual(identity, { user: 'admin', authzid: 'ann@x' });
    const login = imapAuth(imapRequest('h', 143, 'ann@x', { username: 'u', password: { secret: 'S' }, mechanism: 'login' }, { S: 'pw' }), endpoint).auth;
    assert.equal(login.loginMethod, 'LOGIN');
  });

  it('sends the secret of an xoauth2 login as the access token', () => {
    const { auth } = imapAuth(imapRequest('h', 143, 'ann@gmail.test', { username: 'ann@gmail.test', password: { secret: 'TOKEN' }, mechanism: 'xoauth2' }, { TOKEN: 'ya29.abc' }), endpoint);
    assert.deepEqual(auth, { user: 'ann@gmail.test', accessToken: 'ya29.abc' });
  });

  it('prefers the item credentials to the endpoint auth', () => {
    const request = imapRequest('h', 143, 'ann@x', { username: 'ann', password: { secret: 'ITEM' } }, { ITEM: 'item-pw', EP: 'endpoint-pw' });
    request.endpoint.auth = { username: 'admin', password: { secret: 'EP' } };
    assert.deepEqual(imapAuth(request, endpoint).auth, { user: 'ann', pass: 'item-pw' });
    const fallback = imapRequest('h', 143, 'ann@x', undefined, { EP: 'endpoint-pw' });
    fallback.endpoint.auth = { username: 'admin', password: { secret: 'EP' } };
    assert.deepEqual(imapAuth(fallback, endpoint).auth, { user: 'admin', pass: 'endpoint-pw' });
  });

  it('with oauth: XOAUTH2 from a refresh token (the item\'s own first, then oauth.refreshToken), Google\'s token URL by default', () => {
    const oauth = { clientId: 'c.apps.googleusercontent.com', clientSecret: { secret: 'GC' }, refreshToken: { secret: 'GR' } };
    assert.deepEqual(imapEndpointSettings({ host: 'h', oauth }).oauth, { clientId: 'c.apps.googleusercontent.com', clientSecret: 'GC', refreshToken: 'GR', tokenUrl: 'https://oauth2.googleapis.com/token' });
    const endpointGrant = imapRequest('h', 143, 'ann@x', { username: '{mailbox}' }, { GC: 'cs', GR: 'rt' }, { oauth });
    const { auth, identity, accessToken } = imapAuth(endpointGrant, imapEndpointSettings(endpointGrant.endpoint.settings));
    assert.deepEqual([auth.user, identity.user, accessToken !== undefined], ['ann@x', 'ann@x', true]);
    // The item's password is its refresh token, ahead of the endpoint's GR.
    const unset = imapRequest('h', 143, 'ann@x', { username: 'ann@x', mechanism: 'xoauth2', password: { secret: 'ANN_RT' } }, { GC: 'cs', GR: 'rt' }, { oauth });
    assert.throws(() => imapAuth(unset, imapEndpointSettings(unset.endpoint.settings)), /the secret ANN_RT is not set/);
    const itemGrant = imapRequest('h', 143, 'ann@x', { username: 'ann@x', mechanism: 'xoauth2', password: { secret: 'ANN_RT' } }, { GC: 'cs', ANN_RT: 'art' }, { oauth });
    assert.ok(imapAuth(itemGrant, imapEndpointSettings(itemGrant.endpoint.settings)).accessToken);
    const missing = imapRequest('h', 143, 'ann@x', { username: 'ann@x' }, { GR: 'rt' }, { oauth });
    assert.throws(() => imapAuth(missing, imapEndpointSettings(missing.endpoint.settings)), (e: unknown) => e instanceof ConnectorError && e.code === 'IMAP-AUTH' && /the secret GC is not set/.test(e.message) && !e.message.includes('rt'));
  });

  it('fails with IMAP-AUTH (mailbox) when the secret is missing, naming the secret, not a value', () => {
    assert.throws(
      () => imapAuth(imapRequest('h', 143, 'ann@x', { username: 'ann', password: { secret: 'MISSING' } }, {}), endpoint),
      (error: unknown) => error instanceof ConnectorError && error.code === 'IMAP-AUTH' && error.disposition === 'mailbox' && /MISSING is not set/.test(error.message),
    );
    assert.throws(() => imapAuth(imapRequest('h', 143, 'ann@x', undefined, {}), endpoint), (error: unknown) => error instanceof ConnectorError && error.code === 'IMAP-AUTH');
  });
});
