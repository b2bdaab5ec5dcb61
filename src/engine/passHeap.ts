// V8's heap in a process that runs passes (`ferry run`, `serve`, `worker`, the extension's runner),
// set at its start (issue 17). A pass's garbage is short-lived (a message, its FETCH response, its
// APPEND) and what it keeps is small (one window of a listing, a write batch), so:
// - the young generation stays at its initial 2 MB (V8 grows it to 32 MB, two 16 MB semi-spaces,
//   which then only hold garbage longer): 20,000 messages IMAP -> IMAP, peak RSS -30 MB;
// - the old generation grows by 20% over what a full GC left before the next one (V8's own factor
//   lets it reach about three times that): -35 MB, for about 10% more CPU in collections. V8 keeps
//   the pages a heap took, so a peak stays in RSS for the rest of the pass.
// Large items are the exception (heapGrowthForBatch): their Buffers lie outside V8's heap but count
// in the same limit, so a tight one collects after every few of them and saves nothing.
// The flags are read each time V8 sizes its heap, so setting them at start (or between two batches)
// is enough. An operator's own flag (NODE_OPTIONS or the command line) wins. `ferry` (bin/ferry.js)
// sets them from dist/passHeap.js, this file's own small bundle, before it loads dist/cli.js: V8
// refuses a code cache taken under other flags (bin/bundleCache.js). So the factor this process set
// is kept on the process (a global symbol), which both bundles' copies of this module read.
import { setFlagsFromString } from 'node:v8';
import { largeItemBytes } from '../connectors/types';

const YOUNG_FLAGS = /--(max-semi-space-size|semi-space-growth-factor|min-semi-space-size)\b/;
const OLD_FLAGS = /--(heap-growing-percent|max-old-space-size|max-heap-size)\b/;
const TIGHT = '--heap-growing-percent=20';
/** V8's own factor (0: computed from its GC and allocation speeds). */
const OWN = '--heap-growing-percent=0';

/** The `ferry` commands that run passes. */
export const passCommands: readonly string[] = ['run', 'serve', 'worker'];

type Growth = typeof TIGHT | typeof OWN;
/** The old generation's growth this process set: absent where the operator's flag (or nobody) decides. */
const GROWTH = Symbol.for('ferry.passHeap.growth');
const holder = globalThis as { [GROWTH]?: Growth };

/** The flags sizeHeapForPasses set, on the process as the growth is. */
const START = Symbol.for('ferry.passHeap.start');
const started = globalThis as { [START]?: string[] };

export function sizeHeapForPasses(): void {
  const own = [...process.execArgv, process.env.NODE_OPTIONS ?? ''];
  const flags: string[] = [];
  if (!own.some((a) => YOUNG_FLAGS.test(a))) flags.push('--semi-space-growth-factor=1');
  if (!own.some((a) => OLD_FLAGS.test(a))) flags.push(TIGHT);
  for (const flag of flags) setFlagsFromString(flag);
  if (flags.includes(TIGHT)) holder[GROWTH] = TIGHT;
  started[START] = flags;
}

/**
 * Before a batch of `items` items of `bytes`: items of 256 KB and more on average (what is hashed off
 * the main thread) get V8's own growth factor, smaller ones the tight one. 50 messages of 3.6 MB
 * under the tight factor: 17 full collections instead of 5, +25% CPU, the same peak RSS (their
 * Buffers make it). Only in a process where sizeHeapForPasses set the factor.
 */
export function heapGrowthForBatch(items: number, bytes: number): void {
  if (holder[GROWTH] === undefined || items === 0) return;
  setGrowth(bytes / items >= largeItemBytes ? OWN : TIGHT);
}

/**
 * The flags of the start set again, once the command has run and before its code cache is taken
 * (bin/ferry.js): V8 writes its flags into the cache and refuses it under others, and the next start
 * compiles under the start's flags. Two things changed them during a pass: a batch of large items
 * (V8's own growth factor), and a worker thread (the hash thread of large items read from Maildir,
 * EWS or Graph: once one ran, the cache carried another flag hash until the semi-space flag was set
 * again). Each `ferry run` of large messages compiled dist/cli.js from source and wrote its 1 MB
 * cache again.
 */
export function heapFlagsOfStart(): void {
  for (const flag of started[START] ?? []) setFlagsFromString(flag);
  if (holder[GROWTH] !== undefined) holder[GROWTH] = TIGHT;
}

function setGrowth(flag: Growth): void {
  if (holder[GROWTH] === flag) return;
  setFlagsFromString(flag);
  holder[GROWTH] = flag;
}
