// Projects and batches: one project row per plan file, batches by name within it.
import type { BatchStatus } from '../engine/statuses';
import { n, type SqlStore } from './sqlStore';
import { camel, nowIso, type BatchRow } from './rows';

export type BatchTimes = Partial<Pick<BatchRow, 'startedAt' | 'initialSyncAt' | 'initialSyncDurationMs' | 'lastSyncAt' | 'lastSyncDurationMs' | 'completedAt'>>;

const timeColumns: Record<keyof BatchTimes, string> = {
  startedAt: 'started_at',
  initialSyncAt: 'initial_sync_at',
  initialSyncDurationMs: 'initial_sync_duration_ms',
  lastSyncAt: 'last_sync_at',
  lastSyncDurationMs: 'last_sync_duration_ms',
  completedAt: 'completed_at',
};

export class BatchesRepo {
  constructor(private readonly db: SqlStore) {}

  /** The project of a plan file (absolute path), created on first use. */
  ensureProject(planFile: string, name: string): number {
    // One statement: workers on several machines may record the same project at once.
    const row = this.db.get(
      'INSERT INTO projects (plan_file, name, created_at) VALUES (?, ?, ?) ON CONFLICT (plan_file) DO UPDATE SET name = excluded.name RETURNING id',
      planFile, name, nowIso(),
    );
    return Number(row!.id);
  }

  /** Records a project under its plan's current path and name (the plan was moved, renamed or reached by a link). */
  renameProject(id: number, planFile: string, name: string): void {
    this.db.run('UPDATE projects SET plan_file = ?, name = ? WHERE id = ?', planFile, name, id);
  }

  listProjects(): { id: number; planFile: string; name: string }[] {
    return this.db.all('SELECT id, plan_file, name FROM projects ORDER BY id').map((r) => camel(r)!);
  }

  ensureBatch(projectId: number, name: string): BatchRow {
    const existing = this.getBatch(projectId, name);
    if (existing) return existing;
    this.db.run('INSERT INTO batches (project_id, name, status, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (project_id, name) DO NOTHING', projectId, name, 'Created', nowIso());
    return this.getBatch(projectId, name)!;
  }

  getBatch(projectId: number, name: string): BatchRow | undefined {
    return camel<BatchRow>(this.db.get('SELECT * FROM batches WHERE project_id = ? AND name = ?', projectId, name));
  }

  batchById(id: number): BatchRow | undefined {
    return camel<BatchRow>(this.db.get('SELECT * FROM batches WHERE id = ?', id));
  }

  listBatches(projectId: number): BatchRow[] {
    return this.db.all('SELECT * FROM batches WHERE project_id = ? ORDER BY id', projectId).map((r) => camel<BatchRow>(r)!);
  }

  setBatchStatus(id: number, status: BatchStatus, times: BatchTimes = {}): void {
    this.db.tx(() => {
      this.db.run('UPDATE batches SET status = ? WHERE id = ?', status, id);
      for (const [key, value] of Object.entries(times) as [keyof BatchTimes, string | number | undefined][]) {
        this.db.run(`UPDATE batches SET ${timeColumns[key]} = ? WHERE id = ?`, n(value), id);
      }
    });
  }

  /** Removes a batch and everything recorded for its items (the caller checked it is final). */
  deleteBatch(id: number): void {
    this.db.run('DELETE FROM batches WHERE id = ?', id);
  }
}
