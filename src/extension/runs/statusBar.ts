// A status-bar summary: the running pass's progress, otherwise how many mailboxes are synced and
// failed across the workspace's plans. Click: the dashboard. Redrawn from the published views each
// time one is published (the registry publishes a pass's events a frame at a time).
import * as vscode from 'vscode';
import { Commands } from '../common/ids';
import type { ViewLag } from '../../views/viewLag';
import { batchProgressText, countsText, passState } from '../../views/viewSummary';
import { dotted } from '../../views/format';
import type { ProjectRegistry } from '../state/projectRegistry';

export class RunStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('ferry.status', vscode.StatusBarAlignment.Left, 50);
  private readonly disposables: vscode.Disposable[] = [this.item];

  constructor(private readonly registry: ProjectRegistry, private readonly lag?: ViewLag) {
    this.item.name = 'Ferry';
    this.item.command = Commands.openDashboard;
    this.disposables.push(
      registry.onDidChangeProject(() => this.update()),
      registry.onDidChangeProjects(() => {
        this.update();
        // Read every plan's store once it is known, so the summary says something from the start.
        void registry.ready().then(() => Promise.all(registry.list().map((p) => p.view().catch(() => undefined))));
      }),
    );
    this.update();
  }

  /** The text shown now (for tests). */
  get text(): string {
    return this.item.text;
  }

  /** The tooltip shown now (for tests). */
  get tooltip(): string {
    const t = this.item.tooltip;
    return typeof t === 'string' ? t : (t?.value ?? '');
  }

  dispose(): void {
    vscode.Disposable.from(...this.disposables).dispose();
  }

  private update(): void {
    const projects = this.registry.list();
    if (!projects.length) {
      this.item.hide();
      return;
    }
    const views = projects.map((p) => p.cachedView());
    const running = views.find((v) => v.pass);
    const tooltip = new vscode.MarkdownString('**Ferry**\n\n');
    if (running?.pass) {
      const state = passState(running)!;
      const counts = countsText(running);
      this.item.text = `$(${running.pass.state === 'stopping' ? 'debug-stop' : 'sync~spin'}) Ferry: ${dotted(state, counts)}`;
      tooltip.appendMarkdown(`${running.name}: ${state}, ${counts}.\n\n`);
      for (const b of running.batches) {
        const progress = batchProgressText(running, b);
        if (progress) tooltip.appendMarkdown(`- ${b.name}: ${progress}\n`);
      }
      tooltip.appendMarkdown('\nClick for the dashboard.');
      this.item.backgroundColor = undefined;
      this.lag?.record('statusBar', running.planFile, running.revision, `${state} · ${counts}`, running.eventAt);
    } else {
      let mailboxes = 0;
      let synced = 0;
      let failed = 0;
      for (const v of views) {
        tooltip.appendMarkdown(`- ${v.name}: ${countsText(v)}\n`);
        this.lag?.record('statusBar', v.planFile, v.revision, countsText(v), v.eventAt);
        if (!v.snapshot?.status) continue;
        mailboxes += v.totals.mailboxes;
        synced += v.totals.synced;
        failed += v.totals.failed;
      }
      tooltip.appendMarkdown('\nClick for the dashboard.');
      this.item.text = mailboxes ? `$(${failed ? 'warning' : 'check'}) Ferry: ${dotted(`${synced}/${mailboxes} synced`, failed > 0 && `${failed} failed`)}` : `$(arrow-swap) Ferry: ${views.length === 1 ? countsText(views[0]) : `${views.length} plans, no pass run yet`}`;
      this.item.backgroundColor = failed ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    }
    this.item.tooltip = tooltip;
    this.item.show();
  }
}
