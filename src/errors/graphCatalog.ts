// Codes the Microsoft 365 connector raises: sign-in through the Microsoft identity platform (the
// AADSTS errors an operator meets, with their fixes) and Microsoft Graph answers. Each names the
// disposition the engine applies, as connectorCatalog does for IMAP and Maildir.
import { connectorCatalogEntries, dispositionsOf, type ConnectorEntry } from './connectorEntry';
import type { CatalogEntry, FixAction } from './types';

const section = 'Ferry connectors: Microsoft 365';

function docs(title: string, url: string): FixAction {
  return { kind: 'docs', title, url };
}

const RETRY: FixAction = { kind: 'command', command: 'ferry.retryErrors', title: 'Retry the failed items' };
const SET_SECRET: FixAction = { kind: 'command', command: 'ferry.setSecret', title: 'Set the client secret again' };
const ADMIN_CONSENT: FixAction = { kind: 'adminCommand', shell: 'bash', title: 'Open the admin consent URL (grant Mail.ReadWrite)', template: 'https://login.microsoftonline.com/{tenantId}/adminconsent?client_id={applicationId}' };
const AADSTS = docs('Microsoft Entra authentication and authorization error codes', 'https://learn.microsoft.com/en-us/entra/identity-platform/reference-error-codes');
const THROTTLING = docs('Microsoft Graph throttling limits (Outlook service)', 'https://learn.microsoft.com/en-us/graph/throttling-limits#outlook-service-limits');
const GRAPH_ERRORS = docs('Microsoft Graph error responses', 'https://learn.microsoft.com/en-us/graph/errors');
const PERMISSIONS = docs('Mail.ReadWrite application permission', 'https://learn.microsoft.com/en-us/graph/permissions-reference#mailreadwrite');

const entries: Record<string, ConnectorEntry> = {
  'M365-APP-NOT-FOUND': {
    title: 'App registration not found in the tenant',
    disposition: 'mailbox',
    aliases: ['AADSTS700016'],
    message: 'Sign-in to tenant {0} failed: application {1} is not in the directory ({2})',
    description: 'Microsoft Entra ID has no application with this client id in the tenant: a typo in `clientId`, the app registered in another tenant, or a multi-tenant app nobody in this tenant consented to yet.',
    action: 'Check `clientId` and `tenantId` of the endpoint against the app registration (Entra admin center > App registrations > Overview). For an app from another tenant, a Global Administrator of this tenant opens the admin consent URL.',
    fixes: [ADMIN_CONSENT, AADSTS],
  },
  'M365-TENANT-NOT-FOUND': {
    title: 'Tenant not found',
    disposition: 'mailbox',
    aliases: ['AADSTS90002'],
    message: 'Sign-in failed: tenant {0} was not found (app {1}): {2}',
    description: 'The tenant id or domain in the plan does not exist in this cloud, or the authority host is for another cloud (national clouds have their own).',
    action: 'Set `tenantId` to the Directory (tenant) ID from the Entra admin center (Overview) or the tenant\'s primary domain, and `authorityHost` to the cloud\'s sign-in host.',
    fixes: [docs('Find your Microsoft Entra tenant ID', 'https://learn.microsoft.com/en-us/entra/fundamentals/how-to-find-tenant'), AADSTS],
  },
  'M365-BAD-SECRET': {
    title: 'Client secret refused',
    disposition: 'mailbox',
    aliases: ['AADSTS7000215', 'AADSTS7000222'],
    message: 'Sign-in to tenant {0} as app {1} failed: the client secret is wrong or expired ({2})',
    description: 'The secret sent is not a current secret of the app: its Secret ID was stored instead of its Value, it expired, or it was deleted.',
    action: 'Create a new client secret (App registrations > Certificates & secrets), copy its Value (not the Secret ID) and store it with "Ferry: Set Secret" (FERRY_SECRET_<NAME> for the command line).',
    fixes: [SET_SECRET, AADSTS],
  },
  'M365-BAD-CREDENTIALS': {
    title: 'User name or password refused',
    disposition: 'mailbox',
    aliases: ['AADSTS50126'],
    message: 'Sign-in to tenant {0} (app {1}) failed: invalid user name or password ({2})',
    description: 'The user credentials were refused by Microsoft Entra ID.',
    action: 'Check the account and store its password again with "Ferry: Set Secret"; prefer app-only credentials (client secret or certificate) for migrations.',
    fixes: [{ kind: 'command', command: 'ferry.setSecret', title: 'Set the password again' }, AADSTS],
  },
  'M365-CONSENT': {
    title: 'Admin consent missing',
    disposition: 'mailbox',
    aliases: ['AADSTS65001'],
    message: 'Sign-in to tenant {0} as app {1} failed: no one consented to the app\'s permissions ({2})',
    description: 'The app\'s API permissions (Mail.ReadWrite, User.Read.All as application permissions) were never granted with admin consent in this tenant.',
    action: 'A Global or Privileged Role Administrator opens the admin consent URL (or App registrations > API permissions > Grant admin consent).',
    fixes: [ADMIN_CONSENT, PERMISSIONS],
  },
  'M365-BAD-CERTIFICATE': {
    title: 'Certificate assertion refused',
    disposition: 'mailbox',
    aliases: ['AADSTS700027'],
    message: 'Sign-in to tenant {0} as app {1} with a certificate failed: {2}',
    description: 'The certificate whose thumbprint the plan names is not registered on the app, or the private key does not belong to it.',
    action: 'Upload the certificate (public part) to the app registration (Certificates & secrets), put its thumbprint in `certificate.thumbprint` and store the matching private key with "Ferry: Set Secret".',
    fixes: [{ kind: 'command', command: 'ferry.setSecret', title: 'Set the private key again' }, docs('Certificate credentials', 'https://learn.microsoft.com/en-us/entra/identity-platform/certificate-credentials')],
  },
  'M365-AUTH': {
    title: 'Microsoft 365 sign-in failed',
    disposition: 'mailbox',
    message: 'Sign-in to tenant {0} as app {1} failed: {2}',
    description: 'Microsoft Entra ID refused to issue a token for another reason: the AADSTS code in the message names it.',
    action: 'Look the AADSTS code up in Microsoft\'s list and fix the app registration or the endpoint settings.',
    fixes: [AADSTS, SET_SECRET],
  },
  'M365-CONNECT': {
    title: 'Cannot reach the Microsoft 365 sign-in or Graph host',
    disposition: 'transient',
    message: 'Cannot reach {0}: {1}',
    description: 'The host does not resolve or does not answer (a proxy, a firewall, or a wrong `authorityHost`/`graphEndpoint`). Ferry retries a few times.',
    action: 'Check that this machine reaches login.microsoftonline.com and graph.microsoft.com on port 443 (or the hosts the endpoint names).',
    fixes: [RETRY, docs('Microsoft 365 URLs and IP address ranges', 'https://learn.microsoft.com/en-us/microsoft-365/enterprise/urls-and-ip-address-ranges')],
  },
  'M365-TLS': {
    title: 'TLS with the Microsoft 365 host failed',
    disposition: 'mailbox',
    message: 'TLS with {0} failed: {1}',
    description: 'The certificate the host presented is not trusted here: a TLS-inspecting proxy without its CA installed, or a host that is not Microsoft\'s.',
    action: 'Install the proxy\'s CA for Node (NODE_EXTRA_CA_CERTS=<file>) or let the proxy pass Microsoft\'s hosts through.',
    fixes: [docs('Node.js NODE_EXTRA_CA_CERTS', 'https://nodejs.org/api/cli.html#node_extra_ca_certsfile')],
  },
  'GRAPH-401': {
    title: 'Graph refused the access token',
    disposition: 'mailbox',
    httpStatus: 401,
    message: 'Microsoft Graph refused the token for {0}: {1}',
    description: 'The token was refused even after signing in again: it was issued for another resource or tenant, or the app was disabled.',
    action: 'Check that `graphEndpoint` and `tenantId` belong to the same cloud and tenant, then run Verify credentials.',
    fixes: [GRAPH_ERRORS, SET_SECRET],
  },
  'GRAPH-403': {
    title: 'App lacks mailbox permissions',
    disposition: 'mailbox',
    httpStatus: 403,
    message: 'Access to the mailbox {0} was denied: {1}',
    description: 'The app has no Mail.ReadWrite application permission with admin consent, or an application access policy (New-ApplicationAccessPolicy) keeps it out of this mailbox.',
    action: 'Add Mail.ReadWrite (application) to the app\'s API permissions and grant admin consent; if an application access policy scopes the app, add the mailbox to its group.',
    fixes: [ADMIN_CONSENT, PERMISSIONS, { kind: 'adminCommand', shell: 'powershell', title: 'Test the application access policy', template: 'Test-ApplicationAccessPolicy -Identity "{userPrincipalName}" -AppId "{applicationId}"' }],
  },
  'GRAPH-404': {
    title: 'Mailbox not found',
    disposition: 'mailbox',
    httpStatus: 404,
    message: 'The mailbox {0} does not exist in the tenant: {1}',
    description: 'No user with this address or id exists in the tenant the app signed in to.',
    action: 'Check the item\'s address (and the identity mapping) against the tenant\'s users, or create the user first.',
    fixes: [{ kind: 'planEdit', id: 'removeItem', title: 'Remove the item' }, GRAPH_ERRORS],
  },
  'GRAPH-NOLICENSE': {
    title: 'User has no Exchange Online licence',
    disposition: 'mailbox',
    httpStatus: 404,
    message: 'The user {0} has no mailbox in Exchange Online: {1}',
    description: 'Graph answers MailboxNotEnabledForRESTAPI: the user exists but has no Exchange Online licence (or the mailbox is inactive, soft-deleted or on premises). The item gets the status Insufficient licenses.',
    action: 'Assign the user a licence that includes Exchange Online, wait for the mailbox to be provisioned, then start the pass again.',
    fixes: [docs('Assign licences to users', 'https://learn.microsoft.com/en-us/microsoft-365/admin/manage/assign-licenses-to-users'), RETRY],
  },
  'GRAPH-429': {
    title: 'Graph throttled the mailbox',
    disposition: 'transient',
    httpStatus: 429,
    message: 'Microsoft Graph throttled requests for {0}: {1}',
    description: 'Outlook limits each app per mailbox to 4 concurrent requests, 10,000 requests per 10 minutes and 150 MB of uploads per 5 minutes. Ferry waits as long as Retry-After says and goes on.',
    action: 'Nothing: Ferry retries. If it keeps happening, lower `maxConcurrentMigrations` or run passes outside business hours (other apps share the budget).',
    fixes: [THROTTLING, RETRY],
  },
  'GRAPH-503': {
    title: 'Graph temporarily unavailable',
    disposition: 'transient',
    message: 'Microsoft Graph answered {0} for {1}: {2}',
    description: 'The service was busy or failed for a moment (500, 502, 503, 504). Ferry retries with back-off.',
    action: 'Nothing, unless every attempt fails: then check the Microsoft 365 service health.',
    fixes: [RETRY, GRAPH_ERRORS],
  },
  'GRAPH-413': {
    title: 'Message too large for Graph',
    disposition: 'item',
    httpStatus: 413,
    message: 'The message of {0} bytes is too large to create through Graph in {1}: {2}',
    description: 'Graph takes requests of at most 4 MB. Ferry sends attachments apart (3 MB to 150 MB through upload sessions), so only a message whose headers and body alone are over 4 MB (a huge HTML body, say) cannot be created; Microsoft 365 answered 413 or Ferry saw it would.',
    action: 'Copy this message another way (between Microsoft 365 mailboxes the full-fidelity import has no such limit), or leave it out with `maxItemSizeMB`; the other messages go on.',
    fixes: [docs('Attach large files to Outlook messages', 'https://learn.microsoft.com/en-us/graph/outlook-large-attachments'), RETRY],
  },
  'GRAPH-507': {
    title: 'Destination mailbox over quota',
    disposition: 'mailbox',
    httpStatus: 507,
    message: 'The mailbox {0} is full: {1}',
    description: 'Exchange Online refused the item with ErrorQuotaExceeded: the mailbox reached its storage quota.',
    action: 'Raise the mailbox quota or enable the archive, or leave out older mail (`dateRange`), then retry.',
    fixes: [RETRY, docs('Exchange Online limits', 'https://learn.microsoft.com/en-us/office365/servicedescriptions/exchange-online-service-description/exchange-online-limits')],
  },
  'GRAPH-ITEM-GONE': {
    title: 'Item or folder no longer exists',
    disposition: 'item',
    retryable: true,
    httpStatus: 404,
    message: '{0} was not found in {1}: {2}',
    description: 'The message or folder was deleted or moved since it was listed.',
    action: 'Nothing: a later delta pass lists the folder again.',
    fixes: [RETRY],
  },
  // Not thrown: reported once per mailbox (an engine notice) with {0} the destination mailbox and {1} Graph's answer.
  'GRAPH-403-IMPORT': {
    title: 'Full fidelity not available: the destination app may not import',
    severity: 'warning',
    disposition: 'information',
    httpStatus: 403,
    message: 'Full fidelity is not available into {0}: the app may not use the mailbox import API ({1}). Its items are copied as MIME instead.',
    description:
      'Between two Microsoft 365 mailboxes Ferry copies items in full fidelity (the mailbox import/export API: every property kept) when the source app holds MailboxFolder.Read.All, MailboxItem.Read.All and MailboxItem.Export.All (or MailboxItem.ImportExport.All) and the destination app holds MailboxItem.ImportExport.All and MailboxFolder.Read.All, each an application permission with admin consent (both also read the id of the mailbox from the Exchange settings of the user, which takes User.Read.All). The destination refused an import session or its folder listing, so this mailbox moves as MIME through the messages resource of Graph: nothing fails, but properties MIME has no place for can be lost.',
    action: "Add MailboxItem.ImportExport.All and MailboxFolder.Read.All (application; and User.Read.All if the app lacks it) to the destination tenant's app and grant admin consent; the next pass copies the folders it has not copied yet in full fidelity (folders already copied as MIME go on as MIME: their items are known by message ids, which the import/export API does not use).",
    fixes: [
      { kind: 'adminCommand', shell: 'bash', title: 'Open the admin consent URL (grant MailboxItem.ImportExport.All and MailboxFolder.Read.All)', template: 'https://login.microsoftonline.com/{tenantId}/adminconsent?client_id={applicationId}' },
      docs('Mailbox import and export APIs in Microsoft Graph', 'https://learn.microsoft.com/graph/api/resources/mailbox-import-export-api-overview'),
      docs('mailbox: createImportSession (permissions)', 'https://learn.microsoft.com/en-us/graph/api/mailbox-createimportsession'),
    ],
  },
  'GRAPH-FF-LOST': {
    title: 'Full fidelity no longer available for a folder copied in full fidelity',
    disposition: 'mailbox',
    httpStatus: 403,
    message: 'The folder {0} of {1} was copied in full fidelity, and the mailbox import/export API is no longer available to this pass ({2})',
    description: "An earlier pass copied this folder through the mailbox import/export API, which knows its items by ids of its own, not the message ids of Graph's mail API. Without that API (the source app lost MailboxItem.Export.All or MailboxItem.ImportExport.All, or the destination app MailboxItem.ImportExport.All) the folder could only be listed as MIME under message ids, and every item in it would be copied a second time. Ferry stopped the mailbox instead; nothing was copied or lost.",
    action: "Give the apps their MailboxItem permissions again (source: MailboxItem.Export.All or MailboxItem.ImportExport.All; destination: MailboxItem.ImportExport.All; application permissions with admin consent), then run the pass again: it goes on where it stopped.",
    fixes: [
      { kind: 'adminCommand', shell: 'bash', title: 'Open the admin consent URL (grant the MailboxItem permission)', template: 'https://login.microsoftonline.com/{tenantId}/adminconsent?client_id={applicationId}' },
      docs('Mailbox import and export APIs in Microsoft Graph', 'https://learn.microsoft.com/graph/api/resources/mailbox-import-export-api-overview'),
    ],
  },
  'GRAPH-403-FF': {
    title: 'App lacks a permission of the mailbox import/export API',
    disposition: 'mailbox',
    httpStatus: 403,
    message: 'The app may not {2} of {0} without the {1} permission of the mailbox import/export API: {3}',
    description:
      "A full-fidelity copy between Microsoft 365 mailboxes uses the mailbox import/export API, whose every call takes its own permission (application permissions with admin consent; signed in with a device code, the delegated ones without .All): the source lists folders with MailboxFolder.Read.All, lists items and a delta's changes with MailboxItem.Read.All, exports with MailboxItem.Export.All (or MailboxItem.ImportExport.All); the destination imports with MailboxItem.ImportExport.All and finds its staging folders with MailboxFolder.Read.All. An export permission alone lists nothing. Graph refused the call named in the message, so Ferry stopped the mailbox before copying anything more: nothing was lost, and the state of the last pass is kept.",
    action: "Add the permission named in the message to the app's API permissions (Microsoft Graph, Application) in the tenant of that mailbox and grant admin consent, then run the pass again (`ferry run --pass verify` first shows whether the app has all it needs): it goes on where it stopped and copies nothing twice.",
    fixes: [
      { kind: 'adminCommand', shell: 'bash', title: 'Open the admin consent URL (grant the missing MailboxFolder or MailboxItem permission)', template: 'https://login.microsoftonline.com/{tenantId}/adminconsent?client_id={applicationId}' },
      docs('mailboxItem: delta (permissions)', 'https://learn.microsoft.com/en-us/graph/api/mailboxitem-delta'),
      docs('List folders of a mailbox (permissions)', 'https://learn.microsoft.com/en-us/graph/api/mailbox-list-folders'),
      docs('mailbox: exportItems (permissions)', 'https://learn.microsoft.com/en-us/graph/api/mailbox-exportitems'),
    ],
  },
  'GRAPH-403-PIM': {
    title: 'App lacks contacts, calendar or To Do permissions',
    disposition: 'mailbox',
    httpStatus: 403,
    message: 'The app may not use the {3} of {0} without the {1} application permission: {2}',
    description: 'Mail needs Mail.ReadWrite; contacts need Contacts.ReadWrite, calendars Calendars.ReadWrite and Microsoft To Do tasks Tasks.ReadWrite.All, each an application permission with admin consent. Graph refused listing this kind of folder, so Ferry stopped the mailbox before reading or writing any of its items (the mail already copied stays; the next pass goes on from there). As a source, the read permissions (Contacts.Read, Calendars.Read, Tasks.Read.All) are enough.',
    action: 'Add the permission named in the message to the app\'s API permissions and grant admin consent, or leave the item type out with `options.itemTypes`; then start the pass again.',
    fixes: [
      { kind: 'adminCommand', shell: 'bash', title: 'Open the admin consent URL (grant the missing permission)', template: 'https://login.microsoftonline.com/{tenantId}/adminconsent?client_id={applicationId}' },
      docs('Microsoft Graph permissions reference', 'https://learn.microsoft.com/en-us/graph/permissions-reference'),
    ],
  },
  'GRAPH-PIM-INVALID': {
    title: 'Contact, event or task Microsoft 365 cannot take',
    disposition: 'item',
    message: 'Microsoft 365 cannot take this {0}: {1}',
    description: 'The source item could not be turned into a Graph contact, event or To Do task: its vCard or iCalendar is malformed or lacks a required part (an event without DTSTART), or it sits in a folder of another kind. The item is recorded as failed with the reason; the rest of the folder moves.',
    action: 'Open the item in the source and correct or re-save it, then retry the errors; or raise `badItemLimit` if such items may stay behind.',
    fixes: [RETRY, docs('RFC 5545 (iCalendar)', 'https://www.rfc-editor.org/rfc/rfc5545'), docs('RFC 6350 (vCard)', 'https://www.rfc-editor.org/rfc/rfc6350')],
  },
  'GRAPH-RECURRENCE': {
    title: 'Recurrence Microsoft 365 cannot express',
    disposition: 'item',
    message: 'Microsoft 365 cannot express the recurrence {0}: {1}',
    description: 'Graph\'s patternedRecurrence covers daily, weekly, monthly and yearly series (by day of month, or by the first to fourth or last weekday). A rule beyond that (hourly, several ordinals, BYWEEKNO...) would become a different series, so Ferry does not write it.',
    action: 'Recreate the series in Outlook after the migration, or split it in the source into series Outlook can express; the item is listed in the report.',
    fixes: [docs('patternedRecurrence resource type', 'https://learn.microsoft.com/en-us/graph/api/resources/patternedrecurrence'), RETRY],
  },
  'GRAPH-SERIES-EXCEPTION': {
    title: 'Exception of a series matching no occurrence',
    disposition: 'item',
    message: 'A recurring event in {0} has exceptions that match no occurrence of its series in Microsoft 365 (original starts): {1}',
    description: 'A moved, changed or cancelled occurrence of the source series (RECURRENCE-ID or EXDATE) names an original start the series written to Microsoft 365 does not have, so it cannot be applied. Rather than show a cancelled meeting, or a moved one at its old time, Ferry removed the series it had just written and recorded the item as failed.',
    action: 'Open the series in the source: an exception left from an earlier version of the series (its start or rule changed since) can be removed or the series re-saved; then retry the errors. Or recreate the series in Outlook after the migration.',
    fixes: [RETRY, docs('List instances of an event', 'https://learn.microsoft.com/en-us/graph/api/event-list-instances'), docs('RFC 5545 (RECURRENCE-ID, EXDATE)', 'https://www.rfc-editor.org/rfc/rfc5545#section-3.8.4.4')],
  },
  'GRAPH-REQUEST': {
    title: 'Graph refused a request',
    disposition: 'item',
    message: 'Microsoft Graph answered {0} to {1}: {2}',
    description: 'Graph refused a request Ferry sent (a malformed message, a property it does not accept).',
    action: 'Retry the item; if it keeps failing, report the message with its code.',
    fixes: [RETRY, GRAPH_ERRORS],
  },
  'GRAPH-TARGET-USER': {
    title: 'Target user not in the destination tenant',
    disposition: 'mailbox',
    httpStatus: 404,
    message: 'The target user {0} is not in the destination tenant, so the orchestrated batch {1} cannot name it: a cross-tenant migration job takes the target users\' directory object ids.',
    description: 'An orchestrated batch hands its users to Microsoft\'s cross-tenant migration service by the object ids of the target users (the MailUsers prepared in the destination tenant). Ferry looked the destination address up in the destination tenant\'s directory (/users) and found no such user; the other users of the batch go on.',
    action: 'Prepare the MailUser in the destination tenant (or correct the destination address in the plan), then run the pass again for this mailbox.',
    fixes: [RETRY, docs('Cross-tenant mailbox migration: prepare the target user objects', 'https://learn.microsoft.com/en-us/microsoft-365/enterprise/cross-tenant-mailbox-migration#prepare-target-user-objects-for-migration')],
  },
};

export const GRAPH_DISPOSITIONS = dispositionsOf(entries);

export const graphEntries: readonly CatalogEntry[] = connectorCatalogEntries(section, entries);
