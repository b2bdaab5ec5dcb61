import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { brokenPlan, removeFixtures } from './fixtures';
import { codeOf, lineOf, nextValidation } from './waitFor';

describe('plan diagnostics in VS Code', () => {
  let uri: vscode.Uri;
  beforeEach(async () => {
    uri = await brokenPlan('diagnostics');
  });
  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await removeFixtures();
  });

  it('gives plans their own language and reports every rule at its exact line', async () => {
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    assert.equal(document.languageId, 'migration-yaml');
    const diagnostics = await nextValidation(uri, (d) => d.some((x) => codeOf(x) === 'EXCH-07'));
    const at = (code: string) => diagnostics.filter((d) => codeOf(d) === code).map((d) => d.range.start.line);
    assert.deepEqual(at('PLAN-020'), [lineOf(document, 'hunter2-plaintext')]);
    assert.deepEqual(at('PLAN-051'), [lineOf(document, 'completeAfter:')]);
    assert.deepEqual(at('CTM-001'), [lineOf(document, 'source: alice@', 2)]);
    assert.deepEqual(at('IM-003'), [lineOf(document, 'zed@elsewhere.example')]);
    assert.deepEqual(at('duplicateDisplayNameJob'), [lineOf(document, 'name: Pilot', 2)]);
    assert.deepEqual(at('EXCH-07'), [lineOf(document, 'destination: tenent')]);
    for (const d of diagnostics) assert.equal(d.source, 'ferry');
    const exch = diagnostics.find((d) => codeOf(d) === 'EXCH-07');
    assert.equal(document.getText(exch?.range), 'tenent');
  });

  it('puts findings about a CSV items file on the CSV line', async () => {
    const csv = vscode.Uri.joinPath(uri, '..', 'wave.csv');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    await nextValidation(uri, () => vscode.languages.getDiagnostics(csv).length > 0);
    const found = vscode.languages.getDiagnostics(csv);
    assert.deepEqual(found.map((d) => [codeOf(d), d.range.start.line]), [['PLAN-023', 2]]);
  });

  it('updates findings while typing and measures keystroke to diagnostics', async () => {
    const document = await vscode.workspace.openTextDocument(uri);
    const editor = await vscode.window.showTextDocument(document);
    const line = lineOf(document, 'destination: tenent');
    const started = Date.now();
    await editor.edit((b) => b.replace(document.lineAt(line).range, '    destination: tenant'));
    const after = await nextValidation(uri, (d) => !d.some((x) => codeOf(x) === 'EXCH-07'));
    console.log(`      keystroke to diagnostics: ${Date.now() - started} ms`);
    assert.ok(after.some((d) => codeOf(d) === 'CTM-001'), 'other findings stay');
  });
});
