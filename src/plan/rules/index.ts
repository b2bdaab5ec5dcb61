// Every semantic rule, in the order they run.
import type { Rule } from './ruleContext';
import { uniqueBatchNames } from './batchNames';
import { supportedVersion } from './version';
import { batchSchedules, dateRange } from './schedules';
import { validAddresses } from './addresses';
import { derivableDestinations, destinations, uniqueSources } from './items';
import { endpointReferencesExist, endpointSettings, unusedEndpoints } from './endpoints';
import { noPlaintextSecrets } from './secrets';
import { folderPatterns } from './folderPatterns';
import { concurrency, itemSizeLimit, orchestratedBatches } from './options';
import { identityRules } from './identityRules';
import { itemsFiles } from './itemsFiles';
import { notificationTemplates } from './notifications';

export const allRules: readonly Rule[] = [
  supportedVersion,
  uniqueBatchNames,
  batchSchedules,
  itemsFiles,
  validAddresses,
  uniqueSources,
  destinations,
  derivableDestinations,
  endpointReferencesExist,
  unusedEndpoints,
  endpointSettings,
  noPlaintextSecrets,
  folderPatterns,
  dateRange,
  concurrency,
  itemSizeLimit,
  orchestratedBatches,
  identityRules,
  notificationTemplates,
];
