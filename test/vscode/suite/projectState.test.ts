// When a pass ends, the views must never mix "the pass has ended" with the store as it was before
// the pass (the project row would say "not run yet" next to batches that say Synced).
import * as assert from 'node:assert/strict';
import type { EngineEvent } from '../../../src/engine/events';
import type { PassSummary } from '../../../src/engine/summary';
import type { Logger } from '../../../src/extension/common/logger';
import type { StoreSnapshot } from '../../../src/views/projectView';
import { ProjectState } from '../../../src/extension/state/projectState';
import type { StoreReader } from '../../../src/extension/state/storeReader';
import * as vscode from 'vscode';
import { fullPassFixture, removeFixtures } from './fixtures';

const quiet: Logger = { info() {}, warn() {}, error() {}, debug() {}, show() {}, redact() {} };

function countingReader(): { reader: StoreReader; reads: () => number } {
  let reads = 0;
  const reader = {
    snapshot: async (): Promise<StoreSnapshot> => {
      reads++;
      return { readAt: Date.now(), errors: [] };
    },
  } as unknown as StoreReader;
  return { reader, reads: () => reads };
}

describe('Project state around the end of a pass', () => {
  let plan: vscode.Uri;
  before(async () => {
    ({ plan } = await fullPassFixture('project-state-run')); // it has a store, so the snapshot is read through the reader
  });
  after(removeFixtures);

  const started: EngineEvent = { type: 'passStarted', passId: 99, kind: 'full', batches: ['Pilot'], items: 3 };

  it('reads the store again as soon as the runner says the pass ended, before any view is drawn', async () => {
    const { reader, reads } = countingReader();
    const state = new ProjectState(plan, reader, quiet);
    await state.view();
    assert.equal(reads(), 1);
    state.beginPass();
    state.applyEvent(started);
    await state.view();
    assert.equal(reads(), 1, 'no store read while the pass runs');
    state.applyEvent({ type: 'passEnded', passId: 99, summary: { passId: 99 } as PassSummary });
    assert.equal(state.running, false);
    const view = await state.view();
    assert.equal(reads(), 2, 'the ended pass is drawn only with the store read after it');
    assert.equal(view.live, undefined, 'the live state is dropped once the store has been read');
  });

  it('leaves a view built before the window ends the pass saying "running"', async () => {
    const { reader } = countingReader();
    const state = new ProjectState(plan, reader, quiet);
    await state.view();
    state.beginPass();
    state.applyEvent(started);
    const during = await state.view();
    state.endPass();
    assert.equal(during.live?.done, false, 'an earlier view is not changed under the renderer');
    assert.equal(state.running, false);
  });
});
