// Seed 003's job: on-premises Exchange (the fake EWS server) to Microsoft 365 (the fake Graph),
// through runPass like a real run. Mail moves as MIME with its read state and received date, never
// as drafts; folders keep their place (Inbox/Projects under Inbox); a delta moves nothing, then
// only what is new; contacts and the calendar stay behind with their own code (ENG-023: Ferry's
// Microsoft 365 destination writes mail).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { resetTokenProviders } from '../../../src/connectors/m365/auth/tokenProvider';
import { defaultRetryPolicy } from '../../../src/engine/backoff';
import { runPass } from '../../../src/engine/runPass';
import { registryConnectors } from '../../../src/runner/connectors';
import { loadPlan } from '../../../src/runner/loadPlan';
import { Store } from '../../../src/store/store';
import { createFakeEwsData, startFakeEws, type FakeEws } from '../../servers/fakeEws/server';
import { startTestTenant, type TestTenant } from '../../servers/fakeM365/testTenant';
import { plainMessage } from '../../servers/testMessages';

const ORG = 'contoso.local';

describe('engine: Exchange (fake EWS) -> Microsoft 365 (fake Graph)', function () {
  this.timeout(90_000);
  let ews: FakeEws;
  let t: TestTenant;

  before(async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-ews-m365-'));
    const mail = (n: number, folder: string, isRead: boolean) => ({ folder, mime: plainMessage(n).raw, isRead, received: plainMessage(n).date.toISOString() });
    createFakeEwsData(dataDir, {
      users: [{ address: `migadmin@${ORG}`, login: 'CONTOSO\\migadmin', password: 'Adm1n-pass', roles: ['ApplicationImpersonation'] }, { address: `ann@${ORG}`, login: 'CONTOSO\\ann', password: 'x' }],
      mailboxes: {
        [`ann@${ORG}`]: {
          folders: [{ path: 'inbox/Projects' }, { path: 'Archive 2024' }],
          items: [
            ...Array.from({ length: 8 }, (_, i) => mail(800 + i, 'inbox', i < 3)),
            ...Array.from({ length: 3 }, (_, i) => mail(820 + i, 'inbox/Projects', true)),
            ...Array.from({ length: 2 }, (_, i) => mail(830 + i, 'Archive 2024', false)),
            ...Array.from({ length: 2 }, (_, i) => mail(840 + i, 'sentitems', true)),
            { folder: 'contacts', itemClass: 'IPM.Contact', mime: 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Erin\r\nN:;Erin;;;\r\nEND:VCARD\r\n' },
          ],
        },
      },
    });
    [ews, t] = await Promise.all([startFakeEws({ dataDir }), startTestTenant(['ann@fabrikam.test'])]);
  });
  after(async () => {
    await ews?.close();
    await t?.fake.close();
    resetTokenProviders();
  });

  it('full then delta: every message once, in place, read state and dates kept, no drafts; new mail once', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-ews-m365-plan-'));
    fs.writeFileSync(
      path.join(dir, 'p.migration.yaml'),
      `version: 1
project: { name: Exchange to Microsoft 365 }
endpoints:
  onprem: { type: exchange, url: '${ews.ewsUrl}', auth: { username: 'CONTOSO\\migadmin', password: { secret: EX } } }
  cloud: ${t.endpointYaml()}
source: onprem
destination: cloud
batches:
  - name: Wave 1
    items:
      - { source: ann@${ORG}, destination: ann@fabrikam.test }
`,
    );
    const plan = loadPlan(path.join(dir, 'p.migration.yaml')).plan;
    const store = Store.open(path.join(dir, '.ferry'));
    const secrets: Record<string, string> = { EX: 'Adm1n-pass', M365_SECRET: t.secret };
    const run = (pass: 'full' | 'delta') => runPass({ plan, store, pass, connectors: registryConnectors, secrets: (n) => secrets[n], retry: { ...defaultRetryPolicy, attempts: 8, baseMs: 20, maxMs: 200 } });
    const full = await run('full');
    assert.deepEqual([full.items[0].status, full.totals.copied], ['Completed', 15], JSON.stringify(full.items));
    const user = t.fake.data.findUser(t.tenant, 'ann@fabrikam.test')!;
    const mailbox = t.fake.data.mailbox(user.id);
    const messages = mailbox.messages;
    assert.equal(messages.length, 15);
    assert.equal(new Set(messages.map((m) => m.internetMessageId)).size, 15);
    assert.ok(messages.every((m) => !m.isDraft), 'a message was left a draft');
    assert.equal(messages.filter((m) => m.isRead).length, 3 + 3 + 2);
    assert.ok(messages.some((m) => m.receivedDateTime === plainMessage(800).date.toISOString().replace(/\.\d+Z$/, 'Z')), 'received date not kept');
    const folderName = (id: string) => mailbox.folders.find((f) => f.id === id)?.displayName;
    const inFolder = (name: string) => messages.filter((m) => folderName(m.folderId) === name).length;
    assert.deepEqual([inFolder('Inbox'), inFolder('Projects'), inFolder('Archive 2024'), inFolder('Sent Items')], [8, 3, 2, 2]);
    assert.equal((await run('delta')).totals.copied, 0);
    ews.store.putItem(`ann@${ORG}`, { folder: ews.store.folderByDistinguished(`ann@${ORG}`, 'inbox')!.id, itemClass: 'IPM.Note', subject: 'Plain message 850', internetMessageId: '<plain-850@ferry.test>', dateTimeReceived: plainMessage(850).date.toISOString(), dateTimeCreated: new Date().toISOString(), lastModifiedTime: new Date().toISOString(), messageFlags: 0, isAssociated: false, extended: [] }, plainMessage(850).raw);
    assert.equal((await run('delta')).totals.copied, 1);
    assert.equal(t.fake.data.mailbox(user.id).messages.length, 16);
    store.close();
  });
});
