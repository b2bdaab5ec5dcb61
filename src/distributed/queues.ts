// BullMQ on Redis (FERRY_REDIS_URL), loaded only in distributed mode: the work is on Redis, the state
// in PostgreSQL. One queue per project, so the project's maxConcurrentMigrations is the queue's
// global concurrency across every worker. Redis is checked once before use (DIST-010 when it does
// not answer); afterwards a Redis restart pauses BullMQ's clients, which reconnect and go on.
import { EngineRefusal } from '../engine/refusal';
import { redactUrl } from '../store/postgres/pgDatabase';
import type { DistributedConfig } from './config';

type Bull = typeof import('bullmq');

export interface QueueSite {
  bull: Bull;
  /** Options every Queue, Worker, FlowProducer and QueueEvents of this site takes. */
  options: { connection: Record<string, unknown>; prefix: string };
  /** Where the queue is, without a password (messages). */
  where: string;
}

export const queueName = (projectId: number): string => `ferry-project-${projectId}`;

/** Names of a pass's jobs: one per mailbox, and the pass's end, which waits for them all. */
export const mailboxJobId = (passId: number, itemId: number): string => `pass-${passId}-item-${itemId}`;
/** An orchestrated batch's job, named by the first of its items. */
export const orchestratedJobId = (passId: number, firstItemId: number): string => `pass-${passId}-orchestrated-${firstItemId}`;
export const passEndJobId = (passId: number): string => `pass-${passId}-end`;

/** ioredis options for a redis:// or rediss:// URL (its password filled in by the configuration). */
export function redisOptions(url: string): Record<string, unknown> {
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

/** Seconds the first contact with Redis may take before the command gives up (DIST-010). */
const probeSeconds = 15;

/** Redis answers PING with these options, or the refusal says why not. */
async function probe(options: Record<string, unknown>, where: string): Promise<void> {
  const { Redis } = await import('ioredis');
  const client = new Redis({ ...options, lazyConnect: true, connectTimeout: probeSeconds * 1000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.ping();
  } catch (err) {
    throw new EngineRefusal('DIST-010', [where, (err as Error).message]);
  } finally {
    client.disconnect();
  }
}

/**
 * The keys' prefix on Redis: the state's database name, so deployments with their own databases
 * (one per customer, or the tests') share a Redis without their project ids meeting.
 */
export function queuePrefix(databaseUrl: string): string {
  return `ferry:${decodeURIComponent(new URL(databaseUrl).pathname.slice(1)) || 'postgres'}`;
}

export async function openQueueSite(config: DistributedConfig): Promise<QueueSite> {
  if (!config.redisUrl) throw new EngineRefusal('DIST-001', ['FERRY_REDIS_URL', 'distributed passes are jobs on Redis, and it is not set']);
  const where = redactUrl(config.redisUrl);
  const connection = redisOptions(config.redisUrl);
  await probe(connection, where);
  return { bull: await import('bullmq'), options: { connection, prefix: queuePrefix(config.databaseUrl) }, where };
}

export function newQueue(site: QueueSite, name: string): import('bullmq').Queue {
  return new site.bull.Queue(name, site.options);
}

export function newFlowProducer(site: QueueSite): import('bullmq').FlowProducer {
  return new site.bull.FlowProducer(site.options);
}

export function newQueueEvents(site: QueueSite, name: string): import('bullmq').QueueEvents {
  return new site.bull.QueueEvents(name, site.options);
}

export function newWorker(site: QueueSite, name: string, processor: import('bullmq').Processor, options: Partial<import('bullmq').WorkerOptions>): import('bullmq').Worker {
  return new site.bull.Worker(name, processor, { ...site.options, ...options });
}
