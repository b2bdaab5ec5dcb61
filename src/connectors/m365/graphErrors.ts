// Graph answers and network failures as catalog codes, so the engine knows whether to wait and
// retry (429, 503: with the Retry-After Graph sent), fail the item (413, a vanished item) or fail
// the mailbox (permissions, no mailbox, no licence, quota). Tokens never appear in messages.
import { GRAPH_DISPOSITIONS } from '../../errors/graphCatalog';
import { catalogErrorMaker } from '../catalogError';
import { ConnectorError } from '../types';

/** A ConnectorError for an M365-/GRAPH- code, its message filled from the catalog. */
export const graphError = catalogErrorMaker(GRAPH_DISPOSITIONS);

/** The shape of @microsoft/microsoft-graph-client's GraphError (read structurally: the library loads lazily). */
interface GraphErrorLike {
  statusCode?: number;
  code?: string | null;
  message?: string;
  headers?: { get(name: string): string | null };
  body?: unknown;
}

/** Milliseconds from a Retry-After header (seconds or an HTTP date). */
export function retryAfterMs(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

export interface GraphErrorContext {
  mailbox: string;
  /** What was being done, e.g. 'create a message in Inbox'. */
  what: string;
  /** Where (host), for network errors. */
  host: string;
  sizeBytes?: number;
  /** The call reads a mailbox resource: a 404 means no such user (else: the item vanished). */
  mailboxLevel?: boolean;
}

const NETWORK = /ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ENETUNREACH|ETIMEDOUT|ECONNRESET|EAI_AGAIN|socket hang up|fetch failed|other side closed/i;
const TLS = /certificate|self[- ]signed|UNABLE_TO_VERIFY|ERR_TLS|SSL/i;

function causeText(err: unknown): string {
  const parts: string[] = [];
  for (let e = err as { message?: string; code?: string; cause?: unknown } | undefined, depth = 0; e && depth < 4; e = e.cause as typeof e, depth++) parts.push([e.code, e.message].filter(Boolean).join(' '));
  return parts.join(': ');
}

/** Maps an error of a Graph call; ConnectorErrors and aborts pass through. */
export function toGraphError(raw: unknown, c: GraphErrorContext): unknown {
  if (raw instanceof ConnectorError || !(raw instanceof Error) || raw.name === 'AbortError') return raw;
  const e = raw as GraphErrorLike;
  const status = typeof e.statusCode === 'number' ? e.statusCode : -1;
  const code = e.code ?? '';
  const text = `${code ? `${code}: ` : ''}${e.message ?? ''}`.trim() || 'no reason given';
  if (status <= 0) {
    const why = causeText(raw);
    if (TLS.test(why)) return graphError('M365-TLS', [c.host, why]);
    if (NETWORK.test(why)) return graphError('M365-CONNECT', [c.host, why]);
    return raw;
  }
  const wait = retryAfterMs(e.headers?.get('retry-after'));
  if (status === 429) return graphError('GRAPH-429', [c.mailbox, text], 'transient', wait);
  if (status === 401) return graphError('GRAPH-401', [c.mailbox, text]);
  if (status === 403) return graphError('GRAPH-403', [c.mailbox, text]);
  if (code === 'MailboxNotEnabledForRESTAPI' || code === 'MailboxNotSupportedForRESTAPI') return graphError('GRAPH-NOLICENSE', [c.mailbox, text]);
  if (status === 404 && (c.mailboxLevel || code === 'ErrorInvalidUser' || code === 'ResourceNotFound')) return graphError('GRAPH-404', [c.mailbox, text]);
  if (status === 404) return graphError('GRAPH-ITEM-GONE', [c.what, c.mailbox, text]);
  if (status === 413) return graphError('GRAPH-413', [String(c.sizeBytes ?? '?'), c.mailbox, text]);
  if (status === 507 || code === 'ErrorQuotaExceeded') return graphError('GRAPH-507', [c.mailbox, text]);
  if (status >= 500) return graphError('GRAPH-503', [String(status), c.what, text], 'transient', wait);
  return graphError('GRAPH-REQUEST', [String(status), c.what, text]);
}
