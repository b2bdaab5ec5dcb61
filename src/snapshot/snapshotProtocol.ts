// Messages between the extension and the snapshot worker (dist/snapshotWorker.js).
import type { MailboxRef } from './mailboxDetail';
import type { StoreSnapshot } from './storeSnapshot';

export interface SnapshotRequest {
  id: number;
  stateDir: string;
  planFile: string;
  /** Mailboxes whose page is open: their details are read in the same transaction. */
  mailboxes?: MailboxRef[];
  /** Distributed mode: the shared store (PostgreSQL, password filled in; never leaves the process). */
  databaseUrl?: string;
}

export type SnapshotResponse =
  | { id: number; ok: true; snapshot: StoreSnapshot; elapsedMs: number }
  /** code: a store catalog code (STORE-0xx) when the store's state is the cause. */
  | { id: number; ok: false; code?: string; message: string };
