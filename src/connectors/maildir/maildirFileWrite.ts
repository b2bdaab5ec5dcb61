// A new message file, written synchronously through its descriptor: open, write, futimes, close.
// writeFileSync then utimesSync by path (as before) resolved the path twice per message and went
// through Node's per-call path and option checks twice.
import { closeSync, futimesSync, openSync, writeSync } from 'node:fs';

/** Creates (or truncates) `file` with `data`; its mtime and atime are `date`. */
export function writeMessageFile(file: string, data: Buffer, date: Date): void {
  const fd = openSync(file, 'w', 0o666);
  try {
    for (let at = 0; at < data.length; ) at += writeSync(fd, data, at, data.length - at);
    futimesSync(fd, date, date);
  } finally {
    closeSync(fd);
  }
}
