// The settings of an `imap` endpoint and the imapflow options for one mailbox, with its resolved
// credentials: a password, an administrator login with a SASL PLAIN authorization identity, or an
// XOAUTH2 access token. Secrets go to imapflow only, never into messages or logs.
import type { ImapFlowOptions } from 'imapflow';
import type { AuthSettings } from '../../plan/model';
import type { OpenMailboxRequest } from '../types';
import { imapError } from './imapErrors';

export type ImapSecurity = 'tls' | 'starttls' | 'none';

/** The endpoint keys the IMAP connector reads (schema: definitions.endpoint, type imap). */
export interface ImapEndpointSettings {
  host: string;
  port: number;
  security: ImapSecurity;
  allowInvalidCertificates: boolean;
  maxConnections: number;
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
  };
}

/** Who logs in, as shown in messages: the user, and the mailbox an administrator acts for. */
export interface LoginIdentity {
  user: string;
  authzid?: string;
}

const fill = (template: string, mailbox: string) => template.replace(/\{mailbox\}/g, mailbox);

/** The imapflow auth options for a mailbox; throws IMAP-AUTH when no usable credentials are given. */
export function imapAuth(request: OpenMailboxRequest, endpoint: ImapEndpointSettings): { auth: NonNullable<ImapFlowOptions['auth']>; identity: LoginIdentity } {
  const auth: AuthSettings | undefined = request.credentials.auth ?? request.endpoint.auth;
  const host = `${endpoint.host}:${endpoint.port}`;
  if (!auth?.username) throw imapError('IMAP-AUTH', [host, request.mailbox, 'no user name is configured (auth.username)']);
  const user = fill(auth.username, request.mailbox);
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

/** Complete imapflow options: transport security, timeouts, no logging, no IDLE between commands. */
export function imapFlowOptions(endpoint: ImapEndpointSettings, auth: NonNullable<ImapFlowOptions['auth']>): ImapFlowOptions {
  return {
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
