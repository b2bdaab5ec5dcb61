// The checks a state database passes before Ferry trusts it: SQLite's own integrity check, a
// schema version this Ferry knows, and every table and column the migrations make. A database
// that fails any of them raises STORE-010 (damaged) or STORE-011 (newer Ferry); nothing runs on it.
import { migrate, schemaVersion } from './migrate';
import { migrations, latestSchemaVersion } from './schema';
import { newDatabase, type Database } from './sqlite';
import { StoreError } from './storeError';

export type Shape = Map<string, Set<string>>;

/** Every table and its columns, in one statement (a table with no columns cannot exist). */
export function shapeOf(db: Database): Shape {
  const shape: Shape = new Map();
  const rows = db.prepare("SELECT m.name AS t, c.name AS c FROM sqlite_master AS m, pragma_table_info(m.name) AS c WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'").all() as { t: string; c: string }[];
  for (const { t, c } of rows) {
    const columns = shape.get(t);
    if (columns) columns.add(c);
    else shape.set(t, new Set([c]));
  }
  return shape;
}

/** Set by esbuild.mjs in the bundles (scripts/schema-shape.mjs): `shapeFromMigrations()` at build, as JSON. */
declare const FERRY_SCHEMA_SHAPE: string | undefined;

let expected: Shape | undefined;
/**
 * The tables and columns the migrations make. The bundles have it from the build: computing it
 * costs 3-7 ms of every start (issue 17), ALTER TABLE re-parsing the whole schema each time;
 * code compiled without esbuild (tests) computes it once.
 */
export function expectedShape(): Shape {
  if (!expected) expected = typeof FERRY_SCHEMA_SHAPE === 'undefined' ? shapeFromMigrations() : new Map((JSON.parse(FERRY_SCHEMA_SHAPE) as [string, string[]][]).map(([t, c]) => [t, new Set(c)]));
  return expected;
}

/**
 * The shape from an empty database in memory: every migration's SQL in one transaction (a start's
 * 3-4 ms were mostly one transaction and version row per migration, issue 17); `migrate` itself is
 * tested to make the same tables.
 */
export function shapeFromMigrations(): Shape {
  const db = newDatabase(':memory:');
  try {
    schemaVersion(db);
    db.exec('BEGIN');
    for (const m of migrations) db.exec(m.sql);
    db.exec('COMMIT');
    return shapeOf(db);
  } finally {
    db.close();
  }
}

/**
 * SQLite's verdict on the file: `thorough` runs integrity_check (pages, b-trees and every index
 * against its rows: 2.1 s for a million watermarks here), else quick_check (pages and b-trees
 * without the index cross-check: 0.4 s for the same). The runner, which writes, is thorough.
 */
export function integrityProblem(db: Database, thorough = true): string | undefined {
  const rows = db.prepare(thorough ? 'PRAGMA integrity_check(3)' : 'PRAGMA quick_check(3)').all() as Record<string, string>[];
  const problems = rows.map((r) => Object.values(r)[0]).filter((r) => r !== 'ok');
  return problems.length ? problems.join('; ') : undefined;
}

/** The version the database records, without creating anything (0 for an empty database). */
function recordedVersion(db: Database, file: string): number {
  const tables = shapeOf(db);
  if (!tables.size) return 0;
  if (!tables.has('schema_version')) throw new StoreError('STORE-010', [file, 'it has tables but no schema version']);
  const row = db.prepare('SELECT MAX(version) AS v FROM schema_version').get() as { v: unknown };
  // Only the version table, empty: another process is creating this new database right now.
  if (row.v === null && tables.size === 1) return 0;
  if (row.v === null) throw new StoreError('STORE-010', [file, 'its schema version is missing']);
  if (typeof row.v !== 'number' || !Number.isInteger(row.v) || row.v < 1) throw new StoreError('STORE-010', [file, `its schema version ${String(row.v)} is not one Ferry writes`]);
  return row.v;
}

/**
 * Checks an opened state database and brings its schema up to date; throws StoreError when it is
 * damaged or from a newer Ferry. `hasRun`: a pass ran in this state folder, so it cannot be empty.
 * Nothing is written before the checks pass.
 */
export function verifyAndMigrate(db: Database, file: string, hasRun: boolean, thorough: boolean): void {
  const problem = integrityProblem(db, thorough);
  if (problem) throw new StoreError('STORE-010', [file, `integrity check: ${problem}`]);
  const version = recordedVersion(db, file);
  if (version === 0 && hasRun) throw new StoreError('STORE-010', [file, 'it is empty or missing, yet a pass has run here (a backup of its state exists)']);
  if (version > latestSchemaVersion) throw new StoreError('STORE-011', [file, String(version), String(latestSchemaVersion)]);
  try {
    migrate(db);
  } catch (err) {
    throw new StoreError('STORE-010', [file, `schema version ${version} does not match its tables (${(err as Error).message})`]);
  }
  const actual = shapeOf(db);
  for (const [table, columns] of expectedShape()) {
    const have = actual.get(table);
    if (!have) throw new StoreError('STORE-010', [file, `table ${table} is missing`]);
    for (const column of columns) if (!have.has(column)) throw new StoreError('STORE-010', [file, `column ${table}.${column} is missing`]);
  }
}
