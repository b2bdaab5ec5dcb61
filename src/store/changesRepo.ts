// What a delta pass carries for items already copied (issue 13): the recorded state of each copied
// item (its watermark, the flags Ferry last wrote) and the journal of changes by kind. A change is
// journalled 'pending' before the destination is touched and 'done' in the same transaction that
// records its effect, so a kill in between leaves a pending row the next delta finishes.
import { n, type SqlStore } from './sqlStore';
import type { CopyRecord } from './progressRepo';
import { IN_ID_CHUNK, idPrefixCondition, rowsAmong } from './idLookup';
import { nowIso } from './rows';

/** The kinds of change a delta reports (`ferry report` lists each). */
export const changeKinds = ['flags', 'moved', 'deleted', 'kept-deleted', 'conflict-left', 'updated'] as const;
export type ChangeKind = (typeof changeKinds)[number];

/**
 * The changes of a mailbox's last delta pass, by kind (issue 13): what the views show beside the
 * mailbox (`ItemStatistics.lastDelta`, in the snapshot's `status.batches[].items[]`).
 */
export interface DeltaChangeCounts {
  /** The delta pass (passes.id) the counts are of. */
  passId: number;
  /** Changes that pass carried or left, by kind; every kind present, zero when none. */
  byKind: Record<ChangeKind, number>;
  /** Changes of that pass the destination refused and that are still open (Retry errors redoes them). */
  failed: number;
}

/** A copied item as the store knows it (its watermark). `flags`: what Ferry last wrote (undefined in stores from before schema 4). */
export type CopiedItem = Omit<CopyRecord, 'itemId' | 'passId' | 'flags'> & { flags?: string[] };

export interface ChangeRow {
  id: number;
  passId?: number;
  kind: ChangeKind;
  /** pending: begun, the destination maybe touched; failed: the destination refused it (an open error names it). */
  state: 'pending' | 'done' | 'failed';
  sourceFolderId: string;
  sourceItemId: string;
  folderPath: string;
  toSourceFolderId?: string;
  toSourceItemId?: string;
  toPath?: string;
  flags?: string[];
  detail?: string;
  /** What the item is (the plan's item type: mail, contacts, calendar, tasks; absent in stores from before schema 8: mail). */
  itemType?: string;
  /** An update's new version at the destination, noted once written and before the old one is deleted. */
  destinationItemId?: string;
  createdAt: string;
}

export type NewChange = Omit<ChangeRow, 'id' | 'state' | 'createdAt' | 'destinationItemId'>;

/** A copied item's new version at the destination (a replace: written, then the old one deleted). */
export interface Replaced {
  destinationItemId: string;
  fingerprint: string;
  sizeBytes: number;
  destinationVersion?: string;
}

/** Where a moved item now is, at the source and at the destination. */
export interface MovedTo {
  sourceFolderId: string;
  sourceItemId: string;
  destinationFolderId: string;
  destinationItemId: string;
  /** The change stamp of the item written anew when the destination could not move it (a replace). */
  destinationVersion?: string;
  /** The content the item was written anew with (a replace of an item whose content changed too). */
  content?: { fingerprint: string; sizeBytes: number };
  /** The item's move key where it is now (ItemRef.moveKey). */
  moveKey?: string;
}

const flagsJson = (flags: readonly string[] | undefined) => (flags ? JSON.stringify([...flags]) : null);
const parseFlags = (v: unknown) => (typeof v === 'string' ? (JSON.parse(v) as string[]) : undefined);

function toChange(r: Record<string, unknown>): ChangeRow {
  return {
    id: Number(r.id),
    ...(r.pass_id !== null ? { passId: Number(r.pass_id) } : {}),
    kind: r.kind as ChangeKind,
    state: r.state as ChangeRow['state'],
    sourceFolderId: r.source_folder_id as string,
    sourceItemId: r.source_item_id as string,
    folderPath: r.folder_path as string,
    ...(r.to_source_folder_id !== null ? { toSourceFolderId: r.to_source_folder_id as string } : {}),
    ...(r.to_source_item_id !== null ? { toSourceItemId: r.to_source_item_id as string } : {}),
    ...(r.to_path !== null ? { toPath: r.to_path as string } : {}),
    ...(r.flags !== null ? { flags: parseFlags(r.flags) } : {}),
    ...(r.detail !== null ? { detail: r.detail as string } : {}),
    ...(typeof r.item_type === 'string' ? { itemType: r.item_type } : {}),
    ...(typeof r.destination_item_id === 'string' ? { destinationItemId: r.destination_item_id } : {}),
    createdAt: r.created_at as string,
  };
}

function toCopied(r: Record<string, unknown>): CopiedItem {
  return {
    sourceFolderId: r.source_folder_id as string,
    sourceItemId: r.source_item_id as string,
    destinationFolderId: r.destination_folder_id as string,
    destinationItemId: r.destination_item_id as string,
    fingerprint: r.fingerprint as string,
    sizeBytes: Number(r.size_bytes),
    ...(r.flags !== null ? { flags: parseFlags(r.flags) } : {}),
    ...(typeof r.destination_version === 'string' ? { destinationVersion: r.destination_version } : {}),
    ...(typeof r.move_key === 'string' ? { moveKey: r.move_key } : {}),
  };
}

/** What makes a source id known to the store (knownAmong): a watermark, a skip, an open item error. */
const KNOWN_AMONG = [
  `SELECT source_item_id FROM watermarks WHERE item_id = ? AND source_folder_id = ? AND source_item_id ${IN_ID_CHUNK}`,
  `SELECT source_item_id FROM skips WHERE item_id = ? AND source_folder_id = ? AND source_item_id ${IN_ID_CHUNK}`,
  `SELECT source_item_id FROM errors WHERE item_id = ? AND source_folder_id = ? AND change_id IS NULL AND resolved_at IS NULL AND source_item_id ${IN_ID_CHUNK}`,
];

export class ChangesRepo {
  constructor(private readonly db: SqlStore) {}

  /** The copied item of one source item, while its source is counted as there. */
  copiedItem(itemId: number, sourceFolderId: string, sourceItemId: string): CopiedItem | undefined {
    const r = this.db.get('SELECT * FROM watermarks WHERE item_id = ? AND source_folder_id = ? AND source_item_id = ? AND source_removed_at IS NULL', itemId, sourceFolderId, sourceItemId);
    return r && toCopied(r);
  }

  /** The copied items of a source folder whose source item is still counted as there. */
  copiedItems(itemId: number, sourceFolderId: string): CopiedItem[] {
    return this.db.all(
      'SELECT * FROM watermarks WHERE item_id = ? AND source_folder_id = ? AND source_removed_at IS NULL',
      itemId, sourceFolderId,
    ).map(toCopied);
  }

  /** The copied items among `sourceItemIds` (the items a source reports), by index (idLookup.ts); their source counted as there. */
  copiedAmong(itemId: number, sourceFolderId: string, sourceItemIds: readonly string[]): Map<string, CopiedItem> {
    const rows = rowsAmong(this.db, `SELECT * FROM watermarks WHERE item_id = ? AND source_folder_id = ? AND source_removed_at IS NULL AND source_item_id ${IN_ID_CHUNK}`, [itemId, sourceFolderId], sourceItemIds);
    return new Map(rows.map((r) => [r.source_item_id as string, toCopied(r)]));
  }

  /**
   * The source ids of a folder's copied items (their source counted as there) after `after`, in id
   * order, `limit` of them: the folder's watermarks a page at a time.
   */
  copiedIdsAfter(itemId: number, sourceFolderId: string, after: string, limit: number): string[] {
    return this.db
      .all('SELECT source_item_id FROM watermarks WHERE item_id = ? AND source_folder_id = ? AND source_removed_at IS NULL AND source_item_id > ? ORDER BY source_item_id LIMIT ?', itemId, sourceFolderId, after, limit)
      .map((r) => r.source_item_id as string);
  }

  /**
   * Copied items of a source folder (their source counted as there) whose ids are not of the
   * numbering the folder uses now (`currentPrefix`, ItemListing.idPrefix: a renumbered IMAP folder's
   * copies under its old UIDVALIDITY), of the sizes given (by index of the folder, filtered row by row).
   */
  staleCopiesOfSizes(itemId: number, sourceFolderId: string, currentPrefix: string, sizes: readonly number[]): CopiedItem[] {
    const old = idPrefixCondition(currentPrefix, false);
    const sql = `SELECT * FROM watermarks WHERE item_id = ? AND source_folder_id = ? AND source_removed_at IS NULL AND ${old.sql} AND size_bytes ${IN_ID_CHUNK}`;
    return rowsAmong(this.db, sql, [itemId, sourceFolderId, ...old.params], sizes).map(toCopied);
  }

  /** Those copies (all sizes) after source id `after`, in id order, `limit` of them: a page at a time. */
  staleCopiesAfter(itemId: number, sourceFolderId: string, currentPrefix: string, after: string, limit: number): CopiedItem[] {
    const old = idPrefixCondition(currentPrefix, false);
    return this.db
      .all(`SELECT * FROM watermarks WHERE item_id = ? AND source_folder_id = ? AND source_removed_at IS NULL AND ${old.sql} AND source_item_id > ? ORDER BY source_item_id LIMIT ?`, itemId, sourceFolderId, ...old.params, after, limit)
      .map(toCopied);
  }

  /** Which of `sourceItemIds` the store knows in the folder: copied (also those kept after their source left), skipped, failed. */
  knownAmong(itemId: number, sourceFolderId: string, sourceItemIds: readonly string[]): Set<string> {
    const leading = [itemId, sourceFolderId];
    const known = new Set<string>();
    for (const sql of KNOWN_AMONG) for (const r of rowsAmong(this.db, sql, leading, sourceItemIds)) known.add(r.source_item_id as string);
    return known;
  }

  /** Journals a change before the destination is touched; returns its id. */
  begin(itemId: number, c: NewChange): number {
    return Number(this.db.get(
      `INSERT INTO delta_changes (item_id, pass_id, kind, state, source_folder_id, source_item_id, folder_path, to_source_folder_id, to_source_item_id, to_path, flags, detail, item_type, created_at)
       VALUES (?, ?, ?, 'pending', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
      itemId, n(c.passId), c.kind, c.sourceFolderId, c.sourceItemId, c.folderPath, n(c.toSourceFolderId), n(c.toSourceItemId), n(c.toPath), flagsJson(c.flags), n(c.detail), n(c.itemType), nowIso(),
    )?.id);
  }

  /** Changes begun and not recorded (a kill in between) or refused by the destination, oldest first. */
  unfinished(itemId: number): ChangeRow[] {
    return this.db.all("SELECT * FROM delta_changes WHERE item_id = ? AND state IN ('pending', 'failed') ORDER BY id", itemId).map(toChange);
  }

  /** Changes the destination refused, still to be made (Retry errors), oldest first. */
  failedChanges(itemId: number): ChangeRow[] {
    return this.db.all("SELECT * FROM delta_changes WHERE item_id = ? AND state = 'failed' ORDER BY id", itemId).map(toChange);
  }

  /** An unfinished change that will not be made as begun (the source changed again, the item is gone); its error closes. */
  drop(id: number): void {
    this.db.tx(() => {
      this.db.run("DELETE FROM delta_changes WHERE id = ? AND state IN ('pending', 'failed')", id);
      this.closeErrors(id);
    });
  }

  /**
   * The destination refused the change: it stays to be made (the error, added by the caller, names
   * it). An error of an earlier refusal closes: a change refused again counts one open error.
   */
  refused(id: number): void {
    this.db.tx(() => {
      this.db.run("UPDATE delta_changes SET state = 'failed' WHERE id = ?", id);
      this.closeErrors(id);
    });
  }

  private closeErrors(changeId: number): void {
    this.db.run('UPDATE errors SET resolved_at = ? WHERE change_id = ? AND resolved_at IS NULL', nowIso(), changeId);
  }

  private done(id: number): void {
    this.db.run("UPDATE delta_changes SET state = 'done' WHERE id = ?", id);
    this.closeErrors(id);
  }

  /** A change that needs no destination write (kept-deleted, conflict-left), journalled done at once. */
  note(itemId: number, c: NewChange): void {
    this.db.tx(() => this.done(this.begin(itemId, c)));
  }

  /** Flags written: the watermark remembers them as Ferry's (a pending change is settled). */
  flagsWritten(itemId: number, sourceFolderId: string, sourceItemId: string, flags: readonly string[], changeId?: number): void {
    this.db.tx(() => {
      this.db.run('UPDATE watermarks SET flags = ? WHERE item_id = ? AND source_folder_id = ? AND source_item_id = ?', flagsJson(flags), itemId, sourceFolderId, sourceItemId);
      if (changeId !== undefined) this.done(changeId);
    });
  }

  /** A move recorded: the watermark now names the item where it is, on both sides. */
  moved(itemId: number, sourceFolderId: string, sourceItemId: string, to: MovedTo, changeId: number): void {
    this.db.tx(() => {
      this.db.run(
        `UPDATE watermarks SET source_folder_id = ?, source_item_id = ?, destination_folder_id = ?, destination_item_id = ?
         WHERE item_id = ? AND source_folder_id = ? AND source_item_id = ?`,
        to.sourceFolderId, to.sourceItemId, to.destinationFolderId, to.destinationItemId, itemId, sourceFolderId, sourceItemId,
      );
      if (to.destinationVersion !== undefined) {
        this.db.run('UPDATE watermarks SET destination_version = ? WHERE item_id = ? AND source_folder_id = ? AND source_item_id = ?', to.destinationVersion, itemId, to.sourceFolderId, to.sourceItemId);
      }
      if (to.content) {
        this.db.run('UPDATE watermarks SET fingerprint = ?, size_bytes = ? WHERE item_id = ? AND source_folder_id = ? AND source_item_id = ?', to.content.fingerprint, to.content.sizeBytes, itemId, to.sourceFolderId, to.sourceItemId);
      }
      if (to.moveKey !== undefined) {
        this.db.run('UPDATE watermarks SET move_key = ? WHERE item_id = ? AND source_folder_id = ? AND source_item_id = ?', to.moveKey, itemId, to.sourceFolderId, to.sourceItemId);
      }
      this.db.run('DELETE FROM skips WHERE item_id = ? AND source_folder_id = ? AND source_item_id = ?', itemId, to.sourceFolderId, to.sourceItemId);
      this.done(changeId);
    });
  }

  /** Whether a folder has copied items whose move key was never asked for (written before store v12). */
  hasUnkeyed(itemId: number, sourceFolderId: string): boolean {
    return this.db.get('SELECT 1 AS found FROM watermarks WHERE item_id = ? AND source_folder_id = ? AND source_removed_at IS NULL AND move_key IS NULL LIMIT 1', itemId, sourceFolderId) !== undefined;
  }

  /** Move keys read for watermarks written without one ('' where the source has none: not asked again). */
  moveKeysRead(itemId: number, sourceFolderId: string, keys: readonly (readonly [string, string])[]): void {
    this.db.tx(() => {
      for (const [sourceItemId, key] of keys) {
        this.db.run('UPDATE watermarks SET move_key = ? WHERE item_id = ? AND source_folder_id = ? AND source_item_id = ? AND move_key IS NULL', key, itemId, sourceFolderId, sourceItemId);
      }
    });
  }

  /** The id of the new version a pending update created at the destination (before the old one goes). */
  createdVersion(changeId: number, destinationItemId: string): void {
    this.db.run("UPDATE delta_changes SET destination_item_id = ? WHERE id = ? AND state = 'pending'", destinationItemId, changeId);
  }

  /** An update recorded: the watermark names the new version (its id and content), the change is done. */
  replaced(itemId: number, sourceFolderId: string, sourceItemId: string, now: Replaced, changeId: number): void {
    this.db.tx(() => {
      this.db.run(
        'UPDATE watermarks SET destination_item_id = ?, fingerprint = ?, size_bytes = ?, destination_version = ? WHERE item_id = ? AND source_folder_id = ? AND source_item_id = ?',
        now.destinationItemId, now.fingerprint, now.sizeBytes, n(now.destinationVersion), itemId, sourceFolderId, sourceItemId,
      );
      this.done(changeId);
    });
  }

  /** The destination item was deleted (or moved to deleted items): the watermark goes with it. */
  deleted(itemId: number, sourceFolderId: string, sourceItemId: string, changeId: number): void {
    this.db.tx(() => {
      this.db.run('DELETE FROM watermarks WHERE item_id = ? AND source_folder_id = ? AND source_item_id = ?', itemId, sourceFolderId, sourceItemId);
      this.done(changeId);
    });
  }

  /**
   * The source item is gone and the destination item stays (kept by the plan, or changed by the
   * user): its watermark stays, so the item still stands for it and no other source item claims it.
   */
  kept(itemId: number, sourceFolderId: string, sourceItemId: string, change: NewChange): void {
    this.db.tx(() => {
      this.db.run('UPDATE watermarks SET source_removed_at = ? WHERE item_id = ? AND source_folder_id = ? AND source_item_id = ?', nowIso(), itemId, sourceFolderId, sourceItemId);
      this.note(itemId, change);
    });
  }

  /** The last change journalled for a source item (a conflict already reported is not reported again). */
  lastFor(itemId: number, sourceFolderId: string, sourceItemId: string): ChangeRow | undefined {
    const r = this.db.get('SELECT * FROM delta_changes WHERE item_id = ? AND source_folder_id = ? AND source_item_id = ? ORDER BY id DESC LIMIT 1', itemId, sourceFolderId, sourceItemId);
    return r ? toChange(r) : undefined;
  }

  /** Changes of a mailbox (of one pass when given), in order. */
  changes(itemId: number, passId?: number): ChangeRow[] {
    const rows = passId === undefined
      ? this.db.all("SELECT * FROM delta_changes WHERE item_id = ? AND state = 'done' ORDER BY id", itemId)
      : this.db.all("SELECT * FROM delta_changes WHERE item_id = ? AND pass_id = ? AND state = 'done' ORDER BY id", itemId, passId);
    return rows.map(toChange);
  }

  /**
   * The counts of the mailbox's last delta: `lastDeltaPassId` (the item's last pass when it was a
   * delta) or the newest pass that journalled a change for it, whichever is newer; undefined when
   * it never had a delta.
   */
  lastDelta(itemId: number, lastDeltaPassId?: number): DeltaChangeCounts | undefined {
    const newest = Number(this.db.get('SELECT MAX(pass_id) AS p FROM delta_changes WHERE item_id = ?', itemId)?.p ?? 0);
    const passId = Math.max(newest, lastDeltaPassId ?? 0);
    if (!passId) return undefined;
    const byKind = Object.fromEntries(changeKinds.map((k) => [k, 0])) as Record<ChangeKind, number>;
    let failed = 0;
    for (const r of this.db.all('SELECT kind, state, COUNT(*) AS c FROM delta_changes WHERE item_id = ? AND pass_id = ? GROUP BY kind, state', itemId, passId)) {
      if (r.state === 'done') byKind[r.kind as ChangeKind] += Number(r.c);
      else if (r.state === 'failed') failed += Number(r.c);
    }
    return { passId, byKind, failed };
  }

  /** Changes of a mailbox (of one pass when given) by kind (every kind present, zero when none). */
  countsByKind(itemId: number, passId?: number): Record<ChangeKind, number> {
    const out = Object.fromEntries(changeKinds.map((k) => [k, 0])) as Record<ChangeKind, number>;
    const rows = passId === undefined
      ? this.db.all("SELECT kind, COUNT(*) AS c FROM delta_changes WHERE item_id = ? AND state = 'done' GROUP BY kind", itemId)
      : this.db.all("SELECT kind, COUNT(*) AS c FROM delta_changes WHERE item_id = ? AND pass_id = ? AND state = 'done' GROUP BY kind", itemId, passId);
    for (const r of rows) out[r.kind as ChangeKind] = Number(r.c);
    return out;
  }
}
