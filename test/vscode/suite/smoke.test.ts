import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

const EXTENSION_ID = 'ferry-migrations.ferry';

function atLeast(version: string, minimum: string): boolean {
  const parse = (v: string) => v.split(/[.-]/).slice(0, 3).map((n) => Number.parseInt(n, 10) || 0);
  const [a, b] = [parse(version), parse(minimum)];
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] > b[i];
  return true;
}

async function until(what: string, check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('smoke', () => {
  it('runs in VS Code 1.101 or newer', () => {
    assert.ok(atLeast(vscode.version, '1.101.0'), `VS Code ${vscode.version} is older than 1.101`);
  });

  it('has the Ferry extension installed', () => {
    assert.ok(vscode.extensions.getExtension(EXTENSION_ID), `${EXTENSION_ID} is not installed`);
  });

  it('opens *.migration.yaml as migration-yaml and activates the extension', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the suite needs a workspace folder');
    const document = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder.uri, 'demo.migration.yaml'));
    await vscode.window.showTextDocument(document);
    assert.equal(document.languageId, 'migration-yaml');
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension);
    await until(`${EXTENSION_ID} to activate`, () => extension.isActive);
  });
});
