// Failures of the state store an operator can cause or fix (a full disk, a damaged or foreign
// database, a lock another program holds), each with its catalog code (errors/storeCatalog.ts).
// Plain data: the command line and the runner word them from the catalog.
import { SQLITE, sqliteCode } from './sqlite';

export type StoreCode = 'STORE-001' | 'STORE-010' | 'STORE-011' | 'STORE-012' | 'STORE-013' | 'STORE-020' | 'STORE-030' | 'STORE-031';

export class StoreError extends Error {
  /** args fill the catalog message of `code` ({0}, {1}, ...). */
  constructor(
    readonly code: StoreCode,
    readonly args: string[],
  ) {
    super(`${code} ${args.join(': ')}`);
    this.name = 'StoreError';
  }
}

/**
 * The StoreError for what the store of `stateDir` (database `file`) threw, or undefined when it is
 * not a store failure. SQLite's codes are the store's own (nothing else in Ferry uses SQLite).
 */
export function storeErrorOf(err: unknown, stateDir: string, file: string): StoreError | undefined {
  if (err instanceof StoreError) return err;
  const detail = err instanceof Error ? err.message : String(err);
  if ((err as NodeJS.ErrnoException | null)?.code === 'ENOSPC') return new StoreError('STORE-001', [stateDir, detail]);
  switch (sqliteCode(err)) {
    case SQLITE.FULL:
      return new StoreError('STORE-001', [stateDir, detail]);
    case SQLITE.CORRUPT:
    case SQLITE.NOTADB:
      return new StoreError('STORE-010', [file, detail]);
    case SQLITE.BUSY:
    case SQLITE.LOCKED:
      return new StoreError('STORE-012', [file, detail]);
    case SQLITE.CANTOPEN:
    case SQLITE.READONLY:
    case SQLITE.IOERR:
      return new StoreError('STORE-013', [file, detail]);
    default:
      return undefined;
  }
}

/** True for a failure of the state store itself (full, damaged, locked, unreadable): no mailbox can go on. */
export function isStoreFailure(err: unknown): boolean {
  return storeErrorOf(err, '', '') !== undefined;
}
