// Adding mailboxes: one by one, in bulk from a CSV file, discovered from a Maildir source; into
// the plan's items list or the batch's CSV items file. The plan stays valid and the views follow.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { copyRunsFixture, removeFixtures } from './fixtures';
import { runsApi, untilState } from './runHelpers';
import { upToDate } from './waitFor';

describe('adding mailboxes', function () {
  this.timeout(60_000);
  let plan: vscode.Uri;
  const text = () => fs.readFileSync(plan.fsPath, 'utf8');
  const pilot = async () => (await (await runsApi()).view(plan.fsPath))?.batches.find((b) => b.name === 'Pilot')?.items.map((i) => i.source) ?? [];

  beforeEach(async () => {
    plan = await copyRunsFixture('items-run');
  });
  afterEach(removeFixtures);

  it('adds one mailbox to a batch listed in the plan, below its last item', async () => {
    const added = await vscode.commands.executeCommand<boolean>('ferry.addItem', { planFile: plan.fsPath, batch: 'Pilot' }, { source: 'frank@contoso.example', destination: 'francis@fabrikam.example' });
    assert.equal(added, true);
    assert.match(text(), /- source: ghost@contoso\.example\n {6}- source: frank@contoso\.example\n {8}destination: francis@fabrikam\.example\n {2}- name: Wave 2/);
    await untilState(plan.fsPath, async () => (await pilot()).includes('frank@contoso.example'), 'frank in the outline');
    const diagnostics = await upToDate(await vscode.workspace.openTextDocument(plan));
    assert.deepEqual(diagnostics.filter((d) => d.severity === vscode.DiagnosticSeverity.Error && d.source === 'ferry').map((d) => d.message), [], 'the plan stays valid');
  });

  it('adds to the CSV items file of a batch that has one', async () => {
    await vscode.commands.executeCommand('ferry.addItem', { planFile: plan.fsPath, batch: 'Wave 2' }, { source: 'gina@contoso.example' });
    assert.match(fs.readFileSync(path.join(path.dirname(plan.fsPath), 'wave2.csv'), 'utf8'), /\ngina@contoso\.example,\n$/);
  });

  it('adds in bulk from a CSV file, skipping mailboxes already in the plan', async () => {
    const csv = vscode.Uri.file(path.join(path.dirname(plan.fsPath), 'more.csv'));
    fs.writeFileSync(csv.fsPath, 'source,destination\nann@contoso.example,\nhugo@contoso.example,\nivy@contoso.example,ivy.new@fabrikam.example\n');
    const count = await vscode.commands.executeCommand<number>('ferry.bulkAddItems', { planFile: plan.fsPath, batch: 'Pilot' }, csv);
    assert.equal(count, 2);
    await untilState(plan.fsPath, async () => (await pilot()).includes('ivy@contoso.example'), 'ivy in the outline');
    assert.deepEqual((await pilot()).slice(-2), ['hugo@contoso.example', 'ivy@contoso.example']);
    assert.equal(text().match(/ann@contoso\.example/g)?.length, 1);
  });

  it('discovers the Maildirs of the source endpoint that the plan does not list yet', async () => {
    let offered: string[] = [];
    const count = await vscode.commands.executeCommand<number>('ferry.autodiscoverItems', { planFile: plan.fsPath, batch: 'Pilot' }, async (found: string[]) => {
      offered = found;
      return found;
    });
    assert.deepEqual(offered, ['erin@contoso.example']);
    assert.equal(count, 1);
    await untilState(plan.fsPath, async () => (await pilot()).includes('erin@contoso.example'), 'erin in the outline');
  });
});
