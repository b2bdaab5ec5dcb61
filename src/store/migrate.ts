// Brings a state database up to the latest schema, one migration per transaction.
import { rollback, type Database } from './sqlite';
import { migrations as allMigrations, type Migration } from './schema';

/** The schema version a database is at (0 when empty). */
export function schemaVersion(db: Database): number {
  db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL, applied_at TEXT NOT NULL)');
  const row = db.prepare('SELECT MAX(version) AS v FROM schema_version').get() as { v: number | null } | undefined;
  return row?.v ?? 0;
}

/**
 * Applies every migration above the database's version, in order. Refuses a database written by
 * a newer Ferry rather than guess at tables it does not know. Returns the versions applied.
 * Another process may open the same new database at the same moment (two runs of a new project):
 * each migration reads the version again under SQLite's write lock (BEGIN IMMEDIATE) and is skipped
 * when the other process applied it meanwhile, instead of making its tables twice.
 */
export function migrate(db: Database, migrations: readonly Migration[] = allMigrations): number[] {
  const latest = migrations.length ? migrations[migrations.length - 1].version : 0;
  const refuseNewer = (current: number) => {
    if (current > latest) throw new Error(`The state database has schema version ${current}; this Ferry knows up to ${latest}. Use a newer Ferry.`);
  };
  const current = schemaVersion(db);
  refuseNewer(current);
  const applied: number[] = [];
  for (const m of migrations) {
    if (m.version <= current) continue;
    db.exec('BEGIN IMMEDIATE');
    try {
      const now = schemaVersion(db);
      refuseNewer(now);
      if (now >= m.version) {
        db.exec('COMMIT');
        continue;
      }
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_version (version, applied_at) VALUES (?, ?)').run(m.version, new Date().toISOString());
      db.exec('COMMIT');
    } catch (err) {
      rollback(db);
      throw err;
    }
    applied.push(m.version);
  }
  return applied;
}
