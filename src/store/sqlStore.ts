// What the repositories need of a state database, whichever holds it: node:sqlite beside the plan
// (database.ts) or PostgreSQL shared by many workers (postgres/pgDatabase.ts). The repositories'
// SQL is written once, in the dialect both speak (`?` parameters, upserts, RETURNING).
export type SqlValue = string | number | bigint | null | Uint8Array;

export interface SqlStore {
  readonly dialect: 'sqlite' | 'postgres';
  run(sql: string, ...params: SqlValue[]): { changes: number | bigint };
  get(sql: string, ...params: SqlValue[]): Record<string, unknown> | undefined;
  all(sql: string, ...params: SqlValue[]): Record<string, unknown>[];
  /** Runs fn in one transaction (nested calls join the outer one); rolls back when it throws. */
  tx<T>(fn: () => T): T;
  close(): void;
}

/** `undefined` becomes NULL. */
export const n = (v: string | number | undefined | null): SqlValue => (v === undefined ? null : v);
