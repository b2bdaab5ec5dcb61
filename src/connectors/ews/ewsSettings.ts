// The settings of an `exchange` endpoint (schema: definitions.endpoint, type exchange) for one
// mailbox, with its secret resolved: where EWS answers (a URL, or an address to autodiscover it
// with), how Ferry authenticates (Basic, NTLM or an OAuth bearer token), and how the migration
// account opens other people's mailboxes (ApplicationImpersonation, or full-access delegation).
import type { AuthSettings } from '../../plan/model';
import type { OpenMailboxRequest, RequestGate } from '../types';
import { ewsError } from './ewsErrors';

export type EwsAuthScheme = 'basic' | 'ntlm' | 'oauth';
export type EwsAccess = 'impersonation' | 'delegation';

/** EWS schema versions Ferry may request, oldest first (RequestServerVersion values). */
export const ewsVersions = ['Exchange2007_SP1', 'Exchange2010', 'Exchange2010_SP1', 'Exchange2010_SP2', 'Exchange2013', 'Exchange2013_SP1', 'Exchange2016'] as const;
export type EwsVersion = (typeof ewsVersions)[number];

/** ExportItems and UploadItems (full fidelity) exist from Exchange 2010 SP1 on. */
export const hasExportImport = (v: EwsVersion): boolean => ewsVersions.indexOf(v) >= ewsVersions.indexOf('Exchange2010_SP1');

export interface EwsCredential {
  scheme: EwsAuthScheme;
  /** The account as written, e.g. CONTOSO\migration or migration@contoso.com ({mailbox} filled in). */
  username: string;
  /** The password (basic, ntlm) or the access token (oauth). Never logged. */
  secret: string;
}

export interface EwsSettings {
  /** The EWS URL when the plan gives it; else autodiscover finds it from `autodiscover`. */
  url?: string;
  autodiscover?: string;
  /** Pinned schema version; undefined: Exchange2013_SP1 (what Exchange 2013 and later speak). */
  version?: EwsVersion;
  access: EwsAccess;
  maxConnections: number;
  allowInvalidCertificates: boolean;
  credential: EwsCredential;
  /** The mailbox this side opens. */
  mailbox: string;
  /** Distributed mode: every request of the account passes it (maxConnections across all workers). */
  requestGate?: RequestGate;
}

const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
const fill = (template: string, mailbox: string) => template.replace(/\{mailbox\}/g, mailbox);

/** The endpoint's settings for the request's mailbox; throws EWS-UNAUTHORIZED when no usable credentials are given. */
export function ewsSettings(request: OpenMailboxRequest): EwsSettings {
  const s = request.endpoint.settings;
  const scheme: EwsAuthScheme = s.authentication === 'basic' || s.authentication === 'oauth' ? s.authentication : 'ntlm';
  const where = str(s.url) ?? str(s.autodiscover) ?? request.endpoint.name;
  const auth: AuthSettings | undefined = request.credentials.auth ?? request.endpoint.auth;
  if (!auth?.username) throw ewsError('EWS-UNAUTHORIZED', [request.mailbox, 'log in', 'no account is configured (auth.username)', where]);
  const username = fill(auth.username, request.mailbox);
  const secretName = auth.password?.secret;
  const secret = secretName ? request.credentials.secrets.get(secretName) : undefined;
  if (!secret) throw ewsError('EWS-UNAUTHORIZED', [request.mailbox, `log in as ${username}`, secretName ? `the secret ${secretName} is not set` : 'no password is configured (auth.password)', where]);
  const version = ewsVersions.find((v) => v === s.version);
  return {
    ...(str(s.url) ? { url: str(s.url) } : {}),
    ...(str(s.autodiscover) ? { autodiscover: str(s.autodiscover) } : {}),
    ...(version ? { version } : {}),
    access: s.access === 'delegation' ? 'delegation' : 'impersonation',
    maxConnections: typeof s.maxConnections === 'number' ? s.maxConnections : 10,
    allowInvalidCertificates: s.allowInvalidCertificates === true,
    credential: { scheme, username, secret },
    mailbox: request.mailbox,
    ...(request.requestGate ? { requestGate: request.requestGate } : {}),
  };
}
