// Ferry's own plan-rule codes: what validating a `*.migration.yaml` plan (and its items CSV)
// can report before anything runs. Message templates take positional `{n}` arguments.
import type { CatalogEntry, FixAction, Severity } from './types';

const section = 'Ferry plan rules';

function planEdit(id: string, title: string): FixAction {
  return { kind: 'planEdit', id, title };
}

function docs(title: string, url: string): FixAction {
  return { kind: 'docs', title, url };
}

interface Rule {
  title: string;
  severity: Severity;
  message: string;
  description: string;
  action: string;
  fixes: readonly FixAction[];
}

function rule(code: string, r: Rule): CatalogEntry {
  return { code, category: 'plan', source: 'ferry', section, ...r };
}

const RFC3339_DATE_TIME = docs('RFC 3339: date-time format', 'https://www.rfc-editor.org/rfc/rfc3339#section-5.6');

export const ferryEntries: readonly CatalogEntry[] = [
  rule('PLAN-001', {
    title: 'YAML syntax error',
    severity: 'error',
    message: 'YAML syntax error: {0}',
    description: 'The plan is not valid YAML, so Ferry cannot read it; no other rule runs until it parses.',
    action: 'Fix the syntax at the marked position: indentation, a missing colon, an unclosed quote or bracket, or a tab used for indentation.',
    fixes: [docs('YAML 1.2 specification', 'https://yaml.org/spec/1.2.2/')],
  }),
  rule('PLAN-002', {
    title: 'Unsupported plan version',
    severity: 'error',
    message: 'Plan version {0} is not supported; this Ferry reads version {1}.',
    description: 'The `version` of a plan says which shape of file it is. Ferry refuses a version it does not know rather than guess what the plan means.',
    action: 'Set `version` to a version this Ferry supports, or update Ferry if the plan was written for a newer one.',
    fixes: [planEdit('setSupportedVersion', 'Set the supported plan version')],
  }),
  rule('PLAN-003', {
    title: 'Plan file cannot be read',
    severity: 'error',
    message: "Plan file '{0}' cannot be read: {1}.",
    description: 'The file given to Ferry does not exist or cannot be opened, so nothing in it was checked.',
    action: 'Check the path and the permissions of the file.',
    fixes: [{ kind: 'command', command: 'ferry.newProject', title: 'Create a new migration project' }],
  }),
  rule('PLAN-010', {
    title: 'Missing required property',
    severity: 'error',
    message: 'Missing required property in {0}: {1}.',
    description: 'The plan leaves out a property that Ferry needs to run this part of the migration.',
    action: 'Add the property with a value.',
    fixes: [planEdit('addMissingProperty', 'Add the missing property')],
  }),
  rule('PLAN-011', {
    title: 'Unknown property',
    severity: 'error',
    message: "Unknown property '{0}' in {1}.",
    description:
      'Ferry does not know this property. It is an error, not a warning: a misspelt option would be silently ignored, and the operator would find out in the middle of a migration.',
    action: 'Correct the spelling or remove the property.',
    fixes: [planEdit('replaceWithKnownProperty', 'Rename to the closest known property')],
  }),
  rule('PLAN-012', {
    title: 'Wrong type or value',
    severity: 'error',
    message: 'Invalid value at {0}: {1}.',
    description: 'The value has the wrong type (for example text where a number belongs) or lies outside the allowed values or range.',
    action: 'Replace the value with one of the allowed values.',
    fixes: [planEdit('replaceWithAllowedValue', 'Replace with an allowed value')],
  }),
  rule('PLAN-020', {
    title: 'Plaintext secret',
    severity: 'error',
    message: 'Plaintext secret in {0}: a plan names a secret, it never holds one.',
    description:
      'Plans and their CSV files are kept in git and reviewed in pull requests; a password, client secret or token written there leaks to everyone who can read the repository, for ever. Secrets live in VS Code secret storage or, for the command line, the environment.',
    action: 'Move the value to secret storage and reference it by name; then rotate the secret, since it has already been written down.',
    fixes: [planEdit('moveSecretToStorage', 'Move the secret to secret storage')],
  }),
  rule('PLAN-021', {
    title: 'Invalid email address',
    severity: 'error',
    message: "'{0}' in {1} is not a valid email address.",
    description: 'A mailbox address must be a single address of the form local-part@domain.',
    action: 'Correct the address.',
    fixes: [docs('RFC 5322: address specification', 'https://www.rfc-editor.org/rfc/rfc5322#section-3.4.1')],
  }),
  rule('PLAN-022', {
    title: 'Items file cannot be read',
    severity: 'error',
    message: "Items file '{0}' cannot be read: {1}",
    description: 'The batch takes its items from a CSV file that does not exist or cannot be opened.',
    action: 'Correct the path (relative to the plan file), or create the file.',
    fixes: [planEdit('createItemsFile', 'Create the items file')],
  }),
  rule('PLAN-023', {
    title: 'Malformed CSV line',
    severity: 'error',
    message: 'Malformed CSV at line {0}: {1}',
    description: 'The line does not parse as CSV: an unclosed quote, or a different number of fields than the header.',
    action: 'Fix the line; quote fields that contain commas or quotes, doubling quotes inside them.',
    fixes: [docs('RFC 4180: CSV format', 'https://www.rfc-editor.org/rfc/rfc4180')],
  }),
  rule('PLAN-024', {
    title: 'Bad CSV header',
    severity: 'error',
    message: "Items file header, column '{0}': {1}.",
    description: 'The first line of an items file names its columns. It must have a `source` column and may only use the columns Ferry knows.',
    action: 'Add the `source` column, or correct or remove the unknown column.',
    fixes: [planEdit('addCsvColumn', 'Fix the CSV header')],
  }),
  rule('PLAN-025', {
    title: 'Regular expression does not compile',
    severity: 'error',
    message: "Regular expression '{0}' cannot be used: {1}",
    description: 'Folder filters and folder mappings are JavaScript regular expressions; this one has a syntax error.',
    action: 'Fix the expression; escape characters such as `.`, `(`, `[` and `\\` when they are meant literally.',
    fixes: [docs('Regular expressions (MDN)', 'https://developer.mozilla.org/en-US/docs/Web/JavaScript/Guide/Regular_expressions')],
  }),
  rule('PLAN-026', {
    title: 'Schedule ends before it starts',
    severity: 'error',
    message: "Batch '{0}': startAfter ({1}) is after completeAfter ({2}).",
    description: 'A batch cannot complete before it starts.',
    action: 'Swap the two times or correct one of them.',
    fixes: [planEdit('swapSchedule', 'Swap startAfter and completeAfter')],
  }),
  rule('PLAN-027', {
    title: 'Endpoint cannot be used on this side',
    severity: 'error',
    message: "Endpoint '{0}' of type '{1}' cannot be used as a {2}.",
    description: 'Some endpoint types only read or only write mailboxes, so they cannot serve on this side of the migration.',
    action: 'Use an endpoint whose type can be a source (or destination).',
    fixes: [planEdit('pickExistingEndpoint', 'Pick another endpoint')],
  }),
  rule('PLAN-028', {
    title: 'Mailbox migrates into itself',
    severity: 'error',
    message: "Item '{0}' migrates into itself: source and destination are the same mailbox on endpoint '{1}'.",
    description: 'Copying a mailbox into itself would duplicate every item in it.',
    action: 'Correct the destination address or the endpoints of the batch.',
    fixes: [planEdit('removeItem', 'Remove the item')],
  }),
  rule('PLAN-029', {
    title: 'Two items share a destination mailbox',
    severity: 'warning',
    message: "Items '{0}' (at {3}) and '{1}' both migrate into '{2}'.",
    description: 'Two source mailboxes are merged into one destination. That is sometimes intended (merging an alias mailbox), but usually a copy-paste mistake.',
    action: 'Correct the destination of one item, or keep both if merging is intended.',
    fixes: [planEdit('removeItem', 'Remove the item')],
  }),
  rule('PLAN-030', {
    title: 'Unused endpoint',
    severity: 'hint',
    message: "Endpoint '{0}' is defined but never used.",
    description: 'No batch uses this endpoint as its source or destination.',
    action: 'Remove the endpoint, or use it in a batch.',
    fixes: [planEdit('removeUnusedEndpoint', 'Remove the unused endpoint')],
  }),
  rule('PLAN-031', {
    title: 'Batch has no items',
    severity: 'warning',
    message: "Batch '{0}' has no items: {1}.",
    description: 'Running this batch would migrate nothing.',
    action: 'Add items (one by one or from a CSV file), or remove the batch.',
    fixes: [planEdit('removeEmptyBatch', 'Remove the empty batch'), planEdit('createItemsFile', 'Create an items file')],
  }),
  rule('PLAN-032', {
    title: 'Date range ends before it starts',
    severity: 'error',
    message: 'dateRange.from ({0}) is after dateRange.to ({1}).',
    description: 'The date filter would match no item at all.',
    action: 'Swap the two dates or correct one of them.',
    fixes: [planEdit('swapDateRange', 'Swap dateRange.from and dateRange.to')],
  }),
  rule('PLAN-033', {
    title: 'EWS against Exchange Online',
    severity: 'error',
    message:
      "Endpoint '{0}' uses EWS against Exchange Online ({1}). Exchange Online blocks EWS from 1 October 2026 and shuts it off on 1 April 2027: use an 'm365' endpoint (Microsoft Graph) instead.",
    description:
      'EWS remains the protocol for on-premises Exchange 2007 and later. Exchange Online blocks EWS from 1 October 2026 unless the app is allow-listed, and turns it off for good on 1 April 2027; Microsoft Graph is the way in.',
    action: "Change the endpoint to type 'm365' (tenant id, client id and a secret or certificate reference).",
    fixes: [
      docs('Migrate EWS apps to Microsoft Graph', 'https://learn.microsoft.com/graph/migrate-exchange-web-services-overview'),
      planEdit('pickExistingEndpoint', 'Pick an m365 endpoint'),
    ],
  }),
  rule('PLAN-034', {
    title: 'IMAP password sent in clear text',
    severity: 'warning',
    message: "IMAP endpoint '{0}' uses 'security: none' to {1}: passwords cross the network in clear text.",
    description: 'Without TLS, the IMAP login and every message travel unencrypted. Only a server on the same machine (loopback) is safe without it.',
    action: "Set 'security' to 'tls' (port 993) or 'starttls' (port 143); keep 'none' for test servers on your own machine only.",
    fixes: [planEdit('useTlsSecurity', 'Use TLS')],
  }),
  rule('PLAN-035', {
    title: 'Concurrency above the bandwidth rule of thumb',
    severity: 'information',
    message:
      'maxConcurrentMigrations is {0}, above the {1} mailboxes that {2} Mbps of bandwidth carries by the rule of thumb of 3 mailboxes per 1 Mbps.',
    description: 'More concurrent mailboxes than the bandwidth carries only queue and time out; start at 5 and raise it while watching throughput.',
    action: 'Check the bandwidth available to the migration, or lower maxConcurrentMigrations.',
    fixes: [planEdit('setRecommendedConcurrency', 'Lower maxConcurrentMigrations to what the bandwidth carries')],
  }),
  rule('PLAN-036', {
    title: 'Duplicate or conflicting identity mapping',
    severity: 'error',
    message: "Identity mapping for '{0}' is defined more than once: {1}",
    description: 'Two rules map the same identity, or an explicit pair maps a user to two different targets; the migration could not tell which is meant.',
    action: 'Keep one rule per identity.',
    fixes: [planEdit('removeDuplicateIdentityRule', 'Remove the duplicate rule')],
  }),
  rule('PLAN-037', {
    title: 'Invalid date-time',
    severity: 'error',
    message: "{1}: '{0}' is not {2}.",
    description: 'A schedule time without a time zone means different instants on different machines; Ferry requires the offset or Z.',
    action: 'Write the full date and time with its offset, for example 2026-11-02T18:00:00+01:00.',
    fixes: [RFC3339_DATE_TIME],
  }),
  rule('PLAN-038', {
    title: 'Items file outside the project folder',
    severity: 'error',
    message: "Items file '{0}' is not read: {1}; Ferry reads only files inside the plan's folder.",
    description:
      'The plan is shared through git and validated in CI; an absolute path, one that climbs out of the project folder, or a symbolic link that leads out of it would make Ferry read a file nobody reviewed with the plan (or one that is not meant to be read at all, such as /etc/passwd). Ferry refuses such a file without opening it, so the batch has none of its items.',
    action: 'Put the CSV file in the project folder and refer to it relative to the plan; replace a symbolic link that leads out by the file itself.',
    fixes: [planEdit('makeItemsFilePathRelative', 'Make the path relative to the plan')],
  }),
  rule('PLAN-039', {
    title: 'Invalid secret reference name',
    severity: 'error',
    message: "Secret name '{0}' is not valid: use letters, digits, '_', '-' and '.'.",
    description: 'Secret names become keys in VS Code secret storage and environment variable names for the command line, so they are restricted to a safe set of characters.',
    action: 'Rename the secret reference.',
    fixes: [planEdit('renameSecretReference', 'Fix the secret name')],
  }),
  rule('PLAN-040', {
    title: 'IMAP port and security do not match',
    severity: 'warning',
    message: "IMAP endpoint '{0}' uses port {1} with 'security: {2}'; that security normally uses port {3}.",
    description: 'Port 993 expects TLS from the first byte and port 143 starts in plain text (upgraded by STARTTLS); crossing them makes the connection hang or the TLS handshake fail when the first mailbox starts.',
    action: 'Set the port to the usual one for the security, or change security to match the port.',
    fixes: [planEdit('useTlsSecurity', 'Use security: tls'), docs('RFC 8314: mail ports and TLS', 'https://www.rfc-editor.org/rfc/rfc8314#section-7')],
  }),
  rule('PLAN-041', {
    title: 'Orchestrated batch needs two Microsoft 365 tenants',
    severity: 'error',
    message: "Batch '{0}' is orchestrated, but {1}: Microsoft's cross-tenant migration service moves mailboxes between Microsoft 365 tenants only.",
    description: "An orchestrated batch hands the move to Microsoft's cross-tenant migration service instead of copying items through Ferry; that service only connects two Microsoft 365 tenants that trust each other.",
    action: 'Use m365 endpoints on both sides, with crossTenant settings on the destination, or remove orchestrated from the batch so Ferry copies the items itself.',
    fixes: [docs('Cross-tenant mailbox migration', 'https://learn.microsoft.com/microsoft-365/enterprise/cross-tenant-mailbox-migration')],
  }),
  rule('PLAN-042', {
    title: 'Item size limit above what Microsoft 365 accepts',
    severity: 'warning',
    message: "maxItemSizeMB is {0}, but the destination '{1}' (Microsoft 365) accepts at most 150 MB per item: larger items will fail instead of being skipped.",
    description: 'Exchange Online refuses messages above 150 MB. Items over maxItemSizeMB are skipped and reported; items between 150 MB and that limit would be attempted and fail, each costing a retry budget.',
    action: 'Set maxItemSizeMB to 150 or less.',
    fixes: [docs('Exchange Online limits', 'https://learn.microsoft.com/office365/servicedescriptions/exchange-online-service-description/exchange-online-limits')],
  }),
  rule('PLAN-043', {
    title: 'Shared authorization identity',
    severity: 'warning',
    message: "Endpoint '{0}' opens the mailbox '{1}' for every item: use {mailbox} in authorizationIdentity so each item opens its own mailbox.",
    description: 'With SASL PLAIN an administrator logs in with their own password and names the mailbox to open (the authorization identity). A fixed identity makes every item read or write the same mailbox.',
    action: 'Write authorizationIdentity as {mailbox} (or a pattern containing it) so Ferry fills in each item address.',
    fixes: [docs('RFC 4616: SASL PLAIN authorization identity', 'https://www.rfc-editor.org/rfc/rfc4616')],
  }),
  rule('PLAN-044', {
    title: 'Exchange reached over plain HTTP',
    severity: 'warning',
    message: "Exchange endpoint '{0}' reaches {2} over plain HTTP ({1}): the login and every message cross the network unencrypted.",
    description: 'EWS and autodiscover carry the migration account\'s credentials (Basic sends the password itself) and all mail. Exchange serves both over HTTPS; plain HTTP is only safe for a server on the same machine (loopback).',
    action: "Use the https:// address of the server; if its certificate is self-signed, trust it on this machine (or, in a lab only, set 'allowInvalidCertificates: true').",
    fixes: [planEdit('useHttpsUrl', 'Use https://')],
  }),
  rule('PLAN-045', {
    title: 'Plan file too large',
    severity: 'error',
    message: 'The plan is {0} MB; Ferry validates plans of up to {1} MB, so nothing in it was checked.',
    description:
      'Validation runs on every keystroke in the editor and on every pull request in CI, so its cost is bounded: a plan of 50,000 mailboxes with a destination each is about 3.3 MB, well inside the limit. A larger file is usually generated by mistake or hostile.',
    action: 'Move the mailboxes into items files (itemsFile: wave.csv, one per batch), or split the migration into several plans.',
    fixes: [{ kind: 'command', command: 'ferry.bulkAddItems', title: 'Add mailboxes from a CSV file' }],
  }),
  rule('PLAN-046', {
    title: 'YAML alias cannot be expanded',
    severity: 'error',
    message: 'YAML aliases: {0}.',
    description:
      'An alias (*name) repeats the node its anchor (&name) marks. An alias must follow its anchor and cannot sit inside it, and the aliases of a plan must not multiply it beyond what Ferry checks: a few lines of nested aliases ("billion laughs") can stand for billions of values.',
    action: 'Define each anchor before its aliases, do not nest an alias inside its own anchor, and write repeated parts out (or use fewer levels of aliases).',
    fixes: [docs('YAML 1.2: anchors and aliases', 'https://yaml.org/spec/1.2.2/#3222-anchors-and-aliases')],
  }),
  rule('PLAN-047', {
    title: 'Plan nested too deeply',
    severity: 'error',
    message: 'The plan nests maps and lists deeper than {0} levels (aliases expanded); it was not checked further.',
    description: 'A plan needs about eight levels of nesting. Much deeper nesting is a mistake or an attempt to exhaust the validator, so Ferry stops at the limit.',
    action: 'Remove the extra levels of brackets or indentation at the marked place.',
    fixes: [docs('YAML 1.2: collections', 'https://yaml.org/spec/1.2.2/#21-collections')],
  }),
  rule('PLAN-048', {
    title: 'Validation stopped at its deadline',
    severity: 'error',
    message: 'Validation stopped after {0} s while {1}; the findings shown are incomplete.',
    description:
      'Ferry bounds how long validating one plan may take (the editor validates on every keystroke, CI on every pull request). A plan that needs longer is far larger or more complex than a migration needs; it is treated as invalid, so no pass runs on a plan that was not fully checked.',
    action: 'Split the plan or move mailboxes into items files; on a slow or very busy machine, FERRY_PLAN_DEADLINE_MS raises the deadline (milliseconds, default 15000). If a plan of ordinary size hits the deadline, report it with the plan attached.',
    fixes: [{ kind: 'command', command: 'ferry.bulkAddItems', title: 'Add mailboxes from a CSV file' }],
  }),
  rule('PLAN-049', {
    title: 'Items file too large',
    severity: 'error',
    message: "Items file '{0}' was not read: {1}.",
    description: 'Ferry reads a bounded amount of items files, so a plan cannot make validation read a huge or endless file. 50,000 rows with every column fit in one file.',
    action: 'Split the file into several batches with an items file each, or remove columns and rows that are not needed.',
    fixes: [docs('RFC 4180: CSV format', 'https://www.rfc-editor.org/rfc/rfc4180')],
  }),
  rule('PLAN-050', {
    title: 'Folder expression may take exponential time',
    severity: 'error',
    message: "Folder expression '{0}' {1}.",
    description:
      'Folder filters and mappings are JavaScript regular expressions tested against every folder name of every mailbox. A repeated group that itself repeats, like (a+)+ or (a|aa)*, makes the backtracking engine try exponentially many ways on a name that almost matches, so one folder name could stall a pass. Ferry refuses such expressions and overlong ones.',
    action: 'Drop the outer repetition (a+ instead of (a+)+), make the alternatives of a repeated group distinct, or anchor the expression without nesting quantifiers.',
    fixes: [docs('OWASP: Regular expression Denial of Service (ReDoS)', 'https://owasp.org/www-community/attacks/Regular_expression_Denial_of_Service_-_ReDoS')],
  }),
  // Schedules and notifications (ferry serve).
  rule('PLAN-051', {
    title: 'completeAfter has passed: the batch completes at the next opportunity',
    severity: 'information',
    message: "Batch '{1}': completeAfter ({0}) has passed; ferry serve completes it at its next opportunity once it is Synced.",
    description: 'A completion time in the past is a schedule that is due, not a mistake: the scheduler runs the final delta and completes the batch as soon as it is Synced (and says so); ferry complete does it now. If the batch cannot be Synced, that is reported on this batch only.',
    action: 'Nothing to do if the cut-over may happen now; otherwise move completeAfter to the time you want.',
    fixes: [planEdit('moveCompleteAfterToFuture', 'Move completeAfter into the future')],
  }),
  rule('PLAN-052', {
    title: 'Notification template cannot be used',
    severity: 'error',
    message: "Notification template '{0}' {1}.",
    description: 'A template is a text file in the plan folder: a first line "Subject: ...", a blank line, then the body, with {{project}}, {{batch}}, {{status}}, {{time}}, {{mailboxes}}, {{details}} (end-user notices: {{source}}, {{destination}}, {{completeAfter}}) filled in. A template Ferry cannot read would leave a notification unsent.',
    action: 'Create the file in the plan folder with a Subject line, or remove the template to use Ferry\'s own text.',
    fixes: [docs('RFC 5322: the Subject field', 'https://www.rfc-editor.org/rfc/rfc5322#section-3.6.5')],
  }),
  // Gmail over IMAP (XOAUTH2 with a refresh token).
  rule('PLAN-053', {
    title: 'IMAP OAuth settings do not fit together',
    severity: 'error',
    message: "Endpoint '{0}' {1}.",
    description: 'With `oauth`, Ferry signs in with XOAUTH2 and gets access tokens from the refresh token: `auth.mechanism` can only be `xoauth2` (or left out), and the refresh token is either `oauth.refreshToken` or the `password` of an auth block (an item\'s `sourceAuth` when each user granted access apart), not both on the endpoint.',
    action: 'Remove `auth.mechanism` (or set it to `xoauth2`), and keep the refresh token in one place: `oauth.refreshToken` for one grant, `sourceAuth.password` on each item for one grant per user.',
    fixes: [docs('Gmail XOAUTH2 protocol', 'https://developers.google.com/workspace/gmail/imap/xoauth2-protocol'), docs('Google: OAuth 2.0 offline access', 'https://developers.google.com/identity/protocols/oauth2/web-server#offline')],
  }),
  // Issue 14: plan findings in the operator's words.
  rule('PLAN-054', {
    title: 'Key at the wrong indentation',
    severity: 'error',
    message: "'{0}' is not a property of {1}: did you mean to {2}?",
    description: 'YAML nests by indentation. A key indented one level too little or too much lands in the wrong map: typed at the level of the endpoints it reads as a new endpoint, typed beside the options it reads as an unknown property of the project. Ferry looks one level in and one level out and names the place where the key is known.',
    action: 'Indent the key (and its value) to the level of the keys it belongs with; the quick fix does it.',
    fixes: [planEdit('reindentKey', 'Indent the key where it belongs')],
  }),
];
