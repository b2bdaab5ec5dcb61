// The steps of a pass that do not depend on where its mailbox jobs run: opening it (the plan in
// the store, the selection, the pass row, batch statuses, one job per mailbox) and closing it
// (the pass's end, batch statuses and statistics, the summary). runPass runs the jobs in this
// process; the distributed dispatcher (src/distributed/) hands them to BullMQ workers.
import * as path from 'node:path';
import { formatMessage } from '../errors/catalog';
import type { Plan } from '../plan/model';
import type { Store } from '../store/store';
import { batchAfterPass } from './batchOutcome';
import type { EngineEvents } from './events';
import type { MailboxJob } from './job';
import { scopeText, selectItems, type ItemScope } from './selection';
import { batchStatistics, itemStatistics } from './statistics';
import type { BatchStatus, PassKind } from './statuses';
import { totalsOf, type PassExclusion, type PassItemResult, type PassSummary } from './summary';
import { syncPlanToStore } from './syncPlan';

export interface OpenedPass {
  projectId: number;
  passId: number;
  kind: PassKind;
  startedAt: string;
  excluded: PassExclusion[];
  jobs: MailboxJob[];
  batchNames: string[];
  /** Each batch's status before the pass (its status after depends on it). */
  previous: Record<string, BatchStatus>;
}

export interface OpenPassOptions {
  plan: Plan;
  store: Store;
  pass: PassKind;
  batch?: string;
  item?: ItemScope;
  events: EngineEvents;
  started: Date;
  runnerPid: number;
  now: () => Date;
}

export function setBatchStatus(store: Store, events: EngineEvents, projectId: number, name: string, status: BatchStatus, times = {}): void {
  const row = store.batches.getBatch(projectId, name)!;
  store.batches.setBatchStatus(row.id, status, times);
  events.emit({ type: 'batchStatus', batch: name, status });
}

/** Records the pass and its jobs; a summary with status 'refused' when the scope selects nothing. */
export function openPass(o: OpenPassOptions): OpenedPass | PassSummary {
  const projectId = syncPlanToStore(o.store, o.plan);
  const selection = selectItems(o.plan, o.store, projectId, o.pass, o.batch, o.item);
  const excluded = selection.excluded.map((e) => ({ batch: e.batch.name, source: e.item.source, code: e.code, message: e.message }));
  if (!selection.selected.length) {
    const only = new Set(excluded.map((e) => e.code));
    const code = only.size === 1 ? [...only][0] : 'ENG-003';
    const message = only.size === 1 ? excluded[0].message : formatMessage('ENG-003', [o.pass, excluded.map((e) => `${e.source}: ${e.code}`).join('; ') || 'the scope has no mailboxes']);
    return { kind: o.pass, startedAt: o.started.toISOString(), excluded, status: 'refused', endedAt: o.now().toISOString(), durationMs: 0, items: [], totals: totalsOf([]), code, message };
  }
  const passId = o.store.passes.startPass({ projectId, kind: o.pass, scopeBatch: o.batch, scopeItem: scopeText(o.item), runnerPid: o.runnerPid });
  const batchNames = [...new Set(selection.selected.map((s) => s.batch.name))];
  const previous: Record<string, BatchStatus> = {};
  const perBatch: Record<string, number> = {};
  for (const s of selection.selected) perBatch[s.batch.name] = (perBatch[s.batch.name] ?? 0) + 1;
  o.events.emit({ type: 'passStarted', passId, kind: o.pass, batches: batchNames, items: selection.selected.length, perBatch });
  for (const name of batchNames) {
    const row = o.store.batches.getBatch(projectId, name)!;
    previous[name] = row.status;
    setBatchStatus(o.store, o.events, projectId, name, 'Starting', row.startedAt ? {} : { startedAt: o.started.toISOString() });
    setBatchStatus(o.store, o.events, projectId, name, 'Syncing');
  }
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
  for (const job of jobs) o.store.items.updateItem(job.itemId, { status: 'Queued' });
  return { projectId, passId, kind: o.pass, startedAt: o.started.toISOString(), excluded, jobs, batchNames, previous };
}

/** A mailbox's line in the summary, with the match state the store holds for it. */
export function itemResult(store: Store, job: MailboxJob, outcome: Omit<PassItemResult, 'batch' | 'source' | 'destination'>): PassItemResult {
  const matchState = store.items.itemById(job.itemId)?.matchState;
  return { batch: job.batch, source: job.source, destination: job.destination, ...(matchState ? { matchState } : {}), ...outcome };
}

/** Ends the pass: its row, each batch's status and statistics, the summary and its event. */
export function closePass(store: Store, events: EngineEvents, opened: OpenedPass, results: readonly PassItemResult[], end: { stopped: boolean; failure?: unknown; ended: Date; statistics?: boolean }): PassSummary {
  const { stopped, failure, ended, statistics = true } = end;
  const status = failure ? 'failed' : stopped ? 'stopped' : 'completed';
  const code = failure ? 'ENG-012' : stopped ? 'ENG-061' : undefined;
  store.passes.endPass(opened.passId, status, code);
  const started = new Date(opened.startedAt);
  for (const name of opened.batchNames) {
    const row = store.batches.getBatch(opened.projectId, name)!;
    const items = store.items.listItems(row.id);
    const next = batchAfterPass(row, opened.previous[name], items, opened.kind, stopped || !!failure, started, ended);
    setBatchStatus(store, events, opened.projectId, name, next.status, next.times);
    // The views' statistics (about eight queries per mailbox): left out where no view listens.
    if (!statistics) continue;
    const after = store.batches.getBatch(opened.projectId, name)!;
    events.emit({ type: 'statistics', batch: batchStatistics(after, items), items: items.map((i) => itemStatistics(store, name, i)) });
  }
  const summary: PassSummary = {
    kind: opened.kind,
    startedAt: opened.startedAt,
    excluded: opened.excluded,
    passId: opened.passId,
    status,
    endedAt: ended.toISOString(),
    durationMs: ended.getTime() - started.getTime(),
    items: [...results],
    totals: totalsOf(results),
    ...(code ? { code, message: failure ? formatMessage('ENG-012', ['the pass', failure instanceof Error ? failure.message : String(failure)]) : formatMessage('ENG-061', ['stop requested']) } : {}),
  };
  events.emit({ type: 'passEnded', passId: opened.passId, summary });
  return summary;
}
