// Every row of seed 004 ("Resolve errors during orchestrated migration", Microsoft 365
// tenant-to-tenant migration), in seed order, one file per section under seed/.
import type { CatalogEntry } from './types';
import { apiErrors } from './seed/apiErrors';
import { ctmErrors } from './seed/ctmErrors';
import { exchErrors } from './seed/exchErrors';
import { generalErrors } from './seed/generalErrors';
import { identityMappingErrors } from './seed/identityMappingErrors';
import { oneDriveErrors } from './seed/oneDriveErrors';
import { teamsChatErrors } from './seed/teamsChatErrors';
import { teamsMeetingErrors } from './seed/teamsMeetingErrors';

export { SEED_SECTIONS } from './seed/common';
export type { SeedSection } from './seed/common';

export const seedEntries: readonly CatalogEntry[] = [
  ...apiErrors,
  ...generalErrors,
  ...ctmErrors,
  ...exchErrors,
  ...teamsChatErrors,
  ...teamsMeetingErrors,
  ...oneDriveErrors,
  ...identityMappingErrors,
];
