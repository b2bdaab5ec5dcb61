// Rows for a list of ids (a listing's window, the items a source reports changed) by index, a few
// hundred ids per statement, instead of reading every row of a folder (issue 17: a folder of
// 200,000 watermarks read whole held 60 MB). The SQL is the same for node:sqlite and PostgreSQL.
import type { SqlStore, SqlValue } from './sqlStore';

/** Ids per statement: always this many placeholders (the last id repeated), so one cached statement serves. */
export const ID_CHUNK = 200;

/** `IN (?, ?, ...)` with ID_CHUNK placeholders, for the statement given to rowsAmong. */
export const IN_ID_CHUNK = `IN (${Array(ID_CHUNK).fill('?').join(', ')})`;

/**
 * A condition on a watermark's source id: under the numbering `prefix` names (`under`), or not (a
 * renumbered IMAP folder's old UIDVALIDITY; ItemListing.idPrefix), with its two parameters. By
 * `substr`, not a range: text order differs under PostgreSQL's collations.
 */
export function idPrefixCondition(prefix: string, under: boolean): { sql: string; params: [number, string] } {
  return { sql: `substr(source_item_id, 1, ?) ${under ? '=' : '<>'} ?`, params: [prefix.length, prefix] };
}

/** Every row `sql` (its `?` parameters: `leading`, then the ID_CHUNK ids of IN_ID_CHUNK) gives for `ids`. */
export function rowsAmong(db: SqlStore, sql: string, leading: readonly SqlValue[], ids: readonly SqlValue[]): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = [];
  for (let i = 0; i < ids.length; i += ID_CHUNK) {
    const part = ids.slice(i, i + ID_CHUNK);
    while (part.length < ID_CHUNK) part.push(part[part.length - 1]);
    for (const r of db.all(sql, ...leading, ...part)) rows.push(r);
  }
  return rows;
}
