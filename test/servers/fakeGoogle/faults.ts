// Google's transient server errors on cue: the next N API requests (of one user, or matching one
// method id) answer 500 backendError "Internal error encountered." or 503 UNAVAILABLE "The service is
// currently unavailable.", as Google's APIs do now and then (clients are told to retry with
// exponential backoff). Counted where they match, after authentication and quota.
import type { FakeResponse } from '../fakeM365/http';
import { googleError } from './errors';

export interface FaultMatch {
  /** A discovery method id, e.g. 'gmail.users.messages.get'. */
  method?: string;
  /** The impersonated user's address. */
  user?: string;
}

interface Fault {
  remaining: number;
  status: 500 | 503;
  match: FaultMatch;
}

export class Faults {
  private readonly faults: Fault[] = [];
  served = 0;

  failNext(count: number, status: 500 | 503 = 503, match: FaultMatch = {}): void {
    this.faults.push({ remaining: count, status, match: { ...match, ...(match.user ? { user: match.user.toLowerCase() } : {}) } });
  }

  /** The fault answer for this request, if one is due. */
  take(method: string, user: string): FakeResponse | undefined {
    const f = this.faults.find((x) => x.remaining > 0 && (!x.match.method || x.match.method === method) && (!x.match.user || x.match.user === user.toLowerCase()));
    if (!f) return undefined;
    f.remaining--;
    this.served++;
    return f.status === 500 ? googleError(500, 'backendError', 'Internal error encountered.') : googleError(503, 'backendError', 'The service is currently unavailable.');
  }
}
