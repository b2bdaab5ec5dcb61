// Batch actions other than starting a pass: approve an oversize mailbox, complete a batch (a final
// delta, then Completed; honours completeAfter), delete a batch's state (final states only: 409).
import type { Plan } from '../plan/model';
import { findProjectOf } from './projectIdentity';
import type { Store } from '../store/store';
import { assertAllowed } from './batchActions';
import { EngineRefusal } from './refusal';
import { runPass, type RunPassOptions } from './runPass';
import { scopeOf } from './selection';
import type { PassSummary } from './summary';
import { syncPlanToStore } from './syncPlan';

/** Records an approval for mailboxes at Confirmation required (or about to be); returns the addresses. */
export function approveItems(store: Store, plan: Plan, by: string, batch?: string, item?: string): string[] {
  const projectId = syncPlanToStore(store, plan);
  const approved: string[] = [];
  for (const { batch: b, item: i } of scopeOf(plan, batch, item)) {
    const batchRow = store.batches.getBatch(projectId, b.name)!;
    assertAllowed(b.name, batchRow.status, 'approve');
    const row = store.items.findItem(batchRow.id, i.source);
    if (!row) continue;
    store.items.updateItem(row.id, { approvedAt: new Date().toISOString(), approvedBy: by, ...(row.status === 'ConfirmationRequired' ? { status: 'Queued', lastErrorCode: null, lastErrorMessage: null } : {}) });
    approved.push(i.source);
  }
  return approved;
}

/**
 * Completes a batch: refused before completeAfter (unless told to wait), then a final delta pass;
 * when every mailbox is in sync they are finalized and the batch is Completed.
 */
export async function completeBatch(o: Omit<RunPassOptions, 'pass' | 'item'> & { batch: string }): Promise<PassSummary> {
  const now = o.now ?? (() => new Date());
  const projectId = syncPlanToStore(o.store, o.plan);
  const planBatch = scopeOf(o.plan, o.batch)[0]?.batch ?? o.plan.batches.find((b) => b.name === o.batch)!;
  const row = o.store.batches.getBatch(projectId, o.batch)!;
  assertAllowed(o.batch, row.status, 'complete');
  if (planBatch.completeAfter && planBatch.completeAfter > now()) throw new EngineRefusal('ENG-032', [o.batch, planBatch.completeAfter.toISOString()]);
  const summary = await runPass({ ...o, pass: 'delta' });
  const after = o.store.batches.getBatch(projectId, o.batch)!;
  if (summary.status === 'completed' && after.status === 'Synced') {
    o.store.batches.setBatchStatus(row.id, 'Completing');
    o.events?.emit({ type: 'batchStatus', batch: o.batch, status: 'Completing' });
    o.store.tx(() => {
      for (const item of o.store.items.listItems(row.id)) if (item.syncState === 'InSync') o.store.items.updateItem(item.id, { finalized: true });
    });
    o.store.batches.setBatchStatus(row.id, 'Completed', { completedAt: now().toISOString() });
    o.events?.emit({ type: 'batchStatus', batch: o.batch, status: 'Completed' });
  }
  return summary;
}

/** Deletes what the store holds about a batch; only in a final state (HTTP 409 otherwise). */
export function deleteBatchState(store: Store, plan: Plan, batch: string): void {
  const projectId = findProjectOf(store, plan.file, plan.project.name);
  const row = projectId !== undefined ? store.batches.getBatch(projectId, batch) : undefined;
  if (!row) throw new EngineRefusal('ENG-052', ['Batch', batch], 'usage');
  assertAllowed(batch, row.status, 'delete');
  store.batches.setBatchStatus(row.id, 'Removing');
  store.batches.deleteBatch(row.id);
}
