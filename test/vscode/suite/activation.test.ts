// How long the extension takes to activate in the real VS Code (goal: under 50 ms): the time its
// bundle's modules take to evaluate and activate() from entry to return, as the extension measured
// them. Printed (`npm run bench:activation` shows it), never asserted against a bound.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { FerryApi } from '../../../src/extension/extension';
import { freshFolder, removeFixtures } from './fixtures';

const EXTENSION_ID = 'ferry-migrations.ferry';

describe('activation time', () => {
  after(removeFixtures);

  it('the extension reports how long loading its modules and activate() took', async () => {
    const folder = await freshFolder('activation', ['demo.migration.yaml']);
    await vscode.window.showTextDocument(vscode.Uri.joinPath(folder, 'demo.migration.yaml'));
    const extension = vscode.extensions.getExtension<FerryApi>(EXTENSION_ID);
    assert.ok(extension);
    const api = await extension.activate();
    const { loadMs, waitMs, activateMs, loadCpuMs, activateCpuMs } = api.activation;
    for (const figure of [loadMs, waitMs, activateMs, loadCpuMs, activateCpuMs]) assert.ok(Number.isFinite(figure) && figure >= 0, `not a duration: ${figure}`);
    console.log(`activation: modules ${loadMs.toFixed(1)} ms + activate() ${activateMs.toFixed(1)} ms = ${(loadMs + activateMs).toFixed(1)} ms (goal < 50 ms), CPU ${loadCpuMs.toFixed(1)} + ${activateCpuMs.toFixed(1)} ms; VS Code's own wait between them ${waitMs.toFixed(1)} ms (VS Code ${vscode.version})`);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
});
