import * as assert from 'node:assert/strict';
import { assertAllowed, isAllowed } from '../../../src/engine/batchActions';
import { approveItems, completeBatch, deleteBatchState } from '../../../src/engine/batchCommands';
import { recoverInterrupted } from '../../../src/engine/recovery';
import { EngineRefusal } from '../../../src/engine/refusal';
import { syncPlanToStore } from '../../../src/engine/syncPlan';
import { getEntry } from '../../../src/errors/catalog';
import { contentFingerprint } from '../../../src/connectors/fingerprint';
import { fastRetry, harness, simplePlan } from './engineTestUtil';

describe('engine: statuses and actions', () => {
  it('allows actions per batch state; deleting a running batch is the 409 entry', () => {
    assert.ok(isAllowed('Stopped', 'start') && isAllowed('Stopped', 'edit') && isAllowed('Stopped', 'delete'));
    assert.ok(isAllowed('Syncing', 'stop') && !isAllowed('Syncing', 'start'));
    assert.throws(() => assertAllowed('B', 'Syncing', 'delete'), (e: unknown) => e instanceof EngineRefusal && e.code === 'resourceTypeMismatch' && getEntry(e.code)?.httpStatus === 409);
    assert.throws(() => assertAllowed('B', 'Syncing', 'start'), (e: unknown) => e instanceof EngineRefusal && e.code === 'ENG-040');
    assert.throws(() => assertAllowed('B', 'Created', 'complete'), /Cannot complete batch B while it is Created/);
  });

  it('stops a mailbox above the quota at Confirmation required until approved', async () => {
    const yaml = simplePlan(['ann'], '  mailboxQuotaGB: 0.000000001');
    const h = harness(yaml);
    h.world.add('ann@contoso.example', ['INBOX'], 'a');
    const s = await h.run('full');
    assert.deepEqual([s.items[0].status, s.items[0].code, s.totals.copied], ['ConfirmationRequired', 'ENG-030', 0]);
    assert.deepEqual(approveItems(h.store, h.plan, 'ops@fabrikam.example'), ['ann@contoso.example']);
    const again = await h.run('full');
    assert.deepEqual([again.items[0].status, again.totals.copied], ['Completed', 1]);
  });

  it('leaves a batch scheduled for later Waiting (one-shot), without touching the mailboxes', async () => {
    const future = new Date(Date.now() + 7 * 24 * 3600 * 1000).toISOString();
    const h = harness(simplePlan(['ann'], '', `    startAfter: ${future}\n`));
    h.world.add('ann@contoso.example', ['INBOX'], 'a');
    const s = await h.run('full');
    assert.deepEqual([s.items[0].status, s.items[0].code], ['Waiting', 'ENG-031']);
    assert.equal(h.world.calls.filter((c) => c.op === 'open').length, 0);
    assert.equal(h.store.batches.listBatches(1)[0].status, 'Created');
  });

  it('completes a batch after a final delta, and refuses before completeAfter', async () => {
    const future = new Date(Date.now() + 7 * 24 * 3600 * 1000).toISOString();
    const h = harness(simplePlan(['ann'], '', `    completeAfter: ${future}\n`));
    h.world.add('ann@contoso.example', ['INBOX'], 'a');
    await h.run('full');
    const connector = h.world.connector();
    const base = { plan: h.plan, store: h.store, batch: 'B1', connectors: async () => connector, secrets: () => undefined, retry: fastRetry };
    await assert.rejects(completeBatch(base), (e: unknown) => e instanceof EngineRefusal && e.code === 'ENG-032');
    const later = new Date(Date.now() + 8 * 24 * 3600 * 1000);
    const s = await completeBatch({ ...base, now: () => later });
    assert.equal(s.status, 'completed');
    const batch = h.store.batches.listBatches(1)[0];
    assert.equal(batch.status, 'Completed');
    assert.equal(h.store.items.listItems(batch.id)[0].finalized, true);
    assert.throws(() => deleteBatchState(h.store, h.plan, 'Nope'), /not in the plan/);
    deleteBatchState(h.store, h.plan, 'B1');
    assert.equal(h.store.batches.listBatches(1).length, 0);
  });

  it('marks passes of a dead runner interrupted, their mailboxes Interrupted, batches Stopped', () => {
    const h = harness(simplePlan(['ann']));
    const projectId = syncPlanToStore(h.store, h.plan);
    const batch = h.store.batches.getBatch(projectId, 'B1')!;
    const passId = h.store.passes.startPass({ projectId, kind: 'full', runnerPid: 999999 });
    h.store.batches.setBatchStatus(batch.id, 'Syncing');
    const item = h.store.items.listItems(batch.id)[0];
    h.store.items.updateItem(item.id, { status: 'InProgress', lastPassId: passId });
    const recovered = recoverInterrupted(h.store);
    assert.deepEqual(recovered.map((p) => p.id), [passId]);
    assert.equal(h.store.passes.passById(passId)?.status, 'interrupted');
    assert.equal(h.store.items.itemById(item.id)?.status, 'Interrupted');
    assert.equal(h.store.items.itemById(item.id)?.lastErrorCode, 'ENG-060');
    assert.equal(h.store.batches.batchById(batch.id)?.status, 'Stopped');
  });

  it('settles an intent left by a crash: the written item gets its watermark and is not written again', async () => {
    const h = harness(simplePlan(['ann']));
    const m = h.world.add('ann@contoso.example', ['INBOX'], 'a');
    h.world.add('ann@contoso.example', ['INBOX'], 'b');
    const projectId = syncPlanToStore(h.store, h.plan);
    const item = h.store.items.listItems(h.store.batches.getBatch(projectId, 'B1')!.id)[0];
    // The crashed pass wrote 'a' to the destination and died before recording it.
    const copy = h.world.folder('ann@fabrikam.example', ['INBOX']);
    copy.messages.push({ ...m, id: '900' });
    h.store.progress.addIntent(item.id, 'INBOX', m.id, 'INBOX', { fingerprint: contentFingerprint(m.data), date: m.date.toISOString(), sizeBytes: m.data.length });
    const s = await h.run('full');
    assert.equal(s.totals.copied, 1);
    assert.deepEqual(h.world.subjects('ann@fabrikam.example', 'INBOX'), ['a', 'b']);
    assert.equal(h.store.progress.intents(item.id).length, 0);
    assert.equal(h.store.progress.watermarkCount(item.id), 2);
  });

  it('refuses unknown batches and mailboxes as usage errors', async () => {
    const h = harness(simplePlan(['ann']));
    await assert.rejects(h.run('full', { batch: 'Nope' }), (e: unknown) => e instanceof EngineRefusal && e.kind === 'usage' && e.code === 'ENG-052');
    await assert.rejects(h.run('full', { item: 'zed@contoso.example' }), /Mailbox 'zed@contoso.example' is not in the plan/);
  });
});
