// The batched copy path (DestinationMailbox.writeItems): batch sizes, one write per batch, the
// one-by-one fallback after a refused or cut-off batch, and intents settled after a crash.
import * as assert from 'node:assert/strict';
import { contentFingerprint } from '../../../src/connectors/fingerprint';
import { ConnectorError, writeBatchLimits, type ItemContent, type ItemRef } from '../../../src/connectors/types';
import { batchesOf } from '../../../src/engine/batchCopy';
import { batchingConnector, type BatchHooks } from './batchingConnector';
import { harness, simplePlan } from './engineTestUtil';

const ANN = 'ann@contoso.example';
const ANN_DST = 'ann@fabrikam.example';

const subjectIs = (subject: string) => (c: ItemContent) => c.data.toString().includes(`Subject: ${subject}\n`);
const ref = (id: number, sizeBytes: number): ItemRef => ({ id: String(id), sizeBytes, date: new Date(0), flags: [], itemType: 'mail' });

function setup(count: number, hooks: BatchHooks) {
  const h = harness(simplePlan(['ann']));
  for (let i = 0; i < count; i++) h.world.add(ANN, ['INBOX'], `m ${String(i).padStart(3, '0')}`);
  const connector = batchingConnector(h.world, hooks);
  const run = (pass: 'full' | 'delta') => h.run(pass, { connectors: async () => connector });
  const expected = Array.from({ length: count }, (_, i) => `m ${String(i).padStart(3, '0')}`);
  return { h, run, expected };
}

describe('engine: batched writes (writeItems)', () => {
  it('cuts batches by count and bytes, in listing order; a larger item goes alone', () => {
    const limits = { items: 3, bytes: 100 };
    assert.deepEqual(batchesOf([1, 2, 3, 4, 5, 6, 7].map((i) => ref(i, 10)), limits).map((b) => b.map((r) => r.id)), [['1', '2', '3'], ['4', '5', '6'], ['7']]);
    assert.deepEqual(batchesOf([ref(1, 60), ref(2, 30), ref(3, 20), ref(4, 500), ref(5, 10)], limits).map((b) => b.map((r) => r.id)), [['1', '2'], ['3'], ['4'], ['5']]);
    assert.deepEqual(batchesOf([], limits), []);
    assert.equal(writeBatchLimits.items, 100);
  });

  it('a full pass writes whole batches and records every item; delta moves nothing', async () => {
    const hooks: BatchHooks = { batches: [] };
    const { h, run, expected } = setup(250, hooks);
    const full = await run('full');
    assert.deepEqual([full.items[0].status, full.totals.copied], ['Completed', 250]);
    assert.deepEqual(hooks.batches, [100, 100, 50]);
    assert.equal(h.world.calls.filter((c) => c.op === 'writeItem').length, 0, 'no message written alone');
    assert.deepEqual(h.world.subjects(ANN_DST, 'INBOX'), expected);
    assert.equal(h.store.progress.watermarkCount(1), 250);
    assert.deepEqual(h.store.progress.intents(1), []);
    assert.ok(h.events.some((e) => e.type === 'progress' && e.itemsDone === 250));
    assert.equal((await run('delta')).totals.copied, 0);
  });

  it('commits each batch once: its watermarks go in the transaction of the next batch\'s intents', async () => {
    const hooks: BatchHooks = { batches: [] };
    const { h, run } = setup(250, hooks);
    // Numbers the outermost transactions; notes the ones that record intents or watermarks.
    const db = h.store.db;
    const tx = db.tx.bind(db);
    let serial = 0;
    let depth = 0;
    db.tx = <T>(fn: () => T): T => {
      if (depth++ === 0) serial++;
      try {
        return tx(fn);
      } finally {
        depth--;
      }
    };
    const used: string[] = [];
    const progress = h.store.progress;
    const addIntents = progress.addIntents.bind(progress);
    const recordCopies = progress.recordCopies.bind(progress);
    progress.addIntents = (...args) => (used.push(`${serial}: intents ${args[3].length}`), addIntents(...args));
    progress.recordCopies = (...args) => (used.push(`${serial}: watermarks ${args[0].length}`), recordCopies(...args));
    const full = await run('full');
    assert.equal(full.totals.copied, 250);
    assert.deepEqual(hooks.batches, [100, 100, 50]);
    const first = Number(used[0].split(':')[0]);
    assert.deepEqual(used.map((u) => u.replace(/^\d+/, (n) => String(Number(n) - first))), ['0: intents 100', '1: watermarks 100', '1: intents 100', '2: watermarks 100', '2: intents 50', '3: watermarks 50']);
    assert.equal(h.store.progress.watermarkCount(1), 250);
    assert.deepEqual(h.store.progress.intents(1), []);
  });

  it('a refused batch is written again one by one: only the bad item fails, with its own error', async () => {
    const bad = new ConnectorError('IMAP-ITEM-TOO-LARGE', 'too large', 'item', ['9', 'host', 'too big']);
    const hooks: BatchHooks = { batches: [], refuse: (cs) => (cs.some(subjectIs('m 042')) ? bad : undefined), refuseOne: (c) => (subjectIs('m 042')(c) ? bad : undefined) };
    const { h, run, expected } = setup(150, hooks);
    const full = await run('full');
    assert.deepEqual([full.items[0].status, full.totals.copied, full.totals.errors], ['FinishedWithErrors', 149, 1]);
    assert.deepEqual(hooks.batches, [100, 50]);
    // The refused batch one at a time: 99 stored, the bad one refused before it reaches the store.
    assert.equal(h.world.calls.filter((c) => c.op === 'writeItem').length, 99);
    assert.equal(h.world.calls.filter((c) => c.op === 'findWritten').length, 0, 'a refused batch stored nothing: no need to look');
    assert.deepEqual(h.world.subjects(ANN_DST, 'INBOX'), expected.filter((s) => s !== 'm 042'));
    const errors = h.store.errors.unresolved(1);
    assert.deepEqual(errors.map((e) => [e.code, e.sourceItemId]), [['IMAP-ITEM-TOO-LARGE', h.world.mailboxes.get(ANN)!.get('INBOX')!.messages[42].id]]);
  });

  it('a batch stored but cut off (transient error) is settled with findWritten: nothing twice', async () => {
    const hooks: BatchHooks = { batches: [], afterStore: (n) => (n === 2 ? new ConnectorError('IMAP-DISCONNECT', 'lost', 'transient', ['host', 'connection lost']) : undefined) };
    const { h, run, expected } = setup(230, hooks);
    const full = await run('full');
    assert.deepEqual([full.items[0].status, full.totals.copied], ['Completed', 230]);
    assert.deepEqual(h.world.subjects(ANN_DST, 'INBOX'), expected, 'every message exactly once');
    assert.equal(h.world.calls.filter((c) => c.op === 'findWritten').length, 100);
    assert.equal(h.world.calls.filter((c) => c.op === 'writeItem').length, 0, 'all of the batch was found');
    assert.deepEqual(h.store.progress.intents(1), []);
  });

  it('a mailbox-level failure stops the mailbox; the next pass settles the batch it left and copies the rest once', async () => {
    let fail = true;
    const hooks: BatchHooks = { batches: [], afterStore: (n) => (fail && n === 2 ? new ConnectorError('IMAP-QUOTA', 'quota', 'mailbox', ['ann', 'host', 'over quota']) : undefined) };
    const { h, run, expected } = setup(260, hooks);
    const first = await run('full');
    assert.equal(first.items[0].status, 'Failed');
    assert.equal(h.store.progress.watermarkCount(1), 100);
    assert.equal(h.store.progress.intents(1).length, 100, 'the batch in flight is left as intents');
    fail = false;
    const second = await run('full');
    assert.deepEqual([second.items[0].status, second.totals.copied], ['Completed', 60]);
    assert.deepEqual(h.world.subjects(ANN_DST, 'INBOX'), expected, 'every message exactly once');
    assert.deepEqual(h.store.progress.intents(1), []);
    assert.equal(h.store.progress.watermarkCount(1), 260);
  });

  it('a crash between the batch write and its commit (an error the engine does not know) leaves intents that settle', async () => {
    let crash = true;
    const hooks: BatchHooks = { batches: [], afterStore: (n) => (crash && n === 1 ? new Error('process died') : undefined) };
    const { h, run, expected } = setup(120, hooks);
    await run('full');
    assert.equal(h.store.progress.watermarkCount(1), 0);
    assert.equal(h.store.progress.intents(1).length, 100);
    crash = false;
    const second = await run('full');
    assert.deepEqual([second.items[0].status, second.totals.copied], ['Completed', 20]);
    const copies = h.world.mailboxes.get(ANN_DST)!.get('INBOX')!.messages.map((m) => contentFingerprint(m.data));
    assert.equal(new Set(copies).size, copies.length, 'no duplicates');
    assert.deepEqual(h.world.subjects(ANN_DST, 'INBOX'), expected);
  });

  it('an item the source cannot read gets its error; the rest of its batch is written together', async () => {
    const hooks: BatchHooks = { batches: [] };
    const { h, run } = setup(10, hooks);
    const gone = h.world.mailboxes.get(ANN)!.get('INBOX')!.messages[3].id;
    h.world.fail = (op, _mailbox, detail) => (op === 'readItem' && detail === gone ? new ConnectorError('IMAP-ITEM-GONE', 'gone', 'item', [gone, 'INBOX']) : undefined);
    const full = await run('full');
    assert.deepEqual([full.totals.copied, full.totals.errors], [9, 1]);
    assert.deepEqual(hooks.batches, [9]);
  });

  it('hands a batch back to the source only once it is written whole; a cut-off batch is kept for its retry', async () => {
    // Released contents are overwritten at once (their memory reused): one released too early would
    // reach the destination (or the retry's findWritten) overwritten.
    const released: string[] = [];
    const hooks: BatchHooks = {
      batches: [],
      afterStore: (n) => (n === 2 ? new ConnectorError('IMAP-DISCONNECT', 'lost', 'transient', ['host', 'connection lost']) : undefined),
      release: (contents) => {
        for (const c of contents) {
          released.push(/Subject: (.*)/.exec(c.data.toString())?.[1] ?? 'released twice');
          c.data.fill(0x58);
        }
      },
    };
    const { h, run, expected } = setup(230, hooks);
    const full = await run('full');
    assert.deepEqual([full.items[0].status, full.totals.copied], ['Completed', 230]);
    assert.deepEqual(h.world.subjects(ANN_DST, 'INBOX'), expected, 'every message exactly once, none overwritten');
    assert.deepEqual(released, [...expected.slice(0, 100), ...expected.slice(200)], 'the batches written whole, not the one cut off');
  });
});
