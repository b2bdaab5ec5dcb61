// At most 4 concurrent Graph requests per app per mailbox (Outlook's documented limit; a 5th is
// answered 429), and no request at all while Graph asked the mailbox to wait (Retry-After after a
// 429: the budget is the mailbox's, so every request of it would be refused until then). Shared by
// every session of the process that uses the same app and mailbox.

export const MAILBOX_CONCURRENCY = 4;

export class Semaphore {
  private active = 0;
  /** Acquirers waiting, in order, with the slots each takes. */
  private readonly waiting: { slots: number; resolve: () => void }[] = [];
  /** No slot is handed out before this time (ms). */
  private pausedUntil = 0;

  constructor(private readonly size: number) {}

  /** Holds every later acquire until `until` (ms since the epoch). */
  pause(until: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, until);
  }

  /**
   * Takes `slots` slots at once (a `$batch` whose sub-requests Graph runs side by side counts as
   * that many requests against the mailbox's limit), first come first served; the release gives them back.
   */
  async acquire(slots = 1): Promise<() => void> {
    const taken = Math.max(1, Math.min(slots, this.size));
    for (let wait = this.pausedUntil - Date.now(); wait > 0; wait = this.pausedUntil - Date.now()) await new Promise((resolve) => setTimeout(resolve, wait));
    if (this.waiting.length > 0 || this.active + taken > this.size) await new Promise<void>((resolve) => this.waiting.push({ slots: taken, resolve }));
    else this.active += taken;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.active -= taken;
      while (this.waiting.length > 0 && this.active + this.waiting[0].slots <= this.size) {
        const next = this.waiting.shift()!;
        this.active += next.slots;
        next.resolve();
      }
    };
  }
}

const limiters = new Map<string, Semaphore>();

/** The limiter of an app (client id) and a mailbox. */
export function mailboxLimiter(clientId: string, mailbox: string): Semaphore {
  const key = `${clientId.toLowerCase()}|${mailbox.toLowerCase()}`;
  let limiter = limiters.get(key);
  if (!limiter) limiters.set(key, (limiter = new Semaphore(MAILBOX_CONCURRENCY)));
  return limiter;
}
