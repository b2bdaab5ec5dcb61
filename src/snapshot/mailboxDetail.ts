// What one mailbox's page shows beyond the project's snapshot: every pass over it with what that
// pass did to it, its open errors (with the items' subjects where the plan allows), every item not
// copied, and the delta changes of its last delta by kind. Read in the snapshot's own read
// transaction, only for the mailboxes whose page is open.
import { findProjectOf } from '../engine/projectIdentity';
import type { PassKind } from '../engine/statuses';
import type { ChangeKind } from '../store/changesRepo';
import type { PassStatus } from '../store/rows';
import type { SkippedItemRow } from '../store/skipsRepo';
import type { Store } from '../store/store';

/** Rows of each list a page shows at most (the report has them all). */
export const MAILBOX_ROWS_SHOWN = 500;

export interface MailboxRef {
  batch: string;
  source: string;
}

export interface MailboxPass {
  id: number;
  kind: PassKind;
  status: PassStatus;
  startedAt: string;
  endedAt?: string;
  errorCode?: string;
  copied: number;
  errors: number;
  skipped: number;
  changes: number;
}

export interface MailboxError {
  code: string;
  message: string;
  folder?: string;
  subject?: string;
  at: string;
  passId?: number;
}

export interface MailboxDetail extends MailboxRef {
  passes: MailboxPass[];
  errors: MailboxError[];
  errorsTotal: number;
  skipped: SkippedItemRow[];
  skippedTotal: number;
  /** The last delta pass over the mailbox and its changes by kind (every kind, zero when none). */
  lastDelta?: { passId: number; byKind: Record<ChangeKind, number> };
}

export function readMailboxDetail(store: Store, planFile: string, ref: MailboxRef): MailboxDetail | undefined {
  const projectId = findProjectOf(store, planFile);
  const batch = projectId === undefined ? undefined : store.batches.getBatch(projectId, ref.batch);
  const item = batch && store.items.findItem(batch.id, ref.source);
  if (projectId === undefined || !item) return undefined;
  const counts = store.passes.countsForItem(item.id);
  const rows = new Map(store.passes.passesOver(projectId, ref.batch, ref.source).map((p) => [p.id, p]));
  for (const id of counts.keys()) if (!rows.has(id)) rows.set(id, store.passes.passById(id)!);
  const passes = [...rows.values()].filter(Boolean).sort((a, b) => b.id - a.id).map((p) => ({
    id: p.id, kind: p.kind, status: p.status, startedAt: p.startedAt, endedAt: p.endedAt, errorCode: p.errorCode,
    copied: 0, errors: 0, skipped: 0, changes: 0, ...counts.get(p.id),
  }));
  const open = store.errors.unresolved(item.id);
  const skippedTotal = Object.values(store.skips.byCode(item.id)).reduce((s, c) => s + c, 0);
  const delta = passes.find((p) => p.kind === 'delta' && p.status !== 'running');
  return {
    ...ref,
    passes,
    errors: open.slice(-MAILBOX_ROWS_SHOWN).reverse().map((e) => ({ code: e.code, message: e.message, folder: e.folderPath, subject: e.subject, at: e.createdAt, passId: e.passId })),
    errorsTotal: open.length,
    skipped: store.skips.items(item.id, MAILBOX_ROWS_SHOWN),
    skippedTotal,
    lastDelta: delta && { passId: delta.id, byKind: store.changes.countsByKind(item.id, delta.id) },
  };
}
