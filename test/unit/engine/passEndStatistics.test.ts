// The pass's end in a distributed worker (closePass with statistics: false): the batch and pass are
// closed as always, without the views' per-mailbox statistics event, whose queries (about eight per
// mailbox) held a worker's thread past its lease at 50,000 mailboxes.
import * as assert from 'node:assert/strict';
import { EngineEvents, type EngineEvent } from '../../../src/engine/events';
import { closePass, openPass } from '../../../src/engine/passSteps';
import { harness, simplePlan } from './engineTestUtil';

describe('engine: closing a pass without the views statistics', () => {
  for (const statistics of [true, false]) {
    it(`statistics ${statistics}: the pass and batch end the same; the statistics event ${statistics ? 'is' : 'is not'} emitted`, () => {
      const h = harness(simplePlan(['ann', 'bob']));
      const events: EngineEvent[] = [];
      const emitter = new EngineEvents();
      emitter.on((e) => events.push(e));
      const opened = openPass({ plan: h.plan, store: h.store, pass: 'full', events: emitter, started: new Date(), runnerPid: process.pid, now: () => new Date() });
      assert.ok('jobs' in opened);
      const summary = closePass(h.store, emitter, opened, [], { stopped: false, ended: new Date(), statistics });
      assert.equal(summary.status, 'completed');
      assert.equal(h.store.passes.passById(opened.passId)?.status, 'completed');
      assert.ok(events.some((e) => e.type === 'passEnded'));
      assert.ok(events.some((e) => e.type === 'batchStatus'));
      assert.equal(events.some((e) => e.type === 'statistics'), statistics);
    });
  }
});
