// The analysis step of a mailbox: which folders a pass copies, where they land, what each holds
// and what is still to copy; sizes the mailbox for the quota check.
import type { DestinationMailbox, FolderCursor, FolderInfo, ItemListing, ItemRef, SourceMailbox } from '../connectors/types';
import type { PassContext } from './context';
import { formatMessage } from '../errors/catalog';
import { withRetries } from './backoff';
import { FolderRules } from './folderRules';
import { ItemRules } from './itemRules';
import type { MailboxJob } from './job';
import type { ItemReporter } from './itemReporter';
import { recordSkippedItem, SkipRecorder } from './skipRecorder';
import { eachListed, notCopied, type WindowedListing } from './listingWindows';

export interface FolderWork {
  folder: FolderInfo;
  destinationPath: string[];
  role?: FolderInfo['role'];
  listing: ItemListing;
  /** Items to copy in this pass. */
  pending: ItemRef[];
  /**
   * The store knows nothing of this folder (no cursor, no watermark): a first pass, or a store
   * that was lost. The destination may still hold what an earlier pass wrote.
   */
  unrecorded: boolean;
  /** The store holds no cursor of this folder: no pass finished it (one may have copied part of it). */
  cursorless: boolean;
  /**
   * A listing too large to hold (issue 17): its items come a window at a time while the folder is
   * copied (listingWindows.ts), `pending` stays empty. Only outside a delta.
   */
  windowed?: WindowedListing;
  /** What the source holds in the folder: the server's count, else a full listing's; undefined when neither tells (a delta's listing holds only news). */
  sourceItems?: number;
  sourceBytes?: number;
}

export interface MailboxPlan {
  folders: FolderWork[];
  /** The whole mailbox by the listings (or the counts the server gave). */
  sizeItems?: number;
  sizeBytes?: number;
  destinationFolders: FolderInfo[];
  /** Every folder the source has now (copied or not): a recorded folder not among them is gone. */
  sourceFolderIds: ReadonlySet<string>;
}

/**
 * Decides one listed item by the plan's rules: to copy (added to `pending`), skipped (recorded) or
 * left for a later pass. `before`: items of the folder admitted in earlier windows.
 */
export function admitItem(job: MailboxJob, ctx: PassContext, report: ItemReporter, itemRules: ItemRules, folder: FolderInfo, pending: ItemRef[], ref: ItemRef, before = 0): void {
  const d = itemRules.decide(ref, folder.path.join('/'), before + pending.length);
  if (d.action === 'copy') pending.push(ref);
  else if (d.action === 'skip') recordSkippedItem(ctx.store, job, report, folder, ref, d.code);
}

/** Lists and decides everything before copying, so progress has a total and the quota a size. */
export async function planMailbox(job: MailboxJob, ctx: PassContext, source: SourceMailbox, destination: DestinationMailbox, report: ItemReporter): Promise<MailboxPlan> {
  const { store, retry, signal } = ctx;
  // Both sides listed at once; a failure of the source's listing is told first, as when it went first.
  const [listedSource, listedDestination] = await Promise.allSettled([withRetries('list source folders', () => source.listFolders(), retry, signal), withRetries('list destination folders', () => destination.listFolders(), retry, signal)]);
  if (listedSource.status === 'rejected') throw listedSource.reason;
  if (listedDestination.status === 'rejected') throw listedDestination.reason;
  const [sourceFolders, destinationFolders] = [listedSource.value, listedDestination.value];
  const folderRules = new FolderRules(job.options, ItemRules.itemTypesFor(job.pass, job.options), destination.itemTypes);
  const itemRules = new ItemRules(job.options, job.pass, ctx.now(), destination.maxItemBytes);
  const folders: FolderWork[] = [];
  let listedItems = 0;
  let listedBytes = 0;
  const complete = job.pass !== 'delta';
  const skips = new SkipRecorder(job, ctx, report);
  for (const folder of sourceFolders) {
    const decision = folderRules.decide(folder, destinationFolders);
    if (!decision.copy) {
      await skips.folder(folder, decision, source);
      continue;
    }
    const stored = store.progress.folder(job.itemId, folder.id);
    const cursor = job.pass === 'delta' ? stored?.cursor : undefined;
    if (complete && source.listItemWindows) {
      const work = await windowedWork(ctx, source, folder, itemRules, job.itemId, stored?.cursor);
      folders.push({ ...work, destinationPath: decision.destinationPath, role: decision.role });
      listedItems += work.sourceItems ?? 0;
      listedBytes += work.sourceBytes ?? 0;
      continue;
    }
    const listing = await withRetries(`list ${folder.path.join('/')}`, () => source.listItems(folder, cursor, signal), retry, signal);
    const pending: ItemRef[] = [];
    const full = complete || listing.reset;
    const sourceItems = folder.itemCount ?? (full ? listing.items.length : undefined);
    const sourceBytes = folder.sizeBytes ?? (full ? listing.items.reduce((sum, r) => sum + r.sizeBytes, 0) : undefined);
    for (const ref of listing.items) {
      listedItems++;
      listedBytes += ref.sizeBytes;
    }
    // The store is asked about the listed ids only (a delta lists news), not for every watermark of the folder.
    for (const ref of notCopied(store, job.itemId, folder.id, listing.items).refs) admitItem(job, ctx, report, itemRules, folder, pending, ref);
    if (pending.length > 0) source.prepareReads?.(folder);
    const cursorless = stored?.cursor === undefined;
    const unrecorded = cursorless && store.progress.copiedInFolder(job.itemId, folder.id).items === 0;
    folders.push({ folder, destinationPath: decision.destinationPath, role: decision.role, listing, pending, unrecorded, cursorless, sourceItems, sourceBytes });
  }
  skips.done();
  // Sizes: what the server reports cheaply, else what a full listing saw (a delta lists only news).
  const counted = countedSize(sourceFolders);
  const sizeItems = counted ? counted.sizeItems : complete ? listedItems : undefined;
  const sizeBytes = counted ? counted.sizeBytes : complete ? listedBytes : undefined;
  return { folders, sizeItems, sizeBytes, destinationFolders, sourceFolderIds: new Set(sourceFolders.map((f) => f.id)) };
}

/** The mailbox's size as the server counts its folders; undefined when a folder has no count. */
export function countedSize(sourceFolders: readonly FolderInfo[]): { sizeItems: number; sizeBytes: number } | undefined {
  if (!sourceFolders.every((f) => f.itemCount !== undefined && f.sizeBytes !== undefined)) return undefined;
  return { sizeItems: sourceFolders.reduce((s, f) => s + (f.itemCount ?? 0), 0), sizeBytes: sourceFolders.reduce((s, f) => s + (f.sizeBytes ?? 0), 0) };
}

const GB = 1024 ** 3;

/**
 * Records the mailbox's size where it is known and holds a mailbox above `mailboxQuotaGB` that
 * nobody approved (ConfirmationRequired, ENG-030): returns the message then, else undefined.
 */
export function heldForSize(job: MailboxJob, ctx: PassContext, report: ItemReporter, sizeItems: number | undefined, sizeBytes: number | undefined): string | undefined {
  if (sizeItems !== undefined) ctx.store.items.updateItem(job.itemId, { sizeItems, sizeBytes });
  const quota = job.options.mailboxQuotaGB;
  if (quota === undefined || sizeBytes === undefined || sizeBytes <= quota * GB || job.approveOversize || ctx.store.items.itemById(job.itemId)?.approvedAt) return undefined;
  const message = formatMessage('ENG-030', [job.source, (sizeBytes / GB).toFixed(2), String(quota)]);
  report.status('ConfirmationRequired', { lastErrorCode: 'ENG-030', lastErrorMessage: message, endedAt: ctx.now().toISOString() }, 'ENG-030', message);
  return message;
}

/**
 * A folder to copy a window at a time: its count from the listing (or the server), its bytes from
 * the server or else from a walk through the listing's windows (the quota check and the views need
 * them before copying); what it adds to the pass, the listing less what the store copied.
 */
async function windowedWork(ctx: PassContext, source: SourceMailbox, folder: FolderInfo, rules: ItemRules, itemId: number, recorded: FolderCursor | undefined): Promise<Omit<FolderWork, 'destinationPath' | 'role'>> {
  const { retry, signal, store } = ctx;
  const copiedAny = store.progress.copiedInFolder(itemId, folder.id);
  // The folder list's count (LIST-STATUS) already says there is more than was copied: the hint goes
  // before the listing's head (an EXAMINE and a SEARCH), so the body reader's login overlaps them too.
  const hinted = folder.itemCount !== undefined && folder.itemCount > copiedAny.items;
  if (hinted) source.prepareReads?.(folder);
  // From the start; the recorded cursor tells whether the folder was renumbered since (its copies are then found by content).
  const windows = await withRetries(`list ${folder.path.join('/')}`, () => source.listItemWindows!(folder, undefined, signal, recorded), retry, signal);
  // What the pass still goes through: copies under ids the folder no longer uses (renumbered) are found again item by item.
  const copied = windows.idPrefix === undefined ? copiedAny : store.progress.copiedInFolder(itemId, folder.id, windows.idPrefix);
  const unrecorded = recorded === undefined && copiedAny.items === 0;
  if (!hinted && windows.count > copied.items) source.prepareReads?.(folder);
  let sourceBytes = folder.sizeBytes;
  if (sourceBytes === undefined) {
    let bytes = 0;
    await eachListed(source, folder, undefined, retry, signal, (refs) => {
      for (const ref of refs) bytes += ref.sizeBytes;
    });
    sourceBytes = bytes;
  }
  return {
    folder,
    listing: { items: [], cursor: windows.cursor, reset: windows.reset, renumbered: windows.renumbered, idPrefix: windows.idPrefix },
    pending: [],
    windowed: { windows, rules, items: Math.max(0, windows.count - copied.items), bytes: Math.max(0, sourceBytes - copied.bytes) },
    unrecorded,
    cursorless: recorded === undefined,
    sourceItems: folder.itemCount ?? windows.count,
    sourceBytes,
  };
}
