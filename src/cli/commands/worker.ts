// `ferry worker [--concurrency N] [--lease SECONDS] [--project PLAN...]`: a distributed worker. Takes
// mailbox jobs from the queue until SIGTERM or Ctrl-C: then it takes no new job and lets the
// mailboxes in flight finish (a second signal leaves at once; their jobs go to another worker
// after the lease). Needs FERRY_DATABASE_URL (the state) and FERRY_REDIS_URL (the queue).
import * as path from 'node:path';
import { FerryWorker, storeWaits } from '../../distributed/worker';
import { openQueueSite } from '../../distributed/queues';
import { envSecrets } from '../../engine/secrets';
import { findProjectOf } from '../../engine/projectIdentity';
import { EngineRefusal } from '../../engine/refusal';
import { registryConnectors } from '../../runner/connectors';
import { Store } from '../../store/store';
import { distributedOf } from '../distributed';
import type { CliIo } from '../io';
import { ExitCode, UsageError } from '../usage';

export interface WorkerArgs {
  concurrency?: string;
  lease?: string;
  projects: string[];
}

function positive(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${name} takes a positive number`);
  return n;
}

export async function workerCommand(args: WorkerArgs, io: CliIo): Promise<number> {
  const concurrency = Math.floor(positive('--concurrency', args.concurrency, 4));
  const leaseMs = Math.round(positive('--lease', args.lease, 30) * 1000);
  const config = distributedOf(io);
  if (!config) throw new EngineRefusal('DIST-001', ['FERRY_DATABASE_URL', 'a worker needs the shared state database; it is not set']);
  // Store calls bounded well under the lease: a PostgreSQL outage never lets a held job's lease lapse.
  const store = Store.openShared(config.databaseUrl, storeWaits(leaseMs));
  const site = await openQueueSite(config);
  // --project: this machine's copies of the plans, found by the plan's identity (another machine
  // may have enqueued from a checkout at another path); the worker reads its own copy.
  const planFiles = new Map<number, string>();
  for (const file of args.projects) {
    const local = path.resolve(io.cwd, file);
    const id = findProjectOf(store, local);
    if (id === undefined) throw new UsageError(`no pass was enqueued yet for ${file}`);
    planFiles.set(id, local);
  }
  const projects = planFiles.size ? [...planFiles.keys()] : undefined;
  const worker = new FerryWorker({ store, site, connectors: registryConnectors, secrets: envSecrets(io.env), concurrency, leaseMs, projects, planFiles, log: (line) => io.err(line) });
  worker.events.on((e) => {
    if (e.type === 'itemStatus' && ['Completed', 'Resynced', 'FinishedWithErrors', 'Failed', 'NotValid', 'Stopped', 'ConfirmationRequired'].includes(e.status)) io.out(`[${e.batch}] ${e.item}: ${e.status}${e.code ? ` ${e.code}` : ''}`);
    if (e.type === 'passEnded') io.out(`pass ${e.passId} ended: ${e.summary.status}`);
  });
  const stopped = new Promise<void>((resolve) => {
    let signals = 0;
    const onSignal = () => {
      if (++signals > 1) process.exit(130);
      io.err('ferry worker: finishing the mailboxes in flight, taking no new job (again to leave at once)...');
      resolve();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
  io.err(`ferry worker: pid ${process.pid}, ${concurrency} at once, lease ${leaseMs / 1000} s, queue ${site.where}, state ${store.dir}`);
  worker.start();
  await stopped;
  await worker.close(true);
  store.close();
  io.err(`ferry worker: stopped after ${worker.finished} mailbox job${worker.finished === 1 ? '' : 's'}.`);
  return ExitCode.ok;
}
