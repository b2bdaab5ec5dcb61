// What `ferry serve` does next for each batch, and when: a pure function of the plan (startAfter,
// completeAfter, syncInterval, end-user notices) and what the store remembers (the batch's status
// and times, the operator's pause / skip / run-now, the scheduled runs already claimed). Nothing
// lives in a timer, so a scheduler that is killed and restarted computes the same answer.
import type { PlanBatch, PlanOptions } from '../plan/model';
import type { BatchRow } from '../store/rows';
import type { ScheduleControl, ScheduledAction, ScheduledRun } from '../store/schedulesRepo';
import type { BatchStatus } from './statuses';

/** A planned action as `ferry status --json` carries it (and the VS Code tree reads it). */
export interface ScheduleEntry {
  batch: string;
  action: ScheduledAction;
  dueAt: string;
  /** A ScheduleState, or 'due (resumes)' for a run a dead scheduler left. */
  state: string;
  code?: string;
  message?: string;
}

/** due: runs at the next look; scheduled: later; paused by the operator; blocked: cannot run (code says why). */
export type ScheduleState = 'due' | 'scheduled' | 'paused' | 'blocked';

export interface PlannedAction {
  batch: string;
  action: ScheduledAction;
  dueAt: Date;
  state: ScheduleState;
  /** A run a scheduler claimed and did not end (it died): it runs again and its pass resumes. */
  resumed?: boolean;
  /** Asked for by the operator (run now). */
  requested?: boolean;
  code?: string;
  args?: string[];
}

export interface BatchScheduleInput {
  batch: PlanBatch;
  row?: BatchRow;
  control: ScheduleControl;
  /** The batch's scheduled runs, any order. */
  runs: readonly ScheduledRun[];
  options: Pick<PlanOptions, 'syncIntervalMs' | 'notifications'>;
  now: Date;
}

const synced: readonly BatchStatus[] = ['Synced', 'SyncedWithErrors'];
const startable: readonly BatchStatus[] = ['Created', 'Stopped'];

const ended = (runs: readonly ScheduledRun[], action: ScheduledAction, due: Date) => runs.some((r) => r.action === action && r.dueAt === due.toISOString() && r.state !== 'running');

/** The batch's actions to come, soonest first: at most one of start/sync/complete, and the end-user notice. */
export function plannedActions(input: BatchScheduleInput): PlannedAction[] {
  const { batch, row, control, runs, options, now } = input;
  const status: BatchStatus = row?.status ?? 'Created';
  const out: PlannedAction[] = [];
  const make = (action: ScheduledAction, dueAt: Date, extra: Partial<PlannedAction> = {}): PlannedAction => ({
    batch: batch.name,
    action,
    dueAt,
    state: control.pausedAt ? 'paused' : dueAt.getTime() <= now.getTime() ? 'due' : 'scheduled',
    ...extra,
  });

  // A run left running by a scheduler that died comes first: it is the same run, resumed.
  const unfinished = runs.filter((r) => r.state === 'running' && r.action !== 'notice');
  if (unfinished.length) out.push(make(unfinished[0].action, new Date(unfinished[0].dueAt), { resumed: true }));
  else if (status !== 'Completed') {
    const main = mainAction(input, status);
    if (main) out.push(main.blocked ? { ...make(main.action, main.dueAt), state: control.pausedAt ? 'paused' : 'blocked', code: main.blocked.code, args: main.blocked.args } : make(main.action, main.dueAt, main.requested ? { requested: true } : {}));
    // Syncs come first until the cut-over; the cut-over itself is shown too (it follows them).
    if (main?.action === 'sync' && batch.completeAfter && !ended(runs, 'complete', batch.completeAfter)) out.push(make('complete', batch.completeAfter));
  }

  const endUsers = options.notifications.endUsers;
  if (endUsers && batch.completeAfter && status !== 'Completed') {
    const due = new Date(batch.completeAfter.getTime() - endUsers.beforeMs);
    if (!ended(runs, 'notice', due)) out.push(make('notice', due));
  }
  return out.sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
}

function mainAction(input: BatchScheduleInput, status: BatchStatus): { action: ScheduledAction; dueAt: Date; requested?: boolean; blocked?: { code: string; args: string[] } } | undefined {
  const { batch, row, control, runs, options, now } = input;
  const requested = control.runNowAt ? new Date(control.runNowAt) : undefined;
  const soonest = (due: Date | undefined) => (requested && (!due || requested < due) ? { dueAt: requested, requested: true } : due ? { dueAt: due } : undefined);

  // Completion: at completeAfter, once Synced; a past deadline on a batch that is not Synced is a finding on it.
  const complete = batch.completeAfter && !ended(runs, 'complete', batch.completeAfter) ? batch.completeAfter : undefined;

  // The first start at startAfter; an operator's "run now" also restarts a stopped or failed batch.
  if ((!row?.startedAt && startable.includes(status)) || (requested && (startable.includes(status) || status === 'Failed'))) {
    const start = !row?.startedAt && batch.startAfter && !ended(runs, 'start', batch.startAfter) ? batch.startAfter : undefined;
    const at = soonest(start);
    if (at) return { action: 'start', ...at };
  }

  if (synced.includes(status)) {
    // The incremental sync, one interval after the last one (or the last run's due time), until the cut-over.
    let sync: Date | undefined;
    if (options.syncIntervalMs !== undefined) {
      const last = [row?.lastSyncAt, ...runs.filter((r) => r.action === 'sync' && r.state !== 'running').map((r) => r.dueAt)]
        .filter((t): t is string => t !== undefined)
        .map((t) => new Date(t).getTime());
      sync = new Date((last.length ? Math.max(...last) : now.getTime()) + options.syncIntervalMs);
    }
    if (complete && (!sync || complete <= sync)) {
      // "Run now" before the cut-over time syncs (completing early is refused, ENG-032).
      if (requested && complete > now) return { action: 'sync', dueAt: requested, requested: true };
      return { action: 'complete', ...soonest(complete)! };
    }
    if (sync) return { action: 'sync', ...soonest(sync)! };
    if (requested) return { action: 'sync', dueAt: requested, requested: true };
  }

  if (complete && complete.getTime() <= now.getTime()) return { action: 'complete', dueAt: complete, blocked: { code: 'SCHED-002', args: [batch.name, complete.toISOString(), status] } };
  if (complete) return { action: 'complete', dueAt: complete };
  return undefined;
}
