// The snapshot of a plan from the shared store of the distributed mode (PostgreSQL): the same
// functions as `ferry status` and `ferry report` on the database the workers write, in one
// read-only REPEATABLE READ transaction (statuses and errors from the same commit). The store is
// kept open between reads (one connection per database) and opened again after a failure.
import * as path from 'node:path';
import { Store } from '../store/store';
import { readFrom } from './readSnapshot';
import type { MailboxRef } from './mailboxDetail';
import type { StoreSnapshot } from './storeSnapshot';

const stores = new Map<string, Store>();

export function readSharedSnapshot(databaseUrl: string, planFile: string, now = Date.now, mailboxes: readonly MailboxRef[] = []): StoreSnapshot {
  let store = stores.get(databaseUrl);
  if (!store) stores.set(databaseUrl, (store = Store.openShared(databaseUrl)));
  const open = store;
  try {
    return open.tx(() => {
      open.db.run('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
      // No runner lock in distributed mode: the workers are many, on other machines.
      return { readAt: now(), ...readFrom(open, path.resolve(planFile), mailboxes) };
    });
  } catch (err) {
    stores.delete(databaseUrl);
    open.close();
    throw err;
  }
}

/** Closes the stores kept open (a test's end, or the worker's). */
export function closeSharedSnapshots(): void {
  for (const store of stores.values()) store.close();
  stores.clear();
}
