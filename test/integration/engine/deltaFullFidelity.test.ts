// Delta passes between two Microsoft 365 mailboxes in full fidelity (issue 13), the fake serving the
// mailbox import/export API's `items/delta`: the acceptance scenario (read 10, flag 5, move 7 to
// another folder, delete 3, add 4) under each deletion policy, a rerun that changes nothing, and
// kill -9 in the middle of a delta. mailboxItem carries no read or flag state: a message read or
// flagged at the source comes in the delta as changed, is exported again and replaced at the
// destination (the new import carries its state; the old version is purged), reported `updated`.
// A moved one keeps its id (the fake's assumption, see mailboxApi.md) and is moved, not copied.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { resetTokenProviders } from '../../../src/connectors/m365/auth/tokenProvider';
import { m365Connector } from '../../../src/connectors/m365/m365Connector';
import { buildReport } from '../../../src/engine/report';
import type { PassSummary } from '../../../src/engine/summary';
import { openDatabase } from '../../../src/store/sqlite';
import { Store } from '../../../src/store/store';
import { mailboxApiSettings } from '../../servers/fakeM365/mailboxApi';
import { FULL_FIDELITY_ROLES, startTestTenant, type TestTenant } from '../../servers/fakeM365/testTenant';
import { assertSameState, inProcessProject, withEntries, type ChangeCounts, type DeletionPolicy, type MailboxState } from './deltaScenario';
import { changeM365Source, m365Source, m365State } from './m365Scenario';
import { ensureBuilt, ferryRun, killAtHold } from './maildirFixture';

const CASES = ['keep', 'delete', 'move', 'kill', 'upgrade', 'user'] as const;
const USERS = CASES.flatMap((c) => [`src-${c}@contoso.test`, `dst-${c}@contoso.test`]);

/** The report's counts of the scenario in full fidelity: the 15 read or flagged messages are replaced (updated). */
const expectedCounts = (policy: DeletionPolicy): ChangeCounts => ({ flags: 0, moved: 7, deleted: policy === 'keep' ? 0 : 3, 'kept-deleted': policy === 'keep' ? 3 : 0, 'conflict-left': 0, updated: 15 });

describe('delta in full fidelity, Microsoft 365 -> Microsoft 365 (fake)', function () {
  this.timeout(180_000);
  let t: TestTenant;
  const secrets: Record<string, string> = {};
  // Every JSON body the fake sent was held against Graph's v1.0 metadata: none deviated.
  afterEach(() => assert.deepEqual(t?.fake.graph.deviations ?? [], []));

  before(async () => {
    t = await startTestTenant(USERS);
    t.app.roles.push(...FULL_FIDELITY_ROLES);
    t.fake.data.saveDirectory();
    secrets.M365_SECRET = t.secret;
  });
  after(async () => {
    t?.fake.faults.clear();
    await t?.fake.close();
    resetTokenProviders();
  });

  const mailbox = (user: string) => t.fake.data.mailbox(t.fake.data.findUser(t.tenant, user)!.id);

  /** What the destination must hold: the source (what Outlook shows) with the deleted messages where the policy puts them. */
  function expected(source: string, deleted: string[], policy: DeletionPolicy): MailboxState {
    const shown = m365State(t, source);
    if (policy === 'delete') return shown;
    shown.delete('Recoverable Items/Deletions');
    return withEntries(shown, policy === 'keep' ? 'INBOX' : 'Deleted Items', deleted);
  }

  /** No message twice, nothing left in a staging folder, every message as received (no draft). */
  function assertClean(user: string): void {
    const box = mailbox(user);
    assert.equal(new Set(box.messages.map((m) => m.internetMessageId)).size, box.messages.length, 'a message twice');
    assert.deepEqual(box.folders.filter((f) => f.isHidden).map((f) => f.displayName), [], 'staging folders left behind');
    assert.ok(box.messages.every((m) => !m.isDraft));
  }

  for (const policy of ['keep', 'delete', 'move'] as const) {
    it(`deletions: ${policy}: read, flagged, moved, deleted and new messages arrive as at the source; a rerun changes nothing`, async () => {
      const [src, dst] = [`src-${policy}@contoso.test`, `dst-${policy}@contoso.test`];
      const source = await m365Source(t, src, 20_000 + CASES.indexOf(policy) * 1000);
      const p = inProcessProject({ src: t.endpointYaml(), dst: t.endpointYaml() }, { source: src, destination: dst }, policy, secrets);
      assert.equal((await p.run('full')).totals.copied, 35);
      const deleted = await changeM365Source(source);
      const api = mailboxApiSettings(t.fake.graph);
      const [imports, exports, started] = [api.imported, api.exportCalls, Date.now()];
      const delta = await p.run('delta');
      assert.equal(delta.totals.copied, 4, 'only the new messages are copied');
      // The 4 new and the 15 replaced are imported; the 7 moved are moved, never imported again.
      assert.equal(api.imported - imports, 19, 'imports during the delta');
      console.log(`      delta (${policy}): ${Date.now() - started} ms, ${api.exportCalls - exports} export calls, ${api.imported - imports} imports`);
      assertSameState(m365State(t, dst), expected(src, deleted, policy), 'the destination after the delta');
      assert.deepEqual(p.counts(), expectedCounts(policy));
      assertClean(dst);
      assert.equal((await p.run('delta')).totals.copied, 0);
      assertSameState(m365State(t, dst), expected(src, deleted, policy), 'the destination after a second delta');
      assert.deepEqual(p.counts(), expectedCounts(policy), 'a rerun adds no change');
      await source.writer.close();
      p.store.close();
    });
  }

  it('a store from before full-fidelity deltas (flags [] recorded, no change keys): a message read at the source and deleted there is deleted, not left as a conflict', async () => {
    const [src, dst] = ['src-upgrade@contoso.test', 'dst-upgrade@contoso.test'];
    const source = await m365Source(t, src, 25_000);
    const p = inProcessProject({ src: t.endpointYaml(), dst: t.endpointYaml() }, { source: src, destination: dst }, 'delete', secrets);
    assert.equal((await p.run('full')).totals.copied, 35);
    // What the earlier version recorded for full-fidelity copies: the listing's empty flags, no change key.
    const db = openDatabase(path.join(p.dir, '.ferry', 'state.db'));
    try {
      db.prepare("UPDATE watermarks SET flags = '[]', destination_version = NULL").run();
    } finally {
      db.close();
    }
    const deleted = await changeM365Source(source);
    // One of Archive's read messages deleted too: its copy is read at the destination.
    await source.writer.deleteItem!(source.archive, source.ids[30], new AbortController().signal);
    assert.equal((await p.run('delta')).totals.copied, 4);
    assertSameState(m365State(t, dst), expected(src, deleted, 'delete'), 'the destination after the delta');
    assert.deepEqual(p.counts(), { ...expectedCounts('delete'), deleted: 4 });
    assertClean(dst);
    await source.writer.close();
    p.store.close();
  });

  it("a copy the user changed at the destination (its change key moved on) is left as the user made it and reported once; the source's change is not carried", async () => {
    const [src, dst] = ['src-user@contoso.test', 'dst-user@contoso.test'];
    const source = await m365Source(t, src, 26_000);
    const p = inProcessProject({ src: t.endpointYaml(), dst: t.endpointYaml() }, { source: src, destination: dst }, 'delete', secrets);
    assert.equal((await p.run('full')).totals.copied, 35);
    await changeM365Source(source);
    // At the destination the user flags the copy of a message that is read at the source meanwhile.
    const copy = () => mailbox(dst).messages.find((m) => m.internetMessageId === `<plain-${source.base}@ferry.test>`)!;
    const user = await m365Connector.openDestination(t.request(dst));
    await user.setFlags!(await user.ensureFolder(['INBOX'], 'inbox'), copy().immutableId ?? copy().id, ['\\Flagged'], new AbortController().signal);
    await user.close();
    assert.equal((await p.run('delta')).totals.copied, 4);
    assert.deepEqual([copy().isRead, copy().flagStatus], [false, 'flagged'], "the user's change stays");
    assert.deepEqual(p.counts(), { ...expectedCounts('delete'), updated: 14, 'conflict-left': 1 });
    assert.equal((await p.run('delta')).totals.copied, 0);
    assert.deepEqual(p.counts(), { ...expectedCounts('delete'), updated: 14, 'conflict-left': 1 }, 'reported once');
    assertClean(dst);
    await source.writer.close();
    p.store.close();
  });

  it('kill -9 after a move, after an update and after a deletion reached the destination (each before it was recorded), then a rerun: the same end state', async () => {
    const root = ensureBuilt();
    const ferry = path.join(root, 'bin', 'ferry.js');
    const [src, dst] = ['src-kill@contoso.test', 'dst-kill@contoso.test'];
    const source = await m365Source(t, src, 24_000);
    const p = inProcessProject({ src: t.endpointYaml('M365'), dst: t.endpointYaml('M365') }, { source: src, destination: dst }, 'delete', {});
    p.store.close();
    const env = { ...process.env, FERRY_SECRET_M365: t.secret, NODE_EXTRA_CA_CERTS: t.fake.caPath };
    const plan = path.join(p.dir, 'p.migration.yaml');
    const full = await ferryRun(ferry, ['run', plan, '--pass', 'full', '--json'], p.dir, env);
    assert.equal((JSON.parse(full.stdout) as PassSummary).totals.copied, 35, full.stderr);
    const deleted = await changeM365Source(source);
    // A delta makes the 7 moves, then the 15 updates, then the 3 deletions, each between the hold
    // points change.before and change.after: killed at the 1st (a move), then (the interrupted move
    // settled without a hold) at the 7th (the first update), then at the 15th (a deletion).
    for (const at of ['change.after#1', 'change.after#7', 'change.after#15']) await killAtHold(ferry, ['run', plan, '--pass', 'delta'], p.dir, env, at);
    const rerun = await ferryRun(ferry, ['run', plan, '--pass', 'delta', '--json'], p.dir, env);
    assert.equal(rerun.status, 0, rerun.stderr);
    assert.equal((JSON.parse(rerun.stdout) as PassSummary).items[0].status, 'Resynced', rerun.stdout);
    assertSameState(m365State(t, dst), expected(src, deleted, 'delete'), 'the destination after the kills and a rerun');
    assertClean(dst);
    const store = Store.open(path.join(p.dir, '.ferry'));
    try {
      assert.deepEqual(buildReport(store, plan)!.changes.byKind, expectedCounts('delete'), 'each change counted once');
    } finally {
      store.close();
    }
    const again = await ferryRun(ferry, ['run', plan, '--pass', 'delta', '--json'], p.dir, env);
    assert.equal((JSON.parse(again.stdout) as PassSummary).totals.copied, 0, again.stderr);
    assertSameState(m365State(t, dst), expected(src, deleted, 'delete'), 'the destination after one more delta');
    await source.writer.close();
  });
});
