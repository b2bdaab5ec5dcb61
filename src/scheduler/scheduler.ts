// `ferry serve`: a long-running scheduler that owns a project's state folder through the runner
// (its lock: one runner per project, so a manual `ferry run` is refused with ENG-070 meanwhile).
// It looks at the plan and the store, runs what is due one run at a time (start at startAfter,
// incremental sync of Synced batches every syncInterval, completion at completeAfter, end-user
// notices before the cut-over), queues the notifications of what happened and sends them.
// Every run is claimed in the store before it starts and ended after: kill it at any moment and
// the next start runs what was running again (the pass resumes) and nothing twice.
import * as path from 'node:path';
import { formatMessage } from '../errors/catalog';
import { EngineRefusal } from '../engine/refusal';
import { plannedActions, type PlannedAction } from '../engine/schedule';
import { isFailed } from '../engine/statistics';
import { batchStatusLabel, itemStatusLabel } from '../engine/statusWords';
import type { PassSummary } from '../engine/summary';
import { findProjectOf } from '../engine/projectIdentity';
import { syncPlanToStore } from '../engine/syncPlan';
import { queueEndUserNotices, queueOperatorMessage } from '../notify/messages';
import { Outbox } from '../notify/outbox';
import { describeRelay, type RelaySettings } from '../notify/relay';
import type { Plan } from '../plan/model';
import { InvalidPlanError } from '../runner/loadPlan';
import type { RunnerService } from '../runner/runnerService';
import { isStoreFailure } from '../store/storeError';
import type { Store } from '../store/store';
import { gitPull, PlanWatch } from './planWatch';

export interface SchedulerOptions {
  planFile: string;
  service: RunnerService;
  log: (line: string) => void;
  now?: () => Date;
  /** How often it looks at the plan, the operator's controls and the outbox when nothing is due. */
  lookMs?: number;
  /** Runs `git pull --ff-only` in the plan's folder this often. */
  gitPullMs?: number;
  relay?: RelaySettings;
  notifyRetryBaseMs?: number;
}

/** Every batch's next actions, for `ferry status` and the views. */
export function scheduleOf(store: Store, plan: Plan, now: Date): PlannedAction[] {
  const projectId = findProjectOf(store, plan.file, plan.project.name);
  return plan.batches.flatMap((batch) => {
    const row = projectId === undefined ? undefined : store.batches.getBatch(projectId, batch.name);
    return plannedActions({ batch, row, control: row ? store.schedules.control(row.id) : { batchId: 0 }, runs: row ? store.schedules.runs(row.id) : [], options: plan.options, now });
  });
}

export class Scheduler {
  private readonly now: () => Date;
  private readonly watch: PlanWatch;
  private readonly store: Store;
  private readonly outbox?: Outbox;
  private readonly reported = new Set<string>();
  private startedAt = new Date(0);
  private lastPull = 0;
  private readonly sleepers = new Set<() => void>();

  constructor(private readonly o: SchedulerOptions) {
    this.now = o.now ?? (() => new Date());
    this.watch = new PlanWatch(o.planFile, o.log);
    this.store = o.service.openStore();
    if (o.relay) this.outbox = new Outbox(this.store, { relay: o.relay, now: this.now, log: o.log, retryBaseMs: o.notifyRetryBaseMs });
  }

  /** Looks and runs until the signal aborts (SIGTERM): the pass in flight stops cleanly and resumes on the next start. */
  async run(signal: AbortSignal): Promise<void> {
    this.startedAt = this.now();
    const onAbort = () => {
      this.o.service.stop();
      this.wakeAll();
    };
    signal.addEventListener('abort', onAbort, { once: true });
    this.o.log(`ferry serve: ${this.o.planFile}, state ${this.o.service.stateDir}${this.o.relay ? `, notifications through ${describeRelay(this.o.relay)}` : ''}`);
    const sending = this.sendLoop(signal);
    try {
      while (!signal.aborted) {
        await this.look(signal);
        if (!signal.aborted) await this.sleep(this.nextWakeMs());
      }
    } finally {
      signal.removeEventListener('abort', onAbort);
      this.wakeAll();
      await sending;
      this.outbox?.close();
    }
  }

  /** One look: the plan read again if it changed, then every due run, soonest first, one at a time. */
  async look(signal?: AbortSignal): Promise<void> {
    await this.pullIfDue();
    const state = this.watch.current();
    if (!state.valid || !state.plan) return;
    const plan = state.plan;
    const projectId = syncPlanToStore(this.store, plan);
    for (;;) {
      if (signal?.aborted) return;
      const planned = scheduleOf(this.store, plan, this.now());
      this.reportBlocked(planned);
      const due = planned.find((a) => a.state === 'due');
      if (!due) return;
      // A run that had ended already (claimed by an earlier look): nothing more this look.
      if (!(await this.execute(plan, projectId, due, signal))) return;
    }
  }

  private reportBlocked(planned: readonly PlannedAction[]): void {
    for (const a of planned.filter((x) => x.state === 'blocked' && x.code)) {
      const key = `${a.batch}:${a.code}:${a.args?.join(',')}`;
      if (this.reported.has(key)) continue;
      this.reported.add(key);
      this.o.log(`${a.code} ${formatMessage(a.code!, a.args ?? [])}`);
    }
  }

  /** Runs one planned action; false when its run had already ended (nothing ran). */
  private async execute(plan: Plan, projectId: number, a: PlannedAction, signal?: AbortSignal): Promise<boolean> {
    const row = this.store.batches.getBatch(projectId, a.batch)!;
    const due = a.dueAt.toISOString();
    const claimed = this.store.schedules.claim(row.id, a.action, due, a.requested ? 'requested' : a.resumed ? 'resumed' : undefined);
    // The operator's "run now" is answered by this run (or was by the one that already ended).
    if (a.requested) this.store.schedules.clearRunNow(row.id);
    if (!claimed) return false;
    const batch = plan.batches.find((b) => b.name === a.batch)!;
    if (!a.requested && !a.resumed && a.dueAt < this.startedAt) this.o.log(`SCHED-001 ${formatMessage('SCHED-001', [a.action, a.batch, due])}`);
    this.o.log(`${this.now().toISOString()} ${a.action} batch ${a.batch} (due ${due}${a.resumed ? ', resumed after a restart' : ''}${a.requested ? ', requested' : ''})`);
    if (a.action === 'notice') {
      const queued = queueEndUserNotices(this.store, plan, projectId, batch, this.store.items.listItems(row.id), this.now());
      this.store.schedules.finish(row.id, 'notice', due, 'done', { note: `${queued} notices queued` });
      this.wakeAll();
      return true;
    }
    if (a.action === 'start') queueOperatorMessage(this.store, plan, 'started', { projectId, batch, status: 'Syncing', items: this.store.items.listItems(row.id), occurrence: due, now: this.now() });
    let summary: PassSummary | undefined;
    let failure: { code: string; message: string } | undefined;
    try {
      if (a.action === 'complete') summary = await this.o.service.complete(plan.file, a.batch);
      else summary = await this.o.service.start({ planFile: plan.file, pass: a.action === 'start' ? 'full' : 'delta', batch: a.batch });
    } catch (err) {
      if (isStoreFailure(err)) throw err;
      if (err instanceof EngineRefusal) failure = { code: err.code, message: err.message };
      else if (err instanceof InvalidPlanError) failure = { code: err.diagnostics.find((d) => d.severity === 'error')?.code ?? 'SCHED-003', message: err.message };
      else throw err;
    }
    // Stopped by SIGTERM: the run stays claimed and runs again (resumes) on the next start.
    if (signal?.aborted && summary?.status === 'stopped') return true;
    const ok = summary?.status === 'completed';
    const code = failure?.code ?? summary?.code;
    this.store.schedules.finish(row.id, a.action, due, ok ? 'done' : 'failed', { passId: summary?.passId, code });
    if (!ok) this.o.log(`SCHED-005 ${formatMessage('SCHED-005', [a.action, a.batch, summary?.status ?? 'refused', `${code ?? ''} ${failure?.message ?? summary?.message ?? ''}`.trim()])}`);
    this.queueOutcome(plan, projectId, a, summary?.passId);
    this.wakeAll();
    return true;
  }

  /** The notifications of what a run left: Synced (once), failed and waiting mailboxes, Completed. */
  private queueOutcome(plan: Plan, projectId: number, a: PlannedAction, passId: number | undefined): void {
    const after = this.store.batches.getBatch(projectId, a.batch)!;
    const batch = plan.batches.find((b) => b.name === a.batch)!;
    const items = this.store.items.listItems(after.id);
    const facts = { projectId, batch, status: batchStatusLabel(after.status), items, now: this.now() };
    if ((after.status === 'Synced' || after.status === 'SyncedWithErrors') && after.initialSyncAt) queueOperatorMessage(this.store, plan, 'synced', { ...facts, occurrence: after.initialSyncAt });
    if (after.status === 'Completed') queueOperatorMessage(this.store, plan, 'completed', { ...facts, occurrence: after.completedAt ?? a.dueAt.toISOString() });
    if (passId === undefined) return;
    const line = (i: (typeof items)[number]) => `  ${i.source}: ${itemStatusLabel(i.status)}${i.lastErrorCode ? ` ${i.lastErrorCode}` : ''}${i.lastErrorMessage ? ` ${i.lastErrorMessage}` : ''}`;
    const failed = items.filter((i) => i.lastPassId === passId && isFailed(i));
    if (failed.length) queueOperatorMessage(this.store, plan, 'failed', { ...facts, details: failed.map(line).join('\n'), occurrence: String(passId) });
    const waiting = items.filter((i) => i.lastPassId === passId && i.status === 'ConfirmationRequired');
    if (waiting.length) queueOperatorMessage(this.store, plan, 'approvalNeeded', { ...facts, details: waiting.map(line).join('\n'), occurrence: String(passId) });
  }

  private async sendLoop(signal: AbortSignal): Promise<void> {
    let warned = false;
    while (!signal.aborted) {
      if (this.outbox) await this.outbox.sendDue();
      else if (!warned && this.store.notifications.unsentCount() > 0) {
        warned = true;
        this.o.log(`NOTIFY-002 ${formatMessage('NOTIFY-002', ['FERRY_SMTP_HOST is not set', String(this.store.notifications.unsentCount())])}`);
      }
      await this.sleep(this.o.lookMs ?? 30_000);
    }
    // What is due when stopping still goes out (a SIGTERM after the last pass).
    if (this.outbox) await this.outbox.sendDue();
  }

  private async pullIfDue(): Promise<void> {
    if (!this.o.gitPullMs || Date.now() - this.lastPull < this.o.gitPullMs) return;
    this.lastPull = Date.now();
    const dir = path.dirname(this.o.planFile);
    const error = await gitPull(dir);
    if (error) this.o.log(`SCHED-004 ${formatMessage('SCHED-004', [dir, error])}`);
  }

  /** Until the soonest due time, but never longer than a look's interval (controls, plan changes). */
  private nextWakeMs(): number {
    const look = this.o.lookMs ?? 30_000;
    const state = this.watch.current();
    if (!state.valid || !state.plan) return look;
    const soonest = Math.min(...scheduleOf(this.store, state.plan, this.now()).filter((a) => a.state === 'scheduled').map((a) => a.dueAt.getTime()));
    return Number.isFinite(soonest) ? Math.max(0, Math.min(look, soonest - this.now().getTime())) : look;
  }

  /** Waits `ms`, or less when woken (a stop, a run that queued messages). */
  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.sleepers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.sleepers.add(done);
    });
  }

  private wakeAll(): void {
    for (const wake of [...this.sleepers]) wake();
  }
}
