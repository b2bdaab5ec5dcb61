// Distributed mode's figures (prints them; asserts nothing): `ferry worker` processes on BullMQ with
// a throwaway Redis for the work and a throwaway PostgreSQL 15 for the state.
// 1. Scaling: the same batch with 1, 2 and 4 workers (one mailbox at a time each) where every
//    mailbox costs a fixed service time (FERRY_BENCH_COST_MS, default 500: a per-mailbox budget
//    the service enforces, simulated; not this machine's CPU): throughput and the ratio to 1.
// 2. Simulation: FERRY_BENCH_MAILBOXES (default 50,000) mailboxes with a connector that costs
//    nothing, FERRY_BENCH_WORKERS (default 4) workers: enqueue time, enqueue to first job, jobs/s,
//    PostgreSQL commits/s, peak RSS per worker, PostgreSQL's and Redis's sizes afterwards.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { distributedConfig } from '../../src/distributed/config';
import { enqueuePass, followPass } from '../../src/distributed/dispatch';
import { keepCompleted } from '../../src/distributed/passJobs';
import { openQueueSite } from '../../src/distributed/queues';
import { EngineEvents } from '../../src/engine/events';
import { envSecrets } from '../../src/engine/secrets';
import { loadPlan } from '../../src/runner/loadPlan';
import { Store } from '../../src/store/store';
import { postgresMissing, startPostgres, type PostgresServer } from '../servers/postgres';
import { redisMissing, startRedis, type RedisServer } from '../servers/redis';
import { tempDir } from '../unit/helpers/repoRoot';

interface WorkerReport {
  jobs: number;
  firstJobAt?: number;
  peakRss: number;
}

const MB = 1024 * 1024;

function writePlan(dir: string, mailboxes: number): string {
  // A large batch is an items file (CSV), as the product recommends: YAML of 50,000 items parses slowly.
  const rows = Array.from({ length: mailboxes }, (_, i) => `u${i}@contoso.example,u${i}@fabrikam.example`).join('\n');
  fs.writeFileSync(path.join(dir, 'all.csv'), `source,destination\n${rows}\n`);
  const file = path.join(dir, 'bench.migration.yaml');
  fs.mkdirSync(path.join(dir, 'source'), { recursive: true });
  fs.writeFileSync(file, `version: 1\nproject: { name: Bench }\nendpoints:\n  src: { type: maildir, path: ./source }\n  dst: { type: maildir, path: ./destination, layout: fs }\nsource: src\ndestination: dst\noptions:\n  maxConcurrentMigrations: 500\nbatches:\n  - name: All\n    itemsFile: all.csv\n`);
  return file;
}

function startWorker(env: NodeJS.ProcessEnv, costMs: number, concurrency: number): Promise<{ child: ChildProcess; report: Promise<WorkerReport> }> {
  const child = spawn(process.execPath, [path.join(__dirname, 'distributedWorker.js')], { env: { ...env, FERRY_BENCH_COST_MS: String(costMs), FERRY_BENCH_CONCURRENCY: String(concurrency) }, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  let readyResolve: () => void;
  const ready = new Promise<void>((r) => (readyResolve = r));
  const report = new Promise<WorkerReport>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('ready\n')) readyResolve();
      const last = out.trim().split('\n').pop()!;
      if (last.startsWith('{')) resolve(JSON.parse(last) as WorkerReport);
    });
    child.once('exit', (code) => reject(new Error(`bench worker exited ${code}`)));
  });
  return ready.then(() => ({ child, report }));
}

async function runPass(server: PostgresServer, redis: RedisServer, name: string, mailboxes: number, workers: number, costMs: number, concurrency: number) {
  const dir = tempDir('bench-dist');
  const url = new URL(server.createDatabase(name));
  url.password = '';
  const pw = path.join(dir, 'pw');
  fs.writeFileSync(pw, server.password);
  const redisPw = path.join(dir, 'redis-pw');
  fs.writeFileSync(redisPw, redis.password);
  const env: NodeJS.ProcessEnv = { ...process.env, FERRY_DATABASE_URL: url.toString(), FERRY_DATABASE_PASSWORD_FILE: pw, FERRY_REDIS_URL: redis.url, FERRY_REDIS_PASSWORD_FILE: redisPw };
  const config = distributedConfig(env, envSecrets(env))!;
  const store = Store.openShared(config.databaseUrl);
  const site = await openQueueSite(config);
  const plan = loadPlan(writePlan(dir, mailboxes)).plan;
  const started = await Promise.all(Array.from({ length: workers }, () => startWorker(env, costMs, concurrency)));
  const commits = () => Number(store.db.get('SELECT xact_commit AS c FROM pg_stat_database WHERE datname = current_database()')?.c);
  const commitsBefore = commits();
  // The machine's load while the pass runs (a shared machine: the figures depend on it).
  const loads: number[] = [];
  const sampleLoad = setInterval(() => loads.push(os.loadavg()[0]), 5000);
  const t0 = Date.now();
  const enqueued = await enqueuePass({ plan, store, site, pass: 'full', events: new EngineEvents() });
  const tEnqueued = Date.now();
  if (!('queue' in enqueued)) throw new Error(`pass refused: ${enqueued.code} ${enqueued.message}`);
  // A pass whose end failed (DIST-014) stops the bench; its workers are stopped by their own pids.
  const summary = await followPass(site, enqueued).catch((err: unknown) => {
    for (const w of started) w.child.kill('SIGKILL');
    throw err;
  });
  const tEnd = Date.now();
  clearInterval(sampleLoad);
  const commitsAfter = commits();
  for (const w of started) w.child.kill('SIGTERM');
  const reports = await Promise.all(started.map((w) => w.report));
  const firstJob = Math.min(...reports.map((r) => r.firstJobAt ?? Infinity));
  const size = (sql: string) => Number(store.db.get(sql)?.s ?? 0);
  const figures = {
    completed: summary.totals.completed,
    enqueueS: (tEnqueued - t0) / 1000,
    enqueueToFirstJobS: (firstJob - t0) / 1000,
    passS: (tEnd - t0) / 1000,
    jobsPerS: mailboxes / ((tEnd - Math.max(firstJob, tEnqueued)) / 1000),
    commitsPerS: (commitsAfter - commitsBefore) / ((tEnd - t0) / 1000),
    rssMb: reports.map((r) => r.peakRss / MB),
    dbMb: size('SELECT pg_database_size(current_database()) AS s') / MB,
    redisMb: redis.usedMemory() / MB,
    load: loads.length ? { min: Math.min(...loads), mean: loads.reduce((a, b) => a + b, 0) / loads.length, max: Math.max(...loads) } : undefined,
    stateMb: size("SELECT COALESCE(SUM(pg_total_relation_size(c.oid)), 0) AS s FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind = 'r'") / MB,
  };
  store.close();
  return figures;
}

async function main(): Promise<void> {
  const missing = postgresMissing() ?? redisMissing();
  if (missing) {
    console.log(`bench:distributed skipped: ${missing}`);
    return;
  }
  const server = await startPostgres();
  const redis = await startRedis();
  try {
    const costMs = Number(process.env.FERRY_BENCH_COST_MS ?? 500);
    const batch = Number(process.env.FERRY_BENCH_SCALING_MAILBOXES ?? 24);
    console.log(`Scaling: ${batch} mailboxes, each costing ${costMs} ms of service budget (simulated), one mailbox at a time per worker`);
    let base = 0;
    for (const workers of [1, 2, 4]) {
      const f = await runPass(server, redis, `scale_${workers}`, batch, workers, costMs, 1);
      const rate = f.completed / f.passS;
      base ||= rate;
      console.log(`  ${workers} worker(s): ${rate.toFixed(2)} mailboxes/s (${f.passS.toFixed(1)} s), x${(rate / base).toFixed(2)} of 1 worker`);
    }
    const mailboxes = Number(process.env.FERRY_BENCH_MAILBOXES ?? 50_000);
    const workers = Number(process.env.FERRY_BENCH_WORKERS ?? 4);
    console.log(`Simulation: ${mailboxes.toLocaleString('en')} mailboxes, a connector that costs nothing, ${workers} workers x 4 at once`);
    const f = await runPass(server, redis, 'simulation', mailboxes, workers, 0, 4);
    console.log(`  completed ${f.completed}; enqueue ${f.enqueueS.toFixed(1)} s (plan to store, pass opened, flow added); from the start of the enqueue to the first job started ${f.enqueueToFirstJobS.toFixed(2)} s`);
    console.log(`  ${f.jobsPerS.toFixed(1)} jobs/s; ${f.commitsPerS.toFixed(0)} PostgreSQL commits/s (the state); pass ${f.passS.toFixed(1)} s`);
    if (f.load) console.log(`  machine load (1-min average, ${os.cpus().length} cores) during the pass: ${f.load.min.toFixed(1)}-${f.load.max.toFixed(1)}, mean ${f.load.mean.toFixed(1)}`);
    console.log(`  peak RSS per worker: ${f.rssMb.map((m) => `${m.toFixed(0)} MB`).join(', ')}`);
    console.log(`  afterwards: PostgreSQL database ${f.dbMb.toFixed(1)} MB (state tables ${f.stateMb.toFixed(1)} MB); Redis used_memory ${f.redisMb.toFixed(1)} MB (completed mailbox jobs dropped: removeOnComplete keeps the last ${keepCompleted.count} for ${keepCompleted.age / 3600} h)`);
  } finally {
    await redis.stop();
    await server.stop();
  }
}

void main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
