// package.json's contributions against what the running extension registered, as it recorded it
// (Registrations for commands and views, ContextKeyValues for context keys): not a text search of
// the sources, so an id named somewhere else (an executeCommand call) does not count as registered.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { runsApi } from './runHelpers';
import { keysOf } from './whenClause';

const root = path.resolve(__dirname, '..', '..', '..', '..');

interface Manifest {
  contributes: {
    commands: { command: string; enablement?: string }[];
    languages: { id: string }[];
    views: Record<string, { id: string; when?: string }[]>;
    viewsWelcome: { view: string; contents: string; when?: string }[];
    menus: Record<string, { command: string; when?: string }[]>;
  };
}

/** Context keys VS Code sets itself that the manifest reads (https://code.visualstudio.com/api/references/when-clause-contexts). */
const builtInKeys = ['view', 'viewItem', 'editorLangId', 'workbenchState'];

const missing = (wanted: readonly string[], present: readonly string[]) => [...new Set(wanted.filter((x) => !present.includes(x)))].sort();

describe('contributions against registrations', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as Manifest;
  const contributed = manifest.contributes.commands.map((c) => c.command);
  const views = Object.values(manifest.contributes.views).flat().map((v) => v.id);
  /** Every `when` and `enablement` clause, named by where it is. */
  const clauses = [
    ...manifest.contributes.commands.filter((c) => c.enablement).map((c) => ({ where: `enablement of ${c.command}`, when: c.enablement! })),
    ...Object.entries(manifest.contributes.menus).flatMap(([menu, entries]) => entries.filter((e) => e.when).map((e) => ({ where: `menus.${menu} ${e.command}`, when: e.when! }))),
    ...manifest.contributes.viewsWelcome.filter((w) => w.when).map((w) => ({ where: `viewsWelcome of ${w.view}`, when: w.when! })),
    ...Object.values(manifest.contributes.views).flat().filter((v) => v.when).map((v) => ({ where: `view ${v.id}`, when: v.when! })),
  ];

  it('every contributed command is registered through the registration helper, and every registered one is contributed', async () => {
    const registered = (await runsApi()).registered().commands;
    assert.deepEqual(missing(contributed, registered), [], 'contributed but never registered');
    assert.deepEqual(missing(registered, contributed), [], 'registered but not contributed');
    assert.deepEqual(missing(contributed, await vscode.commands.getCommands(true)), [], 'contributed but unknown to VS Code');
  });

  it('every command a menu or a welcome link names is contributed', () => {
    const named = Object.values(manifest.contributes.menus).flat().map((e) => e.command);
    const linked = manifest.contributes.viewsWelcome.flatMap((w) => [...w.contents.matchAll(/\(command:(ferry\.[\w.]+)\)/g)].map((m) => m[1]));
    assert.deepEqual(missing([...named, ...linked], contributed), []);
  });

  it('every contributed view is created by the extension, and every created one is contributed', async () => {
    const created = (await runsApi()).registered().views;
    assert.deepEqual(missing(views, created), [], 'contributed but never created');
    assert.deepEqual(missing(created, views), [], 'created but not contributed');
    assert.deepEqual(missing(manifest.contributes.viewsWelcome.map((w) => w.view), views), [], 'welcome content of an unknown view');
  });

  it('every context key a when or enablement clause reads is a VS Code built-in or set by the extension', async () => {
    const set = Object.keys((await runsApi()).contextKeys());
    const languages = manifest.contributes.languages.map((l) => l.id);
    const problems: string[] = [];
    for (const { where, when } of clauses) {
      for (const { key, value } of keysOf(when)) {
        if (!/^[\w.]+$/.test(key)) problems.push(`${where}: "${key}" is outside the when-clause subset whenClause.ts reads`);
        else if (!builtInKeys.includes(key) && !set.includes(key)) problems.push(`${where}: the context key ${key} is neither built in nor set by the extension`);
        else if (key === 'view' && value !== undefined && !views.includes(value)) problems.push(`${where}: view ${value} is not contributed`);
        else if (key === 'editorLangId' && value !== undefined && !languages.includes(value)) problems.push(`${where}: language ${value} is not contributed`);
      }
    }
    assert.ok(clauses.length > 0, 'the manifest has when clauses');
    assert.deepEqual(problems, []);
  });
});
