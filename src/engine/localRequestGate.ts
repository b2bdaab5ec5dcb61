// Budgets a service counts per account, held across the mailboxes one process runs at once: the
// embedded runner's RequestGate (distributed workers share theirs through Redis, requestGate.ts).
// Several mailboxes of one pass (maxConcurrentMigrations) open the same EWS impersonation account,
// and Exchange counts the account's concurrent requests whichever mailbox they serve, so each
// session's own connection pool is not the bound: the account's slots are, one count per key for
// the whole process. Waiters are served in order.
import type { RequestGate } from '../connectors/types';

interface Account {
  held: number;
  waiting: { limit: number; count: number; go: () => void }[];
}

export class LocalRequestGate implements RequestGate {
  private readonly accounts = new Map<string, Account>();
  /** Highest number of holders of a key at once (tests read it). */
  readonly peak = new Map<string, number>();

  async acquire(key: string, limit: number, count = 1): Promise<() => void> {
    const n = Math.max(1, Math.min(count, limit));
    let account = this.accounts.get(key);
    if (!account) this.accounts.set(key, (account = { held: 0, waiting: [] }));
    const a = account;
    if (a.held + n <= limit && !a.waiting.length) this.take(key, a, n);
    else await new Promise<void>((go) => a.waiting.push({ limit, count: n, go }));
    let released = false;
    return () => {
      if (released) return;
      released = true;
      a.held -= n;
      while (a.waiting.length && a.held + a.waiting[0].count <= a.waiting[0].limit) {
        const next = a.waiting.shift()!;
        this.take(key, a, next.count);
        next.go();
      }
      if (!a.held && !a.waiting.length) this.accounts.delete(key);
    };
  }

  private take(key: string, a: Account, n: number): void {
    a.held += n;
    this.peak.set(key, Math.max(this.peak.get(key) ?? 0, a.held));
  }
}

/** The gate of this process: every embedded pass it runs shares it (an account's budget is the account's, whatever the pass). */
export const processRequestGate = new LocalRequestGate();
