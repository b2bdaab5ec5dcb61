// One plan of the workspace and what is known about it: its outline (from the text), the store's
// snapshot, the live state of a pass. Loads lazily (only when a view asks) and never twice at once.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { EngineEvent } from '../../engine/events';
import { stateDirFor } from '../../store/location';
import { readProjectFile } from '../../plan/projectFiles';
import { planLimits } from '../../plan/limits';
import { stateFileName } from '../../store/store';
import type { Logger } from '../common/logger';
import { applyEvent, newLiveState, type LiveChange, type LiveState, type ThroughputSample } from '../model/liveState';
import { planOutline, withCsvItems, type PlanOutline } from '../model/planOutline';
import { projectView, type ProjectView, type StoreSnapshot } from '../model/projectView';
import type { StoreReader } from './storeReader';

export class ProjectState {
  readonly planFile: string;
  readonly stateDir: string;
  outline?: PlanOutline;
  snapshot?: StoreSnapshot;
  live?: LiveState;
  /** Samples of the last pass that ran in this window (the dashboard's throughput chart). */
  lastSamples: ThroughputSample[] = [];
  private outlineStale = true;
  private snapshotStale = true;
  private loading?: Promise<void>;
  private cached?: ProjectView;

  constructor(readonly uri: vscode.Uri, private readonly reader: StoreReader, private readonly logger: Logger) {
    this.planFile = uri.fsPath;
    this.stateDir = stateDirFor(this.planFile, undefined, path.dirname(this.planFile));
  }

  get running(): boolean {
    return this.live !== undefined && !this.live.done;
  }

  markOutlineStale(): void {
    this.outlineStale = true;
  }

  markSnapshotStale(): void {
    this.snapshotStale = true;
  }

  /** The view, loading whatever is stale first. */
  async view(): Promise<ProjectView> {
    while (this.needsLoad()) {
      this.loading ??= this.load().finally(() => (this.loading = undefined));
      await this.loading;
    }
    return this.cachedView();
  }

  /** The view from what is loaded now (no I/O). */
  cachedView(): ProjectView {
    this.cached ??= projectView(this.planFile, this.outline, this.snapshot, this.live);
    return this.cached;
  }

  beginPass(now = Date.now()): void {
    this.live = newLiveState(now);
    this.cached = undefined;
  }

  applyEvent(event: EngineEvent, now = Date.now()): LiveChange {
    this.live ??= newLiveState(now);
    const change = applyEvent(this.live, event, now);
    // The pass has ended in the store: read it before any view renders the ended pass, so that
    // no row shows "done" counted against the snapshot from before the pass.
    if (this.live.done) this.snapshotStale = true;
    this.cached = undefined;
    return change;
  }

  /** After a pass: the store is read again, then the live state is dropped. */
  endPass(): void {
    // A new object, not a mutation: a view built before this (and still being rendered) keeps
    // saying "running" with its own snapshot rather than mixing "ended" with the old snapshot.
    if (this.live && !this.live.done) this.live = { ...this.live, done: true };
    this.snapshotStale = true;
    this.cached = undefined;
  }

  private needsLoad(): boolean {
    return this.outlineStale || (this.snapshotStale && !this.running);
  }

  private async load(): Promise<void> {
    const tasks: Promise<void>[] = [];
    if (this.outlineStale) {
      this.outlineStale = false;
      tasks.push(this.loadOutline());
    }
    if (this.snapshotStale && !this.running) {
      this.snapshotStale = false;
      tasks.push(this.loadSnapshot());
    }
    await Promise.all(tasks);
    this.cached = undefined;
  }

  private async loadOutline(): Promise<void> {
    try {
      let outline = planOutline(this.planFile, await readText(this.uri));
      const texts = new Map<string, string>();
      for (const csv of outline.csvFiles) {
        const text = await readItemsFile(this.planFile, csv);
        if (text !== undefined) texts.set(csv, text);
      }
      outline = withCsvItems(outline, texts);
      this.outline = outline;
    } catch (err) {
      this.logger.warn('projects', `cannot read ${path.basename(this.planFile)}: ${(err as Error).message}`);
    }
  }

  private async loadSnapshot(): Promise<void> {
    try {
      const exists = await vscode.workspace.fs.stat(vscode.Uri.file(path.join(this.stateDir, stateFileName))).then(() => true, () => false);
      this.snapshot = exists ? await this.reader.snapshot(this.planFile) : { readAt: Date.now(), errors: [] };
      if (this.live?.done) {
        this.lastSamples = this.live.samples;
        this.live = undefined;
      }
    } catch (err) {
      this.logger.error('store', `cannot read the run state of ${path.basename(this.planFile)}`, err);
    }
  }
}

/**
 * An items file's text: the editor's when it is open, else the file's as validation reads it (a
 * regular file inside the plan's folder, no symbolic link out, bounded; a FIFO or device is refused).
 */
async function readItemsFile(planFile: string, csv: string): Promise<string | undefined> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === csv && !d.isClosed);
  if (open) return open.getText();
  const dir = path.dirname(planFile);
  const read = readProjectFile(dir, path.relative(dir, csv), planLimits.itemsFileBytes);
  return read.ok ? read.text : undefined;
}

/** The editor's text when the plan is open (unsaved edits count), else the file's. */
async function readText(uri: vscode.Uri): Promise<string> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString() && !d.isClosed);
  if (open) return open.getText();
  return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
}
