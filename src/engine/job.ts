// One mailbox's work in a pass. A job carries everything a worker needs (endpoints, options,
// credentials by secret name, never values) so that a later queue can hand it to another process;
// progress is recorded only through the store.
import type { AuthSettings, PlanEndpoint, PlanOptions } from '../plan/model';
import type { PassKind } from './statuses';

export interface MailboxJob {
  passId: number;
  pass: PassKind;
  planFile: string;
  planDir: string;
  batch: string;
  itemId: number;
  source: string;
  destination: string;
  sourceEndpoint: PlanEndpoint;
  destinationEndpoint: PlanEndpoint;
  sourceAuth?: AuthSettings;
  destinationAuth?: AuthSettings;
  options: PlanOptions;
  /** approveOversize from the plan (an approval by command is read from the store). */
  approveOversize: boolean;
  /** ISO 8601; the batch's startAfter. */
  startAfter?: string;
}

/** How a worker hands back a mailbox's result. */
export interface MailboxOutcome {
  status: import('./statuses').ItemStatus;
  copied: number;
  bytes: number;
  skipped: number;
  errors: number;
  code?: string;
  message?: string;
}

/** Runs mailbox jobs; the first implementation is in-process, a later one may be distributed. */
export interface JobQueue {
  /** Runs every job through `worker`, at most `concurrency` at once; resolves when all have ended. */
  process(jobs: readonly MailboxJob[], worker: (job: MailboxJob) => Promise<void>, options: { concurrency: number; signal: AbortSignal }): Promise<void>;
}
