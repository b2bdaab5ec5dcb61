// Sign-in as a Workspace user with a service account and domain-wide delegation (Google's
// "OAuth 2.0 for server to server applications"): a JWT with the account as issuer, the user as
// subject and the scopes asked, signed RS256 with the account's key, exchanged at the token
// endpoint for an access token of one hour. Tokens are cached per user and scope and renewed
// before they expire, so long passes never run on a dead token. The token endpoint's refusals are
// told apart: a key Google does not accept, a client without delegation, a scope missing from it,
// an unknown or a suspended user; each a GMAIL- code with the Admin console step that fixes it.
import { createSign } from 'node:crypto';
import type { GmailSettings } from './gmailSettings';
import { gmailError } from './gmailErrors';
import { ConnectorError } from '../types';

export const SCOPES = {
  mail: 'https://www.googleapis.com/auth/gmail.readonly',
  calendar: 'https://www.googleapis.com/auth/calendar.readonly',
  contacts: 'https://www.googleapis.com/auth/contacts.readonly',
  directory: 'https://www.googleapis.com/auth/admin.directory.user.readonly',
} as const;
export type ScopeName = keyof typeof SCOPES;

export interface AccessToken {
  token: string;
  /** Milliseconds since the epoch. */
  expiresAt: number;
}

const b64url = (v: Buffer | string) => Buffer.from(v).toString('base64url');

/** The signed assertion for `user` (RFC 7523), valid one hour from `nowMs`. */
export function signAssertion(settings: Pick<GmailSettings, 'clientEmail' | 'privateKey' | 'tokenUrl'>, user: string, scopes: readonly string[], nowMs: number): string {
  const iat = Math.floor(nowMs / 1000);
  const head = b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT' }));
  const claims = b64url(JSON.stringify({ iss: settings.clientEmail, scope: scopes.join(' '), aud: settings.tokenUrl, sub: user, iat, exp: iat + 3600 }));
  try {
    const signature = createSign('RSA-SHA256').update(`${head}.${claims}`).sign(settings.privateKey);
    return `${head}.${claims}.${b64url(signature)}`;
  } catch (err) {
    throw gmailError('GMAIL-BAD-KEY', [settings.clientEmail, `the private key cannot sign (${(err as Error).message})`]);
  }
}

interface TokenAnswer {
  access_token?: string;
  expires_in?: number;
  error?: string;
  error_description?: string;
}

/** A token endpoint refusal as its GMAIL- code (unauthorized_client is told apart by the caller). */
export function tokenRefusal(answer: TokenAnswer, status: number, settings: Pick<GmailSettings, 'clientEmail'>, user: string): ConnectorError {
  const description = answer.error_description ?? '';
  const detail = `${answer.error ?? status}${description ? `: ${description}` : ''}`;
  if (status === 429) return gmailError('GMAIL-RATE', [user, 'sign in', detail], 'transient');
  if (status >= 500) return gmailError('GMAIL-UNAVAILABLE', ['sign in', user, detail], 'transient');
  // Google's texts: access_denied "Account restricted" (suspended); invalid_grant "Invalid email or
  // User ID", "The account has been deleted", "Not a valid email"; unauthorized_client (delegation).
  if (/restricted|suspend|disabled/i.test(description)) return gmailError('GMAIL-USER-SUSPENDED', [user, detail]);
  if (/Invalid email or User ID|has been deleted|Not a valid email/i.test(description)) return gmailError('GMAIL-USER-UNKNOWN', [user, settings.clientEmail, detail]);
  if (answer.error === 'unauthorized_client') return gmailError('GMAIL-NO-DELEGATION', [settings.clientEmail, user, detail]);
  // invalid_grant "Invalid JWT Signature.", invalid_client (the account or key deleted), anything else about the assertion.
  return gmailError('GMAIL-BAD-KEY', [settings.clientEmail, detail]);
}

/** Posts one assertion to the token endpoint. */
async function exchange(settings: GmailSettings, user: string, scopes: readonly string[], now: () => number, signal?: AbortSignal): Promise<AccessToken> {
  const assertion = signAssertion(settings, user, scopes, now());
  let response: Response;
  try {
    response = await fetch(settings.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion }).toString(),
      ...(signal ? { signal } : {}),
    });
  } catch (err) {
    if (signal?.aborted) throw err;
    throw gmailError('GMAIL-UNAVAILABLE', ['sign in', user, `${new URL(settings.tokenUrl).host}: ${(err as Error).message}`], 'transient');
  }
  let answer: TokenAnswer = {};
  try {
    answer = (await response.json()) as TokenAnswer;
  } catch {
    // Not JSON: the status says enough.
  }
  if (!response.ok || !answer.access_token) throw tokenRefusal(answer, response.status, settings, user);
  return { token: answer.access_token, expiresAt: now() + (answer.expires_in ?? 3600) * 1000 };
}

/** Renewed this long before Google's expiry, so no request leaves with a token about to die. */
const RENEW_BEFORE_MS = 5 * 60_000;

/** Access tokens of one service account, per user and scope. */
export class ServiceAccountTokens {
  private readonly cache = new Map<string, Promise<AccessToken>>();

  constructor(
    readonly settings: GmailSettings,
    private readonly now: () => number = Date.now,
  ) {}

  /** A live token for `user` with one scope; a refusal is a GMAIL- code (delegation and scope told apart). */
  async token(user: string, scope: ScopeName, signal?: AbortSignal): Promise<AccessToken> {
    const key = `${user.toLowerCase()} ${scope}`;
    const cached = this.cache.get(key);
    if (cached) {
      const t = await cached.catch(() => undefined);
      if (t && t.expiresAt - RENEW_BEFORE_MS > this.now()) return t;
    }
    const pending = this.fetchToken(user, scope, signal);
    this.cache.set(key, pending);
    pending.catch(() => this.cache.get(key) === pending && this.cache.delete(key));
    return pending;
  }

  private async fetchToken(user: string, scope: ScopeName, signal?: AbortSignal): Promise<AccessToken> {
    try {
      return await exchange(this.settings, user, [SCOPES[scope]], this.now, signal);
    } catch (err) {
      if (!(err instanceof ConnectorError) || err.code !== 'GMAIL-NO-DELEGATION') throw err;
      // Google says unauthorized_client both when the client has no delegation and when one scope
      // is missing from it: a token for any other scope tells which.
      for (const other of Object.keys(SCOPES) as ScopeName[]) {
        if (other === scope) continue;
        const granted = await exchange(this.settings, user, [SCOPES[other]], this.now, signal).then(
          () => true,
          () => false,
        );
        if (granted) throw gmailError('GMAIL-SCOPE-MISSING', [this.settings.clientEmail, user, SCOPES[scope]]);
      }
      throw err;
    }
  }
}
