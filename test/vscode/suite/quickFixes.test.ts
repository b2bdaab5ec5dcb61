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

  it('the hover lists exactly what the quick-fix menu offers; orchestration articles only while the plan has an orchestrated batch', async () => {
    const offered = async () => {
      // The validation of the text as it is now: the second Pilot's line moves when a line is added above it.
      const line = (await vscode.workspace.openTextDocument(uri)).getText().split('\n').lastIndexOf('  - name: Pilot');
      const isDuplicate = (x: vscode.Diagnostic) => codeOf(x) === 'duplicateDisplayNameJob' && x.range.start.line === line;
      const diagnostics = await nextValidation(uri, (d) => d.some(isDuplicate));
      const diagnostic = diagnostics.find(isDuplicate)!;
      const menu = (await fixesAt(uri, diagnostic)).map((a) => a.title);
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, diagnostic.range.start.translate(0, 1));
      const markdown = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
      const listed = [...markdown.matchAll(/^- (?:Quick fix: (.+)|\[(.+?)\]\(.+\))$/gm)].map((m) => m[1] ?? m[2]);
      return { menu, listed, markdown };
    };
    const plain = await offered();
    assert.ok(!plain.menu.includes('Resolve errors during orchestrated migration'), plain.menu.join(' | '));
    assert.doesNotMatch(plain.markdown, /orchestrated migration|HTTP 422|displayName/);
    for (const title of plain.listed) assert.ok(plain.menu.includes(title), `the hover lists "${title}", the menu offers ${plain.menu.join(' | ')}`);
    const document = await vscode.workspace.openTextDocument(uri);
    const line = document.getText().split('\n').indexOf('  - name: Pilot');
    const edit = new vscode.WorkspaceEdit();
    edit.insert(uri, new vscode.Position(line + 1, 0), '    orchestrated: true\n');
    assert.ok(await vscode.workspace.applyEdit(edit));
    const orchestrated = await offered();
    assert.ok(orchestrated.menu.includes('Resolve errors during orchestrated migration'), orchestrated.menu.join(' | '));
    for (const title of orchestrated.listed) assert.ok(orchestrated.menu.includes(title), `the hover lists "${title}", the menu offers ${orchestrated.menu.join(' | ')}`);
    assert.ok(orchestrated.listed.includes('Resolve errors during orchestrated migration'), orchestrated.markdown);
    assert.ok(plain.listed.length > 0 && plain.menu.some((t) => /Rename the batch/.test(t)));
  });

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
