// Composition root: builds the few services and registers each feature. No work beyond that.
// First: the clock activation is measured from (before the other modules evaluate).
import { bundleStartedAt, bundleStartedCpu, cpuMsSince, type ActivationTiming } from './common/activationClock';
import * as vscode from 'vscode';
import { createLogger } from './common/logger';
import { ContextKeyValues } from './common/contextKeys';
import { Registrations } from './common/registrations';
import { ContextKeys, languageId, secretKey } from './common/ids';
import { ValidationClient } from './language/validationClient';
import { DiagnosticsController, type ValidatedEvent } from './language/diagnosticsController';
import { PlanCompletionProvider } from './language/completionProvider';
import { PlanHoverProvider } from './language/hoverProvider';
import { PlanCodeActionProvider } from './language/codeActionProvider';
import { registerCommands } from './commands/registerCommands';
import { DashboardPanels } from './dashboard/dashboardPanel';
import { MailboxPages } from './mailbox/mailboxPanel';
import { PassService } from './runs/passService';
import { Reattach } from './runs/reattach';
import { RunCodeActionProvider } from './runs/runCodeActions';
import { RunDiagnostics } from './runs/runDiagnostics';
import { RunnerPool } from './runs/runnerPool';
import { MicrosoftSignIn } from './runs/microsoftSignIn';
import { RunStatusBar } from './runs/statusBar';
import { ProjectRegistry } from './state/projectRegistry';
import { StoreReader } from './state/storeReader';
import { ProjectsTree } from './tree/projectsTree';
import { ferryRunsApi, type FerryRunsApi } from './api';

/** Every module of the bundle has been evaluated once this line runs. */
const modulesLoadedAt = performance.now();
const loadCpuMs = cpuMsSince(bundleStartedCpu);

/** What the extension exports to other extensions and to its own integration tests. */
export interface FerryApi {
  onDidValidate: vscode.Event<ValidatedEvent>;
  /** The document version the current findings of a plan belong to. */
  validatedVersion(uri: vscode.Uri): number | undefined;
  /** Whether SecretStorage holds a secret of that name (never its value). */
  hasSecret(name: string): Promise<boolean>;
  /** Projects, passes, run diagnostics, the tree and the dashboard. */
  runs: FerryRunsApi;
  /** How long loading the bundle and activate() took. */
  activation: ActivationTiming;
}

export function activate(context: vscode.ExtensionContext): FerryApi {
  const entered = performance.now();
  const enteredCpu = process.cpuUsage();
  const logger = createLogger(context);
  const client = new ValidationClient(vscode.Uri.joinPath(context.extensionUri, 'dist').fsPath, logger);
  const diagnostics = new DiagnosticsController(client, logger);
  context.subscriptions.push({ dispose: () => client.dispose() }, diagnostics);

  const selector: vscode.DocumentSelector = [{ language: languageId }];
  context.subscriptions.push(
    vscode.languages.registerCompletionItemProvider(selector, new PlanCompletionProvider(), ':', ' ', '-'),
    vscode.languages.registerHoverProvider(selector, new PlanHoverProvider(diagnostics, client)),
    vscode.languages.registerCodeActionsProvider([...selector, { pattern: '**/*.{csv,CSV}' }], new PlanCodeActionProvider(diagnostics, client), PlanCodeActionProvider.metadata),
  );

  // Runs: the store read by a worker thread, passes in the forked runner, never on this thread.
  const register = new Registrations(context, logger);
  const keys = new ContextKeyValues(Object.values(ContextKeys));
  const reader = new StoreReader(vscode.Uri.joinPath(context.extensionUri, 'bin', 'ferry.js').fsPath, vscode.Uri.joinPath(context.extensionUri, 'dist').fsPath, logger);
  const registry = new ProjectRegistry(reader, keys, logger);
  const signIn = new MicrosoftSignIn(context, logger);
  const pool = new RunnerPool(vscode.Uri.joinPath(context.extensionUri, 'dist', 'runner.js').fsPath, logger, signIn);
  const passes = new PassService(context, registry, pool, keys, logger);
  const reattach = new Reattach(registry, passes, keys, logger);
  const tree = new ProjectsTree(register, registry, passes, reattach, logger, passes.lag);
  const runDiagnostics = new RunDiagnostics(registry, logger);
  const revealMailbox = (plan: string, batch: string, item: string) => tree.reveal(plan, batch, item, { select: true, focus: true });
  const dashboards = new DashboardPanels(context.extensionUri, registry, revealMailbox, logger, passes.lag);
  const mailboxes = new MailboxPages(context.extensionUri, registry, revealMailbox, logger, passes.lag);
  const statusBar = new RunStatusBar(registry, passes.lag);
  context.subscriptions.push({ dispose: () => reader.dispose() }, registry, pool, passes, reattach, tree, runDiagnostics, dashboards, mailboxes, statusBar);
  context.subscriptions.push(
    pool.onEvent((e) => registry.applyEvent(e.planFile, e.event, e.at)),
    vscode.languages.registerCodeActionsProvider([...selector, { pattern: '**/*.{csv,CSV}' }], new RunCodeActionProvider(runDiagnostics), RunCodeActionProvider.metadata),
  );
  registerCommands(context, register, logger, diagnostics, { registry, passes, reattach, tree, dashboards, mailboxes, reader, signIn });
  void reattach.check().catch((err: unknown) => logger.error('reattach', 'reading the run state failed', err));

  const api: Omit<FerryApi, 'activation'> = {
    onDidValidate: diagnostics.onDidValidate,
    validatedVersion: (uri) => diagnostics.validatedVersion(uri),
    hasSecret: async (name) => (await context.secrets.get(secretKey(name))) !== undefined,
    runs: ferryRunsApi({ registry, passes, pool, reattach, tree, runDiagnostics, dashboards, mailboxes, keys, register, logUri: context.logUri, statusBar }),
  };
  const activation = { loadMs: modulesLoadedAt - bundleStartedAt, waitMs: entered - modulesLoadedAt, activateMs: performance.now() - entered, loadCpuMs, activateCpuMs: cpuMsSince(enteredCpu) };
  logger.info('activate', `Ferry ${context.extension.packageJSON.version as string} on VS Code ${vscode.version}: modules evaluated in ${activation.loadMs.toFixed(1)} ms, activate() ${activation.activateMs.toFixed(1)} ms`);
  return { ...api, activation };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
