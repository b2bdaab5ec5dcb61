// Delta passes that carry every change (issue 13), Maildir to Maildir: after a full pass the
// source is read, flagged, moved, deleted and added to; the delta brings the destination to the
// source under each deletion policy, the report lists each change by kind, a rerun changes
// nothing, a kill -9 mid-delta and a rerun give the same end state, and a change the user made at
// the destination is left alone.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { PassSummary } from '../../../src/engine/summary';
import { tempDir } from '../../unit/helpers/repoRoot';
import { assertSameState, changeMaildirSource, entryOf, expectedCounts, expectedDestination, maildirKeywords, maildirSource, maildirState, renameInfo, type ChangeCounts, type DeletionPolicy, type MaildirSource } from './deltaScenario';
import { ensureBuilt, ferryRun, killAtHold, planYaml } from './maildirFixture';
import { readSnapshot } from '../../../src/snapshot/readSnapshot';

const SOURCE = 'ann@contoso.example';
const DEST = 'ann@fabrikam.example';

interface Project {
  dir: string;
  plan: string;
  source: MaildirSource;
  src: string;
  dst: string;
  inbox: string[];
}

function project(policy: DeletionPolicy): Project {
  const dir = tempDir('ferry-delta');
  const source = maildirSource(dir, SOURCE);
  const plan = path.join(dir, 'p.migration.yaml');
  // keep is the default: that plan says nothing.
  fs.writeFileSync(plan, planYaml(['ann'], policy === 'keep' ? '' : `  delta: { deletions: ${policy} }\n`));
  return { dir, plan, source, src: source.box, dst: path.join(dir, 'destination', DEST), inbox: source.inbox };
}

const changeSource = (p: Project) => changeMaildirSource(p.source);
const rename = renameInfo;

async function run(ferry: string, p: Project, pass: string): Promise<PassSummary> {
  const r = await ferryRun(ferry, ['run', p.plan, '--pass', pass, '--json'], p.dir, process.env);
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as PassSummary;
}

async function counts(ferry: string, p: Project): Promise<ChangeCounts> {
  const r = await ferryRun(ferry, ['report', p.plan, '--format', 'json'], p.dir, process.env);
  assert.equal(r.status, 0, r.stderr);
  return (JSON.parse(r.stdout) as { changes: { byKind: ChangeCounts } }).changes.byKind;
}

describe('delta carries every change (Maildir to Maildir)', function () {
  this.timeout(120_000);
  let ferry: string;
  before(() => {
    ferry = path.join(ensureBuilt(), 'bin', 'ferry.js');
  });

  for (const policy of ['keep', 'delete', 'move'] as const) {
    it(`deletions: ${policy}: the destination equals the source, the report lists each change, a rerun changes nothing`, async () => {
      const p = project(policy);
      await run(ferry, p, 'full');
      const deleted = changeSource(p);
      const summary = await run(ferry, p, 'delta');
      assert.equal(summary.totals.copied, 4, 'only the 4 new items are copied (the 7 moved are moved)');
      const expected = expectedDestination(maildirState(p.src, 'maildir++'), deleted, policy, 'Deleted Items');
      assertSameState(maildirState(p.dst, 'fs'), expected, 'destination after the delta');
      assert.deepEqual(await counts(ferry, p), expectedCounts(policy));

      const again = await run(ferry, p, 'delta');
      assert.equal(again.totals.copied, 0);
      assertSameState(maildirState(p.dst, 'fs'), expected, 'destination after a second delta');
      assert.deepEqual(await counts(ferry, p), expectedCounts(policy), 'a rerun adds no change');
    });
  }

  it('the final delta of `ferry complete` carries the changes too; the mailbox ends finalized', async () => {
    const p = project('move');
    await run(ferry, p, 'full');
    const deleted = changeSource(p);
    const r = await ferryRun(ferry, ['complete', p.plan, 'Main', '--yes', '--json'], p.dir, process.env);
    assert.equal(r.status, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as PassSummary).totals.copied, 4, 'only the 4 new items are copied');
    assertSameState(maildirState(p.dst, 'fs'), expectedDestination(maildirState(p.src, 'maildir++'), deleted, 'move', 'Deleted Items'), 'destination after the cut-over');
    assert.deepEqual(await counts(ferry, p), expectedCounts('move'));
    const report = await ferryRun(ferry, ['report', p.plan, '--format', 'json'], p.dir, process.env);
    const item = (JSON.parse(report.stdout) as { batches: { batch: { status: string }; items: { finalized: boolean }[] }[] }).batches[0];
    assert.deepEqual([item.batch.status, item.items.every((i) => i.finalized)], ['Completed', true]);
  });

  // change.after: the destination changed, the store not yet (7 moves, then 15 flag changes, then 3 deletions).
  for (const [at, what] of [['change.after#4', 'a move'], ['change.after#15', 'a flag change'], ['change.after#24', 'a deletion']]) {
    it(`kill -9 after ${what} reached the destination and before it was recorded, then a rerun: the same end state, each change counted once`, async () => {
      const p = project('move');
      await run(ferry, p, 'full');
      const deleted = changeSource(p);
      await killAtHold(ferry, ['run', p.plan, '--pass', 'delta'], p.dir, process.env, at);
      const rerun = await run(ferry, p, 'delta');
      assert.equal(rerun.totals.copied, 4, 'nothing copied again');
      const expected = expectedDestination(maildirState(p.src, 'maildir++'), deleted, 'move', 'Deleted Items');
      assertSameState(maildirState(p.dst, 'fs'), expected, 'destination after the rerun');
      assert.deepEqual(await counts(ferry, p), expectedCounts('move'));
    });
  }

  it('a keyword given at the source (dovecot-keywords letter) reaches the destination as a keyword; a rerun changes nothing', async () => {
    const p = project('keep');
    await run(ferry, p, 'full');
    fs.writeFileSync(path.join(p.src, 'dovecot-keywords'), '0 Work\n');
    const content = fs.readFileSync(p.inbox[0]);
    rename(p.inbox[0], 'a');
    await run(ferry, p, 'delta');
    const keywordsOfCopy = () => maildirKeywords(p.dst, content);
    assert.deepEqual(keywordsOfCopy(), ['Work']);
    assert.equal((await counts(ferry, p)).flags, 1);
    await run(ferry, p, 'delta');
    assert.equal((await counts(ferry, p)).flags, 1, 'a rerun changes nothing');
    assert.deepEqual(keywordsOfCopy(), ['Work']);
  });

  it('a folder renamed at the source: its items are moved at the destination, none copied again', async () => {
    const p = project('delete');
    await run(ferry, p, 'full');
    fs.renameSync(path.join(p.src, '.Archive'), path.join(p.src, '.Old Archive'));
    const delta = await run(ferry, p, 'delta');
    assert.equal(delta.totals.copied, 0);
    assertSameState(maildirState(p.dst, 'fs'), maildirState(p.src, 'maildir++'), 'destination after the delta');
    assert.deepEqual(await counts(ferry, p), { flags: 0, moved: 5, deleted: 0, 'kept-deleted': 0, 'conflict-left': 0, updated: 0 });
    await run(ferry, p, 'delta');
    assert.deepEqual(await counts(ferry, p), { flags: 0, moved: 5, deleted: 0, 'kept-deleted': 0, 'conflict-left': 0, updated: 0 }, 'a rerun adds no change');
  });

  it('a change the user made at the destination after the copy is left alone and reported', async () => {
    const p = project('delete');
    await run(ferry, p, 'full');
    // The user flags the copy of INBOX[0] at the destination; at the source the same item is read.
    const content = fs.readFileSync(p.inbox[0]);
    const cur = path.join(p.dst, 'cur');
    const copy = fs.readdirSync(cur).find((f) => fs.readFileSync(path.join(cur, f)).equals(content))!;
    rename(path.join(cur, copy), 'F');
    rename(p.inbox[0], 'S');
    await run(ferry, p, 'delta');
    const inbox = maildirState(p.dst, 'fs').get('INBOX')!;
    assert.ok(inbox.includes(entryOf(content, ['\\Flagged'])), 'the user\'s flag stays, the source\'s read state is not carried');
    const c = await counts(ferry, p);
    assert.equal(c['conflict-left'], 1);
    assert.equal(c.flags, 0);
    await run(ferry, p, 'delta');
    assert.equal((await counts(ferry, p))['conflict-left'], 1, 'reported once');
  });

  it('the snapshot the views read gives each mailbox the counts of its last delta by kind', async () => {
    const p = project('move');
    await run(ferry, p, 'full');
    const mailbox = () => readSnapshot(path.join(p.dir, '.ferry'), p.plan).status!.batches[0].items[0];
    assert.equal(mailbox().lastDelta, undefined, 'no delta yet');
    changeSource(p);
    const first = await run(ferry, p, 'delta');
    const after = mailbox().lastDelta!;
    assert.deepEqual(after.byKind, expectedCounts('move'));
    assert.equal(after.failed, 0);
    assert.equal(after.passId, first.passId);
    const second = await run(ferry, p, 'delta');
    assert.deepEqual(mailbox().lastDelta, { passId: second.passId, byKind: { flags: 0, moved: 0, deleted: 0, 'kept-deleted': 0, 'conflict-left': 0, updated: 0 }, failed: 0 }, 'a delta that changed nothing shows zeros');
  });
});
