// Run diagnostics: errors a pass recorded appear in the plan (or its CSV file) at the mailbox's
// line with code and message, offer fixes, and go away when resolved.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { codeOf } from './waitFor';
import { fullPassFixture, removeFixtures } from './fixtures';
import { runDiagnosticsUntil, runToEnd, runsApi } from './runHelpers';

async function fixesAt(uri: vscode.Uri, range: vscode.Range): Promise<vscode.CodeAction[]> {
  await vscode.workspace.openTextDocument(uri);
  const actions = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>('vscode.executeCodeActionProvider', uri, range, vscode.CodeActionKind.QuickFix.value);
  return actions.filter((a): a is vscode.CodeAction => 'kind' in a);
}

describe('run diagnostics', () => {
  let plan: vscode.Uri;
  let csv: vscode.Uri;
  // A runs fixture after a full pass of this window, its run diagnostics published (ghost in the
  // plan, zed in the CSV file): one for the tests that only read, one per test that resolves an error.
  const ran = async () => {
    ({ plan } = await fullPassFixture('diagnostics-run'));
    csv = vscode.Uri.joinPath(plan, '..', 'wave2.csv');
    await runDiagnosticsUntil(plan, plan.fsPath, (d) => d.some((x) => codeOf(x) === 'MAILDIR-NOT-FOUND'), 'the ghost diagnostic');
    await runDiagnosticsUntil(csv, plan.fsPath, (d) => d.length > 0, 'the zed diagnostic');
  };

  describe('after a pass', () => {
    before(ran);
    after(removeFixtures);

    it('puts a failed mailbox on its plan line, in the ferry-runs collection', async () => {
      const diagnostics = await runDiagnosticsUntil(plan, plan.fsPath, (d) => d.some((x) => codeOf(x) === 'MAILDIR-NOT-FOUND'), 'the ghost diagnostic');
      const ghost = diagnostics.find((d) => codeOf(d) === 'MAILDIR-NOT-FOUND')!;
      const doc = await vscode.workspace.openTextDocument(plan);
      assert.match(doc.getText(ghost.range), /^ghost@contoso\.example$/);
      assert.equal(ghost.severity, vscode.DiagnosticSeverity.Error);
      assert.equal(ghost.source, 'ferry-run');
      assert.match(ghost.message, /^Not valid: The Maildir of ghost@contoso\.example does not exist/);
      assert.ok(vscode.languages.getDiagnostics(plan).some((d) => d.source === 'ferry-run' && codeOf(d) === 'MAILDIR-NOT-FOUND'), 'VS Code has it too');
      assert.ok(!vscode.languages.getDiagnostics(plan).some((d) => d.source === 'ferry' && codeOf(d) === 'MAILDIR-NOT-FOUND'), 'not in the plan collection');
    });

    it('puts a failed CSV mailbox on its CSV line', async () => {
      const diagnostics = await runDiagnosticsUntil(csv, plan.fsPath, (d) => d.length > 0, 'the zed diagnostic');
      assert.equal(diagnostics[0].range.start.line, 3);
      assert.equal(codeOf(diagnostics[0]), 'MAILDIR-NOT-FOUND');
    });

    it('offers commands on that mailbox, the catalog docs and an explanation', async () => {
      const ghost = (await runsApi()).runDiagnostics(plan).find((d) => codeOf(d) === 'MAILDIR-NOT-FOUND')!;
      const titles = (await fixesAt(plan, ghost.range)).map((a) => a.title);
      for (const t of ['Run ghost@contoso.example again (full pass)', 'Verify ghost@contoso.example again', 'Remove ghost@contoso.example from batch Pilot', 'Explain MAILDIR-NOT-FOUND']) assert.ok(titles.includes(t), `missing "${t}" in ${titles.join(' | ')}`);
      assert.ok(titles.some((t) => t.startsWith('Open: ')), titles.join(' | '));
    });

  });

  describe('resolving an error', () => {
    beforeEach(ran);
    afterEach(removeFixtures);

    it('the CSV fix removes the line and the diagnostic goes away', async () => {
      const zed = (await runsApi()).runDiagnostics(csv)[0];
      const fix = (await fixesAt(csv, zed.range)).find((a) => a.title === 'Remove zed@contoso.example from the CSV file');
      assert.ok(fix?.edit, 'a fix that edits the CSV file');
      assert.ok(await vscode.workspace.applyEdit(fix.edit));
      await (await vscode.workspace.openTextDocument(csv)).save();
      assert.ok(!fs.readFileSync(csv.fsPath, 'utf8').includes('zed@'));
      await runDiagnosticsUntil(csv, plan.fsPath, (d) => d.length === 0, 'zed to leave the CSV diagnostics');
    });

    it('disappears when the error is resolved: the Maildir appears and the mailbox runs again', async () => {
      const ghost = (await runsApi()).runDiagnostics(plan).find((d) => codeOf(d) === 'MAILDIR-NOT-FOUND')!;
      const again = (await fixesAt(plan, ghost.range)).find((a) => a.title.startsWith('Run ghost@contoso.example again'));
      assert.ok(again?.command);
      const maildir = path.join(path.dirname(plan.fsPath), 'source', 'ghost@contoso.example');
      for (const sub of ['cur', 'new', 'tmp']) fs.mkdirSync(path.join(maildir, sub), { recursive: true });
      fs.writeFileSync(path.join(maildir, 'cur', '1767225600.M1P1.test:2,S'), 'From: a@contoso.example\r\nSubject: hello\r\n\r\nhi\r\n');
      const ended = await runToEnd(plan.fsPath, again.command.command, ...(again.command.arguments ?? []));
      assert.equal(ended.summary?.totals.completed, 1);
      assert.equal(ended.summary?.items[0].source, 'ghost@contoso.example');
      await runDiagnosticsUntil(plan, plan.fsPath, (d) => !d.some((x) => codeOf(x) === 'MAILDIR-NOT-FOUND'), 'the ghost diagnostic to go');
    });
  });
});
