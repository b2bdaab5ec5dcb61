// One Graph step of a multi-request write (a PATCH, an attachment, an upload range) sent again
// while Graph throttles it (429, 503) once the Retry-After has passed (the mailbox's limiter holds
// its requests meanwhile): undoing the whole write and starting over would spend the same budget
// several times for nothing.
import { ConnectorError } from '../types';

/** Tries of one step while Graph throttles it. */
const attempts = 6;

export async function soon<T>(step: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await step();
    } catch (err) {
      if (!(err instanceof ConnectorError && err.disposition === 'transient' && attempt < attempts)) throw err;
      // With a Retry-After the mailbox's limiter holds the next try; without one, a short back-off.
      if (err.retryAfterMs === undefined) await new Promise((resolve) => setTimeout(resolve, 250 * attempt));
    }
  }
}
