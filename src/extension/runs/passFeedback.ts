// What the operator sees of a pass besides the tree: the progress notification's text and bar,
// the summary at its end, and the small steps before it starts (saving the plan).
import * as os from 'node:os';
import * as vscode from 'vscode';
import { passOutcome, type PassSummary } from '../../engine/summary';
import { Commands } from '../common/ids';
import type { Logger } from '../common/logger';
import { count, dotted, duration } from '../model/format';
import type { ViewLag } from '../model/viewLag';
import { countsText, passState } from '../model/viewSummary';
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
  void show(text, 'Open Dashboard', ...(t.failed || t.withErrors ? ['Show Problems'] : [])).then((c) => {
    if (c === 'Open Dashboard') void vscode.commands.executeCommand(Commands.openDashboard, { planFile });
    if (c === 'Show Problems') void vscode.commands.executeCommand('workbench.actions.view.problems');
  });
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
