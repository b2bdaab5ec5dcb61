import * as assert from 'node:assert/strict';
import { applyEvent, newLiveState } from '../../../src/views/liveState';
import { projectView } from '../../../src/views/projectView';
import { batchProgressText } from '../../../src/views/viewSummary';
import { item, planFile, snapshot } from './outlineFixtures';

/** The store as before the pass: Pilot (ann, bob) and Wave 2 (dan). */
function store() {
  const s = snapshot([item('ann@contoso.example', 'Queued'), item('bob@contoso.example', 'Queued')]);
  const pilot = s.status!.batches[0];
  s.status!.batches.push({ batch: { ...pilot.batch, name: 'Wave 2' }, items: [item('dan@contoso.example', 'Queued', { batch: 'Wave 2' })] });
  return s;
}

describe('extension: percent done and time left per batch', () => {
  it('counts each batch of the running pass on its own, from its mailboxes and items', () => {
    const live = newLiveState(0);
    applyEvent(live, { type: 'passStarted', passId: 3, kind: 'full', batches: ['Pilot', 'Wave 2'], items: 3, perBatch: { Pilot: 2, 'Wave 2': 1 } }, 0);
    applyEvent(live, { type: 'progress', batch: 'Pilot', item: 'ann@contoso.example', itemsDone: 0, itemsTotal: 100, bytesDone: 0, bytesTotal: 0 }, 1000);
    applyEvent(live, { type: 'progress', batch: 'Pilot', item: 'ann@contoso.example', itemsDone: 50, itemsTotal: 100, bytesDone: 0, bytesTotal: 0 }, 2000);
    applyEvent(live, { type: 'itemStatus', batch: 'Pilot', item: 'bob@contoso.example', destination: 'bob@fabrikam.example', status: 'Completed' }, 2000);
    applyEvent(live, { type: 'progress', batch: 'Wave 2', item: 'dan@contoso.example', itemsDone: 10, itemsTotal: 40, bytesDone: 0, bytesTotal: 0 }, 2000);
    const view = projectView(planFile, undefined, store(), live, { revision: 1, now: 3000 });
    const pilot = view.batches.find((b) => b.name === 'Pilot')!;
    const wave = view.batches.find((b) => b.name === 'Wave 2')!;
    // Pilot: both mailboxes counted (bob done, ann 50 of 100): 50%, 50 left at 50 per 2 s since ann began.
    assert.deepEqual([pilot.progress?.mailboxes, pilot.progress?.done, pilot.progress?.percent, pilot.progress?.etaMs], [2, 1, 50, 2000]);
    assert.equal(batchProgressText(view, pilot), '1/2 done · 50% · about 2.0 s left');
    assert.deepEqual([wave.progress?.mailboxes, wave.progress?.percent], [1, 25]);
    assert.equal(view.pass?.mailboxes, 3);
  });

  it('counts mailboxes not yet begun, and says nothing of a batch once the pass has ended', () => {
    const live = newLiveState(0);
    applyEvent(live, { type: 'passStarted', passId: 4, kind: 'delta', batches: ['Pilot'], items: 4 }, 0);
    applyEvent(live, { type: 'itemStatus', batch: 'Pilot', item: 'ann@contoso.example', destination: 'ann@fabrikam.example', status: 'Completed' }, 500);
    const running = projectView(planFile, undefined, store(), live, { revision: 1, now: 1000 });
    const pilot = running.batches.find((b) => b.name === 'Pilot')!;
    assert.deepEqual([pilot.progress?.mailboxes, pilot.progress?.done, pilot.progress?.percent, pilot.progress?.etaMs], [4, 1, 25, undefined]);
    applyEvent(live, { type: 'passEnded', passId: 4, summary: { kind: 'delta', startedAt: '', endedAt: '', durationMs: 1, status: 'completed', excluded: [], items: [], totals: { mailboxes: 0, completed: 0, failed: 0, items: 0, bytes: 0, errors: 0, skipped: 0 } } as never }, 2000);
    const ended = projectView(planFile, undefined, store(), live, { revision: 2, now: 2000 });
    assert.equal(ended.batches.find((b) => b.name === 'Pilot')?.progress, undefined);
  });
});
