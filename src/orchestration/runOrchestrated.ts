// A batch with `orchestrated: true` is not copied by Ferry: it is handed to Microsoft's
// cross-tenant migration service through Graph. One job per batch: create it from the batch's
// items and the destination's crossTenant settings, validate, migrate, poll with back-off until a
// final state, cancel when the pass is stopped, delete the job once final (a 409 is recorded as
// resourceTypeMismatch), and turn each user's result into the item's status and errors with
// catalog codes, which the store keeps as run diagnostics like any other pass's. A job of the
// batch's name and users left by a pass that was cut off is taken up where it is, not refused.
import { m365Settings } from '../connectors/m365/m365Settings';
import { ConnectorError } from '../connectors/types';
import { abortableSleep, withRetries } from '../engine/backoff';
import type { PassContext } from '../engine/context';
import { ItemReporter } from '../engine/itemReporter';
import type { MailboxJob, MailboxOutcome } from '../engine/job';
import { HandedOver } from '../engine/mailboxWorker';
import { namesFor, secretEnvName } from '../engine/secrets';
import type { ItemStatus } from '../engine/statuses';
import { formatMessage } from '../errors/catalog';
import type { Plan, PlanBatch } from '../plan/model';
import { CrossTenantClient, FINAL_STATUSES, VALIDATED_STATUSES, type CrossTenantJob, type CrossTenantJobRequest, type JobStatus } from './crossTenantClient';
import { taskOutcome } from './taskResults';

/** Ferry's workload names (schema: crossTenant.workloads) as the service spells them. */
const WORKLOADS: Record<string, string> = { exchange: 'Exchange', oneDrive: 'ODSP', teams: 'Teams' };

/** When the plan sets no completeAfter: let the service complete this long after the job is created. */
export const DEFAULT_COMPLETE_AFTER_MS = 60_000;

export interface CrossTenantSettings {
  migrationEndpoint?: string;
  sourceTenantId?: string;
  /** The target tenant's mail routing domain (<tenant>.mail.onmicrosoft.com); else a destination's domain. */
  targetDeliveryDomain?: string;
  workloads: string[];
}

export function crossTenantSettings(settings: Readonly<Record<string, unknown>>): CrossTenantSettings {
  const c = (typeof settings.crossTenant === 'object' && settings.crossTenant !== null ? settings.crossTenant : {}) as Record<string, unknown>;
  const workloads = Array.isArray(c.workloads) && c.workloads.length ? c.workloads.map(String) : ['exchange'];
  return {
    ...(typeof c.migrationEndpoint === 'string' ? { migrationEndpoint: c.migrationEndpoint } : {}),
    ...(typeof c.sourceTenantId === 'string' ? { sourceTenantId: c.sourceTenantId } : {}),
    ...(typeof c.targetDeliveryDomain === 'string' ? { targetDeliveryDomain: c.targetDeliveryDomain } : {}),
    workloads,
  };
}

/** Whether the pass hands this job's batch to the cross-tenant service. */
export { isOrchestrated } from './orchestrated';

/** The job the service is asked to run for a batch (what `ferry export` writes as New-MigrationBatch, too). */
export function jobRequest(batch: PlanBatch, jobs: readonly MailboxJob[], settings: CrossTenantSettings, now: Date, displayName: string, targetIds: readonly string[]): CrossTenantJobRequest {
  const domain = settings.targetDeliveryDomain ?? jobs.map((j) => j.destination.split('@')[1]).find(Boolean);
  return {
    displayName,
    completeAfterDateTime: (batch.completeAfter ?? new Date(now.getTime() + DEFAULT_COMPLETE_AFTER_MS)).toISOString(),
    sourceTenantId: settings.sourceTenantId ?? '',
    exchangeSettings: { ...(settings.migrationEndpoint ? { sourceEndpoint: settings.migrationEndpoint } : {}), ...(domain ? { targetDeliveryDomain: domain } : {}) },
    workloads: settings.workloads.map((w) => WORKLOADS[w] ?? w),
    resourceType: 'Users',
    // The target users' directory object ids (Microsoft: the users of the target tenant), not addresses.
    resources: [...targetIds],
  };
}

/** Runs every orchestrated batch among `jobs` (concurrently) and hands each item's outcome to `record`. */
export async function runOrchestratedBatches(plan: Plan, jobs: readonly MailboxJob[], ctx: PassContext, record: (job: MailboxJob, outcome: MailboxOutcome) => void): Promise<void> {
  const byBatch = new Map<string, MailboxJob[]>();
  for (const job of jobs) byBatch.set(job.batch, [...(byBatch.get(job.batch) ?? []), job]);
  await Promise.all(
    [...byBatch].map(async ([name, batchJobs]) => {
      const batch = plan.batches.find((b) => b.name === name)!;
      const outcomes = await runOrchestratedBatch(batch, batchJobs, ctx);
      batchJobs.forEach((job, i) => record(job, outcomes[i]));
    }),
  );
}

class BatchItems {
  readonly reporters: ItemReporter[];
  /** Items already ended (a target user not found), by index: endAll leaves them as they are. */
  private readonly ended = new Map<number, MailboxOutcome>();
  constructor(private readonly ctx: PassContext, readonly jobs: readonly MailboxJob[]) {
    this.reporters = jobs.map((j) => new ItemReporter(ctx, j));
  }

  statusAll(status: ItemStatus): void {
    this.reporters.forEach((r) => r.status(status));
  }

  /** Ends one item with a status and the errors the service reported (codes from the catalog). */
  end(i: number, status: ItemStatus, errors: { code: string; message: string }[]): MailboxOutcome {
    const job = this.jobs[i];
    const report = this.reporters[i];
    const ok = status === 'Completed';
    // The service cut the mailbox over (every workload completed, with or without item errors): it is finalized.
    const cutOver = job.pass !== 'verify' && (ok || status === 'FinishedWithErrors');
    if (ok) this.ctx.store.errors.resolveMailboxErrors(job.itemId);
    for (const e of errors) {
      this.ctx.store.errors.addError({ itemId: job.itemId, passId: job.passId, code: e.code, message: e.message });
      this.ctx.events.emit({ type: 'error', batch: job.batch, item: job.source, code: e.code, message: e.message });
    }
    const last = errors.at(-1);
    const patch = {
      endedAt: this.ctx.now().toISOString(),
      lastErrorCode: last?.code ?? null,
      lastErrorMessage: last?.message ?? null,
      ...(ok && job.pass === 'verify' ? { matchState: 'Matched' as const } : {}),
      ...(cutOver ? { syncState: 'InSync' as const, matchState: 'Migrated' as const, finalized: true } : {}),
      ...(status === 'NotValid' ? { matchState: 'NotMatched' as const } : {}),
      ...(status === 'Failed' ? { syncState: 'Failed' as const } : {}),
    };
    report.status(status, patch, last?.code, last?.message);
    const outcome: MailboxOutcome = { status, copied: 0, bytes: 0, skipped: 0, errors: errors.length, ...(last ? { code: last.code, message: last.message } : {}) };
    this.ended.set(i, outcome);
    return outcome;
  }

  /** The outcome of an item ended already, else ends it now. */
  endOnce(i: number, status: ItemStatus, errors: { code: string; message: string }[]): MailboxOutcome {
    return this.ended.get(i) ?? this.end(i, status, errors);
  }

  /** Ends every item not ended yet alike (the job could not be created, the pass stopped, ...). */
  endAll(status: ItemStatus, code: string, message: string): MailboxOutcome[] {
    return this.jobs.map((_, i) => this.endOnce(i, status, [{ code, message }]));
  }

  /** Records an error on every item without changing its status (a job that could not be deleted). */
  noteAll(code: string, message: string): void {
    for (const job of this.jobs) this.ctx.store.errors.addError({ itemId: job.itemId, passId: job.passId, code, message });
  }
}

function resolveSecrets(ctx: PassContext, job: MailboxJob): Map<string, string> {
  const values = new Map<string, string>();
  for (const name of namesFor(job.destinationEndpoint, undefined)) {
    const value = ctx.secrets(name);
    if (value === undefined) throw new ConnectorError('ENG-051', `secret ${name} is not set`, 'mailbox', [name, secretEnvName(name)]);
    values.set(name, value);
  }
  return values;
}

/** Runs one orchestrated batch; the outcomes follow the order of `jobs`. */
export async function runOrchestratedBatch(batch: PlanBatch, jobs: readonly MailboxJob[], ctx: PassContext): Promise<MailboxOutcome[]> {
  const items = new BatchItems(ctx, jobs);
  const first = jobs[0];
  const startAfter = first.startAfter ? new Date(first.startAfter) : undefined;
  if (startAfter && startAfter > ctx.now()) {
    const message = formatMessage('ENG-031', [first.batch, startAfter.toISOString()]);
    if (!ctx.waitForSchedule) {
      items.reporters.forEach((r) => r.status('Waiting', { lastErrorCode: null, lastErrorMessage: null }, 'ENG-031', message));
      return jobs.map(() => ({ status: 'Waiting', copied: 0, bytes: 0, skipped: 0, errors: 0, code: 'ENG-031', message }));
    }
    try {
      await abortableSleep(startAfter.getTime() - ctx.now().getTime(), ctx.signal);
    } catch {
      return items.endAll('Stopped', 'ENG-061', formatMessage('ENG-061', ['stop requested']));
    }
  }
  items.reporters.forEach((r) => r.status('Queued', { lastPassId: first.passId, lastPassKind: first.pass, startedAt: ctx.now().toISOString(), endedAt: null }));
  const phase = first.pass === 'verify' ? 'validate' : 'migrate';
  let client: CrossTenantClient | undefined;
  let job: CrossTenantJob | undefined;
  // Cleanup calls (cancel, delete) must outlive a stop request.
  const cleanup = new AbortController();
  try {
    const settings = m365Settings({ endpoint: first.destinationEndpoint, planDir: first.planDir, mailbox: first.destination, credentials: { secrets: resolveSecrets(ctx, first) }, signal: ctx.signal });
    client = await CrossTenantClient.open(settings, cleanup.signal);
    const c = client;
    const retry = <T>(what: string, op: () => Promise<T>) => withRetries(what, op, ctx.retry, cleanup.signal);
    items.statusAll('AnalysisStarted');
    // The job names the target users by their directory object ids: a user missing there is this item's finding, the others go on.
    const targets = await Promise.all(jobs.map((j) => retry(`find the target user ${j.destination}`, () => c.targetUserId(j.destination))));
    targets.forEach((id, i) => {
      if (id === undefined) items.end(i, 'NotValid', [{ code: 'GRAPH-TARGET-USER', message: formatMessage('GRAPH-TARGET-USER', [jobs[i].destination, batch.name]) }]);
    });
    const inJob = jobs.map((_, i) => i).filter((i) => targets[i] !== undefined);
    if (!inJob.length) return jobs.map((_, i) => items.endOnce(i, 'NotValid', []));
    const request = jobRequest(batch, inJob.map((i) => jobs[i]), crossTenantSettings(first.destinationEndpoint.settings), ctx.now(), phase === 'validate' ? `${batch.name} (validation)` : batch.name, inJob.map((i) => targets[i]!));
    job = await retry('create the cross-tenant migration job', () => (phase === 'validate' ? c.createValidation(request) : c.create(request))).catch(async (err: unknown) => {
      // The batch's own job, left on the service by a pass that was cut off (a crash, kill -9): go on with it.
      const left = err instanceof ConnectorError && err.code === 'duplicateDisplayNameJob' ? await retry('list the cross-tenant migration jobs', () => c.named(request.displayName)) : [];
      const same = left.find((j) => (j.jobType ?? 'migrate') === (phase === 'validate' ? 'validate' : 'migrate') && sameUsers(j.resources ?? [], request.resources));
      if (!same) throw err;
      return same;
    });
    if (phase === 'migrate' && job.status === 'submitted') job = await retry('validate the cross-tenant migration job', () => c.validate(job!.id));
    job = await poll(ctx, c, job, VALIDATED_STATUSES);
    if (!ctx.signal.aborted && phase === 'migrate' && job.status === 'validatePassed') {
      items.statusAll('InProgress');
      job = await retry('start the cross-tenant migration job', () => c.migrate(job!.id));
      job = await poll(ctx, c, job, FINAL_STATUSES);
    }
    // A distributed worker whose lease lapsed: Microsoft's job is the next worker's now, left as it is.
    if (ctx.signal.reason instanceof HandedOver) throw ctx.signal.reason;
    if (ctx.signal.aborted) {
      job = await cancel(ctx, c, job);
      await remove(ctx, c, job, items);
      return items.endAll('Stopped', 'ENG-061', formatMessage('ENG-061', ['stop requested']));
    }
    const tasks = await retry('list the users of the cross-tenant migration job', () => c.users(job!.id));
    const byId = new Map(tasks.map((t) => [t.id.toLowerCase(), t]));
    const outcomes = jobs.map((_, i) => {
      const o = taskOutcome(targets[i] === undefined ? undefined : byId.get(targets[i]!.toLowerCase()), phase);
      return items.endOnce(i, o.status, o.errors);
    });
    // A migration job that failed validation is not final: cancel it so it can be deleted.
    if (phase === 'migrate' && job.status === 'validateFailed') job = await cancel(ctx, c, job);
    await remove(ctx, c, job, items);
    return outcomes;
  } catch (err) {
    if (ctx.signal.reason instanceof HandedOver) throw ctx.signal.reason;
    if (ctx.signal.aborted && !(err instanceof ConnectorError)) {
      if (client && job) {
        job = await cancel(ctx, client, job).catch(() => job);
        await remove(ctx, client, job!, items).catch(() => undefined);
      }
      return items.endAll('Stopped', 'ENG-061', formatMessage('ENG-061', ['stop requested']));
    }
    const code = err instanceof ConnectorError ? err.code : 'ENG-012';
    const message = err instanceof ConnectorError ? err.message : formatMessage('ENG-012', [`the orchestrated batch ${batch.name}`, err instanceof Error ? err.message : String(err)]);
    return items.endAll(code === 'ENG-051' ? 'NotValid' : 'Failed', code, message);
  }
}

/** The same users, whatever the order and case. */
function sameUsers(a: readonly string[], b: readonly string[]): boolean {
  const norm = (x: readonly string[]) => x.map((s) => s.toLowerCase()).sort().join('\n');
  return norm(a) === norm(b);
}

/** Polls the job until one of `until` (or a final state), backing off while nothing changes. */
async function poll(ctx: PassContext, client: CrossTenantClient, job: CrossTenantJob, until: readonly JobStatus[]): Promise<CrossTenantJob> {
  let unchanged = 0;
  let current = job;
  while (!until.includes(current.status) && !FINAL_STATUSES.includes(current.status)) {
    if (ctx.signal.aborted) return current;
    const delay = Math.min(ctx.retry.maxMs, ctx.retry.baseMs * 2 ** Math.min(unchanged, 16));
    try {
      await ctx.retry.sleep(delay, ctx.signal);
    } catch {
      return current;
    }
    const next = await withRetries('read the cross-tenant migration job', () => client.get(current.id), ctx.retry, ctx.signal);
    unchanged = next.status === current.status ? unchanged + 1 : 0;
    current = next;
  }
  return current;
}

/** Cancels a job that is not final and waits (briefly, ignoring the stop request) until it is. */
async function cancel(ctx: PassContext, client: CrossTenantClient, job: CrossTenantJob): Promise<CrossTenantJob> {
  if (FINAL_STATUSES.includes(job.status)) return job;
  const never = new AbortController().signal;
  try {
    await withRetries('cancel the cross-tenant migration job', () => client.cancel(job.id), ctx.retry, never);
  } catch (err) {
    // 409: past cutover or already final; the job goes on and is read once more.
    if (!(err instanceof ConnectorError)) throw err;
  }
  let current = job;
  for (let i = 0; i < 20 && !FINAL_STATUSES.includes(current.status); i++) {
    await ctx.retry.sleep(Math.min(ctx.retry.maxMs, ctx.retry.baseMs * 2 ** i), never);
    current = await withRetries('read the cross-tenant migration job', () => client.get(job.id), ctx.retry, never);
  }
  return current;
}

/** Deletes the job's state on the service, only once it is final; a 409 is noted on every item. */
async function remove(ctx: PassContext, client: CrossTenantClient, job: CrossTenantJob, items: BatchItems): Promise<void> {
  const deletable = FINAL_STATUSES.includes(job.status) || (job.jobType === 'validate' && VALIDATED_STATUSES.includes(job.status));
  if (!deletable) {
    items.noteAll('resourceTypeMismatch', formatMessage('resourceTypeMismatch', [job.id]));
    return;
  }
  try {
    await withRetries('delete the cross-tenant migration job', () => client.remove(job.id), ctx.retry, new AbortController().signal);
  } catch (err) {
    if (err instanceof ConnectorError && err.code === 'resourceTypeMismatch') items.noteAll(err.code, err.message);
    else throw err;
  }
}
