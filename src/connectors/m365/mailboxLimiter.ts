// At most 4 concurrent Graph requests per app per mailbox (Outlook's documented limit; a 5th is
// answered 429). Shared by every session of the process that uses the same app and mailbox.

export const MAILBOX_CONCURRENCY = 4;

export class Semaphore {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly size: number) {}

  async acquire(): Promise<() => void> {
    if (this.active >= this.size) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
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
