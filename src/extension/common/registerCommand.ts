// Registers a command inside one error boundary: failures are logged and shown, never swallowed.
import * as vscode from 'vscode';
import type { CommandId } from './ids';
import type { Logger } from './logger';

export function registerCommand(
  context: vscode.ExtensionContext,
  logger: Logger,
  id: CommandId,
  handler: (...args: never[]) => unknown,
): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        return await (handler as (...a: unknown[]) => unknown)(...args);
      } catch (err) {
        logger.error('command', `${id} failed`, err);
        void vscode.window.showErrorMessage(`Ferry: ${err instanceof Error ? err.message : String(err)}`, 'Show Log').then((choice) => {
          if (choice) logger.show();
        });
        return undefined;
      }
    }),
  );
}
