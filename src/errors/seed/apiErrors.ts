// Seed 004, "Errors from incorrect API calls": the Graph cross-tenant migration API rejects a
// request. The code of each entry is the most specific code the response carries.
import type { CatalogEntry } from '../types';
import { SEED_ARTICLE, STOP_BATCH } from './common';

const section = 'Errors from incorrect API calls';

export const apiErrors: readonly CatalogEntry[] = [
  {
    code: 'resourceTypeMismatch',
    aliases: ['HTTP-409'],
    seedCode: 'HTTP 409 Conflict',
    title: 'Batch cannot be deleted before it reaches a final state',
    category: 'api',
    severity: 'error',
    httpStatus: 409,
    apiError: { code: 'Conflict' },
    message: 'Cross Tenant Migration Job {0} must be in final state (Completed, Failed, or Cancelled) before it can be deleted.',
    description:
      "Currently, the job can't be deleted because it's not in a terminal state. The job must be in a Failed, Canceled, or Completed state before it can be deleted.",
    action: 'Cancel the job, or wait for it to reach a Failed or Completed state. Then, retry the delete request.',
    fixes: [STOP_BATCH, SEED_ARTICLE],
    source: 'seed-004',
    section,
  },
  {
    code: 'duplicateDisplayNameJob',
    planMessage: 'Batch name "{0}" is used by another batch too. Each batch needs its own name: the Ferry view, reports and --batch tell batches apart by name.',
    planHelp: {
      description: 'Two batches with one name cannot be told apart: the Ferry view would show one under the other name, and `ferry run --batch`, `ferry complete` and the schedule would act on the first only.',
      action: 'Rename one of the batches (the quick fix suggests a free name).',
    },
    seedCode: 'HTTP 422 Unprocessable Entity',
    title: 'Batch name already used',
    category: 'api',
    severity: 'error',
    httpStatus: 422,
    apiError: { code: 'BadArgument', target: 'displayName' },
    message: '`displayName` already exists. Please provide a unique job `displayName`.',
    description: 'Each newly submitted batch (validation or migration) must have a unique batch name.',
    action: 'Resubmit the batch by using a unique batch name.',
    fixes: [{ kind: 'planEdit', id: 'makeBatchNameUnique', title: 'Make the batch name unique' }, SEED_ARTICLE],
    source: 'seed-004',
    section,
  },
  {
    code: 'minThresholdFailed',
    planMessage: 'completeAfter {0} of orchestrated batch "{1}" has passed: Microsoft\'s migration service only accepts a completion time in the future.',
    planHelp: {
      description: 'An orchestrated batch hands its completion time to Microsoft\'s migration service, which refuses one that has passed.',
      action: 'Move completeAfter to a time in the future (the quick fix does), or remove it and complete the batch by hand.',
    },
    seedCode: 'HTTP 422 Unprocessable Entity',
    title: 'Completion time is in the past',
    category: 'api',
    severity: 'error',
    httpStatus: 422,
    apiError: { code: 'BadArgument', target: 'completeAfterDateTime' },
    message: '`completeAfterDateTime` must be greater than the current time.',
    description: 'The `completeAfterDateTime` value is in the past. It should be in the future.',
    action: 'Resubmit the request to update `completeAfterDateTime` to a future date.',
    fixes: [{ kind: 'planEdit', id: 'moveCompleteAfterToFuture', title: 'Move completeAfter to a future date' }, SEED_ARTICLE],
    source: 'seed-004',
    section,
  },
];
