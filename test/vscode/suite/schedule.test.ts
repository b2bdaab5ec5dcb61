// The schedule of a batch in the Projects view: its next action and when (the same computation as
// `ferry status`), and the commands that pause, resume, skip and run it now (through `ferry schedule`).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { fullPassFixture, removeFixtures } from './fixtures';
import { childEntry as child, projectEntry, runsApi, untilState } from './runHelpers';

describe('schedules in the Projects view', () => {
  let plan: vscode.Uri;
  before(async () => {
    await runsApi();
    await vscode.commands.executeCommand('ferry.projects.focus');
  });
  // Each test changes the schedule: each has its own copy of the fixture, run once.
  beforeEach(async () => {
    ({ plan } = await fullPassFixture('schedule'));
  });
  afterEach(removeFixtures);

  const pilotDescription = async () => String((await child(await child(await projectEntry(plan.fsPath), 'Batches'), 'Pilot')).item.description);
  const untilPilot = (pattern: RegExp) => untilState(plan.fsPath, async () => pattern.test(await pilotDescription()), `Pilot's description to match ${pattern}`);

  it('shows the next incremental sync of a Synced batch, then pause and resume from the commands', async () => {
    await untilPilot(/ · next: sync \d{4}-\d{2}-\d{2} [\d:]+Z$/);
    const paused = await vscode.commands.executeCommand<{ ok: boolean; message: string }>('ferry.schedulePause', { planFile: plan.fsPath, batch: 'Pilot' });
    assert.equal(paused?.ok, true, paused?.message);
    await untilPilot(/ · schedule paused$/);
    await vscode.commands.executeCommand('ferry.scheduleResume', { planFile: plan.fsPath, batch: 'Pilot' });
    await untilPilot(/ · next: sync \d{4}/);
  });

  it('run now makes the next action due; skip moves the sync one interval on', async () => {
    const now = await vscode.commands.executeCommand<{ ok: boolean; message: string }>('ferry.scheduleRunNow', { planFile: plan.fsPath, batch: 'Pilot' });
    assert.match(now?.message ?? '', /Asked ferry serve to run the next action of batch Pilot now \(sync\)/);
    await untilPilot(/ · next: sync now$/);
    const skipped = await vscode.commands.executeCommand<{ ok: boolean; message: string }>('ferry.scheduleSkip', { planFile: plan.fsPath, batch: 'Pilot' });
    assert.match(skipped?.message ?? '', /Skipped the sync of batch Pilot due /);
  });
});
