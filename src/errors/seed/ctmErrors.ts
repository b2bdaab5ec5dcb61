// Seed 004, "Cross-tenant migration service errors" (CTM-): validation of a user in a batch.
import type { CatalogEntry, FixAction } from '../types';
import { ADD_IDENTITY_RULE, RETRY_ERRORS, RUN_IDENTITY_MAPPING, SEED_ARTICLE, docs, learn } from './common';

const section = 'Cross-tenant migration service errors';

const REMOVE_DUPLICATE_ITEM: FixAction = { kind: 'planEdit', id: 'removeDuplicateItem', title: 'Remove the duplicate item' };

const TENANT_CONFIGURATION = docs(
  'Tenant configuration',
  learn('/microsoft-365/enterprise/migration-orchestrator-3-tenant-config'),
);

export const ctmErrors: readonly CatalogEntry[] = [
  {
    code: 'CTM-001',
    planMessage: '{0} is already an item of batch "{1}" ({2}). A mailbox can be in a batch only once.',
    planHelp: { description: 'A mailbox listed twice in one batch would be copied twice into the same destination.', action: 'Remove one of the two entries (the quick fix removes this one).' },
    title: 'User is already in this batch',
    category: 'crossTenant',
    severity: 'error',
    message: 'User migration validation failed. User is already a part of same batch.',
    // The seed's description repeats CTM-002's message; kept as published.
    description: 'User migration validation failed. User is already a part of another batch {0}',
    action: 'No action required. User is already a part of the batch.',
    fixes: [REMOVE_DUPLICATE_ITEM, SEED_ARTICLE],
    source: 'seed-004',
    section,
  },
  {
    code: 'CTM-002',
    planMessage: '{1} is already an item of batch "{0}". A mailbox can be part of only one batch.',
    planHelp: { description: 'A mailbox in two batches would be migrated, completed and reported twice, by two schedules.', action: 'Remove the mailbox from one of the batches (the quick fix removes this entry).' },
    title: 'User is already in another running batch',
    category: 'crossTenant',
    severity: 'error',
    message: 'User migration validation failed. User is already a part of another batch {0}',
    description: "The user was submitted in another batch that's currently running.",
    action: 'No action required. User is already a part of a batch.',
    fixes: [REMOVE_DUPLICATE_ITEM, SEED_ARTICLE],
    source: 'seed-004',
    section,
  },
  {
    code: 'CTM-100',
    title: 'No identity mapping for the user',
    category: 'crossTenant',
    severity: 'error',
    message: 'User migration validation failed. User identity mapping not found.',
    description: 'Identity mapping not found for the user.',
    action: 'Rerun identity mapping for the user.',
    fixes: [ADD_IDENTITY_RULE, RUN_IDENTITY_MAPPING, SEED_ARTICLE],
    source: 'seed-004',
    section,
  },
  {
    code: 'CTM-101',
    title: 'Identity mapping of the user is not completed',
    category: 'crossTenant',
    severity: 'error',
    message:
      'User migration validation failed. User identity mapping not in completed state. Mapping state is {0}. Refer to identity mapping documentation to complete the process or fix the errors.',
    description: "Identity mapping is found, but isn't in a completed state. It could be in mapped state.",
    action: 'Either wait for identity mapping to finish or run the complete identity mapping steps.',
    fixes: [RUN_IDENTITY_MAPPING, SEED_ARTICLE],
    source: 'seed-004',
    section,
  },
  {
    code: 'CTM-102',
    title: 'Service busy, user not validated',
    category: 'crossTenant',
    severity: 'error',
    retryable: true,
    message:
      'Service is experiencing a high volume of requests and we are unable to validate the user at this time. Please resubmit the user as part of a different batch after some time.',
    description:
      "The service is experiencing a high volume of requests and can't validate the user at this time. Resubmit the user as part of a different batch after some time.",
    action: 'Retry the migration.',
    fixes: [RETRY_ERRORS, SEED_ARTICLE],
    source: 'seed-004',
    section,
  },
  {
    code: 'CTM-103',
    title: 'Internal server error during user validation',
    category: 'crossTenant',
    severity: 'error',
    retryable: true,
    message:
      'An internal server error occurred during the validation of the user. Please resubmit the user as part of a different batch or contact support if the issue persists.',
    description: 'An internal server error occurred during user validation.',
    action: 'Retry the migration.',
    fixes: [RETRY_ERRORS, SEED_ARTICLE],
    source: 'seed-004',
    section,
  },
  {
    code: 'CTM-104',
    title: 'CTMS app not provisioned or not enabled',
    category: 'crossTenant',
    severity: 'error',
    message:
      'User migration failed. The CTMS App in tenant is not provisioned, or the app is provisioned but is not enabled. Please refer to tenant configuration documentation and retry migration.',
    description: 'The CTMS app setup is not correct.',
    action: 'Refer to tenant configuration documentation and retry migration.',
    fixes: [TENANT_CONFIGURATION, RETRY_ERRORS, SEED_ARTICLE],
    source: 'seed-004',
    section,
  },
];
