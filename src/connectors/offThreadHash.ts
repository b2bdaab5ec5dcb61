// The hashes of a large message's probe computed on a worker thread (dist/hashWorker.js, started on
// first use, one for the process, never keeping it alive). SHA-256 of a 3.6 MB message costs the
// main thread 20-50 ms on this project's machines; a copy into shared memory costs about 1 ms. A
// worker that cannot start or fails leaves the hashing to the main thread, with the same result.
import * as path from 'node:path';
import type { Worker } from 'node:worker_threads';
import type { HashReply, HashRequest } from './hashProtocol';
import { knownHashes, probeFrom, probeHashes, probeOf, type ProbeHashes } from './fingerprint';
import { largeItemBytes, type ItemContent, type WrittenProbe } from './types';

/** From this size on, probeOfAsync hashes on the worker thread. */
export const HASH_OFF_THREAD_BYTES = largeItemBytes;

let worker: Worker | undefined;
let broken = false;
let nextId = 1;
let answered = 0;

/** How many probes the worker thread has hashed in this process (for tests and benchmarks). */
export const hashedOffThread = (): number => answered;
const waiting = new Map<number, { resolve: (h: ProbeHashes) => void; data: Buffer }>();

function started(): Worker | undefined {
  if (worker || broken) return worker;
  try {
    // Required on first use: a pass of small messages never loads worker_threads.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { Worker } = require('node:worker_threads') as typeof import('node:worker_threads');
    const w = new Worker(path.join(__dirname, 'hashWorker.js'));
    w.unref();
    w.on('message', (reply: HashReply) => {
      const asked = waiting.get(reply.id);
      if (!asked) return;
      waiting.delete(reply.id);
      if (!('error' in reply)) answered++;
      asked.resolve('error' in reply ? probeHashes(asked.data) : reply);
    });
    const fail = () => {
      broken = true;
      worker = undefined;
      // What was asked is hashed here instead.
      for (const [id, asked] of waiting) {
        waiting.delete(id);
        asked.resolve(probeHashes(asked.data));
      }
    };
    w.on('error', fail);
    w.on('exit', fail);
    worker = w;
  } catch {
    broken = true;
  }
  return worker;
}

/** probeHashes(data), computed on the worker thread (or here when it cannot be). */
export async function hashOffThread(data: Buffer): Promise<ProbeHashes> {
  const w = started();
  if (!w) return probeHashes(data);
  const scratch = takeScratch(data.length);
  const shared = new Uint8Array(scratch, 0, data.length);
  shared.set(data);
  const id = nextId++;
  const answer = new Promise<ProbeHashes>((resolve) => waiting.set(id, { resolve, data }));
  // Referenced while an answer is awaited, so a pass that waits only on it is not ended early.
  if (waiting.size === 1) w.ref();
  const request: HashRequest = { id, data: shared };
  w.postMessage(request);
  try {
    return await answer;
  } finally {
    if (waiting.size === 0) worker?.unref();
    giveScratch(scratch);
  }
}

/**
 * Shared memory is reused: V8 does not count it as memory of the heap, so SharedArrayBuffers
 * dropped after each message would pile up until a full collection (50 large messages: +180 MB).
 */
const spare: SharedArrayBuffer[] = [];
const MAX_SPARE = 4;
const SCRATCH_STEP = 1024 * 1024;

function takeScratch(bytes: number): SharedArrayBuffer {
  const at = spare.findIndex((b) => b.byteLength >= bytes);
  if (at !== -1) return spare.splice(at, 1)[0];
  return new SharedArrayBuffer(Math.ceil(bytes / SCRATCH_STEP) * SCRATCH_STEP);
}

function giveScratch(scratch: SharedArrayBuffer): void {
  if (spare.length < MAX_SPARE) spare.push(scratch);
  else {
    // Keep the largest ones: the next large message fits.
    spare.sort((a, b) => a.byteLength - b.byteLength);
    if (spare[0].byteLength < scratch.byteLength) spare[0] = scratch;
  }
}

/**
 * probeOf, with the hashes of a large message computed on the worker thread, so the main thread
 * goes on reading and writing other messages meanwhile. The same probe as probeOf; a small
 * message's is returned at once (no promise, no turn of the event loop per message).
 */
export function probeOfAsync(content: ItemContent, messageId?: string): WrittenProbe | Promise<WrittenProbe> {
  // Small, or hashed as its bytes arrived (knownHashes): no thread needed.
  if (content.data.length < HASH_OFF_THREAD_BYTES || knownHashes(content.data)) return probeOf(content, messageId);
  return hashOffThread(content.data).then((hashes) => probeFrom(content, messageId, hashes));
}
