// Seed 004, "Teams chat migration errors" (CTTM-).
import type { CatalogEntry, FixAction } from '../types';
import {
  ADD_IDENTITY_RULE,
  ADD_TO_SECURITY_GROUP,
  RETRY_ERRORS,
  RETRY_ERRORS_AFTER_FIX,
  RUN_IDENTITY_MAPPING,
  RUN_IDENTITY_MAPPING_TENANT_CONFIG,
  SEED_ARTICLE,
  SHOW_LICENSES,
  TEAMS_TENANT_CONFIG,
  TEAMS_TENANT_CONFIG_ACTION,
  USER_LICENSE_REQUIREMENTS,
  docs,
  learn,
} from './common';

const section = 'Teams chat migration errors';

const APP_ROLES = 'The Teams Migration app must have the appropriate app roles and service principals assigned.';
const IDENTITY_MAPPING_APP_ROLE =
  "The Cross-Tenant Teams Migration app wasn't given the appropriate Identity Mapping app role to call the Identity Mapping authorization API. The Teams Migration app must have the appropriate app roles and service principals assigned.";
const MAPPED_USERS =
  'The submitted users must be properly mapped through the identity mapping system. The mapping is checked both during the "Sync" validation state and before the user is migrated.';
const RUN_MAPPING_AGAIN = 'Run identity mapping again, then retry the migration.';

const COMMON_PARAMETERS = docs(
  'Common parameters for running migration',
  learn('/microsoft-365/enterprise/migration-orchestrator-5-running-migration#common-parameters'),
);

const SHOW_SERVICE_PRINCIPAL: FixAction = {
  kind: 'adminCommand',
  shell: 'graph',
  title: 'Check that the app has a service principal in the tenant (Microsoft Graph)',
  template: "GET https://graph.microsoft.com/v1.0/servicePrincipals(appId='{appId}')?$select=id,appId,displayName,accountEnabled",
};

const SHOW_APP_ROLE_ASSIGNMENTS: FixAction = {
  kind: 'adminCommand',
  shell: 'graph',
  title: "List the app's role assignments (Microsoft Graph)",
  template: "GET https://graph.microsoft.com/v1.0/servicePrincipals(appId='{appId}')/appRoleAssignments",
};

/** Rows whose fix is the Teams tenant configuration (app roles, service principals, provisioning). */
function configRow(
  code: string,
  title: string,
  message: string,
  description: string,
  extra: readonly FixAction[] = [],
): CatalogEntry {
  return {
    code,
    title,
    category: 'teamsChat',
    severity: 'error',
    message,
    description,
    action: TEAMS_TENANT_CONFIG_ACTION,
    fixes: [TEAMS_TENANT_CONFIG, ...extra, RETRY_ERRORS_AFTER_FIX, SEED_ARTICLE],
    source: 'seed-004',
    section,
  };
}

export const teamsChatErrors: readonly CatalogEntry[] = [
  {
    code: 'CTTM-001',
    title: 'Teams chat migration failed for the user',
    category: 'teamsChat',
    severity: 'error',
    retryable: true,
    message: 'Teams migration for user {0} failed. Correlation Id: {1}. Retry migration.',
    description:
      'If any issue affects the Teams chat migration, this error code appears one time for a user. The correlation ID can help the support team diagnose the issue.',
    action: 'Retry the migration for the user. If the issue occurs again, contact Microsoft Support.',
    fixes: [RETRY_ERRORS, SEED_ARTICLE],
    source: 'seed-004',
    section,
  },
  configRow(
    'CTTM-002',
    'Teams migration app not provisioned or not enabled',
    'Teams migration failed. App {0} in tenant {1} is not provisioned, or the app is provisioned but is not enabled. Please refer to tenant configuration documentation and retry migration.',
    'Without a correctly provisioned app on the source tenant, the migration for Teams chat fails.',
    [SHOW_SERVICE_PRINCIPAL],
  ),
  {
    code: 'CTTM-003',
    title: 'Teams user is not mapped to a target identity',
    category: 'teamsChat',
    severity: 'error',
    message:
      'Teams migration for user {0} failed. User {1} from source tenant {2} is not mapped to an identity in target tenant {3}. Refer to documentation for identity mapping and retry migration.',
    description: MAPPED_USERS,
    action: RUN_MAPPING_AGAIN,
    fixes: [ADD_IDENTITY_RULE, RUN_IDENTITY_MAPPING_TENANT_CONFIG, RETRY_ERRORS_AFTER_FIX, SEED_ARTICLE],
    source: 'seed-004',
    section,
  },
  configRow(
    'CTTM-004',
    'Teams migration app cannot check Teams licences',
    'Teams migration failed. The Cross-Tenant Teams Migration app in tenant {0} does not have the required app roles to check for Teams licenses for users. Refer to tenant configuration documentation and retry migration.',
    APP_ROLES,
    [SHOW_APP_ROLE_ASSIGNMENTS],
  ),
  {
    code: 'CTTM-005',
    title: 'User has no Teams licence',
    category: 'teamsChat',
    severity: 'error',
    message:
      'Teams migration failed. User {0} in tenant {1} does not have a Teams license. Assign a Teams license to the user and retry migration.',
    description: 'All migrating users must have licenses that provide Teams access on both the source and target tenants.',
    action: 'For more information, see user license requirements.',
    fixes: [USER_LICENSE_REQUIREMENTS, SHOW_LICENSES, RETRY_ERRORS_AFTER_FIX, SEED_ARTICLE],
    source: 'seed-004',
    section,
  },
  configRow(
    'CTTM-006',
    'Teams migration app lacks role assignments',
    // Seed typo fixed: "documentation retry migration" -> "documentation and retry migration".
    'Teams migration failed. App {0} in tenant {1} is missing all the necessary role assignments. Refer to tenant configuration documentation and retry migration.',
    APP_ROLES,
    [SHOW_APP_ROLE_ASSIGNMENTS],
  ),
  configRow(
    'CTTM-007',
    'Teams migration app cannot check app role assignments',
    "Teams migration failed. The Cross-Tenant Teams Migration app isn't properly configured to allow the service to check for appropriate app role assignments for app {0} in tenant {1}. Refer to tenant configuration documentation and retry migration.",
    APP_ROLES,
    [SHOW_APP_ROLE_ASSIGNMENTS],
  ),
  configRow(
    'CTTM-008',
    'Teams migration app cannot check service principals',
    "Teams migration failed. The Cross-Tenant Teams Migration app isn't properly configured to allow the service to check if there is a service principal provisioned for app {0} in tenant {1}. Refer to tenant configuration documentation and retry migration.",
    APP_ROLES,
    [SHOW_SERVICE_PRINCIPAL],
  ),
  {
    code: 'CTTM-009',
    title: 'Target user conflicts with the identity mapping',
    category: 'teamsChat',
    severity: 'error',
    message:
      'Teams migration for user {0} failed. There is a conflict in the target user provided by the migration service and the Identity Mapping service. Rerun identity mapping and retry migration',
    description: MAPPED_USERS,
    action: RUN_MAPPING_AGAIN,
    fixes: [RUN_IDENTITY_MAPPING_TENANT_CONFIG, RETRY_ERRORS_AFTER_FIX, SEED_ARTICLE],
    source: 'seed-004',
    section,
  },
  configRow(
    'CTTM-010',
    'Teams migration app is missing a role assignment',
    'Teams migration failed. App {0} in tenant {1} is missing the {2} role assignment. Refer to tenant configuration documentation and retry migration.',
    APP_ROLES,
    [SHOW_APP_ROLE_ASSIGNMENTS],
  ),
  configRow(
    'CTTM-011',
    'Teams migration app cannot check user authorization',
    "Teams migration failed. The Cross-Tenant Teams Migration app isn't properly configured to ensure authorization for user {0} in source tenant {1}. Refer to tenant configuration documentation and retry migration.",
    IDENTITY_MAPPING_APP_ROLE,
    [SHOW_APP_ROLE_ASSIGNMENTS],
  ),
  configRow(
    'CTTM-012',
    'Teams migration app cannot read authorization configuration',
    'Teams migration failed. The Cross-Tenant Teams Migration app is unable to read authorization configuration. Refer to tenant configuration documentation and retry migration.',
    IDENTITY_MAPPING_APP_ROLE,
    [SHOW_APP_ROLE_ASSIGNMENTS],
  ),
  {
    code: 'CTTM-013',
    title: 'User is not authorized to migrate to the target user',
    category: 'teamsChat',
    severity: 'error',
    message:
      "Teams migration failed. The user {0} from source tenant {1} isn't authorized to migrate to user {2} from target tenant {3}. Refer to documentation for identity mapping and retry migration.",
    description:
      'An unauthorized user must be added to the security group within the Scope field of the organization relationship or added to identity mapping.',
    action:
      "Add the user to the security group that's associated with the scope of the Organization Relationship. Run identity mapping again, and then retry the migration.",
    fixes: [ADD_TO_SECURITY_GROUP, RUN_IDENTITY_MAPPING, RETRY_ERRORS_AFTER_FIX, SEED_ARTICLE],
    source: 'seed-004',
    section,
  },
  {
    code: 'CTTM-014',
    title: 'Tenant does not exist',
    category: 'teamsChat',
    severity: 'error',
    message: 'Teams migration failed. The tenant {0} does not exist. Check the tenant Id and retry migration.',
    description: "If the tenant doesn't exist, it might have been mistyped on submission or configured incorrectly.",
    action: 'Review the common parameters that are used in the syntax of running migration.',
    fixes: [
      COMMON_PARAMETERS,
      {
        kind: 'adminCommand',
        shell: 'graph',
        title: 'Look the tenant id up (Microsoft Graph)',
        template: "GET https://graph.microsoft.com/v1.0/tenantRelationships/findTenantInformationByTenantId(tenantId='{tenantId}')",
      },
      SEED_ARTICLE,
    ],
    source: 'seed-004',
    section,
  },
  {
    code: 'CTTM-015',
    title: 'User does not exist in the tenant',
    category: 'teamsChat',
    severity: 'error',
    message:
      'Teams migration for user {0} failed. The user {0} in tenant {1} does not exist. Check the user Id and retry migration.',
    description: "If the user doesn't exist, the user ID that was submitted might be incorrect.",
    action: 'Review the common parameters that are used in the submission syntax for running the migration.',
    fixes: [
      COMMON_PARAMETERS,
      {
        kind: 'adminCommand',
        shell: 'graph',
        title: 'Look the user up (Microsoft Graph, in the tenant named in the message)',
        template: 'GET https://graph.microsoft.com/v1.0/users/{userPrincipalName}?$select=id,userPrincipalName,accountEnabled',
      },
      SEED_ARTICLE,
    ],
    source: 'seed-004',
    section,
  },
  {
    code: 'CTTM-016',
    title: 'Tenant failed a pre-migration validation step',
    category: 'teamsChat',
    severity: 'error',
    message:
      'Teams migration failed. The tenant failed a pre-migration validation step. Refer to tenant configuration documentation and retry validation.',
    description: 'All checks have to pass successfully before the user content can migrate.',
    action: 'To determine what failed, refer to the list of prevalidation checks.',
    fixes: [
      docs('List of prevalidation checks', learn('/microsoft-365/enterprise/migration-orchestrator-2-planning-prerequisites#prevalidation-checks')),
      SEED_ARTICLE,
    ],
    source: 'seed-004',
    section,
  },
  {
    code: 'CTTM-017',
    title: 'Some chat messages could not be imported',
    category: 'teamsChat',
    severity: 'warning',
    retryable: true,
    message: "Teams migration for user {0} completed with errors, {1} chat messages couldn't be imported. Correlation Id: {2}",
    description:
      "This error code indicates that some messages didn't migrate for the user {0}. The total number of messages that failed is {1}. Some messages don't migrate because the content type is unsupported. For example, Loop messages.",
    action: 'Determine whether you want to retry migration. If you do, you can resubmit migration for the user.',
    fixes: [RETRY_ERRORS, SEED_ARTICLE],
    source: 'seed-004',
    section,
  },
  {
    code: 'CTTM-018',
    title: 'User has no SIP address',
    category: 'teamsChat',
    severity: 'error',
    message:
      'Teams migration failed. The user {0} in tenant {1} does not have a SIP address. Refer to user configuration documentation for instructions on how to assign a SIP address and retry migration.',
    description:
      "This error code indicates that the user doesn't have a SIP domain assigned to it. A SIP domain is required for migration.",
    action: 'Assign a SIP address to the user. For more information, see user license requirements. Then, retry the migration.',
    fixes: [
      USER_LICENSE_REQUIREMENTS,
      {
        kind: 'adminCommand',
        shell: 'powershell',
        title: "Show the user's SIP address (Microsoft Teams PowerShell)",
        template: 'Get-CsOnlineUser -Identity "{userPrincipalName}" | fl SipAddress',
      },
      RETRY_ERRORS_AFTER_FIX,
      SEED_ARTICLE,
    ],
    source: 'seed-004',
    section,
  },
  configRow(
    'CTTM-019',
    'Teams migration app cannot check SIP addresses',
    "Teams migration failed. The Cross-Tenant Teams Migration app isn't properly configured to allow the service to check for the SIP address for user {0} in tenant {1}. Refer to tenant configuration documentation and retry migration.",
    APP_ROLES,
    [SHOW_APP_ROLE_ASSIGNMENTS],
  ),
];
