// Secrets never leave SecretStorage and the runner: a pass logs in with a secret whose value is a
// unique marker (the fake IMAP server proves it arrived), then the marker is looked for in the log
// files, the state folder, the three report formats, every diagnostic, the tree, the status bar
// text and the dashboard's model. It must be nowhere.
import * as assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { removeFixtures } from './fixtures';
import type { TreeEntry } from '../../../src/extension/api';
import { startFakeImap, type FakeImap } from './fakeImap';
import { writeImapPlan } from './imapPlans';
import { nextEvent, runDiagnosticsUntil, runToEnd, runsApi, until } from './runHelpers';

function filesUnder(dir: string, pattern: RegExp): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? filesUnder(p, pattern) : pattern.test(e.name) ? [p] : [];
  });
}

async function treeText(entries: TreeEntry[]): Promise<string> {
  const api = await runsApi();
  let text = '';
  for (const e of entries) {
    const tip = e.item.tooltip instanceof vscode.MarkdownString ? e.item.tooltip.value : String(e.item.tooltip ?? '');
    text += `${JSON.stringify(e.item.label)} ${String(e.item.description ?? '')} ${tip}\n`;
    if (e.item.collapsibleState !== vscode.TreeItemCollapsibleState.None) text += await treeText(await api.treeChildren(e.node));
  }
  return text;
}

describe('secrets stay secret', function () {
  this.timeout(90_000);
  const marker = `ferry-marker-${randomUUID()}`;
  let server: FakeImap;
  let plan: vscode.Uri;

  before(async () => {
    server = await startFakeImap();
    plan = await writeImapPlan('secret', 'Secret marker', server.port, 'MARKER_PW');
    await vscode.commands.executeCommand('ferry.setSecret', 'MARKER_PW', marker);
    const ended = await runToEnd(plan.fsPath, 'ferry.verifyCredentials', { planFile: plan.fsPath, batch: undefined });
    assert.equal(ended.summary?.status, 'completed');
    // The run diagnostics are published a moment after the pass ends: the tests below search them.
    await runDiagnosticsUntil(plan, plan.fsPath, (d) => d.some((x) => String(x.code) === 'IMAP-AUTH'), 'the IMAP-AUTH run diagnostics');
  });
  after(async () => {
    await server.close();
    await removeFixtures();
  });

  it('the secret reached the server (so it was really used)', () => {
    assert.ok(server.received.some((line) => line.includes(marker) || Buffer.from(line.split(' ').pop() ?? '', 'base64').toString('latin1').includes(marker)), 'the LOGIN carried the marker');
  });

  it('is not in the log', async () => {
    const api = await runsApi();
    const logs = () => filesUnder(path.dirname(api.logUri.fsPath), /\.log$/);
    // The channel writes asynchronously and says nothing when a line reaches the file: poll (bounded)
    // until the pass's own lines are in a file, which also proves the search looks where Ferry's log is.
    await until(`the pass's lines in a Ferry log file (found: ${logs().join(', ')})`, () => logs().some((f) => fs.readFileSync(f, 'utf8').includes('[secrets] sending 1 of 1 secrets')));
    for (const f of logs()) assert.ok(!fs.readFileSync(f, 'utf8').includes(marker), `${f} holds the secret`);
  });

  it('is not in the state folder (database, WAL, lock)', () => {
    const files = filesUnder(path.join(path.dirname(plan.fsPath), '.ferry'), /.*/);
    assert.ok(files.some((f) => f.endsWith('state.db')), files.join(', '));
    for (const f of files) assert.ok(!fs.readFileSync(f).includes(Buffer.from(marker)), `${f} holds the secret`);
  });

  it('is not in the reports (md, csv, json)', async () => {
    for (const format of ['md', 'csv', 'json']) {
      const out = vscode.Uri.file(path.join(path.dirname(plan.fsPath), `report.${format}`));
      const written = await vscode.commands.executeCommand<vscode.Uri>('ferry.exportReport', { planFile: plan.fsPath, batch: undefined }, format, out);
      assert.equal(written?.fsPath, out.fsPath);
      const text = fs.readFileSync(out.fsPath, 'utf8');
      assert.match(text, /alice@contoso\.example/);
      assert.match(text, /IMAP-AUTH/);
      assert.ok(!text.includes(marker), `report.${format} holds the secret`);
    }
  });

  it('is not in any diagnostic, the tree, the status bar or the dashboard', async () => {
    const api = await runsApi();
    const runDiagnostics = api.runDiagnostics(plan);
    assert.ok(runDiagnostics.some((d) => String(d.code) === 'IMAP-AUTH'), 'the failed logins are reported');
    for (const [uri, list] of vscode.languages.getDiagnostics()) for (const d of list) assert.ok(!d.message.includes(marker), `a diagnostic of ${uri.fsPath} holds the secret`);
    const project = (await api.treeChildren()).filter((e) => e.node.planFile === plan.fsPath);
    assert.equal(project.length, 1);
    const text = await treeText(project);
    assert.match(text, /IMAP-AUTH/);
    assert.ok(!text.includes(marker), 'the tree holds the secret');
    assert.match(api.statusBarText(), /Ferry/);
    assert.ok(!api.statusBarText().includes(marker), 'the status bar holds the secret');
    const posted = nextEvent(api.onDidPostDashboard, (p) => p === plan.fsPath, 'the dashboard model');
    await vscode.commands.executeCommand('ferry.openDashboard', { planFile: plan.fsPath, batch: undefined });
    await posted;
    const model = JSON.stringify(api.dashboardModel(plan.fsPath));
    assert.match(model, /IMAP-AUTH/);
    assert.ok(!model.includes(marker), 'the dashboard model holds the secret');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
});
