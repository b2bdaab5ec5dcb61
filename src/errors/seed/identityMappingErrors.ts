// Seed 004, "Identity mapping errors". The seed gives these rows no code; ours are IDMAP-001..023
// in seed order (stable: never renumber, append new ones). The seed lists two messages twice
// (IDMAP-010 = IDMAP-002, IDMAP-017 = IDMAP-007); each row keeps its own code. Seed typos are
// fixed in our text: "missmatch" -> "mismatch", "yjr" -> "the", "need to the follow" -> "need
// to follow", and the stray quotes around IDMAP-018.
import type { CatalogEntry, FixAction } from '../types';
import { HYBRID_IDENTITY_MAPPING, MAILUSER_EXAMPLES, RUN_IDENTITY_MAPPING, SEED_ARTICLE, USER_CONFIGURATION_STEPS } from './common';

const section = 'Identity mapping errors';

const REVIEW_AND_RERUN = 'Review the user configuration steps and examples, and then run identity mapping again.';
const REVIEW_FIXES: readonly FixAction[] = [USER_CONFIGURATION_STEPS, MAILUSER_EXAMPLES, RUN_IDENTITY_MAPPING, SEED_ARTICLE];
const NOT_COMPLETED = "The identity mapping couldn't be completed for this user. Retry the map request.";
const MAIL_USER_NOT_FOUND = "The target mail user couldn't be found. Verify that the user information that was provided is correct.";
const USER_NOT_FOUND = "The user couldn't be found. Verify that the user information that was provided is correct.";
const FOREIGN_DOMAINS = "Target users can't have any email addresses that aren't from the source or target domain.";

const COMPARE_GUIDS: FixAction = {
  kind: 'adminCommand',
  shell: 'powershell',
  title: 'Compare the GUIDs of the source mailbox and the target mail user (Exchange Online PowerShell)',
  template:
    'Get-Mailbox -Identity "{userPrincipalName}" | fl ExchangeGuid,ArchiveGuid  # source tenant\nGet-MailUser -Identity "{targetUserPrincipalName}" | fl ExchangeGuid,ArchiveGuid  # target tenant',
};
const SHOW_MAIL_USER_ADDRESSES: FixAction = {
  kind: 'adminCommand',
  shell: 'powershell',
  title: 'Show the addresses of the target mail user (Exchange Online PowerShell)',
  template: 'Get-MailUser -Identity "{targetUserPrincipalName}" | fl EmailAddresses,ExternalEmailAddress',
};
const SHOW_ACCEPTED_DOMAINS: FixAction = {
  kind: 'adminCommand',
  shell: 'powershell',
  title: 'List the accepted domains of the target tenant (Exchange Online PowerShell)',
  template: 'Get-AcceptedDomain',
};

function row(n: number, title: string, message: string, description: string, extra: readonly FixAction[] = []): CatalogEntry {
  return {
    code: `IDMAP-${String(n).padStart(3, '0')}`,
    title,
    category: 'identityMapping',
    severity: 'error',
    message,
    description,
    action: REVIEW_AND_RERUN,
    fixes: [...extra, ...REVIEW_FIXES],
    source: 'seed-004',
    section,
  };
}

function hybridRow(n: number, message: string, description: string): CatalogEntry {
  return {
    ...row(n, 'Mail user is synchronized from on-premises', message, description),
    action: 'Review the hybrid tenant identity mapping steps.',
    fixes: [HYBRID_IDENTITY_MAPPING, SEED_ARTICLE],
  };
}

export const identityMappingErrors: readonly CatalogEntry[] = [
  row(1, 'Mail user not found to verify the identity',
    "Couldn't find '{0}' mail user in Active Directory to verify identity information of '{1}' identity.", MAIL_USER_NOT_FOUND),
  row(2, 'Identity could not be marked as completed', "Failed to mark '{0}' identity as completed.", NOT_COMPLETED),
  row(3, 'ArchiveGuid mismatch', "`ArchiveGuid` mismatch, expected '{0}', found '{1}'.",
    'Check the Archive GUIDs for the source and target user, and retry identity mapping.', [COMPARE_GUIDS]),
  row(4, 'ExchangeGuid mismatch', "`ExchangeGuid` mismatch, expected '{0}', found '{1}'.",
    'Check the Exchange GUIDs for the source and target user, and retry identity mapping.', [COMPARE_GUIDS]),
  row(5, 'Synced identity lacks EmailAddresses',
    "'{0}' synced identity is missing required `EmailAddresses`. Could not verify mail user's `EmailAddresses`.",
    "The target mail user's `EmailAddresses` field has to include the source user's email address.", [SHOW_MAIL_USER_ADDRESSES]),
  row(6, 'Mail user lacks the source address', "Missing required `EmailAddresses`. Expected '{0}', found '{1}'.",
    "The target mail user's `EmailAddresses` has to include the source user's email address.", [SHOW_MAIL_USER_ADDRESSES]),
  row(7, 'Email addresses use domains that are not accepted',
    "'{0}' email addresses use domains that are not accepted in the organization. Please add the domain to organization accepted domains or remove it from mail user email addresses.",
    FOREIGN_DOMAINS, [SHOW_MAIL_USER_ADDRESSES, SHOW_ACCEPTED_DOMAINS]),
  row(8, 'Mail user not found to write the identity',
    "Couldn't find '{0}' mail user in Active Directory to write identity information of '{1}' identity.", MAIL_USER_NOT_FOUND),
  row(9, 'Mail user could not be updated', "Failed to update '{0}' mail user in Active Directory. Error: {1}", NOT_COMPLETED),
  row(10, 'Identity could not be marked as completed', "Failed to mark '{0}' identity as completed.", NOT_COMPLETED),
  row(11, 'Identities not yet written to mail users',
    'Found {0} identities that are still not written to mail users in Active Directory.', NOT_COMPLETED),
  hybridRow(12,
    "Skipped '{0}' mail user. User is synchronized from an on-premises directory. To successfully write identity information to this mail user, you need to follow the dedicated steps for Hybrid tenants.",
    "Users on hybrid tenants can't be identity mapped by using the standard procedures."),
  row(13, 'Identity of a mapping record not found', "Couldn't find '{0}' identity for a record of '{0}'=>'{1}'.", USER_NOT_FOUND),
  row(14, 'Mapping record has a wrong GUID', "The mapping record of '{0}'=>'{1}' has an incorrect GUID value.",
    "The user's Exchange GUID that's stamped on the target user isn't the same as the source user's Exchange GUID.", [COMPARE_GUIDS]),
  row(15, 'Mail user of a mapping record not found',
    "Couldn't find '{0}' mail user in Active Directory for record of '{1}'=>'{0}'.", USER_NOT_FOUND),
  row(16, 'Identities not yet mapped to mail users',
    'Found {0} identities that are still not mapped to mail users in Active Directory.',
    "The identity mapping couldn't be completed for this user. Retry the mapping."),
  row(17, 'Email addresses use domains that are not accepted',
    "'{0}' email addresses use domains that are not accepted in the organization. Please add the domain to organization accepted domains or remove it from mail user email addresses.",
    FOREIGN_DOMAINS, [SHOW_MAIL_USER_ADDRESSES, SHOW_ACCEPTED_DOMAINS]),
  row(18, 'User of a mapping record not found in Microsoft Graph',
    "Couldn't find '{0}' user in MS Graph for '{1}'=>'{0}'.", USER_NOT_FOUND),
  hybridRow(19,
    "The mail user '{0}' is synchronized from an on-premises directory. To successfully write identity information to this mail user, you have to follow the dedicated steps for hybrid tenants.",
    "Users on hybrid tenants can't be identity mapped through the standard procedures."),
  row(20, 'Identity of a mapping record could not be updated',
    "Failed to update identity for mapping record of '{0}'=>'{1}'.", NOT_COMPLETED),
  row(21, 'No mail user with the source address as ExternalEmailAddress',
    "Couldn't find a mail user with '{0}' `ExternalEmailAddress` in '{1}' tenant.",
    "Target mail users have to have the `ExternalEmailAddress` of the source user's email.", [SHOW_MAIL_USER_ADDRESSES]),
  row(22, 'Mapping record could not be added', "Failed to add '{0}'=>'{1}' mapping record to mapping collection.", NOT_COMPLETED),
  {
    ...row(23, 'Identity could not be delivered to SharePoint',
      'Failed to deliver identity to SPO. Please run `New-CtimMapRequest` again.',
      "The identity mapping couldn't be completed for this user because of an issue that affects the connection to SharePoint. Retry the map request."),
    action: 'Run identity mapping again.',
    fixes: [
      RUN_IDENTITY_MAPPING,
      {
        kind: 'adminCommand',
        shell: 'powershell',
        title: 'Run the identity map request again, with the parameters of the first run (PowerShell)',
        template: 'New-CtimMapRequest',
      },
      SEED_ARTICLE,
    ],
  },
];
