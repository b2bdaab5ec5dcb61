// Mailbox items of a batch: status, matching and sync state, sizing, approval, last error.
import type { ItemStatus, MatchState, PassKind, SyncState } from '../engine/statuses';
import { n, type SqlValue, type SqlStore } from './sqlStore';
import { camel, type ItemRow } from './rows';

export interface ItemPatch {
  status?: ItemStatus;
  matchState?: MatchState;
  syncState?: SyncState;
  finalized?: boolean;
  sizeItems?: number;
  sizeBytes?: number;
  /** null clears the last error. */
  lastErrorCode?: string | null;
  lastErrorMessage?: string | null;
  lastPassId?: number;
  lastPassKind?: PassKind;
  startedAt?: string;
  endedAt?: string | null;
  approvedAt?: string;
  approvedBy?: string;
  /** null clears it (a delta that carries changes). */
  deltaLimitCode?: string | null;
  deltaLimitMessage?: string | null;
}

const columns: Record<keyof ItemPatch, string> = {
  status: 'status',
  matchState: 'match_state',
  syncState: 'sync_state',
  finalized: 'finalized',
  sizeItems: 'size_items',
  sizeBytes: 'size_bytes',
  lastErrorCode: 'last_error_code',
  lastErrorMessage: 'last_error_message',
  lastPassId: 'last_pass_id',
  lastPassKind: 'last_pass_kind',
  startedAt: 'started_at',
  endedAt: 'ended_at',
  approvedAt: 'approved_at',
  approvedBy: 'approved_by',
  deltaLimitCode: 'delta_limit_code',
  deltaLimitMessage: 'delta_limit_message',
};

function toItem(row: Record<string, unknown> | undefined): ItemRow | undefined {
  const item = camel<Omit<ItemRow, 'finalized'> & { finalized: unknown }>(row);
  return item && { ...item, finalized: item.finalized === 1 || item.finalized === true };
}

export class ItemsRepo {
  constructor(private readonly db: SqlStore) {}

  /** The item for a source mailbox in a batch; a changed destination in the plan is taken over. */
  ensureItem(batchId: number, source: string, destination: string): ItemRow {
    const existing = this.findItem(batchId, source);
    if (existing) {
      if (existing.destination !== destination) this.db.run('UPDATE items SET destination = ? WHERE id = ?', destination, existing.id);
      return { ...existing, destination };
    }
    this.db.run('INSERT INTO items (batch_id, source, destination) VALUES (?, ?, ?) ON CONFLICT (batch_id, source) DO NOTHING', batchId, source, destination);
    return this.findItem(batchId, source)!;
  }

  findItem(batchId: number, source: string): ItemRow | undefined {
    return toItem(this.db.get('SELECT * FROM items WHERE batch_id = ? AND source = ?', batchId, source));
  }

  itemById(id: number): ItemRow | undefined {
    return toItem(this.db.get('SELECT * FROM items WHERE id = ?', id));
  }

  listItems(batchId: number): ItemRow[] {
    return this.db.all('SELECT * FROM items WHERE batch_id = ? ORDER BY id', batchId).map((r) => toItem(r)!);
  }

  /** Items of a project in a given status (e.g. InProgress left by a dead runner). */
  itemsInStatus(projectId: number | undefined, statuses: readonly ItemStatus[]): ItemRow[] {
    const marks = statuses.map(() => '?').join(', ');
    const sql = projectId === undefined
      ? `SELECT * FROM items WHERE status IN (${marks})`
      : `SELECT items.* FROM items JOIN batches ON batches.id = items.batch_id WHERE batches.project_id = ? AND items.status IN (${marks})`;
    const params: SqlValue[] = projectId === undefined ? [...statuses] : [projectId, ...statuses];
    return this.db.all(sql, ...params).map((r) => toItem(r)!);
  }

  updateItem(id: number, patch: ItemPatch): void {
    const entries = Object.entries(patch).filter(([, v]) => v !== undefined) as [keyof ItemPatch, string | number | boolean | null][];
    if (!entries.length) return;
    const sets = entries.map(([k]) => `${columns[k]} = ?`).join(', ');
    const values = entries.map(([, v]) => (typeof v === 'boolean' ? (v ? 1 : 0) : n(v)));
    this.db.run(`UPDATE items SET ${sets} WHERE id = ?`, ...values, id);
  }
}
