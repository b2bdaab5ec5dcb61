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
import { buildReport } from '../../../src/engine/report';
import { changeEwsSource, changeGoogleSource, changeM365Source, ewsSeedItems, expectedByItemType, expectedSummary, ferryChild, m365Summary, seedGoogle, seedM365, withoutTasks } from './deltaItemsScenario';
import { gmailEndpointYaml } from './gmailProject';
import { inProcessProject, type DeletionPolicy } from './deltaScenario';
import { EWS_ADMIN, EWS_ORG, usePimFakes } from './pimFakes';

const ORG = EWS_ORG;
const POLICIES = ['keep', 'delete', 'move'] as const;
const EWS_SOURCES = [...POLICIES, 'kill'];

describe('delta carries changes of contacts, calendar items and tasks with Microsoft 365 (fake Graph)', function () {
  this.timeout(180_000);
  const f = usePimFakes({
    tenant: [...POLICIES.flatMap((p) => [`ews-${p}@contoso.test`, `src-${p}@contoso.test`, `dst-${p}@contoso.test`, `gmail-${p}@contoso.test`]), 'ews-kill@contoso.test', 'gmail-kill@contoso.test'],
    google: [...POLICIES.map((p) => `src-${p}@example.test`), 'src-kill@example.test'],
    ews: {
      users: EWS_SOURCES.map((p) => ({ address: `src-${p}@${ORG}`, login: `CONTOSO\\src-${p}`, password: `src-${p}-Pass1` })),
      mailboxes: Object.fromEntries(EWS_SOURCES.map((p) => [`src-${p}@${ORG}`, { items: ewsSeedItems() }])),
    },
  });
  const { pim, secrets, exchange } = f;

  /** Runs full, the user's changes, delta and a second delta; checks the destination and the report after each. */
  async function scenario(src: string, source: string, destination: string, policy: DeletionPolicy, change: () => void | Promise<void>, held = (s: string[]) => s): Promise<void> {
    const p = inProcessProject({ src, dst: f.t.endpointYaml() }, { source, destination }, policy, secrets);
    const byItemType = () => buildReport(p.store, path.join(p.dir, 'p.migration.yaml'))!.changes.byItemType;
    try {
      await p.run('full');
      assert.deepEqual(m365Summary(pim(destination)), held(expectedSummary('keep').filter((s) => !/Meeting 5|Contact 5|Task 5/.test(s)).map(original).sort()), 'after the full pass');
      await change();
      const want = held(expectedSummary(policy));
      const wantTypes = typesIn(want, policy);
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
      scenario(exchange(), `src-${policy}@${ORG}`, `ews-${policy}@contoso.test`, policy, () => void changeEwsSource(f.ews, `src-${policy}@${ORG}`)));

    it(`Microsoft 365 -> Microsoft 365, deletions: ${policy}: the same`, async () => {
      const source = `src-${policy}@contoso.test`;
      await seedM365(f.t, source);
      await scenario(f.t.endpointYaml(), source, `dst-${policy}@contoso.test`, policy, () => {
        changeM365Source(pim(source));
        return seedM365(f.t, source, [5]);
      });
    });

    it(`Google Workspace -> Microsoft 365, deletions: ${policy}: events and contacts (sync tokens) the same`, async () => {
      const source = `src-${policy}@example.test`;
      const ids = seedGoogle(f.google.fake.admin, source);
      await scenario(gmailEndpointYaml(f.google), source, `gmail-${policy}@contoso.test`, policy, () => changeGoogleSource(f.google.fake.admin, source, ids), withoutTasks);
    });
  }

  it('Exchange -> Microsoft 365: kill -9 after a new version is POSTed and before the old one is deleted, then a rerun: the same end state, no duplicate', async () => {
    const p = inProcessProject({ src: exchange(), dst: f.t.endpointYaml() }, { source: `src-kill@${ORG}`, destination: 'ews-kill@contoso.test' }, 'delete', secrets);
    p.store.close();
    const ferry = ferryChild(path.join(p.dir, 'p.migration.yaml'), { ...process.env, FERRY_SECRET_EX_ADMIN: EWS_ADMIN.password, FERRY_SECRET_M365_SECRET: f.t.secret, NODE_EXTRA_CA_CERTS: f.t.fake.caPath });
    await ferry.run('full');
    changeEwsSource(f.ews, `src-kill@${ORG}`);
    await ferry.killDeltaAt('change.after#4');
    await ferry.run('delta');
    assert.deepEqual(m365Summary(pim('ews-kill@contoso.test')), expectedSummary('delete'), 'destination after the rerun');
    assert.deepEqual(await ferry.byItemType(), expectedByItemType('delete'));
  });

  it('Google Workspace -> Microsoft 365: kill -9 after the 4th change reached Microsoft 365 and before it was recorded, then a rerun: the same end state, no duplicate', async () => {
    const source = 'src-kill@example.test';
    const ids = seedGoogle(f.google.fake.admin, source);
    const p = inProcessProject({ src: gmailEndpointYaml(f.google), dst: f.t.endpointYaml() }, { source, destination: 'gmail-kill@contoso.test' }, 'delete', secrets);
    p.store.close();
    const ferry = ferryChild(path.join(p.dir, 'p.migration.yaml'), { ...process.env, FERRY_SECRET_GKEY: secrets.GKEY, FERRY_SECRET_M365_SECRET: f.t.secret, NODE_EXTRA_CA_CERTS: f.t.fake.caPath });
    await ferry.run('full');
    changeGoogleSource(f.google.fake.admin, source, ids);
    await ferry.killDeltaAt('change.after#4');
    await ferry.run('delta');
    const want = withoutTasks(expectedSummary('delete'));
    assert.deepEqual(m365Summary(pim('gmail-kill@contoso.test')), want, 'destination after the rerun');
    assert.deepEqual(await ferry.byItemType(), typesIn(want, 'delete'));
  });
});

/** The report's changes by item type the scenario makes under `policy`, for the item types `want` holds. */
function typesIn(want: readonly string[], policy: DeletionPolicy): Record<string, unknown> {
  return Object.fromEntries(Object.entries(expectedByItemType(policy)).filter(([type]) => want.some((l) => l.startsWith(type === 'calendar' ? 'event|' : type === 'contacts' ? 'contact|' : 'task|'))));
}

/** A summary line as it was before the user's changes. */
function original(line: string): string {
  return line
    .replace('Meeting 1|2026-01-25', 'Meeting 1|2026-01-11')
    .replace('Meeting 2|2026-01-26', 'Meeting 2|2026-01-12')
    .replace(/Contact (\d)\|\+41 79 .*/, (_m, n: string) => `Contact ${n}|+41 44 000 00 ${10 + Number(n)}`)
    .replace('Task 1|done', 'Task 1|open');
}
