// A folder listed a window at a time (issue 17): a pass holds one window of a folder's listing (and
// the next, fetched while this one is copied), never the whole folder, and asks the store which of a
// window's items it copied already instead of reading every watermark of the folder. A source
// without listItemWindows is listed whole, as before.
import type { FolderCursor, FolderInfo, ItemRef, ItemWindows, SourceMailbox } from '../connectors/types';
import type { Store } from '../store/store';
import { withRetries, type RetryPolicy } from './backoff';
import type { ItemRules } from './itemRules';

/** A folder whose items come a window at a time while it is copied (FolderWork.windowed). */
export interface WindowedListing {
  windows: ItemWindows;
  /** The pass's item rules: items are admitted window by window, as the folder is copied. */
  rules: ItemRules;
  /** What the windows are expected to add to the pass (the listing less what the store copied); corrected window by window. */
  items: number;
  bytes: number;
}

/** Each window of `windows` in turn, the next one fetched while `each` works on this one; fetches retried as a listing is. */
export async function eachWindow(windows: ItemWindows, what: string, retry: RetryPolicy, signal: AbortSignal, each: (refs: ItemRef[]) => Promise<void> | void): Promise<void> {
  const fetch = () => withRetries(what, () => windows.next(signal), retry, signal);
  let next = fetch();
  for (;;) {
    const refs = await next;
    if (!refs || signal.aborted) return;
    next = fetch();
    // Handled here too: a failure while `each` runs (or after it threw) is not left unobserved.
    next.catch(() => undefined);
    await each(refs);
  }
}

/** Every item of a folder's listing, a window at a time where the source can (else the whole listing at once). */
export async function eachListed(source: SourceMailbox, folder: FolderInfo, cursor: FolderCursor | undefined, retry: RetryPolicy, signal: AbortSignal, each: (refs: ItemRef[]) => void): Promise<void> {
  const what = `list ${folder.path.join('/')}`;
  if (!source.listItemWindows) return each((await withRetries(what, () => source.listItems(folder, cursor, signal), retry, signal)).items);
  const windows = await withRetries(what, () => source.listItemWindows!(folder, cursor, signal), retry, signal);
  await eachWindow(windows, what, retry, signal, each);
}

/** The items of `refs` that are not recorded as copied, and the count and bytes of those that are. */
export function notCopied(store: Store, itemId: number, folderId: string, refs: readonly ItemRef[]): { refs: ItemRef[]; copied: number; copiedBytes: number } {
  const copied = store.progress.copiedAmong(itemId, folderId, refs.map((r) => r.id));
  if (copied.size === 0) return { refs: [...refs], copied: 0, copiedBytes: 0 };
  const left: ItemRef[] = [];
  let copiedBytes = 0;
  for (const ref of refs) {
    if (!copied.has(ref.id)) left.push(ref);
    else copiedBytes += ref.sizeBytes;
  }
  return { refs: left, copied: refs.length - left.length, copiedBytes };
}
