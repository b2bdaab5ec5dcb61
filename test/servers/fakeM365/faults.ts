// Faults a test injects into Graph: the next N requests fail with 429 or 503 and a Retry-After;
// requests held unanswered (a test kills the client meanwhile, inside a window it wants to hit).
// (Expiring tokens is TokenIssuer.revokeAll.) failNext is also reachable over HTTP: POST /_fake/faults.

export interface Fault {
  status: 429 | 503;
  retryAfterSeconds: number;
}

interface Hold {
  method: string;
  path: RegExp;
}

export class Faults {
  private pending: Fault[] = [];
  private holds: Hold[] = [];
  private waiting: { request: string; release: () => void }[] = [];
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

  /** Holds every request with this method whose path (after /v1.0) matches, unanswered, until dropHeld(). */
  holdRequests(method: string, path: RegExp): void {
    this.holds.push({ method, path });
  }

  /** The requests waiting in a hold now, as `METHOD path`. */
  get held(): string[] {
    return this.waiting.map((w) => w.request);
  }

  /** Resolves true, after dropHeld(), for a request a hold caught (it must then not be served); false at once otherwise. */
  async hold(method: string, path: string): Promise<boolean> {
    if (!this.holds.some((h) => h.method === method && h.path.test(path))) return false;
    await new Promise<void>((release) => this.waiting.push({ request: `${method} ${path}`, release }));
    return true;
  }

  /** Ends every hold; the held requests go unserved (their client is gone). */
  dropHeld(): void {
    this.holds = [];
    for (const w of this.waiting.splice(0)) w.release();
  }

  clear(): void {
    this.pending = [];
    this.dropHeld();
  }
}
