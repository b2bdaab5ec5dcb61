// The result of a pass, for the command line's summary and exit code and the runner's clients.
import type { MailboxOutcome } from './job';
import type { ItemStatus, MatchState, PassKind } from './statuses';
import type { PassStatus } from '../store/rows';

export interface PassItemResult extends MailboxOutcome {
  batch: string;
  source: string;
  destination: string;
  /** Quest's matching: verify sets Matched or NotMatched; a completed copy makes it Migrated. */
  matchState?: MatchState;
}

/** Mailboxes the pass left out, and why (a catalog code). */
export interface PassExclusion {
  batch: string;
  source: string;
  code: string;
  message: string;
}

export interface PassSummary {
  passId?: number;
  kind: PassKind;
  status: PassStatus | 'refused';
  startedAt: string;
  endedAt: string;
  durationMs: number;
  items: PassItemResult[];
  excluded: PassExclusion[];
  totals: { items: number; completed: number; withErrors: number; failed: number; waiting: number; copied: number; bytes: number; skipped: number; errors: number };
  code?: string;
  message?: string;
}

const okStatuses: readonly ItemStatus[] = ['Completed', 'Resynced'];
export const failedStatuses: readonly ItemStatus[] = ['Failed', 'NotValid', 'InsufficientLicenses'];

/** Waiting because the server throttled it (ENG-014), not for a schedule: the pass did not finish it. */
export const isThrottledWait = (i: { status: ItemStatus; code?: string }): boolean => i.status === 'Waiting' && i.code === 'ENG-014';

export function totalsOf(items: readonly PassItemResult[]): PassSummary['totals'] {
  return {
    items: items.length,
    completed: items.filter((i) => okStatuses.includes(i.status)).length,
    withErrors: items.filter((i) => i.status === 'FinishedWithErrors' || i.status === 'ConfirmationRequired' || isThrottledWait(i)).length,
    failed: items.filter((i) => failedStatuses.includes(i.status)).length,
    waiting: items.filter((i) => i.status === 'Waiting').length,
    copied: items.reduce((s, i) => s + i.copied, 0),
    bytes: items.reduce((s, i) => s + i.bytes, 0),
    skipped: items.reduce((s, i) => s + i.skipped, 0),
    errors: items.reduce((s, i) => s + i.errors, 0),
  };
}

/** What became of a pass as a whole: the word its summary leads with, and its exit code. */
export interface PassOutcome {
  /** 'completed', 'completed with errors', 'failed', 'stopped', 'interrupted' or 'refused'. */
  word: string;
  /** 0 when every selected mailbox completed (or waits for its schedule), 3 with errors, else 1. */
  exitCode: 0 | 1 | 3;
}

/**
 * The outcome of a pass from its status and its mailboxes: a pass that ran to its end but where
 * no mailbox ran or every one failed has failed; one where some failed, finished with errors or
 * stopped completed with errors.
 */
export function passOutcome(summary: PassSummary): PassOutcome {
  if (summary.status !== 'completed') return { word: summary.status, exitCode: 1 };
  const t = summary.totals;
  if (t.items === 0 || t.failed === t.items) return { word: 'failed', exitCode: 1 };
  if (t.failed > 0 || t.withErrors > 0 || summary.items.some((i) => i.status === 'Stopped')) return { word: 'completed with errors', exitCode: 3 };
  return { word: 'completed', exitCode: 0 };
}

/** The command line's exit code (see passOutcome). */
export function exitCodeOf(summary: PassSummary): 0 | 1 | 3 {
  return passOutcome(summary).exitCode;
}
