// Delta carries changes of contacts, calendar items and tasks (issue 13), Exchange -> Exchange (the
// fake EWS, full fidelity: ExportItems / UploadItems). After a full pass the source's user
// reschedules 2 appointments, changes 2 contacts, completes 1 task, deletes 1 of each and adds 1 of
// each; SyncFolderItems reports Update / Delete / Create. The delta updates each changed item in
// place (UploadItems CreateAction Update over its copy, then its watermark: the item keeps its id),
// deletes as the plan says (DeleteItem with SendMeetingCancellations / AffectedTaskOccurrences as
// Exchange requires), and the report counts the changes by kind and item type. A second delta
// changes nothing; a kill -9 after an update and before its record, then a rerun, ends the same,
// ids kept, with no duplicate. UpdateItem and UploadItems requests are held to Microsoft's schemas.
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { PassSummary } from '../../../src/engine/summary';
import { createFakeEwsData, startFakeEws, type FakeEws, type FakeEwsUser } from '../../servers/fakeEws/server';
import { tempDir } from '../../unit/helpers/repoRoot';
import type { DeletionPolicy } from './deltaScenario';
import { changeEwsSource, event, ewsIds, ewsSeedItems, expectedByItemType, UPDATED } from './deltaItemsScenario';
import { ewsSchemasIfPresent } from '../../servers/fakeEws/xsd';
import { ensureBuilt, ferryRun, killAtHold } from './maildirFixture';

const ORG = 'contoso.local';
const ADMIN = { address: `migadmin@${ORG}`, login: 'CONTOSO\\migadmin', password: 'Adm1n-pass', roles: ['ApplicationImpersonation'] } satisfies FakeEwsUser;
const CASES = ['keep', 'delete', 'move', 'kill', 'conflict'] as const;

/** Per folder (distinguished name), the items as sorted `class|subject|content hash|task` entries. */
type State = Record<string, string[]>;

/** The folders a client lists; the dumpster (Recoverable Items) is `recoverable`'s. */
function stateOf(ews: FakeEws, address: string): State {
  return entries(ews, address, (name) => name !== 'recoverableitemsdeletions');
}

/** What the user can bring back with Outlook's "Recover deleted items": never a version Ferry replaced. */
function recoverable(ews: FakeEws, address: string): string[] {
  return entries(ews, address, (name) => name === 'recoverableitemsdeletions').recoverableitemsdeletions ?? [];
}

function entries(ews: FakeEws, address: string, keep: (folder: string) => boolean): State {
  const out: State = {};
  for (const i of ews.store.itemsOf(address).values()) {
    if (i.isAssociated) continue;
    const folder = ews.store.folder(address, i.folder)!;
    const name = folder.distinguished ?? folder.displayName;
    if (!keep(name)) continue;
    const hash = createHash('sha256').update(ews.store.mime(address, i)).digest('hex').slice(0, 12);
    (out[name] ??= []).push(`${i.itemClass}|${i.subject}|${hash}|${JSON.stringify(i.task ?? {})}`);
  }
  for (const v of Object.values(out)) v.sort();
  return out;
}

type ByType = Partial<Record<string, Partial<Record<string, number>>>>;

describe('delta carries changes of contacts, calendar items and tasks (Exchange -> Exchange, fake EWS)', function () {
  this.timeout(180_000);
  let ews: FakeEws;
  let ferry: string;
  const env = { ...process.env, FERRY_SECRET_EX_ADMIN: ADMIN.password };

  before(async () => {
    ferry = path.join(ensureBuilt(), 'bin', 'ferry.js');
    const dataDir = tempDir('ferry-delta-items-ews');
    createFakeEwsData(dataDir, {
      users: [ADMIN, ...CASES.flatMap((c) => [`src-${c}`, `dst-${c}`]).map((p) => ({ address: `${p}@${ORG}`, login: `CONTOSO\\${p}`, password: `${p}-Pass1` }))],
      mailboxes: Object.fromEntries(CASES.map((c) => [`src-${c}@${ORG}`, { items: ewsSeedItems() }])),
    });
    const xsdDir = ewsSchemasIfPresent();
    ews = await startFakeEws({ dataDir, ...(xsdDir ? { requestSchemas: { xsdDir, operations: ['UpdateItem', 'UploadItems', 'DeleteItem'] } } : {}) });
  });
  after(async () => {
    await ews?.close();
  });
  // Every request the schemas were held to was valid (none where ../shared is absent).
  afterEach(() => assert.deepEqual(ews.requestChecks().refused, []));

  function project(name: (typeof CASES)[number], policy: DeletionPolicy) {
    const dir = tempDir('ferry-delta-items-project');
    const plan = path.join(dir, 'p.migration.yaml');
    const endpoint = `{ type: exchange, url: '${ews.ewsUrl}', auth: { username: 'CONTOSO\\migadmin', password: { secret: EX_ADMIN } } }`;
    fs.writeFileSync(plan, `version: 1\nproject: { name: DeltaItems }\nendpoints:\n  src: ${endpoint}\n  dst: ${endpoint}\nsource: src\ndestination: dst\noptions:\n  delta: { deletions: ${policy} }\nbatches:\n  - name: Main\n    items:\n      - { source: src-${name}@${ORG}, destination: dst-${name}@${ORG} }\n`);
    return { dir, plan, src: `src-${name}@${ORG}`, dst: `dst-${name}@${ORG}` };
  }
  type Project = ReturnType<typeof project>;

  async function run(p: Project, pass: 'full' | 'delta'): Promise<PassSummary> {
    const r = await ferryRun(ferry, ['run', p.plan, '--pass', pass, '--json'], p.dir, env);
    assert.equal(r.status, 0, r.stderr + r.stdout);
    const summary = JSON.parse(r.stdout) as PassSummary;
    assert.equal(summary.items[0].status, pass === 'delta' ? 'Resynced' : 'Completed', r.stdout);
    return summary;
  }

  async function byType(p: Project): Promise<ByType> {
    const r = await ferryRun(ferry, ['report', p.plan, '--format', 'json'], p.dir, env);
    assert.equal(r.status, 0, r.stderr);
    return (JSON.parse(r.stdout) as { changes: { byItemType: ByType } }).changes.byItemType;
  }

  /** The user's changes at the source; returns the entries of the 3 deleted items by folder. */
  function changeSource(address: string): State {
    const before = stateOf(ews, address);
    const deleted: State = {};
    for (const i of changeEwsSource(ews, address)) {
      const name = ews.store.folder(address, i.folder)!.distinguished!;
      (deleted[name] ??= []).push(before[name].find((e) => e.startsWith(`${i.itemClass}|${i.subject}|`))!);
    }
    return deleted;
  }

  /** The source's state with the deleted items where the policy leaves them. */
  function expected(p: Project, policy: DeletionPolicy, deleted: State): State {
    const out = stateOf(ews, p.src);
    if (policy === 'delete') return out;
    for (const [folder, entries] of Object.entries(deleted)) {
      const into = policy === 'keep' ? folder : 'deleteditems';
      out[into] = [...(out[into] ?? []), ...entries].sort();
    }
    return out;
  }

  for (const policy of ['keep', 'delete', 'move'] as const) {
    it(`deletions: ${policy}: rescheduled, changed, completed, deleted and new items reach Exchange; a second delta changes nothing`, async () => {
      const p = project(policy, policy);
      await run(p, 'full');
      assert.deepEqual(stateOf(ews, p.dst), stateOf(ews, p.src), 'after the full pass');
      const ids = ewsIds(ews, p.dst, UPDATED);
      const deleted = changeSource(p.src);
      const delta = await run(p, 'delta');
      assert.equal(delta.totals.copied, 3, 'the 3 new items are copied');
      const want = expected(p, policy, deleted);
      assert.deepEqual(stateOf(ews, p.dst), want, 'destination after the delta');
      assert.deepEqual(ewsIds(ews, p.dst, UPDATED), ids, 'each changed item is updated in place: the same id');
      // Deleted at the source under `delete`: recoverable by the user; the replaced versions: purged.
      assert.deepEqual(recoverable(ews, p.dst), policy === 'delete' ? Object.values(deleted).flat().sort() : [], 'recoverable items');
      assert.deepEqual(await byType(p), expectedByItemType(policy));
      const again = await run(p, 'delta');
      assert.equal(again.totals.copied, 0);
      assert.deepEqual(stateOf(ews, p.dst), want, 'destination after a second delta');
      assert.deepEqual(await byType(p), expectedByItemType(policy), 'a second delta adds no change');
    });
  }

  it('an appointment the user changed at the destination after the copy is left alone and reported, whether the source changed or deleted it', async () => {
    const p = project('conflict', 'delete');
    await run(p, 'full');
    const bySubject = (address: string, subject: string) => [...ews.store.itemsOf(address).values()].find((i) => i.subject === subject)!;
    const edit = (address: string, subject: string, mime: string) => {
      const { createdSeq: _c, modSeq: _m, readSeq: _r, size: _s, ...rest } = bySubject(address, subject);
      ews.store.putItem(address, { ...rest, lastModifiedTime: new Date().toISOString() }, Buffer.from(mime));
    };
    // The user moves two meetings in the new mailbox; at the source one is moved elsewhere, the other deleted.
    edit(p.dst, 'Meeting 1', event(1, 20));
    edit(p.dst, 'Meeting 2', event(2, 21));
    edit(p.src, 'Meeting 1', event(1, 25));
    ews.store.deleteItem(p.src, bySubject(p.src, 'Meeting 2'));
    const destination = stateOf(ews, p.dst);
    await run(p, 'delta');
    assert.deepEqual(stateOf(ews, p.dst), destination, 'the destination is as its user left it');
    assert.deepEqual(await byType(p), { calendar: { 'conflict-left': 2 } });
    await run(p, 'delta');
    assert.deepEqual(stateOf(ews, p.dst), destination);
    assert.deepEqual(await byType(p), { calendar: { 'conflict-left': 2 } }, 'reported once');
  });

  it('kill -9 after an item is updated in place and before the update is recorded, then a rerun: the same end state, ids kept, no duplicate', async () => {
    const p = project('kill', 'delete');
    await run(p, 'full');
    const ids = ewsIds(ews, p.dst, UPDATED);
    const deleted = changeSource(p.src);
    await killAtHold(ferry, ['run', p.plan, '--pass', 'delta'], p.dir, env, 'change.after#3');
    await run(p, 'delta');
    assert.deepEqual(stateOf(ews, p.dst), expected(p, 'delete', deleted), 'destination after the rerun');
    assert.deepEqual(ewsIds(ews, p.dst, UPDATED), ids, 'the same ids');
    assert.deepEqual(await byType(p), expectedByItemType('delete'));
  });
});
