// The backup Ferry keeps of a state database: after each pass that ends, a checked copy made with
// VACUUM INTO in `<state>/backup/state.db` (written beside it, then renamed over it, so a crash or
// a full disk never leaves half a backup). `ferry restore` puts it back, keeping the damaged files.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { StateDatabase } from './database';
import { integrityProblem } from './integrity';
import { backupFileOf, stateFileName, type Store } from './store';
import { StoreError, storeErrorOf } from './storeError';

/** Writes the backup of a store that passes the integrity check; a damaged store never overwrites a good backup. */
export function backupStore(store: Store<StateDatabase>): void {
  if (integrityProblem(store.db.db)) return;
  const file = backupFileOf(store.dir);
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.rmSync(tmp, { force: true });
    vacuumInto(store.db.db, tmp);
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw storeErrorOf(err, store.dir, file) ?? err;
  }
}

/**
 * VACUUM INTO writes a new file under the database's synchronous level, through a rollback journal
 * of its own, synced twice with its folder, then the file (4 fsyncs of a Maildir pass's 12). The file
 * replaces the backup (renamed) only once it is whole, so the journal's syncs protect nothing: it is
 * written with synchronous OFF, then synced once before the rename, as durable as before.
 */
function vacuumInto(db: StateDatabase['db'], tmp: string): void {
  const level = Number((db.prepare('PRAGMA synchronous').get() as { synchronous: number }).synchronous);
  db.exec('PRAGMA synchronous = OFF');
  try {
    db.exec(`VACUUM INTO '${tmp.replace(/'/g, "''")}'`);
  } finally {
    db.exec(`PRAGMA synchronous = ${level}`);
  }
  const fd = fs.openSync(tmp, 'r+');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * What a restore of the backup must not lose, as one value: the newest copy record, delta change
 * and error, and the writes left unfinished (every write at a destination leaves one of them). A
 * pass after which it is unchanged wrote nothing anywhere: the backup taken before it still loses
 * no copy, so the runner keeps it rather than copy the whole state again (a quiet delta).
 */
export function copiesMark(store: Store<StateDatabase>): string {
  return JSON.stringify(store.db.get('SELECT (SELECT MAX(rowid) FROM watermarks) AS w, (SELECT MAX(id) FROM delta_changes) AS c, (SELECT MAX(id) FROM errors) AS e, (SELECT COUNT(*) FROM intents) AS i'));
}

export interface Restored {
  /** When the backup was written. */
  backupAt: Date;
  /** Where the files it replaced were moved (undefined when there were none). */
  setAside?: string;
}

/**
 * Puts the backup back as the state database: checks a copy of it (STORE-020 when there is none or
 * it is damaged), moves the current database files aside into `damaged-<time>/`, renames the copy
 * into place. The caller holds the runner lock.
 */
export function restoreBackup(stateDir: string, now = new Date()): Restored {
  const backup = backupFileOf(stateDir);
  const stat = fs.statSync(backup, { throwIfNoEntry: false });
  if (!stat?.isFile()) throw new StoreError('STORE-020', [backup, 'there is none yet: Ferry writes it after a pass ends']);
  const target = path.join(stateDir, stateFileName);
  const candidate = `${target}.restore.tmp`;
  fs.rmSync(candidate, { force: true });
  fs.copyFileSync(backup, candidate);
  try {
    StateDatabase.open(candidate).close();
  } catch (err) {
    fs.rmSync(candidate, { force: true });
    throw new StoreError('STORE-020', [backup, err instanceof StoreError ? err.args[err.args.length - 1] : (err as Error).message]);
  }
  const present = [stateFileName, `${stateFileName}-wal`, `${stateFileName}-shm`].filter((f) => fs.existsSync(path.join(stateDir, f)));
  let setAside: string | undefined;
  if (present.length) {
    setAside = path.join(stateDir, `damaged-${now.toISOString().replace(/[:.]/g, '-')}`);
    fs.mkdirSync(setAside, { recursive: true });
    for (const f of present) fs.renameSync(path.join(stateDir, f), path.join(setAside, f));
  }
  fs.renameSync(candidate, target);
  return { backupAt: stat.mtime, setAside };
}
