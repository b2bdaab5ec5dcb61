// Passes in the background runner, against a fake IMAP server that holds its greeting so that a
// pass stays running as long as the test wants: what is enabled while it runs (context keys and
// the manifest's `when` clauses), the 409 on delete, and reattaching after the window lost its
// runner.
//
// A real window reload cannot happen inside this suite (it would end the extension host running
// it), so it is simulated at its effect on the store: the runner is killed (SIGKILL, as when a
// window dies), which leaves the pass `running` with a dead runner and this window's record of it
// in workspaceState; then `reattach()` runs what activation runs after a reload. The Playwright
// test (npm run test:ui) reloads a real window.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { startFakeImap, type FakeImap } from './fakeImap';
import { writeImapPlan } from './imapPlans';
import { removeFixtures } from './fixtures';
import { childEntry, nextEvent, projectEntry, runToEnd, runsApi, untilState } from './runHelpers';
import { shown } from './whenClause';

const root = path.resolve(__dirname, '..', '..', '..', '..');

describe('background passes', function () {
  this.timeout(90_000);
  let server: FakeImap;
  let plan: vscode.Uri;
  let running: Thenable<unknown> | undefined;

  const batchNode = async () => {
    const project = await projectEntry(plan.fsPath);
    return { project, batch: await childEntry(await childEntry(project, 'Batches'), 'Wave A') };
  };
  const itemMenu = (viewItem: string | undefined, keys: Record<string, boolean>) => shown(root, 'view/item/context', { view: 'ferry.projects', viewItem, ...keys });

  /** Starts a verify pass that stays running (the server holds its greeting) until released. */
  const startHeldPass = async () => {
    const api = await runsApi();
    running = vscode.commands.executeCommand('ferry.verifyCredentials', { planFile: plan.fsPath, batch: undefined });
    await untilState(plan.fsPath, async () => (await api.view(plan.fsPath))?.batches[0]?.status === 'Syncing', 'the batch to be Syncing');
  };
  /** What a window that dies mid-pass leaves behind: the pass `running` in the store, its runner gone. */
  const cutOff = async () => {
    await startHeldPass();
    const api = await runsApi();
    const pid = api.runnerPid(plan.fsPath);
    assert.ok(pid, 'this window has a runner');
    const ended = nextEvent(api.onDidEndPass, (e) => e.planFile === plan.fsPath, 'the killed pass to end');
    process.kill(pid, 'SIGKILL');
    assert.equal((await ended).failed, true);
    await running;
  };

  // Each test has its own server and plan, in a folder that goes afterwards: a pass a test cut off
  // must not be offered for resuming to the next test.
  beforeEach(async () => {
    server = await startFakeImap({ hold: true });
    plan = await writeImapPlan('slow', 'Slow IMAP', server.port, 'SLOW_PW');
    await vscode.commands.executeCommand('ferry.setSecret', 'SLOW_PW', 'slow-password-1234');
    running = undefined;
  });
  afterEach(async () => {
    server.release();
    await running;
    await removeFixtures();
    await (await runsApi()).reattach(false);
    await server.close();
  });

  it('before any pass: Start is offered, Stop, Complete and Delete are not', async () => {
    const api = await runsApi();
    const { batch } = await batchNode();
    assert.equal(batch.item.contextValue, 'batch canStart canAddItems');
    const menu = itemMenu(batch.item.contextValue, api.contextKeys());
    for (const c of ['ferry.startFull', 'ferry.verifyCredentials', 'ferry.startTrial', 'ferry.addItem']) assert.ok(menu.includes(c), `${c} in ${menu.join(', ')}`);
    for (const c of ['ferry.stopBatch', 'ferry.completeBatch', 'ferry.deleteBatchState']) assert.ok(!menu.includes(c), `${c} not in ${menu.join(', ')}`);
    assert.equal(api.contextKeys()['ferry.passRunning'], false);
    assert.ok(!shown(root, 'commandPalette', api.contextKeys()).includes('ferry.stopBatch'));
  });

  it('while a pass runs: Stop is enabled, starts are not, and deleting the batch state is refused with 409', async () => {
    const api = await runsApi();
    await startHeldPass();
    assert.equal(api.isRunning(plan.fsPath), true);
    assert.equal(api.contextKeys()['ferry.passRunning'], true);
    const { batch, project } = await batchNode();
    assert.equal(batch.item.contextValue, 'batch canStop canAddItems');
    assert.equal((batch.item.iconPath as vscode.ThemeIcon).id, 'sync~spin');
    const menu = itemMenu(batch.item.contextValue, api.contextKeys());
    assert.ok(menu.includes('ferry.stopBatch'));
    for (const c of ['ferry.startFull', 'ferry.completeBatch', 'ferry.deleteBatchState']) assert.ok(!menu.includes(c), `${c} not in ${menu.join(', ')}`);
    assert.ok(itemMenu(project.item.contextValue, api.contextKeys()).includes('ferry.stopBatch'));
    assert.ok(shown(root, 'view/title', { view: 'ferry.projects', ...api.contextKeys() }).includes('ferry.stopBatch'));
    assert.ok(shown(root, 'commandPalette', api.contextKeys()).includes('ferry.stopBatch'));
    assert.match(String(project.item.description), /Verify credentials running/);

    const refused = await vscode.commands.executeCommand<{ deleted: boolean; code?: string }>('ferry.deleteBatchState', { planFile: plan.fsPath, batch: 'Wave A' });
    assert.deepEqual(refused, { deleted: false, code: 'resourceTypeMismatch' });
  });

  it('after the window lost its runner, reattaching finds the cut-off pass and offers to resume it', async () => {
    const api = await runsApi();
    await cutOff();
    const view = await api.view(plan.fsPath);
    assert.equal(view?.passes[0].status, 'running', 'the store still says running: its runner died');
    assert.equal(view?.snapshot?.runner, undefined, 'no live runner owns the state folder');

    const found = await api.reattach(false);
    const mine = found.find((r) => r.planFile === plan.fsPath);
    assert.ok(mine, `reattach found ${JSON.stringify(found)}`);
    assert.equal(mine.kind, 'verify');
    assert.equal(mine.reason, 'cutOff');
    assert.equal(api.contextKeys()['ferry.canResume'], true);
    const { project } = await batchNode();
    assert.match(project.item.contextValue ?? '', /\bcanResume\b/);
    assert.ok(itemMenu(project.item.contextValue, api.contextKeys()).includes('ferry.resume'));
  });

  it('resume runs the pass again to its end; the cut-off pass is recorded as interrupted', async () => {
    const api = await runsApi();
    await cutOff();
    assert.equal((await api.reattach(false)).filter((r) => r.planFile === plan.fsPath).length, 1);
    server.release();
    const ended = await runToEnd(plan.fsPath, 'ferry.resume', { planFile: plan.fsPath });
    assert.equal(ended.summary?.status, 'completed');
    assert.equal(ended.summary?.kind, 'verify');
    assert.deepEqual(ended.summary?.items.map((i) => [i.source, i.status, i.code]), [
      ['alice@contoso.example', 'NotValid', 'IMAP-AUTH'],
      ['bruno@contoso.example', 'NotValid', 'IMAP-AUTH'],
    ]);
    const view = await api.view(plan.fsPath);
    assert.deepEqual(view?.passes.slice(0, 2).map((p) => [p.kind, p.status]), [['verify', 'completed'], ['verify', 'interrupted']]);
    assert.deepEqual((await api.reattach(false)).filter((r) => r.planFile === plan.fsPath), []);
    assert.equal(api.contextKeys()['ferry.canResume'], false);
    assert.equal(api.contextKeys()['ferry.passRunning'], false);
  });
});
