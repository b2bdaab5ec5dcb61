// Per-user results of a cross-tenant job as item statuses and catalog codes.
import * as assert from 'node:assert/strict';
import { catalogCode, taskOutcome } from '../../../src/orchestration/taskResults';

describe('orchestration: per-user results', () => {
  it('picks the catalog entry by message first: a Teams meeting IM-003 is MTG-IM-003', () => {
    const meeting = "Teams meeting migration for user ann@x.test failed. User ann@x.test from source tenant src isn't mapped to an identity in target tenant dst. Refer to documentation for identity mapping and retry migration.";
    assert.equal(catalogCode('IM-003', meeting), 'MTG-IM-003');
    assert.equal(catalogCode('IM-003', 'User migration failed. User ann is not mapped to an identity on tenant dst. User ann must be added to the identity mapping, and then you must re-run identity mapping with this user and then retry the migration.'), 'IM-003');
    assert.equal(catalogCode('EXCH-07', 'something new'), 'EXCH-07');
    assert.equal(catalogCode(undefined, 'No valid migration endpoints for the remote tenant.'), 'EXCH-07');
    assert.equal(catalogCode('XYZ-1', 'unknown'), 'XYZ-1');
  });

  it('maps task states to item statuses', () => {
    const task = (status: string, errors: { code: string; message: string }[] = []) => ({ id: 'a', currentStatus: [{ service: 'Exchange', status, errors }] });
    assert.equal(taskOutcome(task('completed'), 'migrate').status, 'Completed');
    assert.equal(taskOutcome(task('valid'), 'validate').status, 'Completed');
    assert.deepEqual(taskOutcome(task('invalid', [{ code: 'CTM-100', message: 'User migration validation failed. User identity mapping not found.' }]), 'migrate'), {
      status: 'NotValid',
      errors: [{ code: 'CTM-100', message: 'User migration validation failed. User identity mapping not found.', service: 'Exchange' }],
    });
    assert.equal(taskOutcome(task('failed'), 'migrate').status, 'Failed');
    assert.equal(taskOutcome(task('cancelled'), 'migrate').status, 'Stopped');
    assert.equal(taskOutcome(undefined, 'migrate').status, 'Failed');
  });
});
