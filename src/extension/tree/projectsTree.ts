// The Projects view: every plan of the workspace -> Endpoints, Batches -> mailboxes -> folders and
// errors, Passes. Refreshes narrowly (the nodes a published revision touched), as soon as a revision
// is published, and not at all while the view is hidden (it catches up when shown again).
import * as vscode from 'vscode';
import { Views } from '../common/ids';
import type { Logger } from '../common/logger';
import type { ViewLag } from '../../views/viewLag';
import { countsText, passState } from '../../views/viewSummary';
import type { Registrations } from '../common/registrations';
import type { RunContext } from '../../views/capabilities';
import type { Reattach } from '../runs/reattach';
import type { PassService } from '../runs/passService';
import type { ProjectChange, ProjectRegistry } from '../state/projectRegistry';
import { childrenOf, pageSize } from '../../views/tree/children';
import { NodeCache, type FerryNode } from '../../views/tree/nodes';
import { render } from './render';

/** The registry publishes runner events a frame at a time; this only merges the projects' changes of one turn. */
const burstMs = 10;
const foreignRunnerPollMs = 3000;

export class ProjectsTree implements vscode.TreeDataProvider<FerryNode>, vscode.Disposable {
  readonly cache = new NodeCache();
  readonly view: vscode.TreeView<FerryNode>;
  private readonly emitter = new vscode.EventEmitter<FerryNode | FerryNode[] | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private readonly pages = new Map<string, number>();
  private pending = new Set<FerryNode>();
  private pendingAll = false;
  private timer?: NodeJS.Timeout;
  private poll?: NodeJS.Timeout;
  private readonly disposables: vscode.Disposable[] = [this.emitter];

  constructor(register: Registrations, private readonly registry: ProjectRegistry, private readonly passes: PassService, private readonly reattach: Reattach, private readonly logger: Logger, private readonly lag?: ViewLag) {
    this.view = register.treeView(Views.projects, { treeDataProvider: this, showCollapseAll: true, canSelectMany: true });
    this.disposables.push(
      this.view,
      this.view.onDidChangeVisibility((e) => e.visible && this.flush()),
      registry.onDidChangeProjects(() => {
        for (const planFile of this.cache.projects()) if (!registry.get(planFile)) this.cache.dropProject(planFile);
        this.queueAll();
      }),
      registry.onDidChangeProject((c) => this.queue(c)),
    );
  }

  /** Renders from the loaded view: after a pass the store is read first, so no row shows the state from before it. */
  async getTreeItem(node: FerryNode): Promise<vscode.TreeItem> {
    const project = this.registry.get(node.planFile);
    if (!project) return new vscode.TreeItem(node.id);
    const view = await project.view().catch((err: unknown) => {
      this.logger.error('tree', project.planFile, err);
      return project.cachedView();
    });
    const item = render(node, view, this.runContext(node.planFile), this.shown(node.kind === 'more' ? node.parent! : node));
    if (node.kind === 'project') this.lag?.record('tree', node.planFile, view.revision, [passState(view), countsText(view)].filter(Boolean).join(' · '), view.eventAt);
    return item;
  }

  async getChildren(node?: FerryNode): Promise<FerryNode[]> {
    if (!node) {
      await this.registry.ready();
      const projects = this.registry.list();
      await Promise.all(projects.map((p) => p.view().catch((err: unknown) => this.logger.error('tree', p.planFile, err))));
      this.schedulePoll();
      return projects.map((p) => this.cache.project(p.planFile));
    }
    const project = this.registry.get(node.planFile);
    if (!project) return [];
    return childrenOf(node, await project.view(), this.cache, (b) => this.shown(b));
  }

  getParent(node: FerryNode): FerryNode | undefined {
    return node.parent;
  }

  /** Shows the next page of a batch's mailboxes. */
  loadMore(node: FerryNode): void {
    const batch = node.kind === 'more' ? node.parent! : node;
    this.pages.set(batch.id, this.shown(batch) + pageSize);
    this.emitter.fire(batch);
  }

  /** Reveals a project, batch or mailbox (loading pages until the mailbox is shown). */
  async reveal(planFile: string, batch?: string, item?: string, options: { select?: boolean; focus?: boolean; expand?: boolean | number } = { select: true, focus: false }): Promise<FerryNode | undefined> {
    const project = this.registry.get(planFile);
    if (!project) return undefined;
    const view = await project.view();
    let node = this.cache.project(planFile);
    if (batch !== undefined) {
      const b = view.batches.find((x) => x.name === batch);
      if (!b) return undefined;
      node = this.cache.node('batch', planFile, this.cache.node('batches', planFile, node), { batch }, batch);
      if (item !== undefined) {
        const index = b.items.findIndex((i) => i.source === item);
        if (index < 0) return undefined;
        if (index >= this.shown(node)) {
          this.pages.set(node.id, Math.ceil((index + 1) / pageSize) * pageSize);
          // The workbench holds the batch's children it was given: tell it there are more pages
          // now, or it looks for the mailbox among the first ones and selects nothing.
          this.emitter.fire(node);
        }
        node = this.cache.node('item', planFile, node, { batch, item }, item);
      }
    }
    await this.view.reveal(node, options);
    return node;
  }

  runContext(planFile: string): RunContext {
    const project = this.registry.get(planFile);
    // What the published view says, so the menus agree with the descriptions; isRunning covers a
    // pass this window asked for that has not said it started yet.
    const running = !!project && this.registry.inStateDir(project.stateDir).some((p) => p.cachedView().pass !== undefined || (this.passes.isRunning(p.planFile) && !p.live));
    return { running, canResume: !running && this.reattach.resumable(planFile) !== undefined };
  }

  dispose(): void {
    clearTimeout(this.timer);
    clearTimeout(this.poll);
    vscode.Disposable.from(...this.disposables).dispose();
  }

  private shown(batchNode: FerryNode): number {
    return this.pages.get(batchNode.id) ?? pageSize;
  }

  private queue(c: ProjectChange): void {
    const project = this.cache.project(c.planFile);
    if (c.all || c.pass) this.pending.add(project);
    else {
      for (const b of c.batches) {
        const batches = this.cache.get(`${project.id}/batches`);
        const node = batches && this.cache.get(`${batches.id}/batch:${b}`);
        if (node) this.pending.add(node);
      }
      for (const key of c.items) {
        const [batch, item] = key.split('\u0000');
        const node = this.cache.get(`${project.id}/batches/batch:${batch}/item:${item}`);
        if (node) this.pending.add(node);
      }
      this.pending.add(project);
    }
    this.schedule();
  }

  private queueAll(): void {
    this.pendingAll = true;
    this.schedule();
  }

  private schedule(): void {
    if (!this.view.visible) return; // caught up by flush() when the view is shown again
    this.timer ??= setTimeout(() => this.flush(), burstMs);
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pendingAll) this.emitter.fire(undefined);
    else if (this.pending.size) this.emitter.fire([...this.pending]);
    this.pending = new Set();
    this.pendingAll = false;
    this.schedulePoll();
  }

  /** While another process's runner owns a state folder, its progress is read every few seconds (only while visible). */
  private schedulePoll(): void {
    clearTimeout(this.poll);
    if (!this.registry.list().some((p) => p.snapshot?.runner && !p.running)) return;
    this.poll = setTimeout(() => {
      if (!this.view.visible) return;
      for (const p of this.registry.list()) if (p.snapshot?.runner && !p.running) this.registry.refreshStore(p.planFile);
    }, foreignRunnerPollMs);
  }
}
