// XOAUTH2 access tokens from a refresh token (Gmail and other OAuth 2.0 IMAP servers): one per
// mailbox side, refreshed before it expires and on demand when the server refuses it (a token
// revoked or expired early). google-auth-library's OAuth2Client does the token request; it is
// loaded on first use, so plan validation never loads it. Token values never leave this object
// except into imapflow's auth options.
import type { Credentials, OAuth2Client } from 'google-auth-library';
import { imapError } from './imapErrors';

/** Google's token endpoint: the default `oauth.tokenUrl`. */
export const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token';

/** Refresh this long before the expiry the endpoint announced (a pass must not send a token that dies on the way). */
const EARLY_MS = 5 * 60_000;

export interface OAuthRefreshConfig {
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  tokenUrl: string;
  /** The login the token is for, for messages. */
  user: string;
  now?: () => number;
}

/** The token endpoint's error code and description of a failed refresh (gaxios puts the JSON body on `response.data`). */
function oauthFailure(error: unknown): { code?: string; text: string } {
  const e = error as { response?: { data?: unknown; status?: number }; code?: unknown; message?: string };
  const data = e.response?.data;
  const body = typeof data === 'string' ? (() => { try { return JSON.parse(data) as unknown; } catch { return undefined; } })() : data;
  const b = (body ?? {}) as { error?: unknown; error_description?: unknown };
  const code = typeof b.error === 'string' ? b.error : undefined;
  const description = typeof b.error_description === 'string' ? b.error_description : undefined;
  const status = e.response?.status;
  return { code, text: [code, description].filter(Boolean).join(': ') || (status ? `HTTP ${status}` : String(e.code ?? e.message ?? 'no answer')) };
}

export class RefreshingAccessToken {
  private client: OAuth2Client | undefined;
  private token: { value: string; expiresAt: number } | undefined;
  private refreshing: Promise<string> | undefined;
  /** Access tokens obtained so far (figures for tests and logs; never the values). */
  refreshes = 0;

  constructor(private readonly config: OAuthRefreshConfig) {}

  private now(): number {
    return (this.config.now ?? Date.now)();
  }

  /** A token good for a while yet: the one held, or a new one when it is close to its expiry. */
  async current(): Promise<string> {
    if (this.token && this.token.expiresAt - EARLY_MS > this.now()) return this.token.value;
    return this.refresh();
  }

  /** A new token whatever the one held (the server refused it). Concurrent calls share one request. */
  refresh(): Promise<string> {
    this.refreshing ??= this.request().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  private async request(): Promise<string> {
    const { clientId, clientSecret, refreshToken, tokenUrl, user } = this.config;
    if (!this.client) {
      const { OAuth2Client } = await import('google-auth-library');
      this.client = new OAuth2Client({ clientId, clientSecret, endpoints: { oauth2TokenUrl: tokenUrl } });
    }
    this.client.setCredentials({ refresh_token: refreshToken });
    let credentials: Credentials;
    try {
      ({ credentials } = await this.client.refreshAccessToken());
    } catch (error) {
      const { code, text } = oauthFailure(error);
      if (code === 'invalid_grant') throw imapError('IMAP-OAUTH-REVOKED', [tokenUrl, user, text]);
      if (code === 'invalid_client' || code === 'unauthorized_client') throw imapError('IMAP-OAUTH-CLIENT', [tokenUrl, clientId, text]);
      throw imapError('IMAP-OAUTH-TOKEN', [tokenUrl, user, text]);
    }
    const value = credentials.access_token;
    if (!value) throw imapError('IMAP-OAUTH-TOKEN', [tokenUrl, user, 'the answer held no access_token']);
    // expiry_date is absolute (ms); without one, assume Google's hour.
    this.token = { value, expiresAt: credentials.expiry_date ?? this.now() + 3600_000 };
    this.refreshes++;
    return value;
  }
}
