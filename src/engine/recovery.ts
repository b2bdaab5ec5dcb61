// After a crash or a closed window: passes a dead runner left `running` become `interrupted`,
// their mailboxes Interrupted and their batches Stopped. A rerun resumes from cursors, watermarks
// and intents. Call it only while holding the state folder's lock.
import { formatMessage } from '../errors/catalog';
import type { PassRow } from '../store/rows';
import type { Store } from '../store/store';
import type { BatchStatus, ItemStatus } from './statuses';

const activeItem: readonly ItemStatus[] = ['Queued', 'AnalysisStarted', 'InProgress', 'ResyncStarted'];
const activeBatch: readonly BatchStatus[] = ['Starting', 'Syncing', 'Stopping', 'Completing'];

/** Marks every pass still `running` that this process does not own as interrupted; returns them. */
export function recoverInterrupted(store: Store, ownPid: number = process.pid): PassRow[] {
  const recovered: PassRow[] = [];
  for (const pass of store.passes.runningPasses()) {
    if (pass.runnerPid === ownPid) continue;
    const message = formatMessage('ENG-060', [pass.kind, pass.startedAt, String(pass.runnerPid)]);
    store.tx(() => {
      store.passes.endPass(pass.id, 'interrupted', 'ENG-060');
      for (const item of store.items.itemsInStatus(pass.projectId, activeItem)) {
        if (item.lastPassId === pass.id) store.items.updateItem(item.id, { status: 'Interrupted', lastErrorCode: 'ENG-060', lastErrorMessage: message });
      }
      for (const batch of store.batches.listBatches(pass.projectId)) {
        if (activeBatch.includes(batch.status)) store.batches.setBatchStatus(batch.id, 'Stopped');
      }
    });
    recovered.push(pass);
  }
  return recovered;
}
