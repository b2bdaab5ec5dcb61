// A mailbox's page: one webview panel per mailbox, drawn from the project's published view (the
// same revision as the tree, status bar and dashboard). While it is open the snapshot worker reads
// the mailbox's details (passes, errors, items not copied, delta changes) with every snapshot. It
// says which revision it drew (the lag figures) and asks for typed actions mapped to commands here.
import * as vscode from 'vscode';
import type { FromMailboxPage, MailboxAction, MailboxPageModel, ToMailboxPage } from '../../../webview/mailboxProtocol';
import { Commands } from '../common/ids';
import type { Logger } from '../common/logger';
import { NewestOnly } from '../common/newestOnly';
import { itemKey } from '../../views/liveState';
import type { ViewLag } from '../../views/viewLag';
import type { ProjectRegistry } from '../state/projectRegistry';
import { openAt } from '../tree/kinds/nodeKind';
import { mailboxHtml } from './mailboxHtml';
import { mailboxPageModel } from '../../views/mailbox/mailboxModel';

interface Page {
  planFile: string;
  batch: string;
  source: string;
  panel: vscode.WebviewPanel;
  model?: MailboxPageModel;
}

const pageKey = (planFile: string, batch: string, source: string) => `${planFile}\u0000${itemKey(batch, source)}`;

export class MailboxPages implements vscode.Disposable {
  private readonly pages = new Map<string, Page>();
  private readonly poster = new NewestOnly((key) => this.post(key), (key, err) => this.logger.error('mailbox page', key, err));
  private readonly subscription: vscode.Disposable;
  private readonly postEmitter = new vscode.EventEmitter<MailboxPageModel>();
  /** Fires with each model a page was sent. */
  readonly onDidPost = this.postEmitter.event;

  constructor(private readonly extensionUri: vscode.Uri, private readonly registry: ProjectRegistry, private readonly reveal: (planFile: string, batch: string, item: string) => Promise<unknown>, private readonly logger: Logger, private readonly lag?: ViewLag) {
    this.subscription = registry.onDidChangeProject((c) => {
      for (const [key, page] of this.pages) if (page.planFile === c.planFile) this.schedule(key);
    });
  }

  /** Opens (or shows) the page of a mailbox. */
  async open(planFile: string, batch: string, source: string): Promise<vscode.WebviewPanel | undefined> {
    const key = pageKey(planFile, batch, source);
    const existing = this.pages.get(key);
    if (existing) {
      existing.panel.reveal();
      return existing.panel;
    }
    const project = this.registry.get(planFile);
    if (!project) return undefined;
    const dist = vscode.Uri.joinPath(this.extensionUri, 'dist');
    const panel = vscode.window.createWebviewPanel('ferry.mailbox', `Ferry: ${source}`, vscode.ViewColumn.Active, { enableScripts: true, localResourceRoots: [dist], retainContextWhenHidden: false });
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'ferry.svg');
    const page: Page = { planFile, batch, source, panel };
    this.pages.set(key, page);
    panel.onDidDispose(() => {
      this.pages.delete(key);
      project.unwatchMailbox({ batch, source });
    });
    panel.onDidChangeViewState((e) => e.webviewPanel.visible && this.schedule(key));
    panel.webview.onDidReceiveMessage((m: FromMailboxPage) => {
      if (m.type === 'ready') this.schedule(key);
      else if (m.type === 'rendered') this.rendered(page, m.revision);
      else if (m.type === 'action') this.act(page, m.action).catch((err: unknown) => this.logger.error('mailbox page', `action ${m.action.kind}`, err));
    });
    panel.webview.html = mailboxHtml(panel.webview, vscode.Uri.joinPath(dist, 'mailbox.js'), source);
    // The details come with the next snapshot read; the page draws what the view has meanwhile.
    void project.watchMailbox({ batch, source }).catch((err: unknown) => this.logger.error('mailbox page', source, err));
    return panel;
  }

  /** The model last sent to a mailbox's page (for tests). */
  lastModel(planFile: string, batch: string, source: string): MailboxPageModel | undefined {
    return this.pages.get(pageKey(planFile, batch, source))?.model;
  }

  dispose(): void {
    this.subscription.dispose();
    this.postEmitter.dispose();
    for (const p of [...this.pages.values()]) p.panel.dispose();
  }

  private schedule(key: string): void {
    if (this.pages.get(key)?.panel.visible) this.poster.schedule(key);
  }

  private async post(key: string): Promise<void> {
    const page = this.pages.get(key);
    const project = page && this.registry.get(page.planFile);
    if (!page || !project) return;
    const model = mailboxPageModel(await project.view(), page.batch, page.source);
    if (!model) return;
    page.model = model;
    const message: ToMailboxPage = { type: 'model', model };
    await page.panel.webview.postMessage(message);
    this.postEmitter.fire(model);
  }

  /** The page drew a revision: the end of the runner-to-view path. */
  private rendered(page: Page, revision: number): void {
    if (page.model?.revision === revision) this.lag?.record('mailboxPage', page.planFile, revision, page.model.state, page.model.eventAt);
  }

  private async act(page: Page, a: MailboxAction): Promise<void> {
    const target = { planFile: page.planFile, batch: page.batch, item: page.source };
    const starts = { verify: Commands.verifyCredentials, trial: Commands.startTrial, prestage: Commands.startPrestage, full: Commands.startFull, delta: Commands.startDelta, retry: Commands.retryErrors } as const;
    switch (a.kind) {
      case 'startPass':
        return void vscode.commands.executeCommand(starts[a.pass], target);
      case 'stop':
        return void vscode.commands.executeCommand(Commands.stopBatch, { planFile: page.planFile });
      case 'approve':
        return void vscode.commands.executeCommand(Commands.approveOversize, target);
      case 'explain':
        return void vscode.commands.executeCommand(Commands.explainCode, a.code, a.message);
      case 'revealInTree':
        await this.reveal(page.planFile, page.batch, page.source);
        return;
      case 'openPlan': {
        const origin = (await this.registry.get(page.planFile)?.view())?.items.get(itemKey(page.batch, page.source))?.plan?.origin;
        if (!origin) return;
        const open = openAt(origin.file, origin.range);
        return void vscode.commands.executeCommand(open.command, ...(open.arguments ?? []));
      }
    }
  }
}
