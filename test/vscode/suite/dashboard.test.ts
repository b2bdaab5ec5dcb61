// The dashboard of the runs fixture after a full pass: the statistics tiles and batch rows of the
// Exchange migration dashboard, every mailbox, throughput, errors grouped by code with fixes.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { fullPassFixture, removeFixtures } from './fixtures';
import { nextEvent, runsApi } from './runHelpers';

describe('dashboard', function () {
  this.timeout(60_000);
  let plan: string;
  let panel: vscode.WebviewPanel | undefined;

  // Each test opens the dashboard of a runs fixture of its describe, after a full pass of this window.
  before(async () => {
    plan = (await fullPassFixture('dashboard-run')).plan.fsPath;
  });
  beforeEach(async () => {
    const api = await runsApi();
    const posted = nextEvent(api.onDidPostDashboard, (p) => p === plan, 'the dashboard model');
    panel = await vscode.commands.executeCommand<vscode.WebviewPanel>('ferry.openDashboard', { planFile: plan, batch: undefined });
    await posted;
  });
  afterEach(async () => {
    panel?.dispose();
  });
  after(removeFixtures);

  it('opens with the project statistics', async () => {
    const api = await runsApi();
    assert.equal(panel?.title, 'Ferry: Runs fixture');
    const model = api.dashboardModel(plan)!;
    const tiles = Object.fromEntries(model.tiles.map((t) => [t.label, t.value]));
    assert.equal(tiles.Total, '6');
    assert.equal(tiles.Failed, '2');
    assert.ok(Number(tiles.Synced) >= 4, JSON.stringify(tiles));
    assert.deepEqual(model.batches.map((b) => b.name), ['Pilot', 'Wave 2']);
    const pilot = model.batches[0];
    assert.equal(pilot.total, 3);
    assert.notEqual(pilot.initialSync, '-');
    assert.match(pilot.initialSyncDuration, /s$/);
    assert.equal(model.items.length, 6);
    assert.ok(model.items.every((i) => i.statusLabel), 'every mailbox has a status');
  });

  it('groups errors by code, with the catalog fixes', async () => {
    const model = (await runsApi()).dashboardModel(plan)!;
    const group = model.errors.find((g) => g.code === 'MAILDIR-NOT-FOUND');
    assert.ok(group, JSON.stringify(model.errors.map((g) => g.code)));
    assert.equal(group.title, 'Maildir not found');
    assert.ok(group.mailboxes.some((m) => m.source === 'ghost@contoso.example'));
    assert.ok(group.fixes.some((f) => f.title === 'Explain MAILDIR-NOT-FOUND'));
  });

  it('draws throughput from the pass this window ran', async () => {
    const model = (await runsApi()).dashboardModel(plan)!;
    assert.ok(model.throughput.points.length >= 2, JSON.stringify(model.throughput));
    assert.ok(model.throughput.points[model.throughput.points.length - 1].total > 0);
  });
});
