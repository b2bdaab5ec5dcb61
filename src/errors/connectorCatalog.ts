// Codes the IMAP and Maildir connectors raise while a pass runs. Each names the disposition the
// engine applies: transient (retry with back-off), item (that item fails, the mailbox goes on) or
// mailbox (the mailbox fails: Not valid). Messages never carry a password or a token.
import type { CatalogEntry, FixAction } from './types';
import { connectorCatalogEntries, dispositionsOf, type ConnectorDisposition, type ConnectorEntry } from './connectorEntry';

export type { ConnectorDisposition };

const section = 'Ferry connectors';

function docs(title: string, url: string): FixAction {
  return { kind: 'docs', title, url };
}

const RETRY: FixAction = { kind: 'command', command: 'ferry.retryErrors', title: 'Retry the failed items' };
const IMAP_RFC = docs('RFC 9051: IMAP4rev2', 'https://www.rfc-editor.org/rfc/rfc9051');
const RESPONSE_CODES = docs('RFC 5530: IMAP response codes', 'https://www.rfc-editor.org/rfc/rfc5530');
const MAILDIR = docs('Maildir format (Dovecot)', 'https://doc.dovecot.org/2.3/admin_manual/mailbox_formats/maildir/');

const entries: Record<string, ConnectorEntry> = {
  'IMAP-AUTH': {
    title: 'IMAP login failed',
    disposition: 'mailbox',
    message: 'Login to {0} as {1} failed: {2}',
    description: 'The server refused the user name and password (or the OAuth 2.0 access token). The item is marked Not valid and nothing is copied for it.',
    action: 'Check the user name in the plan and store the password again with "Ferry: Set Secret" (ferry.setSecret; FERRY_SECRET_<NAME> for the command line). For XOAUTH2, get a fresh access token: they expire after an hour.',
    fixes: [{ kind: 'command', command: 'ferry.setSecret', title: 'Set the password secret again' }, docs('RFC 9051: LOGIN and AUTHENTICATE', 'https://www.rfc-editor.org/rfc/rfc9051#section-6.2'), docs('Gmail XOAUTH2 protocol', 'https://developers.google.com/workspace/gmail/imap/xoauth2-protocol')],
  },
  'IMAP-AUTHZ': {
    title: 'Administrator may not open the mailbox',
    disposition: 'mailbox',
    message: '{1} logged in to {0} but may not open the mailbox {2}: {3}',
    description: 'The administrator credentials are valid, but the server does not let them act as the mailbox named by the SASL PLAIN authorization identity.',
    action: 'Give the administrator account the right to log in as other users (Dovecot: a master passdb; Zimbra and others: an admin or delegation right), or log in with each user\'s own credentials (`sourceAuth`/`destinationAuth`).',
    fixes: [docs('RFC 4616: SASL PLAIN authorization identity', 'https://www.rfc-editor.org/rfc/rfc4616'), docs('Dovecot master users', 'https://doc.dovecot.org/2.3/configuration_manual/authentication/master_users/')],
  },
  'IMAP-CONNECT': {
    title: 'Cannot connect to the IMAP server',
    disposition: 'transient',
    message: 'Cannot connect to {0}:{1}: {2}',
    description: 'The host name does not resolve, or nothing answers on the port (refused, unreachable, filtered by a firewall). A refused or unreachable host is retried a few times; a name that does not resolve fails the mailbox.',
    action: 'Check `host`, `port` and `security` of the endpoint (993 for tls, 143 for starttls or none) and that a firewall lets this machine reach the server.',
    fixes: [docs('RFC 8314: mail ports and TLS', 'https://www.rfc-editor.org/rfc/rfc8314#section-7'), RETRY],
  },
  'IMAP-TLS': {
    title: 'TLS negotiation failed',
    disposition: 'mailbox',
    message: 'TLS with {0}:{1} failed: {2}',
    description: 'The certificate is self-signed, expired or for another name, or the server does not speak TLS on this port (a plain port with `security: tls`, or STARTTLS not offered).',
    action: 'Use the host name the certificate names, or the right `security` for the port. Set `allowInvalidCertificates: true` only for a lab server you trust: it turns off the protection against interception.',
    fixes: [{ kind: 'planEdit', id: 'useTlsSecurity', title: 'Use implicit TLS (port 993)' }, docs('RFC 8314: implicit TLS for mail', 'https://www.rfc-editor.org/rfc/rfc8314')],
  },
  'IMAP-TIMEOUT': {
    title: 'IMAP server did not answer in time',
    disposition: 'transient',
    message: '{0}:{1} did not answer in time ({2})',
    description: 'The connection, the greeting or a command took longer than Ferry waits. Busy servers and slow links cause it; Ferry retries with back-off.',
    action: 'Retry later, or lower `maxConnections` and `maxConcurrentMigrations` so the server is less loaded.',
    fixes: [RETRY],
  },
  'IMAP-DISCONNECT': {
    title: 'IMAP connection closed',
    disposition: 'transient',
    message: 'The connection to {0} closed unexpectedly: {1}',
    description: 'The server or the network dropped the connection in the middle of the work (BYE, reset, restart). Ferry reconnects and retries; nothing already written is duplicated.',
    action: 'Nothing, unless it happens for every item: then check the server log for crashes or limits.',
    fixes: [RETRY],
  },
  'IMAP-NO': {
    retryable: true,
    title: 'IMAP server refused a command',
    disposition: 'item',
    message: '{0} refused {1}: {2}',
    description: 'The server answered NO. Its text says why; the item fails and the mailbox goes on.',
    action: 'Read the server text; fix the cause on the server (rights, a read-only folder, a rejected message) and retry the errors.',
    fixes: [RETRY, RESPONSE_CODES],
  },
  'IMAP-BAD': {
    title: 'IMAP server rejected a command as invalid',
    disposition: 'item',
    message: '{0} rejected {1} as invalid: {2}',
    description: 'The server answered BAD: it did not understand the command or one of its arguments (an unusual folder name or flag, or a server bug).',
    action: 'Read the server text. Map the folder to another name, or report it with the server name and version.',
    fixes: [RETRY, IMAP_RFC],
  },
  'IMAP-QUOTA': {
    title: 'Destination mailbox over quota',
    disposition: 'mailbox',
    message: 'The mailbox {0} on {1} is over quota: {2}',
    description: 'The server refused to store more mail ([OVERQUOTA] or "Quota exceeded"). Nothing more can be written to this mailbox until it has room.',
    action: 'Raise the destination quota (or free space), then retry the errors. A plan `mailboxQuotaGB` catches oversize mailboxes before copying.',
    fixes: [RETRY, RESPONSE_CODES],
  },
  'IMAP-ITEM-TOO-LARGE': {
    title: 'Message too large for the server',
    disposition: 'item',
    message: 'A message of {0} bytes is larger than {1} accepts: {2}',
    description: 'The server refused the message for its size ([TOOBIG], or above its APPENDLIMIT). The item is skipped; the rest of the mailbox goes on.',
    action: "Raise the server's message size limit, or lower `maxItemSizeMB` so such items are skipped before they are read.",
    fixes: [docs('RFC 7889: APPENDLIMIT', 'https://www.rfc-editor.org/rfc/rfc7889'), RESPONSE_CODES],
  },
  'IMAP-NOMAILBOX': {
    retryable: true,
    title: 'Folder does not exist',
    disposition: 'item',
    message: 'The folder {0} does not exist on {1}: {2}',
    description: 'The server has no folder by that name ([NONEXISTENT]): it was deleted or renamed since it was listed.',
    action: 'Run the pass again: the folder list is read anew.',
    fixes: [RETRY, RESPONSE_CODES],
  },
  'IMAP-THROTTLED': {
    title: 'IMAP server limits this client',
    disposition: 'transient',
    message: '{0} limits connections or commands: {1}',
    description: 'The server refused because of too many connections or commands ([LIMIT], "Too many connections"). Ferry backs off and retries.',
    action: 'Lower `maxConnections` on the endpoint and `maxConcurrentMigrations` in the options.',
    fixes: [{ kind: 'planEdit', id: 'setRecommendedConcurrency', title: 'Use the recommended concurrency' }, RETRY],
  },
  'IMAP-UIDVALIDITY': {
    title: 'Folder listed again from the start',
    severity: 'information',
    disposition: 'information',
    message: 'UIDVALIDITY of {0} changed from {1} to {2}: the folder is listed again from the start',
    description: 'The server renumbered the folder (it was recreated or restored), so the stored cursor no longer applies. Ferry lists it in full; items written before are found again and not duplicated.',
    action: 'Nothing to do: the folder is listed again and what was copied before is found again. If the server renumbers the same folder again and again within one pass (more than 3 times), the mailbox stops with this code: run the pass again once the folder is stable (a restore or repair on the server finished).',
    fixes: [docs('RFC 9051: UIDVALIDITY', 'https://www.rfc-editor.org/rfc/rfc9051#section-2.3.1.1')],
  },
  'IMAP-ITEM-GONE': {
    retryable: true,
    title: 'Message no longer on the source',
    disposition: 'item',
    message: 'Message {0} in {1} is gone: it was deleted since it was listed',
    description: 'The message was expunged between listing and reading. Nothing is lost that still exists.',
    action: 'Nothing to do; the next pass lists the folder anew.',
    fixes: [RETRY],
  },
  'MAILDIR-NOT-FOUND': {
    title: 'Maildir not found',
    disposition: 'mailbox',
    message: 'The Maildir of {0} does not exist: {1}',
    description: 'Ferry looks for one Maildir per mailbox, named by the mailbox address, in the endpoint `path` (relative to the plan file).',
    action: 'Correct the endpoint `path` or the item address, or create the Maildir.',
    fixes: [{ kind: 'planEdit', id: 'removeItem', title: 'Remove the mailbox from the batch' }, MAILDIR],
  },
  'MAILDIR-IO': {
    title: 'Maildir read or write failed',
    disposition: 'mailbox',
    message: 'Cannot {0} {1}: {2}',
    description: 'The file system refused: no permission, the disk is full, or it is read-only.',
    action: 'Check the endpoint path and the Maildir folder: the user running Ferry must be able to read (source) or write (destination) it, and the disk must have space. Then run the mailbox again.',
    fixes: [MAILDIR],
  },
  'MAILDIR-MALFORMED-NAME': {
    title: 'Folder name not possible in this Maildir layout',
    disposition: 'item',
    message: 'The Maildir name {0} cannot be used: {1}',
    description: 'Maildir++ keeps the folder hierarchy in the directory name, separated by dots, so a folder name with a dot (or a slash, or a name that is not valid modified UTF-7 on disk) cannot be stored or read.',
    action: 'Map the folder to another name in `options.folders.map`, or use `layout: fs`.',
    fixes: [docs('Maildir++ folder names', 'https://doc.dovecot.org/2.3/admin_manual/mailbox_formats/maildir/#directory-structure'), MAILDIR],
  },
  'MAILDIR-ITEM-UNREADABLE': {
    retryable: true,
    title: 'A message file of the Maildir cannot be read',
    disposition: 'item',
    message: 'Message {0} in {1} cannot be read: {2}',
    description: 'The file system refused one message file (its permissions or owner, or a read error of the disk) while the rest of the Maildir was readable. The other messages are copied; this one is left as an item error.',
    action: 'Check the permissions and owner of the file in the Maildir (the user running Ferry must be able to read it), then retry the errors of the mailbox.',
    fixes: [RETRY, MAILDIR],
  },
  'MAILDIR-ITEM-GONE': {
    retryable: true,
    title: 'Message no longer in the Maildir',
    disposition: 'item',
    message: 'Message {0} in {1} is gone: it was deleted since it was listed',
    description: 'The file was removed between listing and reading (a mail client deleted it). Flag changes rename files and are followed.',
    action: 'Nothing to do; the next pass lists the folder anew.',
    fixes: [RETRY],
  },
  // Gmail over IMAP: XOAUTH2 with a refresh token (src/connectors/imap/imapOAuth.ts).
  'IMAP-OAUTH-REVOKED': {
    title: 'Gmail refresh token expired or revoked',
    disposition: 'mailbox',
    message: 'The token endpoint {0} refused the refresh token of {1}: {2}',
    description: 'Google answered invalid_grant: the user (or an administrator) revoked Ferry\'s access, the user changed their password, the token was unused for six months, or the OAuth consent screen is in Testing and its tokens expire after seven days. No access token can be had, so nothing is copied for this mailbox; what was copied stays and a rerun continues.',
    action: 'Have the user grant access again (a new refresh token with the scope https://mail.google.com/), store it with "Ferry: Set Secret" under the name the plan gives (`oauth.refreshToken` or the item\'s `sourceAuth.password`), then retry the mailbox.',
    fixes: [{ kind: 'command', command: 'ferry.setSecret', title: 'Store the new refresh token' }, docs('Google: refresh token expiration', 'https://developers.google.com/identity/protocols/oauth2#expiration'), docs('Gmail XOAUTH2 protocol', 'https://developers.google.com/workspace/gmail/imap/xoauth2-protocol')],
  },
  'IMAP-OAUTH-CLIENT': {
    title: 'OAuth client refused by the token endpoint',
    disposition: 'mailbox',
    message: 'The token endpoint {0} refused the OAuth client {1}: {2}',
    description: 'The client id or client secret of the endpoint\'s `oauth` settings is wrong, or the client was deleted or disabled in the Google Cloud console (invalid_client, unauthorized_client).',
    action: 'Check `oauth.clientId` in the plan against the Google Cloud console (APIs & Services > Credentials) and store the client secret again with "Ferry: Set Secret".',
    fixes: [{ kind: 'command', command: 'ferry.setSecret', title: 'Set the client secret again' }, docs('Google: OAuth 2.0 for web server applications', 'https://developers.google.com/identity/protocols/oauth2/web-server#offline')],
  },
  'IMAP-OAUTH-TOKEN': {
    title: 'Token endpoint unavailable',
    disposition: 'transient',
    message: 'No access token from {0} for {1}: {2}',
    description: 'The token endpoint did not answer, or answered with a server error. Ferry retries with back-off; copied items are kept.',
    action: 'Check that Ferry can reach the token URL (proxy, firewall); nothing to do when it was a passing outage.',
    fixes: [RETRY],
  },
};

/** The disposition of each connector code (the engine's default when an error carries none). */
export const CONNECTOR_DISPOSITIONS = dispositionsOf(entries);

export const connectorEntries: readonly CatalogEntry[] = connectorCatalogEntries(section, entries);
