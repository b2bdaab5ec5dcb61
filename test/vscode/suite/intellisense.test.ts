import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { brokenPlan, removeFixtures } from './fixtures';
import { codeOf, lineOf, nextValidation, upToDate } from './waitFor';

async function completionLabels(uri: vscode.Uri, position: vscode.Position): Promise<string[]> {
  const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, position);
  return list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
}

async function hoverText(uri: vscode.Uri, position: vscode.Position): Promise<string> {
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, position);
  return hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))).join('\n');
}

describe('IntelliSense in plans', () => {
  let document: vscode.TextDocument;
  let uri: vscode.Uri;

  beforeEach(async () => {
    uri = await brokenPlan('intellisense');
    document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    await nextValidation(uri, (d) => d.length > 0);
  });
  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await removeFixtures();
  });

  it('completes endpoint names where an endpoint is referenced', async () => {
    const line = lineOf(document, 'destination: tenent');
    const labels = await completionLabels(uri, new vscode.Position(line, document.lineAt(line).text.length));
    assert.ok(labels.includes('legacy-imap') && labels.includes('tenant'), labels.join(', '));
  });

  it('completes enum values of the schema', async () => {
    const editor = await vscode.window.showTextDocument(document);
    const line = lineOf(document, 'host: imap.contoso.example');
    await editor.edit((b) => b.insert(new vscode.Position(line + 1, 0), '    security: \n'));
    const labels = await completionLabels(uri, new vscode.Position(line + 1, '    security: '.length));
    assert.deepEqual(labels.filter((l) => ['tls', 'starttls', 'none'].includes(l)).sort(), ['none', 'starttls', 'tls']);
  });

  it('completes the keys an IMAP endpoint may still have', async () => {
    const editor = await vscode.window.showTextDocument(document);
    const line = lineOf(document, 'host: imap.contoso.example');
    await editor.edit((b) => b.insert(new vscode.Position(line + 1, 0), '    \n'));
    const labels = await completionLabels(uri, new vscode.Position(line + 1, 4));
    for (const key of ['port', 'security', 'maxConnections']) assert.ok(labels.includes(key), `${key} missing from ${labels.join(', ')}`);
    assert.ok(!labels.includes('host'), 'keys already present are not offered');
  });

  it('hovers show the schema documentation', async () => {
    const line = lineOf(document, 'completeAfter:');
    const text = await hoverText(uri, new vscode.Position(line, 6));
    assert.match(text, /complete/i);
  });

  it("hovers on a finding show the catalog's explanation of its code", async () => {
    const diagnostics = await upToDate(document);
    const exch = diagnostics.find((d) => codeOf(d) === 'EXCH-07');
    assert.ok(exch);
    const text = await hoverText(uri, exch.range.start.translate(0, 1));
    assert.match(text, /EXCH-07/);
    assert.match(text, /migration endpoint/i);
  });
});
