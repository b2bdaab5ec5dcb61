// The one way the extension registers commands and creates views. Every command runs inside one
// error boundary (failures are logged and shown, never swallowed); every disposable goes onto
// context.subscriptions; and what was registered is recorded, so that the integration suite can
// compare it with what package.json contributes (VS Code cannot list one extension's commands).
import * as vscode from 'vscode';
import type { CommandId, ViewId } from './ids';
import type { Logger } from './logger';

export class Registrations {
  private readonly commandIds = new Set<CommandId>();
  private readonly viewIds = new Set<ViewId>();

  constructor(private readonly context: vscode.ExtensionContext, private readonly logger: Logger) {}

  command(id: CommandId, handler: (...args: never[]) => unknown): void {
    this.context.subscriptions.push(
      vscode.commands.registerCommand(id, async (...args: unknown[]) => {
        try {
          return await (handler as (...a: unknown[]) => unknown)(...args);
        } catch (err) {
          this.logger.error('command', `${id} failed`, err);
          void vscode.window.showErrorMessage(`Ferry: ${err instanceof Error ? err.message : String(err)}`, 'Show Log').then((choice) => {
            if (choice) this.logger.show();
          });
          return undefined;
        }
      }),
    );
    this.commandIds.add(id);
  }

  /** Creates a contributed tree view (its owner disposes it). */
  treeView<T>(id: ViewId, options: vscode.TreeViewOptions<T>): vscode.TreeView<T> {
    const view = vscode.window.createTreeView(id, options);
    this.viewIds.add(id);
    return view;
  }

  /** The command ids registered so far. */
  commands(): CommandId[] {
    return [...this.commandIds];
  }

  /** The view ids created so far. */
  views(): ViewId[] {
    return [...this.viewIds];
  }
}
