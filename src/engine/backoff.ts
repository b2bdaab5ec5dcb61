// Bounded retries with exponential back-off and jitter for transient connector errors (throttling,
// disconnects), honouring the delay a server asks for. Exhausted retries become ENG-014 when the
// server was throttling (the mailbox goes on at the next pass), else ENG-010.
import { ConnectorError } from '../connectors/types';

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  attempts: number;
  baseMs: number;
  maxMs: number;
  /** Waits ms or rejects when the signal aborts; replaceable in tests (fake timers). */
  sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  random: () => number;
  /**
   * Attempts once a mailbox is open and has been working: a server that restarts or a connection
   * that drops mid-pass is waited for longer than a login that never worked. Default: attempts.
   */
  patience?: number;
  /** Told before each wait, so the operator sees what is being waited for. */
  onWait?: (wait: RetryWait) => void;
}

/** One wait between two attempts. */
export interface RetryWait {
  what: string;
  /** The attempt that failed (1-based) and the attempts allowed. */
  attempt: number;
  attempts: number;
  delayMs: number;
  error: ConnectorError;
}

export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason ?? new Error('aborted'));
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason ?? new Error('aborted'));
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

// 6 attempts span about 8-15 s (a login that fails that long is reported); once a mailbox is
// working, 10 attempts wait about 1.5-3 minutes for its server to come back.
export const defaultRetryPolicy: RetryPolicy = { attempts: 6, patience: 10, baseMs: 500, maxMs: 60_000, sleep: abortableSleep, random: Math.random };

/** The delay before retry number `retry` (1-based): the server's ask, else full-jitter exponential. */
export function backoffDelay(policy: RetryPolicy, retry: number, retryAfterMs?: number): number {
  if (retryAfterMs !== undefined && retryAfterMs >= 0) return Math.min(retryAfterMs, policy.maxMs * 5);
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** (retry - 1));
  // Half fixed, half random: spreads clients apart without ever retrying at once.
  return Math.round(ceiling / 2 + (policy.random() * ceiling) / 2);
}

/** The catalog codes of a server asking its clients to slow down (throttling, not a fault). */
const throttlingCodes: ReadonlySet<string> = new Set(['EWS-SERVER-BUSY', 'GRAPH-429', 'IMAP-THROTTLED']);

export function isThrottling(err: ConnectorError): boolean {
  return throttlingCodes.has(err.code);
}

/**
 * Runs op, retrying transient ConnectorErrors. `beforeRetry` runs before each new attempt (a
 * write checks whether the failed attempt landed after all). Other errors pass through at once.
 */
export async function withRetries<T>(what: string, op: () => Promise<T>, policy: RetryPolicy, signal: AbortSignal, beforeRetry?: () => Promise<T | undefined>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      if (attempt > 1 && beforeRetry) {
        const landed = await beforeRetry();
        if (landed !== undefined) return landed;
      }
      return await op();
    } catch (err) {
      if (!(err instanceof ConnectorError) || err.disposition !== 'transient' || signal.aborted) throw err;
      if (attempt >= policy.attempts) {
        // A server that asks Ferry to slow down for longer than the retries last: the mailbox waits
        // for the next pass (ENG-014), it is not broken; a server that keeps dropping is ENG-010.
        const code = isThrottling(err) ? 'ENG-014' : 'ENG-010';
        throw new ConnectorError(code, `${what}: ${err.code} ${err.message}`, 'mailbox', [what, String(attempt), `${err.code}: ${err.message}`]);
      }
      const delayMs = backoffDelay(policy, attempt, err.retryAfterMs);
      policy.onWait?.({ what, attempt, attempts: policy.attempts, delayMs, error: err });
      await policy.sleep(delayMs, signal);
    }
  }
}
