// Helpers for the suites that run passes: the fixture plans, waiting on the extension's events
// (never on sleeps), running a pass to its end through a command.
import * as vscode from 'vscode';
import type { PassEnded } from '../../../src/extension/runs/passService';
import type { FerryRunsApi } from '../../../src/extension/api';
import { ferryApi, workspaceFile } from './waitFor';

export const runsPlan = () => workspaceFile('runs/runs.migration.yaml');

export async function runsApi(): Promise<FerryRunsApi> {
  return (await ferryApi()).runs;
}

/** Resolves with the first event that satisfies `until` (or rejects after timeoutMs). */
export function nextEvent<T>(event: vscode.Event<T>, until: (e: T) => boolean, what: string, timeoutMs = 30_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
    }, timeoutMs);
    const sub = event((e) => {
      if (!until(e)) return;
      clearTimeout(timer);
      sub.dispose();
      resolve(e);
    });
  });
}

/** Waits until check() holds, re-checking on every change of the plan's state. */
export async function untilState(planFile: string, check: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const api = await runsApi();
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    const left = deadline - Date.now();
    if (left <= 0) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await Promise.race([
      nextEvent(api.onDidChangeProject, (c) => c.planFile === planFile, what, left).catch(() => undefined),
      nextEvent(api.onDidUpdateRunDiagnostics, (p) => p === planFile, what, left).catch(() => undefined),
    ]);
  }
}

/** Runs a command that starts a pass and resolves when that pass has ended. */
export async function runToEnd(planFile: string, command: string, ...args: unknown[]): Promise<PassEnded> {
  const api = await runsApi();
  const ended = nextEvent(api.onDidEndPass, (e) => e.planFile === planFile, `the pass of ${command}`, 60_000);
  await vscode.commands.executeCommand(command, ...args);
  return ended;
}

/** Waits until the run diagnostics of a file satisfy `until`. */
export async function runDiagnosticsUntil(uri: vscode.Uri, planFile: string, until: (d: readonly vscode.Diagnostic[]) => boolean, what: string): Promise<readonly vscode.Diagnostic[]> {
  const api = await runsApi();
  await untilState(planFile, () => until(api.runDiagnostics(uri)), what);
  return api.runDiagnostics(uri);
}

let fullPass: Promise<PassEnded> | undefined;
/** One full pass of the runs fixture per VS Code session (suites that only read its results share it). */
export function ensureFullPass(): Promise<PassEnded> {
  fullPass ??= runToEnd(runsPlan().fsPath, 'ferry.startFull', { planFile: runsPlan().fsPath, batch: undefined });
  return fullPass;
}

export const labelOf = (item: vscode.TreeItem): string => (typeof item.label === 'string' ? item.label : item.label?.label ?? '');

/** Copies the runs fixture (plan, CSV, Maildirs) to a folder of its own for a suite that changes it. */
export async function copyRunsFixture(folder: string): Promise<vscode.Uri> {
  const from = vscode.Uri.joinPath(runsPlan(), '..');
  const to = workspaceFile(folder);
  for (const name of ['runs.migration.yaml', 'wave2.csv', 'source']) await vscode.workspace.fs.copy(vscode.Uri.joinPath(from, name), vscode.Uri.joinPath(to, name), { overwrite: true });
  const plan = vscode.Uri.joinPath(to, 'runs.migration.yaml');
  const api = await runsApi();
  // The file watcher finds it too, but not always at once: refresh looks the plans up again.
  await vscode.commands.executeCommand('ferry.refresh');
  const known = async () => (await api.plans()).includes(plan.fsPath);
  const deadline = Date.now() + 20_000;
  while (!(await known())) {
    if (Date.now() > deadline) throw new Error(`${plan.fsPath} never became a project`);
    await nextEvent(api.onDidChangeProjects, () => true, 'the new plan', 20_000).catch(() => undefined);
  }
  return plan;
}

/** For UI state VS Code sends no event about (a tree's selection): checks every 50 ms, bounded. */
export async function until(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
