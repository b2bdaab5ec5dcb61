// What changed at the source since the last pass, for the items a delta already copied: the
// source's answer (SourceMailbox.listChanges) compared with the store's watermarks and the flags
// Ferry last wrote. Items new to a folder that the incremental listing missed (a Maildir file moved
// in keeps its old time) join the folder's pending items; a move is recognised later by content.
import { chunksWithin } from '../connectors/chunks';
import type { FolderInfo, ItemRef, SourceMailbox } from '../connectors/types';
import type { CopiedItem } from '../store/changesRepo';
import { withRetries } from './backoff';
import type { PassContext } from './context';
import type { ItemReporter } from './itemReporter';
import { ItemRules } from './itemRules';
import type { MailboxJob } from './job';
import { admitItem, type FolderWork, type MailboxPlan } from './mailboxPlan';
import { readsMoveKeys, recordMoveKeys } from './moveKeys';
import { isRenumbered } from './renumberedFolders';

/** Items the store is asked about at once (and watermark ids read per page). */
const SCAN_RUN = 2000;

/** A copied item whose source flags differ from those Ferry last wrote. */
export interface FlagChange {
  work: FolderWork;
  copied: CopiedItem;
  flags: string[];
}

/** A copied item no longer in its source folder: moved (found again by content) or deleted. */
export interface Gone {
  work: FolderWork;
  copied: CopiedItem;
}

/**
 * A copied contact, calendar item or task the source reports changed (EWS Update, Graph delta, a
 * sync token): its content is read again and, when it differs from what Ferry copied, carried.
 */
export interface ItemUpdate {
  work: FolderWork;
  copied: CopiedItem;
  ref: ItemRef;
}

export interface DeltaScan {
  flagChanges: FlagChange[];
  gone: Gone[];
  updates: ItemUpdate[];
  /** Folders renumbered since the last pass: their copies under the old ids may be found in another folder (renumberedFolders.ts). */
  renumbered: FolderWork[];
}

/** Flags as a set to compare: \Recent is the server's, system flags compare without case. */
export function normalFlags(flags: readonly string[]): string[] {
  const out = new Set<string>();
  for (const f of flags) {
    if (!f.startsWith('\\')) out.add(f);
    else if (f.toLowerCase() !== '\\recent') out.add(`\\${f.charAt(1).toUpperCase()}${f.slice(2).toLowerCase()}`);
  }
  return [...out].sort();
}

export function sameFlags(a: readonly string[], b: readonly string[]): boolean {
  const x = normalFlags(a);
  const y = normalFlags(b);
  return x.length === y.length && x.every((f, i) => f === y[i]);
}

/** Asks the source what changed in each folder the store knows, and sorts it out. */
export async function scanChanges(job: MailboxJob, ctx: PassContext, source: SourceMailbox, plan: MailboxPlan, report: ItemReporter): Promise<DeltaScan> {
  const scan: DeltaScan = { flagChanges: [], gone: [], updates: [], renumbered: [] };
  if (!source.listChanges) return scan;
  const itemRules = new ItemRules(job.options, job.pass, ctx.now());
  for (const work of plan.folders) {
    // A new folder, or one whose ids changed (UIDVALIDITY): everything is listed anew. The copies
    // under a renumbered folder's old ids may be found in another folder (moved out before the renumber).
    if (work.unrecorded || work.listing.reset) {
      if (isRenumbered(work)) scan.renumbered.push(work);
      continue;
    }
    const cursor = ctx.store.progress.folder(job.itemId, work.folder.id)?.cursor;
    const path = work.folder.path.join('/');
    const changes = await withRetries(`list changes in ${path}`, () => source.listChanges!(work.folder, cursor, ctx.signal), ctx.retry, ctx.signal);
    // Nothing changed, and no list of what is there to compare with: the watermarks are not read
    // (but for the move keys of items copied before the store kept them, read once).
    if (!changes.items.length && !changes.removed.length && !changes.complete && !changes.present) {
      if (readsMoveKeys(source, work.folder) && ctx.store.changes.hasUnkeyed(job.itemId, work.folder.id)) await recordMoveKeys(ctx, job, source, work, ctx.store.changes.copiedItems(job.itemId, work.folder.id));
      continue;
    }
    const pending = new Set(work.pending.map((r) => r.id));
    const newcomers: ItemRef[] = [];
    // The store is asked about the items the source reports, a run at a time: a folder's
    // watermarks are never read whole (200,000 of them held about 60 MB).
    for (const refs of chunksWithin(changes.items, () => 1, { items: SCAN_RUN, bytes: Infinity })) {
      const ids = refs.map((r) => r.id);
      const copied = ctx.store.changes.copiedAmong(job.itemId, work.folder.id, ids);
      const known = changes.complete ? ctx.store.changes.knownAmong(job.itemId, work.folder.id, ids) : undefined;
      for (const ref of refs) {
        const c = copied.get(ref.id);
        // Contacts, events and tasks, and items whose listing carries no state: read again, replaced when changed.
        if (c && (ref.itemType !== 'mail' || changes.statesUnknown)) scan.updates.push({ work, copied: c, ref });
        else if (c) {
          if (!c.flags || !sameFlags(c.flags, ref.flags)) scan.flagChanges.push({ work, copied: c, flags: ref.flags });
        } else if (known && !known.has(ref.id) && !pending.has(ref.id)) newcomers.push(ref);
      }
    }
    const present = changes.complete ? new Set(changes.items.map((r) => r.id)) : changes.present ? new Set(changes.present) : undefined;
    const removed = present ? absentCopies(ctx, job, work.folder.id, present) : changes.removed;
    // A source that knows no item states (statesUnknown) never gave the flags a watermark holds
    // (stores written before Ferry knew that hold []): its items are judged by their change stamp.
    for (const c of ctx.store.changes.copiedAmong(job.itemId, work.folder.id, removed).values()) scan.gone.push({ work, copied: changes.statesUnknown ? { ...c, flags: undefined } : c });
    // Copies made before the store kept move keys get theirs read once (every watermark of the folder then).
    if (readsMoveKeys(source, work.folder) && ctx.store.changes.hasUnkeyed(job.itemId, work.folder.id)) {
      const gone = new Set(removed);
      await recordMoveKeys(ctx, job, source, work, ctx.store.changes.copiedItems(job.itemId, work.folder.id).filter((c) => !gone.has(c.sourceItemId)));
    }
    for (const ref of newcomers) admitItem(job, ctx, report, itemRules, work.folder, work.pending, ref);
  }
  // A folder the store knows that the source no longer has (deleted or renamed): every item it
  // held is gone from it; those found again in another folder are moved, the others deleted.
  for (const f of ctx.store.progress.folders(job.itemId)) {
    if (plan.sourceFolderIds.has(f.sourceFolderId)) continue;
    const copied = ctx.store.changes.copiedItems(job.itemId, f.sourceFolderId);
    if (!copied.length) continue;
    const work = recordedWork(f);
    for (const c of copied) scan.gone.push({ work, copied: c });
  }
  return scan;
}

/** The source ids of a folder's copied items that `present` lacks: its watermarks read a page of ids at a time. */
function absentCopies(ctx: PassContext, job: MailboxJob, folderId: string, present: ReadonlySet<string>): string[] {
  const absent: string[] = [];
  for (let page = ctx.store.changes.copiedIdsAfter(job.itemId, folderId, '', SCAN_RUN); page.length; page = ctx.store.changes.copiedIdsAfter(job.itemId, folderId, page[page.length - 1], SCAN_RUN)) {
    for (const id of page) if (!present.has(id)) absent.push(id);
  }
  return absent;
}

/** A folder as the store recorded it (its source may no longer list it), with nothing to copy: `pending` is for the caller to fill. */
export function recordedWork(f: { sourceFolderId: string; sourcePath: string; destinationPath?: string }, folder?: FolderInfo): FolderWork {
  return {
    folder: folder ?? { id: f.sourceFolderId, path: f.sourcePath.split('/'), itemType: 'mail' },
    destinationPath: (f.destinationPath ?? f.sourcePath).split('/'),
    role: folder?.role,
    listing: { items: [], cursor: {}, reset: false },
    pending: [],
    unrecorded: false,
    cursorless: false,
  };
}
