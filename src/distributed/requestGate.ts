// Budgets a service counts per account, held across every distributed worker: slots in Redis. A
// key's slots are a sorted set of holders (one entry per slot) scored by when their lease ends (Redis's own clock, so
// machines' clocks do not matter); taking a slot drops the ended leases and adds a holder only
// while fewer than the limit remain, in one script (atomic). A holder renews its lease while its
// request runs, so a worker killed with kill -9 frees its slots when their lease ends.
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { RequestGate } from '../connectors/types';

/** A holder's lease: renewed every third of it while its request runs. */
const leaseMs = 30_000;
/** Waits between tries while every slot is held (doubling up to the last). */
const retryMs = [10, 20, 40, 80, 160];

const take = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local count = tonumber(ARGV[4])
if redis.call('ZCARD', KEYS[1]) + count <= tonumber(ARGV[1]) then
  for i = 1, count do
    redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[3] .. '#' .. i)
  end
  redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]))
  return 1
end
return 0`;

const renew = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
for i = 1, tonumber(ARGV[3]) do
  local holder = ARGV[2] .. '#' .. i
  if redis.call('ZSCORE', KEYS[1], holder) then
    redis.call('ZADD', KEYS[1], now + tonumber(ARGV[1]), holder)
    redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[1]))
  end
end
return 0`;

export class RedisRequestGate implements RequestGate {
  private readonly me = randomUUID();
  private serial = 0;

  /** `prefix`: the deployment's key prefix (queuePrefix). */
  constructor(private readonly redis: Redis, private readonly prefix: string) {}

  private key(key: string): string {
    return `${this.prefix}:gate:${key}`;
  }

  async acquire(key: string, limit: number, count = 1): Promise<() => void> {
    const k = this.key(key);
    const n = Math.max(1, Math.min(count, limit));
    const holder = `${this.me}:${++this.serial}`;
    for (let attempt = 0; ; attempt++) {
      if ((await this.redis.eval(take, 1, k, limit, leaseMs, holder, n)) === 1) break;
      await new Promise((r) => setTimeout(r, retryMs[Math.min(attempt, retryMs.length - 1)]));
    }
    const renewal = setInterval(() => void this.redis.eval(renew, 1, k, leaseMs, holder, n).catch(() => undefined), leaseMs / 3);
    renewal.unref();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      clearInterval(renewal);
      // Not awaited: the slot is free once Redis has it, and its lease ends it anyway.
      void this.redis.zrem(k, ...Array.from({ length: n }, (_, i) => `${holder}#${i + 1}`)).catch(() => undefined);
    };
  }
}
