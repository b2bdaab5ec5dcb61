// Errors recorded during passes, with catalog codes; subjects only when the plan asks for them.
import { n, type SqlStore } from './sqlStore';
import { camel, nowIso, type ErrorRow } from './rows';

export type NewError = Omit<ErrorRow, 'id' | 'createdAt' | 'resolvedAt'>;

export class ErrorsRepo {
  constructor(private readonly db: SqlStore) {}

  addError(e: NewError): number {
    const row = this.db.get(
      'INSERT INTO errors (item_id, pass_id, source_folder_id, folder_path, source_item_id, item_ref, change_id, code, message, subject, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id',
      e.itemId, n(e.passId), n(e.sourceFolderId), n(e.folderPath), n(e.sourceItemId), n(e.itemRef), n(e.changeId), e.code, e.message, n(e.subject), nowIso(),
    );
    return Number(row!.id);
  }

  /** Unresolved errors of an item (item-level ones carry a source item id). */
  unresolved(itemId: number): ErrorRow[] {
    return this.db.all('SELECT * FROM errors WHERE item_id = ? AND resolved_at IS NULL ORDER BY id', itemId).map((r) => camel<ErrorRow>(r)!);
  }

  /** Open errors of single source items and of delta changes (what a retry pass reads again or makes again). */
  retryableCount(itemId: number): number {
    return Number(this.db.get('SELECT COUNT(*) AS c FROM errors WHERE item_id = ? AND resolved_at IS NULL AND source_item_id IS NOT NULL AND (item_ref IS NOT NULL OR change_id IS NOT NULL)', itemId)?.c ?? 0);
  }

  unresolvedCount(itemId: number): number {
    return Number(this.db.get('SELECT COUNT(*) AS c FROM errors WHERE item_id = ? AND resolved_at IS NULL', itemId)?.c ?? 0);
  }

  /** Mailbox-level errors (no source item) are resolved when a later pass of the item succeeds. */
  resolveMailboxErrors(itemId: number): void {
    this.db.run('UPDATE errors SET resolved_at = ? WHERE item_id = ? AND source_item_id IS NULL AND resolved_at IS NULL', nowIso(), itemId);
  }

  resolve(id: number): void {
    this.db.run('UPDATE errors SET resolved_at = ? WHERE id = ?', nowIso(), id);
  }

  /** Every error of a project's items, newest first (reports). */
  forItems(itemIds: readonly number[], includeResolved = false): ErrorRow[] {
    if (!itemIds.length) return [];
    const marks = itemIds.map(() => '?').join(', ');
    const resolved = includeResolved ? '' : ' AND resolved_at IS NULL';
    return this.db.all(`SELECT * FROM errors WHERE item_id IN (${marks})${resolved} ORDER BY id`, ...itemIds).map((r) => camel<ErrorRow>(r)!);
  }
}
