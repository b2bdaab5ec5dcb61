// Verify credentials against the fake Google: opening a mailbox tells apart a key Google does not
// accept, a service account without domain-wide delegation, one missing a scope, an unknown and a
// suspended user, each with its GMAIL- code and the Admin console step; and discovery lists the
// domain's users (Admin SDK Directory) as the endpoint's administrator.
import * as assert from 'node:assert/strict';
import { gmailConnector } from '../../../../src/connectors/gmail/gmailConnector';
import { ConnectorError, type OpenMailboxRequest } from '../../../../src/connectors/types';
import { getEntry } from '../../../../src/errors/catalog';
import { discoverMailboxes } from '../../../../src/engine/discovery';
import { registryConnectors } from '../../../../src/runner/connectors';
import { MIGRATION_SCOPES } from '../../../servers/fakeGoogle/admin';
import type { ServiceAccountKey } from '../../../servers/fakeGoogle/domain';
import { startTestDomain, type TestDomain } from '../../../servers/fakeGoogle/testDomain';
import { gmailProject } from '../../engine/gmailProject';

describe('connectors: gmail sign-in and discovery (fake Google)', function () {
  this.timeout(60_000);
  let d: TestDomain;
  before(async () => {
    d = await startTestDomain({ users: ['ann@example.test', 'bob@example.test', 'sue@example.test', 'old@example.test'] });
    d.fake.admin.suspendUser('sue@example.test');
    d.fake.admin.deleteUser('old@example.test');
  });
  after(async () => d?.fake.stop());

  const request = (mailbox: string, key: ServiceAccountKey = d.key): OpenMailboxRequest => ({
    endpoint: { name: 'google', type: 'gmail', settings: { domain: 'example.test', serviceAccount: { clientEmail: key.client_email, privateKey: { secret: 'GKEY' } }, tokenUrl: d.fake.tokenUrl, apiRootUrl: `${d.fake.url}/` }, nameRange: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } },
    planDir: '.',
    mailbox,
    credentials: { secrets: new Map([['GKEY', JSON.stringify(key)]]) },
    signal: new AbortController().signal,
  });
  const refusal = async (r: OpenMailboxRequest): Promise<ConnectorError> => {
    try {
      await gmailConnector.openSource(r);
    } catch (err) {
      assert.ok(err instanceof ConnectorError, String(err));
      return err;
    }
    assert.fail('opened');
  };

  it('opens a mailbox with the delegated service account', async () => {
    const source = await gmailConnector.openSource(request('ann@example.test'));
    assert.ok((await source.listFolders()).some((f) => f.role === 'inbox'));
    await source.close();
  });

  it('tells apart a bad key, no delegation, a missing scope, an unknown and a suspended user', async () => {
    // A key deleted in the Cloud console: its signature no longer verifies.
    const second = d.fake.admin.addServiceAccountKey(d.key.client_email);
    d.fake.admin.deleteServiceAccountKey(d.key.client_email, second.private_key_id);
    const codes: Record<string, string> = {};
    codes.badKey = (await refusal(request('ann@example.test', second))).code;
    codes.notJson = (await refusal({ ...request('ann@example.test'), credentials: { secrets: new Map([['GKEY', 'not a key']]) } })).code;
    codes.unknown = (await refusal(request('nobody@example.test'))).code;
    codes.deleted = (await refusal(request('old@example.test'))).code;
    codes.suspended = (await refusal(request('sue@example.test'))).code;
    // Another service account, never delegated.
    const lone = d.fake.admin.createServiceAccount('lone');
    codes.noDelegation = (await refusal(request('ann@example.test', lone))).code;
    // Delegated, but without the mail scope.
    const partial = d.fake.admin.createServiceAccount('partial');
    d.fake.admin.delegate(partial.client_id, MIGRATION_SCOPES.filter((s) => !s.includes('gmail') && s !== 'https://mail.google.com/'));
    const missing = await refusal(request('ann@example.test', partial));
    codes.missingScope = missing.code;
    assert.deepEqual(codes, { badKey: 'GMAIL-BAD-KEY', notJson: 'GMAIL-BAD-KEY', unknown: 'GMAIL-USER-UNKNOWN', deleted: 'GMAIL-USER-UNKNOWN', suspended: 'GMAIL-USER-SUSPENDED', noDelegation: 'GMAIL-NO-DELEGATION', missingScope: 'GMAIL-SCOPE-MISSING' });
    assert.match(missing.message, /gmail\.readonly/);
    assert.equal(missing.disposition, 'mailbox');
    assert.match(getEntry('GMAIL-NO-DELEGATION')!.action, /Manage Domain Wide Delegation/);
  });

  it('discovery lists the active users of the domain as the endpoint administrator', async () => {
    const { plan, store } = gmailProject(d, '{ type: maildir, path: ./out }', [{ source: 'ann@example.test', destination: 'ann@example.test' }]);
    const found = await discoverMailboxes({ plan, endpoint: 'google', connectors: registryConnectors, secrets: (n) => (n === 'GKEY' ? JSON.stringify(d.key) : undefined) });
    assert.deepEqual(found, ['admin@example.test', 'ann@example.test', 'bob@example.test']);
    store.close();
  });
});
