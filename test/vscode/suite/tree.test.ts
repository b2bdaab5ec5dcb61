// The Projects view after a full pass of the runs fixture: projects, endpoints, batches, mailboxes,
// folders and errors with their statuses, icons, descriptions, tooltips and click targets.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { brokenPlan, fullPassFixture, removeFixtures } from './fixtures';
import { childEntry as child, labelOf, projectEntry, runsApi, until } from './runHelpers';

const iconOf = (item: vscode.TreeItem) => item.iconPath as vscode.ThemeIcon;
const tooltipText = (item: vscode.TreeItem) => (item.tooltip instanceof vscode.MarkdownString ? item.tooltip.value : String(item.tooltip ?? ''));

describe('Projects view', () => {
  let plan: vscode.Uri;
  let broken: vscode.Uri;
  const runsProject = () => projectEntry(plan.fsPath);

  before(async () => {
    await runsApi();
    await vscode.commands.executeCommand('ferry.projects.focus');
    broken = await brokenPlan('tree-broken');
    ({ plan } = await fullPassFixture('tree-run'));
  });
  after(removeFixtures);

  it('lists every plan of the workspace with its run summary', async () => {
    const api = await runsApi();
    const roots = await api.treeChildren();
    const label = (planFile: string) => roots.filter((r) => r.node.planFile === planFile).map((r) => labelOf(r.item));
    assert.deepEqual(label(plan.fsPath), ['Runs fixture']);
    assert.deepEqual(label(broken.fsPath), ['Broken on purpose']);
    const project = await runsProject();
    assert.match(String(project.item.description), /^4\/6 synced · 2 failed · 72 items · 22\.\d KB · 2 errors$/);
    assert.match(project.item.contextValue ?? '', /^project\b.*\bcanStart\b.*\bhasState\b/);
    assert.equal(project.item.id, `${plan.fsPath}/project`);
  });

  it('shows batches with status icons in theme colours and dashboard statistics in the tooltip', async () => {
    const batches = await child(await runsProject(), 'Batches');
    const pilot = await child(batches, 'Pilot');
    assert.match(String(pilot.item.description), /^Synced with errors · 45 items · 13\.\d KB · 1 error · next: sync \d{4}-\d{2}-\d{2} [\d:]+Z$/);
    assert.equal(iconOf(pilot.item).id, 'warning');
    assert.equal((iconOf(pilot.item).color as vscode.ThemeColor).id, 'list.warningForeground');
    const tip = tooltipText(pilot.item);
    for (const row of ['| Total | 3 |', '| Synced | 2 |', '| Finalized | 0 |', '| Failed | 1 |', '| Synced % | 66.7% |', 'Initial sync', 'Last sync']) assert.ok(tip.includes(row), `tooltip lacks ${row}:\n${tip}`);
  });

  it('shows mailboxes with destination, status, counts, folders and errors', async () => {
    const pilot = await child(await child(await runsProject(), 'Batches'), 'Pilot');
    const ann = await child(pilot, 'ann@contoso.example');
    assert.equal(ann.item.description, '→ ann@fabrikam.example · Completed · 27 items · 8.2 KB');
    assert.equal(iconOf(ann.item).id, 'pass');
    assert.equal((iconOf(ann.item).color as vscode.ThemeColor).id, 'testing.iconPassed');
    const inbox = await child(ann, 'INBOX');
    assert.match(String(inbox.item.description), /^9 items · 2\.\d KB$/);
    const harbour = await child(ann, 'Projects/Harbour');
    assert.match(String(harbour.item.description), /^9 items/);

    const ghost = await child(pilot, 'ghost@contoso.example');
    assert.match(String(ghost.item.description), /Not valid · 1 error$/);
    assert.equal(iconOf(ghost.item).id, 'circle-slash');
    assert.equal((iconOf(ghost.item).color as vscode.ThemeColor).id, 'testing.iconFailed');
    assert.equal(ghost.item.collapsibleState, vscode.TreeItemCollapsibleState.Expanded);
    assert.match(ghost.item.contextValue ?? '', /^item canStart canRunAgain canRemove$/);
  });

  it('an error node shows code and message and opens the plan at the mailbox line', async () => {
    const pilot = await child(await child(await runsProject(), 'Batches'), 'Pilot');
    const error = await child(await child(pilot, 'ghost@contoso.example'), 'MAILDIR-NOT-FOUND');
    assert.match(String(error.item.description), /^The Maildir of ghost@contoso\.example does not exist: /);
    assert.equal(error.item.command?.command, 'vscode.open');
    const [uri, options] = error.item.command?.arguments as [vscode.Uri, vscode.TextDocumentShowOptions];
    assert.equal(uri.fsPath, plan.fsPath);
    await vscode.commands.executeCommand(error.item.command!.command, ...(error.item.command!.arguments ?? []));
    const editor = vscode.window.activeTextEditor;
    assert.equal(editor?.document.uri.fsPath, plan.fsPath);
    const line = editor!.document.lineAt((options.selection as vscode.Range).start.line).text;
    assert.match(line, /source: ghost@contoso\.example/);
    assert.equal(editor!.selection.start.line, (options.selection as vscode.Range).start.line);
    assert.match(tooltipText(error.item), /What to do/);
  });

  it('a CSV mailbox error opens the CSV file at its line', async () => {
    const wave = await child(await child(await runsProject(), 'Batches'), 'Wave 2');
    const error = await child(await child(wave, 'zed@contoso.example'), 'MAILDIR-NOT-FOUND');
    const [uri, options] = error.item.command?.arguments as [vscode.Uri, vscode.TextDocumentShowOptions];
    assert.match(uri.fsPath, /wave2\.csv$/);
    assert.equal((options.selection as vscode.Range).start.line, 3);
  });

  it('endpoints and passes are listed', async () => {
    const project = await runsProject();
    const archive = await child(await child(project, 'Endpoints'), 'archive');
    assert.equal(archive.item.description, 'maildir · source');
    assert.match(archive.item.contextValue ?? '', /canDiscover/);
    const passes = await (await runsApi()).treeChildren((await child(project, 'Passes')).node);
    assert.ok(passes.some((p) => /^#\d+ Full pass$/.test(labelOf(p.item)) && /^Completed in .*, 2 failed/.test(String(p.item.description))), passes.map((p) => `${labelOf(p.item)} ${p.item.description}`).join('; '));
  });

  it('reveals a mailbox: the tree selects it', async () => {
    const api = await runsApi();
    const id = `${plan.fsPath}/project/batches/batch:Wave 2/item:dave@contoso.example`;
    const node = await api.reveal(plan.fsPath, 'Wave 2', 'dave@contoso.example');
    assert.equal(node?.id, id);
    // The workbench applies the selection shortly after reveal resolves, and VS Code fires no
    // selection event for a programmatic selection: poll the view's selection, bounded. The view
    // allows several mailboxes to be selected, so the revealed one need not come first.
    await until('the revealed mailbox to be selected', () => api.treeView.selection.some((n) => n.id === id));
  });
});
