// Schedules as state: an operator's controls per batch (pause, skip the next run, run now) and
// every scheduled run, claimed once by (batch, action, due time) so that a scheduler killed and
// restarted neither repeats a run nor misses one (ferry serve).
import { n, type SqlStore } from './sqlStore';
import { camel, nowIso } from './rows';

export const scheduledActions = ['start', 'sync', 'complete', 'notice'] as const;
export type ScheduledAction = (typeof scheduledActions)[number];

/** running: claimed, not ended (a restart runs it again: the pass resumes); the others are final. */
export type ScheduledRunState = 'running' | 'done' | 'failed' | 'skipped';

export interface ScheduleControl {
  batchId: number;
  pausedAt?: string;
  pausedBy?: string;
  runNowAt?: string;
  /** The due time of the run the operator skipped. */
  skipDueAt?: string;
}

export interface ScheduledRun {
  id: number;
  batchId: number;
  action: ScheduledAction;
  dueAt: string;
  state: ScheduledRunState;
  startedAt?: string;
  endedAt?: string;
  passId?: number;
  code?: string;
  note?: string;
}

export class SchedulesRepo {
  constructor(private readonly db: SqlStore) {}

  control(batchId: number): ScheduleControl {
    return camel<ScheduleControl>(this.db.get('SELECT * FROM schedule_controls WHERE batch_id = ?', batchId)) ?? { batchId };
  }

  private setControl(batchId: number, column: 'paused_at' | 'paused_by' | 'run_now_at' | 'skip_due_at', value: string | undefined): void {
    this.db.tx(() => {
      this.db.run('INSERT INTO schedule_controls (batch_id) VALUES (?) ON CONFLICT DO NOTHING', batchId);
      this.db.run(`UPDATE schedule_controls SET ${column} = ? WHERE batch_id = ?`, n(value), batchId);
    });
  }

  pause(batchId: number, by: string, at = nowIso()): void {
    this.db.tx(() => {
      this.setControl(batchId, 'paused_at', at);
      this.setControl(batchId, 'paused_by', by);
    });
  }

  resume(batchId: number): void {
    this.db.tx(() => {
      this.setControl(batchId, 'paused_at', undefined);
      this.setControl(batchId, 'paused_by', undefined);
    });
  }

  /** The batch's next action runs at the scheduler's next look, whatever its due time. */
  requestRunNow(batchId: number, at = nowIso()): void {
    this.setControl(batchId, 'run_now_at', at);
  }

  clearRunNow(batchId: number): void {
    this.setControl(batchId, 'run_now_at', undefined);
  }

  /** Skips the run due at `dueAt` (recorded as a skipped run: the next one is computed from it). */
  skip(batchId: number, action: ScheduledAction, dueAt: string, note: string): void {
    this.db.tx(() => {
      this.db.run("INSERT INTO scheduled_runs (batch_id, action, due_at, state, ended_at, note) VALUES (?, ?, ?, 'skipped', ?, ?) ON CONFLICT DO NOTHING", batchId, action, dueAt, nowIso(), note);
      this.setControl(batchId, 'skip_due_at', dueAt);
    });
  }

  run(batchId: number, action: ScheduledAction, dueAt: string): ScheduledRun | undefined {
    return camel<ScheduledRun>(this.db.get('SELECT * FROM scheduled_runs WHERE batch_id = ? AND action = ? AND due_at = ?', batchId, action, dueAt));
  }

  /**
   * Claims the run due at `dueAt`: true when this call made it running (new, or left running by a
   * scheduler that died: it runs again and the pass resumes); false when it already ended.
   */
  claim(batchId: number, action: ScheduledAction, dueAt: string, note?: string): boolean {
    return this.db.tx(() => {
      const existing = this.run(batchId, action, dueAt);
      if (existing && existing.state !== 'running') return false;
      if (existing) this.db.run('UPDATE scheduled_runs SET started_at = ?, note = ? WHERE id = ?', nowIso(), n(note), existing.id);
      else this.db.run("INSERT INTO scheduled_runs (batch_id, action, due_at, state, started_at, note) VALUES (?, ?, ?, 'running', ?, ?)", batchId, action, dueAt, nowIso(), n(note));
      return true;
    });
  }

  finish(batchId: number, action: ScheduledAction, dueAt: string, state: Exclude<ScheduledRunState, 'running'>, result: { passId?: number; code?: string; note?: string } = {}): void {
    this.db.run(
      'UPDATE scheduled_runs SET state = ?, ended_at = ?, pass_id = ?, code = ?, note = COALESCE(?, note) WHERE batch_id = ? AND action = ? AND due_at = ?',
      state, nowIso(), n(result.passId), n(result.code), n(result.note), batchId, action, dueAt,
    );
  }

  /** Runs of a batch, newest due time first. */
  runs(batchId: number, action?: ScheduledAction): ScheduledRun[] {
    const rows = action
      ? this.db.all('SELECT * FROM scheduled_runs WHERE batch_id = ? AND action = ? ORDER BY due_at DESC, id DESC', batchId, action)
      : this.db.all('SELECT * FROM scheduled_runs WHERE batch_id = ? ORDER BY due_at DESC, id DESC', batchId);
    return rows.map((r) => camel<ScheduledRun>(r)!);
  }

  /** Runs a scheduler left running when it died. */
  unfinished(): ScheduledRun[] {
    return this.db.all("SELECT * FROM scheduled_runs WHERE state = 'running' ORDER BY id").map((r) => camel<ScheduledRun>(r)!);
  }
}
