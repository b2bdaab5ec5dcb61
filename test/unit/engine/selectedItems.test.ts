// A pass over several selected mailboxes (the views' multi-selection): one pass, only those
// mailboxes, its scope recorded; an address the plan does not hold is refused before anything runs.
import * as assert from 'node:assert/strict';
import { EngineRefusal } from '../../../src/engine/refusal';
import { harness, simplePlan } from './engineTestUtil';

describe('engine: a pass over selected mailboxes', () => {
  it('runs exactly the selected mailboxes in one pass and says how many per batch', async () => {
    const h = harness(simplePlan(['ann', 'bob', 'cid']));
    for (const who of ['ann', 'bob', 'cid']) h.world.add(`${who}@contoso.example`, ['INBOX'], `hello ${who}`);
    const summary = await h.run('full', { item: ['ann@contoso.example', 'CID@contoso.example'] });
    assert.equal(summary.status, 'completed');
    assert.deepEqual(summary.items.map((i) => i.source).sort(), ['ann@contoso.example', 'cid@contoso.example']);
    assert.deepEqual(h.world.subjects('bob@fabrikam.example', 'INBOX'), []);
    const started = h.events.find((e) => e.type === 'passStarted');
    assert.ok(started?.type === 'passStarted');
    assert.deepEqual([started.items, started.perBatch], [2, { B1: 2 }]);
    const project = h.store.batches.listProjects()[0];
    assert.equal(h.store.passes.lastPasses(project.id, 1)[0].scopeItem, 'ann@contoso.example, CID@contoso.example');
  });

  it('refuses a selection naming a mailbox the plan does not hold (ENG-052), running nothing', async () => {
    const h = harness(simplePlan(['ann', 'bob']));
    await assert.rejects(() => h.run('full', { item: ['ann@contoso.example', 'zed@contoso.example'] }), (err: unknown) => err instanceof EngineRefusal && err.code === 'ENG-052' && /zed/.test(err.message));
    assert.equal(h.events.filter((e) => e.type === 'passStarted').length, 0);
  });
});
