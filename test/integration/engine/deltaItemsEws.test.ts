// Delta carries changes of contacts, calendar items and tasks (issue 13), Exchange -> Exchange (the
// fake EWS, full fidelity: ExportItems / UploadItems). After a full pass the source's user
// reschedules 2 appointments, changes 2 contacts, completes 1 task, deletes 1 of each and adds 1 of
// each; SyncFolderItems reports Update / Delete / Create. The delta replaces each changed item (new
// version written, then the old one deleted, DeleteItem with SendMeetingCancellations /
// AffectedTaskOccurrences as Exchange requires), deletes as the plan says, and the report counts the
// changes by kind and item type. A second delta changes nothing; a kill -9 between writing a new
// version and deleting the old one, then a rerun, ends the same, with no duplicate.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { PassSummary } from '../../../src/engine/summary';
import { recordFromMime } from '../../servers/fakeEws/data';
import { createFakeEwsData, startFakeEws, type FakeEws, type FakeEwsUser } from '../../servers/fakeEws/server';
import { plainMessage } from '../../servers/testMessages';
import { HoldPoints } from '../../unit/helpers/holdPoints';
import { tempDir } from '../../unit/helpers/repoRoot';
import type { DeletionPolicy } from './deltaScenario';
import { ensureBuilt, exited, ferryRun } from './maildirFixture';

const ORG = 'contoso.local';
const ADMIN = { address: `migadmin@${ORG}`, login: 'CONTOSO\\migadmin', password: 'Adm1n-pass', roles: ['ApplicationImpersonation'] } satisfies FakeEwsUser;
const CASES = ['keep', 'delete', 'move', 'kill'] as const;

const event = (n: number, day = 10 + n) => `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Ferry test//EN\r\nBEGIN:VEVENT\r\nUID:ev-${n}@ferry.test\r\nDTSTAMP:20260101T080000Z\r\nDTSTART:202601${day}T090000Z\r\nDTEND:202601${day}T100000Z\r\nSUMMARY:Meeting ${n}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n`;
const contact = (n: number, phone = `+41 44 000 00 ${10 + n}`) => `BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Contact ${n}\r\nN:${n};Contact;;;\r\nTEL;TYPE=WORK:${phone}\r\nEND:VCARD\r\n`;
const task = (n: number) => `Subject: Task ${n}\r\n\r\n`;

const seedItems = () => [
  ...[1, 2, 3, 4].map((n) => ({ folder: 'calendar', itemClass: 'IPM.Appointment', mime: event(n) })),
  ...[1, 2, 3, 4].map((n) => ({ folder: 'contacts', itemClass: 'IPM.Contact', mime: contact(n) })),
  ...[1, 2, 3].map((n) => ({ folder: 'tasks', itemClass: 'IPM.Task', mime: task(n), task: { status: 'InProgress' as const, dueDate: `2026-11-${10 + n}T17:00:00Z`, percentComplete: 20 } })),
  ...[1, 2].map((n) => ({ folder: 'inbox', mime: plainMessage(7000 + n).raw, isRead: true })),
];

/** Per folder (distinguished name), the items as sorted `class|subject|content hash|task` entries. */
type State = Record<string, string[]>;

function stateOf(ews: FakeEws, address: string): State {
  const out: State = {};
  for (const i of ews.store.itemsOf(address).values()) {
    if (i.isAssociated) continue;
    const folder = ews.store.folder(address, i.folder)!;
    const name = folder.distinguished ?? folder.displayName;
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
      mailboxes: Object.fromEntries(CASES.map((c) => [`src-${c}@${ORG}`, { items: seedItems() }])),
    });
    ews = await startFakeEws({ dataDir });
  });
  after(async () => {
    await ews?.close();
  });

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
    const items = [...ews.store.itemsOf(address).values()].filter((i) => !i.isAssociated).sort((a, b) => a.subject.localeCompare(b.subject));
    const of = (cls: string) => items.filter((i) => i.itemClass === cls);
    const [m1, m2, , m4] = of('IPM.Appointment');
    const [c1, c2, , c4] = of('IPM.Contact');
    const [t1, , t3] = of('IPM.Task');
    const now = new Date().toISOString();
    const update = (i: typeof m1, mime: string, extra: Partial<typeof m1> = {}) => {
      const { createdSeq: _c, modSeq: _m, readSeq: _r, size: _s, ...rest } = i;
      ews.store.putItem(address, { ...rest, ...extra, lastModifiedTime: now }, Buffer.from(mime));
    };
    update(m1, event(1, 25)); // rescheduled to the 25th
    update(m2, event(2, 26));
    update(c1, contact(1, '+41 79 111 11 11'));
    update(c2, contact(2, '+41 79 222 22 22'));
    update(t1, task(1), { task: { ...t1.task, status: 'Completed', percentComplete: 100, completeDate: now } });
    const before = stateOf(ews, address);
    const gone = [m4, c4, t3];
    const deleted: State = {};
    for (const i of gone) {
      const name = ews.store.folder(address, i.folder)!.distinguished!;
      const entry = before[name].find((e) => e.startsWith(`${i.itemClass}|${i.subject}|`))!;
      (deleted[name] ??= []).push(entry);
      ews.store.deleteItem(address, i);
    }
    const add = (folder: string, itemClass: string, mime: string, extra: object = {}) => ews.store.putItem(address, { ...recordFromMime(Buffer.from(mime), ews.store.folderByDistinguished(address, folder)!.id, { itemClass }), ...extra }, Buffer.from(mime));
    add('calendar', 'IPM.Appointment', event(5));
    add('contacts', 'IPM.Contact', contact(5));
    add('tasks', 'IPM.Task', task(5), { task: { status: 'NotStarted' } });
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

  const expectedByType = (policy: DeletionPolicy): ByType => {
    const gone = policy === 'keep' ? { 'kept-deleted': 1 } : { deleted: 1 };
    return { calendar: { updated: 2, ...gone }, contacts: { updated: 2, ...gone }, tasks: { updated: 1, ...gone } };
  };

  for (const policy of ['keep', 'delete', 'move'] as const) {
    it(`deletions: ${policy}: rescheduled, changed, completed, deleted and new items reach Exchange; a second delta changes nothing`, async () => {
      const p = project(policy, policy);
      await run(p, 'full');
      assert.deepEqual(stateOf(ews, p.dst), stateOf(ews, p.src), 'after the full pass');
      const deleted = changeSource(p.src);
      const delta = await run(p, 'delta');
      assert.equal(delta.totals.copied, 3, 'the 3 new items are copied');
      const want = expected(p, policy, deleted);
      assert.deepEqual(stateOf(ews, p.dst), want, 'destination after the delta');
      assert.deepEqual(await byType(p), expectedByType(policy));
      const again = await run(p, 'delta');
      assert.equal(again.totals.copied, 0);
      assert.deepEqual(stateOf(ews, p.dst), want, 'destination after a second delta');
      assert.deepEqual(await byType(p), expectedByType(policy), 'a second delta adds no change');
    });
  }

  it('kill -9 after a new version is written and before the old one is deleted, then a rerun: the same end state, no duplicate', async () => {
    const p = project('kill', 'delete');
    await run(p, 'full');
    const deleted = changeSource(p.src);
    const holds = new HoldPoints();
    const child = spawn(process.execPath, [ferry, 'run', p.plan, '--pass', 'delta'], { cwd: p.dir, stdio: 'ignore', env: holds.env(['change.after#3'], env) });
    await holds.reached('change.after');
    child.kill('SIGKILL');
    await exited(child);
    await run(p, 'delta');
    assert.deepEqual(stateOf(ews, p.dst), expected(p, 'delete', deleted), 'destination after the rerun');
    assert.deepEqual(await byType(p), expectedByType('delete'));
  });
});
