// Runs one pass over the selected mailboxes of a plan: records the pass, moves batch statuses,
// hands per-mailbox jobs to the queue (maxConcurrentMigrations at once) and sums up the result.
import type { Plan } from '../plan/model';
import type { Store } from '../store/store';
import { defaultRetryPolicy, type RetryPolicy } from './backoff';
import type { ConnectorLookup, PassContext } from './context';
import { EngineEvents } from './events';
import { InProcessQueue } from './inProcessQueue';
import { isOrchestrated } from '../orchestration/orchestrated';
import type { JobQueue, MailboxJob, MailboxOutcome } from './job';
import { runMailbox } from './mailboxWorker';
import type { SecretSource } from './secrets';
import { closePass, itemResult, openPass, setBatchStatus } from './passSteps';
import type { PassKind } from './statuses';
import type { ItemScope } from './selection';
import type { PassItemResult, PassSummary } from './summary';
import { isStoreFailure } from '../store/storeError';
import { processRequestGate } from './localRequestGate';
import type { RequestGate } from '../connectors/types';

export interface RunPassOptions {
  plan: Plan;
  store: Store;
  pass: PassKind;
  batch?: string;
  /** One mailbox, or several (a selection in the views). */
  item?: ItemScope;
  connectors: ConnectorLookup;
  secrets: SecretSource;
  events?: EngineEvents;
  signal?: AbortSignal;
  now?: () => Date;
  waitForSchedule?: boolean;
  retry?: RetryPolicy;
  queue?: JobQueue;
  runnerPid?: number;
  /** Budgets counted per account (default: this process's gate, shared by every pass it runs). */
  requestGate?: RequestGate;
}

export async function runPass(o: RunPassOptions): Promise<PassSummary> {
  const now = o.now ?? (() => new Date());
  const events = o.events ?? new EngineEvents();
  const signal = o.signal ?? new AbortController().signal;
  const opened = openPass({ plan: o.plan, store: o.store, pass: o.pass, batch: o.batch, item: o.item, events, started: now(), runnerPid: o.runnerPid ?? process.pid, now });
  if (!('jobs' in opened)) return opened;
  const { jobs } = opened;
  const onAbort = () => opened.batchNames.forEach((name) => setBatchStatus(o.store, events, opened.projectId, name, 'Stopping'));
  signal.addEventListener('abort', onAbort, { once: true });

  const ctx: PassContext = { store: o.store, events, connectors: o.connectors, secrets: o.secrets, retry: o.retry ?? defaultRetryPolicy, signal, now, waitForSchedule: o.waitForSchedule ?? false, endpointLimiters: new Map(), requestGate: o.requestGate ?? processRequestGate };
  const results: PassItemResult[] = new Array<PassItemResult>(jobs.length);
  let passFailure: unknown;
  try {
    const record = (job: MailboxJob, r: MailboxOutcome) => {
      results[jobs.indexOf(job)] = itemResult(o.store, job, r);
    };
    // Orchestrated batches go to Microsoft's cross-tenant migration service instead of being copied.
    const orchestrated = jobs.filter((job) => isOrchestrated(o.plan, job.batch));
    await Promise.all([
      (o.queue ?? new InProcessQueue()).process(jobs.filter((job) => !orchestrated.includes(job)), async (job) => record(job, await runMailbox(job, ctx)), { concurrency: o.plan.options.maxConcurrentMigrations, signal }),
      orchestrated.length ? import('../orchestration/runOrchestrated.js').then((m) => m.runOrchestratedBatches(o.plan, orchestrated, ctx, record)) : undefined,
    ]);
  } catch (err) {
    passFailure = err;
  } finally {
    signal.removeEventListener('abort', onAbort);
  }

  // A failed state store cannot record the end of the pass: the next run finds it interrupted.
  if (isStoreFailure(passFailure)) throw passFailure;
  return closePass(o.store, events, opened, results.filter(Boolean), { stopped: signal.aborted, failure: passFailure, ended: now() });
}
