// Every plan of the workspace (*.migration.yaml) and its state. Watches plans, their CSV files and
// the state folders; tells the views what changed (a whole project, or some batches and mailboxes
// while a pass runs). It never loads anything itself: views ask for what they show.
import * as vscode from 'vscode';
import type { EngineEvent } from '../../engine/events';
import type { PassKind } from '../../engine/statuses';
import type { ContextKeyValues } from '../common/contextKeys';
import { ContextKeys } from '../common/ids';
import type { Logger } from '../common/logger';
import { ProjectState } from './projectState';
import type { StoreReader } from './storeReader';

const planGlob = '**/*.migration.{yaml,yml}';
const excluded = '**/{node_modules,.ferry}/**';

export interface ProjectChange {
  planFile: string;
  /** Anything under the project may have changed. */
  all: boolean;
  batches: ReadonlySet<string>;
  /** Item keys (model/liveState itemKey). */
  items: ReadonlySet<string>;
  /** A pass started, is stopping or ended. */
  pass: boolean;
  /** The published revision of the project's view this change belongs to. */
  revision: number;
}

export class ProjectRegistry implements vscode.Disposable {
  private readonly projects = new Map<string, ProjectState>();
  private readonly listEmitter = new vscode.EventEmitter<void>();
  private readonly changeEmitter = new vscode.EventEmitter<ProjectChange>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly disposables: vscode.Disposable[] = [this.listEmitter, this.changeEmitter];
  private discovered?: Promise<void>;
  readonly onDidChangeProjects = this.listEmitter.event;
  readonly onDidChangeProject = this.changeEmitter.event;

  constructor(private readonly reader: StoreReader, private readonly keys: ContextKeyValues, private readonly logger: Logger) {
    const plans = vscode.workspace.createFileSystemWatcher(planGlob);
    const csvs = vscode.workspace.createFileSystemWatcher('**/*.{csv,CSV}');
    // Not the -wal/-shm files: reading the store touches them, so watching them would loop. The
    // database changes at checkpoints (a runner closing), the lock when a runner starts or ends.
    const stores = vscode.workspace.createFileSystemWatcher('**/.ferry/{state.db,runner.lock}');
    this.disposables.push(
      plans,
      csvs,
      stores,
      plans.onDidCreate((u) => this.add(u)),
      plans.onDidDelete((u) => this.remove(u)),
      plans.onDidChange((u) => this.outlineChanged(u.fsPath, 300)),
      csvs.onDidChange((u) => this.csvChanged(u)),
      csvs.onDidCreate((u) => this.csvChanged(u)),
      csvs.onDidDelete((u) => this.csvChanged(u)),
      stores.onDidChange((u) => this.storeChanged(u)),
      stores.onDidCreate((u) => this.storeChanged(u)),
      stores.onDidDelete((u) => this.storeChanged(u)),
      vscode.workspace.onDidChangeTextDocument((e) => e.contentChanges.length && this.projects.has(e.document.uri.fsPath) && this.outlineChanged(e.document.uri.fsPath, 300)),
      // A CSV file saved in this window (a quick fix, say) is read again at once, also when the file
      // watcher's event comes late or not at all (its events are throttled on a busy machine).
      vscode.workspace.onDidSaveTextDocument((d) => /\.csv$/i.test(d.uri.fsPath) && this.csvChanged(d.uri)),
    );
  }

  /** Finds the workspace's plans (once); resolves when the list is known. */
  ready(): Promise<void> {
    this.discovered ??= (async () => {
      const uris = await vscode.workspace.findFiles(planGlob, excluded);
      for (const uri of uris.sort((a, b) => a.fsPath.localeCompare(b.fsPath))) this.add(uri, false);
      this.listChanged();
    })();
    return this.discovered;
  }

  list(): ProjectState[] {
    return [...this.projects.values()];
  }

  get(planFile: string): ProjectState | undefined {
    return this.projects.get(planFile);
  }

  /** Projects that share a state folder (one runner serves them all). */
  inStateDir(stateDir: string): ProjectState[] {
    return this.list().filter((p) => p.stateDir === stateDir);
  }

  /** Reads the store again (after a command changed it); the views hear of it when it is published. */
  refreshStore(planFile: string): void {
    void this.projects.get(planFile)?.refresh().catch((err: unknown) => this.logger.error('store', planFile, err));
  }

  /** Everything again, plans found anew included: the refresh command. */
  async refreshAll(): Promise<void> {
    await this.ready();
    const uris = await vscode.workspace.findFiles(planGlob, excluded);
    const found = new Set(uris.map((u) => u.fsPath));
    for (const uri of uris) this.add(uri, false);
    for (const p of this.list()) {
      if (!found.has(p.planFile)) {
        p.dispose();
        this.projects.delete(p.planFile);
      }
      p.markOutlineStale();
      p.markSnapshotStale();
    }
    this.listChanged();
  }

  beginPass(planFile: string, kind?: PassKind): void {
    this.projects.get(planFile)?.beginPass(kind);
  }

  /** A runner event, sent at `at` (the runner's clock); published with the others of its frame. */
  applyEvent(planFile: string, event: EngineEvent, at?: number): void {
    this.projects.get(planFile)?.applyEvent(event, Date.now(), at);
  }

  markStopping(planFile: string): void {
    this.projects.get(planFile)?.markStopping();
  }

  /** Resolves once the store was read after the pass and the result published. */
  async endPass(planFile: string): Promise<void> {
    await this.projects.get(planFile)?.endPass().catch((err: unknown) => this.logger.error('store', planFile, err));
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    for (const p of this.projects.values()) p.dispose();
    vscode.Disposable.from(...this.disposables).dispose();
  }

  private add(uri: vscode.Uri, announce = true): void {
    if (this.projects.has(uri.fsPath) || /[\\/](node_modules|\.ferry)[\\/]/.test(uri.fsPath)) return;
    this.projects.set(uri.fsPath, new ProjectState(uri, this.reader, this.logger, (change) => this.fire(uri.fsPath, change)));
    if (announce) this.listChanged();
  }

  private remove(uri: vscode.Uri): void {
    this.projects.get(uri.fsPath)?.dispose();
    if (this.projects.delete(uri.fsPath)) this.listChanged();
  }

  private listChanged(): void {
    this.keys.set(ContextKeys.hasPlans, this.projects.size > 0);
    this.listEmitter.fire();
  }

  private outlineChanged(planFile: string, delay: number): void {
    this.debounce(`outline|${planFile}`, delay, () => {
      const p = this.projects.get(planFile);
      p?.markOutlineStale();
      void p?.view().catch((err: unknown) => this.logger.error('projects', planFile, err));
    });
  }

  private csvChanged(uri: vscode.Uri): void {
    for (const p of this.projects.values()) if (p.outline?.csvFiles.includes(uri.fsPath)) this.outlineChanged(p.planFile, 300);
  }

  /** Another process (the command line, another window) wrote a state folder. */
  private storeChanged(uri: vscode.Uri): void {
    const dir = vscode.Uri.joinPath(uri, '..').fsPath;
    for (const p of this.projects.values()) {
      if (p.stateDir !== dir || p.running) continue;
      this.debounce(`store|${p.planFile}`, 1000, () => this.refreshStore(p.planFile));
    }
  }

  private debounce(key: string, delay: number, fn: () => void): void {
    clearTimeout(this.timers.get(key));
    this.timers.set(key, setTimeout(() => {
      this.timers.delete(key);
      fn();
    }, delay));
  }

  private fire(planFile: string, change: Partial<ProjectChange>): void {
    const revision = this.projects.get(planFile)?.publishedRevision ?? 0;
    this.changeEmitter.fire({ planFile, all: change.all ?? false, batches: change.batches ?? new Set(), items: change.items ?? new Set(), pass: change.pass ?? false, revision });
  }
}
