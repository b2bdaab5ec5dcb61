// Google's per-user quotas, paced per user so one mailbox never spends another's. Gmail counts
// quota units per method (messages.get 5, messages.list 5, history.list 2, labels.list 1, ...) and
// allows each user 15,000 units a minute, enforced as 250 a second with short bursts; Calendar and
// People count requests per minute per user. A pacer is a token bucket holding one second of the
// user's units: a request takes its method's units, waiting for them when the bucket is empty.
// When Google still answers 429 / 403 rateLimitExceeded (the project's quota, other clients of the
// same user), the pacer holds every request of that user for the Retry-After or a back-off, and
// slows its rate by 10%; quiet minutes bring it back up. Other users' pacers are not touched.
import { setTimeout as sleepFor } from 'node:timers/promises';

/** Documented quota unit costs of the Gmail methods Ferry calls (developers.google.com/workspace/gmail/api/reference/quota). */
export const GMAIL_UNITS = {
  'users.getProfile': 1,
  'users.labels.list': 1,
  'users.messages.list': 5,
  'users.messages.get': 5,
  'users.history.list': 2,
} as const;
export type GmailMethod = keyof typeof GMAIL_UNITS;

/** Per-user budgets (units a second): Gmail 15,000 units/minute; Calendar 600, People 90 and Directory 2,400 requests/minute by default. */
export const USER_QUOTA = { gmail: 250, calendar: 10, people: 1.5, directory: 40 } as const;
export type QuotaApi = keyof typeof USER_QUOTA;

const SLOWER = 0.9;
const QUIET_MS = 60_000;

export interface PacerClock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

const realClock: PacerClock = { now: Date.now, sleep: (ms, signal) => sleepFor(ms, undefined, signal ? { signal } : {}) };

export class QuotaPacer {
  /** Units a second this user is paced to now (lowered after a refusal). */
  rate: number;
  private units: number;
  private updatedAt: number;
  private heldUntil = 0;
  private lastRefusalAt = -Infinity;
  private queue: Promise<void> = Promise.resolve();
  /** Units taken in all (for the benchmark's share of the quota). */
  spent = 0;
  refusals = 0;
  private streak = 0;
  /** Units taken in the last minute (the rate Google accepted, read after a refusal). */
  private window: { at: number; units: number }[] = [];

  constructor(
    readonly quota: number,
    private readonly clock: PacerClock = realClock,
  ) {
    this.rate = quota;
    this.units = quota;
    this.updatedAt = clock.now();
  }

  /** Waits until `units` may be spent, then spends them. Requests of one user are served in order. */
  take(units: number, signal?: AbortSignal): Promise<void> {
    const turn = this.queue.then(() => this.wait(units, signal));
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private async wait(units: number, signal?: AbortSignal): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      const now = this.clock.now();
      if (this.rate < this.quota && now - this.lastRefusalAt > QUIET_MS) {
        this.rate = Math.min(this.quota, this.rate / SLOWER);
        this.lastRefusalAt = now;
      }
      this.units = Math.min(this.rate, this.units + ((now - this.updatedAt) / 1000) * this.rate);
      this.updatedAt = now;
      // A request dearer than the bucket holds goes when the bucket is full and leaves it in debt:
      // the next request waits for the debt too, so the average stays at the rate.
      const cost = Math.min(units, this.rate);
      if (now >= this.heldUntil && this.units >= cost) {
        this.units -= units;
        this.spent += units;
        this.window.push({ at: now, units });
        while (this.window.length > 0 && this.window[0].at <= now - 60_000) this.window.shift();
        return;
      }
      const refillMs = ((cost - this.units) / this.rate) * 1000;
      await this.clock.sleep(Math.max(1, Math.ceil(Math.max(this.heldUntil - now, refillMs))), signal);
    }
  }

  /**
   * Google refused a request of this user as over quota: every request of the user waits `waitMs`
   * (Retry-After; Gmail sends none, so the caller passes nothing and the hold doubles with each
   * refusal in a row, from 1 s up to a minute), and the rate drops to what the last minute's
   * accepted units show the budget to be (Gmail's window is a minute), or by 10% at least;
   * `overQuota` false (too many concurrent requests) holds without slowing the rate.
   */
  refused(waitMs?: number, overQuota = true): void {
    const now = this.clock.now();
    this.refusals++;
    this.streak++;
    // "Too many concurrent requests for user": the rate is not what Google refused.
    if (overQuota && now - this.lastRefusalAt > 1000) {
      const accepted = this.window.filter((w) => w.at > now - 60_000).reduce((n, w) => n + w.units, 0);
      this.rate = Math.max(this.quota / 250, Math.min(this.rate * SLOWER, accepted / 60));
    }
    this.lastRefusalAt = now;
    this.heldUntil = Math.max(this.heldUntil, now + (waitMs ?? Math.min(60_000, 1000 * 2 ** (this.streak - 1))));
    this.units = 0;
  }

  /** A request went through: the refusal streak ends. */
  accepted(): void {
    this.streak = 0;
  }
}

const pacers = new Map<string, QuotaPacer>();

/** The pacer of one user for one API, shared by every session of the process. */
export function userPacer(api: QuotaApi, user: string): QuotaPacer {
  const key = `${api} ${user.toLowerCase()}`;
  let pacer = pacers.get(key);
  if (!pacer) pacers.set(key, (pacer = new QuotaPacer(USER_QUOTA[api])));
  return pacer;
}

/** Every pacer's figures (the benchmark prints them). */
export function pacerFigures(): { api: QuotaApi; user: string; spent: number; refusals: number; rate: number }[] {
  return [...pacers.entries()].map(([key, p]) => {
    const [api, user] = key.split(' ') as [QuotaApi, string];
    return { api, user, spent: p.spent, refusals: p.refusals, rate: p.rate };
  });
}
