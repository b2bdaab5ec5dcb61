import * as assert from 'node:assert/strict';
import { batchCapabilities, itemCapabilities, projectCapabilities } from '../../../src/views/capabilities';
import type { BatchStatus } from '../../../src/engine/statuses';
import { planOutline } from '../../../src/views/planOutline';
import { projectView } from '../../../src/views/projectView';
import { blockPlan, item, planFile, snapshot } from './outlineFixtures';

function viewWith(status: BatchStatus | undefined) {
  const snap = status ? snapshot([item('ann@contoso.example', 'Completed'), item('bob@contoso.example', 'ConfirmationRequired')]) : undefined;
  if (snap && status) snap.status!.batches[0].batch.status = status;
  return projectView(planFile, planOutline(planFile, blockPlan), snap, undefined);
}

describe('extension: what a node offers (contextValue words)', () => {
  const idle = { running: false, canResume: false };
  const cases: [BatchStatus | undefined, string][] = [
    [undefined, 'canStart canAddItems'],
    ['Created', 'canStart canDelete canApprove canAddItems'],
    ['Synced', 'canStart canComplete canDelete canApprove canAddItems'],
    ['SyncedWithErrors', 'canStart canComplete canDelete canApprove canAddItems'],
    ['Completed', 'canDelete canAddItems'],
    ['Failed', 'canStart canDelete canApprove canAddItems'],
    ['Completing', 'canAddItems'],
  ];
  for (const [status, expected] of cases) {
    it(`a batch that is ${status ?? 'not run yet'}: ${expected}`, () => {
      const pilot = viewWith(status).batches[0];
      assert.equal(batchCapabilities(pilot, idle).join(' '), expected);
    });
  }

  it('while a pass runs, only stop (and approving while Syncing)', () => {
    const pilot = viewWith('Syncing').batches[0];
    assert.equal(batchCapabilities(pilot, { running: true, canResume: false }).join(' '), 'canStop canApprove canAddItems');
    assert.equal(itemCapabilities(pilot.items[1], pilot, { running: true, canResume: false }).join(' '), 'canStop canApprove');
  });

  it('items and projects', () => {
    const view = viewWith('SyncedWithErrors');
    const pilot = view.batches[0];
    assert.equal(itemCapabilities(pilot.items[0], pilot, idle).join(' '), 'canStart canRemove');
    assert.equal(projectCapabilities(view, { running: false, canResume: true }).join(' '), 'canStart canResume hasState canAddItems');
    assert.equal(projectCapabilities(view, { running: true, canResume: true }).join(' '), 'canStop hasState canAddItems');
  });
});

describe('extension: Retry errors only where it runs (issue 14)', () => {
  const idle = { running: false, canResume: false };
  const view = (items: ReturnType<typeof item>[]) => projectView(planFile, planOutline(planFile, blockPlan), snapshot(items), undefined);

  it('a mailbox that failed as a whole offers its full pass, not Retry errors (the engine would refuse with ENG-001)', () => {
    const v = view([item('ann@contoso.example', 'Completed'), item('bob@contoso.example', 'NotValid', { errors: 1, syncState: 'Failed', lastErrorCode: 'MAILDIR-NOT-FOUND' })]);
    const pilot = v.batches[0];
    assert.equal(itemCapabilities(pilot.items[1], pilot, idle).join(' '), 'canStart canRunAgain canRemove');
    assert.ok(!batchCapabilities(pilot, idle).includes('canRetry'));
    assert.ok(!projectCapabilities(v, idle).includes('canRetry'));
  });

  it('a mailbox whose pass ran to its end with failed items offers Retry errors, and so do its batch and project', () => {
    const v = view([item('ann@contoso.example', 'FinishedWithErrors', { errors: 2, retryable: 2 }), item('bob@contoso.example', 'Completed')]);
    const pilot = v.batches[0];
    assert.equal(itemCapabilities(pilot.items[0], pilot, idle).join(' '), 'canStart canRetry canRemove');
    assert.ok(batchCapabilities(pilot, idle).includes('canRetry'));
    assert.ok(projectCapabilities(v, idle).includes('canRetry'));
  });

  it('errors of the whole mailbox alone (nothing to read again) offer no Retry errors (ENG-002)', () => {
    const v = view([item('ann@contoso.example', 'Completed', { errors: 1, retryable: 0 })]);
    const pilot = v.batches[0];
    assert.equal(itemCapabilities(pilot.items[0], pilot, idle).join(' '), 'canStart canRemove');
  });
});

describe('extension: leaving a batch (multi-select Remove from Batch)', () => {
  const view = (status?: BatchStatus) => viewWith(status).batches[0];
  it('only while the batch may be edited and no pass runs', () => {
    assert.ok(itemCapabilities(view('Synced').items[0], view('Synced'), { running: false, canResume: false }).includes('canRemove'));
    assert.ok(!itemCapabilities(view('Completed').items[0], view('Completed'), { running: false, canResume: false }).includes('canRemove'));
    assert.ok(!itemCapabilities(view('Syncing').items[0], view('Syncing'), { running: true, canResume: false }).includes('canRemove'));
  });
});
