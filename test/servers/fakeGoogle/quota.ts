// Gmail's usage limits (https://developers.google.com/gmail/api/reference/quota): every method
// costs quota units, and each user may spend at most 15,000 units a minute (per project); over
// that Gmail refuses with `rateLimitExceeded` and the "Queries per minute per user" message (429
// today; 403 in older answers, the `answer` option). A mailbox also has a limit of concurrent
// requests, answered with 429 "Too many concurrent requests for user." Gmail sends no Retry-After
// header for either. Calendar, People and Directory are limited by concurrency only here.
import { googleError } from './errors';
import type { FakeResponse } from '../fakeM365/http';

/** Quota units per Gmail method, from Google's table. */
export const GMAIL_UNITS: Record<string, number> = {
  'gmail.users.getProfile': 1,
  'gmail.users.labels.list': 1,
  'gmail.users.labels.get': 1,
  'gmail.users.labels.create': 5,
  'gmail.users.messages.list': 5,
  'gmail.users.messages.get': 5,
  'gmail.users.messages.insert': 25,
  'gmail.users.messages.import': 25,
  'gmail.users.messages.modify': 5,
  'gmail.users.messages.trash': 5,
  'gmail.users.messages.untrash': 5,
  'gmail.users.messages.delete': 10,
  'gmail.users.history.list': 2,
};

export interface QuotaLimits {
  /** Gmail quota units per user per minute (Google: 15,000). */
  unitsPerMinute: number;
  /** Requests in flight per user, all APIs (Google publishes no number; 10 here). */
  concurrent: number;
  /** HTTP status of a quota refusal (429, or 403 as Gmail answered before). */
  answer: 403 | 429;
}

export const googleLimits: QuotaLimits = { unitsPerMinute: 15_000, concurrent: 10, answer: 429 };

interface UserUsage {
  inFlight: number;
  spent: { at: number; units: number }[];
}

/** What each user spent and was refused, for tests and benchmarks. */
export interface QuotaStats {
  units: number;
  requests: number;
  refusedQuota: number;
  refusedConcurrency: number;
}

export class Quota {
  private readonly users = new Map<string, UserUsage>();
  readonly stats = new Map<string, QuotaStats>();

  constructor(
    public limits: QuotaLimits = googleLimits,
    private readonly projectNumber: string,
    private readonly now: () => number = Date.now,
  ) {}

  statsOf(user: string): QuotaStats {
    let s = this.stats.get(user);
    if (!s) this.stats.set(user, (s = { units: 0, requests: 0, refusedQuota: 0, refusedConcurrency: 0 }));
    return s;
  }

  /** Units the user spent in the last minute. */
  spentInLastMinute(user: string): number {
    const u = this.users.get(user);
    if (!u) return 0;
    const since = this.now() - 60_000;
    u.spent = u.spent.filter((s) => s.at > since);
    return u.spent.reduce((n, s) => n + s.units, 0);
  }

  /** Takes a request's units and a concurrency slot, or gives Google's refusal. Call `release` when done. */
  take(user: string, methodId: string): { release: () => void } | { refusal: FakeResponse } {
    let u = this.users.get(user);
    if (!u) this.users.set(user, (u = { inFlight: 0, spent: [] }));
    const stats = this.statsOf(user);
    if (u.inFlight >= this.limits.concurrent) {
      stats.refusedConcurrency++;
      return { refusal: googleError(429, 'rateLimitExceeded', 'Too many concurrent requests for user.', { domain: 'usageLimits' }) };
    }
    const units = methodId.startsWith('gmail.') ? (GMAIL_UNITS[methodId] ?? 5) : 0;
    if (units > 0 && this.spentInLastMinute(user) + units > this.limits.unitsPerMinute) {
      stats.refusedQuota++;
      const message = `Quota exceeded for quota metric 'Queries' and limit 'Queries per minute per user' of service 'gmail.googleapis.com' for consumer 'project_number:${this.projectNumber}'.`;
      return {
        refusal: googleError(this.limits.answer, 'rateLimitExceeded', message, {
          domain: 'usageLimits',
          status: this.limits.answer === 429 ? 'RESOURCE_EXHAUSTED' : 'PERMISSION_DENIED',
          details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'RATE_LIMIT_EXCEEDED', domain: 'googleapis.com', metadata: { quota_metric: 'gmail.googleapis.com/default', quota_limit: 'QueriesPerMinutePerUser', consumer: `projects/${this.projectNumber}`, service: 'gmail.googleapis.com', quota_limit_value: String(this.limits.unitsPerMinute) } }],
        }),
      };
    }
    if (units > 0) u.spent.push({ at: this.now(), units });
    stats.units += units;
    stats.requests++;
    u.inFlight++;
    const usage = u;
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        usage.inFlight--;
      },
    };
  }
}
