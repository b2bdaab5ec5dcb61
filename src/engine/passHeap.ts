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
// is enough. An operator's own flag (NODE_OPTIONS or the command line) wins. V8 refuses a code
// cache taken under other flags, Node's own cache of its builtins included: set at start, every
// builtin loaded after (node:sqlite, node:net, parse_args, ...) is compiled from source, ~25 M
// instructions of a quiet delta, which copies nothing. So `ferry run --pass delta` (bin/ferry.js)
// starts under V8's defaults and sets them when the delta has something to list and copy
// (sizeHeapWhenCopying, heapForCopying; issue 17, round 8); other passes set them at start, before
// the start-up's scavenges grow the young generation (set late, a full pass of 20,000 peaked ~3 MB
// higher). The code cache (bin/bundleCache.js) is taken once they are back to the start's.
// dist/passHeap.js, this file's own small bundle, and the copy in dist/cli.js share their state
// through global symbols.
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

const YOUNG = '--semi-space-growth-factor=1';
/** V8's own values of the flags this module sets (V8 12, Node 22): what a late setting goes back to. */
const V8_DEFAULTS: Readonly<Record<string, string>> = { [YOUNG]: '--semi-space-growth-factor=2', [TIGHT]: OWN };

/** The flags set at start (sizeHeapForPasses); those set later (heapForCopying); whether they are due. */
const START = Symbol.for('ferry.passHeap.start');
const LATE = Symbol.for('ferry.passHeap.late');
const DUE = Symbol.for('ferry.passHeap.due');
const started = globalThis as { [START]?: string[]; [LATE]?: string[]; [DUE]?: boolean };

/** The pass flags not set by the operator, set now. */
function setPassFlags(): string[] {
  const own = [...process.execArgv, process.env.NODE_OPTIONS ?? ''];
  const flags: string[] = [];
  if (!own.some((a) => YOUNG_FLAGS.test(a))) flags.push(YOUNG);
  if (!own.some((a) => OLD_FLAGS.test(a))) flags.push(TIGHT);
  for (const flag of flags) setFlagsFromString(flag);
  if (flags.includes(TIGHT)) holder[GROWTH] = TIGHT;
  return flags;
}

/** At start: a process that only runs passes (the extension's runner). */
export function sizeHeapForPasses(): void {
  started[START] = setPassFlags();
}

/** At start of `ferry run --pass delta` (bin/ferry.js): the flags are set by heapForCopying, when the delta first needs them. */
export function sizeHeapWhenCopying(): void {
  started[DUE] = true;
}

/**
 * Before a pass lists and copies a mailbox (not for a delta its source's quiet probe found quiet):
 * the flags sizeHeapWhenCopying left due, set once. Nothing in other processes.
 */
export function heapForCopying(): void {
  if (!started[DUE]) return;
  started[DUE] = false;
  started[LATE] = setPassFlags();
}

/**
 * Before a batch of `items` items of `bytes`: items of 256 KB and more on average (what is hashed off
 * the main thread) get V8's own growth factor, smaller ones the tight one. 50 messages of 3.6 MB
 * under the tight factor: 17 full collections instead of 5, +25% CPU, the same peak RSS (their
 * Buffers make it). Only in a process where sizeHeapForPasses or heapForCopying set the factor.
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
 * cache again. Flags heapForCopying set go back to V8's own values, those `ferry` started with.
 */
export function heapFlagsOfStart(): void {
  for (const flag of started[START] ?? []) setFlagsFromString(flag);
  if (holder[GROWTH] !== undefined) holder[GROWTH] = TIGHT;
  // Set late: V8's own values again (they were the start's), and due again for a later pass.
  const late = started[LATE] ?? [];
  if (late.length === 0) return;
  for (const flag of late) setFlagsFromString(V8_DEFAULTS[flag]);
  if (!started[START]?.includes(TIGHT)) holder[GROWTH] = undefined;
  started[LATE] = [];
  started[DUE] = true;
}

function setGrowth(flag: Growth): void {
  if (holder[GROWTH] === flag) return;
  setFlagsFromString(flag);
  holder[GROWTH] = flag;
}
