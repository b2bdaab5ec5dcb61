// A counting semaphore: bounds mailboxes at once (maxConcurrentMigrations) and connections per
// endpoint (maxConnections). Waiters are served in order; an aborted waiter leaves the queue.
export class Limiter {
  private active = 0;
  private readonly waiting: { resolve: () => void; reject: (e: unknown) => void; signal?: AbortSignal; onAbort?: () => void }[] = [];
  /** Highest number of holders at once (tests check the bound). */
  peak = 0;

  constructor(readonly limit: number) {
    if (!(limit >= 1)) throw new RangeError('limit must be at least 1');
  }

  get inUse(): number {
    return this.active;
  }

  async acquire(signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) throw signal.reason ?? new Error('aborted');
    if (this.active < this.limit) {
      this.take();
    } else {
      await new Promise<void>((resolve, reject) => {
        const waiter: (typeof this.waiting)[number] = { resolve, reject, signal };
        if (signal) {
          waiter.onAbort = () => {
            const i = this.waiting.indexOf(waiter);
            if (i >= 0) this.waiting.splice(i, 1);
            reject(signal.reason ?? new Error('aborted'));
          };
          signal.addEventListener('abort', waiter.onAbort, { once: true });
        }
        this.waiting.push(waiter);
      });
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.release();
    };
  }

  /** A slot when one is free and nobody waits (a waiter is never overtaken); undefined otherwise. */
  tryAcquire(): (() => void) | undefined {
    if (this.active >= this.limit || this.waiting.length > 0) return undefined;
    this.take();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.release();
    };
  }

  private take(): void {
    this.active++;
    this.peak = Math.max(this.peak, this.active);
  }

  private release(): void {
    this.active--;
    const next = this.waiting.shift();
    if (next) {
      if (next.signal && next.onAbort) next.signal.removeEventListener('abort', next.onAbort);
      this.take();
      next.resolve();
    }
  }
}
