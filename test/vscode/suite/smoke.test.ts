import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { freshFolder, removeFixtures } from './fixtures';
import { until } from './runHelpers';

const EXTENSION_ID = 'ferry-migrations.ferry';

function atLeast(version: string, minimum: string): boolean {
  const parse = (v: string) => v.split(/[.-]/).slice(0, 3).map((n) => Number.parseInt(n, 10) || 0);
  const [a, b] = [parse(version), parse(minimum)];
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] > b[i];
  return true;
}

describe('smoke', () => {
  after(removeFixtures);

  it('runs in VS Code 1.101 or newer', () => {
    assert.ok(atLeast(vscode.version, '1.101.0'), `VS Code ${vscode.version} is older than 1.101`);
  });

  it('has the Ferry extension installed', () => {
    assert.ok(vscode.extensions.getExtension(EXTENSION_ID), `${EXTENSION_ID} is not installed`);
  });

  it('opens *.migration.yaml as migration-yaml and activates the extension', async () => {
    const folder = await freshFolder('smoke', ['demo.migration.yaml']);
    const document = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder, 'demo.migration.yaml'));
    await vscode.window.showTextDocument(document);
    assert.equal(document.languageId, 'migration-yaml');
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension);
    // VS Code has no activation event to wait on: a bounded poll of isActive.
    await until(`${EXTENSION_ID} to activate`, () => extension.isActive);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
});
