// Exchange-style throttling: a token bucket per account and per target mailbox plus a
// concurrency cap per account, with counters a benchmark can read back.
import type { FaultRule, ThrottlePolicy } from './data';

class Bucket {
  private tokens: number;
  private last: number;
  constructor(private readonly policy: ThrottlePolicy, now: number) {
    this.tokens = policy.burst;
    this.last = now;
  }
  private refill(now: number): void {
    this.tokens = Math.min(this.policy.burst, this.tokens + ((now - this.last) / 1000) * this.policy.ratePerSecond);
    this.last = now;
  }
  /** 0 when there is a token, else the ms until there is one. */
  wait(now: number): number {
    if (this.policy.ratePerSecond <= 0) return 0;
    this.refill(now);
    return this.tokens >= 1 ? 0 : ((1 - this.tokens) / this.policy.ratePerSecond) * 1000;
  }
  take(): void {
    if (this.policy.ratePerSecond > 0) this.tokens -= 1;
  }
}

export interface MailboxStats { accepted: number; refused: number; acceptedAt: number[] }
export interface FakeEwsStats {
  mailboxes: Record<string, MailboxStats>;
  /** maxInFlight: the most requests of the account in flight at once (arrived, not yet answered). */
  accounts: Record<string, { accepted: number; refused: number; maxInFlight: number }>;
  operations: Record<string, number>;
  policy: { account: ThrottlePolicy; mailbox: ThrottlePolicy };
}

export class Throttle {
  private readonly accounts = new Map<string, Bucket>();
  private readonly mailboxes = new Map<string, Bucket>();
  private readonly inFlight = new Map<string, number>();
  stats: FakeEwsStats;

  constructor(private readonly account: ThrottlePolicy, private readonly mailbox: ThrottlePolicy) {
    this.stats = this.empty();
  }

  private empty(): FakeEwsStats {
    return { mailboxes: {}, accounts: {}, operations: {}, policy: { account: this.account, mailbox: this.mailbox } };
  }

  reset(): void {
    this.stats = this.empty();
  }

  private mb(m: string): MailboxStats {
    return (this.stats.mailboxes[m] ??= { accepted: 0, refused: 0, acceptedAt: [] });
  }
  private acc(a: string) {
    return (this.stats.accounts[a] ??= { accepted: 0, refused: 0, maxInFlight: 0 });
  }

  /**
   * A request of the account has arrived (authenticated, its body still coming): Exchange counts it
   * against the account's concurrency (EWSMaxConcurrency) until its answer is sent, which the
   * function returned says. admit() then refuses it when too many are in flight.
   */
  arrive(account: string): () => void {
    const a = account.toLowerCase();
    const inflight = (this.inFlight.get(a) ?? 0) + 1;
    this.inFlight.set(a, inflight);
    const as = this.acc(a);
    as.maxInFlight = Math.max(as.maxInFlight, inflight);
    let left = false;
    return () => {
      if (left) return;
      left = true;
      this.inFlight.set(a, Math.max(0, (this.inFlight.get(a) ?? 1) - 1));
    };
  }

  /** Admits a request that has arrived, or returns the back-off in ms. */
  admit(account: string, mailbox: string, operation: string, now = Date.now()): { ok: true } | { ok: false; backOffMs: number } {
    const a = account.toLowerCase(), m = mailbox.toLowerCase();
    const ab = this.accounts.get(a) ?? new Bucket(this.account, now);
    this.accounts.set(a, ab);
    const mbk = this.mailboxes.get(m) ?? new Bucket(this.mailbox, now);
    this.mailboxes.set(m, mbk);
    // This request is one of those in flight.
    const inflight = this.inFlight.get(a) ?? 1;
    const wait = Math.max(ab.wait(now), mbk.wait(now));
    const overConcurrency = this.account.maxConcurrency > 0 && inflight > this.account.maxConcurrency;
    if (wait > 0 || overConcurrency) {
      this.mb(m).refused++;
      this.acc(a).refused++;
      return { ok: false, backOffMs: Math.max(wait, overConcurrency ? 100 : 0) };
    }
    ab.take();
    mbk.take();
    const s = this.mb(m);
    s.accepted++;
    s.acceptedAt.push(now);
    this.acc(a).accepted++;
    this.stats.operations[operation] = (this.stats.operations[operation] ?? 0) + 1;
    return { ok: true };
  }
}

/** Injected faults, consumed as requests match them. */
export class Faults {
  private rules: Array<FaultRule & { left: number; bytesLeft: number }> = [];

  constructor(rules: FaultRule[] = []) {
    this.set(rules);
  }

  set(rules: FaultRule[], append = false): void {
    const next = rules.map((r) => ({ ...r, left: r.count ?? 1, bytesLeft: r.afterBytes ?? 0 }));
    this.rules = append ? [...this.rules, ...next] : next;
  }

  list(): FaultRule[] {
    return this.rules.map(({ left, bytesLeft: _b, ...r }) => ({ ...r, count: left }));
  }

  private applies(r: FaultRule, mailbox: string, operation: string): boolean {
    return (!r.mailbox || r.mailbox.toLowerCase() === mailbox.toLowerCase()) && (!r.operation || r.operation === operation);
  }

  /** Takes one hit of the first live rule of these kinds for the request. */
  take(kinds: FaultRule['kind'][], mailbox: string, operation: string): FaultRule | undefined {
    const r = this.rules.find((x) => kinds.includes(x.kind) && x.kind !== 'quotaAfterBytes' && x.left !== 0 && this.applies(x, mailbox, operation));
    if (!r) return undefined;
    if (r.left > 0) r.left--;
    return r;
  }

  /** False when a quotaAfterBytes rule has run out for this mailbox; counts the bytes otherwise. */
  write(mailbox: string, operation: string, bytes: number): boolean {
    for (const r of this.rules) if (r.kind === 'quotaAfterBytes' && this.applies(r, mailbox, operation)) {
      if (r.bytesLeft - bytes < 0) return false;
      r.bytesLeft -= bytes;
    }
    return true;
  }
}
