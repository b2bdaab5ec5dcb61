// The mailbox page and multi-selection in a real VS Code, on a 20,000-message Maildir mailbox:
// the page draws the same published revision as the tree, status bar, notification and dashboard
// (held mid-pass, so the moment stays put), shows percent per batch, then per folder what the
// source holds and what was copied; a pass started on two selected mailboxes runs them in one pass.
// The lag from runner event to the page is printed (figures, not assertions).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { itemKey } from '../../../src/views/liveState';
import { allViewNames } from '../../../src/views/viewLag';
import { batchProgressText, countsText } from '../../../src/views/viewSummary';
import { HoldPoints } from '../../unit/helpers/holdPoints';
import { bigMailbox, bigMaildirSource, writeBigPlan } from './bigMailbox';
import { removeFixtures } from './fixtures';
import { nextEvent, projectEntry, runsApi, runToEnd, until } from './runHelpers';

const messages = 20_000;

describe('the mailbox page and several mailboxes at once (20,000-message mailbox)', function () {
  this.timeout(240_000);
  let source: string;
  const panels: vscode.WebviewPanel[] = [];
  const destinations: string[] = [];

  before(async () => {
    await runsApi();
    // The tree draws (and records what it drew) only while it is visible.
    await vscode.commands.executeCommand('ferry.projects.focus');
    source = bigMaildirSource(messages);
  });
  afterEach(async () => {
    for (const p of panels.splice(0)) p.dispose();
    await removeFixtures();
  });
  after(() => {
    for (const dir of [source, ...destinations]) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('shows the counts of the same revision as the other views mid-pass, then per folder the source and copied counts', async () => {
    const api = await runsApi();
    const { plan, destination } = await writeBigPlan('mailbox-page', source);
    destinations.push(destination);
    const planFile = plan.fsPath;
    const dashboardPosted = nextEvent(api.onDidPostDashboard, (p) => p === planFile, 'the dashboard model');
    panels.push(await vscode.commands.executeCommand<vscode.WebviewPanel>('ferry.openDashboard', { planFile, batch: undefined }));
    await dashboardPosted;
    const pagePosted = nextEvent(api.onDidPostMailbox, (m) => m.source === bigMailbox, 'the mailbox page model');
    const page = await vscode.commands.executeCommand<vscode.WebviewPanel>('ferry.openMailbox', { planFile, batch: 'Big', item: bigMailbox });
    panels.push(page);
    await pagePosted;
    // The page shares the editor area with the dashboard: both stay visible side by side.
    page.reveal(vscode.ViewColumn.Beside);

    const holds = new HoldPoints();
    Object.assign(process.env, holds.env(['source.read#5000'], {}));
    const ended = nextEvent(api.onDidEndPass, (e) => e.planFile === planFile, 'the pass to end', 200_000);
    void vscode.commands.executeCommand('ferry.startFull', { planFile, batch: undefined });
    try {
      await holds.reached('source.read');
    } finally {
      delete process.env.FERRY_HOLD_AT;
      delete process.env.FERRY_HOLD_DIR;
    }
    const views = [...allViewNames];
    await until('every view and the page to draw the published revision', () => {
      const revision = api.publishedRevision(planFile);
      const shown = api.viewsShown(planFile) as Record<string, { revision: number } | undefined>;
      return views.every((v) => shown[v]?.revision === revision);
    });
    const held = (await api.view(planFile))!;
    const model = api.mailboxModel(planFile, 'Big', bigMailbox)!;
    assert.equal(model.revision, held.revision, 'the page drew the revision every view drew');
    const big = held.items.get(itemKey('Big', bigMailbox))!;
    assert.equal(model.tiles.find((t) => t.label === 'Items copied')?.value, big.items.toLocaleString('en-US'));
    const counts = countsText(held);
    for (const text of [String((await projectEntry(planFile)).item.description), api.statusBarText(), api.dashboardModel(planFile)?.state ?? '']) assert.ok(text.includes(counts), `"${text}" lacks "${counts}"`);
    // Percent per batch: the dashboard's batch row and the status bar's tooltip say the batch's own share.
    const batchText = batchProgressText(held, held.batches[0])!;
    assert.match(batchText, /^\d\/2 done · [\d.]+%/);
    assert.equal(api.dashboardModel(planFile)?.batches[0].progress, batchText);
    assert.ok(api.statusBarTooltip().includes(`Big: ${batchText}`), api.statusBarTooltip());
    assert.ok(model.log.length > 0, 'the live log of the running pass');
    assert.ok(model.actions.some((a) => a.action.kind === 'stop') && !model.actions.some((a) => a.action.kind === 'startPass'), 'only Stop while the pass runs');
    console.log(`      [figure] mid-pass, every view and the mailbox page at revision ${held.revision}: ${counts}; batch Big ${batchText}`);

    holds.release('source.read');
    const end = await ended;
    assert.equal(end.summary?.status, 'completed');
    await until('the page to show the folders with the source listing\'s counts', () => {
      const m = api.mailboxModel(planFile, 'Big', bigMailbox);
      return !!m && !m.running && !m.detailPending && m.folders.length > 0;
    }, 60_000);
    const after = api.mailboxModel(planFile, 'Big', bigMailbox)!;
    assert.deepEqual(after.folders.map((f) => [f.source, f.sourceItems, f.copied]), [['INBOX', messages, messages]]);
    assert.deepEqual(after.passes.map((p) => [p.kind, p.status, p.copied]), [['Full pass', 'Completed', messages]]);
    const lag = api.viewLag();
    console.log(`      [figure] lag from runner event to view (${messages.toLocaleString('en-US')} messages): ${allViewNames.map((v) => `${v} p50 ${lag[v]?.p50 ?? '-'} ms, p95 ${lag[v]?.p95 ?? '-'} ms, max ${lag[v]?.max ?? '-'} ms (${lag[v]?.count ?? 0})`).join('; ')}`);
  });

  it('a pass started on two selected mailboxes runs both in one pass (verify: nothing copied)', async () => {
    const api = await runsApi();
    const { plan, destination } = await writeBigPlan('multi-select', source);
    destinations.push(destination);
    const planFile = plan.fsPath;
    const selection = [{ batch: 'Big', source: 'small@contoso.example' }, { batch: 'Big', source: bigMailbox }];
    const end = await runToEnd(planFile, 'ferry.verifyCredentials', { planFile, selection, confirmed: true });
    assert.equal(end.summary?.status, 'completed');
    assert.deepEqual(end.summary?.items.map((i) => i.source).sort(), [bigMailbox, 'small@contoso.example']);
    const view = (await api.view(planFile))!;
    assert.deepEqual([view.passes[0].kind, view.passes[0].scopeBatch, view.passes[0].scopeItem], ['verify', 'Big', `small@contoso.example, ${bigMailbox}`]);
  });
});
