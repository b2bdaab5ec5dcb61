// Sign-in failures as catalog codes: the AADSTS code in msal's error text picks the entry (app not
// found, tenant not found, wrong secret, consent missing...), network and TLS failures get their
// own. Every sign-in failure fails the mailbox (Not valid); unreachable hosts are retried first.
import { ConnectorError } from '../../types';
import { graphError } from '../graphErrors';
import type { M365Settings } from '../m365Settings';

/** AADSTS number -> catalog code. */
const AADSTS_CODES: Readonly<Record<string, string>> = {
  '700016': 'M365-APP-NOT-FOUND',
  '90002': 'M365-TENANT-NOT-FOUND',
  '7000215': 'M365-BAD-SECRET',
  '7000222': 'M365-BAD-SECRET',
  '50126': 'M365-BAD-CREDENTIALS',
  '65001': 'M365-CONSENT',
  '700027': 'M365-BAD-CERTIFICATE',
};

const NETWORK = /ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ENETUNREACH|ETIMEDOUT|ECONNRESET|EAI_AGAIN|socket hang up|network_error|fetch failed/i;
const TLS = /certificate|self[- ]signed|SSL|TLS|UNABLE_TO_VERIFY|ERR_TLS/i;

/** The first line of an AADSTS description, without Microsoft's trace and correlation ids. */
function aadText(text: string): string {
  const m = /AADSTS\d+:[^\r\n]*/.exec(text);
  return (m ? m[0] : text).replace(/\s*Trace ID:.*$/, '').trim();
}

/**
 * msal says only "endpoints_resolution_error" when the authority's OpenID metadata cannot be read:
 * ask for it once more to learn why (AADSTS90002 for an unknown tenant, or the network error).
 */
export async function authFailure(raw: unknown, s: M365Settings): Promise<ConnectorError> {
  const first = toAuthError(raw, s);
  if (!/endpoints_resolution_error/i.test(first.message)) return first;
  try {
    const res = await fetch(`${s.authorityHost}/${encodeURIComponent(s.tenantId)}/v2.0/.well-known/openid-configuration`, { signal: AbortSignal.timeout(15_000) });
    const body = (await res.json().catch(() => ({}))) as { error_description?: string };
    return res.ok ? first : toAuthError(new Error(body.error_description ?? `HTTP ${res.status}`), s);
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    return toAuthError(new Error([cause?.code, cause?.message, (err as Error).message].filter(Boolean).join(' ')), s);
  }
}

export function toAuthError(raw: unknown, s: M365Settings): ConnectorError {
  if (raw instanceof ConnectorError) return raw;
  const e = raw as { errorCode?: string; errorMessage?: string; message?: string; subError?: string; cause?: unknown } | undefined;
  const text = [e?.errorMessage, e?.message, e?.errorCode, String((e?.cause as Error | undefined)?.message ?? '')].filter(Boolean).join(' ');
  const aadsts = /AADSTS(\d+)/.exec(text)?.[1];
  const authority = `${s.authorityHost}/${s.tenantId}`;
  if (aadsts) {
    const code = AADSTS_CODES[aadsts] ?? 'M365-AUTH';
    return graphError(code, [s.tenantId, s.clientId, aadText(text)], 'mailbox');
  }
  if (TLS.test(text) && !/endpoints_resolution_error/i.test(text)) return graphError('M365-TLS', [authority, aadText(text)], 'mailbox');
  if (NETWORK.test(text) || /endpoints_resolution_error/i.test(text)) return graphError('M365-CONNECT', [authority, aadText(text)], 'transient');
  return graphError('M365-AUTH', [s.tenantId, s.clientId, aadText(text) || 'sign-in failed'], 'mailbox');
}
