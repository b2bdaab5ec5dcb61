// The settings of a `gmail` endpoint (schema: definitions.endpoint, type gmail) with the service
// account key resolved from its secret: who signs (client email, private key), where the token
// endpoint and the APIs live (Google's by default; a test fake or a proxy otherwise), which admin
// the directory is read as, and how labels map (options.gmail.labels, read by the plan).
import type { OpenMailboxRequest } from '../types';
import { gmailError } from './gmailErrors';

export const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token';

export interface GmailSettings {
  domain: string;
  clientEmail: string;
  /** PEM PKCS#8 private key of the service account. */
  privateKey: string;
  /** The secret's name (for messages: never its value). */
  keySecret: string;
  tokenUrl: string;
  /** Root for every Google API Ferry calls, with a trailing slash; undefined: each API's own host. */
  apiRootUrl?: string;
  /** The administrator the Directory API is read as (domain-wide delegation acts as a user). */
  adminEmail?: string;
}

const str = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
const secretName = (v: unknown) => (typeof v === 'object' && v !== null && typeof (v as { secret?: unknown }).secret === 'string' ? (v as { secret: string }).secret : undefined);

/**
 * The key a secret holds: the JSON key file Google's console downloads (its `private_key`, and
 * `client_email` when the plan names none) or the PEM key alone. Throws GMAIL-BAD-KEY otherwise.
 */
export function parseServiceAccountKey(value: string, clientEmail: string, secret: string): { privateKey: string; clientEmail: string } {
  const text = value.trim();
  if (text.startsWith('{')) {
    let json: { private_key?: unknown; client_email?: unknown };
    try {
      json = JSON.parse(text) as typeof json;
    } catch {
      throw gmailError('GMAIL-BAD-KEY', [clientEmail || '(no client email)', `the secret ${secret} holds malformed JSON`]);
    }
    const key = typeof json.private_key === 'string' ? json.private_key : '';
    if (!key.includes('PRIVATE KEY')) throw gmailError('GMAIL-BAD-KEY', [clientEmail || str(json.client_email), `the JSON key in ${secret} has no private_key`]);
    return { privateKey: key, clientEmail: clientEmail || str(json.client_email) };
  }
  if (!/-----BEGIN (RSA )?PRIVATE KEY-----/.test(text)) throw gmailError('GMAIL-BAD-KEY', [clientEmail, `the secret ${secret} holds neither a JSON key file nor a PEM private key`]);
  return { privateKey: `${text.replace(/\\n/g, '\n')}\n`, clientEmail };
}

/** The endpoint's settings with the key resolved; throws GMAIL-BAD-KEY when it is missing or unreadable. */
export function gmailSettings(request: Pick<OpenMailboxRequest, 'endpoint' | 'credentials'>): GmailSettings {
  const s = request.endpoint.settings;
  const sa = (typeof s.serviceAccount === 'object' && s.serviceAccount !== null ? s.serviceAccount : {}) as Record<string, unknown>;
  const keySecret = secretName(sa.privateKey) ?? '';
  const value = keySecret ? request.credentials.secrets.get(keySecret) : undefined;
  if (!keySecret || !value) throw gmailError('GMAIL-BAD-KEY', [str(sa.clientEmail), keySecret ? `the secret ${keySecret} is not set` : 'the endpoint has no serviceAccount.privateKey']);
  const key = parseServiceAccountKey(value, str(sa.clientEmail), keySecret);
  const root = str(s.apiRootUrl);
  return {
    domain: str(s.domain).toLowerCase(),
    clientEmail: key.clientEmail,
    privateKey: key.privateKey,
    keySecret,
    tokenUrl: str(s.tokenUrl) || GOOGLE_TOKEN_URL,
    ...(root ? { apiRootUrl: root.endsWith('/') ? root : `${root}/` } : {}),
    ...(str(s.adminEmail) ? { adminEmail: str(s.adminEmail) } : {}),
  };
}
