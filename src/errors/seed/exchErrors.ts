// Seed 004, "Exchange mailbox migration errors" (EXCH-): the mailbox move itself.
import type { CatalogEntry } from '../types';
import {
  CROSS_TENANT_MAILBOX_VALIDATION,
  NEW_CROSS_TENANT_ENDPOINT,
  RETRY_ERRORS,
  SEED_ARTICLE,
  SHOW_MIGRATION_ENDPOINTS,
  SHOW_ORGANIZATION_RELATIONSHIP,
} from './common';

const section = 'Exchange mailbox migration errors';

export const exchErrors: readonly CatalogEntry[] = [
  {
    code: 'EXCH-07',
    planMessage: 'Endpoint "{0}" (used as {1}) is not defined under endpoints.',
    planHelp: { description: 'The plan names an endpoint that is not a key of `endpoints`: a misspelling, or an endpoint not written yet.', action: 'Use the name of an endpoint defined under `endpoints`, or define it.' },
    title: 'No migration endpoint for the remote tenant',
    category: 'exchange',
    severity: 'error',
    message: 'No valid migration endpoints for the remote tenant.',
    description:
      "Either a misspelling exists in the migration endpoint name that's provided in the input JSON file, or the target tenant doesn't have a tenant-to-tenant mailbox migration endpoint configured for the remote source tenant.",
    action:
      "Verify that the migration endpoint name that's provided is correct, and follow the setup documentation to create a tenant-to-tenant migration endpoint, if it's necessary.",
    fixes: [
      { kind: 'planEdit', id: 'pickExistingEndpoint', title: 'Pick an existing migration endpoint' },
      SHOW_MIGRATION_ENDPOINTS,
      NEW_CROSS_TENANT_ENDPOINT,
      SEED_ARTICLE,
    ],
    source: 'seed-004',
    section,
  },
  {
    code: 'EXCH-08',
    title: 'Cross-tenant setup validation failed',
    category: 'exchange',
    severity: 'error',
    message: 'Setup validation failed. Contact your admin.',
    altMessages: [
      'The connection to the server `outlook.office.com` could not be completed. Please make sure source mailbox is in the migration scope, scope identifier is set in Organization Relationship, and migration setup between source mailbox and target mail user is correct.',
      '`Test-MigrationServerAvailability` failed with: {0}',
    ],
    description: [
      '`Test-MigrationServerAvailability -Endpoint <endpoint> -TestMailbox meu@target.com` failed. The `Test-MigrationServerAvailability` check is a high-level validation method that\'s used for tenant-to-tenant migration. This failure indicates one or more of the following issues:',
      "- The target object isn't found.",
      "- The source object or source organization has litigation hold enabled and can't be migrated cross-tenant without being added to the exception list.",
      "- The source object wasn't added to the migration scope.",
      "- The source mailbox exceeds the quota and can't be migrated cross-tenant.",
      "- A mismatch exists on the `ExchangeGuid` value that's stamped on the source and target objects.",
      "- The `MailboxMoveRemoteHostName` field of the source mailbox isn't empty. This condition means either that mailbox was being moved in another batch or the `MailboxMoveRemoteHostName` field wasn't cleared when the previous request was cleaned. Use `Set-Mailbox -AttributesToClear MailboxMoveRemoteHostName`, then retry the migration.",
      '- The OAuth setup was completed incorrectly. To troubleshoot the issue, use this Cross Tenant Mailbox Migration Validation script.',
      '- None of the source or target objects have a cross-tenant mailbox migration license assigned. Assign the license, and retry the job. The target object is either missing an `ExchangeGuid` or an `ArchiveGuid` value.',
      '- Either the source or target objects have a soft deleted user. To find the soft deleted users and remove them, run `Get-Mailbox -IncludeSoftDeletedMailbox/Get-MailUser -SoftDeletedMailUser`.',
    ].join('\n'),
    action: [
      'To avoid most issues:',
      '- Complete a correct identity mapping.',
      '- Set up the non-Microsoft OAuth app correctly, and their Exchange objects such as `OrgRel` (organization relationship) and `MigrationEndpoint`. To find the root cause of the issue, run this Cross Tenant Mailbox Migration Validation script.',
    ].join('\n'),
    fixes: [
      CROSS_TENANT_MAILBOX_VALIDATION,
      {
        kind: 'adminCommand',
        shell: 'powershell',
        title: 'Test the migration endpoint against the mail user, on the target tenant (Exchange Online PowerShell)',
        template: 'Test-MigrationServerAvailability -Endpoint "{migrationEndpoint}" -TestMailbox "{targetUserPrincipalName}"',
      },
      {
        kind: 'adminCommand',
        shell: 'powershell',
        title: 'Clear MailboxMoveRemoteHostName left by an earlier move, on the source tenant (Exchange Online PowerShell)',
        template: 'Set-Mailbox -Identity "{userPrincipalName}" -AttributesToClear MailboxMoveRemoteHostName',
      },
      {
        kind: 'adminCommand',
        shell: 'powershell',
        title: 'Compare ExchangeGuid and ArchiveGuid of source mailbox and target mail user (Exchange Online PowerShell)',
        template:
          'Get-Mailbox -Identity "{userPrincipalName}" | fl ExchangeGuid,ArchiveGuid  # source tenant\nGet-MailUser -Identity "{targetUserPrincipalName}" | fl ExchangeGuid,ArchiveGuid  # target tenant',
      },
      {
        kind: 'adminCommand',
        shell: 'powershell',
        title: 'Find soft-deleted users that block the move (Exchange Online PowerShell)',
        template: 'Get-Mailbox -SoftDeletedMailbox -Identity "{userPrincipalName}"  # source tenant\nGet-MailUser -SoftDeletedMailUser -Identity "{targetUserPrincipalName}"  # target tenant',
      },
      SHOW_ORGANIZATION_RELATIONSHIP,
      SEED_ARTICLE,
    ],
    source: 'seed-004',
    section,
  },
  {
    code: 'EXCH-15',
    title: 'Maximum number of retries reached',
    category: 'exchange',
    severity: 'error',
    retryable: true,
    message: 'Max retry for user with id {0} reached.',
    description:
      'The maximum number of retries on `EXOHandler` is reached. A server-side issue might be occurring. Retry the job by creating a new migration batch. If the issue persists, contact Microsoft Support for help.',
    action: 'Create a migration batch.',
    fixes: [RETRY_ERRORS, SEED_ARTICLE],
    source: 'seed-004',
    section,
  },
];
