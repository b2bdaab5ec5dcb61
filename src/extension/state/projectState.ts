// One plan of the workspace and what is known about it: its outline (from the text), the store's
// snapshot, the live state of a pass. Loads lazily (only when a view asks) and never twice at once.
// Every view renders the one published ProjectView (a revision number grows with each): a
// runner's events are gathered for a frame and published together, a store read or a pass
// starting, stopping or ending is published at once, and each publication is announced once.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { EngineEvent } from '../../engine/events';
import type { PassKind } from '../../engine/statuses';
import { stateDirFor } from '../../store/location';
import { readProjectFile } from '../../plan/projectFiles';
import { planLimits } from '../../plan/limits';
import type { Logger } from '../common/logger';
import type { MailboxRef } from '../../snapshot/mailboxDetail';
import { applyEvent, itemKey, newLiveState, type LiveChange, type LiveState, type ThroughputSample } from '../../views/liveState';
import { planOutline, withCsvItems, type PlanOutline } from '../../views/planOutline';
import { projectView, type ProjectView, type StoreSnapshot } from '../../views/projectView';
import type { StoreReader } from './storeReader';

/** What a publication changed: views refresh only those nodes. */
export interface PublishedChange {
  all: boolean;
  batches: ReadonlySet<string>;
  items: ReadonlySet<string>;
  pass: boolean;
}

/** Runner events are published together at most this often. */
export const frameMs = 150;

export class ProjectState {
  readonly planFile: string;
  readonly stateDir: string;
  outline?: PlanOutline;
  snapshot?: StoreSnapshot;
  live?: LiveState;
  /** Samples of the last pass that ran in this window (the dashboard's throughput chart). */
  lastSamples: ThroughputSample[] = [];
  /** A stop was asked for and the pass has not ended yet. */
  stopping = false;
  private outlineStale = true;
  private snapshotStale = true;
  private loading?: Promise<void>;
  private published?: ProjectView;
  private revision = 0;
  /** Something changed since the last publication. */
  private changed = true;
  private pending: { all: boolean; batches: Set<string>; items: Set<string>; pass: boolean } = { all: true, batches: new Set(), items: new Set(), pass: false };
  /** When the runner sent the oldest event not yet published. */
  private firstUnpublishedAt?: number;
  private frame?: NodeJS.Timeout;
  /** Mailboxes whose page is open (their details are read with each snapshot), with how many pages show each. */
  private readonly pages = new Map<string, { ref: MailboxRef; open: number }>();

  constructor(readonly uri: vscode.Uri, private readonly reader: StoreReader, private readonly logger: Logger, private readonly onPublish: (change: PublishedChange) => void = () => undefined) {
    this.planFile = uri.fsPath;
    this.stateDir = stateDirFor(this.planFile, undefined, path.dirname(this.planFile));
  }

  get running(): boolean {
    return this.live !== undefined && !this.live.done;
  }

  /** The revision last published (0 before the first). */
  get publishedRevision(): number {
    return this.published?.revision ?? 0;
  }

  markOutlineStale(): void {
    this.outlineStale = true;
  }

  markSnapshotStale(): void {
    this.snapshotStale = true;
  }

  /** The view, loading whatever is stale first; publishes it when it differs from the last. */
  async view(): Promise<ProjectView> {
    // Also a load another caller began: what it reads is part of this view.
    while (this.needsLoad() || this.loading) {
      this.loading ??= this.load().finally(() => (this.loading = undefined));
      await this.loading;
    }
    return this.publish();
  }

  /** The published view (no I/O): what every view renders. */
  cachedView(): ProjectView {
    return this.published ?? this.publish();
  }

  /** Publishes what changed since the last publication (now, not at the end of the frame). */
  publish(now = Date.now()): ProjectView {
    clearTimeout(this.frame);
    this.frame = undefined;
    if (this.published && !this.changed) return this.published;
    const view = projectView(this.planFile, this.outline, this.snapshot, this.live, { revision: ++this.revision, eventAt: this.firstUnpublishedAt, stopping: this.stopping, now });
    const change = this.pending;
    this.published = view;
    this.changed = false;
    this.firstUnpublishedAt = undefined;
    this.pending = { all: false, batches: new Set(), items: new Set(), pass: false };
    this.onPublish(change);
    return view;
  }

  beginPass(kind?: PassKind, now = Date.now()): void {
    this.live = { ...newLiveState(now), kind };
    this.stopping = false;
    this.touch({ pass: true });
    this.publish(now);
  }

  /** A runner event (sent at `at` by the runner's clock): shown with the others of its frame. */
  applyEvent(event: EngineEvent, now = Date.now(), at = now): LiveChange {
    this.live ??= newLiveState(now);
    const change = applyEvent(this.live, event, now);
    this.firstUnpublishedAt ??= at;
    this.touch(change);
    if (this.live.done) {
      // The pass has ended in the store: read it before any view renders the ended pass, so that
      // no row shows "done" counted against the snapshot from before the pass; until then the
      // views keep the last running revision.
      this.stopping = false;
      this.snapshotStale = true;
      this.touch({ all: true });
      clearTimeout(this.frame);
      this.frame = undefined;
      void this.view().catch((err: unknown) => this.logger.error('store', 'reading the state after the pass', err));
    } else if (change.pass) this.publish(now);
    else this.frame ??= setTimeout(() => this.publish(), frameMs);
    return change;
  }

  /** The operator asked to stop: every view says "Stopping" until the pass ends. */
  markStopping(): void {
    if (!this.running || this.stopping) return;
    this.stopping = true;
    this.touch({ pass: true });
    this.publish();
  }

  /** After a pass: the store is read again, then the live state is dropped and the result published. */
  endPass(): Promise<ProjectView> {
    // A new object, not a mutation: a view built before this (and still being rendered) keeps
    // saying "running" with its own snapshot rather than mixing "ended" with the old snapshot.
    if (this.live && !this.live.done) this.live = { ...this.live, done: true };
    this.stopping = false;
    this.snapshotStale = true;
    this.touch({ all: true, pass: true });
    return this.view();
  }

  /** A mailbox's page opened: its details are read with every snapshot until `unwatch`. */
  watchMailbox(ref: MailboxRef): Promise<ProjectView> {
    const key = itemKey(ref.batch, ref.source);
    const page = this.pages.get(key) ?? { ref, open: 0 };
    page.open++;
    this.pages.set(key, page);
    return page.open === 1 && !this.snapshot?.mailboxes?.some((m) => itemKey(m.batch, m.source) === key) ? this.refresh() : this.view();
  }

  unwatchMailbox(ref: MailboxRef): void {
    const key = itemKey(ref.batch, ref.source);
    const page = this.pages.get(key);
    if (page && --page.open <= 0) this.pages.delete(key);
  }

  /** The store changed under the views (a command, another process): read it and publish. */
  refresh(): Promise<ProjectView> {
    this.snapshotStale = true;
    this.touch({ all: true });
    return this.view();
  }

  dispose(): void {
    clearTimeout(this.frame);
    this.frame = undefined;
  }

  private touch(change: Partial<PublishedChange>): void {
    this.changed = true;
    if (change.all) this.pending.all = true;
    if (change.pass) this.pending.pass = true;
    change.batches?.forEach((b) => this.pending.batches.add(b));
    change.items?.forEach((i) => this.pending.items.add(i));
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
    this.touch({ all: true });
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
      this.snapshot = await this.reader.snapshot(this.planFile, this.stateDir, () => [...this.pages.values()].map((p) => p.ref));
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
