// The part of the exported API about runs: read-only views of what the extension knows, and the
// events to wait on (the integration tests wait on these, never on sleeps).
import type * as vscode from 'vscode';
import type { DashboardModel } from '../../webview/dashboardProtocol';
import type { MailboxPageModel } from '../../webview/mailboxProtocol';
import type { ContextKeyValues } from './common/contextKeys';
import type { Registrations } from './common/registrations';
import type { DashboardPanels } from './dashboard/dashboardPanel';
import type { MailboxPages } from './mailbox/mailboxPanel';
import type { ProjectView } from '../views/projectView';
import type { LagFigures, Rendered, ViewName } from '../views/viewLag';
import type { Resumable } from '../views/resumable';
import type { PassEnded, PassService } from './runs/passService';
import type { Reattach } from './runs/reattach';
import type { RunDiagnostics } from './runs/runDiagnostics';
import type { RunnerPool } from './runs/runnerPool';
import type { RunStatusBar } from './runs/statusBar';
import type { ProjectChange, ProjectRegistry } from './state/projectRegistry';
import type { FerryNode } from '../views/tree/nodes';
import type { ProjectsTree } from './tree/projectsTree';

export interface TreeEntry {
  node: FerryNode;
  item: vscode.TreeItem;
}

export interface FerryRunsApi {
  plans(): Promise<string[]>;
  view(planFile: string): Promise<ProjectView | undefined>;
  onDidChangeProjects: vscode.Event<void>;
  onDidChangeProject: vscode.Event<ProjectChange>;
  onDidEndPass: vscode.Event<PassEnded>;
  /** Fires with a plan file after its run diagnostics were published. */
  onDidUpdateRunDiagnostics: vscode.Event<string>;
  runDiagnostics(uri: vscode.Uri): readonly vscode.Diagnostic[];
  /** The pid of this window's runner for a plan's state folder, while one is alive. */
  runnerPid(planFile: string): number | undefined;
  isRunning(planFile: string): boolean;
  /** What activation does after a reload: read the store, find passes that did not finish. */
  reattach(offer?: boolean): Promise<Resumable[]>;
  /** The context keys the extension set (through ContextKeyValues), with their values. */
  contextKeys(): Record<string, boolean>;
  /** The commands and views the extension registered (through Registrations). */
  registered(): { commands: string[]; views: string[] };
  treeChildren(node?: FerryNode): Promise<TreeEntry[]>;
  treeView: vscode.TreeView<FerryNode>;
  reveal(planFile: string, batch?: string, item?: string): Promise<FerryNode | undefined>;
  dashboardModel(planFile: string): DashboardModel | undefined;
  onDidPostDashboard: vscode.Event<string>;
  /** The model last sent to a mailbox's page, and each model sent to any page. */
  mailboxModel(planFile: string, batch: string, source: string): MailboxPageModel | undefined;
  onDidPostMailbox: vscode.Event<MailboxPageModel>;
  /** The status-bar summary as shown now. */
  statusBarText(): string;
  statusBarTooltip(): string;
  /** The progress notification's text of a plan's running pass. */
  notificationText(planFile: string): string | undefined;
  /** What each view (tree, status bar, notification, dashboard) last showed of a plan, by revision. */
  viewsShown(planFile: string): Partial<Record<ViewName, Rendered>>;
  /** The texts a view showed of a plan since the last pass began. */
  viewHistory(view: ViewName, planFile: string): readonly string[];
  /** The published revision of a plan's view. */
  publishedRevision(planFile: string): number;
  /** Lag from runner event to each view during the last pass (figures, for the log and tests). */
  viewLag(): Partial<Record<ViewName, LagFigures>>;
  /** The extension's log folder (context.logUri); the Ferry log channel writes near it. */
  logUri: vscode.Uri;
}

interface Services {
  registry: ProjectRegistry;
  passes: PassService;
  pool: RunnerPool;
  reattach: Reattach;
  tree: ProjectsTree;
  runDiagnostics: RunDiagnostics;
  dashboards: DashboardPanels;
  mailboxes: MailboxPages;
  keys: ContextKeyValues;
  register: Registrations;
  logUri: vscode.Uri;
  statusBar: RunStatusBar;
}

export function ferryRunsApi(s: Services): FerryRunsApi {
  return {
    plans: async () => {
      await s.registry.ready();
      return s.registry.list().map((p) => p.planFile);
    },
    view: async (planFile) => s.registry.get(planFile)?.view(),
    onDidChangeProjects: s.registry.onDidChangeProjects,
    onDidChangeProject: s.registry.onDidChangeProject,
    onDidEndPass: s.passes.onDidEndPass,
    onDidUpdateRunDiagnostics: s.runDiagnostics.onDidUpdate,
    runDiagnostics: (uri) => s.runDiagnostics.diagnosticsFor(uri),
    runnerPid: (planFile) => {
      const p = s.registry.get(planFile);
      return p ? s.pool.pid(p.stateDir) : undefined;
    },
    isRunning: (planFile) => s.passes.isRunning(planFile),
    reattach: (offer = false) => s.reattach.check(offer),
    contextKeys: () => s.keys.all(),
    registered: () => ({ commands: s.register.commands(), views: s.register.views() }),
    treeChildren: async (node) => {
      const children = await s.tree.getChildren(node);
      return Promise.all(children.map(async (n) => ({ node: n, item: await s.tree.getTreeItem(n) })));
    },
    treeView: s.tree.view,
    reveal: (planFile, batch, item) => s.tree.reveal(planFile, batch, item),
    dashboardModel: (planFile) => s.dashboards.lastModel(planFile),
    onDidPostDashboard: s.dashboards.onDidPost,
    mailboxModel: (planFile, batch, source) => s.mailboxes.lastModel(planFile, batch, source),
    onDidPostMailbox: s.mailboxes.onDidPost,
    statusBarText: () => s.statusBar.text,
    statusBarTooltip: () => s.statusBar.tooltip,
    notificationText: (planFile) => s.passes.notification(planFile),
    viewsShown: (planFile) => s.passes.lag.last(planFile),
    viewHistory: (view, planFile) => s.passes.lag.history(view, planFile),
    publishedRevision: (planFile) => s.registry.get(planFile)?.publishedRevision ?? 0,
    viewLag: () => s.passes.lag.figures(),
    logUri: s.logUri,
  };
}
