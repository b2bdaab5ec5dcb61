// Budgets a service counts per account, held across the mailboxes one process runs at once: the
// embedded runner's RequestGate (distributed workers share theirs through Redis, requestGate.ts).
// Several mailboxes of one pass (maxConcurrentMigrations) open the same EWS impersonation account,
// and Exchange counts the account's concurrent requests whichever mailbox they serve, so each
// session's own connection pool is not the bound: the account's slots are, one count per key for
// the whole process. Waiters are served in order.
import type { RequestGate } from '../connectors/types';

interface Account {
  held: number;
  waiting: { limit: number; go: () => void }[];
}

export class LocalRequestGate implements RequestGate {
  private readonly accounts = new Map<string, Account>();
  /** Highest number of holders of a key at once (tests read it). */
  readonly peak = new Map<string, number>();

  async acquire(key: string, limit: number): Promise<() => void> {
    let account = this.accounts.get(key);
    if (!account) this.accounts.set(key, (account = { held: 0, waiting: [] }));
    const a = account;
    if (a.held < limit && !a.waiting.length) this.take(key, a);
    else await new Promise<void>((go) => a.waiting.push({ limit, go }));
    let released = false;
    return () => {
      if (released) return;
      released = true;
      a.held--;
      while (a.waiting.length && a.held < a.waiting[0].limit) {
        this.take(key, a);
        a.waiting.shift()!.go();
      }
      if (!a.held && !a.waiting.length) this.accounts.delete(key);
    };
  }

  private take(key: string, a: Account): void {
    a.held++;
    this.peak.set(key, Math.max(this.peak.get(key) ?? 0, a.held));
  }
}

/** The gate of this process: every embedded pass it runs shares it (an account's budget is the account's, whatever the pass). */
export const processRequestGate = new LocalRequestGate();
