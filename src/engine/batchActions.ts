// What an operator may do with a batch in each state (Exchange migration dashboard): start, edit
// or delete when Stopped; stop when Syncing; complete when Synced; delete only in a final state,
// otherwise the catalog's HTTP 409 entry.
import { EngineRefusal } from './refusal';
import { finalBatchStatuses, type BatchStatus } from './statuses';
import { batchStatusLabel } from './statusWords';

export type BatchAction = 'start' | 'stop' | 'edit' | 'delete' | 'complete' | 'approve';

export const allowedActions: Readonly<Record<BatchStatus, readonly BatchAction[]>> = {
  Created: ['start', 'edit', 'delete', 'approve'],
  Stopped: ['start', 'edit', 'delete', 'approve'],
  Starting: ['stop'],
  Syncing: ['stop', 'approve'],
  Synced: ['start', 'stop', 'complete', 'edit', 'delete', 'approve'],
  SyncedWithErrors: ['start', 'stop', 'complete', 'edit', 'delete', 'approve'],
  Stopping: [],
  Completing: [],
  Completed: ['delete'],
  Removing: [],
  Failed: ['start', 'edit', 'delete', 'approve'],
};

export function isAllowed(status: BatchStatus, action: BatchAction): boolean {
  return allowedActions[status].includes(action);
}

/** Throws the refusal for an action the state does not allow (409 for delete). */
export function assertAllowed(batch: string, status: BatchStatus, action: BatchAction): void {
  if (isAllowed(status, action)) return;
  if (action === 'delete' && !finalBatchStatuses.includes(status)) throw new EngineRefusal('resourceTypeMismatch', [batch]);
  throw new EngineRefusal('ENG-040', [action, batch, batchStatusLabel(status)]);
}
