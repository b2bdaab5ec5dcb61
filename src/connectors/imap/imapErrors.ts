// imapflow and socket errors as catalog codes, so the engine knows whether to retry, fail the item
// or fail the mailbox. Only the server's response text is quoted, never the command sent (a LOGIN
// command carries the password).
import type { ImapFlowError } from 'imapflow';
import { CONNECTOR_DISPOSITIONS } from '../../errors/connectorCatalog';
import { formatMessage } from '../../errors/catalog';
import { ConnectorError, FolderRenumbered } from '../types';

type Disposition = ConnectorError['disposition'];

/** A ConnectorError for an IMAP-* code, its message filled from the catalog. */
export function imapError(code: string, args: string[], disposition?: Disposition, retryAfterMs?: number): ConnectorError {
  const fallback = CONNECTOR_DISPOSITIONS[code];
  return new ConnectorError(code, formatMessage(code, args), disposition ?? (fallback === 'information' || !fallback ? 'item' : fallback), args, retryAfterMs);
}

/** The folder `folder` now has UIDVALIDITY `now`, not the `listed` one its UIDs were listed under: the engine lists it anew. */
export function renumbered(folder: string, listed: string, now: string): FolderRenumbered {
  const args = [folder, listed, now];
  return new FolderRenumbered('IMAP-UIDVALIDITY', formatMessage('IMAP-UIDVALIDITY', args), 'item', args);
}

/**
 * The UIDs of an imapflow SEARCH. imapflow answers false for a search that failed (refused, or the
 * connection went): that is an error to retry, never "no message matches".
 */
export function searched(found: number[] | false | undefined, host: string): number[] {
  if (!Array.isArray(found)) throw imapError('IMAP-NO', [host, 'SEARCH', 'the search failed'], 'transient');
  return found;
}

/** What was going on when an error happened, for the message. */
export interface ImapErrorContext {
  host: string;
  port: number;
  user: string;
  authzid?: string;
  mailbox: string;
  /** The command and its target, e.g. 'APPEND to Sent'. */
  command?: string;
  folder?: string;
  sizeBytes?: number;
}

const TIMEOUTS = new Set(['CONNECT_TIMEOUT', 'GREETING_TIMEOUT', 'UPGRADE_TIMEOUT', 'ETIMEOUT', 'ETIMEDOUT', 'LockTimeout']);
const DISCONNECTS = new Set(['NoConnection', 'EConnectionClosed', 'ClosedAfterConnectText', 'StateLogout', 'ECONNRESET', 'EPIPE', 'ECONNABORTED']);
const UNREACHABLE = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'EAI_AGAIN', 'EADDRNOTAVAIL']);
const TLS_CODES = /^(ERR_TLS_|ERR_SSL_|CERT_|DEPTH_ZERO_SELF_SIGNED_CERT$|SELF_SIGNED_CERT_IN_CHAIN$|UNABLE_TO_|HOSTNAME_MISMATCH$|ClosedAfterConnectTLS$|STARTTLS_INJECTION$)/;

/** The server's own words for a failed command, without the command itself. */
function serverText(error: ImapFlowError): string {
  const text = error.responseText ?? (typeof error.response === 'string' ? error.response : undefined) ?? error.reason ?? error.message;
  return text.replace(/\s*\(\d+\.\d+( \+ \d+\.\d+)* secs\)\.?\s*$/, '').trim() || 'no reason given';
}

/** Maps any error from an IMAP operation to a ConnectorError; errors that are not IMAP or network errors pass through. */
export function toConnectorError(raw: unknown, c: ImapErrorContext): unknown {
  if (raw instanceof ConnectorError || !(raw instanceof Error)) return raw;
  if (raw.name === 'AbortError') return raw;
  const error = raw as ImapFlowError;
  const code = error.code ?? '';
  const responseCode = (error.serverResponseCode ?? '').toUpperCase();
  const text = serverText(error);
  const host = c.host;
  const at = `${c.host}:${c.port}`;
  const command = c.command ?? error.command ?? 'a command';

  if (responseCode === 'AUTHORIZATIONFAILED' || (c.authzid && error.authenticationFailed && /authoriz/i.test(text))) return imapError('IMAP-AUTHZ', [at, c.user, c.authzid ?? c.mailbox, text]);
  if (error.authenticationFailed || responseCode === 'AUTHENTICATIONFAILED' || error.name === 'AuthenticationFailure') {
    // An XOAUTH2 failure carries the provider's JSON; keep only its status.
    const status = error.oauthError ? (error.oauthError as { status?: unknown }).status : undefined;
    const reason = error.oauthError ? `the OAuth 2.0 access token was refused${status ? ` (${String(status)})` : ''}` : text;
    return imapError('IMAP-AUTH', [at, c.user, reason]);
  }
  if (error.tlsFailed || TLS_CODES.test(code)) return imapError('IMAP-TLS', [host, String(c.port), text]);
  if (code === 'ENOTFOUND') return imapError('IMAP-CONNECT', [host, String(c.port), `${code}: the host name does not resolve`], 'mailbox');
  if (UNREACHABLE.has(code)) return imapError('IMAP-CONNECT', [host, String(c.port), `${code}: ${text}`]);
  if (TIMEOUTS.has(code)) return imapError('IMAP-TIMEOUT', [host, String(c.port), code]);
  if (code === 'ETHROTTLE') return imapError('IMAP-THROTTLED', [host, text], undefined, error.throttleReset);
  if (responseCode === 'OVERQUOTA' || /quota/i.test(text)) return imapError('IMAP-QUOTA', [c.mailbox, host, text]);
  if (responseCode === 'TOOBIG' || responseCode === 'APPENDLIMIT' || /too (large|big)|size limit|exceeds.*size/i.test(text)) {
    return imapError('IMAP-ITEM-TOO-LARGE', [String(c.sizeBytes ?? '?'), host, text]);
  }
  if (responseCode === 'NONEXISTENT' || responseCode === 'TRYCREATE' || error.mailboxMissing) return imapError('IMAP-NOMAILBOX', [c.folder ?? error.path ?? '?', host, text]);
  if (responseCode === 'LIMIT' || /too many (connections|simultaneous|sessions)|connection limit|rate limit/i.test(text)) return imapError('IMAP-THROTTLED', [host, text]);
  if (responseCode === 'UNAVAILABLE' || responseCode === 'INUSE' || responseCode === 'SERVERBUG') return imapError('IMAP-NO', [host, command, text], 'transient');
  if (error.responseStatus === 'NO') return imapError('IMAP-NO', [host, command, text]);
  if (error.responseStatus === 'BAD') return imapError('IMAP-BAD', [host, command, text]);
  if (DISCONNECTS.has(code) || /connection (closed|not available)|socket/i.test(error.message)) return imapError('IMAP-DISCONNECT', [host, text]);
  return raw;
}
