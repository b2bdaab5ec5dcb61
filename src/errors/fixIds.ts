// The ids that catalog fixes refer to. The extension implements one quick fix per plan-edit id
// and registers every command id; a test checks that the catalog uses no other ids.

/** Plan edits (FixAction kind 'planEdit'): id -> what the quick fix does. */
export const PLAN_EDIT_IDS = {
  addCsvColumn: 'add the missing column (or rename the unknown one) in the CSV header',
  addIdentityRule: 'add an identity-mapping rule (source -> target) for the user in the diagnostic',
  addMissingProperty: 'insert the missing required property with a placeholder value',
  createItemsFile: 'create the items CSV file with a `source,destination` header',
  makeBatchNameUnique: 'rename the batch to a name no other batch uses',
  makeItemsFilePathRelative: 'rewrite the items file path relative to the plan file',
  moveCompleteAfterToFuture: 'set `completeAfter` to a time in the future',
  moveSecretToStorage: 'store the plaintext value as a secret and replace it with a reference to it',
  pickExistingEndpoint: 'replace the endpoint reference with one of the endpoints defined in the plan',
  removeDuplicateIdentityRule: 'remove the duplicate or conflicting identity-mapping rule',
  removeDuplicateItem: 'remove the item that is already listed (in this or another batch)',
  removeEmptyBatch: 'remove the batch that has no items',
  removeItem: 'remove the item in the diagnostic',
  reindentKey: 'indent a key (and its value) one level in or out, to the map where it is a known property',
  removeUnusedEndpoint: 'remove the endpoint that no batch uses',
  renameSecretReference: 'replace invalid characters in the secret reference name',
  replaceWithAllowedValue: 'replace the value with one of the allowed values',
  replaceWithKnownProperty: 'rename the unknown property to the closest known one',
  setRecommendedConcurrency: 'set `maxConcurrentMigrations` to the recommended 5',
  setSupportedVersion: 'set the plan `version` to the version this Ferry reads',
  swapDateRange: 'swap `dateRange.from` and `dateRange.to`',
  swapSchedule: 'swap `startAfter` and `completeAfter`',
  useHttpsUrl: 'switch the Exchange endpoint URL from http:// to https://',
  useTlsSecurity: 'set the IMAP endpoint `security` to `tls`',
} as const;

export type PlanEditId = keyof typeof PLAN_EDIT_IDS;

/** Ferry commands that catalog fixes run (FixAction kind 'command'). */
export const FIX_COMMAND_IDS = ['ferry.newProject', 'ferry.retryErrors', 'ferry.stopBatch', 'ferry.setSecret', 'ferry.bulkAddItems'] as const;

export type FixCommandId = (typeof FIX_COMMAND_IDS)[number];

/**
 * Placeholders that admin-command templates use; resolveFixes() fills them from the plan.
 * Anything missing is shown as `<name>` for the operator to fill in.
 */
export const FIX_VARIABLES = {
  userPrincipalName: 'the source user (the item source address)',
  targetUserPrincipalName: 'the target user (the item destination address)',
  securityGroup: 'the mail-enabled security group that scopes the migration on the source tenant',
  organizationRelationship: 'the name of the Organization Relationship object',
  applicationId: 'the application (client) id of the migration app',
  appId: 'the application id named in the message',
  migrationEndpoint: 'the name of the Exchange migration endpoint',
  sourceTenantDomain: 'the source tenant domain, e.g. contoso.onmicrosoft.com',
  sourceTenantId: 'the source tenant id',
  targetTenantId: 'the target tenant id',
  tenantId: 'the tenant id named in the message',
  sourceCrossTenantHostUrl: 'the source tenant cross-tenant host URL (https://<tenant>-my.sharepoint.com)',
  targetCrossTenantHostUrl: 'the target tenant cross-tenant host URL (https://<tenant>-my.sharepoint.com)',
} as const;
