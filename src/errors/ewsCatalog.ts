// Codes the Exchange (EWS) connector raises against on-premises or hosted Exchange 2007 and later:
// the EWS ResponseCodes an operator meets during a migration, HTTP answers of the EWS virtual
// directory, and network and TLS failures. Each names the disposition the engine applies, as
// connectorCatalog does for IMAP and Maildir. The aliases are the ResponseCodes ('ErrorServerBusy')
// and HTTP statuses ('HTTP-401') an entry stands for, so ewsCodeFor() maps an answer straight to it.
//
// Message placeholders, as the connector fills them for an EWS answer: {0} the mailbox, {1} what
// Ferry was doing ('read an item'), {2} the ResponseCode (or HTTP status) and Exchange's text,
// {3} the EWS host. The information entries say which arguments they take.
//
// Admin commands name the mailbox with {userPrincipalName} (the item's source address; EWS is
// mostly the source side) or {targetUserPrincipalName} for what only happens when Exchange is the
// destination (quota, size limits). The migration account (the endpoint's auth.username) has no
// variable in FIX_VARIABLES yet, so the commands show it as <account> for the operator to fill in.
import { connectorCatalogEntries, dispositionsOf, type ConnectorDisposition, type ConnectorEntry } from './connectorEntry';
import type { CatalogEntry, FixAction } from './types';

const section = 'Ferry connectors: Exchange (EWS)';

/** The mailbox in an admin command (see the header comment). */
const MAILBOX = '{userPrincipalName}';
const TARGET_MAILBOX = '{targetUserPrincipalName}';
/** The migration account in an admin command: no plan variable yet, so the operator fills it in. */
const ACCOUNT = '<account>';
/** The name of the throttling policy the commands create for the migration account. */
const POLICY = 'FerryMigration';

function docs(title: string, url: string): FixAction {
  return { kind: 'docs', title, url };
}

function powershell(title: string, lines: readonly string[]): FixAction {
  return { kind: 'adminCommand', shell: 'powershell', title, template: lines.join('\n') };
}

const LEARN = 'https://learn.microsoft.com/en-us';
const RETRY: FixAction = { kind: 'command', command: 'ferry.retryErrors', title: 'Retry the failed items' };
const SET_SECRET: FixAction = { kind: 'command', command: 'ferry.setSecret', title: 'Set the password of the migration account again' };
const CONCURRENCY: FixAction = { kind: 'planEdit', id: 'setRecommendedConcurrency', title: 'Use the recommended concurrency' };
const RESPONSE_CODES = docs('EWS ResponseCode values', `${LEARN}/exchange/client-developer/web-service-reference/responsecode`);
const THROTTLING_DOCS = docs('EWS throttling in Exchange', `${LEARN}/exchange/client-developer/exchange-web-services/ews-throttling-in-exchange`);
const IMPERSONATION_DOCS = docs('Configure impersonation', `${LEARN}/exchange/client-developer/exchange-web-services/how-to-configure-impersonation`);
const SYNC_DOCS = docs('Handling synchronization-related errors in EWS', `${LEARN}/exchange/client-developer/exchange-web-services/handling-synchronization-related-errors-in-ews-in-exchange`);
const AUTODISCOVER_DOCS = docs('Autodiscover for Exchange', `${LEARN}/exchange/client-developer/exchange-web-services/autodiscover-for-exchange`);
const AUTH_DOCS = docs('Authentication and EWS in Exchange', `${LEARN}/exchange/client-developer/exchange-web-services/authentication-and-ews-in-exchange`);
const ACCESS_DOCS = docs('Control access to EWS in Exchange', `${LEARN}/exchange/client-developer/exchange-web-services/how-to-control-access-to-ews-in-exchange`);
const VERSION_DOCS = docs('EWS schema versions in Exchange', `${LEARN}/exchange/client-developer/exchange-web-services/ews-schema-versions-in-exchange`);
const EXPORT_DOCS = docs('Exporting and importing items by using EWS', `${LEARN}/exchange/client-developer/exchange-web-services/exporting-and-importing-items-by-using-ews-in-exchange`);
const NODE_CA = docs('Node.js NODE_EXTRA_CA_CERTS', 'https://nodejs.org/api/cli.html#node_extra_ca_certsfile');

/** Exchange 2013 and later: budget parameters take Unlimited ($null would inherit the global policy). */
const POLICY_2013 = powershell('Lift the EWS throttling limits of the migration account (Exchange 2013 and later)', [
  `New-ThrottlingPolicy -Name "${POLICY}" -EwsMaxConcurrency Unlimited -EwsMaxBurst Unlimited -EwsRechargeRate Unlimited -EwsCutoffBalance Unlimited -EwsMaxSubscriptions Unlimited`,
  `Set-ThrottlingPolicyAssociation -Identity "${ACCOUNT}" -ThrottlingPolicy "${POLICY}"`,
]);
/** Exchange 2010: $null means no limit (the seed's "disable throttling" parameters, EWS only). */
const POLICY_2010 = powershell('Lift the EWS throttling limits of the migration account (Exchange 2010)', [
  `New-ThrottlingPolicy -Name "${POLICY}"`,
  `Set-ThrottlingPolicy -Identity "${POLICY}" -EWSMaxConcurrency $null -EWSPercentTimeInAD $null -EWSPercentTimeInCAS $null -EWSPercentTimeInMailboxRPC $null -EWSMaxSubscriptions $null -EWSFastSearchTimeoutInSeconds $null -EWSFindCountLimit $null`,
  `Set-ThrottlingPolicyAssociation -Identity "${ACCOUNT}" -ThrottlingPolicy "${POLICY}"`,
]);
const POLICY_REMOVE = powershell('Remove the throttling policy after the migration', [
  `Set-ThrottlingPolicyAssociation -Identity "${ACCOUNT}" -ThrottlingPolicy $null`,
  `Remove-ThrottlingPolicy -Identity "${POLICY}"`,
]);
const IMPERSONATION_2010 = powershell('Grant the migration account ApplicationImpersonation (Exchange 2010 and later)', [
  `New-ManagementRoleAssignment -Name "Ferry impersonation" -Role ApplicationImpersonation -User "${ACCOUNT}"`,
]);
const IMPERSONATION_2007 = powershell('Grant the migration account the impersonation rights (Exchange 2007 SP1)', [
  `Get-ExchangeServer | Where-Object {$_.IsClientAccessServer -eq $true} | ForEach-Object {Add-ADPermission -Identity $_.DistinguishedName -User "${ACCOUNT}" -ExtendedRights ms-Exch-EPI-Impersonation}`,
  `Get-MailboxDatabase | ForEach-Object {Add-ADPermission -Identity $_.DistinguishedName -User "${ACCOUNT}" -ExtendedRights ms-Exch-EPI-May-Impersonate}`,
]);
const FULL_ACCESS = powershell('Give the migration account full access to the mailbox (leave out -AutoMapping on Exchange 2007)', [
  `Add-MailboxPermission -Identity "${MAILBOX}" -User "${ACCOUNT}" -AccessRights FullAccess -InheritanceType All -AutoMapping $false`,
]);
const FULL_ACCESS_ALL = powershell('Give the migration account full access to every mailbox (leave out -AutoMapping on Exchange 2007)', [
  `Get-Mailbox -ResultSize Unlimited | Add-MailboxPermission -User "${ACCOUNT}" -AccessRights FullAccess -InheritanceType All -AutoMapping $false`,
]);
const EWS_URLS = powershell('Show the EWS URLs and authentication methods of each server', [
  'Get-WebServicesVirtualDirectory | Format-List Server,InternalUrl,ExternalUrl,BasicAuthentication,WindowsAuthentication,OAuthAuthentication',
]);
const SERVER_VERSIONS = powershell('Show the Exchange version of each server', ['Get-ExchangeServer | Format-Table Name,ServerRole,AdminDisplayVersion']);

const entries: Record<string, ConnectorEntry> = {
  'EWS-SERVER-BUSY': {
    title: 'Exchange is throttling the migration',
    disposition: 'transient',
    aliases: ['ErrorServerBusy', 'HTTP-429'],
    message: 'Exchange at {3} is throttling the requests for {0}; could not {1}: {2}',
    description:
      'The throttling policy of the migration account (or the health of the mailbox database) stopped the request. Exchange says how long to wait in BackOffMilliseconds, though not always: Ferry holds every request for the mailbox that long (or backs off exponentially) and goes on.',
    action: 'Nothing while it is occasional. If it slows the migration down, give the migration account a throttling policy without EWS limits for the time of the migration (EWS-THROTTLING-POLICY), or lower `maxConnections` and `maxConcurrentMigrations`.',
    fixes: [RETRY, POLICY_2013, CONCURRENCY, THROTTLING_DOCS],
  },
  // Not thrown: the runner reports it after a pass with its own arguments: {0} the EWS host,
  // {1} the migration account, {2} how many times Ferry was throttled.
  'EWS-THROTTLING-POLICY': {
    title: 'Lift the EWS throttling limits for the migration',
    severity: 'information',
    disposition: 'information',
    message: 'Exchange at {0} throttled the migration account {1} {2} times during this pass: a throttling policy without EWS limits for that account speeds the migration up',
    description:
      'The default throttling policy is made for users, not for a migration that reads every mailbox through one account. A dedicated policy assigned to the migration account lifts its EWS limits; the other users keep theirs. Throttling policies exist from Exchange 2010 on (Exchange 2007 has none), and hosted providers often do not allow them. Without limits the migration can load the servers: watch them while it runs.',
    action: 'In the Exchange Management Shell, create the policy and assign it to the migration account (the command for your Exchange version), run the migration, then remove the policy.',
    fixes: [POLICY_2013, POLICY_2010, POLICY_REMOVE, THROTTLING_DOCS],
  },
  'EWS-CONNECTION-LIMIT': {
    title: 'Migration account over its EWS limits',
    disposition: 'transient',
    aliases: ['ErrorExceededConnectionCount', 'ErrorTooManyObjectsOpened', 'ErrorConnectionFailed', 'ErrorExceededFindCountLimit'],
    message: 'The migration account is over its EWS limits on {3}; could not {1} for {0}: {2}',
    description:
      'The account Ferry signs in with has more concurrent EWS requests open than its throttling policy allows (EWSMaxConcurrency: 10 by default on Exchange 2010, 27 on Exchange 2013 and later), or asked for more items at once than EWSFindCountLimit allows (Exchange 2010). Without impersonation every mailbox shares the budget of that one account. Ferry retries.',
    action: 'Lower `maxConnections` on the endpoint and `maxConcurrentMigrations` in the options, use `access: impersonation`, or give the migration account a throttling policy without EWS limits (EWS-THROTTLING-POLICY).',
    fixes: [CONCURRENCY, POLICY_2013, POLICY_2010, RETRY, THROTTLING_DOCS],
  },
  'EWS-IMPERSONATION-DENIED': {
    title: 'Migration account may not impersonate the mailbox',
    disposition: 'mailbox',
    aliases: ['ErrorImpersonateUserDenied', 'ErrorImpersonationDenied'],
    message: 'The migration account may not impersonate {0} on {3}; could not {1}: {2}',
    description:
      'The endpoint uses `access: impersonation`, but the migration account does not hold the ApplicationImpersonation role (Exchange 2010 and later) or the impersonation rights (Exchange 2007 SP1), or a management scope on the role assignment leaves this mailbox out. Exchange Online no longer offers the role (removed in February 2025): use an m365 endpoint there. The mailbox is marked Not valid.',
    action: 'Assign the ApplicationImpersonation role to the migration account (New-ManagementRoleAssignment) and verify the credentials again; or set `access: delegation` and give the account full access to each mailbox instead.',
    fixes: [IMPERSONATION_2010, IMPERSONATION_2007, FULL_ACCESS, IMPERSONATION_DOCS],
  },
  'EWS-ACCESS-DENIED': {
    title: 'Migration account may not open the mailbox',
    disposition: 'mailbox',
    aliases: ['ErrorAccessDenied', 'ErrorNotDelegate'],
    message: 'The migration account may not open the mailbox {0} on {3}; could not {1}: {2}',
    description:
      'With `access: delegation` the migration account opens each mailbox with its own rights, and it has no full access to this one. Being an Exchange administrator does not give access to mailboxes. Permissions are set per mailbox, so mailboxes created after the grant need it too. The mailbox is marked Not valid.',
    action: 'Give the migration account full access to the mailbox (Add-MailboxPermission, AutoMapping off so Outlook does not open every mailbox), or switch to `access: impersonation`; then verify the credentials again.',
    fixes: [FULL_ACCESS, FULL_ACCESS_ALL, IMPERSONATION_2010, docs('Add-MailboxPermission', `${LEARN}/powershell/module/exchangepowershell/add-mailboxpermission`)],
  },
  'EWS-MAILBOX-NOT-FOUND': {
    title: 'Mailbox not found on Exchange',
    disposition: 'mailbox',
    aliases: ['ErrorNonExistentMailbox', 'ErrorImpersonationFailed', 'ErrorInvalidExchangeImpersonationHeaderData', 'ErrorMailboxLogonFailed', 'ErrorNonPrimarySmtpAddress'],
    message: 'Exchange at {3} has no mailbox {0} that the migration account can open; could not {1}: {2}',
    description:
      'No mailbox answers to this address: a typo, a secondary address where Exchange wants the primary SMTP address, a user without a mailbox (or a disabled one), or a mailbox in another organization. Impersonation fails the same way when the address does not resolve to an account.',
    action: "Check the item's address against Get-Mailbox (use the PrimarySmtpAddress), correct it in the plan or the CSV file, or remove the item.",
    fixes: [
      powershell('Show the mailbox and its primary address', [`Get-Mailbox -Identity "${MAILBOX}" | Format-List DisplayName,PrimarySmtpAddress,Database,RecipientTypeDetails`]),
      { kind: 'planEdit', id: 'removeItem', title: 'Remove the item' },
      RESPONSE_CODES,
    ],
  },
  'EWS-QUOTA-EXCEEDED': {
    title: 'Destination mailbox over quota',
    disposition: 'mailbox',
    aliases: ['ErrorQuotaExceeded'],
    message: 'The mailbox {0} is over its quota on {3}; could not {1}: {2}',
    description: 'Exchange refused to store more items: the mailbox reached its ProhibitSendReceiveQuota (its own, or the default of its database). Nothing more can be written to it until it has room.',
    action: 'Raise the quota of the destination mailbox (or let it stop using the database defaults), then retry the errors. A plan `mailboxQuotaGB` catches oversize mailboxes before copying.',
    fixes: [
      powershell('Raise the quota of the mailbox', [`Set-Mailbox -Identity "${TARGET_MAILBOX}" -UseDatabaseQuotaDefaults $false -IssueWarningQuota 98GB -ProhibitSendQuota 99GB -ProhibitSendReceiveQuota 100GB`]),
      powershell('Show the size of the mailbox', [`Get-MailboxStatistics -Identity "${TARGET_MAILBOX}" | Format-List DisplayName,TotalItemSize,ItemCount`]),
      RETRY,
    ],
  },
  'EWS-ITEM-TOO-LARGE': {
    title: 'Item too large for Exchange',
    disposition: 'item',
    aliases: ['ErrorMessageSizeExceeded', 'ErrorAttachmentSizeLimitExceeded', 'HTTP-413'],
    message: 'An item is larger than Exchange at {3} accepts for {0}; could not {1}: {2}',
    description:
      "The item exceeds a size limit of the destination: the mailbox's MaxReceiveSize, the organization's transport limits (Set-TransportConfig), or the request size the EWS virtual directory accepts (its web.config; UploadItems takes 25 MB by default on Exchange 2010 SP1). The item is skipped; the rest of the mailbox goes on.",
    action: 'Raise the size limits of the destination, then retry the errors; or lower `maxItemSizeMB` so such items are skipped and listed before they are read.',
    fixes: [
      powershell('Raise the size limit of the mailbox', [`Set-Mailbox -Identity "${TARGET_MAILBOX}" -MaxReceiveSize 150MB -MaxSendSize 150MB`]),
      powershell('Raise the organization transport limits', ['Set-TransportConfig -MaxReceiveSize 150MB -MaxSendSize 150MB']),
      RETRY,
    ],
  },
  'EWS-MOVE-IN-PROGRESS': {
    title: 'Mailbox is being moved',
    disposition: 'transient',
    aliases: ['ErrorMailboxMoveInProgress'],
    message: 'The mailbox {0} is being moved to another database; could not {1}: {2}',
    description: 'A mailbox move is running (or finishing) for this mailbox, and Exchange refuses access until it completes. Ferry retries with back-off.',
    action: 'Wait for the move to complete (or finish it), then run the pass again.',
    fixes: [RETRY, powershell('Show the move of the mailbox', [`Get-MoveRequest -Identity "${MAILBOX}" | Get-MoveRequestStatistics`])],
  },
  'EWS-ITEM-NOT-FOUND': {
    title: 'Item no longer exists',
    disposition: 'item',
    retryable: true,
    aliases: ['ErrorItemNotFound'],
    message: 'An item of {0} no longer exists (deleted or moved since it was listed); could not {1}: {2}',
    description: 'The item was deleted or moved at the source between listing and reading. Nothing is lost that still exists.',
    action: 'Nothing to do: the next pass lists the folder anew.',
    fixes: [RETRY, RESPONSE_CODES],
  },
  'EWS-FOLDER-NOT-FOUND': {
    title: 'Folder no longer exists',
    disposition: 'item',
    retryable: true,
    aliases: ['ErrorFolderNotFound', 'ErrorSyncFolderNotFound'],
    message: 'A folder of {0} no longer exists (deleted or renamed since it was listed); could not {1}: {2}',
    description: 'The folder was deleted, renamed or moved while the pass ran, so Exchange no longer finds it by the id Ferry listed.',
    action: 'Run the pass again: the folder tree is read anew.',
    fixes: [RETRY, SYNC_DOCS],
  },
  'EWS-SYNC-STATE-INVALID': {
    title: 'Folder listed again from the start',
    severity: 'information',
    disposition: 'information',
    aliases: ['ErrorInvalidSyncStateData'],
    message: 'Exchange at {3} no longer accepts the sync state of a folder of {0} ({2}): the folder is listed again from the start',
    description:
      'The stored SyncState is corrupt, belongs to another folder, or Exchange dropped it (a restore, a mailbox move). Ferry lists the folder again from the beginning; items written before are recognized and not copied twice.',
    action: 'Nothing to do.',
    fixes: [SYNC_DOCS],
  },
  'EWS-UNAUTHORIZED': {
    title: 'Exchange refused the credentials',
    disposition: 'mailbox',
    aliases: ['HTTP-401', 'ErrorAccountDisabled'],
    message: 'Exchange at {3} refused the credentials of the migration account for {0}; could not {1}: {2}',
    description:
      'HTTP 401: the user name or password is wrong, the account is locked out, disabled or its password expired, or the EWS virtual directory does not offer the `authentication` scheme the endpoint uses (basic, ntlm or oauth). Multi-factor authentication cannot be used for the migration account. The mailbox is marked Not valid.',
    action: 'Check `auth.username` (DOMAIN\\user or the address, as you would sign in to OWA) and store the password again with "Ferry: Set Secret"; check that the account is enabled and not locked; set `authentication` to a method the EWS virtual directory has turned on.',
    fixes: [SET_SECRET, EWS_URLS, AUTH_DOCS],
  },
  'EWS-DISABLED': {
    title: 'EWS access is turned off',
    disposition: 'mailbox',
    aliases: ['HTTP-403'],
    message: 'Exchange at {3} does not allow EWS for the migration account or the mailbox {0}; could not {1}: {2}',
    description:
      'HTTP 403: EWS is disabled for the account (Set-CASMailbox -EwsEnabled $false) or the organization, or an EWS application access policy (EwsApplicationAccessPolicy with EwsAllowList or EwsBlockList) keeps Ferry out. Exchange Online blocks EWS for applications that are not allow-listed from October 2026.',
    action: 'Turn EWS on for the migration account (and the mailboxes, if a policy applies to them) or allow Ferry in the organization policy; for Exchange Online use an m365 endpoint.',
    fixes: [
      powershell('Turn EWS on for the migration account', [`Set-CASMailbox -Identity "${ACCOUNT}" -EwsEnabled $true`]),
      powershell('Show the EWS access policy of the organization', ['Get-OrganizationConfig | Format-List EwsEnabled,EwsApplicationAccessPolicy,EwsAllowList,EwsBlockList']),
      ACCESS_DOCS,
    ],
  },
  'EWS-UNAVAILABLE': {
    title: 'Exchange temporarily unavailable',
    disposition: 'transient',
    aliases: [
      'HTTP-502',
      'HTTP-503',
      'HTTP-504',
      'ErrorInternalServerTransientError',
      'ErrorTimeoutExpired',
      'ErrorInsufficientResources',
      'ErrorNotEnoughMemory',
      'ErrorADUnavailable',
      'ErrorNoRespondingCASInDestinationSite',
      'ErrorProxyRequestProcessingFailed',
    ],
    message: 'Exchange at {3} is unavailable; could not {1} for {0}: {2}',
    description:
      'The server did not answer, answered 502, 503 or 504, or reported a passing failure (a transient internal error, Active Directory unreachable, no Client Access server answering, or an operation over the one-minute limit of a request). Ferry retries with back-off.',
    action: 'Nothing, unless every attempt fails: then check that this machine reaches the EWS URL (a firewall, a proxy, a load balancer) and the health of the Exchange servers.',
    fixes: [RETRY, CONCURRENCY, RESPONSE_CODES],
  },
  'EWS-SCHEMA-VERSION': {
    title: 'Exchange refused the EWS version of the request',
    disposition: 'mailbox',
    aliases: ['ErrorInvalidServerVersion', 'ErrorIncorrectSchemaVersion', 'ErrorSchemaValidation'],
    message: 'Exchange at {3} refused the EWS version or schema of the request; could not {1} for {0}: {2}',
    description:
      'The request asked for an EWS schema version the server does not have (RequestServerVersion newer than the server, e.g. Exchange2010 on Exchange 2007), or used an element that version does not know.',
    action: 'Set `version` on the endpoint to the version of the server (Exchange2007_SP1 for Exchange 2007), then verify the credentials again.',
    fixes: [SERVER_VERSIONS, VERSION_DOCS],
  },
  'EWS-AUTODISCOVER-FAILED': {
    title: 'No EWS service found',
    disposition: 'mailbox',
    aliases: ['HTTP-404'],
    message: 'No EWS service was found for {0} ({3}); could not {1}: {2}',
    description:
      'Autodiscover returned no EWS URL for the address, the host name does not resolve, or the URL answers 404 (a wrong path: EWS lives at /EWS/Exchange.asmx, not at the OWA URL).',
    action: 'Set `url` on the endpoint to the EWS URL (https://<server>/EWS/Exchange.asmx; the ExternalUrl or InternalUrl of the EWS virtual directory) instead of relying on `autodiscover`, or point `autodiscoverUrl` at the autodiscover service when DNS does not lead to it.',
    fixes: [powershell('Show the EWS URLs of each server', ['Get-WebServicesVirtualDirectory | Format-List Server,InternalUrl,ExternalUrl']), AUTODISCOVER_DOCS],
  },
  'EWS-WRONG-SERVER': {
    title: 'Mailbox is served by another Exchange server',
    disposition: 'mailbox',
    aliases: ['ErrorCrossSiteRequest', 'ErrorWrongServerVersion'],
    message: 'Exchange at {3} cannot serve {0}: the mailbox is in another site or on another Exchange version; could not {1}: {2}',
    description: 'The EWS URL belongs to a Client Access server of another Active Directory site or Exchange version than the mailbox, which happens while two versions coexist.',
    action: 'Use `autodiscover` so Ferry finds the EWS URL of each mailbox, or put these mailboxes in a batch whose source endpoint has the `url` of a server in their site and version.',
    fixes: [powershell('Show the database and server of the mailbox', [`Get-Mailbox -Identity "${MAILBOX}" | Format-List Database,ServerName`]), SERVER_VERSIONS, AUTODISCOVER_DOCS],
  },
  'EWS-TLS': {
    title: 'TLS with the Exchange server failed',
    disposition: 'mailbox',
    message: 'TLS with {3} failed; could not {1} for {0}: {2}',
    description:
      'The certificate of the EWS server is not trusted here: self-signed (the default certificate of a new Exchange server), issued by an internal CA this machine does not trust, expired, or for another host name than the one in `url`.',
    action: "Use the host name the certificate names, renew an expired certificate, or trust the organization's CA for Node (NODE_EXTRA_CA_CERTS=<file>). Set `allowInvalidCertificates: true` only for a lab server you trust: it turns off the protection against interception.",
    fixes: [
      powershell('Show the certificates of the Exchange server', ['Get-ExchangeCertificate | Format-List Thumbprint,Subject,CertificateDomains,NotAfter,Services']),
      { kind: 'adminCommand', shell: 'bash', title: "Trust the organization's CA for Ferry", template: 'export NODE_EXTRA_CA_CERTS=/path/to/ca.pem' },
      NODE_CA,
    ],
  },
  'EWS-CORRUPT-ITEM': {
    title: 'Item corrupt or malformed',
    disposition: 'item',
    aliases: [
      'ErrorCorruptData',
      'ErrorItemCorrupt',
      'ErrorInvalidRecipients',
      'ErrorMimeContentInvalid',
      'ErrorMimeContentConversionFailed',
      'ErrorUnsupportedMimeConversion',
      'ErrorCannotOpenFileAttachment',
      'ErrorCalendarInvalidRecurrence',
      'ErrorPropertyValidationFailure',
    ],
    message: 'An item of {0} is corrupt or malformed; could not {1}: {2}',
    description:
      'Exchange could not read the item (corrupt data, an attachment it cannot open, no MIME conversion for this item type) or refused to store it (malformed MIME, invalid recipients, an impossible recurrence). The item is skipped; the rest of the mailbox goes on.',
    action: 'Open the item in Outlook or OWA: repair or re-save it there, or copy it by hand. Then retry the errors.',
    fixes: [RETRY, RESPONSE_CODES],
  },
  'EWS-MAILBOX-STORE-UNAVAILABLE': {
    title: 'Mailbox database unavailable',
    disposition: 'transient',
    aliases: ['ErrorMailboxStoreUnavailable', 'ErrorMailboxFailover'],
    message: 'The mailbox database of {0} is unavailable; could not {1}: {2}',
    description: 'The database holding the mailbox is dismounted, failing over to another copy, or too unhealthy to answer. Ferry retries with back-off.',
    action: 'Wait for the database to mount (or fail over), then run the pass again. If it stays down, check the database on the Exchange server.',
    fixes: [RETRY, powershell('Show whether the databases are mounted', ['Get-MailboxDatabase -Status | Format-Table Name,Server,Mounted'])],
  },
  'EWS-INTERNAL': {
    title: 'Exchange failed a request',
    disposition: 'item',
    retryable: true,
    aliases: ['ErrorInternalServerError', 'ErrorBatchProcessingStopped'],
    message: 'Exchange at {3} failed to {1} for {0}: {2}',
    description: 'Exchange answered with an internal error, or with a ResponseCode Ferry has no entry for (the code is in the message). The item fails; the mailbox goes on.',
    action: 'Retry the errors. If the same code keeps coming back, look it up in the ResponseCode list and report it with the code.',
    fixes: [RETRY, RESPONSE_CODES],
  },
  // Not thrown: reported once per mailbox with {0} the EWS host and {1} the mailbox.
  'EWS-EXPORT-UNSUPPORTED': {
    title: 'Items copied as MIME',
    severity: 'information',
    disposition: 'information',
    message: 'Exchange at {0} does not offer ExportItems and UploadItems (Exchange 2010 SP1 and later): the items of {1} are copied as MIME',
    description:
      'The full-fidelity copy needs ExportItems at the source and UploadItems at the destination, which Exchange offers from Exchange 2010 SP1 on. With an older server Ferry copies each item as MIME: the message and its attachments arrive, while Exchange properties that MIME has no place for can be lost.',
    action: 'Nothing to do. To keep every property, update the server to Exchange 2010 SP1 or later before the final pass.',
    fixes: [SERVER_VERSIONS, EXPORT_DOCS],
  },
  'EWS-FOLDER-EXISTS': {
    title: 'Folder already exists',
    severity: 'information',
    disposition: 'information',
    aliases: ['ErrorFolderExists'],
    message: 'A folder of {0} already exists; Ferry copies into it instead of creating it ({2})',
    description: 'A folder by that name is already in the destination mailbox (created by an earlier pass, by the user, or by Exchange). Ferry copies into the existing folder.',
    action: 'Nothing to do.',
    fixes: [RESPONSE_CODES],
  },
  'EWS-DISCOVERY-FAILED': {
    title: 'No mailboxes discovered',
    disposition: 'mailbox',
    aliases: ['ErrorNameResolutionNoResults'],
    message: 'Exchange at {3} resolved no mailboxes for {0}; could not {1}: {2}',
    description:
      'Discovering the mailboxes of the source reads the global address list as the migration account. That needs administrator credentials on the endpoint, an account that has a mailbox of its own, and that mailbox listed in the global address list.',
    action: 'Give the migration account a mailbox, make sure it is not hidden from the address lists, and discover again; or list the items in the plan or in a CSV file.',
    fixes: [
      powershell('Show the migration account in the address lists', [`Set-Mailbox -Identity "${ACCOUNT}" -HiddenFromAddressListsEnabled $false`]),
      powershell('Give the migration account a mailbox', [`Enable-Mailbox -Identity "${ACCOUNT}"`]),
      { kind: 'planEdit', id: 'createItemsFile', title: 'Create the items CSV file' },
    ],
  },
};

/** The disposition of each EWS code (the engine's default when an error carries none). */
export const EWS_DISPOSITIONS: Readonly<Record<string, ConnectorDisposition>> = dispositionsOf(entries);

/** The same table under the name the connector brief uses. */
export const ewsDispositions = EWS_DISPOSITIONS;

export const ewsEntries: readonly CatalogEntry[] = connectorCatalogEntries(section, entries);

/** Network failures (Node error codes) that a retry can get past. */
const NETWORK_CODES = ['ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'ETIMEDOUT', 'ESOCKETTIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN', 'EAI_AGAIN'];
/** TLS failures (Node and OpenSSL error codes): the certificate or the protocol. */
const TLS_CODES = [
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'ERR_SSL_WRONG_VERSION_NUMBER',
  'EPROTO',
];

/** ResponseCode, 'HTTP-<status>' or Node error code -> EWS- code. */
const BY_RESPONSE_CODE: ReadonlyMap<string, string> = new Map([
  ...NETWORK_CODES.map((c): [string, string] => [c, 'EWS-UNAVAILABLE']),
  ['ENOTFOUND', 'EWS-AUTODISCOVER-FAILED'],
  ...TLS_CODES.map((c): [string, string] => [c, 'EWS-TLS']),
  ...Object.entries(entries).flatMap(([code, e]) => [code, ...(e.aliases ?? [])].map((key): [string, string] => [key, code])),
]);

/**
 * The EWS- code for what Exchange or the network answered: an EWS ResponseCode ('ErrorServerBusy'),
 * an HTTP status ('HTTP-401', or just '401'), a Node network or TLS error code ('ECONNREFUSED',
 * 'CERT_HAS_EXPIRED') or an EWS- code itself. Anything else is EWS-INTERNAL, whose message carries
 * the raw code.
 */
export function ewsCodeFor(responseCode: string): string {
  const key = responseCode.trim();
  const http = /^(?:HTTP[- ]?)?(\d{3})$/i.exec(key);
  return BY_RESPONSE_CODE.get(http ? `HTTP-${http[1]}` : key) ?? 'EWS-INTERNAL';
}
