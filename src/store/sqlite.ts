// Opens the state database with node:sqlite. Node 22 prints an ExperimentalWarning the first time
// the module loads; the command line and the runner must not show it to operators on every run.
import type { DatabaseSync as DatabaseSyncType } from 'node:sqlite';

let sqliteModule: typeof import('node:sqlite') | undefined;

function loadSqlite(): typeof import('node:sqlite') {
  if (sqliteModule) return sqliteModule;
  const original = process.emitWarning;
  // Filter only SQLite's experimental notice; every other warning still reaches the handlers.
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const text = typeof warning === 'string' ? warning : warning.message;
    if (/SQLite is an experimental feature/.test(text)) return;
    return (original as (...args: unknown[]) => void).call(process, warning, ...rest);
  }) as typeof process.emitWarning;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    sqliteModule = require('node:sqlite') as typeof import('node:sqlite');
  } finally {
    process.emitWarning = original;
  }
  return sqliteModule;
}

export type Database = DatabaseSyncType;

/** A connection with SQLite's defaults (no WAL, no pragmas): the runner lock's file. */
export function newDatabase(file: string, options: { readOnly?: boolean } = {}): Database {
  const { DatabaseSync } = loadSqlite();
  return new DatabaseSync(file, options);
}

/** SQLite's primary result code of an error node:sqlite threw (SQLITE_BUSY 5, SQLITE_FULL 13, ...). */
export function sqliteCode(err: unknown): number | undefined {
  const code = (err as { errcode?: unknown } | null)?.errcode;
  return typeof code === 'number' ? code & 0xff : undefined;
}

/** The primary result codes Ferry tells apart. */
export const SQLITE = { BUSY: 5, LOCKED: 6, READONLY: 8, IOERR: 10, CORRUPT: 11, FULL: 13, CANTOPEN: 14, NOTADB: 26 } as const;

/**
 * WAL pages between two checkpoints (SQLite's default is 1,000). A checkpoint runs inside the commit
 * that crosses the mark, on the pass's main thread, and waits for two fsyncs; a pass of 20,000
 * messages writes about 13,000 WAL pages (intents and watermarks), so the default made about ten
 * such waits. On a busy machine the commits of such a pass then held the thread 250-700 ms in all,
 * at 10,000 pages (a WAL of up to 40 MB) 110-290 ms. What a kill or a crash keeps is the same.
 */
export const WAL_CHECKPOINT_PAGES = 10_000;

/**
 * Opens (creating) a database file in WAL mode. synchronous=NORMAL: in WAL mode a commit survives
 * a killed process (the WAL is in the OS cache); only a power loss can drop the last commits, and
 * the in-flight intents still keep that from duplicating anything that was committed before.
 */
export function openDatabase(file: string, options: { synchronous?: 'NORMAL' | 'FULL' } = {}): Database {
  const db = newDatabase(file);
  // First: another process (ferry status while a runner starts or writes) waits instead of failing
  // at once, and switching to WAL takes a lock that a concurrent reader may briefly hold.
  db.exec('PRAGMA busy_timeout = 5000');
  toWal(db);
  db.exec(`PRAGMA synchronous = ${options.synchronous ?? 'NORMAL'}`);
  db.exec(`PRAGMA wal_autocheckpoint = ${WAL_CHECKPOINT_PAGES}`);
  db.exec('PRAGMA foreign_keys = ON');
  // 256 KB of page cache instead of SQLite's 2 MB (issue 17: a pass's resident memory): the
  // statements look rows up by index, and the pages missed are in the OS's cache.
  db.exec('PRAGMA cache_size = -256');
  // Test hook: a database that may not grow past this many pages fails as on a full disk (SQLITE_FULL).
  const maxPages = Number(process.env.FERRY_TEST_STORE_MAX_PAGES);
  if (maxPages > 0) db.exec(`PRAGMA max_page_count = ${Math.floor(maxPages)}`);
  return db;
}

/**
 * Switches to WAL. While another process creates or switches the same new file, SQLite fails this
 * switch at once with SQLITE_BUSY ("database is locked") without calling the busy handler, so it is
 * tried again a few milliseconds apart, until 5 s (busy_timeout) have passed in all: a database
 * another process truly holds locked (where SQLite does wait out busy_timeout) still fails in 5 s.
 */
function toWal(db: Database): void {
  const pause = new Int32Array(new SharedArrayBuffer(4));
  const until = Date.now() + 5000;
  for (;;) {
    try {
      db.exec('PRAGMA journal_mode = WAL');
      return;
    } catch (err) {
      if (sqliteCode(err) !== SQLITE.BUSY || Date.now() >= until) throw err;
      Atomics.wait(pause, 0, 0, 5);
    }
  }
}

/**
 * Rolls back the open transaction. SQLite may have rolled it back itself (a full disk, an I/O
 * error): then there is nothing left to roll back, and the error that matters is the first one.
 */
export function rollback(db: Pick<Database, 'exec'>): void {
  try {
    db.exec('ROLLBACK');
  } catch {
    // already rolled back by SQLite
  }
}
