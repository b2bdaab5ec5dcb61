// Faults a test injects into Graph: the next N requests fail with 429 or 503 and a Retry-After,
// or the next N requests matching a method, a path pattern and a body pattern (to cut a write off
// at one chosen step); requests held unanswered (a test kills the client meanwhile, inside a
// window it wants to hit), or served and their answers held (the effect stays, the client is
// killed before it hears of it). (Expiring tokens is TokenIssuer.revokeAll.) Also reachable over HTTP:
// POST /_fake/faults.
import { afterVersion } from './graphContext';
import { graphError, type FakeRequest, type FakeResponse } from './http';

/**
 * What an injected fault answers: throttled (429) or unavailable (503) with a Retry-After, or one
 * of the refusals Exchange Online gives a single request: 404 ErrorItemNotFound (the item was
 * deleted meanwhile), 507 ErrorQuotaExceeded (the mailbox is full).
 */
export type FaultStatus = 429 | 503 | 404 | 507;

export interface Fault {
  status: FaultStatus;
  retryAfterSeconds: number;
}

const FAULT_ERRORS: Record<FaultStatus, [string, string]> = {
  429: ['ApplicationThrottled', 'Application is over its MailboxConcurrency limit.'],
  503: ['ServiceUnavailable', 'The service is temporarily unavailable.'],
  404: ['ErrorItemNotFound', 'The specified object was not found in the store.'],
  507: ['ErrorQuotaExceeded', 'The server cannot service this request right now. Try again later.'],
};

/** The answer Graph gives for a fault (Retry-After only where Graph sends one). */
export function faultResponse(fault: Fault): FakeResponse {
  const [code, message] = FAULT_ERRORS[fault.status];
  return graphError(fault.status, code, message, fault.status === 429 || fault.status === 503 ? { 'retry-after': String(fault.retryAfterSeconds) } : {});
}

/** Which requests a targeted fault hits: every given part must match. */
export interface FaultMatch {
  method?: string;
  /** Tested against the path after /v1.0 or /beta (URL-decoded). */
  path?: RegExp;
  /** Tested against the request body as text. */
  body?: RegExp;
}

interface Hold {
  method: string;
  path: RegExp;
  /** Served first, then the answer held (and cut on dropHeld). */
  answer?: boolean;
  /** Matching requests still to let through before the hold catches them. */
  skip: number;
}

export class Faults {
  private pending: Fault[] = [];
  private targeted: (Fault & { match: FaultMatch })[] = [];
  private holds: Hold[] = [];
  private cuts: { match: FaultMatch; skip: number; left: number }[] = [];
  private waiting: { request: string; release: () => void }[] = [];
  private heldWatchers: { count: number; reached: () => void }[] = [];
  /** Faults served so far. */
  served = 0;

  failNext(count: number, status: FaultStatus = 503, retryAfterSeconds = 1): void {
    for (let i = 0; i < count; i++) this.pending.push({ status, retryAfterSeconds });
  }

  /** The next `count` requests matching `match` fail (other requests are served). */
  failMatching(match: FaultMatch, count: number, status: FaultStatus = 503, retryAfterSeconds = 0): void {
    for (let i = 0; i < count; i++) this.targeted.push({ match, status, retryAfterSeconds });
  }

  take(req: FakeRequest): Fault | undefined {
    const path = decodeURIComponent(afterVersion(req.path));
    const hit = (m: FaultMatch) => (!m.method || m.method.toUpperCase() === req.method) && (!m.path || m.path.test(path)) && (!m.body || m.body.test(req.body.toString('utf8')));
    const index = this.targeted.findIndex((f) => hit(f.match));
    const fault = index >= 0 ? this.targeted.splice(index, 1)[0] : this.pending.shift();
    if (fault) this.served++;
    return fault;
  }

  /**
   * After `skip` of them, the next `count` requests matching `match` are served (their effect
   * stays), then their connection is cut before the answer: the client never learns they landed.
   */
  cutAnswers(match: FaultMatch, count: number, skip = 0): void {
    this.cuts.push({ match, skip, left: count });
  }

  /** Whether the answer to this request is to be cut (counts it). */
  takeCut(req: FakeRequest): boolean {
    const path = decodeURIComponent(afterVersion(req.path));
    const cut = this.cuts.find((c) => c.left > 0 && (!c.match.method || c.match.method.toUpperCase() === req.method) && (!c.match.path || c.match.path.test(path)) && (!c.match.body || c.match.body.test(req.body.toString('utf8'))));
    if (!cut) return false;
    if (cut.skip > 0) return (cut.skip--, false);
    cut.left--;
    this.served++;
    return true;
  }

  /**
   * Holds every request with this method whose path (after /v1.0) matches, unanswered, until
   * dropHeld(); the first `skip` of them are served as usual (armed before a client starts, the
   * hold is a point every such request passes: no client can get past it unseen).
   */
  holdRequests(method: string, path: RegExp, skip = 0): void {
    this.holds.push({ method, path, skip });
  }

  /**
   * Serves every request with this method whose path (after /v1.0) matches, then holds its answer
   * until dropHeld(), which cuts the connection: the request took effect, its client never hears.
   * Held answers count in `held` and `whenHeld` like held requests. The first `skip` are answered.
   */
  holdAnswers(method: string, path: RegExp, skip = 0): void {
    this.holds.push({ method, path, answer: true, skip });
  }

  /** The requests waiting in a hold now, as `METHOD path`. */
  get held(): string[] {
    return this.waiting.map((w) => w.request);
  }

  /** Resolves once at least `count` requests wait in a hold (a test waits on this, not on a timer). */
  whenHeld(count: number): Promise<void> {
    if (this.waiting.length >= count) return Promise.resolve();
    return new Promise((reached) => this.heldWatchers.push({ count, reached }));
  }

  /** Resolves true, after dropHeld(), for a request a hold caught (it must then not be served); false at once otherwise. */
  async hold(method: string, path: string, answer = false): Promise<boolean> {
    const hold = this.holds.find((h) => h.method === method && h.path.test(path) && (h.answer ?? false) === answer);
    if (!hold) return false;
    if (hold.skip > 0) return (hold.skip--, false);
    await new Promise<void>((release) => {
      this.waiting.push({ request: `${method} ${path}`, release });
      const reached = this.heldWatchers.filter((w) => this.waiting.length >= w.count);
      this.heldWatchers = this.heldWatchers.filter((w) => !reached.includes(w));
      for (const w of reached) w.reached();
    });
    return true;
  }

  /** Resolves true, after dropHeld(), for a served request whose answer a hold caught (cut it then); false at once otherwise. */
  holdAnswer(method: string, path: string): Promise<boolean> {
    return this.hold(method, path, true);
  }

  /** Ends every hold; the held requests go unserved, held answers are cut (their client is gone). */
  dropHeld(): void {
    this.holds = [];
    for (const w of this.waiting.splice(0)) w.release();
  }

  clear(): void {
    this.pending = [];
    this.targeted = [];
    this.cuts = [];
    this.dropHeld();
  }
}
