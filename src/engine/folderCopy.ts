// Copies the pending items of one folder, in listing order, recording each; item errors are
// recorded and the folder goes on until the bad item limit says the mailbox has a real problem.
// Destinations that write several items at once go through batchCopy; the others one at a time.
import type { FolderInfo, ItemContent, ItemRef } from '../connectors/types';
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

/** One folder: its destination ensured, interrupted writes settled, items copied, cursor moved. */
export async function copyFolder(ctx: PassContext, t: CopyTarget, job: MailboxJob, report: ItemReporter, work: FolderWork, ensure: (path: string[], role: FolderInfo['role'], itemType: FolderInfo['itemType']) => Promise<FolderInfo>): Promise<void> {
  const to = await ensure(work.destinationPath, work.role, work.folder.itemType);
  const record = { sourceFolderId: work.folder.id, sourcePath: work.folder.path.join('/'), destinationFolderId: to.id, destinationPath: to.path.join('/'), sourceItems: work.sourceItems, sourceBytes: work.sourceBytes };
  ctx.store.progress.saveFolder(job.itemId, record);
  const found = await resolveIntents(t, work.folder, to);
  // Probe the destination item by item when the source ids are new (cursor reset) or when the store
  // knows nothing of a folder whose destination is not empty: a lost store never duplicates.
  const probe = work.listing.reset || (work.unrecorded && (to.itemCount ?? 1) > 0);
  if (work.windowed) await copyWindows(ctx, t, job, report, work, work.windowed, to, probe);
  else await copyListed(t, job, report, work, to, probe, found > 0);
  if (!ctx.signal.aborted && ItemRules.movesCursor(job.pass)) ctx.store.progress.saveFolder(job.itemId, { ...record, cursor: work.listing.cursor });
  report.progress(record.sourcePath, undefined, true);
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
