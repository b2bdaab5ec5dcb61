// Google's answers as catalog codes, so the engine knows whether to wait and retry (429, 403
// rate limits, 5xx, a broken connection: with the delay Google asked for), fail the item (a vanished
// item, a refused request) or fail the mailbox (no Gmail service, API not enabled). Tokens never
// appear in messages.
import { formatMessage } from '../../errors/catalog';
import { GMAIL_DISPOSITIONS } from '../../errors/gmailCatalog';
import { retryAfterMs } from '../m365/graphErrors';
import { ConnectorError } from '../types';

type Disposition = ConnectorError['disposition'];

/** A ConnectorError for a GMAIL- code, its message filled from the catalog. */
export function gmailError(code: string, args: string[], disposition?: Disposition, retryAfter?: number): ConnectorError {
  const fallback = GMAIL_DISPOSITIONS[code];
  return new ConnectorError(code, formatMessage(code, args), disposition ?? (fallback === 'information' || !fallback ? 'item' : fallback), args, retryAfter);
}

/** The parts of a GaxiosError (read structurally: the library loads lazily). */
interface GoogleErrorLike {
  status?: number;
  code?: string | number;
  message?: string;
  response?: { status?: number; data?: unknown; headers?: Headers };
}

/** Google's JSON error body: { error: { code, message, status, errors: [{ reason, domain }] } }. */
export function reasonOf(data: unknown): { reason?: string; message?: string } {
  const error = (data as { error?: { message?: string; errors?: { reason?: string }[]; status?: string } } | undefined)?.error;
  if (!error || typeof error !== 'object') return {};
  return { reason: error.errors?.[0]?.reason ?? error.status, message: error.message };
}

type Headers = { get(name: string): string | null } | Record<string, string> | undefined;
const header = (headers: Headers, name: string): string | null =>
  !headers ? null : typeof headers.get === 'function' ? (headers as { get(n: string): string | null }).get(name) : ((headers as Record<string, string>)[name] ?? null);

const RATE_REASONS = new Set(['rateLimitExceeded', 'userRateLimitExceeded', 'quotaExceeded', 'RESOURCE_EXHAUSTED']);
const NETWORK = /ECONNRESET|ECONNREFUSED|ETIMEDOUT|EPIPE|ENOTFOUND|EAI_AGAIN|socket hang up|fetch failed|other side closed|terminated/i;

export interface GoogleCallContext {
  mailbox: string;
  /** What was being done, e.g. 'read a message'. */
  what: string;
  /** The call reads one item (a 404 means it vanished), else the mailbox (a 404 is an error). */
  item?: { kind: string; id: string };
}

/** Any error of a Google API call as a ConnectorError with a GMAIL- code. */
export function googleError(err: unknown, ctx: GoogleCallContext): ConnectorError {
  if (err instanceof ConnectorError) return err;
  const e = (err ?? {}) as GoogleErrorLike;
  const status = e.status ?? e.response?.status ?? (typeof e.code === 'number' ? e.code : undefined);
  const { reason, message } = reasonOf(e.response?.data);
  const text = message ?? e.message ?? String(err);
  const detail = reason ? `${reason}: ${text}` : text;
  if (status === undefined) {
    if (typeof e.code === 'string' && NETWORK.test(e.code) || NETWORK.test(text)) return gmailError('GMAIL-UNAVAILABLE', [ctx.what, ctx.mailbox, detail], 'transient');
    return gmailError('GMAIL-API', ['no answer', ctx.what, detail]);
  }
  if (status === 429 || (status === 403 && reason !== undefined && RATE_REASONS.has(reason))) {
    return gmailError('GMAIL-RATE', [ctx.mailbox, ctx.what, detail], 'transient', retryAfterMs(header(e.response?.headers, 'retry-after')));
  }
  if (status >= 500) return gmailError('GMAIL-UNAVAILABLE', [ctx.what, ctx.mailbox, `${status} ${detail}`], 'transient');
  if (status === 404 && ctx.item) return gmailError('GMAIL-ITEM-GONE', [ctx.item.kind, ctx.item.id, ctx.mailbox]);
  if (reason === 'accessNotConfigured' || reason === 'SERVICE_DISABLED' || /service not enabled|has not been used in project|is disabled/i.test(text)) {
    return gmailError('GMAIL-NO-SERVICE', [ctx.what, ctx.mailbox, detail]);
  }
  if (status === 401 || status === 403) return gmailError('GMAIL-API', [String(status), ctx.what, detail], 'mailbox');
  return gmailError('GMAIL-API', [String(status), ctx.what, detail], status === 404 ? 'mailbox' : 'item');
}
