// A state database with a statement cache and transactions; the repositories build on it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { StatementSync } from 'node:sqlite';
import { openDatabase, rollback, sqliteCode, type Database } from './sqlite';
import { verifyAndMigrate } from './integrity';
import { StoreError, storeErrorOf } from './storeError';
import type { SqlStore, SqlValue } from './sqlStore';

export { n, type SqlValue } from './sqlStore';

export class StateDatabase implements SqlStore {
  readonly dialect = 'sqlite';
  private readonly statements = new Map<string, StatementSync>();
  private depth = 0;

  constructor(readonly db: Database) {}

  /**
   * Opens the database file, checks it (integrity, schema version, tables) and migrates it; a
   * failure is a StoreError with its code (damaged, newer Ferry, locked, full, cannot open).
   */
  static open(file: string, options: { synchronous?: 'NORMAL' | 'FULL'; hasRun?: boolean; thorough?: boolean } = {}): StateDatabase {
    const kind = fs.statSync(file, { throwIfNoEntry: false });
    if (kind && !kind.isFile()) throw new StoreError('STORE-013', [file, 'it is a folder, not a file']);
    let db: Database | undefined;
    try {
      db = openDatabase(file, options);
      verifyAndMigrate(db, file, options.hasRun ?? false, options.thorough ?? true);
      return new StateDatabase(db);
    } catch (err) {
      db?.close();
      // Opening a sound database fails for no other SQLite reason: whatever else it says is damage.
      throw storeErrorOf(err, path.dirname(file), file) ?? (sqliteCode(err) !== undefined ? new StoreError('STORE-010', [file, (err as Error).message]) : err);
    }
  }

  stmt(sql: string): StatementSync {
    let s = this.statements.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.statements.set(sql, s);
    }
    return s;
  }

  run(sql: string, ...params: SqlValue[]): { changes: number | bigint; lastInsertRowid: number | bigint } {
    return this.stmt(sql).run(...params);
  }

  get(sql: string, ...params: SqlValue[]): Record<string, unknown> | undefined {
    return this.stmt(sql).get(...params) as Record<string, unknown> | undefined;
  }

  all(sql: string, ...params: SqlValue[]): Record<string, unknown>[] {
    return this.stmt(sql).all(...params) as Record<string, unknown>[];
  }

  /** Runs fn in one transaction (nested calls join the outer one); rolls back when it throws. */
  tx<T>(fn: () => T): T {
    if (this.depth > 0) return fn();
    this.db.exec('BEGIN IMMEDIATE');
    this.depth++;
    try {
      const result = fn();
      this.db.exec('COMMIT');
      return result;
    } catch (err) {
      rollback(this.db);
      throw err;
    } finally {
      this.depth--;
    }
  }

  close(): void {
    this.statements.clear();
    this.db.close();
  }
}
