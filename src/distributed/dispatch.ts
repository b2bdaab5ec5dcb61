// `ferry run` in distributed mode: opens the pass in the shared store (as runPass does) and puts its
// mailbox jobs on the project's queue under the pass's end; follows it to its end or returns at once.
import { EngineRefusal } from '../engine/refusal';
import type { EngineEvents } from '../engine/events';
import type { MailboxJob } from '../engine/job';
import { openPass } from '../engine/passSteps';
import type { PassKind } from '../engine/statuses';
import type { PassSummary } from '../engine/summary';
import { isOrchestrated } from '../orchestration/orchestrated';
import type { Plan } from '../plan/model';
import type { Store } from '../store/store';
import { jobBackoff, keepFailed, keepPassEnd, mailboxJobOptions, planRevision, type MailboxJobData, type OrchestratedJobData, type PassEndData } from './passJobs';
import { mailboxJobId, orchestratedJobId, newFlowProducer, newQueue, newQueueEvents, passEndJobId, queueName, type QueueSite } from './queues';

/** Mailbox jobs added to the queue in one step. */
export const enqueueChunk = 1000;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out.length ? out : [[]];
}

export interface Enqueued {
  passId: number;
  projectId: number;
  queue: string;
  mailboxes: number;
}

export interface DispatchOptions {
  plan: Plan;
  store: Store;
  site: QueueSite;
  pass: PassKind;
  batch?: string;
  item?: string;
  events: EngineEvents;
  now?: () => Date;
}

/** Enqueues the pass; a refused pass (nothing selected) comes back as its summary. */
export async function enqueuePass(o: DispatchOptions): Promise<Enqueued | PassSummary> {
  const now = o.now ?? (() => new Date());
  const revision = planRevision(o.plan.file);
  const opened = openPass({ plan: o.plan, store: o.store, pass: o.pass, batch: o.batch, item: o.item, events: o.events, started: now(), runnerPid: process.pid, now });
  if (!('jobs' in opened)) return opened;
  const { jobs: all, ...pass } = opened;
  // An orchestrated batch is one job (Microsoft copies its mailboxes); the others one job per mailbox.
  const jobs = all.filter((job) => !isOrchestrated(o.plan, job.batch));
  const orchestrated = new Map<string, MailboxJob[]>();
  for (const job of all) if (isOrchestrated(o.plan, job.batch)) orchestrated.set(job.batch, [...(orchestrated.get(job.batch) ?? []), job]);
  const batchJobs = [...orchestrated].map(([batch, members]) => ({
    name: 'orchestrated',
    data: { batch, jobs: members, revision } satisfies OrchestratedJobData,
    opts: { jobId: orchestratedJobId(opened.passId, members[0].itemId), ...mailboxJobOptions(members[0], now()) },
  }));
  const name = queueName(opened.projectId);
  const queue = newQueue(o.site, name);
  const flow = newFlowProducer(o.site);
  try {
    await queue.setGlobalConcurrency(o.plan.options.maxConcurrentMigrations);
    const end: PassEndData = { pass, planFile: o.plan.file, revision };
    const child = (job: (typeof jobs)[number]) => ({ name: 'mailbox', data: { job, revision } satisfies MailboxJobData, opts: { jobId: mailboxJobId(opened.passId, job.itemId), ...mailboxJobOptions(job, now()) } });
    // The pass's end waits for every mailbox job. BullMQ adds a flow in one step whose cost grows
    // faster than its size, so a large pass is added in chunks under the same parent, which a
    // delayed 'gate' child holds back until the last chunk is in (then it is promoted and ends).
    const gateId = `${passEndJobId(opened.passId)}-gate`;
    const [first, ...rest] = chunks(jobs, enqueueChunk);
    await flow.add({
      name: 'pass-end',
      queueName: name,
      data: end,
      opts: { jobId: passEndJobId(opened.passId), attempts: 20, backoff: jobBackoff, removeOnComplete: keepPassEnd, removeOnFail: keepFailed },
      children: [
        { name: 'gate', queueName: name, data: {}, opts: { jobId: gateId, delay: 7 * 24 * 3600_000, ignoreDependencyOnFailure: true, removeOnComplete: true } },
        ...first.map((job) => ({ ...child(job), queueName: name })),
        ...batchJobs.map((job) => ({ ...job, queueName: name })),
      ],
    });
    const parent = { id: passEndJobId(opened.passId), queue: queue.qualifiedName };
    for (const part of rest) await queue.addBulk(part.map((job) => ({ ...child(job), opts: { ...child(job).opts, parent } })));
    await (await queue.getJob(gateId))?.promote();
  } finally {
    await flow.close();
    await queue.close();
  }
  return { passId: opened.passId, projectId: opened.projectId, queue: name, mailboxes: all.length };
}

/** Waits for the pass's end job (run by a worker once every mailbox ended) and returns its summary. */
export async function followPass(site: QueueSite, enqueued: Enqueued, store?: Store): Promise<PassSummary> {
  const queue = newQueue(site, enqueued.queue);
  const events = newQueueEvents(site, enqueued.queue);
  let following = true;
  try {
    await events.waitUntilReady();
    const id = passEndJobId(enqueued.passId);
    const job = await queue.getJob(id);
    if (!job) throw new Error(`the end job of pass ${enqueued.passId} is not on ${enqueued.queue}`);
    // A failed end job (DIST-013, or its attempts spent) ends the pass for good: say so, never wait on.
    const failure = (reason: string) => new EngineRefusal('DIST-014', [String(enqueued.passId), enqueued.queue, reason.replace(/\.$/, '')]);
    const finished = (job.waitUntilFinished(events) as Promise<PassSummary>).catch((err: unknown) => {
      throw failure(err instanceof Error ? err.message : String(err));
    });
    if (!store) return await finished;
    // QueueEvents listens on one connection: should a server restart make it miss the end, the
    // pass's row in the store says it ended (checked every 2 s), and the end job holds the summary.
    const ended = (async (): Promise<PassSummary> => {
      while (following) {
        await new Promise((r) => setTimeout(r, 2000));
        let done: Awaited<ReturnType<typeof queue.getJob>>;
        try {
          if (store.passes.passById(enqueued.passId)?.status === 'running') continue;
          done = await queue.getJob(id);
          if (done?.returnvalue) return done.returnvalue as PassSummary;
          if (!(await done?.isFailed())) continue;
        } catch {
          // the store or the queue is away for now
          continue;
        }
        throw failure(done?.failedReason ?? 'the job failed');
      }
      return new Promise<PassSummary>(() => undefined);
    })();
    return await Promise.race([finished, ended]);
  } finally {
    following = false;
    await events.close();
    await queue.close();
  }
}
