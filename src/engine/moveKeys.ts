// Moves told by a key the source keeps (issue 13): an item gone from one folder and an item new in
// another that carry the same key are one item moved. The key is the item's `moveKey` where the
// listing gives one (Exchange's PidTagSearchKey: EWS ItemIds change on a move), else its id where
// the source's ids survive a move (Graph's immutable ids, Google Calendar's event ids). A copy
// carries its original's search key, so a key pairs only when exactly one gone item and exactly one
// new item carry it; any other item is left to the content match.
import type { FolderInfo, SourceMailbox } from '../connectors/types';
import type { CopiedItem } from '../store/changesRepo';
import { withRetries } from './backoff';
import type { PassContext } from './context';
import type { MailboxJob } from './job';
import type { FolderWork } from './mailboxPlan';

/**
 * A key as the pairing compares it: the move key, else the id (kept apart, so neither is taken for
 * the other). An empty move key is a watermark's "the source gave none" (see `recordMoveKeys`).
 */
export function moveKeyOf(id: string, moveKey: string | undefined): string {
  return moveKey ? `key:${moveKey}` : `id:${id}`;
}

function groupBy<T>(list: readonly T[], keyOf: (x: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const x of list) {
    const k = keyOf(x);
    out.set(k, [...(out.get(k) ?? []), x]);
  }
  return out;
}

/** Each new item paired with the gone item of its key, for the keys exactly one gone and one new item carry. */
export function pairOneToOne<G, N>(gone: readonly G[], arrived: readonly N[], keyOfGone: (g: G) => string, keyOfNew: (n: N) => string): Map<N, G> {
  const goneByKey = groupBy(gone, keyOfGone);
  const pairs = new Map<N, G>();
  for (const [key, news] of groupBy(arrived, keyOfNew)) {
    const gones = goneByKey.get(key);
    if (news.length === 1 && gones?.length === 1) pairs.set(news[0], gones[0]);
  }
  return pairs;
}

/** Whether the source reads move keys for the folder's item type (what recordMoveKeys asks it for). */
export const readsMoveKeys = (source: SourceMailbox, folder: FolderInfo): boolean => !!source.readMoveKeys && !!source.moveStableIds?.includes(folder.itemType);

/**
 * Watermarks written before the store kept move keys (v12) get them, once: the source is asked for
 * the keys of the folder's copied items still there (`stillThere`), and each answer is recorded, ''
 * where the source gave none (never asked again). Only where the source reads keys for the folder's type.
 */
export async function recordMoveKeys(ctx: PassContext, job: MailboxJob, source: SourceMailbox, work: FolderWork, stillThere: readonly CopiedItem[]): Promise<void> {
  if (!readsMoveKeys(source, work.folder)) return;
  const ids = stillThere.filter((c) => c.moveKey === undefined).map((c) => c.sourceItemId);
  if (!ids.length) return;
  const keys = await withRetries(`read the move keys in ${work.folder.path.join('/')}`, () => source.readMoveKeys!(work.folder, ids, ctx.signal), ctx.retry, ctx.signal);
  ctx.store.changes.moveKeysRead(job.itemId, work.folder.id, ids.map((id) => [id, keys.get(id) ?? '']));
}
