// What makes passes resumable and idempotent: folder cursors, per-item watermarks, the intents
// written before each destination write (skipped items are in skipsRepo.ts).
import { n, type SqlStore } from './sqlStore';
import { IN_ID_CHUNK, idPrefixCondition, rowsAmong } from './idLookup';
import { MailboxFences } from './mailboxFence';
import { nowIso, type FolderStatRow, type IntentProbe, type IntentRow } from './rows';

const COPIED_AMONG = `SELECT source_item_id FROM watermarks WHERE item_id = ? AND source_folder_id = ? AND source_item_id ${IN_ID_CHUNK}`;

export interface FolderRecord {
  sourceFolderId: string;
  sourcePath: string;
  cursor?: Record<string, unknown>;
  destinationFolderId?: string;
  destinationPath?: string;
  /** What the source's listing saw in the folder (kept from the last listing that could tell). */
  sourceItems?: number;
  sourceBytes?: number;
}

export interface CopyRecord {
  itemId: number;
  sourceFolderId: string;
  sourceItemId: string;
  destinationFolderId: string;
  destinationItemId: string;
  fingerprint: string;
  sizeBytes: number;
  passId?: number;
  /** The flags written with the item (what a delta compares the destination's with). */
  flags?: readonly string[];
  /** The destination's change stamp of the item as written, where it tells one (WrittenItem.version). */
  destinationVersion?: string;
  /**
   * The key the source keeps across a move of the item (ItemRef.moveKey), where it gives one; ''
   * where a delta asked the source for the key of an item copied before store v12 and it had none.
   */
  moveKey?: string;
}

function folderRecord(row: Record<string, unknown>): FolderRecord {
  return {
    sourceFolderId: row.source_folder_id as string,
    sourcePath: row.source_path as string,
    cursor: row.cursor ? (JSON.parse(row.cursor as string) as Record<string, unknown>) : undefined,
    destinationFolderId: (row.destination_folder_id as string | null) ?? undefined,
    destinationPath: (row.destination_path as string | null) ?? undefined,
  };
}

export class ProgressRepo {
  /** Distributed workers' ownership of mailboxes: checked with every intent (mailboxFence.ts). */
  readonly fences: MailboxFences;

  constructor(private readonly db: SqlStore) {
    this.fences = new MailboxFences(db);
  }

  folder(itemId: number, sourceFolderId: string): FolderRecord | undefined {
    const row = this.db.get('SELECT * FROM folder_cursors WHERE item_id = ? AND source_folder_id = ?', itemId, sourceFolderId);
    return row && folderRecord(row);
  }

  /** Every folder recorded for a mailbox, in one query (no counts: see folderStats). */
  folders(itemId: number): FolderRecord[] {
    return this.db.all('SELECT * FROM folder_cursors WHERE item_id = ?', itemId).map(folderRecord);
  }

  /** Records a folder's mapping; the cursor only when given (a trial pass never moves it). */
  saveFolder(itemId: number, f: FolderRecord): void {
    this.db.run(
      `INSERT INTO folder_cursors (item_id, source_folder_id, source_path, cursor, destination_folder_id, destination_path, source_items, source_bytes, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (item_id, source_folder_id) DO UPDATE SET source_path = excluded.source_path,
         source_items = COALESCE(excluded.source_items, folder_cursors.source_items),
         source_bytes = COALESCE(excluded.source_bytes, folder_cursors.source_bytes),
         cursor = COALESCE(excluded.cursor, folder_cursors.cursor),
         destination_folder_id = COALESCE(excluded.destination_folder_id, folder_cursors.destination_folder_id),
         destination_path = COALESCE(excluded.destination_path, folder_cursors.destination_path), updated_at = excluded.updated_at`,
      itemId, f.sourceFolderId, f.sourcePath, f.cursor ? JSON.stringify(f.cursor) : null, n(f.destinationFolderId), n(f.destinationPath), n(f.sourceItems), n(f.sourceBytes), nowIso(),
    );
  }

  /**
   * Which of `sourceItemIds` (a listing's window) have a watermark in the folder (idLookup.ts).
   */
  copiedAmong(itemId: number, sourceFolderId: string, sourceItemIds: readonly string[]): Set<string> {
    return new Set(rowsAmong(this.db, COPIED_AMONG, [itemId, sourceFolderId], sourceItemIds).map((r) => r.source_item_id as string));
  }

  /**
   * How many items of a source folder have a watermark, and their bytes; `currentPrefix`: only those
   * under the ids the folder uses now (ItemListing.idPrefix: copies of a numbering it left are found
   * again by content, so a pass goes through their items again).
   */
  copiedInFolder(itemId: number, sourceFolderId: string, currentPrefix?: string): { items: number; bytes: number } {
    const sql = 'SELECT COUNT(*) AS c, COALESCE(SUM(size_bytes), 0) AS b FROM watermarks WHERE item_id = ? AND source_folder_id = ?';
    const under = currentPrefix === undefined ? undefined : idPrefixCondition(currentPrefix, true);
    const r = under === undefined ? this.db.get(sql, itemId, sourceFolderId) : this.db.get(`${sql} AND ${under.sql}`, itemId, sourceFolderId, ...under.params);
    return { items: Number(r?.c ?? 0), bytes: Number(r?.b ?? 0) };
  }

  /**
   * Destination item ids of a destination folder that already stand for a source item: those of its
   * watermarks and those interrupted writes recorded on their intents (a destination item satisfies
   * one source item only).
   */
  claimedIds(itemId: number, destinationFolderId: string): Set<string> {
    const rows = this.db.all(
      `SELECT destination_item_id AS id FROM watermarks WHERE item_id = ? AND destination_folder_id = ?
       UNION SELECT destination_item_id AS id FROM intents WHERE item_id = ? AND destination_folder_id = ? AND destination_item_id IS NOT NULL`,
      itemId, destinationFolderId, itemId, destinationFolderId,
    );
    return new Set(rows.map((r) => r.id as string));
  }

  /**
   * The copies a source folder's watermarks name in a destination folder: destination item id ->
   * source item id. For a folder renumbered at the source (every source id of it changed), or only
   * the source ids that do not start with `exceptPrefix` (the ids of the folder's numbering now).
   */
  copiesInto(itemId: number, sourceFolderId: string, destinationFolderId: string, exceptPrefix?: string): Map<string, string> {
    const sql = 'SELECT destination_item_id AS d, source_item_id AS s FROM watermarks WHERE item_id = ? AND source_folder_id = ? AND destination_folder_id = ?';
    const other = exceptPrefix === undefined ? undefined : idPrefixCondition(exceptPrefix, false);
    const rows = other === undefined ? this.db.all(sql, itemId, sourceFolderId, destinationFolderId) : this.db.all(`${sql} AND ${other.sql}`, itemId, sourceFolderId, destinationFolderId, ...other.params);
    return new Map(rows.map((r) => [r.d as string, r.s as string]));
  }

  /** Drops one watermark (an id the source renumbered, replaced by the new id's watermark in the same transaction). */
  dropCopy(itemId: number, sourceFolderId: string, sourceItemId: string): void {
    this.db.run('DELETE FROM watermarks WHERE item_id = ? AND source_folder_id = ? AND source_item_id = ?', itemId, sourceFolderId, sourceItemId);
  }

  watermarkCount(itemId: number): number {
    return Number(this.db.get('SELECT COUNT(*) AS c FROM watermarks WHERE item_id = ?', itemId)?.c ?? 0);
  }

  /** Written (and committed) before the destination write. */
  addIntent(itemId: number, sourceFolderId: string, sourceItemId: string, destinationFolderId: string, probe: IntentProbe, passId?: number, now = nowIso()): void {
    this.db.tx(() => {
      this.fences.check(itemId);
      this.insertIntent(itemId, sourceFolderId, sourceItemId, destinationFolderId, probe, passId, now);
    });
  }

  /** One intent, in the caller's transaction (after its fence check: a later owner refuses it). */
  private insertIntent(itemId: number, sourceFolderId: string, sourceItemId: string, destinationFolderId: string, probe: IntentProbe, passId: number | undefined, now: string): void {
    this.db.run(
      `INSERT INTO intents (item_id, source_folder_id, source_item_id, destination_folder_id, probe, pass_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (item_id, source_folder_id, source_item_id) DO UPDATE SET destination_folder_id = excluded.destination_folder_id, probe = excluded.probe,
         pass_id = excluded.pass_id, created_at = excluded.created_at, destination_item_id = NULL`,
      itemId, sourceFolderId, sourceItemId, destinationFolderId, JSON.stringify(probe), n(passId), now,
    );
  }

  /** The intents of a whole batch in one transaction, committed before the batch is written. */
  addIntents(itemId: number, sourceFolderId: string, destinationFolderId: string, intents: readonly { sourceItemId: string; probe: IntentProbe }[], passId?: number): void {
    const now = nowIso();
    this.db.tx(() => {
      this.fences.check(itemId);
      for (const i of intents) this.insertIntent(itemId, sourceFolderId, i.sourceItemId, destinationFolderId, i.probe, passId, now);
    });
  }

  intents(itemId: number, sourceFolderId?: string): IntentRow[] {
    const rows = sourceFolderId === undefined
      ? this.db.all('SELECT * FROM intents WHERE item_id = ?', itemId)
      : this.db.all('SELECT * FROM intents WHERE item_id = ? AND source_folder_id = ?', itemId, sourceFolderId);
    return rows.map((r) => ({
      sourceFolderId: r.source_folder_id as string,
      sourceItemId: r.source_item_id as string,
      destinationFolderId: r.destination_folder_id as string,
      probe: JSON.parse(r.probe as string) as IntentProbe,
      ...(r.destination_item_id ? { destinationItemId: r.destination_item_id as string } : {}),
    }));
  }

  /**
   * Records on an intent the id of the item the destination created for it, before the write is
   * finished (committed at once: a kill right after leaves it for the next pass's findWritten).
   */
  noteCreated(itemId: number, sourceFolderId: string, sourceItemId: string, destinationItemId: string): void {
    this.db.run('UPDATE intents SET destination_item_id = ? WHERE item_id = ? AND source_folder_id = ? AND source_item_id = ?', destinationItemId, itemId, sourceFolderId, sourceItemId);
  }

  clearIntent(itemId: number, sourceFolderId: string, sourceItemId: string): void {
    this.db.run('DELETE FROM intents WHERE item_id = ? AND source_folder_id = ? AND source_item_id = ?', itemId, sourceFolderId, sourceItemId);
  }

  /**
   * In one transaction: the watermark, the intent cleared, earlier errors and skips of the same
   * source item resolved. Either all of it is on disk or none (then the intent remains).
   */
  recordCopy(c: CopyRecord, now = nowIso()): void {
    this.recordCopies([c], now);
  }

  /**
   * recordCopy for a whole batch in one transaction: every watermark is on disk, or none is. Earlier
   * errors and skips are looked for once per folder of the batch, and resolved item by item only
   * in a folder that has any (most batches: two questions instead of two statements per item).
   */
  recordCopies(copies: readonly CopyRecord[], now = nowIso()): void {
    this.db.tx(() => {
      const open = new Map<string, boolean>();
      for (const c of copies) {
        this.db.run(
          `INSERT INTO watermarks (item_id, source_folder_id, source_item_id, destination_folder_id, destination_item_id, fingerprint, size_bytes, pass_id, created_at, flags, destination_version, move_key)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
          c.itemId, c.sourceFolderId, c.sourceItemId, c.destinationFolderId, c.destinationItemId, c.fingerprint, c.sizeBytes, n(c.passId), now, c.flags ? JSON.stringify(c.flags) : null, n(c.destinationVersion), n(c.moveKey),
        );
        this.clearIntent(c.itemId, c.sourceFolderId, c.sourceItemId);
        const folder = `${c.itemId}\0${c.sourceFolderId}`;
        let unsettled = open.get(folder);
        if (unsettled === undefined) open.set(folder, (unsettled = this.hasErrorsOrSkips(c.itemId, c.sourceFolderId)));
        if (!unsettled) continue;
        this.db.run('UPDATE errors SET resolved_at = ? WHERE item_id = ? AND source_folder_id = ? AND source_item_id = ? AND resolved_at IS NULL', now, c.itemId, c.sourceFolderId, c.sourceItemId);
        this.db.run('DELETE FROM skips WHERE item_id = ? AND source_folder_id = ? AND source_item_id = ?', c.itemId, c.sourceFolderId, c.sourceItemId);
      }
    });
  }

  /** Whether a folder of a mailbox has an unresolved error or a skip of one of its items. */
  private hasErrorsOrSkips(itemId: number, sourceFolderId: string): boolean {
    return (
      this.db.get('SELECT 1 AS found FROM errors WHERE item_id = ? AND resolved_at IS NULL AND source_folder_id = ? LIMIT 1', itemId, sourceFolderId) !== undefined ||
      this.db.get('SELECT 1 AS found FROM skips WHERE item_id = ? AND source_folder_id = ? LIMIT 1', itemId, sourceFolderId) !== undefined
    );
  }

  /** Items and bytes copied per folder (from the watermarks, so always consistent with them). */
  folderStats(itemId: number): FolderStatRow[] {
    return this.db.all(
      `SELECT f.source_folder_id, f.source_path, f.destination_path, f.source_items, f.source_bytes,
         (SELECT COUNT(*) FROM watermarks w WHERE w.item_id = f.item_id AND w.source_folder_id = f.source_folder_id) AS items,
         (SELECT COALESCE(SUM(size_bytes), 0) FROM watermarks w WHERE w.item_id = f.item_id AND w.source_folder_id = f.source_folder_id) AS bytes,
         (SELECT COUNT(*) FROM skips s WHERE s.item_id = f.item_id AND s.source_folder_id = f.source_folder_id) AS skipped
       FROM folder_cursors f WHERE f.item_id = ? ORDER BY f.source_path`,
      itemId,
    ).map((r) => ({
      sourceFolderId: r.source_folder_id as string,
      sourcePath: r.source_path as string,
      destinationPath: (r.destination_path as string | null) ?? undefined,
      items: Number(r.items),
      bytes: Number(r.bytes),
      skipped: Number(r.skipped),
      // Only when a listing recorded them (a folder listed before store v10 has none).
      ...(r.source_items === null || r.source_items === undefined ? {} : { sourceItems: Number(r.source_items) }),
      ...(r.source_bytes === null || r.source_bytes === undefined ? {} : { sourceBytes: Number(r.source_bytes) }),
    }));
  }

  totals(itemId: number): { items: number; bytes: number } {
    const r = this.db.get('SELECT COUNT(*) AS c, COALESCE(SUM(size_bytes), 0) AS b FROM watermarks WHERE item_id = ?', itemId);
    return { items: Number(r?.c ?? 0), bytes: Number(r?.b ?? 0) };
  }
}
