// Memory for large message bodies, reused: the lean reader reads a large body into a Buffer over one
// of these ArrayBuffers, and the engine hands it back once the body is written and recorded
// (SourceMailbox.releaseContents). A fresh Buffer per body made V8 collect its whole heap every few
// messages (external memory pressure) and the kernel fault in and zero its pages at each read.
// A body never handed back is simply left to the GC: nothing is reused while anything can read it.

/** Bodies are pooled in steps of this size (a slightly larger next body still fits). */
const STEP = 1024 * 1024;
/** At most this much memory kept free for the next bodies. */
const KEEP_BYTES = 32 * 1024 * 1024;

export class BodyPool {
  private free: ArrayBuffer[] = [];
  private freeBytes = 0;
  /** ArrayBuffers under a body handed out and not handed back. */
  private readonly lent = new WeakSet<ArrayBufferLike>();

  /** A Buffer of `size` bytes (content not set) over memory nothing else holds. */
  take(size: number): Buffer {
    let best = -1;
    for (let i = 0; i < this.free.length; i++) if (this.free[i].byteLength >= size && (best === -1 || this.free[i].byteLength < this.free[best].byteLength)) best = i;
    let memory: ArrayBuffer;
    if (best === -1) memory = Buffer.allocUnsafeSlow(Math.ceil(size / STEP) * STEP).buffer as ArrayBuffer;
    else {
      memory = this.free[best];
      this.free.splice(best, 1);
      this.freeBytes -= memory.byteLength;
    }
    this.lent.add(memory);
    // A new Buffer object each time: what was known of the previous body (its hashes, by Buffer) is not found.
    return Buffer.from(memory, 0, size);
  }

  /** `body` is no longer read by anyone: its memory serves a next body. Bodies not from this pool are ignored. */
  release(body: Uint8Array): void {
    const memory = body.buffer;
    if (!this.lent.delete(memory)) return;
    if (this.freeBytes + memory.byteLength > KEEP_BYTES) return;
    this.free.push(memory as ArrayBuffer);
    this.freeBytes += memory.byteLength;
  }

  /** Drops the free memory (the reader is closed). */
  clear(): void {
    this.free = [];
    this.freeBytes = 0;
  }
}
