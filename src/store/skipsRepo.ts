// What a pass did not copy, and why: items skipped with their catalog code (and the folder, date,
// size and, where the plan allows, subject), and folders the plan's folder rules leave out.
import { n, type SqlStore } from './sqlStore';

export interface SkipRecord {
  itemId: number;
  sourceFolderId: string;
  sourceItemId: string;
  folderPath: string;
  code: string;
  sizeBytes: number;
  date?: Date;
  subject?: string;
  passId?: number;
}

export interface SkippedItemRow {
  folderPath: string;
  code: string;
  sizeBytes: number;
  date?: string;
  subject?: string;
}

export interface ExcludedFolderRow {
  folderPath: string;
  code: string;
  /** The rule that leaves the folder out, as the plan writes it. */
  rule: string;
  /** Items in it when the server counts them cheaply. */
  itemCount?: number;
}

export class SkipsRepo {
  constructor(private readonly db: SqlStore) {}

  record(s: SkipRecord): void {
    this.db.run(
      `INSERT INTO skips (item_id, source_folder_id, source_item_id, code, size_bytes, pass_id, folder_path, item_date, subject) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (item_id, source_folder_id, source_item_id) DO UPDATE SET code = excluded.code, pass_id = excluded.pass_id, size_bytes = excluded.size_bytes,
         folder_path = excluded.folder_path, item_date = excluded.item_date, subject = excluded.subject`,
      s.itemId, s.sourceFolderId, s.sourceItemId, s.code, s.sizeBytes, n(s.passId), s.folderPath, n(s.date?.toISOString()), n(s.subject),
    );
  }

  /** Skipped items of a mailbox by reason code. */
  byCode(itemId: number): Record<string, number> {
    const out: Record<string, number> = {};
    for (const r of this.db.all('SELECT code, COUNT(*) AS c FROM skips WHERE item_id = ? GROUP BY code ORDER BY code', itemId)) out[r.code as string] = Number(r.c);
    return out;
  }

  /** Skipped items of a mailbox, by folder then date; at most `limit` when given. */
  items(itemId: number, limit?: number): SkippedItemRow[] {
    const rows = this.db.all(
      `SELECT folder_path, code, size_bytes, item_date, subject FROM skips WHERE item_id = ?
       ORDER BY folder_path, item_date, source_item_id${limit === undefined ? '' : ' LIMIT ?'}`,
      ...(limit === undefined ? [itemId] : [itemId, limit]),
    );
    return rows.map((r) => ({
      folderPath: (r.folder_path as string | null) ?? '',
      code: r.code as string,
      sizeBytes: Number(r.size_bytes),
      ...(r.item_date ? { date: r.item_date as string } : {}),
      ...(r.subject ? { subject: r.subject as string } : {}),
    }));
  }

  /** The folders the rules leave out this pass replace those an earlier pass recorded. */
  replaceExcludedFolders(itemId: number, folders: readonly (ExcludedFolderRow & { sourceFolderId: string })[], passId?: number): void {
    this.db.tx(() => {
      this.db.run('DELETE FROM excluded_folders WHERE item_id = ?', itemId);
      for (const f of folders) {
        this.db.run(
          'INSERT INTO excluded_folders (item_id, source_folder_id, folder_path, code, rule, item_count, pass_id) VALUES (?, ?, ?, ?, ?, ?, ?)',
          itemId, f.sourceFolderId, f.folderPath, f.code, f.rule, n(f.itemCount), n(passId),
        );
      }
    });
  }

  excludedFolders(itemId: number): ExcludedFolderRow[] {
    return this.db.all('SELECT folder_path, code, rule, item_count FROM excluded_folders WHERE item_id = ? ORDER BY folder_path', itemId).map((r) => ({
      folderPath: r.folder_path as string,
      code: r.code as string,
      rule: r.rule as string,
      ...(r.item_count === null || r.item_count === undefined ? {} : { itemCount: Number(r.item_count) }),
    }));
  }
}
