// The store's records as the engine reads them (camelCase; times as ISO 8601 strings).
import type { BatchStatus, ItemStatus, MatchState, PassKind, SyncState } from '../engine/statuses';

/** A batch's times, as the migration dashboard shows them (ISO 8601). */
export interface BatchTimes {
  createdAt: string;
  startedAt?: string;
  initialSyncAt?: string;
  initialSyncDurationMs?: number;
  lastSyncAt?: string;
  lastSyncDurationMs?: number;
  completedAt?: string;
}

export interface BatchRow extends BatchTimes {
  id: number;
  projectId: number;
  name: string;
  status: BatchStatus;
}

export interface ItemRow {
  id: number;
  batchId: number;
  source: string;
  destination: string;
  status: ItemStatus;
  matchState?: MatchState;
  syncState: SyncState;
  finalized: boolean;
  /** From the analysis step. */
  sizeItems?: number;
  sizeBytes?: number;
  lastErrorCode?: string;
  lastErrorMessage?: string;
  lastPassId?: number;
  lastPassKind?: PassKind;
  startedAt?: string;
  endedAt?: string;
  approvedAt?: string;
  approvedBy?: string;
  /** Why the mailbox's last delta copied new items only (ENG-080), until a delta carries changes. */
  deltaLimitCode?: string;
  deltaLimitMessage?: string;
}

export type PassStatus = 'running' | 'completed' | 'interrupted' | 'failed' | 'stopped';

export interface PassRow {
  id: number;
  projectId: number;
  kind: PassKind;
  scopeBatch?: string;
  scopeItem?: string;
  status: PassStatus;
  startedAt: string;
  endedAt?: string;
  runnerPid: number;
  errorCode?: string;
  /** When a stop was asked of a pass whose mailboxes run on distributed workers. */
  stopRequestedAt?: string;
}

/** What a destination search needs to find an item an interrupted write may have left. */
export interface IntentProbe {
  messageId?: string;
  fingerprint: string;
  exactHash?: string;
  /** ISO 8601. */
  date: string;
  sizeBytes: number;
  /** The source item's flags (absent on intents written before they were kept). */
  flags?: string[];
  /** An opaque full-fidelity item (WrittenProbe.opaque): its read and flag state are its own. */
  opaque?: true;
}

export interface IntentRow {
  sourceFolderId: string;
  sourceItemId: string;
  destinationFolderId: string;
  probe: IntentProbe;
  /** The id the destination gave the item before the write finished (WriteHooks.created). */
  destinationItemId?: string;
}

export interface ErrorRow {
  id: number;
  itemId: number;
  passId?: number;
  sourceFolderId?: string;
  folderPath?: string;
  sourceItemId?: string;
  /** The source item reference as JSON (a retry pass reads the item again with it). */
  itemRef?: string;
  /** The delta change (delta_changes.id) the destination refused: Retry errors makes it again. */
  changeId?: number;
  code: string;
  message: string;
  subject?: string;
  createdAt: string;
  resolvedAt?: string;
}

export interface FolderStatRow {
  sourceFolderId: string;
  sourcePath: string;
  destinationPath?: string;
  items: number;
  bytes: number;
  skipped: number;
  /** What the source's last listing that could tell saw in the folder. */
  sourceItems?: number;
  sourceBytes?: number;
}

/** Maps a snake_case row from SQLite to camelCase, dropping NULLs (they read as undefined). */
export function camel<T>(row: Record<string, unknown> | undefined): T | undefined {
  if (!row) return undefined;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) {
    if (value === null) continue;
    out[key.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase())] = value;
  }
  return out as T;
}

export const nowIso = (): string => new Date().toISOString();
