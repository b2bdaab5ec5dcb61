// The migration dashboard: one webview panel per plan, strict CSP with a nonce, scripts only from
// dist/. It receives the model of each published revision (only while visible; one message in
// flight, then the newest), says which revision it drew, and asks for typed actions that are
// mapped to Ferry commands here.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { getEntry } from '../../errors/catalog';
import type { DashboardAction, DashboardModel, FromDashboard, ToDashboard } from '../../../webview/dashboardProtocol';
import { Commands } from '../common/ids';
import { NewestOnly } from '../common/newestOnly';
import type { Logger } from '../common/logger';
import type { ProjectRegistry } from '../state/projectRegistry';
import type { ViewLag } from '../../views/viewLag';
import { dashboardModel } from '../../views/dashboard/dashboardModel';
import { dashboardHtml } from './dashboardHtml';

export class DashboardPanels implements vscode.Disposable {
  private readonly panels = new Map<string, vscode.WebviewPanel>();
  private readonly poster = new NewestOnly((planFile) => this.post(planFile), (planFile, err) => this.logger.error('dashboard', planFile, err));
  private readonly models = new Map<string, DashboardModel>();
  private readonly subscription: vscode.Disposable;
  private readonly postEmitter = new vscode.EventEmitter<string>();
  /** Fires with the plan file after its dashboard received a new model. */
  readonly onDidPost = this.postEmitter.event;

  constructor(private readonly extensionUri: vscode.Uri, private readonly registry: ProjectRegistry, private readonly reveal: (planFile: string, batch: string, item: string) => Promise<unknown>, private readonly logger: Logger, private readonly lag?: ViewLag) {
    this.subscription = registry.onDidChangeProject((c) => this.schedule(c.planFile));
  }

  open(planFile: string): vscode.WebviewPanel {
    const existing = this.panels.get(planFile);
    if (existing) {
      existing.reveal();
      return existing;
    }
    const dist = vscode.Uri.joinPath(this.extensionUri, 'dist');
    const name = this.registry.get(planFile)?.outline?.name ?? path.basename(planFile);
    const panel = vscode.window.createWebviewPanel('ferry.dashboard', `Ferry: ${name}`, vscode.ViewColumn.Active, { enableScripts: true, localResourceRoots: [dist] });
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'ferry.svg');
    this.panels.set(planFile, panel);
    panel.onDidDispose(() => this.panels.delete(planFile));
    panel.onDidChangeViewState((e) => e.webviewPanel.visible && this.schedule(planFile));
    panel.webview.onDidReceiveMessage((m: FromDashboard) => {
      if (m.type === 'ready') this.schedule(planFile);
      else if (m.type === 'rendered') this.rendered(planFile, m.revision);
      else if (m.type === 'action') this.act(planFile, m.action).catch((err: unknown) => this.logger.error('dashboard', `action ${m.action.kind}`, err));
    });
    panel.webview.html = dashboardHtml(panel.webview, vscode.Uri.joinPath(dist, 'dashboard.js'), name);
    return panel;
  }

  /** The model last sent to a plan's dashboard (for tests). */
  lastModel(planFile: string): DashboardModel | undefined {
    return this.models.get(planFile);
  }

  dispose(): void {
    this.subscription.dispose();
    this.postEmitter.dispose();
    for (const p of [...this.panels.values()]) p.dispose();
  }

  /** Posts the newest revision now, or right after the message in flight. */
  private schedule(planFile: string): void {
    if (this.panels.get(planFile)?.visible) this.poster.schedule(planFile);
  }

  private async post(planFile: string): Promise<void> {
    const project = this.registry.get(planFile);
    const panel = this.panels.get(planFile);
    if (!project || !panel) return;
    const model = dashboardModel(await project.view(), project.lastSamples);
    this.models.set(planFile, model);
    const message: ToDashboard = { type: 'model', model };
    await panel.webview.postMessage(message);
    this.postEmitter.fire(planFile);
  }

  /** The webview drew a revision: the end of the runner-to-view path. */
  private rendered(planFile: string, revision: number): void {
    const model = this.models.get(planFile);
    if (model?.revision === revision) this.lag?.record('dashboard', planFile, revision, model.state, model.eventAt);
  }

  private async act(planFile: string, a: DashboardAction): Promise<void> {
    const target = { planFile, batch: 'batch' in a ? a.batch : undefined, item: 'item' in a ? a.item : undefined };
    const starts = { verify: Commands.verifyCredentials, trial: Commands.startTrial, prestage: Commands.startPrestage, full: Commands.startFull, delta: Commands.startDelta, retry: Commands.retryErrors } as const;
    switch (a.kind) {
      case 'startPass':
        return void vscode.commands.executeCommand(starts[a.pass], target);
      case 'stop':
        return void vscode.commands.executeCommand(Commands.stopBatch, { planFile });
      case 'complete':
        return void vscode.commands.executeCommand(Commands.completeBatch, target);
      case 'exportReport':
        return void vscode.commands.executeCommand(Commands.exportReport, { planFile, batch: undefined });
      case 'refresh':
        return this.registry.refreshStore(planFile);
      case 'revealItem':
        await this.reveal(planFile, a.batch, a.item);
        return;
      case 'selection': {
        const command = { full: Commands.startFull, delta: Commands.startDelta, retry: Commands.retryErrors, stop: Commands.stopBatch, remove: Commands.removeItems }[a.op];
        return void vscode.commands.executeCommand(command, { planFile, selection: a.mailboxes });
      }
      case 'openMailbox':
        return void vscode.commands.executeCommand(Commands.openMailbox, target);
      case 'fix':
        return this.fix(planFile, a.code, a.index);
    }
  }

  private fix(planFile: string, code: string, index: number): void {
    if (index === -1) return void vscode.commands.executeCommand(Commands.retryErrors, { planFile, batch: undefined });
    // The explanation filled with the values of the group's first error.
    if (index === -2) return void vscode.commands.executeCommand(Commands.explainCode, code, this.models.get(planFile)?.errors.find((g) => g.code === code)?.examples[0]?.message);
    const fix = getEntry(code)?.fixes[index];
    if (fix?.kind === 'adminCommand') void vscode.commands.executeCommand(Commands.copyAdminCommand, code, fix.template.replace(/<plan>/g, vscode.workspace.asRelativePath(planFile)), {});
    if (fix?.kind === 'docs') void vscode.commands.executeCommand(Commands.openDocs, fix.url);
  }
}
