// The settings of an `imap` endpoint and the imapflow options for one mailbox, with its resolved
// credentials: a password, an administrator login with a SASL PLAIN authorization identity, an
// XOAUTH2 access token, or (with `oauth`) an OAuth client and a refresh token that give XOAUTH2
// access tokens as the pass needs them. Secrets go to imapflow only, never into messages or logs.
import type { ImapFlowOptions } from 'imapflow';
import type { AuthSettings } from '../../plan/model';
import type { OpenMailboxRequest } from '../types';
import { imapError } from './imapErrors';
import { GOOGLE_TOKEN_URL, RefreshingAccessToken } from './imapOAuth';

export type ImapSecurity = 'tls' | 'starttls' | 'none';

/** The endpoint keys the IMAP connector reads (schema: definitions.endpoint, type imap). */
export interface ImapEndpointSettings {
  host: string;
  port: number;
  security: ImapSecurity;
  allowInvalidCertificates: boolean;
  maxConnections: number;
  /** XOAUTH2 with refresh (schema: endpoint imap `oauth`); secret names, not values. */
  oauth?: ImapOAuthSettings;
}

export interface ImapOAuthSettings {
  clientId: string;
  clientSecret?: string;
  refreshToken?: string;
  tokenUrl: string;
}

const secretOf = (v: unknown) => (typeof v === 'object' && v !== null && typeof (v as { secret?: unknown }).secret === 'string' ? (v as { secret: string }).secret : undefined);

function oauthSettings(v: unknown): ImapOAuthSettings | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const o = v as Record<string, unknown>;
  const clientSecret = secretOf(o.clientSecret);
  const refreshToken = secretOf(o.refreshToken);
  return {
    clientId: typeof o.clientId === 'string' ? o.clientId : '',
    ...(clientSecret ? { clientSecret } : {}),
    ...(refreshToken ? { refreshToken } : {}),
    tokenUrl: typeof o.tokenUrl === 'string' ? o.tokenUrl : GOOGLE_TOKEN_URL,
  };
}

/** Endpoint settings with the schema's defaults filled in. */
export function imapEndpointSettings(settings: Readonly<Record<string, unknown>>): ImapEndpointSettings {
  const security: ImapSecurity = settings.security === 'starttls' || settings.security === 'none' ? settings.security : 'tls';
  const port = typeof settings.port === 'number' ? settings.port : security === 'tls' ? 993 : 143;
  return {
    host: typeof settings.host === 'string' ? settings.host : '',
    port,
    security,
    allowInvalidCertificates: settings.allowInvalidCertificates === true,
    maxConnections: typeof settings.maxConnections === 'number' ? settings.maxConnections : 10,
    ...(settings.oauth !== undefined ? { oauth: oauthSettings(settings.oauth) } : {}),
  };
}

/** Who logs in, as shown in messages: the user, and the mailbox an administrator acts for. */
export interface LoginIdentity {
  user: string;
  authzid?: string;
}

const fill = (template: string, mailbox: string) => template.replace(/\{mailbox\}/g, mailbox);

/**
 * The imapflow auth options for a mailbox; throws IMAP-AUTH when no usable credentials are given.
 * With `oauth`, `accessToken` gives the XOAUTH2 token to log in with (a fresh one when it is close
 * to expiry); the session asks it again for every connection and refreshes it when the server
 * refuses it.
 */
export function imapAuth(request: OpenMailboxRequest, endpoint: ImapEndpointSettings): { auth: NonNullable<ImapFlowOptions['auth']>; identity: LoginIdentity; accessToken?: RefreshingAccessToken } {
  const auth: AuthSettings | undefined = request.credentials.auth ?? request.endpoint.auth;
  const host = `${endpoint.host}:${endpoint.port}`;
  if (!auth?.username) throw imapError('IMAP-AUTH', [host, request.mailbox, 'no user name is configured (auth.username)']);
  const user = fill(auth.username, request.mailbox);
  if (endpoint.oauth) {
    const o = endpoint.oauth;
    const secrets = request.credentials.secrets;
    // The user's own grant (sourceAuth.password) first, then the endpoint's.
    const refreshName = auth.password?.secret ?? o.refreshToken;
    const refreshToken = refreshName ? secrets.get(refreshName) : undefined;
    const clientSecret = o.clientSecret ? secrets.get(o.clientSecret) : undefined;
    if (!o.clientId) throw imapError('IMAP-AUTH', [host, user, 'no OAuth client id is configured (oauth.clientId)']);
    if (!clientSecret) throw imapError('IMAP-AUTH', [host, user, o.clientSecret ? `the secret ${o.clientSecret} is not set` : 'no OAuth client secret is configured (oauth.clientSecret)']);
    if (!refreshToken) throw imapError('IMAP-AUTH', [host, user, refreshName ? `the secret ${refreshName} is not set` : 'no refresh token is configured (oauth.refreshToken)']);
    const accessToken = new RefreshingAccessToken({ clientId: o.clientId, clientSecret, refreshToken, tokenUrl: o.tokenUrl, user });
    // The token itself is filled in for each connection (ImapSession).
    return { auth: { user, accessToken: '' }, identity: { user }, accessToken };
  }
  const secretName = auth.password?.secret;
  const secret = secretName ? request.credentials.secrets.get(secretName) : undefined;
  if (!secret) throw imapError('IMAP-AUTH', [host, user, secretName ? `the secret ${secretName} is not set` : 'no password is configured (auth.password)']);
  if (auth.mechanism === 'xoauth2') return { auth: { user, accessToken: secret }, identity: { user } };
  const authzid = auth.authorizationIdentity ? fill(auth.authorizationIdentity, request.mailbox) : undefined;
  // An authorization identity only exists in SASL PLAIN, so it decides the mechanism.
  const loginMethod = authzid || auth.mechanism === 'plain' ? 'AUTH=PLAIN' : auth.mechanism === 'login' ? 'LOGIN' : undefined;
  return {
    auth: { user, pass: secret, ...(loginMethod ? { loginMethod } : {}), ...(authzid ? { authzid } : {}) },
    identity: { user, ...(authzid ? { authzid } : {}) },
  };
}

/**
 * Complete imapflow options: transport security, timeouts, no logging, no IDLE between commands.
 * `qresync`: ENABLE QRESYNC (RFC 7162) where the server announces it (a source: a delta then learns
 * expunged UIDs from VANISHED (EARLIER) instead of searching the whole folder).
 */
export function imapFlowOptions(endpoint: ImapEndpointSettings, auth: NonNullable<ImapFlowOptions['auth']>, qresync = false): ImapFlowOptions {
  return {
    ...(qresync ? { qresync: true } : {}),
    host: endpoint.host,
    port: endpoint.port,
    secure: endpoint.security === 'tls',
    doSTARTTLS: endpoint.security === 'starttls' ? true : endpoint.security === 'none' ? false : undefined,
    ...(endpoint.allowInvalidCertificates ? { tls: { rejectUnauthorized: false } } : {}),
    auth,
    logger: false,
    disableAutoIdle: true,
    connectionTimeout: 30_000,
    greetingTimeout: 16_000,
    // A connection silent this long (no byte either way) is dropped and the command retried on a
    // new one, with an ENG-013 notice: two minutes, not imapflow's five, before the operator hears.
    socketTimeout: 120_000,
    clientInfo: { name: 'Ferry', vendor: 'Ferry' },
  };
}
