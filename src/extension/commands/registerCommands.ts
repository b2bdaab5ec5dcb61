// Every command of the extension, registered in one flat list (each inside the error boundary).
import * as vscode from 'vscode';
import { Commands } from '../common/ids';
import type { Logger } from '../common/logger';
import type { Registrations } from '../common/registrations';
import type { DashboardPanels } from '../dashboard/dashboardPanel';
import type { MailboxPages } from '../mailbox/mailboxPanel';
import type { DiagnosticsController } from '../language/diagnosticsController';
import type { MicrosoftSignIn } from '../runs/microsoftSignIn';
import type { PassService } from '../runs/passService';
import type { Reattach } from '../runs/reattach';
import type { ProjectRegistry } from '../state/projectRegistry';
import type { StoreReader } from '../state/storeReader';
import type { ProjectsTree } from '../tree/projectsTree';
import { showCatalog } from '../catalog/catalogPanel';
import { copyAdminCommand, ExplainDocuments, explainCode, explainScheme, openDocs } from './catalogCommands';
import { addItem, autodiscoverItems, bulkAddItems } from './itemCommands';
import { approve, complete, deleteBatchState, removeItems, resume, startPass, stop } from './passCommands';
import { createItemsFile, newProject } from './projectCommands';
import { scheduleAction } from './scheduleCommands';
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
  mailboxes: MailboxPages;
  reader: StoreReader;
}

export function registerCommands(context: vscode.ExtensionContext, register: Registrations, logger: Logger, diagnostics: DiagnosticsController, deps: CommandDeps): void {
  const { registry, tree, dashboards, reader } = deps;
  register.command(Commands.newProject, newProject);
  register.command(Commands.validatePlans, () => diagnostics.validateWorkspace());
  register.command(Commands.setSecret, setSecret(context, logger));
  register.command(Commands.deleteSecret, deleteSecret(context, logger));
  register.command(Commands.forgetMicrosoftSignIns, async () => {
    await deps.signIn.clear();
    void vscode.window.showInformationMessage('Ferry: Microsoft 365 sign-ins forgotten; the next pass signs in again.');
  });
  register.command(Commands.createItemsFile, createItemsFile);
  register.command(Commands.copyAdminCommand, copyAdminCommand);
  register.command(Commands.openDocs, openDocs(context.extensionUri));
  register.command(Commands.explainCode, explainCode);
  context.subscriptions.push(vscode.workspace.registerTextDocumentContentProvider(explainScheme, new ExplainDocuments()));
  register.command(Commands.showLog, () => logger.show());
  register.command(Commands.showCatalog, (focus?: string) => void showCatalog(context.extensionUri, focus));
  register.command(Commands.addItem, addItem(registry));
  register.command(Commands.bulkAddItems, bulkAddItems(registry));
  register.command(Commands.autodiscoverItems, autodiscoverItems(registry, deps.passes));
  register.command(Commands.verifyCredentials, startPass(deps, 'verify'));
  register.command(Commands.startTrial, startPass(deps, 'trial'));
  register.command(Commands.startPrestage, startPass(deps, 'prestage'));
  register.command(Commands.startFull, startPass(deps, 'full'));
  register.command(Commands.startDelta, startPass(deps, 'delta'));
  register.command(Commands.retryErrors, startPass(deps, 'retry'));
  register.command(Commands.stopBatch, stop(deps));
  register.command(Commands.resume, resume(deps));
  register.command(Commands.completeBatch, complete(deps));
  register.command(Commands.deleteBatchState, deleteBatchState(deps));
  register.command(Commands.approveOversize, approve(deps));
  register.command(Commands.removeItems, removeItems(deps));
  register.command(Commands.scheduleRunNow, scheduleAction(registry, reader, 'now'));
  register.command(Commands.schedulePause, scheduleAction(registry, reader, 'pause'));
  register.command(Commands.scheduleResume, scheduleAction(registry, reader, 'resume'));
  register.command(Commands.scheduleSkip, scheduleAction(registry, reader, 'skip'));
  register.command(Commands.refresh, refresh(registry));
  register.command(Commands.loadMore, loadMore(tree));
  register.command(Commands.revealInTree, revealInTree(registry, tree));
  register.command(Commands.openDashboard, async (arg?: unknown) => {
    const target = await resolveTarget(arg, registry, { title: 'Ferry: Open Dashboard', batch: 'none' });
    return target && dashboards.open(target.planFile);
  });
  register.command(Commands.openMailbox, async (arg?: unknown) => {
    const target = await resolveTarget(arg, registry, { title: 'Ferry: Open Mailbox Page', batch: 'required', item: (_view, batch) => batch.items.map((i) => i.source) });
    return target?.batch && target.item ? deps.mailboxes.open(target.planFile, target.batch, target.item) : undefined;
  });
  register.command(Commands.exportReport, exportReport(registry, reader));
}
