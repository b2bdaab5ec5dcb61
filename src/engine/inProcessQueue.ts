// The in-process job queue: a pool of `concurrency` workers pulling mailbox jobs in order.
import type { JobQueue, MailboxJob } from './job';

export class InProcessQueue implements JobQueue {
  async process(jobs: readonly MailboxJob[], worker: (job: MailboxJob) => Promise<void>, options: { concurrency: number; signal: AbortSignal }): Promise<void> {
    let next = 0;
    const lanes = Math.max(1, Math.min(options.concurrency, jobs.length));
    const lane = async (): Promise<void> => {
      // Jobs not yet started when a stop arrives still run: the worker sees the aborted signal
      // and marks its mailbox Stopped, so every selected mailbox ends with a status.
      while (next < jobs.length) {
        const job = jobs[next++];
        await worker(job);
      }
    };
    await Promise.all(Array.from({ length: lanes }, lane));
  }
}
