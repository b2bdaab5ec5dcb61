// A folder listed a window at a time (issue 17): a full pass never asks for the whole listing of a
// source that can give windows, holds at most the window it copies and the next one, asks the store
// about each window's ids, and copies exactly what a whole listing would: each item once, the plan's
// rules and the trial limit across windows, totals that end where the copy ends, a rerun or a stopped
// pass continued without a duplicate.
import * as assert from 'node:assert/strict';
import type { EngineEvent } from '../../../src/engine/events';
import { trialItemsPerFolder } from '../../../src/engine/itemRules';
import { harness, simplePlan } from './engineTestUtil';

const ann = 'ann@contoso.example';
const annDst = 'ann@fabrikam.example';

function windowed(count: number, options = '', windowSize = 3) {
  const h = harness(simplePlan(['ann'], options));
  h.world.windowSize = windowSize;
  for (let i = 1; i <= count; i++) h.world.add(ann, ['INBOX'], `m${String(i).padStart(3, '0')}`, new Date(Date.UTC(2026, 0, 1 + (i % 28))), i % 5 === 0 ? 2000 : 0);
  h.world.add(ann, ['Archive'], 'archived');
  return h;
}

const subjects = (n: number) => Array.from({ length: n }, (_, i) => `m${String(i + 1).padStart(3, '0')}`);
/** Folders a pass asked for whole (listItems) rather than by windows. */
const listedWhole = (h: ReturnType<typeof windowed>) => h.world.calls.filter((c) => c.op === 'listItems').map((c) => c.detail);
const lastProgress = (events: EngineEvent[]) => events.filter((e) => e.type === 'progress').at(-1) as Extract<EngineEvent, { type: 'progress' }>;

describe('engine: a folder listed a window at a time', () => {
  it('a full pass copies every item once from windows, never the whole listing, holding at most two windows', async () => {
    const h = windowed(20);
    h.world.folderSizes = true;
    const s = await h.run('full');
    assert.deepEqual([s.items[0].status, s.totals.copied], ['Completed', 21]);
    assert.deepEqual(h.world.subjects(annDst, 'INBOX'), subjects(20));
    assert.deepEqual(h.world.subjects(annDst, 'Archive'), ['archived']);
    assert.deepEqual(listedWhole(h), [], 'no folder listed whole');
    assert.equal(h.world.windowsHeld.length, 7 + 1, '7 windows of INBOX, 1 of Archive');
    assert.ok(Math.max(...h.world.windowsHeld) <= 2, `windows held at once: ${h.world.windowsHeld.join(',')}`);
    const done = lastProgress(h.events);
    assert.deepEqual([done.itemsDone, done.itemsTotal], [21, 21]);
    const folder = h.store.progress.folderStats(1).find((f) => f.sourcePath === 'INBOX')!;
    assert.deepEqual([folder.items, folder.sourceItems], [20, 20]);
  });

  it('sizes the mailbox from the windows when the source reports no folder sizes (the quota check), and says so before copying', async () => {
    const h = windowed(10, '  mailboxQuotaGB: 0.000001');
    const s = await h.run('full');
    assert.equal(s.items[0].status, 'ConfirmationRequired');
    assert.equal(h.world.subjects(annDst, 'INBOX').length, 0, 'nothing copied');
    assert.deepEqual(listedWhole(h), [], 'sized by windows, not by a whole listing');
    const item = h.store.items.itemById(1)!;
    assert.deepEqual([item.sizeItems, item.sizeBytes], [11, [...h.world.mailboxes.get(ann)!.values()].flatMap((f) => f.messages).reduce((sum, m) => sum + m.data.length, 0)]);
  });

  it("applies the plan's item rules and a trial's limit across windows", async () => {
    const sized = windowed(20, '  maxItemSizeMB: 0.001');
    const s = await sized.run('full');
    assert.deepEqual([s.totals.copied, s.totals.skipped], [21 - 4, 4], 'every fifth message is larger than 1 KB');
    assert.deepEqual(sized.store.skips.byCode(1), { 'ENG-020': 4 });
    assert.deepEqual(listedWhole(sized), []);
    const done = lastProgress(sized.events);
    assert.deepEqual([done.itemsDone, done.itemsTotal], [17, 17], 'the total ends where the copy ends');

    const trial = windowed(20);
    const t = await trial.run('trial');
    assert.equal(trial.world.subjects(annDst, 'INBOX').length, trialItemsPerFolder);
    assert.equal(t.totals.copied, trialItemsPerFolder + 1);
    assert.deepEqual(listedWhole(trial), []);
  });

  it('a rerun asks the store per window and copies only what is missing; a pass stopped mid-folder is continued without a duplicate', async () => {
    const h = windowed(20);
    await h.run('full');
    const again = await h.run('full');
    assert.equal(again.totals.copied, 0);
    assert.deepEqual(h.world.subjects(annDst, 'INBOX'), subjects(20));

    const stopped = windowed(20);
    const controller = new AbortController();
    let reads = 0;
    stopped.world.delay = async (op) => {
      if (op === 'readItem' && ++reads === 8) controller.abort();
    };
    const first = await stopped.run('full', { signal: controller.signal });
    assert.equal(first.items[0].status, 'Stopped');
    const copiedFirst = stopped.world.subjects(annDst, 'INBOX').length;
    assert.ok(copiedFirst > 0 && copiedFirst < 20, `stopped mid-folder: ${copiedFirst} copied`);
    stopped.world.delay = undefined;
    const rest = await stopped.run('full');
    assert.equal(rest.totals.copied, 21 - copiedFirst);
    assert.deepEqual(stopped.world.subjects(annDst, 'INBOX'), subjects(20));
    assert.deepEqual([listedWhole(h), listedWhole(stopped)], [[], []]);
  });

  it('tells the source it will read a folder before its first window is fetched, and only a folder with items to copy', async () => {
    // The IMAP source logs in its body reader's connection on this hint, while the listing goes on.
    const h = windowed(7);
    h.world.folder(ann, ['Empty']);
    await h.run('full');
    const ops = (from: number) => h.world.calls.slice(from).filter((c) => c.op === 'prepareReads' || c.op === 'nextWindow' || c.op === 'readItem').map((c) => `${c.op} ${c.op === 'readItem' ? '' : c.detail}`.trim());
    const first = ops(0);
    assert.deepEqual(first.filter((o) => o.startsWith('prepareReads')).sort(), ['prepareReads Archive', 'prepareReads INBOX'], 'each folder with items, once; not the empty one');
    assert.ok(first.indexOf('prepareReads INBOX') < first.indexOf('nextWindow INBOX'), first.join(', '));
    assert.ok(first.indexOf('prepareReads INBOX') < first.indexOf('readItem'), first.join(', '));
    // A rerun with everything copied, and a delta with no news, read nothing: no hint.
    let from = h.world.calls.length;
    assert.equal((await h.run('full')).totals.copied, 0);
    assert.deepEqual(ops(from).filter((o) => o.startsWith('prepareReads')), []);
    from = h.world.calls.length;
    assert.equal((await h.run('delta')).totals.copied, 0);
    assert.deepEqual(ops(from).filter((o) => o.startsWith('prepareReads')), []);
    // A delta with news gives it for their folder.
    h.world.add(ann, ['INBOX'], 'news');
    from = h.world.calls.length;
    assert.equal((await h.run('delta')).totals.copied, 1);
    assert.deepEqual(ops(from).filter((o) => o.startsWith('prepareReads')), ['prepareReads INBOX']);
  });

  it('with the folder counts of the folder list (LIST-STATUS), tells the source before the folder\'s listing head; not when all was copied', async () => {
    const h = windowed(7);
    h.world.folderSizes = true;
    h.world.folder(ann, ['Empty']);
    await h.run('full');
    const ops = (from: number) => h.world.calls.slice(from).filter((c) => c.op === 'prepareReads' || c.op === 'listItemWindows').map((c) => `${c.op} ${c.detail}`);
    const first = ops(0);
    assert.deepEqual(first.filter((o) => o.startsWith('prepareReads')).sort(), ['prepareReads Archive', 'prepareReads INBOX'], 'each folder with items, once; not the empty one');
    assert.ok(first.indexOf('prepareReads INBOX') < first.indexOf('listItemWindows INBOX'), first.join(', '));
    const from = h.world.calls.length;
    assert.equal((await h.run('full')).totals.copied, 0);
    assert.deepEqual(ops(from).filter((o) => o.startsWith('prepareReads')), []);
  });

  it('a delta lists its news whole (moves are looked for among them) and copies only them', async () => {
    const h = windowed(7);
    await h.run('full');
    h.world.add(ann, ['INBOX'], 'm900');
    const calls = h.world.calls.length;
    const d = await h.run('delta');
    assert.equal(d.totals.copied, 1);
    assert.ok(h.world.calls.slice(calls).some((c) => c.op === 'listItems' && c.detail === 'INBOX'));
    assert.deepEqual(h.world.subjects(annDst, 'INBOX'), [...subjects(7), 'm900']);
  });
});
