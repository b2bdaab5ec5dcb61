// Composition root: builds the few services and registers each feature. No work beyond that.
import * as vscode from 'vscode';
import { createLogger } from './common/logger';
import { languageId, secretKey } from './common/ids';
import { ValidationClient } from './language/validationClient';
import { DiagnosticsController, type ValidatedEvent } from './language/diagnosticsController';
import { PlanCompletionProvider } from './language/completionProvider';
import { PlanHoverProvider } from './language/hoverProvider';
import { PlanCodeActionProvider } from './language/codeActionProvider';
import { registerCommands } from './commands/registerCommands';

/** What the extension exports to other extensions and to its own integration tests. */
export interface FerryApi {
  onDidValidate: vscode.Event<ValidatedEvent>;
  /** The document version the current findings of a plan belong to. */
  validatedVersion(uri: vscode.Uri): number | undefined;
  /** Whether SecretStorage holds a secret of that name (never its value). */
  hasSecret(name: string): Promise<boolean>;
}

export function activate(context: vscode.ExtensionContext): FerryApi {
  const logger = createLogger(context);
  const client = new ValidationClient(vscode.Uri.joinPath(context.extensionUri, 'dist').fsPath, logger);
  const diagnostics = new DiagnosticsController(client, logger);
  context.subscriptions.push({ dispose: () => client.dispose() }, diagnostics);

  const selector: vscode.DocumentSelector = [{ language: languageId }];
  context.subscriptions.push(
    vscode.languages.registerCompletionItemProvider(selector, new PlanCompletionProvider(), ':', ' ', '-'),
    vscode.languages.registerHoverProvider(selector, new PlanHoverProvider(diagnostics)),
    vscode.languages.registerCodeActionsProvider([...selector, { pattern: '**/*.{csv,CSV}' }], new PlanCodeActionProvider(diagnostics, client), PlanCodeActionProvider.metadata),
  );
  registerCommands(context, logger, diagnostics);
  logger.info('activate', `Ferry ${context.extension.packageJSON.version as string} on VS Code ${vscode.version}`);
  return {
    onDidValidate: diagnostics.onDidValidate,
    validatedVersion: (uri) => diagnostics.validatedVersion(uri),
    hasSecret: async (name) => (await context.secrets.get(secretKey(name))) !== undefined,
  };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
