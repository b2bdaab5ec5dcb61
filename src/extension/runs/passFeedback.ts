// What the operator sees of a pass besides the tree: the progress notification's text and bar,
// the summary at its end, and the small steps before it starts (saving the plan).
import * as os from 'node:os';
import * as vscode from 'vscode';
import { failedStatuses, passOutcome, type PassSummary } from '../../engine/summary';
import { Commands } from '../common/ids';
import type { Logger } from '../common/logger';
import { count, dotted, duration } from '../../views/format';
import type { ViewLag } from '../../views/viewLag';
import { countsText, passState } from '../../views/viewSummary';
import type { ProjectState } from '../state/projectState';

/** The log line and the notification at the end of a pass, with what to do next. */
export function announce(title: string, planFile: string, s: PassSummary, logger: Logger): void {
  logger.info('runs', `${title}: ${passOutcome(s).word} in ${duration(s.durationMs)}${s.code ? ` (${s.code})` : ''}`);
  if (s.status === 'refused') {
    void vscode.window.showWarningMessage(`Ferry: ${title} refused: ${s.code} ${s.message ?? ''}`, 'Explain').then((c) => c && vscode.commands.executeCommand(Commands.explainCode, s.code, s.message));
    return;
  }
  const t = s.totals;
  const text = `Ferry: ${title} ${passOutcome(s).word} in ${duration(s.durationMs)}: ${count(t.completed, 'mailbox', 'mailboxes')} completed, ${t.withErrors} with errors, ${t.failed} failed; ${count(t.copied, 'item')} copied.`;
  const show = t.failed > 0 || t.withErrors > 0 ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
  const next = nextSteps(planFile, s);
  void show(text, 'Open Dashboard', ...next.map((n) => n.title), ...(t.failed || t.withErrors ? ['Show Problems'] : [])).then((c) => {
    if (c === 'Open Dashboard') void vscode.commands.executeCommand(Commands.openDashboard, { planFile });
    if (c === 'Show Problems') void vscode.commands.executeCommand('workbench.actions.view.problems');
    const step = next.find((n) => n.title === c);
    if (step) void vscode.commands.executeCommand(step.command, step.target);
  });
}

/**
 * What works next after a pass with failures: a full pass of the mailboxes that failed as a whole
 * (a retry would be refused for them, ENG-001), Retry errors only for mailboxes whose pass ran to
 * its end with failed items.
 */
export function nextSteps(planFile: string, s: PassSummary): { title: string; command: string; target: { planFile: string; batch?: string; item?: string } }[] {
  const steps: { title: string; command: string; target: { planFile: string; batch?: string; item?: string } }[] = [];
  const failed = s.items.filter((i) => failedStatuses.includes(i.status));
  const batches = [...new Set(failed.map((i) => i.batch))];
  if (failed.length === 1) steps.push({ title: `Full Pass of ${failed[0].source}`, command: Commands.startFull, target: { planFile, batch: failed[0].batch, item: failed[0].source } });
  else if (batches.length === 1) steps.push({ title: `Full Pass of ${batches[0]}`, command: Commands.startFull, target: { planFile, batch: batches[0] } });
  else if (failed.length) steps.push({ title: 'Full Pass', command: Commands.startFull, target: { planFile, batch: undefined } });
  if (s.kind !== 'verify' && s.items.some((i) => i.status === 'FinishedWithErrors')) steps.push({ title: 'Retry Errors', command: Commands.retryErrors, target: { planFile, batch: undefined } });
  return steps;
}

/**
 * Reports the published view's counts (the same words as the tree and the status bar); the bar
 * grows with the pass's percent done. Returns what it showed last (for tests).
 */
export function progressReporter(project: ProjectState, progress: vscode.Progress<{ message?: string; increment?: number }>, lag?: ViewLag): () => string | undefined {
  let shown = 0;
  let revision = 0;
  let message: string | undefined;
  return () => {
    const view = project.cachedView();
    if (!view.pass || view.revision === revision) return message;
    revision = view.revision;
    message = dotted(view.pass.state === 'stopping' ? passState(view) : undefined, countsText(view));
    progress.report({ message, increment: Math.max(0, view.pass.percent - shown) });
    shown = Math.max(shown, view.pass.percent);
    lag?.record('notification', project.planFile, view.revision, message, view.eventAt);
    return message;
  };
}

/** The runner reads the plan from disk: unsaved edits are saved first (or the pass does not start). */
export async function savePlan(uri: vscode.Uri): Promise<boolean> {
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (!doc?.isDirty) return true;
  return doc.save();
}

export function safeUser(): string {
  try {
    return os.userInfo().username || 'vscode';
  } catch {
    return 'vscode';
  }
}
