// The messages between a PgDatabase (caller's thread, synchronous) and its pg worker thread.
import type { SqlValue } from '../sqlStore';

export interface PgWorkerData {
  url: string;
  /** Int32Array over a SharedArrayBuffer: the worker sets [0] to 1 and notifies when a reply is posted. */
  flag: SharedArrayBuffer;
  port: import('node:worker_threads').MessagePort;
  /** How long a statement outside a transaction waits for a lost server to come back. */
  reconnectMs: number;
}

/** A request's number, which its reply carries back (a late reply to a call that timed out is skipped). */
interface Numbered {
  seq: number;
}

/**
 * `deadline` (epoch ms): when the caller stops waiting. The thread never retries a statement past it,
 * and one still unanswered then loses its connection (the server rolls back an open transaction), so
 * nothing the caller was told failed runs later on a retry.
 */
export type PgRequest = ({ op: 'query'; sql: string; params: SqlValue[]; inTx: boolean; deadline: number } | { op: 'close' }) & Numbered;

export type PgReply = (
  | { ok: true; rows: Record<string, unknown>[]; rowCount: number }
  | { ok: false; message: string; code?: string; kind: 'connection' | 'login' | 'full' | 'sql' }
) &
  Numbered;
