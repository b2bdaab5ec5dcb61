// `ferry worker`: takes the mailbox jobs of every project on the queue (one BullMQ Worker per project
// queue, found in the shared store) and runs them with the same engine as the embedded runner; all
// progress goes through the shared PostgreSQL store. A job's lock is its lease: a worker killed
// mid-mailbox stops renewing it, BullMQ's stalled-job check hands the job to another worker after
// the lease, and that worker settles the intents the first one left (nothing lost, nothing twice).
import * as path from 'node:path';
import type { Job, Worker } from 'bullmq';
import { abortableSleep, defaultRetryPolicy, type RetryPolicy } from '../engine/backoff';
import type { ConnectorLookup, PassContext } from '../engine/context';
import { EngineEvents } from '../engine/events';
import type { MailboxOutcome } from '../engine/job';
import { HandedOver, runMailbox } from '../engine/mailboxWorker';
import { closePass, itemResult } from '../engine/passSteps';
import { runOrchestratedBatch } from '../orchestration/runOrchestrated';
import { loadPlan } from '../runner/loadPlan';
import type { SecretSource } from '../engine/secrets';
import type { PassItemResult, PassSummary } from '../engine/summary';
import { formatMessage } from '../errors/catalog';
import type { PgDatabase } from '../store/postgres/pgDatabase';
import type { Store } from '../store/store';
import { StoreError } from '../store/storeError';
import { cappedBackoff, localRevision, maxStalls, type MailboxJobData, type OrchestratedJobData, type PassEndData } from './passJobs';
import { newWorker, queueName, type QueueSite } from './queues';
import { RedisRequestGate } from './requestGate';
import { SharedSlots, slotKey } from './sharedSlots';

export interface FerryWorkerOptions {
  /** The shared state (its calls bounded well under the lease: storeWaits). */
  store: Store<PgDatabase>;
  site: QueueSite;
  connectors: ConnectorLookup;
  secrets: SecretSource;
  /** Mailboxes this worker runs at once (over all projects). */
  concurrency: number;
  /** The lease of a job: a killed worker's mailbox goes to another worker after about twice this. */
  leaseMs: number;
  /** How often the store is asked for new projects and for stop requests. */
  pollMs?: number;
  retry?: RetryPolicy;
  events?: EngineEvents;
  /** Only these projects (ids); every project of the store when absent. */
  projects?: readonly number[];
  /**
   * This machine's copy of a project's plan (`ferry worker --project`), which may sit at another
   * path than where the pass was enqueued; absent: the path the job carries.
   */
  planFiles?: ReadonlyMap<number, string>;
  log?: (line: string) => void;
}

/** The store could not be reached (STORE-030): worth waiting for, unlike a refused statement. */
const unreachable = (err: unknown): err is StoreError => err instanceof StoreError && err.code === 'STORE-030';

/**
 * How long a worker's store call may block its thread: a quarter of the lease. BullMQ renews a
 * job's lease on this thread's timers, so a longer wait (a PostgreSQL that stopped answering) would
 * let the lease lapse and hand a mailbox still being copied to another worker.
 */
const storeAnswerMs = (leaseMs: number): number => Math.max(250, Math.round(leaseMs / 4));
/** How often a mailbox waiting for the store asks it again. */
const storeProbeMs = (leaseMs: number): number => Math.min(1000, storeAnswerMs(leaseMs));

/** The store options of a worker with this lease (PgOptions): no call blocks its thread for long. */
export function storeWaits(leaseMs: number): { answerMs: number; reconnectMs: number; failFast: true } {
  const ms = storeAnswerMs(leaseMs);
  return { answerMs: ms, reconnectMs: ms, failFast: true };
}

export class FerryWorker {
  readonly events: EngineEvents;
  private readonly workers = new Map<number, Worker>();
  private readonly limiters = new Map<number, PassContext['endpointLimiters']>();
  private readonly running = new Set<AbortController>();
  /** The mailbox of each job in flight here, by job id (to stop it should its lease be lost). */
  private readonly byJob = new Map<string, AbortController>();
  private discovery?: NodeJS.Timeout;
  /** Per-account budgets shared with the other workers (its own Redis connection: BullMQ's block). */
  private gate?: Promise<{ gate: RedisRequestGate; close(): void }>;
  private closing = false;
  /** Aborted when the worker leaves without draining: jobs waiting for the store stop waiting. */
  private readonly leaving = new AbortController();
  /** Mailbox jobs this worker finished (for the log and the benchmark). */
  finished = 0;

  constructor(private readonly o: FerryWorkerOptions) {
    this.events = o.events ?? new EngineEvents();
  }

  /** Starts taking jobs of the projects the store knows now and of those that appear later. */
  start(): void {
    this.discover();
    // Not unref'd: a worker lives until close(), even while no project has jobs yet.
    this.discovery = setInterval(() => this.discover(), this.o.pollMs ?? 2000);
  }

  private discover(): void {
    if (this.closing) return;
    let ids: number[];
    try {
      ids = this.o.store.batches.listProjects().map((p) => p.id);
    } catch (err) {
      this.o.log?.(`ferry worker: cannot list projects: ${(err as Error).message}`);
      // A store that stopped answering is asked again without blocking this thread.
      void this.o.store.db.answers();
      return;
    }
    for (const id of ids) {
      if (this.workers.has(id) || (this.o.projects && !this.o.projects.includes(id))) continue;
      const worker = newWorker(this.o.site, queueName(id), (job) => this.process(id, job), {
        concurrency: this.o.concurrency,
        lockDuration: this.o.leaseMs,
        stalledInterval: this.o.leaseMs,
        maxStalledCount: maxStalls,
        settings: { backoffStrategy: cappedBackoff },
      });
      worker.on('error', (err) => this.o.log?.(`ferry worker: queue ${queueName(id)}: ${err.message}`));
      // A lease this worker could not renew: the job may already be another worker's. Its mailbox
      // stops at once and records nothing more (the other worker settles what it left).
      worker.on('lockRenewalFailed', (jobIds: string[]) => {
        for (const jobId of jobIds) {
          this.o.log?.(`ferry worker: the lease of job ${jobId} could not be renewed; its mailbox stops here and is left to the worker that takes the job.`);
          this.byJob.get(jobId)?.abort(new HandedOver(`the lease of job ${jobId} lapsed`));
        }
      });
      worker.on('stalled', (jobId) => this.o.log?.(`ferry worker: job ${jobId}: its lease lapsed (its worker was killed or stuck); it is taken again.`));
      worker.on('failed', (job, err) => this.o.log?.(`ferry worker: job ${job?.id} failed (attempt ${job?.attemptsMade}): ${err.message}`));
      this.workers.set(id, worker);
      this.o.log?.(`ferry worker: taking jobs of project ${id} (${queueName(id)})`);
    }
  }

  private async process(projectId: number, job: Job): Promise<PassItemResult | PassSummary> {
    // The gate holds the pass's end back while its mailbox jobs are being added (dispatch.ts).
    if (job.name === 'gate') return { gate: true } as never;
    for (;;) {
      try {
        if (job.name === 'pass-end') return await this.endPass(job as Job<PassEndData>);
        if (job.name === 'orchestrated') return (await this.runOrchestratedJob(projectId, job as Job<OrchestratedJobData>)) as never;
        return await this.runMailboxJob(projectId, job as Job<MailboxJobData>);
      } catch (err) {
        // A store away before the mailbox started, or at the pass's end: waited for within the job
        // too, rather than failing attempts whose back-off grows past the outage.
        if (!unreachable(err) || this.leaving.signal.aborted) throw err;
        const what = job.name === 'pass-end' ? "the pass's end" : job.name === 'orchestrated' ? `the orchestrated batch ${(job as Job<OrchestratedJobData>).data.batch}` : (job as Job<MailboxJobData>).data.job.source;
        await this.waitForStore(job, what, err, this.leaving.signal);
      }
    }
  }

  private async runMailboxJob(projectId: number, job: Job<MailboxJobData>): Promise<PassItemResult> {
    const { job: carried, revision } = job.data;
    const local = this.o.planFiles?.get(projectId);
    // Relative paths of the plan (a Maildir folder, a certificate) resolve beside this machine's copy.
    const mailbox = local ? { ...carried, planFile: local, planDir: path.dirname(local) } : carried;
    const store = this.o.store;
    const here = localRevision(mailbox.planFile);
    if (here !== undefined && here !== revision) {
      const message = formatMessage('DIST-011', [mailbox.source, revision, mailbox.planFile, here]);
      store.items.updateItem(mailbox.itemId, { status: 'Failed', lastErrorCode: 'DIST-011', lastErrorMessage: message, lastPassId: mailbox.passId, lastPassKind: mailbox.pass, endedAt: new Date().toISOString() });
      return itemResult(store, mailbox, { status: 'Failed', copied: 0, bytes: 0, skipped: 0, errors: 0, code: 'DIST-011', message });
    }
    const { ctx, controller, release } = await this.jobContext(projectId, job, mailbox.passId);
    // The mailbox is this job's now: a worker that held it before (stalled past its lease) has its
    // next intent refused and stops before writing to the destination again (mailboxFence.ts).
    const generation = store.progress.fences.take(mailbox.itemId, () => {
      this.o.log?.(`ferry worker: ${mailbox.source}: DIST-016 ${formatMessage('DIST-016', [mailbox.source, String(job.id), String(generation)])}`);
      controller.abort(new HandedOver(`job ${job.id} lost mailbox ${mailbox.source} to another worker`));
    });
    try {
      for (;;) {
        try {
          const outcome: MailboxOutcome = await runMailbox(mailbox, ctx);
          if (controller.signal.reason instanceof HandedOver) throw controller.signal.reason;
          this.finished++;
          return itemResult(store, mailbox, outcome);
        } catch (err) {
          if (!unreachable(err) || controller.signal.aborted) throw err;
          // The state database stopped answering: the job keeps its lease and the mailbox goes on
          // once it is back (its intents settle as after any cut); it is not handed to another worker.
          await this.waitForStore(job, mailbox.source, err, controller.signal);
        }
      }
    } finally {
      store.progress.fences.release(mailbox.itemId);
      release();
    }
  }

  /**
   * An orchestrated batch: the worker creates Microsoft's cross-tenant job (or, taking over from a
   * killed worker, finds the one it created: the service refuses a second job of the same name) and
   * polls it with the embedded code; each user's result goes to the store and to the pass's end.
   */
  private async runOrchestratedJob(projectId: number, job: Job<OrchestratedJobData>): Promise<PassItemResult[]> {
    const { batch: name, revision } = job.data;
    const local = this.o.planFiles?.get(projectId);
    const mailboxes = job.data.jobs.map((j) => (local ? { ...j, planFile: local, planDir: path.dirname(local) } : j));
    const first = mailboxes[0];
    const store = this.o.store;
    const here = localRevision(first.planFile);
    if (here !== revision) {
      // No copy of the plan here (its batch's settings are in it) or another revision: nothing is started.
      const code = here === undefined ? 'DIST-012' : 'DIST-011';
      const message = here === undefined ? formatMessage('DIST-012', [name, first.planFile]) : formatMessage('DIST-011', [name, revision, first.planFile, here]);
      return mailboxes.map((m) => {
        store.items.updateItem(m.itemId, { status: 'Failed', lastErrorCode: code, lastErrorMessage: message, lastPassId: m.passId, lastPassKind: m.pass, endedAt: new Date().toISOString() });
        return itemResult(store, m, { status: 'Failed', copied: 0, bytes: 0, skipped: 0, errors: 0, code, message });
      });
    }
    const batch = loadPlan(first.planFile).plan.batches.find((b) => b.name === name);
    if (!batch) throw new this.o.site.bull.UnrecoverableError(`batch ${name} is not in ${first.planFile}`);
    const { ctx, controller, release } = await this.jobContext(projectId, job, first.passId);
    try {
      const outcomes = await runOrchestratedBatch(batch, mailboxes, ctx);
      if (controller.signal.reason instanceof HandedOver) throw controller.signal.reason;
      this.finished += mailboxes.length;
      return mailboxes.map((m, i) => itemResult(store, m, outcomes[i]));
    } finally {
      release();
    }
  }

  /** The engine's context for a job run here: its stop (ferry stop, a lost lease) and the limits shared with the other workers. */
  private async jobContext(projectId: number, job: Job, passId: number): Promise<{ ctx: PassContext; controller: AbortController; release(): void }> {
    const store = this.o.store;
    this.gate ??= import('ioredis').then(({ Redis }) => {
      const redis = new Redis(this.o.site.options.connection);
      redis.on('error', (err: Error) => this.o.log?.(`ferry worker: request gate: ${err.message}`));
      return { gate: new RedisRequestGate(redis, this.o.site.options.prefix), close: () => redis.disconnect() };
    });
    const { gate } = await this.gate;
    const controller = new AbortController();
    this.running.add(controller);
    this.byJob.set(job.id ?? '', controller);
    // A stop asked from any machine (ferry stop) reaches this worker through the store.
    const watch = setInterval(() => {
      try {
        if (store.passes.passById(passId)?.stopRequestedAt) controller.abort(new Error('stop requested'));
      } catch {
        // the store is away; the mailbox's own writes will say so
      }
    }, this.o.pollMs ?? 2000);
    if (store.passes.passById(passId)?.stopRequestedAt) controller.abort(new Error('stop requested'));
    let limiters = this.limiters.get(projectId);
    if (!limiters) this.limiters.set(projectId, (limiters = new Map()));
    const ctx: PassContext = {
      store,
      events: this.events,
      connectors: this.o.connectors,
      secrets: this.o.secrets,
      retry: this.o.retry ?? defaultRetryPolicy,
      signal: controller.signal,
      now: () => new Date(),
      // startAfter is the job's delay: it starts when due.
      waitForSchedule: false,
      endpointLimiters: limiters,
      // maxConnections holds across every worker: slots in the shared store.
      newEndpointLimiter: (name, max) => new SharedSlots(store, slotKey(projectId, name), max),
      // and so do the budgets Microsoft counts per account (EWS: concurrent requests of an account).
      requestGate: gate,
    };
    const release = () => {
      clearInterval(watch);
      this.running.delete(controller);
      this.byJob.delete(job.id ?? '');
    };
    return { ctx, controller, release };
  }

  /**
   * Waits, with the event loop free (so BullMQ renews the job's lease), until the store answers
   * again; then makes sure the lease is still this worker's before the mailbox writes again.
   */
  private async waitForStore(job: Job, source: string, err: StoreError, signal: AbortSignal): Promise<void> {
    const since = Date.now();
    this.o.log?.(`ferry worker: ${source}: ${err.code} ${formatMessage(err.code, err.args)} Job ${job.id} keeps its lease and waits for the state database.`);
    for (;;) {
      await abortableSleep(storeProbeMs(this.o.leaseMs), signal);
      if (await this.o.store.db.answers()) break;
    }
    const seconds = ((Date.now() - since) / 1000).toFixed(1);
    if ((await job.extendLock(job.token ?? '', this.o.leaseMs)) !== 1) {
      this.o.log?.(`ferry worker: ${source}: the state database answered after ${seconds} s, but the lease of job ${job.id} lapsed; another worker has the job, this one leaves it.`);
      throw new Error(`the lease of job ${job.id} lapsed while the state database was away`);
    }
    this.o.log?.(`ferry worker: ${source}: the state database answered after ${seconds} s; job ${job.id} kept its lease and goes on.`);
  }

  /** Every mailbox job of the pass has ended: the pass's end, as runPass ends an embedded pass. */
  private async endPass(job: Job<PassEndData>): Promise<PassSummary> {
    const { pass } = job.data;
    const store = this.o.store;
    // A mailbox job's value is its result; an orchestrated batch's, one result per user.
    const values = Object.values(await job.getChildrenValues<PassItemResult | PassItemResult[] | { gate: true }>()).flat().filter((v): v is PassItemResult => !('gate' in v));
    const failed = await job.getIgnoredChildrenFailures();
    const results: PassItemResult[] = [...values];
    for (const [key, reason] of Object.entries(failed)) {
      // A job that failed for good (its attempts spent): the store says where its mailboxes stand.
      const mailbox = /item-(\d+)$/.exec(key);
      const batchOf = mailbox ? undefined : store.items.itemById(Number(/orchestrated-(\d+)$/.exec(key)?.[1]));
      const items = mailbox ? [store.items.itemById(Number(mailbox[1]))] : batchOf ? store.items.listItems(batchOf.batchId).filter((i) => i.lastPassId === pass.passId) : [];
      for (const item of items) {
        const batch = item && store.batches.batchById(item.batchId);
        if (item && batch) results.push({ batch: batch.name, source: item.source, destination: item.destination, status: item.status === 'Completed' ? 'Completed' : 'Failed', copied: 0, bytes: 0, skipped: 0, errors: 0, code: item.lastErrorCode ?? 'ENG-012', message: item.lastErrorMessage ?? reason });
      }
    }
    // A batch the state does not hold (another database than the pass's): retrying cannot bring it.
    const missing = pass.batchNames.find((name) => !store.batches.getBatch(pass.projectId, name));
    if (missing !== undefined) {
      store.passes.endPass(pass.passId, 'failed', 'DIST-013');
      throw new this.o.site.bull.UnrecoverableError('DIST-013 ' + formatMessage('DIST-013', [String(pass.passId), missing, String(pass.projectId), store.dir]));
    }
    try {
      // One transaction: a pass end that fails leaves no batch half closed. No per-mailbox
      // statistics event: the views read the shared store. At 50,000 mailboxes its 400,000 queries
      // held this thread past the lease, and the pass's end was taken again and again.
      return store.tx(() => {
        const stopped = !!store.passes.passById(pass.passId)?.stopRequestedAt;
        return closePass(store, this.events, { ...pass, jobs: [] }, results, { stopped, ended: new Date(), statistics: false });
      });
    } catch (err) {
      // The state database away passes by itself: the job is retried (jobBackoff) and closes the pass then.
      if (err instanceof StoreError && err.code === 'STORE-030') throw err;
      // Anything else (a statement the database refuses, a fault) fails the same way on every try:
      // the pass ends failed now, with the reason and the next step, instead of retrying for days.
      const message = formatMessage('DIST-015', [String(pass.passId), (err instanceof Error ? err.message : String(err)).replace(/\.$/, '')]);
      this.o.log?.(`ferry worker: DIST-015 ${message}`);
      store.passes.endPass(pass.passId, 'failed', 'DIST-015');
      throw new this.o.site.bull.UnrecoverableError('DIST-015 ' + message);
    }
  }

  /**
   * Stops taking jobs. `drain`: the mailboxes in flight run to their end first; otherwise they stop
   * cleanly now (their items say Stopped; a rerun continues them).
   */
  async close(drain = true): Promise<void> {
    this.closing = true;
    if (this.discovery) clearInterval(this.discovery);
    if (!drain) {
      this.leaving.abort(new Error('worker stopping'));
      for (const c of this.running) c.abort(new Error('worker stopping'));
    }
    await Promise.all([...this.workers.values()].map((w) => w.close()));
    this.workers.clear();
    (await this.gate)?.close();
  }
}
