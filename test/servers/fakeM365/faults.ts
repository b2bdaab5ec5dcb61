// Faults a test injects into Graph: the next N requests fail with 429 or 503 and a Retry-After.
// (Expiring tokens is TokenIssuer.revokeAll.) Also reachable over HTTP: POST /_fake/faults.

export interface Fault {
  status: 429 | 503;
  retryAfterSeconds: number;
}

export class Faults {
  private pending: Fault[] = [];
  /** Faults served so far. */
  served = 0;

  failNext(count: number, status: 429 | 503 = 503, retryAfterSeconds = 1): void {
    for (let i = 0; i < count; i++) this.pending.push({ status, retryAfterSeconds });
  }

  take(): Fault | undefined {
    const fault = this.pending.shift();
    if (fault) this.served++;
    return fault;
  }

  clear(): void {
    this.pending = [];
  }
}
