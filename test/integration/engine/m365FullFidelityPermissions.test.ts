// The permissions of the mailbox import/export API a full-fidelity Microsoft 365 source needs
// (issue 13), on the fake, which requires what Microsoft's pages document: listing folders
// MailboxFolder.Read.All, items and a delta's changes MailboxItem.Read.All, export
// MailboxItem.Export.All. The source's app is another app than the destination's (which holds
// MailboxItem.ImportExport.All, itself enough to export), so each permission is taken away alone.
// Verify names the first one missing before a pass needs it; a delta without MailboxItem.Read.All
// stops the mailbox with GRAPH-403-FF and the consent fix, loses nothing, and goes on once granted.
import * as assert from 'node:assert/strict';
import { resetTokenProviders } from '../../../src/connectors/m365/auth/tokenProvider';
import { m365Connector } from '../../../src/connectors/m365/m365Connector';
import { getEntry } from '../../../src/errors/catalog';
import type { AppRecord } from '../../servers/fakeM365/data';
import { FULL_FIDELITY_ROLES, startTestTenant, type TestTenant } from '../../servers/fakeM365/testTenant';
import { plainMessage } from '../../servers/testMessages';
import { inProcessProject } from './deltaScenario';

const SOURCE_ROLES = ['MailboxFolder.Read.All', 'MailboxItem.Read.All', 'MailboxItem.Export.All'];

describe('full fidelity, Microsoft 365 -> Microsoft 365: the import/export API permissions of the source (fake)', function () {
  this.timeout(120_000);
  let t: TestTenant;
  let sourceApp: AppRecord;
  const secrets: Record<string, string> = {};
  const signal = new AbortController().signal;
  afterEach(() => assert.deepEqual(t?.fake.graph.deviations ?? [], []));

  before(async () => {
    t = await startTestTenant(['src-verify@contoso.test', 'dst-verify@contoso.test', 'src-delta@contoso.test', 'dst-delta@contoso.test']);
    t.app.roles.push(...FULL_FIDELITY_ROLES);
    sourceApp = t.fake.data.addApp(t.tenant, { secrets: ['source~app.Secret_0123456789'] });
    secrets.SRC = sourceApp.secrets[0];
    secrets.DST = t.secret;
  });
  after(async () => {
    await t?.fake.close();
    resetTokenProviders();
  });

  /** The source app's mailbox import/export permissions from now on (signed in anew). */
  function grantSource(permissions: readonly string[]): void {
    sourceApp.roles.splice(0, sourceApp.roles.length, ...sourceApp.roles.filter((r) => !r.startsWith('Mailbox')), ...permissions);
    t.fake.data.saveDirectory();
    resetTokenProviders();
  }
  const messagesOf = (upn: string) => t.fake.data.mailbox(t.fake.data.findUser(t.tenant, upn)!.id).messages;
  async function addMessages(upn: string, base: number, count: number): Promise<void> {
    const writer = await m365Connector.openDestination(t.request(upn));
    const inbox = await writer.ensureFolder(['INBOX'], 'inbox');
    for (let i = 0; i < count; i++) {
      const m = plainMessage(base + i);
      await writer.writeItem(inbox, { format: 'rfc822', data: m.raw, flags: [], date: m.date }, signal);
    }
    await writer.close();
  }
  const project = (user: string) => inProcessProject({ src: t.endpointYaml('SRC', sourceApp), dst: t.endpointYaml('DST') }, { source: `src-${user}@contoso.test`, destination: `dst-${user}@contoso.test` }, 'keep', secrets);

  it('verify names each permission the source lacks (GRAPH-403-FF, Not valid) before a pass needs it; with all three it matches', async () => {
    await addMessages('src-verify@contoso.test', 31_000, 3);
    const p = project('verify');
    for (const missing of SOURCE_ROLES) {
      grantSource(SOURCE_ROLES.filter((r) => r !== missing));
      const verify = await p.run('verify', 'NotValid');
      assert.equal(verify.items[0].code, 'GRAPH-403-FF', JSON.stringify(verify.items));
      assert.match(verify.items[0].message ?? '', new RegExp(`${missing.replace(/\./g, '\\.')} \\(application\\)`), `without ${missing}`);
    }
    // The export permission alone (what Ferry's documentation asked for before) is not enough either.
    grantSource(['MailboxItem.Export.All']);
    assert.match((await p.run('verify', 'NotValid')).items[0].message ?? '', /MailboxFolder\.Read\.All/);
    grantSource(SOURCE_ROLES);
    const ok = await p.run('verify');
    assert.equal(ok.items[0].matchState, 'Matched');
    assert.equal(messagesOf('dst-verify@contoso.test').length, 0, 'verify copies nothing');
    p.store.close();
  });

  it('a delta without MailboxItem.Read.All stops the mailbox with GRAPH-403-FF and the consent fix, nothing copied or lost; granted again, the next delta copies the new messages once', async () => {
    grantSource(SOURCE_ROLES);
    await addMessages('src-delta@contoso.test', 32_000, 5);
    const p = project('delta');
    assert.equal((await p.run('full')).totals.copied, 5);
    await addMessages('src-delta@contoso.test', 32_100, 2);
    grantSource(SOURCE_ROLES.filter((r) => r !== 'MailboxItem.Read.All'));
    const stopped = await p.run('delta', 'Failed');
    assert.equal(stopped.items[0].code, 'GRAPH-403-FF', JSON.stringify(stopped.items));
    assert.match(stopped.items[0].message ?? '', /without the MailboxItem\.Read\.All \(application\) permission/);
    assert.equal(messagesOf('dst-delta@contoso.test').length, 5, 'nothing copied');
    const entry = getEntry('GRAPH-403-FF')!;
    assert.ok(entry.fixes.some((f) => f.kind === 'adminCommand' && f.template.includes('/adminconsent?client_id={applicationId}')), 'the consent fix');
    assert.match(entry.action, /grant admin consent/);
    grantSource(SOURCE_ROLES);
    assert.equal((await p.run('delta')).totals.copied, 2);
    assert.equal((await p.run('delta')).totals.copied, 0);
    const copies = messagesOf('dst-delta@contoso.test');
    assert.equal(copies.length, 7);
    assert.equal(new Set(copies.map((m) => m.internetMessageId)).size, 7, 'no message twice');
    p.store.close();
  });
});
