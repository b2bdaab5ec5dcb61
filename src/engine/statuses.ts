// Batch and item statuses, as the seeds name them (Exchange migration dashboard; migration
// platform job statuses; Quest matching and sync states).

export const batchStatuses = ['Created', 'Stopped', 'Starting', 'Syncing', 'Synced', 'SyncedWithErrors', 'Stopping', 'Completing', 'Completed', 'Removing', 'Failed'] as const;
export type BatchStatus = (typeof batchStatuses)[number];

export const itemStatuses = [
  'Queued',
  'AnalysisStarted',
  'ConfirmationRequired',
  'InProgress',
  'Completed',
  'FinishedWithErrors',
  'Failed',
  'Waiting',
  'InsufficientLicenses',
  'NotValid',
  'ResyncStarted',
  'Resynced',
  'Stopped',
  'Interrupted',
] as const;
export type ItemStatus = (typeof itemStatuses)[number];

export const matchStates = ['Matched', 'NotMatched', 'Migrated'] as const;
export type MatchState = (typeof matchStates)[number];

export const syncStates = ['NeverSynced', 'InSync', 'NotIntendedToBeSynced', 'Failed'] as const;
export type SyncState = (typeof syncStates)[number];

export const passKinds = ['verify', 'trial', 'prestage', 'full', 'delta', 'retry'] as const;
export type PassKind = (typeof passKinds)[number];

/** How statuses read to a person (the dashboard's words). */
export const statusLabels: Record<BatchStatus | ItemStatus, string> = {
  Created: 'Created',
  Stopped: 'Stopped',
  Starting: 'Starting',
  Syncing: 'Syncing',
  Synced: 'Synced',
  SyncedWithErrors: 'Synced with errors',
  Stopping: 'Stopping',
  Completing: 'Completing',
  Completed: 'Completed',
  Removing: 'Removing',
  Failed: 'Failed',
  Queued: 'Queued',
  AnalysisStarted: 'Analysis started',
  ConfirmationRequired: 'Confirmation required',
  InProgress: 'In progress',
  FinishedWithErrors: 'Finished with errors',
  Waiting: 'Waiting',
  InsufficientLicenses: 'Insufficient licenses',
  NotValid: 'Not valid',
  ResyncStarted: 'Resync started',
  Resynced: 'Resynced',
  Interrupted: 'Interrupted',
};

/** Final batch states: the only ones whose state may be deleted (409 otherwise). */
export const finalBatchStatuses: readonly BatchStatus[] = ['Created', 'Stopped', 'Completed', 'Failed', 'Synced', 'SyncedWithErrors'];
