// A batch of 10,000 mailboxes: the batch opens with its first page and a "Load more" node, more
// pages load on demand, a mailbox far down reveals. How long reading and paging take is measured
// by `npm run bench:outline` (test/bench/outline.bench.ts), not asserted here.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { largePlan } from '../../bench/planGenerator';
import { removeFixtures, writePlan } from './fixtures';
import { childEntry, labelOf, projectEntry, runsApi, until } from './runHelpers';

describe('a batch of 10,000 mailboxes', function () {
  this.timeout(120_000);
  let plan: vscode.Uri;

  // Its own plan per test (paging state is kept per tree node); the folder goes afterwards so that
  // later tests do not read a 10,000-mailbox outline on every refresh.
  beforeEach(async () => {
    plan = await writePlan('big', 'big.migration.yaml', largePlan(10_000, 1));
  });
  afterEach(removeFixtures);

  const batchEntry = async () => childEntry(await childEntry(await projectEntry(plan.fsPath), 'Batches'), 'Wave 1');

  it('reads the whole plan and pages the batch', async () => {
    const api = await runsApi();
    const view = await api.view(plan.fsPath);
    assert.equal(view?.batches[0].items.length, 10_000);
    assert.equal(view?.batches[0].items[9_999].destination, 'user9999@fabrikam.example');

    const project = await projectEntry(plan.fsPath);
    assert.match(String(project.item.description), /^10,000 mailboxes · not run yet$/);
    const batch = await batchEntry();
    const first = await api.treeChildren(batch.node);
    assert.equal(first.length, 201);
    const more = first[200];
    assert.equal(labelOf(more.item), 'Load more…');
    assert.equal(more.item.description, '200 mailboxes of 10,000 shown; next 200');
    await vscode.commands.executeCommand(more.item.command!.command, ...(more.item.command!.arguments ?? []));
    const second = await api.treeChildren(batch.node);
    assert.equal(second.length, 401);
    assert.equal(labelOf(second[399].item), 'user399@contoso.example');
  });

  it('reveals a mailbox far down the batch', async () => {
    const api = await runsApi();
    await vscode.commands.executeCommand('ferry.projects.focus');
    // Right after a new plan appears, a reveal can find no mailbox (the project is being listed
    // again) or end without a selection (the view is being drawn again): reveal again until the
    // workbench selects the mailbox, bounded.
    const id = `${plan.fsPath}/project/batches/batch:Wave 1/item:user9876@contoso.example`;
    const deadline = Date.now() + 90_000;
    for (;;) {
      const node = await api.reveal(plan.fsPath, 'Wave 1', 'user9876@contoso.example');
      const selected = await until('the mailbox to be selected', () => api.treeView.selection[0]?.id === id, 15_000).then(() => true, () => false);
      if (selected) break;
      if (Date.now() > deadline) assert.fail(`the mailbox was not selected within 90 s (the last reveal gave ${node?.id ?? 'nothing'})`);
    }
    const batch = await batchEntry();
    assert.equal((await api.treeChildren(batch.node)).length, 10_000, 'pages up to the revealed mailbox are loaded');
  });
});
