// Statistics as the Exchange migration dashboard shows them: per batch Total, Synced, Finalized,
// Failed, percentage synced, times and durations; per mailbox items and bytes per folder, skipped
// items by reason, errors.
import type { BatchRow, BatchTimes, FolderStatRow, ItemRow } from '../store/rows';
import type { Store } from '../store/store';
import type { ExcludedFolderRow, SkippedItemRow } from '../store/skipsRepo';
import type { DeltaChangeCounts } from '../store/changesRepo';
import type { BatchStatus, ItemStatus, MatchState, PassKind, SyncState } from './statuses';

export interface BatchStatistics extends BatchTimes {
  name: string;
  status: BatchStatus;
  total: number;
  synced: number;
  finalized: number;
  failed: number;
  percentSynced: number;
}

export interface ItemStatistics {
  batch: string;
  source: string;
  destination: string;
  status: ItemStatus;
  matchState?: MatchState;
  syncState: SyncState;
  /** Finalized by its batch's completion (the dashboard's Finalized). */
  finalized?: boolean;
  lastPass?: PassKind;
  /** The pass that last ran for the mailbox. */
  lastPassId?: number;
  sizeItems?: number;
  sizeBytes?: number;
  items: number;
  bytes: number;
  skipped: Record<string, number>;
  /** The skipped items (folder, code, size, date, subject where the plan allows), the first SKIPPED_ITEMS_SHOWN unless all were asked for. */
  skippedItems: SkippedItemRow[];
  /** Folders the plan's folder rules leave out, with the rule. */
  excludedFolders: ExcludedFolderRow[];
  errors: number;
  /** Open errors of single items, which a retry pass reads again. */
  retryable: number;
  lastErrorCode?: string;
  lastErrorMessage?: string;
  startedAt?: string;
  endedAt?: string;
  folders: FolderStatRow[];
  /** The changes the mailbox's last delta carried or left, by kind (undefined before its first delta). */
  lastDelta?: DeltaChangeCounts;
  /** Why the last delta copied new items only, without carrying changes (ENG-080); undefined when it carried them. */
  deltaNotCarried?: { code: string; message: string };
}

const failedStatuses: readonly ItemStatus[] = ['Failed', 'NotValid', 'InsufficientLicenses'];

export function isFailed(item: ItemRow): boolean {
  return failedStatuses.includes(item.status) || item.syncState === 'Failed';
}

export function batchStatistics(batch: BatchRow, items: readonly ItemRow[]): BatchStatistics {
  const synced = items.filter((i) => i.syncState === 'InSync').length;
  return {
    name: batch.name,
    status: batch.status,
    total: items.length,
    synced,
    finalized: items.filter((i) => i.finalized).length,
    failed: items.filter(isFailed).length,
    percentSynced: items.length ? Math.round((synced / items.length) * 1000) / 10 : 0,
    createdAt: batch.createdAt,
    startedAt: batch.startedAt,
    initialSyncAt: batch.initialSyncAt,
    initialSyncDurationMs: batch.initialSyncDurationMs,
    lastSyncAt: batch.lastSyncAt,
    lastSyncDurationMs: batch.lastSyncDurationMs,
    completedAt: batch.completedAt,
  };
}

/** Skipped items carried in statistics for views (the report lists them all). */
export const SKIPPED_ITEMS_SHOWN = 20;

export function itemStatistics(store: Store, batch: string, item: ItemRow, allSkippedItems = false): ItemStatistics {
  const totals = store.progress.totals(item.id);
  return {
    batch,
    source: item.source,
    destination: item.destination,
    status: item.status,
    matchState: item.matchState,
    syncState: item.syncState,
    finalized: !!item.finalized,
    lastPass: item.lastPassKind,
    lastPassId: item.lastPassId,
    sizeItems: item.sizeItems,
    sizeBytes: item.sizeBytes,
    items: totals.items,
    bytes: totals.bytes,
    skipped: store.skips.byCode(item.id),
    skippedItems: store.skips.items(item.id, allSkippedItems ? undefined : SKIPPED_ITEMS_SHOWN),
    excludedFolders: store.skips.excludedFolders(item.id),
    errors: store.errors.unresolvedCount(item.id),
    retryable: store.errors.retryableCount(item.id),
    lastErrorCode: item.lastErrorCode,
    lastErrorMessage: item.lastErrorMessage,
    startedAt: item.startedAt,
    endedAt: item.endedAt,
    folders: store.progress.folderStats(item.id),
    lastDelta: store.changes.lastDelta(item.id, item.lastPassKind === 'delta' ? item.lastPassId : undefined),
    deltaNotCarried: item.deltaLimitCode ? { code: item.deltaLimitCode, message: item.deltaLimitMessage ?? '' } : undefined,
  };
}

/** Statistics of every batch of a project, with their mailboxes. */
export function projectStatistics(store: Store, projectId: number, allSkippedItems = false): { batch: BatchStatistics; items: ItemStatistics[] }[] {
  return store.batches.listBatches(projectId).map((b) => {
    const items = store.items.listItems(b.id);
    return { batch: batchStatistics(b, items), items: items.map((i) => itemStatistics(store, b.name, i, allSkippedItems)) };
  });
}
