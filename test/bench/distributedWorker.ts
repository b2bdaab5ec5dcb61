// A `ferry worker` for the distributed benchmark, with a connector whose cost is set by the bench:
// mailboxes without folders (FERRY_BENCH_COST_MS=0: the cost of the machinery alone) or a fixed
// service time per mailbox (a per-mailbox budget the service enforces, not this machine's CPU).
// Prints one JSON line on SIGTERM: jobs done, first job start, peak RSS.
import type { Connector, DestinationMailbox, SourceMailbox } from '../../src/connectors/types';
import { distributedConfig } from '../../src/distributed/config';
import { openQueueSite } from '../../src/distributed/queues';
import { FerryWorker, storeWaits } from '../../src/distributed/worker';
import { envSecrets } from '../../src/engine/secrets';
import { Store } from '../../src/store/store';

const costMs = Number(process.env.FERRY_BENCH_COST_MS ?? 0);
let firstJobAt: number | undefined;
let peakRss = 0;

const source: SourceMailbox = { listFolders: async () => [], listItems: async () => ({ items: [] }) as never, readItem: async () => { throw new Error('no items'); }, close: async () => undefined };
const destination = { listFolders: async () => [], ensureFolder: async () => { throw new Error('no folders'); }, writeItem: async () => { throw new Error('no items'); }, findWritten: async () => undefined, close: async () => undefined } as unknown as DestinationMailbox;
const connector: Connector = {
  kind: 'maildir',
  openDestination: async () => {
    firstJobAt ??= Date.now();
    if (costMs) await new Promise((r) => setTimeout(r, costMs));
    return destination;
  },
  openSource: async () => source,
};

async function main(): Promise<void> {
  const config = distributedConfig(process.env, envSecrets(process.env))!;
  const store = Store.openShared(config.databaseUrl, storeWaits(30_000));
  const site = await openQueueSite(config);
  const worker = new FerryWorker({ store, site, connectors: async () => connector, secrets: () => undefined, concurrency: Number(process.env.FERRY_BENCH_CONCURRENCY ?? 4), leaseMs: 30_000, pollMs: 200, log: (line) => process.stderr.write(`${line}\n`) });
  const sample = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 200);
  worker.start();
  process.stdout.write('ready\n');
  process.once('SIGTERM', () => {
    void worker.close(true).then(() => {
      clearInterval(sample);
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
      store.close();
      process.stdout.write(`${JSON.stringify({ jobs: worker.finished, firstJobAt, peakRss })}\n`);
      process.exit(0);
    });
  });
}

void main();
