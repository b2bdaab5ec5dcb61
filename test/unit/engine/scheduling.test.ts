import * as assert from 'node:assert/strict';
import { ConnectorError } from '../../../src/connectors/types';
import { backoffDelay, withRetries, type RetryPolicy } from '../../../src/engine/backoff';
import { Limiter } from '../../../src/engine/limiter';
import { endpointLimiter, type PassContext } from '../../../src/engine/context';
import { passOutcome } from '../../../src/engine/summary';
import { harness, simplePlan } from './engineTestUtil';

function recordingPolicy(): RetryPolicy & { slept: number[] } {
  const slept: number[] = [];
  return { attempts: 4, baseMs: 100, maxMs: 1000, random: () => 1, slept, sleep: async (ms) => void slept.push(ms) };
}

describe('engine: retries, back-off and scheduling', () => {
  it('backs off exponentially with jitter, capped, and honours the server delay', () => {
    const p = { ...recordingPolicy(), random: () => 0 };
    assert.deepEqual([1, 2, 3, 4, 5].map((n) => backoffDelay(p, n)), [50, 100, 200, 400, 500]);
    assert.equal(backoffDelay({ ...p, random: () => 1 }, 2), 200);
    assert.equal(backoffDelay(p, 1, 7000), 5000, 'capped at 5 x maxMs');
    assert.equal(backoffDelay(p, 1, 300), 300);
  });

  it('retries transient errors with the delays the policy gives, then succeeds', async () => {
    const policy = recordingPolicy();
    let calls = 0;
    const result = await withRetries('op', async () => {
      calls++;
      if (calls < 3) throw new ConnectorError('IMAP-THROTTLED', 'slow down', 'transient', [], calls === 2 ? 1234 : undefined);
      return 'ok';
    }, policy, new AbortController().signal);
    assert.equal(result, 'ok');
    assert.deepEqual(policy.slept, [100, 1234]);
  });

  it('gives up after the allowed attempts with ENG-010; item errors pass through at once', async () => {
    const policy = recordingPolicy();
    await assert.rejects(withRetries('read x', async () => { throw new ConnectorError('IMAP-DISCONNECT', 'bye', 'transient'); }, policy, new AbortController().signal), (e: unknown) => e instanceof ConnectorError && e.code === 'ENG-010' && e.disposition === 'mailbox');
    assert.equal(policy.slept.length, 3);
    const p2 = recordingPolicy();
    await assert.rejects(withRetries('x', async () => { throw new ConnectorError('IMAP-NO', 'no', 'item'); }, p2, new AbortController().signal), /no/);
    assert.equal(p2.slept.length, 0);
  });

  it('a mailbox whose server keeps throttling waits with ENG-014 (throttled, will go on), loses nothing, and the next pass goes on', async () => {
    const h = harness(simplePlan(['ann']));
    h.world.add('ann@contoso.example', ['INBOX'], 'a');
    h.world.add('ann@contoso.example', ['INBOX'], 'b');
    let throttled = true;
    h.world.fail = (op, _m, d) => (throttled && op === 'readItem' && d === '2' ? new ConnectorError('IMAP-THROTTLED', 'busy', 'transient', [], 0) : undefined);
    const s = await h.run('full');
    assert.deepEqual([s.items[0].status, s.items[0].code, s.totals.copied], ['Waiting', 'ENG-014', 1]);
    assert.deepEqual([passOutcome(s).word, h.store.items.listItems(1)[0].lastErrorCode, h.store.items.listItems(1)[0].syncState], ['completed with errors', 'ENG-014', 'NeverSynced']);
    throttled = false;
    const again = await h.run('full');
    assert.deepEqual([again.items[0].status, again.totals.copied], ['Completed', 1]);
    assert.deepEqual(h.world.subjects('ann@fabrikam.example', 'INBOX'), ['a', 'b']);
  });

  it('a throttling storm at login that outlasts the retries is Waiting (ENG-014), not Not valid; the next pass goes on', async () => {
    const h = harness(simplePlan(['ann']));
    h.world.add('ann@contoso.example', ['INBOX'], 'a');
    let throttled = true;
    h.world.fail = (op) => (throttled && op === 'open' ? new ConnectorError('EWS-SERVER-BUSY', 'busy', 'transient', [], 0) : undefined);
    const s = await h.run('full');
    assert.deepEqual([s.items[0].status, s.items[0].code], ['Waiting', 'ENG-014']);
    assert.equal(h.store.items.listItems(1)[0].matchState, undefined);
    assert.equal(h.store.batches.listBatches(1)[0].status, 'SyncedWithErrors');
    throttled = false;
    const again = await h.run('full');
    assert.deepEqual([again.items[0].status, again.totals.copied], ['Completed', 1]);
  });

  it('a server that keeps dropping the connection at login fails with ENG-010, not Not valid (no credentials problem)', async () => {
    const h = harness(simplePlan(['ann']));
    h.world.add('ann@contoso.example', ['INBOX'], 'a');
    h.world.fail = (op) => (op === 'open' ? new ConnectorError('IMAP-DISCONNECT', 'bye', 'transient') : undefined);
    const s = await h.run('full');
    assert.deepEqual([s.items[0].status, s.items[0].code], ['Failed', 'ENG-010']);
  });

  it('a write that lands before the connection drops is found, not written twice', async () => {
    const h = harness(simplePlan(['ann']));
    h.world.add('ann@contoso.example', ['INBOX'], 'a');
    let once = true;
    h.world.fail = (op, _m, d) => {
      if (op === 'writeItem' && d === 'after' && once) {
        once = false;
        return new ConnectorError('IMAP-DISCONNECT', 'connection lost', 'transient');
      }
      return undefined;
    };
    const s = await h.run('full');
    assert.deepEqual([s.items[0].status, s.totals.copied], ['Completed', 1]);
    assert.deepEqual(h.world.subjects('ann@fabrikam.example', 'INBOX'), ['a']);
  });

  it('runs at most maxConcurrentMigrations mailboxes at once', async () => {
    const names = ['a', 'b', 'c', 'd', 'e'];
    const h = harness(simplePlan(names, '  maxConcurrentMigrations: 2'));
    for (const n of names) h.world.add(`${n}@contoso.example`, ['INBOX'], n);
    // Hold point: the first two mailboxes to write wait for each other, so two do run side by side
    // (both sides open) however the machine schedules them; the others pass straight through.
    let arrived = 0;
    let together!: () => void;
    const bothWriting = new Promise<void>((resolve) => (together = resolve));
    h.world.delay = async (op) => {
      if (op !== 'writeItem' || arrived >= 2) return;
      if (++arrived === 2) together();
      await bothWriting;
    };
    const s = await h.run('full');
    assert.equal(s.totals.completed, 5);
    assert.ok(h.world.peakOpen <= 4, `peak ${h.world.peakOpen} connections (2 mailboxes x 2 sides)`);
    assert.ok(h.world.peakOpen >= 3, 'mailboxes did run side by side');
  });

  it('gives a spare connection slot only when one is free and nobody waits (the IMAP body reader\'s second connection)', async () => {
    const limiter = new Limiter(2);
    const first = limiter.tryAcquire()!;
    const second = await limiter.acquire();
    assert.equal(limiter.tryAcquire(), undefined, 'all taken');
    const waiting = limiter.acquire();
    first();
    const third = await waiting;
    second();
    // A slot is free again, but only after the waiter got its own: it was not overtaken.
    const spare = limiter.tryAcquire();
    assert.ok(spare);
    assert.equal(limiter.peak, 2);
    spare();
    third();
    assert.equal(limiter.inUse, 0);
  });

  it('bounds connections per endpoint with its maxConnections', async () => {
    const limiter = new Limiter(2);
    const releases = await Promise.all([limiter.acquire(), limiter.acquire()]);
    let third = false;
    const pending = limiter.acquire().then((r) => ((third = true), r));
    // One turn of the event loop: a grant would have resolved in the microtasks before it.
    await new Promise(setImmediate);
    assert.equal(third, false);
    releases[0]();
    (await pending)();
    assert.equal(limiter.peak, 2);
    const ctx = { endpointLimiters: new Map() } as unknown as PassContext;
    assert.equal(endpointLimiter(ctx, 'imap1', { maxConnections: 3 }).limit, 3);
    assert.equal(endpointLimiter(ctx, 'other', {}).limit, 10);
  });

  it('stops cleanly on abort: mailboxes Stopped, pass stopped, batch Stopped; a rerun finishes without duplicates', async () => {
    const h = harness(simplePlan(['ann', 'bob'], '  maxConcurrentMigrations: 1'));
    for (let i = 0; i < 20; i++) h.world.add('ann@contoso.example', ['INBOX'], `a${String(i).padStart(2, '0')}`);
    h.world.add('bob@contoso.example', ['INBOX'], 'b');
    const controller = new AbortController();
    let writes = 0;
    h.world.delay = async (op) => {
      if (op === 'writeItem' && ++writes === 5) controller.abort();
    };
    const s = await h.run('full', { signal: controller.signal });
    assert.equal(s.status, 'stopped');
    assert.deepEqual(s.items.map((i) => i.status), ['Stopped', 'Stopped']);
    assert.equal(h.store.batches.listBatches(1)[0].status, 'Stopped');
    assert.equal(h.store.passes.passById(s.passId!)?.status, 'stopped');
    h.world.delay = undefined;
    const again = await h.run('full');
    assert.equal(again.totals.completed, 2);
    assert.equal(h.world.subjects('ann@fabrikam.example', 'INBOX').length, 20);
    assert.equal(new Set(h.world.subjects('ann@fabrikam.example', 'INBOX')).size, 20);
  });
});
