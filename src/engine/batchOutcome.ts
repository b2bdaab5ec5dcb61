// A batch's status and times once a pass over it ends (Exchange dashboard semantics).
import type { BatchTimes } from '../store/batchesRepo';
import type { BatchRow, ItemRow } from '../store/rows';
import { isFailed } from './statistics';
import type { BatchStatus, PassKind } from './statuses';

export function batchAfterPass(batch: BatchRow, previous: BatchStatus, items: readonly ItemRow[], pass: PassKind, stopped: boolean, passStarted: Date, now: Date): { status: BatchStatus; times: BatchTimes } {
  if (stopped) return { status: 'Stopped', times: {} };
  if (items.length && items.every((i) => i.status === 'Waiting' && i.lastErrorCode !== 'ENG-014')) return { status: previous, times: {} };
  if (pass === 'verify' || pass === 'trial' || pass === 'prestage') {
    return { status: previous === 'Synced' || previous === 'SyncedWithErrors' ? previous : 'Stopped', times: {} };
  }
  const failed = items.filter(isFailed).length;
  const withErrors = items.some((i) => i.status === 'FinishedWithErrors' || i.status === 'ConfirmationRequired' || i.status === 'Interrupted' || i.status === 'Stopped' || (i.status === 'Waiting' && i.lastErrorCode === 'ENG-014'));
  const status: BatchStatus = items.length > 0 && failed === items.length ? 'Failed' : failed > 0 || withErrors ? 'SyncedWithErrors' : 'Synced';
  if (status === 'Failed') return { status, times: {} };
  const duration = now.getTime() - passStarted.getTime();
  const times: BatchTimes = { lastSyncAt: now.toISOString(), lastSyncDurationMs: duration };
  if (!batch.initialSyncAt) {
    times.initialSyncAt = now.toISOString();
    times.initialSyncDurationMs = duration;
  }
  // Every mailbox cut over (the cross-tenant service finalizes as it completes): the batch is Completed.
  if (items.length && items.every((i) => i.finalized)) return { status: 'Completed', times: { ...times, ...(batch.completedAt ? {} : { completedAt: now.toISOString() }) } };
  return { status, times };
}
