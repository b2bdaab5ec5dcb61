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
  return /Connection terminated|not queryable|connection/i.test((err as Error).message ?? '') ? 'connection' : 'sql';
}

async function connect(): Promise<PgClient> {
  if (client) return client;
  const pg = await import('pg');
  const parse = (oid: number) => (oid === 20 || oid === 1700 ? (v: string) => Number(v) : pg.types.getTypeParser(oid));
  const config: ClientConfig = { connectionString: data.url, types: { getTypeParser: parse } as ClientConfig['types'], application_name: 'ferry' };
  const c = new pg.Client(config);
  // A server that goes away while idle: forget the connection, the next statement makes a new one.
  c.on('error', () => {
    if (client === c) client = undefined;
  });
  await c.connect();
  client = c;
  return c;
}

function drop(): void {
  const c = client;
  client = undefined;
  c?.end().catch(() => undefined);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Answer = PgReply extends infer R ? (R extends PgReply ? Omit<R, 'seq'> : never) : never;

async function query(req: Extract<PgRequest, { op: 'query' }>): Promise<Answer> {
  const deadline = Date.now() + data.reconnectMs;
  for (let attempt = 0; ; attempt++) {
    try {
      const c = await connect();
      const result = await c.query({ text: req.sql, values: req.params as unknown[] });
      return { ok: true, rows: result.rows as Record<string, unknown>[], rowCount: result.rowCount ?? 0 };
    } catch (err) {
      const kind = kindOf(err);
      if (kind === 'connection') drop();
      const message = err instanceof Error ? err.message : String(err);
      if (kind !== 'connection' || req.inTx || Date.now() >= deadline) return { ok: false, message, code: (err as { code?: string }).code, kind };
      await sleep(Math.min(1000, 50 * 2 ** attempt));
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
