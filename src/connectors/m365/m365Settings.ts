// The settings of an `m365` endpoint (schema: definitions.endpoint, type m365) with their secrets
// resolved: which tenant and app, how the app proves itself (secret, certificate or device code),
// and where sign-in and Graph live (other hosts for national clouds, or the test fake).
import type { OpenMailboxRequest, RequestGate } from '../types';
import { graphError } from './graphErrors';

export type M365Credential =
  | { kind: 'secret'; secretName: string; clientSecret: string }
  | { kind: 'certificate'; thumbprint: string; privateKey: string; certificate?: string; secretName: string }
  | { kind: 'deviceCode' };

export interface M365Settings {
  tenantId: string;
  clientId: string;
  /** Without a trailing slash, e.g. https://login.microsoftonline.com */
  authorityHost: string;
  /** Without a trailing slash, e.g. https://graph.microsoft.com */
  graphEndpoint: string;
  credential: M365Credential;
  /** Graph requests of this app in this tenant in flight at once, over every mailbox (default defaultMaxTenantRequests). */
  maxTenantRequests?: number;
  /** Holds maxTenantRequests over the process's mailboxes (embedded) or every worker's (distributed). */
  requestGate?: RequestGate;
}

/** maxTenantRequests when the plan does not set it: 25 mailboxes at Outlook's 4 concurrent requests each. */
export const defaultMaxTenantRequests = 100;

const str = (v: unknown) => (typeof v === 'string' ? v : '');
const trimSlash = (url: string) => url.replace(/\/+$/, '');
const secretName = (v: unknown) => (typeof v === 'object' && v !== null && typeof (v as { secret?: unknown }).secret === 'string' ? (v as { secret: string }).secret : undefined);

/** The endpoint's settings and resolved credential; throws M365-AUTH when a secret is missing. */
export function m365Settings(request: OpenMailboxRequest): M365Settings {
  const s = request.endpoint.settings;
  const base = {
    tenantId: str(s.tenantId),
    clientId: str(s.clientId),
    authorityHost: trimSlash(str(s.authorityHost) || 'https://login.microsoftonline.com'),
    graphEndpoint: trimSlash(str(s.graphEndpoint) || 'https://graph.microsoft.com'),
    ...(typeof s.maxTenantRequests === 'number' && s.maxTenantRequests >= 1 ? { maxTenantRequests: s.maxTenantRequests } : {}),
    ...(request.requestGate ? { requestGate: request.requestGate } : {}),
  };
  const secret = (name: string | undefined) => (name ? request.credentials.secrets.get(name) : undefined);
  const missing = (what: string) => graphError('M365-AUTH', [base.tenantId, base.clientId, what], 'mailbox');
  const secretRef = secretName(s.clientSecret);
  if (secretRef) {
    const value = secret(secretRef);
    if (!value) throw missing(`the client secret ${secretRef} is not set`);
    return { ...base, credential: { kind: 'secret', secretName: secretRef, clientSecret: value } };
  }
  const cert = s.certificate as { thumbprint?: unknown; privateKey?: unknown; certificate?: unknown } | undefined;
  if (cert && typeof cert === 'object') {
    const keyRef = secretName(cert.privateKey);
    const privateKey = secret(keyRef);
    if (!keyRef || !privateKey) throw missing(keyRef ? `the private key secret ${keyRef} is not set` : 'the certificate has no privateKey');
    const certificate = secret(secretName(cert.certificate));
    return { ...base, credential: { kind: 'certificate', thumbprint: str(cert.thumbprint), privateKey, secretName: keyRef, ...(certificate ? { certificate } : {}) } };
  }
  if (s.deviceCode === true) return { ...base, credential: { kind: 'deviceCode' } };
  throw missing('the endpoint has no clientSecret, certificate or deviceCode');
}
