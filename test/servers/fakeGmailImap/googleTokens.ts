// Google's OAuth 2.0 token endpoint for installed/web apps, the refresh_token grant only, on
// 127.0.0.1 (HTTP): https://developers.google.com/identity/protocols/oauth2/native-app#offline
// Answers as Google documents: 200 {access_token, expires_in, scope, token_type: "Bearer"};
// 400 {error: "invalid_grant", error_description: "Token has been expired or revoked."} for an
// unknown or revoked refresh token; 401 {error: "invalid_client"} for a wrong client id or secret;
// 400 unsupported_grant_type / invalid_request otherwise. The IMAP front asks `check` whether a
// bearer token is one this endpoint issued, still valid, for that user.
import { randomBytes } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export const GMAIL_SCOPE = 'https://mail.google.com/';

export interface OAuthClient {
  clientId: string;
  clientSecret: string;
}

interface Grant {
  user: string;
  clientId: string;
  revoked: boolean;
}

interface AccessToken {
  user: string;
  expiresAt: number;
}

export interface GoogleTokens {
  /** e.g. http://127.0.0.1:PORT/token */
  readonly tokenUrl: string;
  /** Registers a refresh token a user granted to the client (what the consent screen gives). */
  grant(user: string): string;
  /** The user revokes the grant (myaccount.google.com/permissions): the refresh token answers invalid_grant. */
  revoke(refreshToken: string): void;
  /** Every access token issued so far stops working (as an hour passing would do). */
  expireAccessTokens(): void;
  /** Whether `token` is a live access token of `user`. */
  check(user: string, token: string): boolean;
  /** refresh_token grants answered 200, in order. */
  readonly refreshes: { user: string; at: number }[];
  close(): Promise<void>;
}

export interface GoogleTokensOptions {
  client: OAuthClient;
  /** Seconds an access token lives (Google: 3599). */
  expiresIn?: number;
  now?: () => number;
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-cache, no-store, max-age=0, must-revalidate', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export async function startGoogleTokens(options: GoogleTokensOptions): Promise<GoogleTokens> {
  const now = options.now ?? Date.now;
  const expiresIn = options.expiresIn ?? 3599;
  const grants = new Map<string, Grant>();
  const tokens = new Map<string, AccessToken>();
  const refreshes: { user: string; at: number }[] = [];

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method !== 'POST' || new URL(req.url ?? '/', 'http://x').pathname !== '/token') return send(res, 404, { error: 'not_found' });
      if (!/^application\/x-www-form-urlencoded/i.test(req.headers['content-type'] ?? '')) return send(res, 400, { error: 'invalid_request', error_description: 'Invalid Content-Type' });
      const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      // The client may authenticate in the body or with HTTP Basic (RFC 6749 2.3.1).
      let clientId = form.get('client_id');
      let clientSecret = form.get('client_secret');
      const basic = /^Basic (.+)$/i.exec(req.headers.authorization ?? '');
      if (basic) [clientId, clientSecret] = Buffer.from(basic[1], 'base64').toString('utf8').split(':').map(decodeURIComponent);
      if (form.get('grant_type') !== 'refresh_token') return send(res, 400, { error: 'unsupported_grant_type', error_description: `Invalid grant_type: ${form.get('grant_type') ?? ''}` });
      if (clientId !== options.client.clientId || clientSecret !== options.client.clientSecret) return send(res, 401, { error: 'invalid_client', error_description: 'Unauthorized' });
      const refresh = form.get('refresh_token');
      if (!refresh) return send(res, 400, { error: 'invalid_request', error_description: 'Missing required parameter: refresh_token' });
      const found = grants.get(refresh);
      if (!found || found.revoked || found.clientId !== clientId) return send(res, 400, { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' });
      const token = `ya29.${randomBytes(24).toString('base64url')}`;
      tokens.set(token, { user: found.user, expiresAt: now() + expiresIn * 1000 });
      refreshes.push({ user: found.user, at: now() });
      send(res, 200, { access_token: token, expires_in: expiresIn, scope: GMAIL_SCOPE, token_type: 'Bearer' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    tokenUrl: `http://127.0.0.1:${port}/token`,
    grant(user) {
      const refresh = `1//${randomBytes(24).toString('base64url')}`;
      grants.set(refresh, { user: user.toLowerCase(), clientId: options.client.clientId, revoked: false });
      return refresh;
    },
    revoke(refreshToken) {
      const found = grants.get(refreshToken);
      if (found) found.revoked = true;
      for (const [t, a] of tokens) if (found && a.user === found.user) tokens.delete(t);
    },
    expireAccessTokens() {
      tokens.clear();
    },
    check(user, token) {
      const t = tokens.get(token);
      return t !== undefined && t.user === user.toLowerCase() && t.expiresAt > now();
    },
    refreshes,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
