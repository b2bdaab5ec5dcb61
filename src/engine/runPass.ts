// Runs one pass over the selected mailboxes of a plan: records the pass, moves batch statuses,
// hands per-mailbox jobs to the queue (maxConcurrentMigrations at once) and sums up the result.
import * as path from 'node:path';
import { formatMessage } from '../errors/catalog';
import type { Plan } from '../plan/model';
import type { Store } from '../store/store';
import { defaultRetryPolicy, type RetryPolicy } from './backoff';
import { batchAfterPass } from './batchOutcome';
import type { ConnectorLookup, PassContext } from './context';
import { EngineEvents } from './events';
import { InProcessQueue } from './inProcessQueue';
import { isOrchestrated, runOrchestratedBatches } from '../orchestration/runOrchestrated';
import type { JobQueue, MailboxJob, MailboxOutcome } from './job';
import { runMailbox } from './mailboxWorker';
import type { SecretSource } from './secrets';
import { selectItems } from './selection';
import { batchStatistics, itemStatistics } from './statistics';
import type { BatchStatus, PassKind } from './statuses';
import { totalsOf, type PassItemResult, type PassSummary } from './summary';
import { syncPlanToStore } from './syncPlan';
import { isStoreFailure } from '../store/storeError';

export interface RunPassOptions {
  plan: Plan;
  store: Store;
  pass: PassKind;
  batch?: string;
  item?: string;
  connectors: ConnectorLookup;
  secrets: SecretSource;
  events?: EngineEvents;
  signal?: AbortSignal;
  now?: () => Date;
  waitForSchedule?: boolean;
  retry?: RetryPolicy;
  queue?: JobQueue;
  runnerPid?: number;
}

export async function runPass(o: RunPassOptions): Promise<PassSummary> {
  const now = o.now ?? (() => new Date());
  const events = o.events ?? new EngineEvents();
  const signal = o.signal ?? new AbortController().signal;
  const started = now();
  const projectId = syncPlanToStore(o.store, o.plan);
  const selection = selectItems(o.plan, o.store, projectId, o.pass, o.batch, o.item);
  const excluded = selection.excluded.map((e) => ({ batch: e.batch.name, source: e.item.source, code: e.code, message: e.message }));
  const base = { kind: o.pass, startedAt: started.toISOString(), excluded };
  if (!selection.selected.length) {
    const only = new Set(excluded.map((e) => e.code));
    const code = only.size === 1 ? [...only][0] : 'ENG-003';
    const message = only.size === 1 ? excluded[0].message : formatMessage('ENG-003', [o.pass, excluded.map((e) => `${e.source}: ${e.code}`).join('; ') || 'the scope has no mailboxes']);
    return { ...base, status: 'refused', endedAt: now().toISOString(), durationMs: 0, items: [], totals: totalsOf([]), code, message };
  }

  const passId = o.store.passes.startPass({ projectId, kind: o.pass, scopeBatch: o.batch, scopeItem: o.item, runnerPid: o.runnerPid ?? process.pid });
  const batchNames = [...new Set(selection.selected.map((s) => s.batch.name))];
  const previous = new Map<string, BatchStatus>();
  const setBatch = (name: string, status: BatchStatus, times = {}) => {
    const row = o.store.batches.getBatch(projectId, name)!;
    o.store.batches.setBatchStatus(row.id, status, times);
    events.emit({ type: 'batchStatus', batch: name, status });
  };
  events.emit({ type: 'passStarted', passId, kind: o.pass, batches: batchNames, items: selection.selected.length });
  for (const name of batchNames) {
    const row = o.store.batches.getBatch(projectId, name)!;
    previous.set(name, row.status);
    setBatch(name, 'Starting', row.startedAt ? {} : { startedAt: started.toISOString() });
    setBatch(name, 'Syncing');
  }
  const onAbort = () => batchNames.forEach((name) => setBatch(name, 'Stopping'));
  signal.addEventListener('abort', onAbort, { once: true });

  const planDir = path.dirname(o.plan.file);
  const jobs: MailboxJob[] = selection.selected.map(({ batch, item, row }) => ({
    passId,
    pass: o.pass,
    planFile: o.plan.file,
    planDir,
    batch: batch.name,
    itemId: row!.id,
    source: item.source,
    destination: row!.destination,
    sourceEndpoint: o.plan.endpoints.get(batch.source!)!,
    destinationEndpoint: o.plan.endpoints.get(batch.destination!)!,
    sourceAuth: item.sourceAuth,
    destinationAuth: item.destinationAuth,
    options: o.plan.options,
    approveOversize: item.approveOversize,
    startAfter: batch.startAfter?.toISOString(),
  }));
  const ctx: PassContext = { store: o.store, events, connectors: o.connectors, secrets: o.secrets, retry: o.retry ?? defaultRetryPolicy, signal, now, waitForSchedule: o.waitForSchedule ?? false, endpointLimiters: new Map() };
  for (const job of jobs) o.store.items.updateItem(job.itemId, { status: 'Queued' });
  const results: PassItemResult[] = new Array<PassItemResult>(jobs.length);
  let passFailure: unknown;
  try {
    const record = (job: MailboxJob, r: MailboxOutcome) => {
      const matchState = o.store.items.itemById(job.itemId)?.matchState;
      results[jobs.indexOf(job)] = { batch: job.batch, source: job.source, destination: job.destination, ...(matchState ? { matchState } : {}), ...r };
    };
    // Orchestrated batches go to Microsoft's cross-tenant migration service instead of being copied.
    const orchestrated = jobs.filter((job) => isOrchestrated(o.plan, job.batch));
    await Promise.all([
      (o.queue ?? new InProcessQueue()).process(jobs.filter((job) => !orchestrated.includes(job)), async (job) => record(job, await runMailbox(job, ctx)), { concurrency: o.plan.options.maxConcurrentMigrations, signal }),
      runOrchestratedBatches(o.plan, orchestrated, ctx, record),
    ]);
  } catch (err) {
    passFailure = err;
  } finally {
    signal.removeEventListener('abort', onAbort);
  }

  // A failed state store cannot record the end of the pass: the next run finds it interrupted.
  if (isStoreFailure(passFailure)) throw passFailure;
  const stopped = signal.aborted;
  const status = passFailure ? 'failed' : stopped ? 'stopped' : 'completed';
  const code = passFailure ? 'ENG-012' : stopped ? 'ENG-061' : undefined;
  o.store.passes.endPass(passId, status, code);
  const ended = now();
  for (const name of batchNames) {
    const row = o.store.batches.getBatch(projectId, name)!;
    const items = o.store.items.listItems(row.id);
    const next = batchAfterPass(row, previous.get(name)!, items, o.pass, stopped || !!passFailure, started, ended);
    setBatch(name, next.status, next.times);
    const after = o.store.batches.getBatch(projectId, name)!;
    events.emit({ type: 'statistics', batch: batchStatistics(after, items), items: items.map((i) => itemStatistics(o.store, name, i)) });
  }
  const summary: PassSummary = {
    ...base,
    passId,
    status,
    endedAt: ended.toISOString(),
    durationMs: ended.getTime() - started.getTime(),
    items: results.filter(Boolean),
    totals: totalsOf(results.filter(Boolean)),
    ...(code ? { code, message: passFailure ? formatMessage('ENG-012', ['the pass', passFailure instanceof Error ? passFailure.message : String(passFailure)]) : formatMessage('ENG-061', ['stop requested']) } : {}),
  };
  events.emit({ type: 'passEnded', passId, summary });
  return summary;
}
