// Passes: one row per run of a pass, with the runner process that owns it.
import type { PassKind } from '../engine/statuses';
import { n, type SqlStore } from './sqlStore';
import { camel, nowIso, type PassRow, type PassStatus } from './rows';

export class PassesRepo {
  constructor(private readonly db: SqlStore) {}

  startPass(p: { projectId: number; kind: PassKind; scopeBatch?: string; scopeItem?: string; runnerPid: number }): number {
    const row = this.db.get(
      'INSERT INTO passes (project_id, kind, scope_batch, scope_item, status, started_at, runner_pid) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id',
      p.projectId, p.kind, n(p.scopeBatch), n(p.scopeItem), 'running', nowIso(), p.runnerPid,
    );
    return Number(row!.id);
  }

  endPass(id: number, status: Exclude<PassStatus, 'running'>, errorCode?: string): void {
    this.db.run('UPDATE passes SET status = ?, ended_at = ?, error_code = ? WHERE id = ?', status, nowIso(), n(errorCode), id);
  }

  /** Asks the workers running a pass's mailboxes to stop them (distributed mode); true when it was running. */
  requestStop(id: number): boolean {
    return Number(this.db.run("UPDATE passes SET stop_requested_at = ? WHERE id = ? AND status = 'running' AND stop_requested_at IS NULL", nowIso(), id).changes) > 0;
  }

  passById(id: number): PassRow | undefined {
    return camel<PassRow>(this.db.get('SELECT * FROM passes WHERE id = ?', id));
  }

  /** Passes still marked running (by this or a dead runner). */
  runningPasses(): PassRow[] {
    return this.db.all("SELECT * FROM passes WHERE status = 'running' ORDER BY id").map((r) => camel<PassRow>(r)!);
  }

  lastPasses(projectId: number, limit = 10): PassRow[] {
    return this.db.all('SELECT * FROM passes WHERE project_id = ? ORDER BY id DESC LIMIT ?', projectId, limit).map((r) => camel<PassRow>(r)!);
  }

  /** What each pass did to one mailbox: items copied, errors, items skipped and delta changes, by pass id. */
  countsForItem(itemId: number): Map<number, { copied: number; errors: number; skipped: number; changes: number }> {
    const out = new Map<number, { copied: number; errors: number; skipped: number; changes: number }>();
    const add = (sql: string, key: 'copied' | 'errors' | 'skipped' | 'changes') => {
      for (const r of this.db.all(sql, itemId)) {
        if (r.pass_id === null || r.pass_id === undefined) continue;
        const id = Number(r.pass_id);
        const c = out.get(id) ?? { copied: 0, errors: 0, skipped: 0, changes: 0 };
        c[key] = Number(r.c);
        out.set(id, c);
      }
    };
    add('SELECT pass_id, COUNT(*) AS c FROM watermarks WHERE item_id = ? GROUP BY pass_id', 'copied');
    add('SELECT pass_id, COUNT(*) AS c FROM errors WHERE item_id = ? GROUP BY pass_id', 'errors');
    add('SELECT pass_id, COUNT(*) AS c FROM skips WHERE item_id = ? GROUP BY pass_id', 'skipped');
    add("SELECT pass_id, COUNT(*) AS c FROM delta_changes WHERE item_id = ? AND state = 'done' GROUP BY pass_id", 'changes');
    return out;
  }

  /** A project's passes whose scope holds a mailbox (the whole project, its batch, or the mailbox itself), newest first. */
  passesOver(projectId: number, batch: string, source: string, limit = 50): PassRow[] {
    return this.db
      .all('SELECT * FROM passes WHERE project_id = ? AND (scope_batch IS NULL OR scope_batch = ?) AND (scope_item IS NULL OR LOWER(scope_item) = LOWER(?)) ORDER BY id DESC LIMIT ?', projectId, batch, source, limit)
      .map((r) => camel<PassRow>(r)!);
  }
}
