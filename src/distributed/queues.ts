// BullMQ, loaded only in distributed mode, on the queue this machine's configuration names: Redis
// (FERRY_REDIS_URL; BullMQ loads its `ioredis` client) or BullMQ's PostgreSQL backend in the state's
// database (schema ferry_queue) when no Redis is named. One queue per project, so the project's
// maxConcurrentMigrations is the queue's global concurrency across every worker.
import { EngineRefusal } from '../engine/refusal';
import { redactUrl } from '../store/postgres/pgDatabase';
import type { DistributedConfig } from './config';

type Bull = typeof import('bullmq');

export interface QueueSite {
  bull: Bull;
  /** Options every Queue, Worker, FlowProducer and QueueEvents of this site takes. */
  options: { connection: unknown };
  /** BullMQ's backend factory (PostgreSQL), or undefined for its default (Redis). */
  factory: unknown;
  /** Where the queue is, without a password (messages). */
  where: string;
}

export const queueSchema = 'ferry_queue';

export const queueName = (projectId: number): string => `ferry-project-${projectId}`;

/** Names of a pass's jobs: one per mailbox, and the pass's end, which waits for them all. */
export const mailboxJobId = (passId: number, itemId: number): string => `pass-${passId}-item-${itemId}`;
export const passEndJobId = (passId: number): string => `pass-${passId}-end`;

function redisOptions(url: string): Record<string, unknown> {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 6379),
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    db: Number(u.pathname.slice(1) || 0),
    ...(u.protocol === 'rediss:' ? { tls: {} } : {}),
    // Workers block on Redis; BullMQ requires unlimited retries so a Redis restart pauses them.
    maxRetriesPerRequest: null,
  };
}

export async function openQueueSite(config: DistributedConfig): Promise<QueueSite> {
  const bull = await import('bullmq');
  if (config.redisUrl) {
    try {
      require.resolve('ioredis');
    } catch {
      throw new EngineRefusal('DIST-010', [redactUrl(config.redisUrl), "BullMQ's Redis client `ioredis` is not installed"]);
    }
    return { bull, options: { connection: redisOptions(config.redisUrl) }, factory: undefined, where: redactUrl(config.redisUrl) };
  }
  return {
    bull,
    // migrate: BullMQ creates or upgrades its schema (under its own advisory lock) on first use.
    options: { connection: { connectionString: config.databaseUrl, schema: queueSchema, max: 4, migrate: true } },
    factory: bull.createPostgresBackend,
    where: `${redactUrl(config.databaseUrl)} (schema ${queueSchema})`,
  };
}

type Ctor<T> = new (...args: unknown[]) => T;

export function newQueue(site: QueueSite, name: string): import('bullmq').Queue {
  return new (site.bull.Queue as unknown as Ctor<import('bullmq').Queue>)(name, site.options, site.factory);
}

export function newFlowProducer(site: QueueSite): import('bullmq').FlowProducer {
  return new (site.bull.FlowProducer as unknown as Ctor<import('bullmq').FlowProducer>)(site.options, site.factory);
}

export function newQueueEvents(site: QueueSite, name: string): import('bullmq').QueueEvents {
  return new (site.bull.QueueEvents as unknown as Ctor<import('bullmq').QueueEvents>)(name, site.options, site.factory);
}

export function newWorker(site: QueueSite, name: string, processor: import('bullmq').Processor, options: Partial<import('bullmq').WorkerOptions>): import('bullmq').Worker {
  return new (site.bull.Worker as unknown as Ctor<import('bullmq').Worker>)(name, processor, { ...site.options, ...options }, site.factory);
}
