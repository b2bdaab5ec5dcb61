// `ferry run` in distributed mode: opens the pass in the shared store (as runPass does) and puts its
// mailbox jobs on the project's queue under the pass's end; follows it to its end or returns at once.
import { EngineRefusal } from '../engine/refusal';
import type { EngineEvents } from '../engine/events';
import { openPass } from '../engine/passSteps';
import type { PassKind } from '../engine/statuses';
import type { PassSummary } from '../engine/summary';
import { isOrchestrated } from '../orchestration/runOrchestrated';
import type { Plan } from '../plan/model';
import type { Store } from '../store/store';
import { mailboxJobOptions, planRevision, type MailboxJobData, type PassEndData } from './passJobs';
import { mailboxJobId, newFlowProducer, newQueue, newQueueEvents, passEndJobId, queueName, type QueueSite } from './queues';

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
  const orchestrated = o.plan.batches.filter((b) => isOrchestrated(o.plan, b.name) && (o.batch === undefined || o.batch === b.name));
  if (orchestrated.length) throw new EngineRefusal('DIST-012', [orchestrated[0].name]);
  const revision = planRevision(o.plan.file);
  const opened = openPass({ plan: o.plan, store: o.store, pass: o.pass, batch: o.batch, item: o.item, events: o.events, started: now(), runnerPid: process.pid, now });
  if (!('jobs' in opened)) return opened;
  const { jobs, ...pass } = opened;
  const name = queueName(opened.projectId);
  const queue = newQueue(o.site, name);
  const flow = newFlowProducer(o.site);
  try {
    await queue.setGlobalConcurrency(o.plan.options.maxConcurrentMigrations);
    const end: PassEndData = { pass, planFile: o.plan.file, revision };
    await flow.add({
      name: 'pass-end',
      queueName: name,
      data: end,
      opts: { jobId: passEndJobId(opened.passId), attempts: 20, backoff: { type: 'exponential', delay: 2000 }, removeOnComplete: false },
      children: jobs.map((job) => ({ name: 'mailbox', queueName: name, data: { job, revision } satisfies MailboxJobData, opts: { jobId: mailboxJobId(opened.passId, job.itemId), ...mailboxJobOptions(job, now()) } })),
    });
  } finally {
    await flow.close();
    await queue.close();
  }
  return { passId: opened.passId, projectId: opened.projectId, queue: name, mailboxes: jobs.length };
}

/** Waits for the pass's end job (run by a worker once every mailbox ended) and returns its summary. */
export async function followPass(site: QueueSite, enqueued: Enqueued): Promise<PassSummary> {
  const queue = newQueue(site, enqueued.queue);
  const events = newQueueEvents(site, enqueued.queue);
  try {
    await events.waitUntilReady();
    const job = await queue.getJob(passEndJobId(enqueued.passId));
    if (!job) throw new Error(`the end job of pass ${enqueued.passId} is not on ${enqueued.queue}`);
    return (await job.waitUntilFinished(events)) as PassSummary;
  } finally {
    await events.close();
    await queue.close();
  }
}
