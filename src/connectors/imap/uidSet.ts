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
