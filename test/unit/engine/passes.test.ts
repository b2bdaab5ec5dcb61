import * as assert from 'node:assert/strict';
import { ConnectorError } from '../../../src/connectors/types';
import { harness, simplePlan } from './engineTestUtil';

const old = new Date('2020-01-01T00:00:00Z');
const recent = () => new Date(Date.now() - 24 * 3600 * 1000);

function seedAnn(h: ReturnType<typeof harness>, inbox = 3, sent = 2): void {
  for (let i = 0; i < inbox; i++) h.world.add('ann@contoso.example', ['INBOX'], `in ${i}`);
  h.world.folder('ann@contoso.example', ['Sent Messages'], 'sent');
  for (let i = 0; i < sent; i++) h.world.add('ann@contoso.example', ['Sent Messages'], `sent ${i}`);
}

describe('engine: passes', () => {
  it('full copies everything; statuses, statistics and events follow', async () => {
    const h = harness(simplePlan(['ann']));
    seedAnn(h);
    const summary = await h.run('full');
    assert.equal(summary.status, 'completed');
    assert.deepEqual(summary.totals.copied, 5);
    assert.equal(summary.items[0].status, 'Completed');
    assert.deepEqual(h.world.subjects('ann@fabrikam.example', 'INBOX'), ['in 0', 'in 1', 'in 2']);
    assert.deepEqual(h.world.subjects('ann@fabrikam.example', 'Sent Messages'), ['sent 0', 'sent 1']);
    const project = h.store.batches.listProjects()[0];
    const batch = h.store.batches.getBatch(project.id, 'B1')!;
    assert.equal(batch.status, 'Synced');
    assert.ok(batch.initialSyncAt && batch.lastSyncAt && batch.startedAt);
    const item = h.store.items.listItems(batch.id)[0];
    assert.deepEqual([item.status, item.syncState, item.matchState, item.sizeItems], ['Completed', 'InSync', 'Migrated', 5]);
    const types = h.events.map((e) => e.type);
    for (const t of ['passStarted', 'batchStatus', 'itemStatus', 'progress', 'statistics', 'passEnded']) assert.ok(types.includes(t as never), t);
    const itemStatuses = h.events.filter((e) => e.type === 'itemStatus').map((e) => (e.type === 'itemStatus' ? e.status : ''));
    assert.deepEqual(itemStatuses, ['Queued', 'AnalysisStarted', 'InProgress', 'Completed']);
    const stats = h.events.find((e) => e.type === 'statistics');
    assert.ok(stats?.type === 'statistics');
    assert.deepEqual([stats.batch.total, stats.batch.synced, stats.batch.failed, stats.batch.percentSynced], [1, 1, 0, 100]);
    assert.deepEqual(stats.items[0].folders.map((f) => [f.sourcePath, f.items]), [['INBOX', 3], ['Sent Messages', 2]]);
  });

  it('delta after full moves nothing; new mail moves exactly once', async () => {
    const h = harness(simplePlan(['ann']));
    seedAnn(h);
    await h.run('full');
    const d1 = await h.run('delta');
    assert.equal(d1.totals.copied, 0);
    assert.equal(d1.items[0].status, 'Resynced');
    h.world.add('ann@contoso.example', ['INBOX'], 'new 1');
    h.world.add('ann@contoso.example', ['INBOX'], 'new 2');
    const d2 = await h.run('delta');
    assert.equal(d2.totals.copied, 2);
    const d3 = await h.run('delta');
    assert.equal(d3.totals.copied, 0);
    assert.deepEqual(h.world.subjects('ann@fabrikam.example', 'INBOX'), ['in 0', 'in 1', 'in 2', 'new 1', 'new 2']);
    // Delta lists from the cursor: the old items were not listed again.
    const full = await h.run('full');
    assert.equal(full.totals.copied, 0, 'a full rerun finds everything watermarked');
  });

  it('trial copies at most 10 items per folder and never moves the cursor', async () => {
    const h = harness(simplePlan(['ann']));
    for (let i = 0; i < 15; i++) h.world.add('ann@contoso.example', ['INBOX'], `m ${i}`);
    const trial = await h.run('trial');
    assert.equal(trial.totals.copied, 10);
    const item = h.store.items.listItems(1)[0];
    assert.equal(h.store.progress.folder(item.id, 'INBOX')?.cursor, undefined);
    const full = await h.run('full');
    assert.equal(full.totals.copied, 5);
  });

  it('trial stops at 5 MB per mailbox', async () => {
    const h = harness(simplePlan(['ann']));
    for (let i = 0; i < 4; i++) h.world.add('ann@contoso.example', [`F${i}`], `big ${i}`, undefined, 2 * 1024 * 1024);
    const trial = await h.run('trial');
    assert.equal(trial.totals.copied, 2);
  });

  it('prestage copies only mail older than the cut-off and holds calendars back', async () => {
    const h = harness(simplePlan(['ann'], '  preStage: { olderThanDays: 30 }'));
    h.world.add('ann@contoso.example', ['INBOX'], 'old', old);
    h.world.add('ann@contoso.example', ['INBOX'], 'new', recent());
    h.world.folder('ann@contoso.example', ['Calendar'], 'calendar', 'calendar');
    h.world.add('ann@contoso.example', ['Calendar'], 'meeting', old);
    const pre = await h.run('prestage');
    assert.equal(pre.totals.copied, 1);
    assert.deepEqual(h.world.subjects('ann@fabrikam.example', 'INBOX'), ['old']);
    assert.deepEqual(h.world.subjects('ann@fabrikam.example', 'Calendar'), []);
    const full = await h.run('full');
    assert.equal(full.totals.copied, 2);
  });

  it('verify logs in on both sides and moves nothing: Matched, or Not valid with the code', async () => {
    const h = harness(simplePlan(['ann', 'bob']));
    seedAnn(h);
    const summary = await h.run('verify');
    assert.equal(summary.totals.copied, 0);
    assert.deepEqual(summary.items.map((i) => [i.source, i.status, i.code]), [
      ['ann@contoso.example', 'Completed', undefined],
      ['bob@contoso.example', 'NotValid', 'MAILDIR-NOT-FOUND'],
    ]);
    const items = h.store.items.listItems(1);
    assert.equal(items[0].matchState, 'Matched');
    assert.equal(items[1].lastErrorCode, 'MAILDIR-NOT-FOUND');
    assert.equal(h.world.calls.filter((c) => c.op === 'writeItem').length, 0);
  });

  it('item errors are recorded and the mailbox goes on; retry moves only those items', async () => {
    const h = harness(simplePlan(['ann'], '  logFailedItemSubjects: true'));
    seedAnn(h, 4, 0);
    let broken = true;
    h.world.fail = (op, _m, detail) => (broken && op === 'readItem' && (detail === '2' || detail === '3') ? new ConnectorError('IMAP-NO', 'NO', 'item', ['NO [SERVERBUG]']) : undefined);
    const full = await h.run('full');
    assert.deepEqual([full.items[0].status, full.totals.copied, full.totals.errors], ['FinishedWithErrors', 2, 2]);
    const batch = h.store.batches.listBatches(1)[0];
    assert.equal(batch.status, 'SyncedWithErrors');
    assert.equal(h.store.errors.unresolvedCount(1), 2);

    broken = false;
    const writesBefore = h.world.calls.filter((c) => c.op === 'writeItem').length;
    const retry = await h.run('retry');
    assert.deepEqual([retry.items[0].status, retry.totals.copied], ['Completed', 2]);
    assert.equal(h.world.calls.filter((c) => c.op === 'writeItem').length - writesBefore, 2);
    assert.equal(h.store.errors.unresolvedCount(1), 0);
    assert.equal(h.world.subjects('ann@fabrikam.example', 'INBOX').length, 4);
    assert.equal(h.store.batches.listBatches(1)[0].status, 'Synced');
  });

  it('retry refuses with a code when nothing failed or the last pass did not complete', async () => {
    const h = harness(simplePlan(['ann']));
    seedAnn(h);
    const never = await h.run('retry');
    assert.deepEqual([never.status, never.code], ['refused', 'ENG-001']);
    await h.run('full');
    const clean = await h.run('retry');
    assert.deepEqual([clean.status, clean.code], ['refused', 'ENG-002']);
  });

  it('fails the mailbox past the bad item limit', async () => {
    const h = harness(simplePlan(['ann'], '  badItemLimit: 1'));
    seedAnn(h, 5, 0);
    h.world.fail = (op) => (op === 'readItem' ? new ConnectorError('IMAP-NO', 'NO', 'item') : undefined);
    const full = await h.run('full');
    assert.deepEqual([full.items[0].status, full.items[0].code], ['Failed', 'ENG-011']);
    assert.equal(h.store.batches.listBatches(1)[0].status, 'Failed');
  });
});
