// What the store says about one plan at one moment: its batches, mailboxes and latest passes (as
// `ferry status` prints them), its open errors grouped by code (as `ferry report`), and the runner
// that owns the state folder. Read in one read transaction, so the parts agree with each other.
import type { ProjectStatus } from '../engine/projectStatus';
import type { ErrorGroup } from '../engine/report';
import type { ScheduleEntry } from '../engine/schedule';
import type { LockInfo } from '../store/lock';
import type { ChangeKind, DeltaChangeCounts } from '../store/changesRepo';

/**
 * Each mailbox's changes of its last delta (issue 13) are `status.batches[].items[].lastDelta`:
 * `{ passId, byKind: { flags, moved, deleted, 'kept-deleted', 'conflict-left' }, failed }`
 * (every kind present, zero when none; `failed`: changes the destination refused, still open,
 * which Retry errors redoes). Undefined for a mailbox that never had a delta.
 */
export type { ChangeKind, DeltaChangeCounts };
import type { MailboxDetail } from './mailboxDetail';

export interface StoreSnapshot {
  readAt: number;
  /** Undefined until a pass has run for the plan; with each batch's next scheduled actions (ferry serve). */
  status?: ProjectStatus & { schedule?: ScheduleEntry[] };
  errors: ErrorGroup[];
  /** The live runner that owns the state folder, if any. */
  runner?: LockInfo;
  /** The details of the mailboxes whose page is open (asked for with the read). */
  mailboxes?: MailboxDetail[];
}
