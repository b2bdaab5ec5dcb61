// A batch's life through the commands: an oversize mailbox waits at Confirmation required (a run
// diagnostic with its approve fixes), is approved and copied; a batch is completed (final delta,
// then Completed) and its state deleted, which its final state allows.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { codeOf } from './waitFor';
import { copyRunsFixture, removeFixtures } from './fixtures';
import { childEntry, projectEntry, runDiagnosticsUntil, runToEnd, runsApi, untilState } from './runHelpers';

async function fixesAt(uri: vscode.Uri, range: vscode.Range): Promise<vscode.CodeAction[]> {
  await vscode.workspace.openTextDocument(uri);
  const actions = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>('vscode.executeCodeActionProvider', uri, range, vscode.CodeActionKind.QuickFix.value);
  return actions.filter((a): a is vscode.CodeAction => 'kind' in a);
}

describe('batch lifecycle', function () {
  this.timeout(90_000);
  let plan: vscode.Uri;
  const batch = async (name: string) => (await (await runsApi()).view(plan.fsPath))!.batches.find((b) => b.name === name)!;

  // Each test starts from its own copy of the runs fixture after a full pass under a small quota.
  beforeEach(async () => {
    plan = await copyRunsFixture('lifecycle-run');
    const dir = path.dirname(plan.fsPath);
    fs.writeFileSync(path.join(dir, 'wave2.csv'), 'source,destination\ncarol@contoso.example,\ndave@contoso.example,david@fabrikam.example\n');
    // ann holds 8.2 KB: above a quota of 7.5 KB, bob (5.5 KB) below it.
    fs.writeFileSync(plan.fsPath, fs.readFileSync(plan.fsPath, 'utf8').replace('batches:\n', 'options:\n  mailboxQuotaGB: 0.000007\nbatches:\n'));
    await vscode.commands.executeCommand('ferry.refresh');
    await runToEnd(plan.fsPath, 'ferry.startFull', { planFile: plan.fsPath, batch: undefined });
    // The view follows the store a moment after the pass ends.
    await untilState(plan.fsPath, async () => (await batch('Wave 2')).status === 'Synced', 'Wave 2 to be Synced');
  });
  afterEach(removeFixtures);

  it('an oversize mailbox waits at Confirmation required, with approve fixes on its line', async () => {
    const pilot = await batch('Pilot');
    assert.equal(pilot.items.find((i) => i.source === 'ann@contoso.example')?.status, 'ConfirmationRequired');
    const diagnostics = await runDiagnosticsUntil(plan, plan.fsPath, (d) => d.some((x) => codeOf(x) === 'ENG-030'), 'the ENG-030 diagnostic');
    const eng030 = diagnostics.find((d) => codeOf(d) === 'ENG-030')!;
    assert.equal(eng030.severity, vscode.DiagnosticSeverity.Warning);
    assert.match((await vscode.workspace.openTextDocument(plan)).lineAt(eng030.range.start.line).text, /ann@contoso\.example/);
    const titles = (await fixesAt(plan, eng030.range)).map((a) => a.title);
    assert.ok(titles.includes('Approve ann@contoso.example (Confirmation required)'), titles.join(' | '));
    assert.ok(titles.includes('Set approveOversize: true on ann@contoso.example in the plan'), titles.join(' | '));
    assert.ok(titles.some((t) => t.startsWith('Copy: Approve the mailbox')), titles.join(' | '));
    const pilotNode = await childEntry(await childEntry(await projectEntry(plan.fsPath), 'Batches'), 'Pilot');
    assert.match(pilotNode.item.contextValue ?? '', /\bcanApprove\b/);
    const ann = await childEntry(pilotNode, 'ann@contoso.example');
    assert.equal(ann.item.contextValue, 'item canStart canApprove canRemove');
  });

  it('approving it (the quick fix) and running it again copies it; the diagnostic goes', async () => {
    const eng030 = (await runDiagnosticsUntil(plan, plan.fsPath, (d) => d.some((x) => codeOf(x) === 'ENG-030'), 'the ENG-030 diagnostic')).find((d) => codeOf(d) === 'ENG-030')!;
    const approve = (await fixesAt(plan, eng030.range)).find((a) => a.title.startsWith('Approve ann'))!;
    const approved = await vscode.commands.executeCommand<string[]>(approve.command!.command, ...(approve.command!.arguments ?? []));
    assert.deepEqual(approved, ['ann@contoso.example']);
    const ended = await runToEnd(plan.fsPath, 'ferry.startFull', { planFile: plan.fsPath, batch: 'Pilot', item: 'ann@contoso.example' });
    assert.deepEqual(ended.summary?.items.map((i) => [i.source, i.status]), [['ann@contoso.example', 'Completed']]);
    await runDiagnosticsUntil(plan, plan.fsPath, (d) => !d.some((x) => codeOf(x) === 'ENG-030'), 'ENG-030 to go');
  });

  it('completes a synced batch: a final delta, then Completed, only Delete left to do', async () => {
    assert.equal((await batch('Wave 2')).status, 'Synced');
    const ended = await runToEnd(plan.fsPath, 'ferry.completeBatch', { planFile: plan.fsPath, batch: 'Wave 2', confirmed: true });
    assert.equal(ended.kind, 'complete');
    assert.equal(ended.summary?.kind, 'delta');
    await untilState(plan.fsPath, async () => (await batch('Wave 2')).status === 'Completed', 'Wave 2 to be Completed');
    const wave2 = await batch('Wave 2');
    assert.equal(wave2.stats?.finalized, 2);
    const node = await childEntry(await childEntry(await projectEntry(plan.fsPath), 'Batches'), 'Wave 2');
    assert.equal(node.item.contextValue, 'batch canDelete canAddItems');
    assert.equal((node.item.iconPath as vscode.ThemeIcon).id, 'pass-filled');
  });

  it('deletes the state of a batch in a final state', async () => {
    assert.equal((await runToEnd(plan.fsPath, 'ferry.completeBatch', { planFile: plan.fsPath, batch: 'Wave 2', confirmed: true })).kind, 'complete');
    await untilState(plan.fsPath, async () => (await batch('Wave 2')).status === 'Completed', 'Wave 2 to be Completed');
    const result = await vscode.commands.executeCommand<{ deleted: boolean }>('ferry.deleteBatchState', { planFile: plan.fsPath, batch: 'Wave 2', confirmed: true });
    assert.deepEqual(result, { deleted: true });
    // The view reads the store again once the runner let go of it.
    await untilState(plan.fsPath, async () => (await batch('Wave 2')).stats === undefined, 'the statistics of Wave 2 to go');
    assert.equal((await batch('Wave 2')).status, undefined);
  });
});
