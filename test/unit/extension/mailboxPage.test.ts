// A mailbox's page: what the snapshot worker reads for it (passes with what each did to it, per
// folder what the source listing saw, items not copied with subject, folders left out, the last
// delta's changes by kind) and the page's model from the one published view.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { main } from '../../../src/cli/main';
import type { CliIo } from '../../../src/cli/io';
import { mailboxPageModel } from '../../../src/views/mailbox/mailboxModel';
import { applyEvent, newLiveState } from '../../../src/views/liveState';
import { planOutline } from '../../../src/views/planOutline';
import { projectView } from '../../../src/views/projectView';
import { countsText } from '../../../src/views/viewSummary';
import { readSnapshot } from '../../../src/snapshot/readSnapshot';
import { maildirProject } from '../runner/runnerFixture';

const io = (cwd: string): CliIo => ({ cwd, env: {}, out: () => undefined, err: () => undefined });
const ann = { batch: 'Main', source: 'ann@contoso.example' };

function message(box: string, folder: string, name: string, subject: string): void {
  const dir = path.join(box, folder, 'cur');
  for (const sub of ['cur', 'new', 'tmp']) fs.mkdirSync(path.join(box, folder, sub), { recursive: true });
  fs.writeFileSync(path.join(dir, name), `Message-ID: <${name}@contoso.example>\nSubject: ${subject}\n\nbody\n`);
}

/** ann: 5 in the Inbox, Projects with 3 copied and 1 dated after the plan's range, Junk left out by rule. */
function project() {
  const p = maildirProject(5, `options:
  folders: { exclude: ['^Junk$'] }
  dateRange: { to: '2026-01-01' }
  logFailedItemSubjects: true
`);
  const box = path.join(p.dir, 'source', 'ann@contoso.example');
  for (let i = 0; i < 3; i++) message(box, '.Projects', `${1700000100 + i}.M${i}P2.test:2,S`, `project ${i}`);
  message(box, '.Projects', '1900000000.M9P2.test:2,S', 'from the future');
  // Dated by the earlier of name and mtime: both after the range.
  const future = new Date('2030-01-01T00:00:00Z');
  fs.utimesSync(path.join(box, '.Projects', 'cur', '1900000000.M9P2.test:2,S'), future, future);
  message(box, '.Junk', '1700000200.M1P3.test:2,', 'spam');
  message(box, '.Junk', '1700000201.M2P3.test:2,', 'more spam');
  return { ...p, box, stateDir: path.join(p.dir, '.ferry') };
}

describe('extension: the mailbox page', function () {
  this.timeout(60_000);

  it('shows per folder the source and destination counts, folders left out, items not copied, passes and the last delta by kind', async () => {
    const p = project();
    assert.equal(await main(['run', 'p.migration.yaml', '--pass', 'full'], io(p.dir)), 0);
    // A user flags one Inbox message at the source; the delta carries it.
    const cur = path.join(p.box, 'cur');
    const first = fs.readdirSync(cur).sort()[0];
    fs.renameSync(path.join(cur, first), path.join(cur, first.replace(':2,S', ':2,FS')));
    assert.equal(await main(['run', 'p.migration.yaml', '--pass', 'delta'], io(p.dir)), 0);

    const snapshot = readSnapshot(p.stateDir, p.plan, Date.now, [ann]);
    const detail = snapshot.mailboxes?.find((m) => m.source === ann.source);
    assert.ok(detail, 'the detail of the open page is read with the snapshot');
    assert.deepEqual(detail.passes.map((x) => [x.kind, x.status, x.copied, x.skipped]), [['delta', 'completed', 0, 0], ['full', 'completed', 8, 1]]);
    assert.equal(detail.lastDelta?.byKind.flags, 1);
    assert.deepEqual(detail.skipped.map((s) => [s.folderPath, s.code]), [['Projects', 'ENG-021']]);

    const outline = planOutline(p.plan, fs.readFileSync(p.plan, 'utf8'));
    const view = projectView(p.plan, outline, snapshot, undefined, { revision: 7 });
    const page = mailboxPageModel(view, ann.batch, ann.source)!;
    assert.equal(page.revision, 7);
    assert.deepEqual(page.folders.map((f) => [f.source, f.sourceItems, f.copied, f.skipped]), [['INBOX', 5, 5, 0], ['Projects', 4, 3, 1]]);
    assert.deepEqual(page.excluded.map((f) => [f.folder, f.code, f.rule]), [['Junk', 'ENG-024', 'options.folders.exclude ^Junk$']]);
    assert.deepEqual(page.notCopied.map((n) => [n.folder, n.code, n.why]), [['Projects', 'ENG-021', page.notCopied[0].why]]);
    assert.notEqual(page.notCopied[0].why, 'ENG-021', 'the catalog says why');
    assert.equal(page.notCopiedTotal, 1);
    assert.deepEqual(page.delta?.kinds.find((k) => k.kind === 'flags')?.count, 1);
    assert.deepEqual(page.passes.map((x) => x.kind), ['Delta pass', 'Full pass']);
    // The same counts as the other views of this revision: the page's items are the tree's.
    assert.equal(page.tiles.find((t) => t.label === 'Items copied')?.value, '8');
    assert.equal(countsText(view), '2/2 synced · 13 items', 'ann 8 and bob 5, as the status bar words it');
    assert.deepEqual(page.actions.map((a) => a.title).slice(0, 3), ['Full pass', 'Delta pass', 'Verify']);
    assert.equal(page.detailPending, false);
  });

  it('offers Stop and shows the live log while this window runs a pass over the mailbox, and no pass to start', () => {
    const p = maildirProject(1);
    const outline = planOutline(p.plan, fs.readFileSync(p.plan, 'utf8'));
    const live = newLiveState(0);
    applyEvent(live, { type: 'passStarted', passId: 3, kind: 'full', batches: ['Main'], items: 2 }, 0);
    applyEvent(live, { type: 'batchStatus', batch: 'Main', status: 'Syncing' }, 5);
    applyEvent(live, { type: 'itemStatus', batch: 'Main', item: ann.source, destination: 'ann@fabrikam.example', status: 'InProgress' }, 10);
    applyEvent(live, { type: 'progress', batch: 'Main', item: ann.source, folder: 'INBOX', itemsDone: 1, itemsTotal: 4, bytesDone: 10, bytesTotal: 40 }, 20);
    applyEvent(live, { type: 'error', batch: 'Main', item: ann.source, code: 'ENG-010', message: 'could not read item 7', folder: 'INBOX' }, 30);
    const view = projectView(p.plan, outline, undefined, live, { revision: 2, now: 40 });
    const page = mailboxPageModel(view, ann.batch, ann.source)!;
    assert.deepEqual(page.log.map((l) => l.text), ['In progress', 'Folder INBOX: 1 of 4 items done', 'ENG-010 could not read item 7 (INBOX)']);
    assert.deepEqual(page.actions.filter((a) => a.action.kind === 'startPass' || a.action.kind === 'stop').map((a) => a.title), ['Stop']);
    assert.equal(page.passes[0].status, 'In progress');
    assert.equal(page.errors[0].code, 'ENG-010');
    assert.match(page.state, /^In progress · 25%/);
  });
});
