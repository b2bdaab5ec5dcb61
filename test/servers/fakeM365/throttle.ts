// Outlook's documented limits per app per mailbox, enforced: at most 4 concurrent requests,
// 10,000 requests per 10 minutes, 150 MB uploaded per 5 minutes. Beyond them Graph answers 429
// with Retry-After. Windows and limits are options so tests can use small ones.
// Graph also evaluates limits per app per tenant (throttling-limits: "per app across all tenants,
// per tenant for all apps, per app per tenant"); Microsoft publishes no such figure for Outlook's
// resources, so the fake enforces a per app per tenant concurrency only when a test sets one
// (`tenantConcurrent`), answering 429 with Retry-After as for the mailbox's.

export interface ThrottleLimits {
  concurrent: number;
  requests: number;
  requestWindowMs: number;
  uploadBytes: number;
  uploadWindowMs: number;
  /** Requests of one app in one tenant in flight at once (unlimited unless a test sets it). */
  tenantConcurrent?: number;
}

export const microsoftLimits: ThrottleLimits = { concurrent: 4, requests: 10_000, requestWindowMs: 600_000, uploadBytes: 150 * 1024 * 1024, uploadWindowMs: 300_000 };

interface Budget {
  inFlight: number;
  requests: number[];
  uploads: { at: number; bytes: number }[];
}

export interface Throttled {
  reason: string;
  retryAfterSeconds: number;
}

/** What one app|mailbox key was allowed and refused, for the benchmark (never trimmed: reset between runs). */
export interface KeyUsage {
  acceptedAt: number[];
  uploads: { at: number; bytes: number }[];
  refused: number;
}

export class Throttle {
  private readonly budgets = new Map<string, Budget>();
  /** 429s sent, by reason; tests and the benchmark read it. */
  readonly refusals = { concurrency: 0, requests: 0, upload: 0, tenant: 0 };
  /** Per app|tenant key: requests in flight now, the most at once, and the refusals for tenantConcurrent. */
  readonly tenants = new Map<string, { inFlight: number; maxInFlight: number; accepted: number; refused: number }>();
  /** Per app|mailbox key: every accepted request and upload, and the refusals. */
  readonly usage = new Map<string, KeyUsage>();

  private used(key: string): KeyUsage {
    let u = this.usage.get(key);
    if (!u) this.usage.set(key, (u = { acceptedAt: [], uploads: [], refused: 0 }));
    return u;
  }

  constructor(public limits: ThrottleLimits = microsoftLimits) {}

  private budget(key: string): Budget {
    let b = this.budgets.get(key);
    if (!b) this.budgets.set(key, (b = { inFlight: 0, requests: [], uploads: [] }));
    return b;
  }

  private tenant(key: string) {
    let t = this.tenants.get(key);
    if (!t) this.tenants.set(key, (t = { inFlight: 0, maxInFlight: 0, accepted: 0, refused: 0 }));
    return t;
  }

  /**
   * Admits a request of `uploadBytes` for app|mailbox `key` (and app|tenant `tenantKey`), or says why
   * not; call release() with the same keys when an admitted one ends.
   */
  admit(key: string, uploadBytes: number, tenantKey?: string): Throttled | undefined {
    const now = Date.now();
    const t = tenantKey === undefined ? undefined : this.tenant(tenantKey);
    if (t && this.limits.tenantConcurrent !== undefined && t.inFlight >= this.limits.tenantConcurrent) {
      t.refused++;
      this.refusals.tenant++;
      return { reason: 'Application is over its concurrency limit in this tenant.', retryAfterSeconds: 1 };
    }
    const b = this.budget(key);
    const l = this.limits;
    b.requests = b.requests.filter((t) => t > now - l.requestWindowMs);
    b.uploads = b.uploads.filter((u) => u.at > now - l.uploadWindowMs);
    const wait = (oldest: number, windowMs: number) => Math.max(1, Math.ceil((oldest + windowMs - now) / 1000));
    const refuse = (): void => void this.used(key).refused++;
    if (b.inFlight >= l.concurrent) {
      refuse();
      this.refusals.concurrency++;
      return { reason: 'Application is over its MailboxConcurrency limit.', retryAfterSeconds: 1 };
    }
    if (b.requests.length >= l.requests) {
      refuse();
      this.refusals.requests++;
      return { reason: 'Application is over its MailboxRequests limit.', retryAfterSeconds: wait(b.requests[0], l.requestWindowMs) };
    }
    const uploaded = b.uploads.reduce((s, u) => s + u.bytes, 0);
    if (uploadBytes > 0 && uploaded + uploadBytes > l.uploadBytes && b.uploads.length > 0) {
      refuse();
      this.refusals.upload++;
      return { reason: 'Application is over its IncomingBytes limit.', retryAfterSeconds: wait(b.uploads[0].at, l.uploadWindowMs) };
    }
    b.inFlight++;
    if (t) {
      t.inFlight++;
      t.accepted++;
      t.maxInFlight = Math.max(t.maxInFlight, t.inFlight);
    }
    b.requests.push(now);
    const used = this.used(key);
    used.acceptedAt.push(now);
    if (uploadBytes > 0) {
      b.uploads.push({ at: now, bytes: uploadBytes });
      used.uploads.push({ at: now, bytes: uploadBytes });
    }
    return undefined;
  }

  release(key: string, tenantKey?: string): void {
    if (tenantKey !== undefined) {
      const t = this.tenant(tenantKey);
      t.inFlight = Math.max(0, t.inFlight - 1);
    }
    const b = this.budget(key);
    b.inFlight = Math.max(0, b.inFlight - 1);
  }
}
