// Every command of the plan-language feature, registered in one flat list.
import * as vscode from 'vscode';
import { Commands } from '../common/ids';
import type { Logger } from '../common/logger';
import { registerCommand } from '../common/registerCommand';
import type { DiagnosticsController } from '../language/diagnosticsController';
import { copyAdminCommand, explainCode, openDocs } from './catalogCommands';
import { createItemsFile, newProject } from './projectCommands';
import { deleteSecret, setSecret } from './secretCommands';
import { showCatalog } from '../catalog/catalogPanel';

export function registerCommands(context: vscode.ExtensionContext, logger: Logger, diagnostics: DiagnosticsController): void {
  registerCommand(context, logger, Commands.newProject, newProject);
  registerCommand(context, logger, Commands.validatePlans, () => diagnostics.validateWorkspace());
  registerCommand(context, logger, Commands.setSecret, setSecret(context, logger));
  registerCommand(context, logger, Commands.deleteSecret, deleteSecret(context, logger));
  registerCommand(context, logger, Commands.createItemsFile, createItemsFile);
  registerCommand(context, logger, Commands.copyAdminCommand, copyAdminCommand);
  registerCommand(context, logger, Commands.openDocs, openDocs);
  registerCommand(context, logger, Commands.explainCode, explainCode);
  registerCommand(context, logger, Commands.showLog, () => logger.show());
  registerCommand(context, logger, Commands.showCatalog, (focus?: string) => void showCatalog(context.extensionUri, focus));
}
