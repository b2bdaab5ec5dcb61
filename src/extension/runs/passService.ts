// Starts and steers passes in the background runner: a cancellable progress notification while a
// pass runs, its events into the project state, the plan's secrets from SecretStorage into the
// start request, a summary at the end. The host thread only passes messages.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { scopeText } from '../../engine/selection';
import type { PassKind } from '../../engine/statuses';
import type { PassSummary } from '../../engine/summary';
import type { RunnerClient } from '../../runner/client';
import type { ContextKeyValues } from '../common/contextKeys';
import { ContextKeys } from '../common/ids';
import type { Logger } from '../common/logger';
import type { ProjectRegistry } from '../state/projectRegistry';
import type { ProjectState } from '../state/projectState';
import { ActivePasses } from './activePasses';
import { failureOf, showFailure } from './failures';
import { passTitle } from '../../views/passTitles';
import type { RunnerPool } from './runnerPool';
import { announce, progressReporter, safeUser, savePlan } from './passFeedback';
import { ViewLag } from '../../views/viewLag';
import { planSecrets } from './secrets';

export interface RunTarget {
  planFile: string;
  batch?: string;
  item?: string;
  /** Several mailboxes at once (a selection in the tree or the dashboard): one pass over them. */
  items?: string[];
}

export interface PassEnded {
  planFile: string;
  kind: PassKind | 'complete';
  summary?: PassSummary;
  failed?: boolean;
}

/** What a stop request found: a pass it stopped, one of this window that had just ended, or none. */
export type StopOutcome = 'stopping' | 'ended' | 'notRunning';

export class PassService implements vscode.Disposable {
  readonly active: ActivePasses;
  private readonly endEmitter = new vscode.EventEmitter<PassEnded>();
  readonly onDidEndPass = this.endEmitter.event;
  private readonly running = new Set<string>();
  /** The progress notification's last text per plan (for tests). */
  private readonly notified = new Map<string, () => string | undefined>();

  constructor(private readonly context: vscode.ExtensionContext, private readonly registry: ProjectRegistry, private readonly pool: RunnerPool, private readonly keys: ContextKeyValues, private readonly logger: Logger, readonly lag = new ViewLag()) {
    this.active = new ActivePasses(context.workspaceState);
  }

  /** What the progress notification of a plan's pass says now. */
  notification(planFile: string): string | undefined {
    return this.notified.get(planFile)?.();
  }

  isRunning(planFile: string): boolean {
    return this.running.has(planFile);
  }

  /** Runs a pass to its end with a progress notification; undefined when it could not start. */
  startPass(target: RunTarget, kind: PassKind): Promise<PassSummary | undefined> {
    return this.runLong(target, kind, async (client, secrets) => client.request<PassSummary>({ type: 'start', planFile: target.planFile, pass: kind, batch: target.batch, item: target.items ?? target.item, secrets }));
  }

  /** Completes a batch: a final delta, then Completed (refused before completeAfter). */
  complete(target: RunTarget & { batch: string }): Promise<PassSummary | undefined> {
    return this.runLong(target, 'complete', async (client, secrets) => client.request<PassSummary>({ type: 'complete', planFile: target.planFile, batch: target.batch, secrets }));
  }

  /**
   * Asks this window's runner to stop the pass of a plan's state folder after the items in flight.
   * Logged and shown ("Stopping") at once, before the runner answers.
   */
  async stop(planFile: string): Promise<StopOutcome> {
    const mine = this.running.has(planFile);
    this.logger.info('runs', `stop requested for ${path.basename(planFile)}${mine ? '' : ' (no pass of this window is running for it)'}`);
    if (!mine) return 'notRunning';
    this.registry.markStopping(planFile);
    const project = await this.project(planFile);
    const client = await this.pool.existing(project.stateDir);
    const result = client ? await client.request<{ stopping: boolean }>({ type: 'stop' }).catch(() => ({ stopping: false })) : { stopping: false };
    this.logger.info('runs', `stop of ${path.basename(planFile)}: ${result.stopping ? 'the runner is stopping the pass after the items in flight' : 'the pass had already ended'}`);
    return result.stopping ? 'stopping' : 'ended';
  }

  async approve(target: RunTarget): Promise<string[] | undefined> {
    const project = await this.project(target.planFile);
    try {
      const by = safeUser();
      const result = await this.pool.use(project.stateDir, (c) => c.request<{ approved: string[] }>({ type: 'approve', planFile: target.planFile, batch: target.batch, item: target.item, by }));
      this.logger.info('runs', `approved ${result.approved.join(', ') || 'nothing'} (by ${by})`);
      return result.approved;
    } catch (err) {
      await showFailure(err, 'Approve', this.logger);
      return undefined;
    } finally {
      await this.pool.settle(project.stateDir);
      this.registry.refreshStore(target.planFile);
    }
  }

  /** The mailboxes an endpoint holds, asked by the runner (it loads the protocol libraries, with the plan's secrets). */
  async discover(planFile: string, endpoint: string): Promise<string[]> {
    const project = await this.project(planFile);
    if (!(await savePlan(project.uri))) throw new Error('the plan has unsaved changes');
    const view = await project.view().catch(() => undefined);
    const secrets = await planSecrets(this.context.secrets, view?.outline?.secretNames ?? [], this.logger);
    try {
      return await this.pool.use(project.stateDir, (c) => c.request<string[]>({ type: 'discover', planFile, endpoint, secrets }));
    } finally {
      await this.pool.settle(project.stateDir);
    }
  }

  async deleteBatch(target: RunTarget & { batch: string }): Promise<boolean> {
    const project = await this.project(target.planFile);
    try {
      await this.pool.use(project.stateDir, (c) => c.request({ type: 'delete', planFile: target.planFile, batch: target.batch }));
      this.logger.info('runs', `deleted the state of batch ${target.batch} of ${path.basename(target.planFile)}`);
      return true;
    } catch (err) {
      await showFailure(err, `Delete the state of ${target.batch}`, this.logger);
      return false;
    } finally {
      await this.pool.settle(project.stateDir);
      this.registry.refreshStore(target.planFile);
    }
  }

  dispose(): void {
    this.endEmitter.dispose();
  }

  private async project(planFile: string): Promise<ProjectState> {
    await this.registry.ready();
    const project = this.registry.get(planFile);
    if (!project) throw new Error(`${planFile} is not a plan of this workspace`);
    return project;
  }

  private async runLong(target: RunTarget, kind: PassKind | 'complete', request: (client: RunnerClient, secrets: Record<string, string>) => Promise<PassSummary>): Promise<PassSummary | undefined> {
    const project = await this.project(target.planFile);
    if (!(await savePlan(project.uri))) return undefined;
    if (this.registry.inStateDir(project.stateDir).some((p) => this.running.has(p.planFile))) {
      void vscode.window.showWarningMessage('Ferry: a pass is already running in this state folder; stop it first or wait for it to end.');
      return undefined;
    }
    // Claimed before anything is awaited, so that two quick starts cannot both pass the check above.
    this.running.add(target.planFile);
    this.keys.set(ContextKeys.passRunning, true);
    this.lag.reset();
    const view = await project.view().catch(() => undefined);
    const title = passTitle(kind, view?.name ?? path.basename(target.planFile), target);
    let summary: PassSummary | undefined;
    let failed = false;
    try {
      const secrets = await planSecrets(this.context.secrets, view?.outline?.secretNames ?? [], this.logger);
      this.registry.beginPass(target.planFile, kind === 'complete' ? 'delta' : kind);
      await this.active.set({ planFile: target.planFile, kind: kind === 'complete' ? 'delta' : kind, batch: target.batch, item: scopeText(target.items ?? target.item), startedAt: new Date().toISOString() });
      this.logger.info('runs', `${title}: starting`);
      summary = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Ferry: ${title}`, cancellable: true }, (progress, token) =>
        this.pool.use(project.stateDir, async (client) => {
          token.onCancellationRequested(() => void this.stop(target.planFile));
          const reporter = progressReporter(project, progress, this.lag);
          this.notified.set(target.planFile, reporter);
          const sub = this.registry.onDidChangeProject((c) => c.planFile === target.planFile && reporter());
          try {
            return await request(client, secrets);
          } finally {
            sub.dispose();
            this.notified.delete(target.planFile);
          }
        }, target.planFile),
      );
      await this.active.clear(target.planFile);
    } catch (err) {
      failed = true;
      // A runner that died with the window never answers; anything else ends the pass here.
      if (failureOf(err)?.message !== 'the runner exited') await this.active.clear(target.planFile);
      void showFailure(err, title, this.logger).catch((e: unknown) => this.logger.error('runs', title, e));
    } finally {
      this.running.delete(target.planFile);
      this.keys.set(ContextKeys.passRunning, this.running.size > 0);
      // The views show the ended pass from the store as soon as the runner has answered; the
      // runner then shuts down (the pool's next runner for the folder waits for its lock).
      void this.pool.settle(project.stateDir);
      await this.registry.endPass(target.planFile);
    }
    this.logger.info('runs', `${title}: lag from runner event to view: ${this.lag.describe()}`);
    if (summary) announce(title, target.planFile, summary, this.logger);
    this.endEmitter.fire({ planFile: target.planFile, kind, summary, failed });
    return summary;
  }
}
