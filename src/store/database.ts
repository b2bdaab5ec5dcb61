// A state database with a statement cache and transactions; the repositories build on it.
import type { StatementSync } from 'node:sqlite';
import { openDatabase, type Database } from './sqlite';
import { migrate } from './migrate';

export type SqlValue = string | number | bigint | null | Uint8Array;

export class StateDatabase {
  private readonly statements = new Map<string, StatementSync>();
  private depth = 0;

  constructor(readonly db: Database) {}

  /** Opens and migrates the database file. */
  static open(file: string, options: { synchronous?: 'NORMAL' | 'FULL' } = {}): StateDatabase {
    const db = openDatabase(file, options);
    migrate(db);
    return new StateDatabase(db);
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
      this.db.exec('ROLLBACK');
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

/** `undefined` becomes NULL for SQLite. */
export const n = (v: string | number | undefined | null): SqlValue => (v === undefined ? null : v);
