// Graph's JSON batching for one mailbox: POST /$batch with at most 20 sub-requests, each answered
// with its own status inside a 200 envelope. Graph runs the sub-requests side by side (Outlook: up
// to 4 at once, each counted against the mailbox's concurrency limit) unless `dependsOn` orders
// them, so a sub-request may be throttled on its own: such 429s are sent again, alone, once their
// Retry-After has passed (the mailbox's limiter holds every request meanwhile); a dependent of a
// failed request comes back 424 and is sent again with it.
import { graphError, retryAfterMs } from './graphErrors';
import type { GraphSession } from './graphSession';
import { MAILBOX_CONCURRENCY } from './mailboxLimiter';

export interface BatchRequest {
  id: string;
  method: string;
  url: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** Ids of requests that must succeed before this one runs (Graph orders them; a failure gives 424). */
  dependsOn?: string[];
}

export interface BatchResponse<T> {
  id: string;
  status: number;
  headers?: Record<string, string>;
  body?: T & { error?: { code?: string; message?: string } };
}

export const MAX_BATCH = 20;
/** Rounds of re-sending throttled sub-requests before the whole call counts as throttled. */
const ROUNDS = 4;

const header = (r: BatchResponse<unknown>, name: string) => r.headers?.[name] ?? r.headers?.[name.toLowerCase()];

/** Runs the requests (at most 20) and returns every answer by id; throttled ones are retried. */
export async function batchRequests<T>(session: GraphSession, what: string, requests: readonly BatchRequest[]): Promise<Map<string, BatchResponse<T>>> {
  if (requests.length > MAX_BATCH) throw new RangeError(`a $batch takes at most ${MAX_BATCH} requests`);
  const answers = new Map<string, BatchResponse<T>>();
  let pending = [...requests];
  for (let round = 1; pending.length; round++) {
    const ids = new Set(pending.map((r) => r.id));
    // A dependency answered in an earlier round is no dependency of the re-sent request.
    const sent = pending.map((r) => (r.dependsOn ? { ...r, dependsOn: r.dependsOn.filter((d) => ids.has(d)) } : r));
    const result: { responses: BatchResponse<T>[] } = await session.call(what, (c) => c.api('/$batch').post({ requests: sent }) as Promise<{ responses: BatchResponse<T>[] }>, { mailboxLevel: true, slots: Math.min(sent.length, MAILBOX_CONCURRENCY) });
    for (const r of result.responses) answers.set(r.id, r);
    const throttled = result.responses.filter((r) => r.status === 429 || r.status === 503);
    const failed = result.responses.find((r) => r.status >= 500 && r.status !== 503);
    if (failed) throw graphError('GRAPH-503', [String(failed.status), what, failed.body?.error?.message ?? ''], 'transient', retryAfterMs(header(failed, 'Retry-After')));
    if (!throttled.length) return answers;
    const wait = Math.max(0, ...throttled.map((r) => retryAfterMs(header(r, 'Retry-After')) ?? 1000));
    if (round >= ROUNDS) throw graphError('GRAPH-429', [session.mailbox, throttled[0].body?.error?.message ?? 'throttled inside $batch'], 'transient', wait);
    // Re-send the throttled requests and those that failed only because one of them did (424).
    const again = new Set(throttled.map((r) => r.id));
    for (const r of result.responses) if (r.status === 424) again.add(r.id);
    pending = pending.filter((r) => again.has(r.id));
    await session.holdMailbox(wait);
  }
  return answers;
}
