// What the next pass would do, from the plan and the store alone (no connection): which mailboxes
// run and why the others would not, with what the store knows of each.
import { formatMessage } from '../errors/catalog';
import type { Plan } from '../plan/model';
import { findProjectOf } from './projectIdentity';
import type { Store } from '../store/store';
import { selectItems } from './selection';
import type { ItemStatus, PassKind } from './statuses';

export interface PreviewItem {
  batch: string;
  source: string;
  destination?: string;
  run: boolean;
  /** Why not, or what will hold it (Waiting, Confirmation required). */
  code?: string;
  reason: string;
  status?: ItemStatus;
  lastPass?: PassKind;
  /** Items copied so far (watermarks): a rerun never copies these again. */
  copied: number;
  /** Folders with a cursor: a delta lists only what is new there. */
  foldersWithCursor: number;
  openErrors: number;
  knownSizeItems?: number;
}

export interface PassPreview {
  pass: PassKind;
  items: PreviewItem[];
}

const GB = 1024 ** 3;

/** The pass to preview when none is named: full until something is synced, then delta. */
export function defaultPreviewPass(plan: Plan, store: Store | undefined): PassKind {
  const projectId = store && findProjectOf(store, plan.file, plan.project.name);
  if (!store || projectId === undefined) return 'full';
  const synced = store.batches.listBatches(projectId).some((b) => store.items.listItems(b.id).some((i) => i.syncState === 'InSync'));
  return synced ? 'delta' : 'full';
}

export function previewPass(plan: Plan, store: Store | undefined, pass: PassKind, batch?: string, item?: string, now = new Date()): PassPreview {
  const projectId = store && findProjectOf(store, plan.file, plan.project.name);
  const selection = selectItems(plan, store, projectId, pass, batch, item);
  const describe = (s: (typeof selection.selected)[number]): Omit<PreviewItem, 'run' | 'reason'> => {
    const row = s.row;
    const progress = row && store ? { copied: store.progress.watermarkCount(row.id), foldersWithCursor: store.progress.folderStats(row.id).filter((f) => store.progress.folder(row.id, f.sourceFolderId)?.cursor).length, openErrors: store.errors.unresolvedCount(row.id) } : { copied: 0, foldersWithCursor: 0, openErrors: 0 };
    return { batch: s.batch.name, source: s.item.source, destination: s.item.resolvedDestination, status: row?.status, lastPass: row?.lastPassKind, knownSizeItems: row?.sizeItems, ...progress };
  };
  const items: PreviewItem[] = [];
  for (const s of selection.selected) {
    const d = describe(s);
    const quota = plan.options.mailboxQuotaGB;
    if (s.batch.startAfter && s.batch.startAfter > now) {
      items.push({ ...d, run: false, code: 'ENG-031', reason: formatMessage('ENG-031', [s.batch.name, s.batch.startAfter.toISOString()]) });
    } else if (quota !== undefined && s.row?.sizeBytes !== undefined && s.row.sizeBytes > quota * GB && !s.item.approveOversize && !s.row.approvedAt) {
      items.push({ ...d, run: false, code: 'ENG-030', reason: formatMessage('ENG-030', [s.item.source, (s.row.sizeBytes / GB).toFixed(2), String(quota)]) });
    } else {
      items.push({ ...d, run: true, reason: reasonToRun(pass, d) });
    }
  }
  for (const e of selection.excluded) items.push({ ...describe(e), run: false, code: e.code, reason: e.message });
  return { pass, items };
}

function reasonToRun(pass: PassKind, d: Omit<PreviewItem, 'run' | 'reason'>): string {
  switch (pass) {
    case 'verify':
      return 'logs in on both sides and checks the destination mailbox; moves nothing';
    case 'trial':
      return 'folder tree plus at most 10 items per folder and 5 MB';
    case 'prestage':
      return `mail older than the pre-stage cut-off${d.copied ? `; ${d.copied} items already copied are skipped` : ''}`;
    case 'full':
      return d.copied ? `everything the options select; ${d.copied} items already copied are skipped` : 'everything the options select (never synced)';
    case 'delta':
      return d.foldersWithCursor ? `only what is new since the cursors of ${d.foldersWithCursor} folders` : 'no cursor yet: lists every folder, skips what is already copied';
    case 'retry':
      return `${d.openErrors} failed items again`;
  }
}
