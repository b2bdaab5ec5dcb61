// Every test owns its fixtures: it gets a fresh copy of the fixture files in a folder of its own in
// the workspace, so no test sees what another one typed, fixed, ran or deleted, in any order and in
// any subset. The copies come from the repository (test/vscode/fixtures/workspace), never from the
// workspace the suite opened, which tests leave alone.
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { nextEvent, runsApi, runToEnd } from './runHelpers';
import type { PassEnded } from '../../../src/extension/runs/passService';
import { workspaceFile } from './waitFor';

/** The folders made so far and not removed yet. */
const created = new Set<vscode.Uri>();

/** The repository's fixture workspace (out/test/vscode/suite is four levels below the root). */
const fixtureRoot = path.resolve(__dirname, '..', '..', '..', '..', 'test', 'vscode', 'fixtures', 'workspace');

/**
 * A new, empty folder of the workspace named after `label` (a unique suffix keeps two tests, or the
 * same test run twice, apart), with copies of `files` (paths below `from` in the fixture workspace)
 * at its top.
 */
export async function freshFolder(label: string, files: readonly string[] = [], from = '.'): Promise<vscode.Uri> {
  const folder = workspaceFile(`${label.replace(/[^\w-]+/g, '-')}-${randomUUID().slice(0, 8)}`);
  await vscode.workspace.fs.createDirectory(folder);
  created.add(folder);
  for (const name of files) await vscode.workspace.fs.copy(vscode.Uri.file(path.join(fixtureRoot, from, name)), vscode.Uri.joinPath(folder, path.basename(name)));
  return folder;
}

/**
 * Resolves once the extension lists `plan` as a project. The file watcher finds a new plan too, but
 * not always at once (a new folder's watch is added a moment after the folder appears): refresh
 * looks the plans up again, then this waits on the list's change event, bounded.
 */
export async function untilProject(plan: vscode.Uri, timeoutMs = 20_000): Promise<void> {
  const api = await runsApi();
  await vscode.commands.executeCommand('ferry.refresh');
  const deadline = Date.now() + timeoutMs;
  while (!(await api.plans()).includes(plan.fsPath)) {
    const left = deadline - Date.now();
    if (left <= 0) throw new Error(`${plan.fsPath} never became a project`);
    await nextEvent(api.onDidChangeProjects, () => true, 'the new plan', left).catch(() => undefined);
  }
}

/**
 * Writes a plan into a fresh folder and waits until it is a project. The text goes to another name
 * first and is renamed into place: the extension must never read a half-written plan (a large one
 * takes a while to write, and the watcher reports the file as soon as it exists).
 */
export async function writePlan(label: string, fileName: string, text: string): Promise<vscode.Uri> {
  const plan = vscode.Uri.joinPath(await freshFolder(label), fileName);
  const partial = vscode.Uri.joinPath(plan, '..', `${fileName}.partial`);
  await vscode.workspace.fs.writeFile(partial, new TextEncoder().encode(text));
  await vscode.workspace.fs.rename(partial, plan);
  await untilProject(plan);
  return plan;
}

/** A fresh copy of the plan with one mistake per rule (broken.migration.yaml and its wave.csv). */
export async function brokenPlan(label: string): Promise<vscode.Uri> {
  const folder = await freshFolder(label, ['broken.migration.yaml', 'wave.csv']);
  return vscode.Uri.joinPath(folder, 'broken.migration.yaml');
}

/** A fresh copy of the runs fixture (plan, CSV, Maildirs), known as a project. */
export async function copyRunsFixture(label: string): Promise<vscode.Uri> {
  const folder = await freshFolder(label, ['runs.migration.yaml', 'wave2.csv', 'source'], 'runs');
  const plan = vscode.Uri.joinPath(folder, 'runs.migration.yaml');
  await untilProject(plan);
  return plan;
}

/** A fresh copy of the runs fixture after a full pass of this window: for suites that read its results. */
export async function fullPassFixture(label: string): Promise<{ plan: vscode.Uri; ended: PassEnded }> {
  const plan = await copyRunsFixture(label);
  const ended = await runToEnd(plan.fsPath, 'ferry.startFull', { planFile: plan.fsPath, batch: undefined });
  return { plan, ended };
}

/**
 * Removes every folder made so far (as afterEach or after of the describe that made them): the
 * workspace stays small, so each refresh re-reads a few projects rather than every copy the suite
 * ever made, and no pass a test left behind (cut off, say) is offered to the next one.
 */
export async function removeFixtures(): Promise<void> {
  if (created.size === 0) return;
  for (const folder of [...created]) {
    await vscode.workspace.fs.delete(folder, { recursive: true, useTrash: false });
    created.delete(folder);
  }
  await vscode.commands.executeCommand('ferry.refresh');
}
