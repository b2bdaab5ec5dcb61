// Nothing dropped without a word (issue 13): every item a pass does not copy is recorded with its
// code (dates, sizes, item types the plan or the destination leaves out) with folder, date, size
// and, where the plan allows subjects, subject; folders left out by a rule are listed with it; all
// of it shows in `ferry report` and in the statistics the tree and the dashboard read.
import * as assert from 'node:assert/strict';
import { buildReport } from '../../../src/engine/report';
import { reportMarkdown } from '../../../src/cli/reportFormat';
import { notCopiedLines } from '../../../src/views/notCopied';
import { harness, simplePlan } from './engineTestUtil';

const ann = 'ann@contoso.example';

function mailboxWithCalendar(options: string) {
  const h = harness(simplePlan(['ann'], options));
  h.world.destinationItemTypes = ['mail'];
  h.world.add(ann, ['INBOX'], 'hello');
  h.world.add(ann, ['INBOX'], 'huge attachment', new Date('2026-01-11T09:00:00Z'), 2 * 1024 * 1024);
  h.world.add(ann, ['Junk'], 'spam');
  for (const [i, day] of ['2026-02-01', '2026-02-02', '2026-02-03'].entries()) h.world.add(ann, ['Calendar'], `meeting ${i + 1}`, new Date(`${day}T10:00:00Z`), 0, 'calendar');
  return h;
}

describe('engine: what a pass does not copy is recorded with its code', () => {
  it('a full pass into a mail-only destination lists the calendar items with ENG-023, the large item with ENG-020 and the excluded folder with its rule', async () => {
    const h = mailboxWithCalendar("  maxItemSizeMB: 1\n  logFailedItemSubjects: true\n  folders: { exclude: ['^Junk$'] }");
    const s = await h.run('full');
    assert.deepEqual([s.items[0].status, s.totals.copied, s.totals.skipped], ['Completed', 1, 4]);
    assert.deepEqual(h.store.skips.byCode(1), { 'ENG-020': 1, 'ENG-023': 3 });
    assert.deepEqual(h.store.skips.items(1).map((i) => [i.folderPath, i.code, i.date, i.subject]), [
      ['Calendar', 'ENG-023', '2026-02-01T10:00:00.000Z', 'meeting 1'],
      ['Calendar', 'ENG-023', '2026-02-02T10:00:00.000Z', 'meeting 2'],
      ['Calendar', 'ENG-023', '2026-02-03T10:00:00.000Z', 'meeting 3'],
      ['INBOX', 'ENG-020', '2026-01-11T09:00:00.000Z', 'huge attachment'],
    ]);
    assert.deepEqual(h.store.skips.excludedFolders(1), [{ folderPath: 'Junk', code: 'ENG-024', rule: 'options.folders.exclude ^Junk$' }]);

    const report = buildReport(h.store, h.plan.file)!;
    assert.equal(report.totals.skipped, 4);
    const md = reportMarkdown(report);
    assert.match(md, /Skipped: 1 × ENG-020 \(Item larger than the maximum size\), 3 × ENG-023 \(Folder holds items the destination cannot take\)/);
    assert.match(md, /\| Calendar \| ENG-023 \| .+ \| meeting 2 \|/);
    assert.match(md, /- Junk \(ENG-024\): options\.folders\.exclude \^Junk\$/);
    // The tree's tooltip and the dashboard read the same statistics.
    const lines = notCopiedLines(report.batches[0].items[0]);
    assert.equal(lines.length, 5);
    assert.match(lines[0], /^Calendar · ENG-023 · .+ · meeting 1$/);
    assert.match(lines[4], /^Junk · left out \(ENG-024\): options\.folders\.exclude \^Junk\$$/);
  });

  it('keeps subjects out of the record unless the plan allows them; a folder outside include names the rule', async () => {
    const h = mailboxWithCalendar("  folders: { include: ['^(INBOX|Calendar)$'] }");
    await h.run('full');
    assert.deepEqual(h.store.skips.items(1).map((i) => [i.folderPath, i.code, i.subject]), [
      ['Calendar', 'ENG-023', undefined],
      ['Calendar', 'ENG-023', undefined],
      ['Calendar', 'ENG-023', undefined],
    ]);
    assert.deepEqual(h.store.skips.excludedFolders(1).map((f) => f.rule), ['matches none of options.folders.include (^(INBOX|Calendar)$)']);
  });

  it('a delta records the same items once (no second row), and a pre-stage holds calendars back without calling them skipped', async () => {
    const h = mailboxWithCalendar('  itemTypes: [mail, calendar]');
    const pre = await h.run('prestage');
    assert.equal(pre.totals.skipped, 0);
    assert.deepEqual(h.store.skips.byCode(1), {});
    await h.run('full');
    await h.run('delta');
    assert.deepEqual(h.store.skips.byCode(1), { 'ENG-023': 3 });
  });

  it('items of a type the plan leaves out are listed with ENG-022', async () => {
    const h = mailboxWithCalendar('  itemTypes: [mail]');
    await h.run('full');
    assert.deepEqual(h.store.skips.byCode(1), { 'ENG-022': 3 });
  });

  it('an item larger than the destination takes is skipped with ENG-025 before anything is sent: by its listed size, or once read when the listing cannot tell', async () => {
    for (const sizesUnknown of [false, true]) {
      const h = harness(simplePlan(['ann']));
      h.world.destinationMaxItemBytes = 1024;
      h.world.sizesUnknown = sizesUnknown;
      h.world.add(ann, ['INBOX'], 'small');
      h.world.add(ann, ['INBOX'], 'too large', new Date('2026-01-12T00:00:00Z'), 4096);
      const s = await h.run('full');
      assert.deepEqual([s.items[0].status, s.totals.copied, s.totals.skipped, s.totals.errors], ['Completed', 1, 1, 0], `sizesUnknown ${sizesUnknown}`);
      assert.deepEqual(h.store.skips.items(1).map((i) => [i.folderPath, i.code, i.sizeBytes > 4096]), [['INBOX', 'ENG-025', true]]);
      assert.deepEqual(h.world.subjects('ann@fabrikam.example', 'INBOX'), ['small']);
      assert.equal(h.world.calls.filter((c) => c.op === 'writeItem').length, 1, 'the large item was sent');
    }
  });
});
