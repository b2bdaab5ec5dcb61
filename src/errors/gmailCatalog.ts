// Codes the Google Workspace (gmail) connector raises: signing in with a service account and
// domain-wide delegation (each refusal the token endpoint gives, told apart, with the Admin console
// step that fixes it) and the Gmail, Calendar, People and Directory APIs' answers. Each names the
// disposition the engine applies, as connectorCatalog does for IMAP and Maildir.
import { connectorCatalogEntries, dispositionsOf, type ConnectorEntry } from './connectorEntry';
import type { CatalogEntry, FixAction } from './types';

const section = 'Ferry connectors: Google Workspace';

function docs(title: string, url: string): FixAction {
  return { kind: 'docs', title, url };
}

const RETRY: FixAction = { kind: 'command', command: 'ferry.retryErrors', title: 'Retry the failed items' };
const SET_KEY: FixAction = { kind: 'command', command: 'ferry.setSecret', title: 'Set the service account key again' };
const DELEGATION = docs('Control API access with domain-wide delegation', 'https://support.google.com/a/answer/162106');
const SERVICE_ACCOUNT = docs('Using OAuth 2.0 for server to server applications', 'https://developers.google.com/identity/protocols/oauth2/service-account');
const QUOTA = docs('Gmail API usage limits (quota units per method and per user)', 'https://developers.google.com/workspace/gmail/api/reference/quota');
const ERRORS = docs('Gmail API: resolve errors', 'https://developers.google.com/workspace/gmail/api/guides/handle-errors');
const SUSPEND = docs('Restore a suspended user', 'https://support.google.com/a/answer/1110339');
const SCOPES = 'https://www.googleapis.com/auth/gmail.readonly, https://www.googleapis.com/auth/calendar.readonly, https://www.googleapis.com/auth/contacts.readonly (and https://www.googleapis.com/auth/admin.directory.user.readonly for discovery)';

const entries: Record<string, ConnectorEntry> = {
  'GMAIL-BAD-KEY': {
    title: 'Service account key refused or unreadable',
    disposition: 'mailbox',
    message: 'Google refused the key of service account {0}: {1}',
    description: 'The JWT Ferry signs with the service account\'s key was not accepted: the secret is not set, holds something other than the JSON key file (or its PEM private key), or the key was deleted or disabled in the Cloud project (its signature no longer verifies).',
    action: 'In the Google Cloud console (IAM & Admin > Service accounts > the account > Keys) create a JSON key, and store the whole file with "Ferry: Set Secret" (FERRY_SECRET_<NAME> on the command line). Check that `serviceAccount.clientEmail` names the same account.',
    fixes: [SET_KEY, SERVICE_ACCOUNT],
  },
  'GMAIL-NO-DELEGATION': {
    title: 'Service account has no domain-wide delegation',
    disposition: 'mailbox',
    message: 'Google will not let service account {0} act as {1}: the client is not authorised for any of the scopes ({2})',
    description: 'Domain-wide delegation lets the service account act as the domain\'s users; the Workspace domain has not authorised the account\'s client id for any of the scopes Ferry asks.',
    action: `In the Google Admin console (Security > Access and data control > API controls > Manage Domain Wide Delegation) add the service account's Client ID (OAuth2 client id, from the Cloud console) with the scopes ${SCOPES}.`,
    fixes: [DELEGATION],
  },
  'GMAIL-SCOPE-MISSING': {
    title: 'Domain-wide delegation lacks a scope',
    disposition: 'mailbox',
    message: 'Service account {0} may act as {1} but not with the scope {2}',
    description: 'The client id is authorised for domain-wide delegation, but not for every scope this pass needs (mail, calendars, contacts or the directory).',
    action: 'In the Google Admin console (Security > Access and data control > API controls > Manage Domain Wide Delegation) edit the service account\'s entry and add the scope named in the message; or leave that item type out with options.itemTypes.',
    fixes: [DELEGATION],
  },
  'GMAIL-USER-UNKNOWN': {
    title: 'No such user in the Google Workspace domain',
    disposition: 'mailbox',
    message: 'Google has no user {0} in the domain (service account {1}): {2}',
    description: 'The token endpoint refused to issue a token for this user: the address is not a user of the Workspace domain (a typo, a group or alias, a user deleted or renamed).',
    action: 'Check the address in the Google Admin console (Directory > Users); use the user\'s primary address in the plan (ferry discover lists them).',
    fixes: [docs('Find a user in the Admin console', 'https://support.google.com/a/answer/33320')],
  },
  'GMAIL-USER-SUSPENDED': {
    title: 'Google Workspace user suspended',
    disposition: 'mailbox',
    message: 'The Google Workspace user {0} is suspended: {1}',
    description: 'A suspended user cannot be acted as, even with domain-wide delegation: its mail, calendars and contacts cannot be read until it is restored.',
    action: 'In the Google Admin console (Directory > Users > the user > Reactivate) restore the user for the migration, then run the pass again.',
    fixes: [SUSPEND],
  },
  'GMAIL-NO-SERVICE': {
    title: 'Gmail (or the API) is not enabled for the user or project',
    disposition: 'mailbox',
    httpStatus: 400,
    aliases: ['accessNotConfigured'],
    message: 'Google refused {0} for {1}: {2}',
    description: 'Either the user has no Gmail service (no licence, or Gmail turned off for their organisational unit: "Mail service not enabled") or the API is not enabled in the service account\'s Cloud project (accessNotConfigured).',
    action: 'Turn Gmail on for the user\'s organisational unit (Admin console > Apps > Google Workspace > Gmail > Service status), or enable the Gmail, Calendar, People and Admin SDK APIs in the Cloud project (APIs & Services > Library).',
    fixes: [docs('Turn Gmail on or off for users', 'https://support.google.com/a/answer/182442'), docs('Enable an API in a Google Cloud project', 'https://cloud.google.com/apis/docs/getting-started#enabling_apis')],
  },
  'GMAIL-RATE': {
    title: 'Google throttled the mailbox',
    disposition: 'transient',
    httpStatus: 429,
    aliases: ['rateLimitExceeded', 'userRateLimitExceeded'],
    message: 'Google asked to slow down for {0} ({1}): {2}',
    description: 'The user\'s per-user quota (Gmail: 15,000 quota units a minute, 250 a second) or the project\'s was spent: Google answered 429, or 403 rateLimitExceeded/userRateLimitExceeded. Ferry paces each user to the documented units, backs off this user only and retries; other mailboxes go on.',
    action: 'Nothing to do: the pass goes on once Google lets it. Many such notices for every user: lower options.maxConcurrentMigrations, or ask Google for more project quota.',
    fixes: [QUOTA],
  },
  'GMAIL-UNAVAILABLE': {
    title: 'Google unavailable',
    disposition: 'transient',
    httpStatus: 503,
    aliases: ['backendError'],
    message: 'Google did not answer {0} for {1}: {2}',
    description: 'A server error (500, 502, 503, 504) or a broken connection: Google asks clients to retry these with exponential back-off.',
    action: 'Nothing to do: Ferry retries with back-off. If it persists, check https://www.google.com/appsstatus and the network path to googleapis.com.',
    fixes: [ERRORS, docs('Google Workspace Status Dashboard', 'https://www.google.com/appsstatus')],
  },
  'GMAIL-ITEM-GONE': {
    title: 'Item deleted in Google while it was being copied',
    disposition: 'item',
    httpStatus: 404,
    message: 'The {0} {1} of {2} is gone from Google (deleted after it was listed)',
    description: 'Google answered 404 for an item listed earlier in the pass: the user deleted it meanwhile. Nothing is lost that still exists.',
    action: 'Nothing to do; a retry of the item confirms it is gone.',
    fixes: [RETRY],
  },
  'GMAIL-API': {
    title: 'Google API refused a request',
    disposition: 'item',
    message: 'Google answered {0} to {1}: {2}',
    description: 'A Google API refused a request Ferry sent for one item.',
    action: 'Retry the item; if it keeps failing, report the item with its code and message.',
    fixes: [RETRY, ERRORS],
  },
  'GMAIL-NO-ADMIN': {
    title: 'Discovery needs an administrator to act as',
    disposition: 'mailbox',
    message: 'Listing the users of {0} needs an administrator: {1}',
    description: 'The Admin SDK Directory API answers only requests made as an administrator; with domain-wide delegation the service account acts as the address in the endpoint\'s `adminEmail`.',
    action: 'Set `adminEmail` on the gmail endpoint to a super administrator (or an admin with the Users read privilege), and add https://www.googleapis.com/auth/admin.directory.user.readonly to the service account\'s domain-wide delegation.',
    fixes: [DELEGATION, docs('Admin SDK Directory API: users.list', 'https://developers.google.com/workspace/admin/directory/reference/rest/v1/users/list')],
  },
};

export const GMAIL_DISPOSITIONS = dispositionsOf(entries);

export const gmailEntries: readonly CatalogEntry[] = connectorCatalogEntries(section, entries);
