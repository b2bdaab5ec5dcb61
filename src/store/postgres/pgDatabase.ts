// The state database in PostgreSQL, shared by every worker of a distributed project. Synchronous
// like node:sqlite (the repositories and the engine call it the same way): statements go to a
// worker thread that owns the `pg` connection while this thread waits on a shared flag, so `pg`
// loads only there, and only in distributed mode.
import * as path from 'node:path';
import type { MessagePort, Worker } from 'node:worker_threads';
import { StoreError } from '../storeError';
import type { SqlStore, SqlValue } from '../sqlStore';
import { postgresMigrations } from './pgSchema';
import type { PgReply, PgRequest, PgWorkerData } from './pgProtocol';
import type { Migration } from '../schema';

/** The advisory lock key under which one process at a time migrates the schema ('ferrySch'). */
const migrationLock = 0x66657272;

let workerThreads: typeof import('node:worker_threads') | undefined;
/** worker_threads, required when a database is opened: a command on SQLite (ferry run, status) never loads it. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const threads = () => (workerThreads ??= require('node:worker_threads') as typeof import('node:worker_threads'));

export interface PgOptions {
  /** How long a statement outside a transaction waits for a restarting server (default 60 s). */
  reconnectMs?: number;
  /**
   * How long a call waits for its answer before STORE-030 (default reconnectMs + 120 s), once the
   * schema is up to date. A `ferry worker` keeps it well under its job lease: the calling thread is
   * blocked meanwhile, and so is BullMQ's renewal of the lease.
   */
  answerMs?: number;
  /**
   * After the server failed to answer, calls fail at once (STORE-030) until answers() sees it answer
   * again, instead of blocking the thread once more: a worker's timers (BullMQ's lease renewal) run.
   */
  failFast?: boolean;
}

/** `postgres://user:secret@host/db` without its password, for messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(an unparsable PostgreSQL URL)';
  }
}

/** `?` placeholders (outside quoted text) become `$1`, `$2`, ... */
export function numberedParameters(sql: string): string {
  let out = '';
  let quoted = false;
  let index = 0;
  for (const ch of sql) {
    if (ch === "'") quoted = !quoted;
    out += ch === '?' && !quoted ? `$${++index}` : ch;
  }
  return out;
}

export class PgDatabase implements SqlStore {
  readonly dialect = 'postgres';
  private readonly flag = new Int32Array(new SharedArrayBuffer(4));
  private readonly port: MessagePort;
  private readonly worker: Worker;
  private readonly sqlCache = new Map<string, string>();
  private waitMs: number;
  /** Requests whose caller stopped waiting (timed out, or a ROLLBACK sent without waiting). */
  private readonly unanswered = new Set<number>();
  private readonly failFast: boolean;
  /** Asynchronous probes (answers()) waiting for their reply, by request number. */
  private readonly probes = new Map<number, (ok: boolean) => void>();
  /** When the server last failed to answer (0: it answered since). */
  private failedAt = 0;
  private depth = 0;
  private closed = false;
  private seq = 0;

  private constructor(readonly url: string, options: PgOptions) {
    const { MessageChannel, Worker } = threads();
    const { port1, port2 } = new MessageChannel();
    const reconnectMs = options.reconnectMs ?? 60_000;
    // Longer than any statement the store sends plus the wait for a restarting server.
    this.waitMs = reconnectMs + 120_000;
    this.failFast = options.failFast ?? false;
    const data: PgWorkerData = { url, flag: this.flag.buffer as SharedArrayBuffer, port: port2, reconnectMs };
    this.worker = new Worker(path.join(__dirname, 'pgWorker.js'), { workerData: data, transferList: [port2] });
    this.worker.unref();
    this.port = port1;
  }

  /** Connects, and brings the schema up to date (one process at a time, under an advisory lock). */
  static open(url: string, options: PgOptions = {}): PgDatabase {
    const db = new PgDatabase(url, options);
    try {
      db.migrate(postgresMigrations);
      if (options.answerMs !== undefined) db.waitMs = options.answerMs;
      return db;
    } catch (err) {
      db.close();
      throw err;
    }
  }

  get location(): string {
    return redactUrl(this.url);
  }

  /** Reads every reply posted: the one to `seq` is returned, late ones (callers that stopped waiting) are dropped. */
  private take(seq?: number): PgReply | undefined {
    let found: PgReply | undefined;
    const { receiveMessageOnPort } = threads();
    for (let m = receiveMessageOnPort(this.port); m; m = receiveMessageOnPort(this.port)) {
      const reply = m.message as PgReply;
      this.unanswered.delete(reply.seq);
      this.probes.get(reply.seq)?.(reply.ok);
      if (reply.seq === seq) found = reply;
    }
    return found;
  }

  private post(req: PgRequest extends infer R ? (R extends PgRequest ? Omit<R, 'seq' | 'deadline'> : never) : never): number {
    const seq = ++this.seq;
    this.worker.postMessage({ ...req, seq, deadline: Date.now() + this.waitMs });
    return seq;
  }

  private stoppedWaiting(seq: number): void {
    this.unanswered.add(seq);
  }

  /**
   * True once the server answers a trivial statement, false when it does not within a call's wait:
   * asked without blocking this thread (a worker waiting for the database keeps renewing its leases).
   */
  async answers(): Promise<boolean> {
    const deadline = Date.now() + this.waitMs + Math.min(1000, this.waitMs / 2);
    const tick = () => new Promise<void>((r) => setTimeout(r, 20));
    // An earlier statement still holding the connection answers first.
    for (this.take(); this.unanswered.size; this.take()) {
      if (this.closed || Date.now() >= deadline) return this.probeFailed();
      await tick();
    }
    const seq = this.post({ op: 'query', sql: 'SELECT 1', params: [], inTx: false });
    this.stoppedWaiting(seq);
    let answer: boolean | undefined;
    this.probes.set(seq, (ok) => (answer = ok));
    try {
      while (answer === undefined) {
        if (this.closed || Date.now() >= deadline) return this.probeFailed();
        await tick();
        this.take();
      }
    } finally {
      this.probes.delete(seq);
    }
    if (!answer) return this.probeFailed();
    this.failedAt = 0;
    return true;
  }

  private probeFailed(): false {
    this.failedAt ||= Date.now();
    return false;
  }

  private call(req: PgRequest extends infer R ? (R extends PgRequest ? Omit<R, 'seq' | 'deadline'> : never) : never): Extract<PgReply, { ok: true }> {
    if (this.closed) throw new Error('the PostgreSQL store is closed');
    this.take();
    // After a server that did not answer, a statement would only block this thread again (queued
    // behind the one still unanswered): refused at once until answers() sees the server answer.
    if (this.failFast && this.failedAt) {
      throw new StoreError('STORE-030', [this.location, `no answer since ${new Date(this.failedAt).toISOString()}; waiting for it to answer again`]);
    }
    Atomics.store(this.flag, 0, 0);
    const seq = this.post(req);
    // The thread answers by the request's deadline; a little more for its timer on a busy machine.
    const deadline = Date.now() + this.waitMs + Math.min(1000, this.waitMs / 2);
    let reply: PgReply | undefined;
    while (!reply) {
      const left = deadline - Date.now();
      if (left <= 0 || Atomics.wait(this.flag, 0, 0, left) === 'timed-out') {
        this.stoppedWaiting(seq);
        this.failedAt ||= Date.now();
        throw new StoreError('STORE-030', [this.location, `no answer in ${(this.waitMs / 1000).toFixed(1).replace(/\.0$/, '')} s`]);
      }
      // Lowered before reading: a reply posted meanwhile raises it again or is read now.
      Atomics.store(this.flag, 0, 0);
      reply = this.take(seq);
    }
    this.failedAt = !reply.ok && reply.kind === 'connection' ? this.failedAt || Date.now() : 0;
    if (reply.ok) return reply;
    switch (reply.kind) {
      case 'connection':
        throw new StoreError('STORE-030', [this.location, reply.message]);
      case 'login':
        throw new StoreError('STORE-031', [this.location, reply.message]);
      case 'full':
        throw new StoreError('STORE-001', [this.location, reply.message]);
      default:
        throw new Error(`PostgreSQL refused a statement of the store (${reply.code ?? 'no code'}): ${reply.message}`);
    }
  }

  private query(sql: string, params: SqlValue[]): Extract<PgReply, { ok: true }> {
    let text = this.sqlCache.get(sql);
    if (text === undefined) this.sqlCache.set(sql, (text = numberedParameters(sql)));
    const values = params.map((v) => (typeof v === 'bigint' ? v.toString() : v instanceof Uint8Array ? Buffer.from(v) : v));
    return this.call({ op: 'query', sql: text, params: values as SqlValue[], inTx: this.depth > 0 });
  }

  run(sql: string, ...params: SqlValue[]): { changes: number } {
    return { changes: this.query(sql, params).rowCount };
  }

  get(sql: string, ...params: SqlValue[]): Record<string, unknown> | undefined {
    return this.query(sql, params).rows[0];
  }

  all(sql: string, ...params: SqlValue[]): Record<string, unknown>[] {
    return this.query(sql, params).rows;
  }

  tx<T>(fn: () => T): T {
    if (this.depth > 0) return fn();
    try {
      this.query('BEGIN', []);
    } catch (err) {
      // A BEGIN that did not answer may still start a transaction on the connection.
      if (this.unanswered.size) this.rollbackLater();
      throw err;
    }
    this.depth++;
    try {
      const result = fn();
      this.query('COMMIT', []);
      return result;
    } catch (err) {
      this.take();
      if (this.unanswered.size) this.rollbackLater();
      else {
        try {
          this.query('ROLLBACK', []);
        } catch {
          // the connection is gone: so is the transaction
        }
      }
      throw err;
    } finally {
      this.depth--;
    }
  }

  /**
   * Behind a statement that did not answer: a ROLLBACK queued after it and not waited for, so the
   * connection never carries this transaction into the next statement.
   */
  private rollbackLater(): void {
    this.stoppedWaiting(this.post({ op: 'query', sql: 'ROLLBACK', params: [], inTx: true }));
  }

  /** Applies the migrations above the database's version, each in its own transaction. */
  private migrate(migrations: readonly Migration[]): void {
    this.query('SELECT pg_advisory_lock(?)', [migrationLock]);
    try {
      this.query('CREATE TABLE IF NOT EXISTS schema_version (version BIGINT NOT NULL, applied_at TEXT NOT NULL)', []);
      const current = Number(this.get('SELECT COALESCE(MAX(version), 0) AS v FROM schema_version')?.v ?? 0);
      const latest = migrations.length ? migrations[migrations.length - 1].version : 0;
      if (current > latest) throw new StoreError('STORE-011', [this.location, String(current), String(latest)]);
      for (const m of migrations) {
        if (m.version <= current) continue;
        this.tx(() => {
          for (const statement of m.sql.split(';').map((s) => s.trim()).filter(Boolean)) this.query(statement, []);
          this.query('INSERT INTO schema_version (version, applied_at) VALUES (?, ?)', [m.version, new Date().toISOString()]);
        });
      }
    } finally {
      this.query('SELECT pg_advisory_unlock(?)', [migrationLock]);
    }
  }

  /** The schema version the database is at. */
  schemaVersion(): number {
    return Number(this.get('SELECT COALESCE(MAX(version), 0) AS v FROM schema_version')?.v ?? 0);
  }

  close(): void {
    if (this.closed) return;
    try {
      this.call({ op: 'close' });
    } catch {
      // closing a lost connection
    }
    this.closed = true;
    void this.worker.terminate();
  }
}
