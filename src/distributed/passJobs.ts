// What a distributed pass puts on the queue and what its jobs carry: one BullMQ job per mailbox
// (the MailboxJob with the plan's path and revision) under one parent job, the pass's end, that
// BullMQ runs once every mailbox job has ended (a flow). The mailbox jobs retry with back-off
// (a store or queue that restarts), start at the batch's startAfter (delayed jobs) and survive
// a killed worker (lock, stalled-job recovery); their results go through the store only.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import type { MailboxJob } from '../engine/job';
import type { OpenedPass } from '../engine/passSteps';

export interface MailboxJobData {
  job: MailboxJob;
  /** sha256 of the plan's text when the pass was enqueued. */
  revision: string;
}

/**
 * An orchestrated batch: one job for the batch's mailboxes (Microsoft copies them in one
 * cross-tenant migration job that the worker creates, or finds again after a takeover, and polls).
 */
export interface OrchestratedJobData {
  batch: string;
  jobs: MailboxJob[];
  revision: string;
}

export interface PassEndData {
  pass: Omit<OpenedPass, 'jobs'>;
  planFile: string;
  revision: string;
}

/** The plan's revision: the hash of its text (a worker with another text refuses the job, DIST-011). */
export function planRevision(planFile: string): string {
  return createHash('sha256').update(fs.readFileSync(planFile)).digest('hex').slice(0, 16);
}

/** The revision of the plan at `planFile` on this machine, or undefined when this machine has no copy. */
export function localRevision(planFile: string): string | undefined {
  return fs.existsSync(planFile) ? planRevision(planFile) : undefined;
}

/**
 * What Redis keeps of a finished mailbox job. Its result is in the store (and in the pass's end job,
 * which BullMQ gives every child's value whether or not the child is kept), so a completed job is
 * dropped after a day, and at most the last 1,000 are kept for inspection: 50,000 kept completions
 * held 196 MB of Redis. A job that failed for good is kept 30 days: the operator's evidence.
 */
export const keepCompleted = { age: 24 * 3600, count: 1000 };
export const keepFailed = { age: 30 * 24 * 3600 };
/** The pass's end job holds the pass's summary (`ferry run` reads it): kept 7 days. */
export const keepPassEnd = { age: 7 * 24 * 3600 };

/** A killed worker's mailbox is taken again this many times before its job fails. */
export const maxStalls = 10;

/**
 * The back-off of a job's retries: doubling from 2 s, at most a minute apart. BullMQ's exponential
 * back-off has no ceiling: 20 attempts would wait days between the last ones (2 s x 2^18 before the
 * 20th), and a pass whose end waited so long looked hung. 20 attempts now span about 16 minutes,
 * and they are only taken for what may pass by itself (the queue or the state database away).
 */
export const jobBackoff = { type: 'ferry-capped', delay: 2000 } as const;
export const maxRetryDelayMs = 60_000;

/** BullMQ's backoffStrategy for jobBackoff (a worker's settings): the wait before retry `attemptsMade`. */
export function cappedBackoff(attemptsMade: number): number {
  return Math.min(jobBackoff.delay * 2 ** Math.max(0, attemptsMade - 1), maxRetryDelayMs);
}

export const mailboxJobOptions = (job: MailboxJob, now: Date) => {
  const delay = job.startAfter ? Math.max(0, new Date(job.startAfter).getTime() - now.getTime()) : 0;
  return {
    attempts: 20,
    backoff: jobBackoff,
    ...(delay ? { delay } : {}),
    // The pass's end runs even when a mailbox's job failed for good (its item says why).
    ignoreDependencyOnFailure: true,
    removeOnComplete: keepCompleted,
    removeOnFail: keepFailed,
  };
};
