// Identical source items (the same mail filed twice, imported twice) are distinct items: N of them
// need N destination items, whether they are written normally, probed for, settled after a crash
// or found after a cut write. A destination item stands for one source item only.
import * as assert from 'node:assert/strict';
import { contentFingerprint } from '../../../src/connectors/fingerprint';
import { ConnectorError } from '../../../src/connectors/types';
import { batchingConnector, type BatchHooks } from './batchingConnector';
import { harness, simplePlan } from './engineTestUtil';

const ANN = 'ann@contoso.example';
const ANN_DST = 'ann@fabrikam.example';

/** 100 messages, then the same 100 again (each pair byte for byte identical, under new source ids). */
function twins(count = 100) {
  const h = harness(simplePlan(['ann']));
  const firsts = Array.from({ length: count }, (_, i) => h.world.add(ANN, ['INBOX'], `m ${String(i).padStart(3, '0')}`));
  const inbox = h.world.folder(ANN, ['INBOX']);
  firsts.forEach((m, i) => inbox.messages.push({ ...m, id: String(10_000 + i) }));
  return h;
}

/** Fingerprint -> copies, for source and destination. */
function copies(h: ReturnType<typeof twins>, mailbox: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const m of h.world.mailboxes.get(mailbox)?.get('INBOX')?.messages ?? []) {
    const f = contentFingerprint(m.data);
    counts.set(f, (counts.get(f) ?? 0) + 1);
  }
  return counts;
}

const cut = () => new ConnectorError('IMAP-DISCONNECT', 'lost', 'transient', ['host', 'connection lost']);

describe('engine: identical items are copied as many times as the source holds them', () => {
  it('a batch of twins cut after it was stored: the one-by-one settle finds each twin its own copy', async () => {
    const h = twins();
    const hooks: BatchHooks = { batches: [], afterStore: (n) => (n === 2 ? cut() : undefined) };
    const connector = batchingConnector(h.world, hooks);
    const full = await h.run('full', { connectors: async () => connector });
    assert.deepEqual([full.items[0].status, full.totals.copied], ['Completed', 200]);
    assert.deepEqual(copies(h, ANN_DST), copies(h, ANN), '2 copies of each message');
    assert.equal(new Set(h.store.progress.claimedIds(1, 'INBOX')).size, 200, 'every watermark names its own destination item');
  });

  it('a batch of twins cut before anything was stored: written again, nothing taken for the first copies', async () => {
    const h = twins();
    let stored = 0;
    const hooks: BatchHooks = { batches: [], refuse: () => (++stored === 2 ? cut() : undefined) };
    const connector = batchingConnector(h.world, hooks);
    const full = await h.run('full', { connectors: async () => connector });
    assert.deepEqual([full.items[0].status, full.totals.copied], ['Completed', 200]);
    assert.deepEqual(copies(h, ANN_DST), copies(h, ANN));
  });

  it('killed with the twins batch written but not recorded: the rerun settles 100 intents and ends with 200', async () => {
    const h = twins();
    let crash = true;
    const hooks: BatchHooks = { batches: [], afterStore: (n) => (crash && n === 2 ? new Error('process died') : undefined) };
    const connector = batchingConnector(h.world, hooks);
    await h.run('full', { connectors: async () => connector });
    assert.equal(h.store.progress.intents(1).length, 100, '100 intents pending');
    crash = false;
    const rerun = await h.run('full', { connectors: async () => connector });
    assert.equal(rerun.items[0].status, 'Completed');
    assert.deepEqual(copies(h, ANN_DST), copies(h, ANN));
    assert.equal(h.store.progress.watermarkCount(1), 200);
    assert.equal(h.store.progress.claimedIds(1, 'INBOX').size, 200, 'settled against the second copies, not the first');
  });

  it('killed with the twins batch not written: the rerun writes the second copies', async () => {
    const h = twins();
    let crash = true;
    const hooks: BatchHooks = { batches: [], refuse: () => (crash && hooks.batches.length === 2 ? (new Error('process died') as ConnectorError) : undefined) };
    const connector = batchingConnector(h.world, hooks);
    await h.run('full', { connectors: async () => connector });
    assert.equal(h.store.progress.intents(1).length, 100);
    crash = false;
    await h.run('full', { connectors: async () => connector });
    assert.deepEqual(copies(h, ANN_DST), copies(h, ANN));
  });

  it('probing a destination the store knows nothing of (one item at a time, in parallel): twins stay twins', async () => {
    const h = twins(20);
    // A destination folder that is not empty and unknown to the store: every item is probed first.
    h.world.folder(ANN_DST, ['INBOX']).messages.push({ id: 'other', data: Buffer.from('Subject: other\n\nx\n'), date: new Date(0), flags: [] });
    const full = await h.run('full');
    assert.deepEqual([full.items[0].status, full.totals.copied], ['Completed', 40]);
    const expected = copies(h, ANN);
    expected.set(contentFingerprint(Buffer.from('Subject: other\n\nx\n')), 1);
    assert.deepEqual(copies(h, ANN_DST), expected);
  });

  it('a write of a twin cut before it landed: written again, its twin\'s copy is not taken for it', async () => {
    const h = twins(10);
    let writes = 0;
    // The 15th write (a second copy) is cut before the destination stores it.
    h.world.fail = (op, _mailbox, detail) => (op === 'writeItem' && detail !== 'after' && ++writes === 15 ? cut() : undefined);
    const full = await h.run('full');
    assert.deepEqual([full.items[0].status, full.totals.copied], ['Completed', 20]);
    assert.deepEqual(copies(h, ANN_DST), copies(h, ANN));
  });

  it('a write of a twin cut after it landed: the landed copy is found, not its twin', async () => {
    const h = twins(10);
    let writes = 0;
    // The 15th write (a second copy) lands, then the connection drops before the answer.
    h.world.fail = (op, _mailbox, detail) => (op === 'writeItem' && detail === 'after' && ++writes === 15 ? cut() : undefined);
    const full = await h.run('full');
    assert.deepEqual([full.items[0].status, full.totals.copied], ['Completed', 20]);
    assert.deepEqual(copies(h, ANN_DST), copies(h, ANN));
    assert.equal(h.store.progress.claimedIds(1, 'INBOX').size, 20, 'each watermark names its own copy');
  });
});
