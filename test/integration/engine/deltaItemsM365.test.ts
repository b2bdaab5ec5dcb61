// Delta carries changes of contacts, calendar items and tasks (issue 13) into and out of Microsoft
// 365 (the fake Graph): Exchange -> Microsoft 365 (SyncFolderItems Update / Delete at the source;
// the new version POSTed, then the old one removed: permanentDelete of a contact or event, DELETE of
// a To Do task; a plain DELETE, Exchange's move to Deleted Items, for deletions: move) and
// Microsoft 365 -> Microsoft 365 (the items modified since the cursor, and the ids each folder
// holds now for deletions). After a full pass the source's user reschedules 2 appointments, changes
// 2 contacts, completes 1 task, deletes 1 of each and adds 1 of each; the delta brings the
// destination to the source under each deletion policy, the report counts the changes by kind and
// item type, and a second delta changes nothing.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { resetTokenProviders } from '../../../src/connectors/m365/auth/tokenProvider';
import { m365Connector } from '../../../src/connectors/m365/m365Connector';
import type { FolderRole } from '../../../src/connectors/types';
import { buildReport } from '../../../src/engine/report';
import type { ItemType } from '../../../src/plan/model';
import { createFakeEwsData, startFakeEws, type FakeEws, type FakeEwsUser } from '../../servers/fakeEws/server';
import { pimOf } from '../../servers/fakeM365/graphPim';
import { startTestTenant, type TestTenant } from '../../servers/fakeM365/testTenant';
import { tempDir } from '../../unit/helpers/repoRoot';
import { startTestDomain, type TestDomain } from '../../servers/fakeGoogle/testDomain';
import { changeEwsSource, changeGoogleSource, changeM365Source, contact, event, ewsSeedItems, expectedByItemType, expectedSummary, m365Summary, seedGoogle, vtodo, withoutTasks } from './deltaItemsScenario';
import { gmailEndpointYaml } from './gmailProject';
import { ensureBuilt, ferryRun, killAtHold } from './maildirFixture';
import { inProcessProject, type DeletionPolicy } from './deltaScenario';

const ORG = 'contoso.local';
const ADMIN = { address: `migadmin@${ORG}`, login: 'CONTOSO\\migadmin', password: 'Adm1n-pass', roles: ['ApplicationImpersonation'] } satisfies FakeEwsUser;
const POLICIES = ['keep', 'delete', 'move'] as const;
const EWS_SOURCES = [...POLICIES, 'kill'];
const signal = new AbortController().signal;

describe('delta carries changes of contacts, calendar items and tasks with Microsoft 365 (fake Graph)', function () {
  this.timeout(180_000);
  let t: TestTenant;
  let ews: FakeEws;
  let google: TestDomain;
  const secrets: Record<string, string> = { EX_ADMIN: ADMIN.password };
  // Every JSON body the fake sent was held against Graph's v1.0 metadata: none deviated.
  afterEach(() => {
    assert.deepEqual(t?.fake.graph.deviations ?? [], []);
    assert.deepEqual(google?.fake.admin.schemaProblems ?? [], []);
  });

  before(async () => {
    [t, google] = await Promise.all([
      startTestTenant([...POLICIES.flatMap((p) => [`ews-${p}@contoso.test`, `src-${p}@contoso.test`, `dst-${p}@contoso.test`, `gmail-${p}@contoso.test`]), 'ews-kill@contoso.test'], { latencyMs: 1 }),
      startTestDomain({ users: POLICIES.map((p) => `src-${p}@example.test`) }),
    ]);
    secrets.M365_SECRET = t.secret;
    secrets.GKEY = JSON.stringify(google.key);
    const dataDir = tempDir('ferry-delta-items-m365-ews');
    createFakeEwsData(dataDir, {
      users: [ADMIN, ...EWS_SOURCES.map((p) => ({ address: `src-${p}@${ORG}`, login: `CONTOSO\\src-${p}`, password: `src-${p}-Pass1` }))],
      mailboxes: Object.fromEntries(EWS_SOURCES.map((p) => [`src-${p}@${ORG}`, { items: ewsSeedItems() }])),
    });
    ews = await startFakeEws({ dataDir });
  });
  after(async () => {
    await ews?.close();
    await google?.fake.stop();
    await t?.fake.close();
    resetTokenProviders();
  });

  const pim = (user: string) => pimOf(t.fake.data.mailbox(t.fake.data.findUser(t.tenant, user)!.id));
  const exchange = () => `{ type: exchange, url: '${ews.ewsUrl}', auth: { username: 'CONTOSO\\migadmin', password: { secret: EX_ADMIN } } }`;

  /** Runs full, the user's changes, delta and a second delta; checks the destination and the report after each. */
  async function scenario(src: string, source: string, destination: string, policy: DeletionPolicy, change: () => void | Promise<void>, held = (s: string[]) => s): Promise<void> {
    const p = inProcessProject({ src, dst: t.endpointYaml() }, { source, destination }, policy, secrets);
    const byItemType = () => buildReport(p.store, path.join(p.dir, 'p.migration.yaml'))!.changes.byItemType;
    try {
      await p.run('full');
      assert.deepEqual(m365Summary(pim(destination)), held(expectedSummary('keep').filter((s) => !/Meeting 5|Contact 5|Task 5/.test(s)).map(original).sort()), 'after the full pass');
      await change();
      const want = held(expectedSummary(policy));
      const wantTypes = Object.fromEntries(Object.entries(expectedByItemType(policy)).filter(([type]) => want.some((l) => l.startsWith(type === 'calendar' ? 'event|' : type === 'contacts' ? 'contact|' : 'task|'))));
      assert.equal((await p.run('delta')).totals.copied, Object.keys(wantTypes).length, 'the new items are copied');
      assert.deepEqual(m365Summary(pim(destination)), want, 'destination after the delta');
      assert.deepEqual(byItemType(), wantTypes);
      assert.equal((await p.run('delta')).totals.copied, 0);
      assert.deepEqual(m365Summary(pim(destination)), want, 'destination after a second delta');
      assert.deepEqual(byItemType(), wantTypes, 'a second delta adds no change');
      assert.equal(pim(destination).invitationsSent, 0, 'a migration invites nobody');
    } finally {
      p.store.close();
    }
  }

  for (const policy of POLICIES) {
    it(`Exchange -> Microsoft 365, deletions: ${policy}: rescheduled, changed, completed, deleted and new items arrive as at the source`, () =>
      scenario(exchange(), `src-${policy}@${ORG}`, `ews-${policy}@contoso.test`, policy, () => void changeEwsSource(ews, `src-${policy}@${ORG}`)));

    it(`Microsoft 365 -> Microsoft 365, deletions: ${policy}: the same`, async () => {
      const source = `src-${policy}@contoso.test`;
      await seedM365(source);
      await scenario(t.endpointYaml(), source, `dst-${policy}@contoso.test`, policy, () => {
        changeM365Source(pim(source));
        return seedM365(source, [5]);
      });
    });

    it(`Google Workspace -> Microsoft 365, deletions: ${policy}: events and contacts (sync tokens) the same`, async () => {
      const source = `src-${policy}@example.test`;
      const ids = seedGoogle(google.fake.admin, source);
      await scenario(gmailEndpointYaml(google), source, `gmail-${policy}@contoso.test`, policy, () => changeGoogleSource(google.fake.admin, source, ids), withoutTasks);
    });
  }

  it('Exchange -> Microsoft 365: kill -9 after a new version is POSTed and before the old one is deleted, then a rerun: the same end state, no duplicate', async () => {
    const ferry = path.join(ensureBuilt(), 'bin', 'ferry.js');
    const p = inProcessProject({ src: exchange(), dst: t.endpointYaml() }, { source: `src-kill@${ORG}`, destination: 'ews-kill@contoso.test' }, 'delete', secrets);
    p.store.close();
    const plan = path.join(p.dir, 'p.migration.yaml');
    const env = { ...process.env, FERRY_SECRET_EX_ADMIN: ADMIN.password, FERRY_SECRET_M365_SECRET: t.secret, NODE_EXTRA_CA_CERTS: t.fake.caPath };
    const run = async (pass: string) => {
      const r = await ferryRun(ferry, ['run', plan, '--pass', pass, '--json'], p.dir, env);
      assert.equal(r.status, 0, r.stderr + r.stdout);
    };
    await run('full');
    changeEwsSource(ews, `src-kill@${ORG}`);
    await killAtHold(ferry, ['run', plan, '--pass', 'delta'], p.dir, env, 'change.after#4');
    await run('delta');
    assert.deepEqual(m365Summary(pim('ews-kill@contoso.test')), expectedSummary('delete'), 'destination after the rerun');
    const report = await ferryRun(ferry, ['report', plan, '--format', 'json'], p.dir, env);
    assert.deepEqual((JSON.parse(report.stdout) as { changes: { byItemType: unknown } }).changes.byItemType, expectedByItemType('delete'));
  });

  /** Writes the scenario's items into a Microsoft 365 mailbox (through the connector, as Outlook would make them). */
  async function seedM365(user: string, which = [1, 2, 3, 4]): Promise<void> {
    const box = await m365Connector.openDestination(t.request(user));
    const put = async (role: FolderRole & ItemType, name: string, format: 'vcard' | 'icalendar', data: string) => box.writeItem(await box.ensureFolder([name], role, role), { format, data: Buffer.from(data), flags: [], date: new Date('2026-01-05T10:00:00Z') }, signal);
    for (const n of which) await put('calendar', 'Calendar', 'icalendar', event(n));
    for (const n of which) await put('contacts', 'Contacts', 'vcard', contact(n));
    for (const n of which.filter((x) => x !== 4)) await put('tasks', 'Tasks', 'icalendar', vtodo(n));
    await box.close();
  }
});

/** A summary line as it was before the user's changes. */
function original(line: string): string {
  return line
    .replace('Meeting 1|2026-01-25', 'Meeting 1|2026-01-11')
    .replace('Meeting 2|2026-01-26', 'Meeting 2|2026-01-12')
    .replace(/Contact (\d)\|\+41 79 .*/, (_m, n: string) => `Contact ${n}|+41 44 000 00 ${10 + Number(n)}`)
    .replace('Task 1|done', 'Task 1|open');
}
