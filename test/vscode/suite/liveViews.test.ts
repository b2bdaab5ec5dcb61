// One truth on screen while a pass of a 20,000-message mailbox runs: the tree, the status bar, the
// progress notification and the dashboard show the counts of the same published revision, none
// says "running" once the pass has ended, and Stop is shown at once and stops the pass. The lag
// from runner event to each view and the time from Stop to the pass's end are printed (figures,
// not assertions: the machine may be busy).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { ProjectView } from '../../../src/views/projectView';
import { viewNames } from '../../../src/views/viewLag';
import { countsText } from '../../../src/views/viewSummary';
import { HoldPoints } from '../../unit/helpers/holdPoints';
import { bigMaildirSource, writeBigPlan } from './bigMailbox';
import { removeFixtures } from './fixtures';
import { nextEvent, projectEntry, runsApi, until, untilState } from './runHelpers';

const messages = 20_000;

/** Everything each view shows now of a plan, read from the views themselves. */
async function shownNow(planFile: string): Promise<Record<string, string>> {
  const api = await runsApi();
  return {
    tree: String((await projectEntry(planFile)).item.description),
    statusBar: api.statusBarText(),
    notification: api.notificationText(planFile) ?? '',
    dashboard: api.dashboardModel(planFile)?.state ?? '',
  };
}

/** Waits until every view has drawn the published revision of the plan (bounded), and returns that view. */
async function viewsAgree(planFile: string, views: readonly string[] = viewNames): Promise<ProjectView> {
  const api = await runsApi();
  await until('every view to show the published revision', () => {
    const revision = api.publishedRevision(planFile);
    const shown = api.viewsShown(planFile) as Record<string, { revision: number } | undefined>;
    return views.every((v) => shown[v]?.revision === revision);
  });
  const view = (await api.view(planFile))!;
  assert.equal(view.revision, api.publishedRevision(planFile), 'nothing was published while reading');
  return view;
}

describe('one truth on screen: a pass of a 20,000-message mailbox', function () {
  this.timeout(240_000);
  let source: string;
  let panel: vscode.WebviewPanel | undefined;
  const destinations: string[] = [];

  before(async () => {
    await runsApi();
    await vscode.commands.executeCommand('ferry.projects.focus');
    source = bigMaildirSource(messages);
  });
  afterEach(async () => {
    panel?.dispose();
    panel = undefined;
    await removeFixtures();
  });
  after(() => {
    for (const dir of [source, ...destinations]) fs.rmSync(dir, { recursive: true, force: true });
  });

  const openDashboard = async (planFile: string) => {
    const api = await runsApi();
    const posted = nextEvent(api.onDidPostDashboard, (p) => p === planFile, 'the dashboard model');
    panel = await vscode.commands.executeCommand<vscode.WebviewPanel>('ferry.openDashboard', { planFile, batch: undefined });
    await posted;
  };

  /** A full pass of a new big plan, its dashboard open, whose runner holds at the source's read number `at`. */
  const heldFullPass = async (label: string, at: number) => {
    const api = await runsApi();
    const { plan, destination } = await writeBigPlan(label, source);
    destinations.push(destination);
    await openDashboard(plan.fsPath);
    const holds = new HoldPoints();
    // Only the runner this pass forks sees the hold (the environment is read when it is forked).
    Object.assign(process.env, holds.env([`source.read#${at}`], {}));
    const ended = nextEvent(api.onDidEndPass, (e) => e.planFile === plan.fsPath, 'the pass to end', 200_000);
    void vscode.commands.executeCommand('ferry.startFull', { planFile: plan.fsPath, batch: undefined });
    try {
      await holds.reached('source.read');
    } finally {
      delete process.env.FERRY_HOLD_AT;
      delete process.env.FERRY_HOLD_DIR;
    }
    return { plan, holds, ended };
  };

  it('tree, status bar, notification and dashboard show the same counts mid-pass, and none says running after it', async () => {
    const api = await runsApi();
    // The runner holds at its 5,000th read from the source: the views then have a moment that stays put.
    const { plan, holds, ended } = await heldFullPass('one-truth', 5000);
    const held = await viewsAgree(plan.fsPath);
    const counts = countsText(held);
    assert.ok(held.pass, 'the published view has the running pass');
    assert.match(counts, /^\d\/2 done · [\d,]+ items copied · /, counts);
    const shown = await shownNow(plan.fsPath);
    for (const [view, text] of Object.entries(shown)) assert.ok(text.includes(counts), `${view} shows "${text}", not "${counts}"`);
    console.log(`      [figure] mid-pass, every view at revision ${held.revision}: ${counts}`);

    holds.release('source.read');
    const end = await ended;
    assert.equal(end.summary?.status, 'completed');
    // When the pass's end is announced the views already show it (the store was read first).
    const after = await shownNow(plan.fsPath);
    assert.doesNotMatch(after.tree, /running|Stopping/, after.tree);
    assert.doesNotMatch(after.statusBar, /sync~spin|running/, after.statusBar);
    const final = await viewsAgree(plan.fsPath, ['tree', 'statusBar', 'dashboard']);
    assert.equal(final.pass, undefined);
    assert.equal(api.dashboardModel(plan.fsPath)?.running, false);
    assert.ok(final.totals.items >= messages, `${final.totals.items} items`);
    assert.deepEqual(final.batches[0].items.map((i) => i.status), ['Completed', 'Completed']);
    const lag = api.viewLag();
    console.log(`      [figure] lag from runner event to view (${messages.toLocaleString('en-US')} messages): ${viewNames.map((v) => `${v} p50 ${lag[v]?.p50 ?? '-'} ms, p95 ${lag[v]?.p95 ?? '-'} ms, max ${lag[v]?.max ?? '-'} ms (${lag[v]?.count ?? 0})`).join('; ')}`);
  });

  it('Stop is shown by every view until the pass has ended, then none says Stopping', async () => {
    // Held at a read, the runner takes the stop request but cannot end the pass until released.
    const { plan, holds, ended } = await heldFullPass('stop-held', 3000);
    const asked = Date.now();
    const stopping = await vscode.commands.executeCommand<boolean>('ferry.stopBatch', { planFile: plan.fsPath, batch: undefined });
    const answered = Date.now();
    assert.equal(stopping, true, 'the runner is stopping the pass this window started');
    const view = await viewsAgree(plan.fsPath);
    assert.equal(view.pass?.state, 'stopping');
    const shown = await shownNow(plan.fsPath);
    for (const [name, text] of Object.entries(shown)) assert.match(text, /Stopping full pass/, `${name} shows "${text}"`);
    holds.release('source.read');
    const end = await ended;
    assert.equal(end.summary?.status, 'stopped');
    const after = await shownNow(plan.fsPath);
    assert.doesNotMatch(after.statusBar, /Stopping|sync~spin/, after.statusBar);
    assert.doesNotMatch(after.tree, /Stopping|running/, after.tree);
    console.log(`      [figure] Stop (runner held): the runner answered ${answered - asked} ms after the command`);
  });

  it('Stop during a running pass ends it after the items in flight', async () => {
    const api = await runsApi();
    const { plan, destination } = await writeBigPlan('stop-big', source);
    destinations.push(destination);
    const ended = nextEvent(api.onDidEndPass, (e) => e.planFile === plan.fsPath, 'the pass to end', 200_000);
    void vscode.commands.executeCommand('ferry.startFull', { planFile: plan.fsPath, batch: undefined });
    // As soon as it copies: a Maildir pass of 20,000 now takes a few seconds, and the views lag it by up to half a second.
    await untilState(plan.fsPath, async () => ((await api.view(plan.fsPath))?.pass?.copied ?? 0) >= 1, 'the pass to copy its first messages', 120_000);
    const asked = Date.now();
    const stopping = await vscode.commands.executeCommand<boolean>('ferry.stopBatch', { planFile: plan.fsPath, batch: undefined });
    const answered = Date.now();
    assert.equal(stopping, true, 'the runner was stopping the pass this window started');
    const end = await ended;
    const took = Date.now() - asked;
    assert.equal(end.summary?.status, 'stopped');
    const final = await api.view(plan.fsPath);
    assert.ok((final?.totals.items ?? 0) <= messages, 'the pass did not run to its end');
    console.log(`      [figure] Stop: the runner answered ${answered - asked} ms after the command, the pass ended (views final) ${took} ms after it, ${final?.totals.items.toLocaleString('en-US')} of ${(messages + 1).toLocaleString('en-US')} copied`);
  });
});
