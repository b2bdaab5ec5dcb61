import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { brokenPlan, removeFixtures } from './fixtures';
import { codeOf, ferryApi, nextValidation } from './waitFor';

async function fixesAt(uri: vscode.Uri, diagnostic: vscode.Diagnostic): Promise<vscode.CodeAction[]> {
  const actions = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>('vscode.executeCodeActionProvider', uri, diagnostic.range, vscode.CodeActionKind.QuickFix.value);
  return actions.filter((a): a is vscode.CodeAction => 'title' in a && 'kind' in a);
}

async function applyFix(uri: vscode.Uri, code: string, title: RegExp): Promise<vscode.CodeAction> {
  const diagnostics = await nextValidation(uri, (d) => d.some((x) => codeOf(x) === code));
  const diagnostic = diagnostics.find((d) => codeOf(d) === code);
  assert.ok(diagnostic, `${code} is reported`);
  const actions = await fixesAt(uri, diagnostic);
  const action = actions.find((a) => title.test(a.title));
  assert.ok(action, `no fix matching ${title} for ${code}; offered: ${actions.map((a) => a.title).join(' | ')}`);
  if (action.edit) assert.ok(await vscode.workspace.applyEdit(action.edit));
  if (action.command) await vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
  return action;
}

describe('quick fixes in VS Code', () => {
  let uri: vscode.Uri;

  beforeEach(async () => {
    uri = await brokenPlan('quick-fixes');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
  });
  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await removeFixtures();
  });

  const cases: [code: string, title: RegExp][] = [
    ['duplicateDisplayNameJob', /rename|unique/i],
    ['PLAN-051', /completeAfter/],
    ['CTM-001', /remove/i],
    ['EXCH-07', /tenant/],
    ['IM-003', /identity|domain/i],
  ];
  for (const [code, title] of cases) {
    it(`${code}: the fix edits the plan and the finding goes away`, async () => {
      await applyFix(uri, code, title);
      const after = await nextValidation(uri, (d) => !d.some((x) => codeOf(x) === code));
      assert.ok(!after.some((d) => codeOf(d) === code));
    });
  }

  it('PLAN-020: the plaintext password moves to SecretStorage and a reference takes its place', async () => {
    const action = await applyFix(uri, 'PLAN-020', /secret/i);
    assert.equal(action.command?.command, 'ferry.setSecret');
    const name = String(action.command?.arguments?.[0]);
    const after = await nextValidation(uri, (d) => !d.some((x) => codeOf(x) === 'PLAN-020'));
    assert.ok(!after.some((d) => codeOf(d) === 'PLAN-020'));
    const text = (await vscode.workspace.openTextDocument(uri)).getText();
    assert.ok(!text.includes('hunter2-plaintext'), 'the plaintext is gone from the plan');
    assert.ok(text.includes(`secret: ${name}`), 'a reference took its place');
    assert.equal(await (await ferryApi()).hasSecret(name), true);
  });
});
