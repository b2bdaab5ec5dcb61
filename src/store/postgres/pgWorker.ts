// The worker thread behind a PgDatabase: one `pg` connection, one statement at a time. The calling
// thread blocks on a shared flag until the reply is posted (the repositories are synchronous, as
// with node:sqlite). A statement outside a transaction that loses the server waits for it to come
// back (a restart) and runs again; inside a transaction the loss is reported: the transaction is gone.
import { parentPort, workerData } from 'node:worker_threads';
import type { Client as PgClient, ClientConfig } from 'pg';
import type { PgReply, PgRequest, PgWorkerData } from './pgProtocol';

const data = workerData as PgWorkerData;
const flag = new Int32Array(data.flag);
let client: PgClient | undefined;

function reply(r: PgReply): void {
  data.port.postMessage(r);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
}

// SQLSTATE classes: 08 connection, 57P01..03 the server shutting down or starting, 53100 disk full, 28 login, 3D000 no such database.
function kindOf(err: unknown): Exclude<PgReply, { ok: true }>['kind'] {
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (code.startsWith('08') || /^57P0[123]$/.test(code)) return 'connection';
    if (code === '53100') return 'full';
    if (code.startsWith('28') || code === '3D000') return 'login';
    if (/^E[A-Z]+$/.test(code)) return 'connection'; // ECONNREFUSED, ECONNRESET, ...
    return 'sql';
  }
  return /Connection terminated|not queryable|connection|timeout expired/i.test((err as Error).message ?? '') ? 'connection' : 'sql';
}

let connecting: Promise<PgClient> | undefined;

/**
 * The connection, made once for every request waiting on it: a connection that takes longer than one
 * request's deadline (a busy or stopped server) goes on for the next request instead of starting over.
 */
function connect(): Promise<PgClient> {
  if (client) return Promise.resolve(client);
  connecting ??= (async () => {
    const pg = await import('pg');
    const parse = (oid: number) => (oid === 20 || oid === 1700 ? (v: string) => Number(v) : pg.types.getTypeParser(oid));
    // A server that accepts the connection and never answers (stopped, SIGSTOP) is given up after 30 s.
    const config: ClientConfig = { connectionString: data.url, types: { getTypeParser: parse } as ClientConfig['types'], application_name: 'ferry', connectionTimeoutMillis: 30_000 };
    const c = new pg.Client(config);
    // A server that goes away while idle: forget the connection, the next statement makes a new one.
    c.on('error', () => {
      if (client === c) client = undefined;
    });
    await c.connect();
    client = c;
    return c;
  })().finally(() => (connecting = undefined));
  return connecting;
}

function drop(): void {
  const c = client;
  client = undefined;
  c?.end().catch(() => undefined);
}

/** Cuts the connection at once (a server that does not answer would hold end() too). */
function cut(c: PgClient): void {
  if (client === c) client = undefined;
  (c as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
}

/** The work's result, or a connection failure once the caller's deadline passes (`late` runs then). */
async function within<T>(work: Promise<T>, deadline: number, late?: () => void): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      late?.();
      reject(Object.assign(new Error('no answer before the caller stopped waiting'), { code: 'ETIMEDOUT' }));
    }, Math.max(0, deadline - Date.now()));
  });
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
    work.catch(() => undefined);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Answer = PgReply extends infer R ? (R extends PgReply ? Omit<R, 'seq'> : never) : never;

async function query(req: Extract<PgRequest, { op: 'query' }>): Promise<Answer> {
  // Retried while the server restarts, never past the caller's own deadline.
  const deadline = Math.min(Date.now() + data.reconnectMs, req.deadline);
  for (let attempt = 0; ; attempt++) {
    try {
      const c = await within(connect(), req.deadline);
      // A statement still unanswered at the deadline loses its connection: it never runs later.
      const result = await within(c.query({ text: req.sql, values: req.params as unknown[] }), req.deadline, () => cut(c));
      return { ok: true, rows: result.rows as Record<string, unknown>[], rowCount: result.rowCount ?? 0 };
    } catch (err) {
      const kind = kindOf(err);
      if (kind === 'connection') drop();
      const message = err instanceof Error ? err.message : String(err);
      if (kind !== 'connection' || req.inTx || Date.now() >= deadline) return { ok: false, message, code: (err as { code?: string }).code, kind };
      await sleep(Math.min(1000, 50 * 2 ** attempt, Math.max(0, deadline - Date.now())));
    }
  }
}

parentPort!.on('message', (req: PgRequest) => {
  const answer = (r: Answer) => reply({ ...r, seq: req.seq } as PgReply);
  if (req.op === 'close') {
    const c = client;
    client = undefined;
    void (c ? c.end().catch(() => undefined) : Promise.resolve()).then(() => answer({ ok: true, rows: [], rowCount: 0 }));
    return;
  }
  query(req).then(answer, (err: unknown) => answer({ ok: false, message: String(err), kind: 'sql' }));
});
