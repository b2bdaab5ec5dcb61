// Google's OAuth 2.0 token endpoint for service accounts (RFC 7523 JWT bearer grant, see
// https://developers.google.com/identity/protocols/oauth2/service-account): the assertion is an
// RS256 JWT signed with one of the service account's keys, `iss` the account's email, `aud` the
// token URL, `iat`/`exp` at most an hour apart and not expired, `scope` a space-separated list,
// and `sub` the user to impersonate, which needs the domain admin's delegation of every requested
// scope to the account's client id. Refusals use the error texts Google sends.
import { decodeJwt, verifyWithCertificate } from '../fakeM365/jwt';
import { formOf, json, type FakeRequest, type FakeResponse } from '../fakeM365/http';
import type { AccessTokens } from './accessTokens';
import { KNOWN_SCOPES } from './discovery';
import type { Domain } from './domain';
import { oauthError } from './errors';

export const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
/** The audience Google's client libraries put in the assertion (google-auth-library, gtoken). */
export const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token';
/** Scopes any Google token endpoint knows besides the APIs' own. */
const IDENTITY_SCOPES = ['openid', 'email', 'profile', 'https://www.googleapis.com/auth/userinfo.email', 'https://www.googleapis.com/auth/userinfo.profile'];

/** How many seconds an assertion may be ahead of the server's clock (Google tolerates some skew). */
const CLOCK_SKEW_SECONDS = 300;

export interface TokenEndpointOptions {
  domain: Domain;
  tokens: AccessTokens;
  /** The fake's own token URL (accepted as `aud` beside Google's). */
  tokenUrl: () => string;
  now?: () => number;
}

export class TokenEndpoint {
  /** Refusals by `error` code, for tests. */
  readonly refusals: Record<string, number> = {};

  constructor(private readonly options: TokenEndpointOptions) {}

  private refuse(status: number, error: string, description: string): FakeResponse {
    this.refusals[error] = (this.refusals[error] ?? 0) + 1;
    return oauthError(status, error, description);
  }

  handle(req: FakeRequest): FakeResponse {
    if (req.method !== 'POST') return this.refuse(400, 'invalid_request', 'Invalid request method.');
    const form = formOf(req);
    const grantType = form.get('grant_type');
    if (!grantType) return this.refuse(400, 'unsupported_grant_type', 'Invalid grant_type: ');
    if (grantType !== JWT_BEARER) return this.refuse(400, 'unsupported_grant_type', `Invalid grant_type: ${grantType}`);
    const jwt = decodeJwt(form.get('assertion') ?? '');
    if (!jwt) return this.refuse(400, 'invalid_grant', 'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.');
    const { header, payload } = jwt;
    const iss = typeof payload.iss === 'string' ? payload.iss : '';
    const account = this.options.domain.serviceAccount(iss);
    if (!account) return this.refuse(400, 'invalid_grant', 'Invalid JWT: No valid verifier found for issuer.');
    if (header.alg !== 'RS256') return this.refuse(400, 'invalid_grant', 'Invalid JWT Signature.');
    const candidates = typeof header.kid === 'string' ? [account.keys.get(header.kid)].filter((k): k is string => !!k) : [...account.keys.values()];
    if (!candidates.some((key) => verifyWithCertificate(jwt.signingInput, jwt.signature, 'RS256', key))) return this.refuse(400, 'invalid_grant', 'Invalid JWT Signature.');
    const aud = payload.aud;
    if (aud !== GOOGLE_TOKEN_URL && aud !== this.options.tokenUrl()) return this.refuse(400, 'invalid_grant', `Invalid JWT: Failed audience check. The expected audience is ${GOOGLE_TOKEN_URL}.`);
    const now = Math.floor((this.options.now ?? Date.now)() / 1000);
    const iat = payload.iat;
    const exp = payload.exp;
    if (typeof iat !== 'number' || typeof exp !== 'number' || exp - iat > 3600 || exp <= iat || exp <= now || iat > now + CLOCK_SKEW_SECONDS) {
      return this.refuse(400, 'invalid_grant', 'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.');
    }
    const scopes = (typeof payload.scope === 'string' ? payload.scope : '').split(/\s+/).filter(Boolean);
    if (scopes.length === 0) return this.refuse(400, 'invalid_scope', 'Empty or missing scope not allowed.');
    if (scopes.some((s) => !KNOWN_SCOPES.has(s) && !IDENTITY_SCOPES.includes(s))) return this.refuse(400, 'invalid_scope', 'Invalid OAuth scope or ID token audience provided.');
    const sub = typeof payload.sub === 'string' ? payload.sub : typeof payload.prn === 'string' ? payload.prn : undefined;
    if (sub === undefined) return json(200, this.options.tokens.issue({ clientEmail: account.email, clientId: account.clientId, scopes: new Set(scopes) }));
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(sub)) return this.refuse(400, 'invalid_grant', 'Not a valid email.');
    const granted = this.options.domain.delegations.get(account.clientId);
    if (!granted || scopes.some((s) => !granted.has(s))) return this.refuse(401, 'unauthorized_client', 'Client is unauthorized to retrieve access tokens using this method, or client not authorized for any of the scopes requested.');
    const user = this.options.domain.user(sub);
    if (!user) return this.refuse(400, 'invalid_grant', 'Invalid email or User ID');
    if (user.deleted) return this.refuse(400, 'invalid_grant', 'The account has been deleted');
    if (user.suspended) return this.refuse(400, 'access_denied', 'Account restricted');
    return json(200, this.options.tokens.issue({ clientEmail: account.email, clientId: account.clientId, subject: user.primaryEmail, scopes: new Set(scopes) }));
  }
}
