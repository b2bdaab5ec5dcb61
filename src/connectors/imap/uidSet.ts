// UIDs as an IMAP sequence set (RFC 3501 9): short commands for long runs of messages.

/** An IMAP sequence set of sorted UIDs, consecutive ones as ranges (1:5,9,12:13). */
export function uidSet(sorted: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; i++) {
    const start = sorted[i];
    while (i + 1 < sorted.length && sorted[i + 1] === sorted[i] + 1) i++;
    parts.push(start === sorted[i] ? String(start) : `${start}:${sorted[i]}`);
  }
  return parts.join(',');
}

/**
 * The UIDs above `after` of a sequence set a server sent (ESEARCH ALL: `1:200000` for a folder of
 * 200,000 consecutive UIDs), sorted, 4 bytes each; undefined when the set is malformed or names more
 * than `atMost` UIDs (the folder's EXISTS: a server cannot match more messages than it holds).
 */
export function uidsOfSet(set: string, after: number, atMost: number): Uint32Array | undefined {
  const ranges: [number, number][] = [];
  let count = 0;
  for (const part of set.split(',')) {
    const [a, b = a] = part.trim().split(':');
    const first = Number(a);
    const last = Number(b);
    if (![first, last].every((n) => Number.isInteger(n) && n >= 1 && n <= 0xffffffff)) return undefined;
    const from = Math.max(Math.min(first, last), after + 1);
    const to = Math.max(first, last);
    if (from > to) continue;
    count += to - from + 1;
    if (count > atMost) return undefined;
    ranges.push([from, to]);
  }
  const uids = new Uint32Array(count);
  let at = 0;
  for (const [from, to] of ranges) for (let uid = from; uid <= to; uid++) uids[at++] = uid;
  return uids.sort();
}
