// V8's heap in a process that runs passes (`ferry run`, `serve`, `worker`, the extension's runner),
// set at its start (issue 17). A pass's garbage is short-lived (a message, its FETCH response, its
// APPEND) and what it keeps is small (one window of a listing, a write batch), so:
// - the young generation stays at its initial 2 MB (V8 grows it to 32 MB, two 16 MB semi-spaces,
//   which then only hold garbage longer): 20,000 messages IMAP -> IMAP, peak RSS -30 MB;
// - the old generation grows by 20% over what a full GC leaves before the next one (V8's own factor
//   lets it reach about three times that): -35 MB, for about 10% more CPU in collections. V8 keeps
//   the pages a heap took, so a peak stays in RSS for the rest of the pass.
// Both flags are read each time V8 sizes its heap, so setting them at start is enough. An
// operator's own flag (NODE_OPTIONS or the command line) wins.
import { setFlagsFromString } from 'node:v8';

const YOUNG_FLAGS = /--(max-semi-space-size|semi-space-growth-factor|min-semi-space-size)\b/;
const OLD_FLAGS = /--(heap-growing-percent|max-old-space-size|max-heap-size)\b/;

export function sizeHeapForPasses(): void {
  const own = [...process.execArgv, process.env.NODE_OPTIONS ?? ''];
  if (!own.some((a) => YOUNG_FLAGS.test(a))) setFlagsFromString('--semi-space-growth-factor=1');
  if (!own.some((a) => OLD_FLAGS.test(a))) setFlagsFromString('--heap-growing-percent=20');
}
