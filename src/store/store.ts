// The state store and its repositories: by default `state.db` (node:sqlite, WAL) in one state
// folder; in distributed mode a PostgreSQL database many workers share (postgres/pgDatabase.ts).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { StateDatabase } from './database';
import { BatchesRepo } from './batchesRepo';
import { ItemsRepo } from './itemsRepo';
import { PassesRepo } from './passesRepo';
import { ProgressRepo } from './progressRepo';
import { ErrorsRepo } from './errorsRepo';
import { SchedulesRepo } from './schedulesRepo';
import { NotificationsRepo } from './notificationsRepo';
import { ChangesRepo } from './changesRepo';
import { SkipsRepo } from './skipsRepo';
import type { SqlStore } from './sqlStore';
import { PgDatabase, type PgOptions } from './postgres/pgDatabase';

export const stateFileName = 'state.db';

/** The checked copy written after each pass (store/backup.ts). */
export const backupFileOf = (stateDir: string) => path.join(stateDir, 'backup', stateFileName);

export class Store<D extends SqlStore = SqlStore> {
  readonly batches: BatchesRepo;
  readonly items: ItemsRepo;
  readonly passes: PassesRepo;
  readonly progress: ProgressRepo;
  readonly errors: ErrorsRepo;
  readonly schedules: SchedulesRepo;
  readonly notifications: NotificationsRepo;
  readonly changes: ChangesRepo;
  readonly skips: SkipsRepo;

  /** `dir`: the state folder, or where a shared database is (without its password) for messages. */
  constructor(readonly db: D, readonly dir: string) {
    this.batches = new BatchesRepo(db);
    this.items = new ItemsRepo(db);
    this.passes = new PassesRepo(db);
    this.progress = new ProgressRepo(db);
    this.errors = new ErrorsRepo(db);
    this.schedules = new SchedulesRepo(db);
    this.notifications = new NotificationsRepo(db);
    this.changes = new ChangesRepo(db);
    this.skips = new SkipsRepo(db);
  }

  /**
   * Opens (creating) the store in a state folder, checks it and brings its schema up to date. Once a
   * backup exists a pass has run here: an empty or missing database then is lost state (STORE-010).
   * `quick`: readers (status, report) skip the index cross-check of the integrity check.
   */
  static open(dir: string, options: { quick?: boolean } = {}): Store<StateDatabase> {
    fs.mkdirSync(dir, { recursive: true });
    return new Store(StateDatabase.open(path.join(dir, stateFileName), { hasRun: fs.existsSync(backupFileOf(dir)), thorough: !options.quick }), dir);
  }

  /** Opens the state shared by the workers of a distributed project (PostgreSQL at `url`). */
  static openShared(url: string, options: PgOptions = {}): Store<PgDatabase> {
    const db = PgDatabase.open(url, options);
    return new Store(db, db.location);
  }

  /** True when the state folder has a database or had one (status and report need not create one). */
  static exists(dir: string): boolean {
    return fs.existsSync(path.join(dir, stateFileName)) || fs.existsSync(backupFileOf(dir));
  }

  tx<T>(fn: () => T): T {
    return this.db.tx(fn);
  }

  close(): void {
    this.db.close();
  }
}
