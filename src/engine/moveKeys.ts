// Moves told by a key the source keeps (issue 13): an item gone from one folder and an item new in
// another that carry the same key are one item moved. The key is the item's `moveKey` where the
// listing gives one (Exchange's PidTagSearchKey: EWS ItemIds change on a move), else its id where
// the source's ids survive a move (Graph's immutable ids, Google Calendar's event ids). A copy
// carries its original's search key, so a key pairs only when exactly one gone item and exactly one
// new item carry it; any other item is left to the content match.

/** A key as the pairing compares it: the move key, else the id (kept apart, so neither is taken for the other). */
export function moveKeyOf(id: string, moveKey: string | undefined): string {
  return moveKey !== undefined ? `key:${moveKey}` : `id:${id}`;
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
