// Seed 004, "Teams meeting migration errors" (MMS-, TMS- and meeting variants of IM-/MIGR-).
// Rows printed as a code pair ("MMS-001/002") become one entry per code; rows whose code the
// seed reuses from another section (IM-003, MIGR-001, MIGR-003) get an `MTG-` prefix and keep
// the printed code in `seedCode`.
import type { CatalogEntry, FixAction } from '../types';
import {
  ADD_IDENTITY_RULE,
  RETRY_ERRORS,
  RETRY_ERRORS_AFTER_FIX,
  RUN_IDENTITY_MAPPING,
  SEED_ARTICLE,
  SHOW_LICENSES,
  TEAMS_TENANT_CONFIG,
  TEAMS_TENANT_CONFIG_ACTION,
  USER_LICENSE_REQUIREMENTS,
} from './common';

const section = 'Teams meeting migration errors';

type Row = Omit<CatalogEntry, 'category' | 'source' | 'section'>;

function row(r: Row): CatalogEntry {
  return { ...r, category: 'teamsMeeting', source: 'seed-004', section };
}

/** A row the seed prints under two codes ("MMS-001/002"): one entry per code, same text. */
function pair(codes: readonly [string, string], r: Omit<Row, 'code' | 'seedCode'>): CatalogEntry[] {
  const seedCode = `${codes[0]}/${codes[1].replace(/^[A-Z]+-/, '')}`;
  return codes.map((code) => row({ ...r, code, seedCode }));
}

const TENANT_CONFIG_FIXES: readonly FixAction[] = [TEAMS_TENANT_CONFIG, RETRY_ERRORS_AFTER_FIX, SEED_ARTICLE];

export const teamsMeetingErrors: readonly CatalogEntry[] = [
  row({
    code: 'MTG-IM-003',
    seedCode: 'IM-003',
    title: 'Meeting organizer is not mapped to a target identity',
    severity: 'error',
    // Placeholders as published: the seed skips {1}.
    message:
      "Teams meeting migration for user {0} failed. User {0} from source tenant {2} isn't mapped to an identity in target tenant {3}. Refer to documentation for identity mapping and retry migration.",
    description:
      'The submitted users must be properly mapped through the identity mapping system. The mapping is checked both during the "Sync" validation state and before the user is migrated.',
    action: 'Run identity mapping again, and then retry the migration.',
    fixes: [ADD_IDENTITY_RULE, RUN_IDENTITY_MAPPING, RETRY_ERRORS_AFTER_FIX, SEED_ARTICLE],
  }),
  ...pair(['MMS-001', 'MMS-002'], {
    title: 'Meeting migration app not provisioned or not enabled',
    severity: 'error',
    message:
      "Teams Meeting migration failed. The MMS App {0} in tenant {1} isn't provisioned, or the app is provisioned but isn't enabled. Please refer to tenant configuration documentation and retry migration.",
    description: 'Without a correctly provisioned app on the source tenant, the Teams meeting migration fails.',
    action: TEAMS_TENANT_CONFIG_ACTION,
    fixes: TENANT_CONFIG_FIXES,
  }),
  row({
    code: 'MTG-MIGR-001',
    seedCode: 'MIGR-001',
    title: 'Tenants are not authorized for meeting migration',
    severity: 'error',
    message:
      'Teams Meeting migration failed. The tenants are not configured to support migration. Refer to tenant configuration documentation and retry migration.',
    description: "The Teams Meeting Migration app isn't authorized for migration data.",
    action: TEAMS_TENANT_CONFIG_ACTION,
    fixes: TENANT_CONFIG_FIXES,
  }),
  row({
    code: 'MTG-MIGR-003',
    seedCode: 'MIGR-003',
    title: 'Meeting migration failed for the user, retry',
    severity: 'error',
    retryable: true,
    message: 'Teams Meeting migration for user {0} failed. Retry migration.',
    description: 'If any issue affects the Teams meeting migration, this error code appears one time for a user.',
    action: 'Retry migration for the user.',
    fixes: [RETRY_ERRORS, SEED_ARTICLE],
  }),
  row({
    code: 'MMS-003',
    title: 'Meeting migration app lacks RBAC roles for calendars',
    severity: 'error',
    message:
      'Teams Meeting migration failed. MMS app in tenant {0} is missing the required RBAC roles to access the calendar. Refer to tenant configuration documentation and retry migration.',
    description: 'The Teams Meeting Migration app must have the appropriate app roles and service principals assigned.',
    action: TEAMS_TENANT_CONFIG_ACTION,
    fixes: TENANT_CONFIG_FIXES,
  }),
  row({
    code: 'MMS-004',
    title: 'Meeting migration for the user is already in progress',
    severity: 'error',
    message: 'Teams Meeting migration failed for user {0}. Migration for user {0} is already in progress.',
    description: "If a user migration is already in progress, the user won't migrate a second time.",
    action: 'No action required.',
    fixes: [{ kind: 'planEdit', id: 'removeDuplicateItem', title: 'Remove the duplicate item' }, SEED_ARTICLE],
  }),
  ...pair(['MMS-005', 'MMS-006'], {
    title: 'Automatic forwarding is not on in the outbound spam filter policy',
    severity: 'error',
    // Placeholders as published: the seed names the tenant {1}.
    message:
      'Teams Meeting migration failed. Tenant {1} does not have `AutoforwardingMode` set to On in Default Exchange Outbound Spam Filter Policy. Refer to tenant configuration documentation and retry migration.',
    description: '`AutoforwardingMode` is required in order for the migration to work.',
    action: TEAMS_TENANT_CONFIG_ACTION,
    fixes: [
      {
        kind: 'adminCommand',
        shell: 'powershell',
        title: 'Turn automatic forwarding on in the default outbound spam filter policy (Exchange Online PowerShell)',
        template: 'Set-HostedOutboundSpamFilterPolicy -Identity Default -AutoForwardingMode On',
      },
      ...TENANT_CONFIG_FIXES,
    ],
  }),
  row({
    code: 'MMS-007',
    title: 'User has no Exchange Online plan',
    severity: 'error',
    message:
      'Teams Meeting migration failed for user {0}. User {0} in tenant {1} does not have an active Exchange Online Plan. Assign an Exchange Online Plan to the user and retry migration.',
    description: 'All migrating users must have licenses that provide Exchange Online access on both the source and target tenants.',
    action: 'For more information, see user license requirements.',
    fixes: [USER_LICENSE_REQUIREMENTS, SHOW_LICENSES, RETRY_ERRORS_AFTER_FIX, SEED_ARTICLE],
  }),
  ...pair(['MMS-008', 'MMS-009'], {
    title: 'Meeting migration app lacks app role assignments',
    severity: 'error',
    message:
      'Teams Meeting migration failed. The MMS App on tenant {0} is missing the required app role assignments. Refer to tenant configuration documentation and retry migration.',
    description: 'The Teams Meeting Migration app (service principals) must have the appropriate app roles assigned.',
    action: TEAMS_TENANT_CONFIG_ACTION,
    fixes: TENANT_CONFIG_FIXES,
  }),
  row({
    code: 'MMS-010',
    title: 'Meeting migration past cutover cannot be cancelled',
    severity: 'warning',
    message: 'Teams Meeting migration for user {0} is already in progress and cannot be cancelled.',
    description:
      "If a user migration is already in progress past the point of the Exchange cutover, the job can't be canceled.",
    action: 'No action required. Migration finishes.',
    fixes: [SEED_ARTICLE],
  }),
  row({
    code: 'MMS-011',
    title: 'User has no target mailbox yet',
    severity: 'error',
    retryable: true,
    message: 'Teams Meeting migration failed for user {0}. The user does not have a target mailbox. Retry migration.',
    description: "If the user's mailbox migration isn't completed, meetings can't be migrated.",
    action: 'Retry the migration for the user.',
    fixes: [RETRY_ERRORS, SEED_ARTICLE],
  }),
  ...pair(['MMS-012', 'MMS-013'], {
    title: 'Meeting migration app lacks the Exchange Administrator role',
    severity: 'error',
    message:
      'Teams Meeting migration failed. The MMS App {0} in target or source tenant {1} does not have the Exchange Administrator directory role assigned. Please assign the role and retry migration.',
    description: 'The Teams Meeting Migration app (service principals) must have the appropriate directory roles assigned.',
    action: TEAMS_TENANT_CONFIG_ACTION,
    fixes: TENANT_CONFIG_FIXES,
  }),
  row({
    code: 'TMS-003',
    title: 'Meeting organizer has no Teams licence',
    severity: 'error',
    message:
      'Teams Meeting migration failed for user {0}. User {0} in tenant {1} does not have a Teams license. Assign a Teams license to the user and retry migration.',
    description: 'All migrating users must have licenses that provide Teams access to both the source and target tenants.',
    action: 'For more information, see user license requirements.',
    fixes: [USER_LICENSE_REQUIREMENTS, SHOW_LICENSES, RETRY_ERRORS_AFTER_FIX, SEED_ARTICLE],
  }),
];
