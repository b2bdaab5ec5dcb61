// Copies the pending items of one folder, in listing order, recording each; item errors are
// recorded and the folder goes on until the bad item limit says the mailbox has a real problem.
// Destinations that write several items at once go through batchCopy; the others one at a time.
import { FolderRenumbered, type FolderInfo, type ItemContent, type ItemRef } from '../connectors/types';
import { withRetries } from './backoff';
import { copyInBatches } from './batchCopy';
import type { PassContext } from './context';
import { copyContent, readContent, resolveIntents, type CopyTarget } from './copyItem';
import { recordItemFailure } from './itemFailures';
import { ItemRules, tooLargeFor } from './itemRules';
import { recordSkippedItem } from './skipRecorder';
import type { ItemReporter } from './itemReporter';
import type { MailboxJob } from './job';
import { eachWindow, notCopied, type WindowedListing } from './listingWindows';
import { admitItem, type FolderWork } from './mailboxPlan';
import { noteRenumbered, relistWhole, RELISTS } from './renumberedFolders';

/**
 * Items in flight at once within a folder: reading the next item overlaps writing the last, which
 * is what bounds a copy between two servers (round trips), while folders stay sequential.
 */
export const itemsInFlight = 4;

export async function copyItems(t: CopyTarget, job: MailboxJob, report: ItemReporter, from: FolderInfo, to: FolderInfo, refs: readonly ItemRef[], probeFirst: boolean): Promise<void> {
  // After a cursor reset (or with the store lost) every item may be there already: asked per batch
  // where the destination can answer for many at once, else per item.
  if (t.destination.writeItems && (!probeFirst || t.destination.findWrittenMany)) return copyInBatches(t, job, report, from, to, refs, probeFirst);
  const path = from.path.join('/');
  let next = 0;
  let failure: unknown;
  const copyOne = async (ref: ItemRef): Promise<void> => {
    let content: ItemContent | undefined;
    try {
      content = await readContent(t, from, ref);
      // A source that could not tell the size when listing (Graph): checked now, before anything is sent.
      if (tooLargeFor(t.destination.maxItemBytes, content.data.length, path)) return recordSkippedItem(t.store, job, report, from, ref, 'ENG-025', content.data.length);
      // After a cursor reset the source ids are new: an earlier pass may have copied the item.
      await copyContent(t, from, to, ref, content, probeFirst);
      report.progress(path, ref.sizeBytes);
    } catch (err) {
      recordItemFailure(t, job, report, from, ref, content, err);
    }
  };
  const lane = async (): Promise<void> => {
    while (next < refs.length && failure === undefined && !t.signal.aborted) {
      const ref = refs[next++];
      try {
        await copyOne(ref);
      } catch (err) {
        // The first mailbox-level failure wins; the other lanes finish their item and stop.
        failure ??= err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(itemsInFlight, refs.length) }, lane));
  if (failure !== undefined) throw failure;
}

/** One folder: its destination ensured, interrupted writes settled, items copied, cursor moved; returns the folder as last listed. */
export async function copyFolder(ctx: PassContext, t: CopyTarget, job: MailboxJob, report: ItemReporter, work: FolderWork, ensure: (path: string[], role: FolderInfo['role'], itemType: FolderInfo['itemType']) => Promise<FolderInfo>): Promise<FolderWork> {
  const to = await ensure(work.destinationPath, work.role, work.folder.itemType);
  const record = { sourceFolderId: work.folder.id, sourcePath: work.folder.path.join('/'), destinationFolderId: to.id, destinationPath: to.path.join('/'), sourceItems: work.sourceItems, sourceBytes: work.sourceBytes };
  ctx.store.progress.saveFolder(job.itemId, record);
  const found = await resolveIntents(t, work.folder, to);
  // Settling intents counts nothing as copied: what it found again is not taken off below.
  t.claims.takeFoundAgain();
  let listed = work;
  try {
    for (let relists = 0; ; relists++) {
      // The source ids changed (renumbered since the cursor or during this pass; or, in a folder no
      // pass finished, since a stopped pass recorded copies of it): the copies the folder's
      // watermarks name under the old ids are found again by content, not written twice.
      const stale = listed.listing.renumbered || (listed.cursorless && !listed.unrecorded && listed.listing.idPrefix !== undefined) ? t.claims.releaseStale(to.id, work.folder.id, listed.listing.idPrefix) : 0;
      // Probe the destination item by item when the source ids are new (cursor reset) or when the store
      // knows nothing of a folder whose destination is not empty: a lost store never duplicates.
      const probe = listed.listing.reset || listed.listing.renumbered === true || stale > 0 || (listed.unrecorded && (to.itemCount ?? 1) > 0);
      const copiedBefore = report.copied;
      try {
        if (listed.windowed) await copyWindows(ctx, t, job, report, listed, listed.windowed, to, probe);
        else await copyListed(t, job, report, listed, to, probe, found > 0 && relists === 0);
        break;
      } catch (err) {
        if (!(err instanceof FolderRenumbered) || relists >= RELISTS || ctx.signal.aborted) throw err;
        // Renumbered while copied (IMAP: a new UIDVALIDITY): listed anew and copied on in this pass.
        // The old listing's cursor is recorded first: a pass stopped meanwhile, run again, sees the
        // folder renumbered since and finds its copies by content too.
        if (ItemRules.movesCursor(job.pass)) ctx.store.progress.saveFolder(job.itemId, { ...record, cursor: listed.listing.cursor });
        noteRenumbered(ctx, job, err);
        listed = await relist(ctx, t, job, report, listed, report.copied - copiedBefore);
      }
    }
  } finally {
    // Copies found again under a renumbered folder's new ids were counted as copied: they were not.
    // The total (which counted their items, to go through) drops with them: done never passes it.
    const again = t.claims.takeFoundAgain();
    report.copied -= again.items;
    report.bytes -= again.bytes;
    report.itemsTotal -= again.items;
    report.bytesTotal -= again.bytes;
  }
  if (!ctx.signal.aborted && ItemRules.movesCursor(job.pass)) ctx.store.progress.saveFolder(job.itemId, { ...record, cursor: listed.listing.cursor });
  report.progress(record.sourcePath, undefined, true);
  return listed;
}

/**
 * A folder renumbered while copied, listed again whole under its new ids (a reset: what was copied
 * is found again at the destination by content). The pass's totals trade what the old listing had
 * left (`copied`: what it copied) for the new listing.
 */
async function relist(ctx: PassContext, t: CopyTarget, job: MailboxJob, report: ItemReporter, work: FolderWork, copied: number): Promise<FolderWork> {
  const { folder } = work;
  const what = `list ${folder.path.join('/')}`;
  const left = Math.max(0, (work.windowed ? work.windowed.items : work.pending.length) - copied);
  if (work.windowed && t.source.listItemWindows) {
    const windows = await withRetries(what, () => t.source.listItemWindows!(folder, undefined, ctx.signal), ctx.retry, ctx.signal);
    report.itemsTotal += windows.count - left;
    return { ...work, listing: { items: [], cursor: windows.cursor, reset: true, renumbered: true, idPrefix: windows.idPrefix }, windowed: { ...work.windowed, windows, items: windows.count } };
  }
  const { listing, pending } = await relistWhole(ctx, t, job, report, folder);
  report.itemsTotal += pending.length - left;
  return { ...work, listing, pending };
}

/** The pending items of a folder listed whole; `settled`: an interrupted pass's writes were found (their items are recorded now). */
async function copyListed(t: CopyTarget, job: MailboxJob, report: ItemReporter, work: FolderWork, to: FolderInfo, probe: boolean, settled: boolean): Promise<void> {
  let pending = work.pending;
  if (settled) {
    // Items the interrupted pass did write are now recorded: drop them from this pass.
    pending = notCopied(t.store, job.itemId, work.folder.id, pending).refs;
    report.itemsTotal -= work.pending.length - pending.length;
  }
  await copyItems(t, job, report, work.folder, to, pending, probe);
}

/**
 * A folder a window at a time: per window, the items the store has not recorded as copied (looked up
 * for the window's ids only) are decided by the item rules and copied; the pass's totals, estimated
 * from the count, are corrected by the items a window leaves out (skipped, for a later pass).
 */
async function copyWindows(ctx: PassContext, t: CopyTarget, job: MailboxJob, report: ItemReporter, work: FolderWork, listing: WindowedListing, to: FolderInfo, probe: boolean): Promise<void> {
  let admitted = 0;
  await eachWindow(listing.windows, `list ${work.folder.path.join('/')}`, ctx.retry, ctx.signal, async (refs) => {
    const left = notCopied(ctx.store, job.itemId, work.folder.id, refs);
    const pending: ItemRef[] = [];
    for (const ref of left.refs) admitItem(job, ctx, report, listing.rules, work.folder, pending, ref, admitted);
    admitted += pending.length;
    report.itemsTotal -= left.refs.length - pending.length;
    report.bytesTotal -= left.refs.reduce((s, r) => s + r.sizeBytes, 0) - pending.reduce((s, r) => s + r.sizeBytes, 0);
    await copyItems(t, job, report, work.folder, to, pending, probe);
  });
}
