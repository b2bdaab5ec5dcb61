// One vocabulary for statuses, from the seeds (the Exchange migration dashboard's batch statuses,
// the migration platform's item statuses, Quest's sync states). Every view words a status here:
// the Projects view's descriptions and tooltips, the dashboard, the status bar, notifications,
// `ferry status` and `ferry report`.
import { statusLabels, type BatchStatus, type ItemStatus, type SyncState } from './statuses';

/** A batch of the plan that no pass has touched yet is what the Exchange dashboard calls Created. */
export const unrunBatchLabel = statusLabels.Created;

/** A mailbox no pass has touched yet: Quest's "Never synced". */
export const unrunItemLabel = 'Never synced';

/** A mailbox its batch's completion finalized (the dashboard's Finalized count). */
export const finalizedLabel = 'Finalized';

const finalizable: readonly ItemStatus[] = ['Completed', 'Resynced', 'FinishedWithErrors'];

export const syncStateLabels: Record<SyncState, string> = {
  NeverSynced: 'Never synced',
  InSync: 'In sync',
  NotIntendedToBeSynced: 'Not intended to be synced',
  Failed: 'Failed',
};

const known = (status: string): string | undefined => (statusLabels as Record<string, string | undefined>)[status];

export function batchStatusLabel(status: BatchStatus | string | undefined): string {
  return status ? known(status) ?? status : unrunBatchLabel;
}

/** A finalized mailbox reads Finalized whatever its last pass (the final delta leaves it Resynced). */
export function itemStatusLabel(status: ItemStatus | string | undefined, finalized = false): string {
  if (!status) return unrunItemLabel;
  if (finalized && (finalizable as readonly string[]).includes(status)) return finalizedLabel;
  return known(status) ?? status;
}

export function syncStateLabel(state: SyncState | string | undefined): string {
  return state ? (syncStateLabels as Record<string, string | undefined>)[state] ?? state : syncStateLabels.NeverSynced;
}
