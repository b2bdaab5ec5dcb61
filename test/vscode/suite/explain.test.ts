// Explain opens the catalog's explanation as a read-only document (nothing to save on close) with
// the placeholders filled from the error as it was reported, never "{0}".
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { runsApi } from './runHelpers';

describe('Explain an error code', () => {
  it('opens a read-only, never dirty document filled with the values of the error it explains', async () => {
    await runsApi();
    const before = vscode.workspace.textDocuments.filter((d) => d.isUntitled).length;
    const message = 'The Maildir of ghost@contoso.example does not exist: /srv/mail/ghost@contoso.example';
    const uri = await vscode.commands.executeCommand<vscode.Uri>('ferry.explainCode', 'MAILDIR-NOT-FOUND', message);
    assert.equal(uri.scheme, 'ferry-explain');
    const doc = await vscode.workspace.openTextDocument(uri);
    assert.equal(doc.isDirty, false);
    assert.equal(doc.isUntitled, false);
    assert.equal(vscode.workspace.textDocuments.filter((d) => d.isUntitled).length, before, 'no Untitled document was opened');
    const text = doc.getText();
    assert.match(text, /MAILDIR-NOT-FOUND: Maildir not found/);
    assert.match(text, /The Maildir of ghost@contoso\.example does not exist: \/srv\/mail\/ghost@contoso\.example/);
    assert.doesNotMatch(text, /\{\d\}/);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('without the error, says what goes where instead of showing {0}', async () => {
    const uri = await vscode.commands.executeCommand<vscode.Uri>('ferry.explainCode', 'MAILDIR-NOT-FOUND');
    const text = (await vscode.workspace.openTextDocument(uri)).getText();
    assert.match(text, /The Maildir of … does not exist: …/);
    assert.doesNotMatch(text, /\{\d\}/);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
});
