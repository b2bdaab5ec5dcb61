// A batch of 10,000 mailboxes: the plan is read without freezing the host, the batch opens with
// its first page and a "Load more" node, more pages load on demand, a mailbox far down reveals.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { labelOf, runsApi, until } from './runHelpers';
import { workspaceFile } from './waitFor';

function bigPlan(items: number): string {
  const lines = ['version: 1', 'project: { name: Ten thousand }', 'endpoints:', '  a: { type: maildir, path: ./a }', '  b: { type: maildir, path: ./b }', 'source: a', 'destination: b', 'identityMapping:', '  domains:', '    - { from: contoso.example, to: fabrikam.example }', 'batches:', '  - name: Everyone', '    items:'];
  for (let i = 0; i < items; i++) lines.push(`      - source: user${String(i).padStart(5, '0')}@contoso.example`);
  return `${lines.join('\n')}\n`;
}

describe('a batch of 10,000 mailboxes', function () {
  this.timeout(60_000);
  const plan = workspaceFile('big/big.migration.yaml');

  before(async () => {
    await vscode.workspace.fs.writeFile(plan, new TextEncoder().encode(bigPlan(10_000)));
    await vscode.commands.executeCommand('ferry.refresh');
  });

  it('reads the plan quickly and pages the batch', async () => {
    const api = await runsApi();
    const started = Date.now();
    const view = await api.view(plan.fsPath);
    const readMs = Date.now() - started;
    console.log(`outline of 10,000 mailboxes: ${readMs} ms`);
    assert.equal(view?.batches[0].items.length, 10_000);
    assert.equal(view?.batches[0].items[9_999].destination, 'user09999@fabrikam.example');
    assert.ok(readMs < 2000, `reading took ${readMs} ms`);

    const project = (await api.treeChildren()).find((e) => labelOf(e.item) === 'Ten thousand')!;
    assert.match(String(project.item.description), /^10,000 mailboxes · not run yet$/);
    const batches = (await api.treeChildren(project.node)).find((e) => labelOf(e.item) === 'Batches')!;
    const batch = (await api.treeChildren(batches.node))[0];
    const t = Date.now();
    const first = await api.treeChildren(batch.node);
    console.log(`first page: ${Date.now() - t} ms`);
    assert.equal(first.length, 201);
    const more = first[200];
    assert.equal(labelOf(more.item), 'Load more…');
    assert.equal(more.item.description, '200 mailboxes of 10,000 shown; next 200');
    await vscode.commands.executeCommand(more.item.command!.command, ...(more.item.command!.arguments ?? []));
    const second = await api.treeChildren(batch.node);
    assert.equal(second.length, 401);
    assert.equal(labelOf(second[399].item), 'user00399@contoso.example');
  });

  it('reveals a mailbox far down the batch', async () => {
    const api = await runsApi();
    await vscode.commands.executeCommand('ferry.projects.focus');
    const node = await api.reveal(plan.fsPath, 'Everyone', 'user09876@contoso.example');
    assert.ok(node);
    await until('the mailbox to be selected', () => api.treeView.selection[0]?.id === node.id);
    const batch = (await api.treeChildren(node.parent!.parent!)).find((e) => labelOf(e.item) === 'Everyone')!;
    assert.equal((await api.treeChildren(batch.node)).length, 10_000, "pages up to the revealed mailbox are loaded");
  });
});
