// How a refused or failed runner request reads to the operator: the catalog code and message, and
// the one action that helps (explain the code, show the plan's problems, show the log).
import * as vscode from 'vscode';
import { RunnerRequestError } from '../../runner/client';
import type { RunnerFailure } from '../../runner/protocol';
import { Commands } from '../common/ids';
import type { Logger } from '../common/logger';

export function failureOf(err: unknown): RunnerFailure | undefined {
  return err instanceof RunnerRequestError ? err.failure : undefined;
}

/** Shows a runner failure; returns it (undefined when err was something else, then rethrown). */
export async function showFailure(err: unknown, what: string, logger: Logger): Promise<RunnerFailure> {
  const failure = failureOf(err);
  if (!failure) throw err;
  logger.warn('runs', `${what}: ${failure.kind}${failure.code ? ` ${failure.code}` : ''}: ${failure.message}`);
  if (failure.kind === 'invalidPlan') {
    const count = failure.diagnostics?.filter((d) => d.severity === 'error').length ?? 1;
    const choice = await vscode.window.showErrorMessage(`Ferry: ${what} did not start: the plan has ${count} error${count === 1 ? '' : 's'} (${failure.message.split('\n')[0]}).`, 'Show Problems');
    if (choice) await vscode.commands.executeCommand('workbench.actions.view.problems');
    return failure;
  }
  const text = `Ferry: ${what}: ${failure.code ? `${failure.code} ` : ''}${failure.message}`;
  const actions = failure.code ? ['Explain'] : failure.kind === 'internal' ? ['Show Log'] : [];
  const show = failure.kind === 'internal' ? vscode.window.showErrorMessage : vscode.window.showWarningMessage;
  const choice = await show(text, ...actions);
  if (choice === 'Explain') await vscode.commands.executeCommand(Commands.explainCode, failure.code, failure.message);
  if (choice === 'Show Log') logger.show();
  return failure;
}
