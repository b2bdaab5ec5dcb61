// Shared pieces of the seed-004 entries: section headings, documentation links and the fixes
// that many rows have in common.
import type { CatalogCategory, FixAction } from '../types';

/** The seed's section headings (`## ...`) and the category each maps to. */
export const SEED_SECTIONS = {
  'Errors from incorrect API calls': 'api',
  'General errors': 'general',
  'Cross-tenant migration service errors': 'crossTenant',
  'Exchange mailbox migration errors': 'exchange',
  'Teams chat migration errors': 'teamsChat',
  'Teams meeting migration errors': 'teamsMeeting',
  'OneDrive errors': 'oneDrive',
  'Identity mapping errors': 'identityMapping',
} as const satisfies Record<string, CatalogCategory>;

export type SeedSection = keyof typeof SEED_SECTIONS;

/** Turns a seed link path (`/microsoft-365/...`) into an absolute Microsoft Learn address. */
export function learn(path: string): string {
  return `https://learn.microsoft.com${path}`;
}

export function docs(title: string, url: string): FixAction {
  return { kind: 'docs', title, url };
}

/** The seed article itself, for rows that carry no link of their own. */
export const SEED_ARTICLE = docs(
  'Resolve errors during orchestrated migration',
  'https://learn.microsoft.com/troubleshoot/microsoft-365/admin/orchestrated-migration/resolve-orchestrated-migration-errors',
);

export const TEAMS_TENANT_CONFIG = docs(
  'Tenant configuration for Teams',
  learn('/microsoft-365/enterprise/migration-orchestrator-3-tenant-config#prepare-both-tenants-for-teams-chat-and-meeting-migration'),
);

/** Identity mapping, as linked from the Teams chat rows (tenant configuration article). */
export const RUN_IDENTITY_MAPPING_TENANT_CONFIG = docs(
  'Run identity mapping',
  learn('/microsoft-365/enterprise/migration-orchestrator-3-tenant-config#prepare-both-tenants-for-identity-mapping'),
);

/** Identity mapping, as linked from the Teams meeting and identity mapping rows (user preparation article). */
export const RUN_IDENTITY_MAPPING = docs(
  'Run identity mapping',
  learn('/microsoft-365/enterprise/migration-orchestrator-4-user-prep#run-identity-mapping'),
);

export const USER_LICENSE_REQUIREMENTS = docs(
  'User license requirements',
  learn('/microsoft-365/enterprise/migration-orchestrator-4-user-prep#user-license-requirements'),
);

export const USER_CONFIGURATION_STEPS = docs(
  'User configuration steps',
  learn('/microsoft-365/enterprise/migration-orchestrator-4-user-prep'),
);

export const MAILUSER_EXAMPLES = docs(
  'MailUser object examples',
  learn('/microsoft-365/enterprise/cross-tenant-identity-mapping#mailuser-object-examples'),
);

export const HYBRID_IDENTITY_MAPPING = docs(
  'Hybrid tenant identity mapping steps',
  learn('/microsoft-365/enterprise/cross-tenant-identity-mapping#for-hybrid-dirsynced-mailuser-objects'),
);

export const CROSS_TENANT_MAILBOX_VALIDATION = docs(
  'Cross Tenant Mailbox Migration Validation script',
  'https://microsoft.github.io/CSS-Exchange/Admin/CrossTenantMailboxMigrationValidation/',
);

export const ONEDRIVE_CROSS_TENANT = docs(
  'Cross-tenant OneDrive migration',
  learn('/microsoft-365/enterprise/cross-tenant-onedrive-migration'),
);

export const RETRY_ERRORS: FixAction = { kind: 'command', command: 'ferry.retryErrors', title: 'Retry the failed items' };

export const STOP_BATCH: FixAction = { kind: 'command', command: 'ferry.stopBatch', title: 'Stop (cancel) the batch' };

export const ADD_IDENTITY_RULE: FixAction = { kind: 'planEdit', id: 'addIdentityRule', title: 'Add an identity-mapping rule for this user' };

export const SHOW_ORGANIZATION_RELATIONSHIP: FixAction = {
  kind: 'adminCommand',
  shell: 'powershell',
  title: 'Show the Organization Relationship (Exchange Online PowerShell)',
  template: 'Get-OrganizationRelationship | fl',
};

export const SET_ORGANIZATION_RELATIONSHIP_TARGET: FixAction = {
  kind: 'adminCommand',
  shell: 'powershell',
  title: 'Allow inbound moves on the target tenant (Exchange Online PowerShell)',
  template:
    'Set-OrganizationRelationship "{organizationRelationship}" -Enabled:$true -MailboxMoveEnabled:$true -MailboxMoveCapability Inbound',
};

export const SET_ORGANIZATION_RELATIONSHIP_SOURCE: FixAction = {
  kind: 'adminCommand',
  shell: 'powershell',
  title: 'Allow outbound moves on the source tenant, scoped to the security group (Exchange Online PowerShell)',
  template:
    'Set-OrganizationRelationship "{organizationRelationship}" -Enabled:$true -MailboxMoveEnabled:$true -MailboxMoveCapability RemoteOutbound -OAuthApplicationId "{applicationId}" -MailboxMovePublishedScopes "{securityGroup}"',
};

export const SHOW_MIGRATION_ENDPOINTS: FixAction = {
  kind: 'adminCommand',
  shell: 'powershell',
  title: 'List the migration endpoints of the target tenant (Exchange Online PowerShell)',
  template: 'Get-MigrationEndpoint | fl Identity,RemoteServer,RemoteTenant,ApplicationId',
};

export const NEW_CROSS_TENANT_ENDPOINT: FixAction = {
  kind: 'adminCommand',
  shell: 'powershell',
  title: 'Create a tenant-to-tenant migration endpoint on the target tenant (Exchange Online PowerShell)',
  template:
    'New-MigrationEndpoint -RemoteServer outlook.office.com -RemoteTenant "{sourceTenantDomain}" -Credentials (Get-Credential -UserName "{applicationId}") -ExchangeRemoteMove:$true -Name "{migrationEndpoint}" -ApplicationId "{applicationId}"',
};

export const ADD_TO_SECURITY_GROUP: FixAction = {
  kind: 'adminCommand',
  shell: 'powershell',
  title: 'Add the user to the migration security group on the source tenant (Exchange Online PowerShell)',
  template: 'Add-DistributionGroupMember -Identity "{securityGroup}" -Member "{userPrincipalName}"',
};

/** Action text of most Teams rows, link reduced to its text. */
export const TEAMS_TENANT_CONFIG_ACTION = 'Go to the tenant configuration for Teams in the source or target.';

export const SHOW_LICENSES: FixAction = {
  kind: 'adminCommand',
  shell: 'graph',
  title: "Show the user's licences (Microsoft Graph, in the tenant named in the message)",
  template: 'GET https://graph.microsoft.com/v1.0/users/{userPrincipalName}/licenseDetails',
};

export const RETRY_ERRORS_AFTER_FIX: FixAction = {
  kind: 'command',
  command: 'ferry.retryErrors',
  title: 'Retry the failed items (after fixing the cause)',
};
