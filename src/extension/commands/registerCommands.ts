// Every command of the extension, registered in one flat list (each inside the error boundary).
import * as vscode from 'vscode';
import { Commands } from '../common/ids';
import type { Logger } from '../common/logger';
import { registerCommand } from '../common/registerCommand';
import type { DashboardPanels } from '../dashboard/dashboardPanel';
import type { DiagnosticsController } from '../language/diagnosticsController';
import type { MicrosoftSignIn } from '../runs/microsoftSignIn';
import type { PassService } from '../runs/passService';
import type { Reattach } from '../runs/reattach';
import type { ProjectRegistry } from '../state/projectRegistry';
import type { StoreReader } from '../state/storeReader';
import type { ProjectsTree } from '../tree/projectsTree';
import { showCatalog } from '../catalog/catalogPanel';
import { copyAdminCommand, explainCode, openDocs } from './catalogCommands';
import { addItem, autodiscoverItems, bulkAddItems } from './itemCommands';
import { approve, complete, deleteBatchState, resume, startPass, stop } from './passCommands';
import { createItemsFile, newProject } from './projectCommands';
import { deleteSecret, setSecret } from './secretCommands';
import { resolveTarget } from './targets';
import { exportReport, loadMore, refresh, revealInTree } from './viewCommands';

export interface CommandDeps {
  signIn: MicrosoftSignIn;
  registry: ProjectRegistry;
  passes: PassService;
  reattach: Reattach;
  tree: ProjectsTree;
  dashboards: DashboardPanels;
  reader: StoreReader;
}

export function registerCommands(context: vscode.ExtensionContext, logger: Logger, diagnostics: DiagnosticsController, deps: CommandDeps): void {
  const { registry, tree, dashboards, reader } = deps;
  registerCommand(context, logger, Commands.newProject, newProject);
  registerCommand(context, logger, Commands.validatePlans, () => diagnostics.validateWorkspace());
  registerCommand(context, logger, Commands.setSecret, setSecret(context, logger));
  registerCommand(context, logger, Commands.deleteSecret, deleteSecret(context, logger));
  registerCommand(context, logger, Commands.forgetMicrosoftSignIns, async () => {
    await deps.signIn.clear();
    void vscode.window.showInformationMessage('Ferry: Microsoft 365 sign-ins forgotten; the next pass signs in again.');
  });
  registerCommand(context, logger, Commands.createItemsFile, createItemsFile);
  registerCommand(context, logger, Commands.copyAdminCommand, copyAdminCommand);
  registerCommand(context, logger, Commands.openDocs, openDocs(context.extensionUri));
  registerCommand(context, logger, Commands.explainCode, explainCode);
  registerCommand(context, logger, Commands.showLog, () => logger.show());
  registerCommand(context, logger, Commands.showCatalog, (focus?: string) => void showCatalog(context.extensionUri, focus));
  registerCommand(context, logger, Commands.addItem, addItem(registry));
  registerCommand(context, logger, Commands.bulkAddItems, bulkAddItems(registry));
  registerCommand(context, logger, Commands.autodiscoverItems, autodiscoverItems(registry, deps.passes));
  registerCommand(context, logger, Commands.verifyCredentials, startPass(deps, 'verify'));
  registerCommand(context, logger, Commands.startTrial, startPass(deps, 'trial'));
  registerCommand(context, logger, Commands.startPrestage, startPass(deps, 'prestage'));
  registerCommand(context, logger, Commands.startFull, startPass(deps, 'full'));
  registerCommand(context, logger, Commands.startDelta, startPass(deps, 'delta'));
  registerCommand(context, logger, Commands.retryErrors, startPass(deps, 'retry'));
  registerCommand(context, logger, Commands.stopBatch, stop(deps));
  registerCommand(context, logger, Commands.resume, resume(deps));
  registerCommand(context, logger, Commands.completeBatch, complete(deps));
  registerCommand(context, logger, Commands.deleteBatchState, deleteBatchState(deps));
  registerCommand(context, logger, Commands.approveOversize, approve(deps));
  registerCommand(context, logger, Commands.refresh, refresh(registry));
  registerCommand(context, logger, Commands.loadMore, loadMore(tree));
  registerCommand(context, logger, Commands.revealInTree, revealInTree(registry, tree));
  registerCommand(context, logger, Commands.openDashboard, async (arg?: unknown) => {
    const target = await resolveTarget(arg, registry, { title: 'Ferry: Open Dashboard', batch: 'none' });
    return target && dashboards.open(target.planFile);
  });
  registerCommand(context, logger, Commands.exportReport, exportReport(registry, reader));
}
