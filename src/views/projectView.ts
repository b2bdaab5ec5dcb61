// One project as the views show it: the plan's batches and mailboxes (outline) joined with what
// the store knows (snapshot) and what a running pass has said since (live). Pure.
import type { ProjectStatus } from '../engine/projectStatus';
import type { ErrorGroup } from '../engine/report';
import type { BatchStatistics, ItemStatistics } from '../engine/statistics';
import type { BatchStatus, ItemStatus, SyncState } from '../engine/statuses';
import type { PassRow } from '../store/rows';
import type { StoreSnapshot } from '../snapshot/storeSnapshot';
import { itemKey, type LiveItem, type LiveState, type RunError } from './liveState';
import type { OutlineBatch, OutlineItem, PlanOutline } from './planOutline';
import { batchProgress, passProgress, type PassProgress, type ShareDone } from './passProgress';

export type { StoreSnapshot };

export interface FolderView {
  id: string;
  path: string;
  destinationPath?: string;
  items: number;
  bytes: number;
  skipped: number;
  /** What the source's last listing that could tell saw in the folder. */
  sourceItems?: number;
  sourceBytes?: number;
  errors: RunError[];
}

export interface ItemView {
  key: string;
  batch: string;
  source: string;
  destination?: string;
  /** Undefined when the plan no longer lists the mailbox (the store still does). */
  plan?: OutlineItem;
  stats?: ItemStatistics;
  live?: LiveItem;
  status?: ItemStatus;
  syncState?: SyncState;
  items: number;
  bytes: number;
  errorCount: number;
  lastError?: { code: string; message: string };
  errors: RunError[];
  folders: FolderView[];
}

export interface Totals {
  mailboxes: number;
  synced: number;
  failed: number;
  items: number;
  bytes: number;
  errors: number;
}

export interface BatchView {
  name: string;
  plan?: OutlineBatch;
  stats?: BatchStatistics;
  status?: BatchStatus;
  items: ItemView[];
  totals: Totals;
  /** Percent done and time left while this window's pass runs the batch. */
  progress?: ShareDone;
}

export interface ProjectView {
  /** Grows with every view built of the project: views that show the same revision show the same counts. */
  revision: number;
  /** When the runner sent the oldest event this revision is the first to show (for the lag figures). */
  eventAt?: number;
  /** The pass this window runs, as every view words it; undefined when none runs. */
  pass?: PassProgress;
  /** When this revision was built (times left are counted from it). */
  at: number;
  planFile: string;
  name: string;
  outline?: PlanOutline;
  snapshot?: StoreSnapshot;
  live?: LiveState;
  batches: BatchView[];
  items: Map<string, ItemView>;
  passes: PassRow[];
  totals: Totals;
}

const failedStatuses: readonly ItemStatus[] = ['Failed', 'NotValid', 'InsufficientLicenses'];
const okStatuses: readonly ItemStatus[] = ['Completed', 'Resynced', 'Queued', 'InProgress', 'AnalysisStarted', 'ResyncStarted'];

export function isFailedItem(i: Pick<ItemView, 'status' | 'syncState'>): boolean {
  return (i.status !== undefined && failedStatuses.includes(i.status)) || i.syncState === 'Failed';
}

function sumTotals(items: readonly ItemView[]): Totals {
  const t: Totals = { mailboxes: items.length, synced: 0, failed: 0, items: 0, bytes: 0, errors: 0 };
  for (const i of items) {
    if (i.syncState === 'InSync') t.synced++;
    if (isFailedItem(i)) t.failed++;
    t.items += i.items;
    t.bytes += i.bytes;
    t.errors += i.errorCount;
  }
  return t;
}

function errorsByMailbox(groups: readonly ErrorGroup[]): Map<string, RunError[]> {
  const out = new Map<string, RunError[]>();
  for (const g of groups) {
    for (const e of g.examples) {
      const list = out.get(e.mailbox) ?? [];
      list.push({ code: g.code, message: e.message, folder: e.folder, at: e.at });
      out.set(e.mailbox, list);
    }
  }
  return out;
}

function itemView(batch: string, source: string, plan: OutlineItem | undefined, stats: ItemStatistics | undefined, live: LiveItem | undefined, fresh: boolean, stored: RunError[]): ItemView {
  const liveCounts = live && !fresh;
  const errors = [...stored, ...(liveCounts ? live.errors : [])];
  const status = (liveCounts ? live.status : undefined) ?? stats?.status;
  const stale = liveCounts && live.status !== undefined && !live.lastError && okStatuses.includes(live.status);
  const lastError = liveCounts && live.lastError ? live.lastError : !stale && stats?.lastErrorCode ? { code: stats.lastErrorCode, message: stats.lastErrorMessage ?? '' } : undefined;
  const folders: FolderView[] = (stats?.folders ?? []).map((f) => ({ id: f.sourceFolderId, path: f.sourcePath, destinationPath: f.destinationPath, items: f.items, bytes: f.bytes, skipped: f.skipped, sourceItems: f.sourceItems, sourceBytes: f.sourceBytes, errors: errors.filter((e) => e.folder === f.sourcePath) }));
  return {
    key: itemKey(batch, source),
    batch,
    source,
    destination: stats?.destination ?? plan?.destination,
    plan,
    stats,
    // A copy: the live state goes on changing after this view was built.
    live: live && { ...live, errors: [...live.errors], log: [...live.log] },
    status,
    syncState: stats?.syncState,
    items: (stats?.items ?? 0) + (liveCounts ? live.itemsDone : 0),
    bytes: (stats?.bytes ?? 0) + (liveCounts ? live.bytesDone : 0),
    errorCount: (stats?.errors ?? 0) + (liveCounts ? live.errors.length : 0),
    lastError,
    errors,
    folders,
  };
}

function batchView(name: string, plan: OutlineBatch | undefined, snapshot: ProjectStatus['batches'][number] | undefined, live: LiveState | undefined, stored: Map<string, RunError[]>): BatchView {
  const fresh = live?.statistics.get(name);
  const statsSource = fresh ?? snapshot;
  const statsBySource = new Map((statsSource?.items ?? []).map((i) => [i.source, i]));
  const items: ItemView[] = [];
  const seen = new Set<string>();
  for (const p of plan?.items ?? []) {
    if (seen.has(p.source)) continue;
    seen.add(p.source);
    items.push(itemView(name, p.source, p, statsBySource.get(p.source), live?.items.get(itemKey(name, p.source)), !!fresh, fresh ? [] : (stored.get(p.source) ?? [])));
  }
  for (const s of statsSource?.items ?? []) {
    if (!seen.has(s.source)) items.push(itemView(name, s.source, undefined, s, live?.items.get(itemKey(name, s.source)), !!fresh, fresh ? [] : (stored.get(s.source) ?? [])));
  }
  return { name, plan, stats: statsSource?.batch, status: live?.batches.get(name) ?? statsSource?.batch.status, items, totals: sumTotals(items) };
}

export interface ViewMeta {
  revision: number;
  eventAt?: number;
  stopping?: boolean;
  now?: number;
}

export function projectView(planFile: string, outline: PlanOutline | undefined, snapshot: StoreSnapshot | undefined, live: LiveState | undefined, meta: ViewMeta = { revision: 0 }): ProjectView {
  const stored = errorsByMailbox(snapshot?.errors ?? []);
  const storeBatches = new Map((snapshot?.status?.batches ?? []).map((b) => [b.batch.name, b]));
  // Every batch of the plan, a duplicated name included (the plan flags it; its mailboxes still show), then batches only the store knows.
  const planBatches = outline?.batches ?? [];
  const inPlan = new Set(planBatches.map((b) => b.name));
  const running = live && !live.done ? batchProgress(live, meta.now ?? Date.now()) : undefined;
  const withProgress = (v: BatchView): BatchView => ({ ...v, progress: running?.get(v.name) });
  const batches = [
    ...planBatches.map((b) => withProgress(batchView(b.name, b, storeBatches.get(b.name), live, stored))),
    ...[...storeBatches.keys()].filter((n) => !inPlan.has(n)).map((n) => withProgress(batchView(n, undefined, storeBatches.get(n), live, stored))),
  ];
  const items = new Map<string, ItemView>();
  for (const b of batches) for (const i of b.items) items.set(i.key, i);
  return {
    revision: meta.revision,
    eventAt: meta.eventAt,
    pass: live && !live.done ? passProgress(live, !!meta.stopping, meta.now ?? Date.now()) : undefined,
    at: meta.now ?? Date.now(),
    planFile,
    name: outline?.name ?? snapshot?.status?.name ?? planFile,
    outline,
    snapshot,
    live: live && { ...live },
    batches,
    items,
    passes: snapshot?.status?.passes ?? [],
    totals: sumTotals([...items.values()]),
  };
}
