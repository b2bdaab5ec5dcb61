import * as assert from 'node:assert/strict';
import { projectView } from '../../../src/views/projectView';
import { resumableOf } from '../../../src/views/resumable';
import type { PassStatus } from '../../../src/store/rows';
import { planFile, snapshot } from './outlineFixtures';

function view(status: PassStatus | undefined, runnerAlive = false) {
  const snap = snapshot([]);
  snap.status!.passes = status ? [{ id: 3, projectId: 1, kind: 'delta', scopeBatch: 'Pilot', status, startedAt: 't', runnerPid: 9 }] : [];
  if (runnerAlive) snap.runner = { pid: 9, startedAt: 't', owner: 'cli' };
  return projectView(planFile, undefined, snap, undefined);
}

describe('extension: which pass can be resumed', () => {
  const record = { kind: 'full' as const, batch: 'Wave 2', startedAt: 'r' };
  const cases: [string, ReturnType<typeof view>, typeof record | undefined, boolean, string | undefined][] = [
    ['nothing ran', view(undefined), undefined, false, undefined],
    ['the last pass completed', view('completed'), undefined, false, undefined],
    ['ours, cut off by a reload', view('stopped'), record, false, 'cutOff full Wave 2'],
    ['ours, but its old runner still finishes', view('running', true), record, false, undefined],
    ['interrupted by a dead runner', view('running'), undefined, false, 'interrupted delta Pilot'],
    ['marked interrupted by recovery', view('interrupted'), undefined, false, 'interrupted delta Pilot'],
    ['stopped on request', view('stopped'), undefined, false, 'stopped delta Pilot'],
    ['running here now', view('stopped'), record, true, undefined],
  ];
  for (const [name, v, r, runningHere, expected] of cases) {
    it(name, () => {
      const found = resumableOf(v, r, runningHere);
      assert.equal(found && `${found.reason} ${found.kind} ${found.batch}`, expected);
    });
  }
});
