// The embedded runner's RequestGate: one count per key for the whole process, waiters in order,
// several slots taken at once (a Graph $batch), never more than the limit held.
import * as assert from 'node:assert/strict';
import { LocalRequestGate } from '../../../src/engine/localRequestGate';

describe('LocalRequestGate', () => {
  it('holds at most limit slots of a key, serves waiters in order, and keys apart', async () => {
    const gate = new LocalRequestGate();
    const a = await gate.acquire('acct', 2);
    const b = await gate.acquire('acct', 2);
    const other = await gate.acquire('other', 2);
    const order: string[] = [];
    const c = gate.acquire('acct', 2).then((r) => (order.push('c'), r));
    const d = gate.acquire('acct', 2).then((r) => (order.push('d'), r));
    await Promise.resolve();
    assert.deepEqual(order, []);
    a();
    a(); // a second call frees nothing more
    const releaseC = await c;
    assert.deepEqual(order, ['c']);
    b();
    (await d)();
    releaseC();
    other();
    assert.equal(gate.peak.get('acct'), 2);
  });

  it('takes several slots at once, capped at the limit', async () => {
    const gate = new LocalRequestGate();
    const one = await gate.acquire('tenant', 4);
    let batched = false;
    const batch = gate.acquire('tenant', 4, 4).then((r) => ((batched = true), r));
    await Promise.resolve();
    assert.equal(batched, false, 'a batch of 4 waits while 1 of 4 is held');
    one();
    const releaseBatch = await batch;
    assert.equal(gate.peak.get('tenant'), 4);
    releaseBatch();
    // More than the limit: the whole budget, never a wait forever.
    (await gate.acquire('tenant', 2, 9))();
  });
});
