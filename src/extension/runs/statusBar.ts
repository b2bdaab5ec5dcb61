// A status-bar summary: the running pass's progress, otherwise how many mailboxes are synced and
// failed across the workspace's plans. Click: the dashboard. Updates at most twice a second.
import * as vscode from 'vscode';
import { Commands } from '../common/ids';
import { count, dotted } from '../model/format';
import type { ProjectRegistry } from '../state/projectRegistry';
import { passNames } from './passTitles';

export class RunStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('ferry.status', vscode.StatusBarAlignment.Left, 50);
  private readonly disposables: vscode.Disposable[] = [this.item];
  private timer?: NodeJS.Timeout;

  constructor(private readonly registry: ProjectRegistry) {
    this.item.name = 'Ferry';
    this.item.command = Commands.openDashboard;
    this.disposables.push(registry.onDidChangeProject(() => this.schedule()), registry.onDidChangeProjects(() => this.schedule()));
    this.schedule();
  }

  /** The text shown now (for tests). */
  get text(): string {
    return this.item.text;
  }

  dispose(): void {
    clearTimeout(this.timer);
    vscode.Disposable.from(...this.disposables).dispose();
  }

  private schedule(): void {
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      void this.update();
    }, 500);
  }

  private async update(): Promise<void> {
    const projects = this.registry.list();
    // Read what is stale first (as the tree does): the last change event may come before the store
    // read after a pass, and the cached view would then say nothing about it until the next event.
    await Promise.all(projects.map((p) => p.view().catch(() => undefined)));
    if (!projects.length) {
      this.item.hide();
      return;
    }
    const running = projects.find((p) => p.running);
    const tooltip = new vscode.MarkdownString('**Ferry**\n\n');
    if (running?.live) {
      const live = running.live;
      let copied = 0;
      let done = 0;
      for (const i of live.items.values()) {
        copied += i.itemsDone;
        if (i.status && !['Queued', 'AnalysisStarted', 'InProgress', 'ResyncStarted'].includes(i.status)) done++;
      }
      this.item.text = `$(sync~spin) Ferry: ${dotted(live.kind ? passNames[live.kind] : 'pass', `${done}/${live.mailboxes}`, count(copied, 'item'))}`;
      tooltip.appendMarkdown(`${running.cachedView().name}: ${done} of ${count(live.mailboxes, 'mailbox', 'mailboxes')} done, ${count(copied, 'item')} copied. Click for the dashboard.`);
      this.item.backgroundColor = undefined;
    } else {
      let mailboxes = 0;
      let synced = 0;
      let failed = 0;
      for (const p of projects) {
        const t = p.cachedView().totals;
        if (!p.snapshot?.status) continue;
        mailboxes += t.mailboxes;
        synced += t.synced;
        failed += t.failed;
        tooltip.appendMarkdown(`- ${p.cachedView().name}: ${t.synced}/${t.mailboxes} synced${t.failed ? `, ${t.failed} failed` : ''}\n`);
      }
      this.item.text = mailboxes ? `$(${failed ? 'warning' : 'check'}) Ferry: ${dotted(`${synced}/${mailboxes} synced`, failed > 0 && `${failed} failed`)}` : '$(arrow-swap) Ferry';
      this.item.backgroundColor = failed ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    }
    this.item.tooltip = tooltip;
    this.item.show();
  }
}
