// A folder the source renumbered (IMAP: a new UIDVALIDITY; every item id changed; the listing's
// `renumbered`, its ids starting with `idPrefix`). Its copies under the old ids are found again by
// content: in the folder itself by the copy (folderCopy), in another folder by a delta's move
// detection (a message moved out before the renumber). A delta keeps, and reports, the old copies
// found nowhere (ENG-083): nothing is deleted at the destination because of a renumber.
import type { FolderRenumbered, ItemListing, ItemRef, FolderInfo } from '../connectors/types';
import { formatMessage } from '../errors/catalog';
import { withRetries } from './backoff';
import type { PassContext } from './context';
import type { CopyTarget } from './copyItem';
import type { Gone } from './deltaScan';
import type { ItemReporter } from './itemReporter';
import { ItemRules } from './itemRules';
import type { MailboxJob } from './job';
import { notCopied } from './listingWindows';
import { admitItem, type FolderWork } from './mailboxPlan';

/** Listings of one folder the source renumbered during a pass (a server that keeps renumbering it fails the mailbox with the source's code). */
export const RELISTS = 3;

/** Tells that the source renumbered a folder while the pass worked on it (the source's notice, IMAP-UIDVALIDITY). */
export function noteRenumbered(ctx: PassContext, job: MailboxJob, err: FolderRenumbered): void {
  ctx.events.emit({ type: 'notice', batch: job.batch, item: job.source, code: err.code, message: err.message });
}

/** A folder listed again whole under its new ids: its listing (a reset, renumbered) and the items to copy, decided by the plan's rules. */
export async function relistWhole(ctx: PassContext, t: CopyTarget, job: MailboxJob, report: ItemReporter, folder: FolderInfo): Promise<{ listing: ItemListing; pending: ItemRef[] }> {
  const listing = await withRetries(`list ${folder.path.join('/')}`, () => t.source.listItems(folder, undefined, ctx.signal), ctx.retry, ctx.signal);
  const rules = new ItemRules(job.options, job.pass, ctx.now(), t.destination.maxItemBytes);
  const pending: ItemRef[] = [];
  for (const ref of notCopied(t.store, job.itemId, folder.id, listing.items).refs) admitItem(job, ctx, report, rules, folder, pending, ref);
  return { listing: { ...listing, items: [], reset: true, renumbered: true }, pending };
}

/** Whether the folder's ids changed since its cursor or during this pass (its listing tells what they start with now). */
export const isRenumbered = (work: FolderWork): work is FolderWork & { listing: { idPrefix: string } } => !!work.listing.renumbered && work.listing.idPrefix !== undefined;

/** Old copies a page at a time, bounded: a folder of 200,000 copies is never held whole (all of them: about 240 MB of heap). */
const PAGE = 2000;

/**
 * The copies of a renumbered folder under its old ids that a new item of another folder may be (of
 * a size one has): only those are held, the others are left to the copy, which finds them again.
 */
export function staleCandidates(ctx: PassContext, job: MailboxJob, work: FolderWork, folders: readonly FolderWork[]): Gone[] {
  if (!isRenumbered(work)) return [];
  const sizes = new Set<number>();
  for (const other of folders) if (other.folder.id !== work.folder.id) for (const ref of other.pending) sizes.add(ref.sizeBytes);
  if (!sizes.size) return [];
  return ctx.store.changes.staleCopiesOfSizes(job.itemId, work.folder.id, work.listing.idPrefix, [...sizes]).map((copied) => ({ work, copied }));
}

/**
 * After a delta copied a renumbered folder: its copies under the old ids that were neither found
 * again in it nor taken for a move stand for no item the source lists. They stay at the destination,
 * recorded as kept (their source gone: never claimed by another item, never looked at again) and
 * told once for the folder (ENG-083).
 */
export function keepUnmatched(ctx: PassContext, t: CopyTarget, job: MailboxJob, work: FolderWork): void {
  if (!isRenumbered(work)) return;
  const path = work.folder.path.join('/');
  const detail = 'its folder was renumbered at the source and it was not found again there or in another folder';
  let kept = 0;
  // Each page is marked kept before the next is read: the next starts after the last id of this one.
  for (let page = ctx.store.changes.staleCopiesAfter(job.itemId, work.folder.id, work.listing.idPrefix, '', PAGE); page.length; page = ctx.store.changes.staleCopiesAfter(job.itemId, work.folder.id, work.listing.idPrefix, page[page.length - 1].sourceItemId, PAGE)) {
    for (const c of page) {
      ctx.store.changes.kept(job.itemId, c.sourceFolderId, c.sourceItemId, { passId: job.passId, kind: 'kept-deleted', sourceFolderId: c.sourceFolderId, sourceItemId: c.sourceItemId, folderPath: path, itemType: work.folder.itemType, detail });
      t.claims.claim(c.destinationFolderId, c.destinationItemId);
    }
    kept += page.length;
  }
  if (kept) ctx.events.emit({ type: 'notice', batch: job.batch, item: job.source, code: 'ENG-083', message: formatMessage('ENG-083', [path, String(kept)]) });
}
