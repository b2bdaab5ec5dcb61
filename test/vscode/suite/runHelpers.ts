// Helpers for the suites that run passes: waiting on the extension's events
// (never on sleeps), running a pass to its end through a command.
import * as vscode from 'vscode';
import type { PassEnded } from '../../../src/extension/runs/passService';
import type { FerryRunsApi, TreeEntry } from '../../../src/extension/api';
import { ferryApi } from './waitFor';

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

/**
 * Waits until check() holds, re-checking on every change of the plan's state. The listeners are in
 * place before each check, so a change that lands while the check runs is not missed.
 */
export async function untilState(planFile: string, check: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const api = await runsApi();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = deadline - Date.now();
    if (left <= 0) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    const changed = new vscode.EventEmitter<void>();
    const subs = [api.onDidChangeProject((c) => c.planFile === planFile && changed.fire()), api.onDidUpdateRunDiagnostics((p) => p === planFile && changed.fire())];
    const next = nextEvent(changed.event, () => true, what, left).catch(() => undefined);
    try {
      if (await check()) return;
      await next;
    } finally {
      subs.forEach((s) => s.dispose());
      changed.fire();
      changed.dispose();
    }
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

export const labelOf = (item: vscode.TreeItem): string => (typeof item.label === 'string' ? item.label : item.label?.label ?? '');

/** The root row of a plan in the Projects view (plans copied for tests share their project names). */
export async function projectEntry(planFile: string): Promise<TreeEntry> {
  const found = (await (await runsApi()).treeChildren()).find((e) => e.node.planFile === planFile);
  if (!found) throw new Error(`${planFile} is not in the Projects view`);
  return found;
}

/** The child of a tree row with that label. */
export async function childEntry(parent: TreeEntry, label: string): Promise<TreeEntry> {
  const children = await (await runsApi()).treeChildren(parent.node);
  const found = children.find((c) => labelOf(c.item) === label);
  if (!found) throw new Error(`no "${label}" under ${labelOf(parent.item)}; found: ${children.map((c) => labelOf(c.item)).join(', ')}`);
  return found;
}

/** For UI state VS Code sends no event about (a tree's selection): checks every 50 ms, bounded. */
export async function until(what: string, check: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
