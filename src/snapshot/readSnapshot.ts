// Reads a plan's snapshot straight from `state.db` on a read-only connection: no lock is taken and
// nothing is written, so a runner writing the same database (WAL) is never blocked by it and never
// waits for it. The same functions as `ferry status` and `ferry report`, so the views show what the
// command line prints. A database of an older schema (not migrated yet) is opened the way the
// command line opens it, which brings it up to date once.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { scheduleRows } from '../scheduler/scheduleRows';
import { projectStatuses } from '../engine/projectStatus';
import { buildReport } from '../engine/report';
import { probeLock } from '../store/lock';
import { StateDatabase } from '../store/database';
import { latestSchemaVersion } from '../store/schema';
import { newDatabase, type Database } from '../store/sqlite';
import { StoreError } from '../store/storeError';
import { Store, stateFileName } from '../store/store';
import { readMailboxDetail, type MailboxDetail, type MailboxRef } from './mailboxDetail';
import type { StoreSnapshot } from './storeSnapshot';

/** The schema version a database records; 0 when it has no version table yet. */
function schemaVersion(db: Database): number {
  const table = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'").get();
  if (!table) return 0;
  const row = db.prepare('SELECT MAX(version) AS v FROM schema_version').get() as { v: unknown };
  return typeof row.v === 'number' ? row.v : 0;
}

export function readFrom(store: Store, planFile: string, mailboxes: readonly MailboxRef[] = []): Pick<StoreSnapshot, 'status' | 'errors' | 'mailboxes'> {
  const status = projectStatuses(store, planFile)[0];
  const details = mailboxes.map((m) => readMailboxDetail(store, planFile, m)).filter((d): d is MailboxDetail => d !== undefined);
  // Each batch's next scheduled action (ferry serve), as `ferry status --json` gives it.
  return { status: status && { ...status, schedule: scheduleRows(store, planFile, new Date()) }, errors: buildReport(store, planFile)?.errors ?? [], ...(mailboxes.length ? { mailboxes: details } : {}) };
}

/** The snapshot of a plan's run state; a store that does not exist yet reads as empty. */
export function readSnapshot(stateDir: string, planFile: string, now = Date.now, mailboxes: readonly MailboxRef[] = []): StoreSnapshot {
  const file = path.join(stateDir, stateFileName);
  const runner = probeLock(stateDir).holder;
  if (!fs.existsSync(file)) return { readAt: now(), errors: [], runner };
  const db = newDatabase(file, { readOnly: true });
  try {
    db.exec('PRAGMA busy_timeout = 5000');
    const version = schemaVersion(db);
    if (version > latestSchemaVersion) throw new StoreError('STORE-011', [file, String(version), String(latestSchemaVersion)]);
    if (version < latestSchemaVersion) {
      db.close();
      const store = Store.open(stateDir, { quick: true });
      try {
        return { readAt: now(), ...readFrom(store, path.resolve(planFile), mailboxes), runner };
      } finally {
        store.close();
      }
    }
    // One read transaction: the statuses and the errors come from the same commit.
    db.exec('BEGIN');
    try {
      return { readAt: now(), ...readFrom(new Store(new StateDatabase(db), stateDir), path.resolve(planFile), mailboxes), runner };
    } finally {
      db.exec('ROLLBACK');
    }
  } finally {
    if (db.isOpen) db.close();
  }
}
