// The state store of one state folder: `state.db` (node:sqlite, WAL) and its repositories.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { StateDatabase } from './database';
import { BatchesRepo } from './batchesRepo';
import { ItemsRepo } from './itemsRepo';
import { PassesRepo } from './passesRepo';
import { ProgressRepo } from './progressRepo';
import { ErrorsRepo } from './errorsRepo';

export const stateFileName = 'state.db';

export class Store {
  readonly batches: BatchesRepo;
  readonly items: ItemsRepo;
  readonly passes: PassesRepo;
  readonly progress: ProgressRepo;
  readonly errors: ErrorsRepo;

  constructor(readonly db: StateDatabase, readonly dir: string) {
    this.batches = new BatchesRepo(db);
    this.items = new ItemsRepo(db);
    this.passes = new PassesRepo(db);
    this.progress = new ProgressRepo(db);
    this.errors = new ErrorsRepo(db);
  }

  /** Opens (creating) the store in a state folder and brings its schema up to date. */
  static open(dir: string): Store {
    fs.mkdirSync(dir, { recursive: true });
    return new Store(StateDatabase.open(path.join(dir, stateFileName)), dir);
  }

  /** True when the state folder has a database (status and report need not create one). */
  static exists(dir: string): boolean {
    return fs.existsSync(path.join(dir, stateFileName));
  }

  tx<T>(fn: () => T): T {
    return this.db.tx(fn);
  }

  close(): void {
    this.db.close();
  }
}
