// Seed 004, "General errors": identity mapping and authorization of the tenant pair.
import type { CatalogEntry } from '../types';
import {
  ADD_IDENTITY_RULE,
  ADD_TO_SECURITY_GROUP,
  RETRY_ERRORS,
  RUN_IDENTITY_MAPPING,
  SEED_ARTICLE,
  SET_ORGANIZATION_RELATIONSHIP_SOURCE,
  SET_ORGANIZATION_RELATIONSHIP_TARGET,
  SHOW_ORGANIZATION_RELATIONSHIP,
} from './common';

const section = 'General errors';

export const generalErrors: readonly CatalogEntry[] = [
  {
    code: 'IM-003',
    planMessage: 'No destination for {0}: the item names none and no identity-mapping rule matches it (destination {1}). Add a destination or an identity-mapping rule.',
    planHelp: { description: 'Ferry derives a destination address from `identityMapping` (pairs, then domain rules) when an item names none.', action: 'Write the item\'s destination, or add an identity-mapping rule for its domain (the quick fix adds one).' },
    title: 'User is not in the identity mapping',
    category: 'general',
    severity: 'error',
    message:
      'User migration failed. User {0} is not mapped to an identity on tenant {1}. User {0} must be added to the identity mapping, and then you must re-run identity mapping with this user and then retry the migration.',
    description: 'Admins have to add the user to the identity mapping system.',
    action: 'Add the user to identity mapping, and map them.',
    fixes: [ADD_IDENTITY_RULE, RUN_IDENTITY_MAPPING, SEED_ARTICLE],
    source: 'seed-004',
    section,
  },
  {
    code: 'MIGR-001',
    title: 'Tenants are not authorized to migrate',
    category: 'general',
    severity: 'error',
    message: 'Tenant authorization error. The tenants are not configured to support migration.',
    description: "The Organization Relationship isn't configured correctly.",
    action: 'Correct the Organization Relationship to authorize migration.',
    fixes: [
      SHOW_ORGANIZATION_RELATIONSHIP,
      SET_ORGANIZATION_RELATIONSHIP_SOURCE,
      SET_ORGANIZATION_RELATIONSHIP_TARGET,
      SEED_ARTICLE,
    ],
    source: 'seed-004',
    section,
  },
  {
    code: 'MIGR-002',
    title: 'User is not authorized to migrate',
    category: 'general',
    severity: 'error',
    message:
      'User migration failed. User {0} is not authorized to migrate. To authorize {0}, add them to security group {1} and then retry the migration.',
    description: 'Admins have to authorize a user for a migration. The user must be a member of the security group.',
    action: 'Add the user to the security group on the source tenant.',
    fixes: [ADD_TO_SECURITY_GROUP, RETRY_ERRORS, SEED_ARTICLE],
    source: 'seed-004',
    section,
  },
  {
    code: 'MIGR-003',
    title: 'User migration failed, retry',
    category: 'general',
    severity: 'error',
    retryable: true,
    message: 'User {0} migration failed. Please retry user migration.',
    description: "A user's migration failed, and the admin must retry it.",
    action: 'Retry the migration.',
    fixes: [RETRY_ERRORS, SEED_ARTICLE],
    source: 'seed-004',
    section,
  },
  {
    code: 'MIGR-004',
    title: 'Organization Relationship or security group membership is wrong',
    category: 'general',
    severity: 'error',
    message:
      "Authorization error. Either one or both of the tenant Organization Relationships isn't configured correctly, or the user isn't a member of the authorized security group.",
    description:
      "Either the Organization Relationships aren't configured correctly, or the user isn't a member of the security group that authorizes the user's data to be moved.",
    action: 'Either edit the Organization Relationship or add the user to the security group, or do both.',
    fixes: [
      SHOW_ORGANIZATION_RELATIONSHIP,
      SET_ORGANIZATION_RELATIONSHIP_SOURCE,
      SET_ORGANIZATION_RELATIONSHIP_TARGET,
      ADD_TO_SECURITY_GROUP,
      SEED_ARTICLE,
    ],
    source: 'seed-004',
    section,
  },
];
