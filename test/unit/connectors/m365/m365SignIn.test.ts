// Signing in to the fake Microsoft 365 through the m365 connector (msal-node with a non-Microsoft
// authority in knownAuthorities): secret and certificate work; each AADSTS error an operator meets
// becomes its catalog code, with the disposition that fails the mailbox; unlicensed users and
// missing mailboxes are told apart.
import * as assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { m365Connector } from '../../../../src/connectors/m365/m365Connector';
import { getEntry, resolveFixes } from '../../../../src/errors/catalog';
import { startFakeM365 } from '../../../servers/fakeM365/server';
import { startTestTenant, type TestTenant } from '../../../servers/fakeM365/testTenant';
import { connectorRejection as codeOf } from '../connectorHarness';

describe('m365 connector: sign-in', function () {
  this.timeout(20_000);
  let t: TestTenant;

  before(async () => {
    t = await startTestTenant(['ann@contoso.test']);
    t.fake.data.addUser(t.tenant, 'nolicence@contoso.test', { licensed: false });
  });
  after(async () => {
    await t?.fake.close();
  });

  it('signs in with a client secret and opens the mailbox', async () => {
    const source = await m365Connector.openSource(t.request('ann@contoso.test'));
    assert.ok((await source.listFolders()).some((f) => f.role === 'inbox'));
    await source.close();
  });

  it('signs in with a certificate (thumbprint + private key secret)', async () => {
    const settings = { ...t.settings(), clientSecret: undefined, certificate: { thumbprint: t.certificate.sha1, privateKey: { secret: 'KEY' }, certificate: { secret: 'CERT' } } };
    delete settings.clientSecret;
    const source = await m365Connector.openSource(t.request('ann@contoso.test', { KEY: t.certificate.privateKey, CERT: t.certificate.certificate }, settings));
    assert.ok((await source.listFolders()).length >= 6);
    const sha1Only = { ...settings, certificate: { thumbprint: t.certificate.sha1, privateKey: { secret: 'KEY' } } };
    await m365Connector.openSource(t.request('ann@contoso.test', { KEY: t.certificate.privateKey }, sha1Only));
  });

  it('maps a wrong secret to M365-BAD-SECRET (AADSTS7000215) with the Set Secret fix', async () => {
    const err = await codeOf(m365Connector.openSource(t.request('ann@contoso.test', { M365_SECRET: 'wrong' })));
    assert.equal(err.code, 'M365-BAD-SECRET');
    assert.equal(err.disposition, 'mailbox');
    assert.equal(getEntry('AADSTS7000215')?.code, 'M365-BAD-SECRET');
    assert.ok(getEntry(err.code)!.fixes.some((f) => f.kind === 'command' && f.command === 'ferry.setSecret'));
  });

  it('maps an unknown app to M365-APP-NOT-FOUND (AADSTS700016) with the admin consent URL filled in', async () => {
    const clientId = randomUUID();
    const err = await codeOf(m365Connector.openSource(t.request('ann@contoso.test', undefined, { ...t.settings(), clientId })));
    assert.equal(err.code, 'M365-APP-NOT-FOUND');
    assert.match(err.message, /AADSTS700016/);
    const consent = resolveFixes(err.code, { tenantId: t.tenant.id, applicationId: clientId }).find((f) => f.kind === 'adminCommand');
    assert.ok(consent && consent.kind === 'adminCommand');
    assert.equal(consent.template, `https://login.microsoftonline.com/${t.tenant.id}/adminconsent?client_id=${clientId}`);
  });

  it('maps an unknown tenant to M365-TENANT-NOT-FOUND (AADSTS90002)', async () => {
    const err = await codeOf(m365Connector.openSource(t.request('ann@contoso.test', undefined, { ...t.settings(), tenantId: 'fabrikam.test' })));
    assert.equal(err.code, 'M365-TENANT-NOT-FOUND', err.message);
  });

  it('maps missing admin consent to M365-CONSENT (AADSTS65001)', async () => {
    const app = t.fake.data.addApp(t.tenant, { secrets: ['s'], consented: false });
    const err = await codeOf(m365Connector.openSource(t.request('ann@contoso.test', { M365_SECRET: 's' }, { ...t.settings(), clientId: app.clientId })));
    assert.equal(err.code, 'M365-CONSENT');
  });

  it('maps missing Mail.ReadWrite to GRAPH-403, an unknown user to GRAPH-404, no licence to GRAPH-NOLICENSE', async () => {
    const app = t.fake.data.addApp(t.tenant, { secrets: ['s'], roles: [] });
    const denied = await codeOf(m365Connector.openSource(t.request('ann@contoso.test', { M365_SECRET: 's' }, { ...t.settings(), clientId: app.clientId })));
    assert.equal(denied.code, 'GRAPH-403');
    assert.equal((await codeOf(m365Connector.openSource(t.request('nobody@contoso.test')))).code, 'GRAPH-404');
    const unlicensed = await codeOf(m365Connector.openDestination(t.request('nolicence@contoso.test')));
    assert.equal(unlicensed.code, 'GRAPH-NOLICENSE');
    assert.equal(unlicensed.disposition, 'mailbox');
  });

  it('reports a host whose certificate is not trusted as M365-TLS', async () => {
    // A second fake whose CA this process was never told to trust.
    const untrusted = await startFakeM365({ dataDir: t.fake.data.dir + '-untrusted' });
    try {
      const err = await codeOf(m365Connector.openSource(t.request('ann@contoso.test', undefined, { ...t.settings(), authorityHost: untrusted.url })));
      assert.deepEqual([err.code, err.disposition], ['M365-TLS', 'mailbox'], err.message);
    } finally {
      await untrusted.close();
    }
  });

  it('reports an unreachable sign-in host as M365-CONNECT (retried)', async () => {
    const err = await codeOf(m365Connector.openSource(t.request('ann@contoso.test', undefined, { ...t.settings(), authorityHost: 'https://127.0.0.1:1' })));
    assert.equal(err.code, 'M365-CONNECT', err.message);
    assert.equal(err.disposition, 'transient');
  });
});
