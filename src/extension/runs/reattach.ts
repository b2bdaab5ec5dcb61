// After a window reload (or when the extension starts on a workspace whose passes were cut off)
// the extension reattaches to the store: it reads every plan's state, names the passes that did
// not finish and offers to resume them; a runner that still owns a state folder (another window,
// `ferry run` in a terminal) is shown, not disturbed.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ContextKeyValues } from '../common/contextKeys';
import { ContextKeys, Commands, Views } from '../common/ids';
import type { Logger } from '../common/logger';
import { when } from '../../views/format';
import { resumableOf, type Resumable } from '../../views/resumable';
import type { ProjectRegistry } from '../state/projectRegistry';
import type { PassService } from './passService';
import { passTitle } from '../../views/passTitles';

export class Reattach implements vscode.Disposable {
  /** Plans whose cut-off pass waits for the old runner (still finishing its items) to let go. */
  private readonly waiting = new Set<string>();
  private readonly subscription: vscode.Disposable;

  constructor(private readonly registry: ProjectRegistry, private readonly passes: PassService, private readonly keys: ContextKeyValues, private readonly logger: Logger) {
    this.subscription = registry.onDidChangeProject((c) => {
      if (c.all && this.waiting.has(c.planFile)) void this.recheck(c.planFile);
      else if (c.pass || c.all) this.updateContext();
    });
  }

  dispose(): void {
    this.subscription.dispose();
  }

  /** The resumable pass of a plan from what is loaded now. */
  resumable(planFile: string): Resumable | undefined {
    const project = this.registry.get(planFile);
    if (!project) return undefined;
    return resumableOf(project.cachedView(), this.passes.active.get(planFile), this.passes.isRunning(planFile) || project.running);
  }

  updateContext(): void {
    const any = this.registry.list().some((p) => this.resumable(p.planFile) !== undefined);
    this.keys.set(ContextKeys.canResume, any);
  }

  /** Reads every plan's state; offers to resume what was cut off or interrupted. Returns those. */
  async check(offer = true): Promise<Resumable[]> {
    await this.registry.ready();
    const found: Resumable[] = [];
    for (const project of this.registry.list()) {
      const view = await project.view();
      const runner = view.snapshot?.runner;
      if (runner) this.logger.info('reattach', `${project.planFile}: runner pid ${runner.pid} (${runner.owner}) owns ${project.stateDir} since ${when(runner.startedAt)}`);
      if (runner && this.passes.active.get(project.planFile)) this.waiting.add(project.planFile);
      const r = this.resumable(project.planFile);
      if (!r || r.reason === 'stopped') continue;
      found.push(r);
      if (offer) this.offer(r, view.name);
    }
    this.updateContext();
    return found;
  }

  private async recheck(planFile: string): Promise<void> {
    const view = await this.registry.get(planFile)?.view();
    if (!view || view.snapshot?.runner) return;
    this.waiting.delete(planFile);
    const r = this.resumable(planFile);
    if (r && r.reason !== 'stopped') this.offer(r, view.name);
    this.updateContext();
  }

  private offer(r: Resumable, project: string): void {
    // Until the plan is read the view is named by its path: the file name reads better in a notification.
    const title = passTitle(r.kind, project === r.planFile ? path.basename(project) : project, r);
    this.logger.info('reattach', `${title} did not finish (${r.reason}${r.startedAt ? `, started ${when(r.startedAt)}` : ''})`);
    const why = r.reason === 'cutOff' ? 'it was cut off when the window closed or its runner stopped' : 'its runner is gone';
    void vscode.window.showWarningMessage(`Ferry: ${title} did not finish: ${why}. Resume it? Nothing copied is lost or copied twice.`, 'Resume', 'Show').then((choice) => {
      if (choice === 'Resume') void vscode.commands.executeCommand(Commands.resume, { planFile: r.planFile });
      if (choice === 'Show') void vscode.commands.executeCommand(`${Views.projects}.focus`);
    });
  }
}
