// What the distributed tests share: a throwaway PostgreSQL (the state) and Redis (the queue) for a
// describe block, a database of each test's own (its name also prefixes its queues on the shared
// Redis), the passwords only in files as an operator keeps them, and `ferry worker` processes
// killed at the end of each test. Skips with one line where PostgreSQL or Redis is not installed.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { postgresMissing, startPostgres, type PostgresServer } from '../../servers/postgres';
import { redisMissing, startRedis, type RedisServer } from '../../servers/redis';
import { tempDir } from '../../unit/helpers/repoRoot';
import { skipWith } from '../../unit/helpers/sharedReference';
import { ensureBuilt, exited } from '../engine/maildirFixture';

export interface Cluster {
  server: PostgresServer;
  redis: RedisServer;
  /** dist/bin/ferry.js */
  ferry: string;
  /** The environment of a machine of a fresh deployment (its own database). */
  environment(): NodeJS.ProcessEnv;
  /** A `ferry worker` (lease 2 s, 2 mailboxes at once) in `cwd`, killed after the test if still running. */
  worker(cwd: string, env: NodeJS.ProcessEnv, extra?: string[]): ChildProcess;
}

/**
 * A throwaway PostgreSQL for a describe block (its `server` filled in by `before`, stopped by its pid
 * after, then `cleanup` if given); skips with one line where PostgreSQL is not installed.
 */
export function usePostgres(cleanup?: () => void): { server: PostgresServer } {
  const held = {} as { server: PostgresServer };
  before(async function () {
    const missing = postgresMissing();
    if (missing) skipWith(this, `skipped: ${missing}`);
    held.server = await startPostgres();
  });
  after(async () => {
    cleanup?.();
    await held.server?.stop();
  });
  return held;
}

/** Registers the hooks of a describe block and returns its cluster (filled in by `before`). */
export function useCluster(): Cluster {
  let databases = 0;
  const children: ChildProcess[] = [];
  const cluster = {} as Cluster;
  before(async function () {
    const missing = postgresMissing() ?? redisMissing();
    if (missing) skipWith(this, `skipped: ${missing}`);
    cluster.ferry = path.join(ensureBuilt(), 'bin', 'ferry.js');
    cluster.server = await startPostgres();
    cluster.redis = await startRedis();
  });
  after(async () => {
    await cluster.redis?.stop();
    await cluster.server?.stop();
  });
  afterEach(async () => {
    for (const c of children.splice(0)) {
      if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
      await exited(c);
    }
  });
  cluster.environment = () => {
    const url = new URL(cluster.server.createDatabase(`dist_${process.pid}_${++databases}`));
    url.password = '';
    const dir = tempDir('dist-pw');
    const pwFile = path.join(dir, 'pw');
    fs.writeFileSync(pwFile, `${cluster.server.password}\n`, { mode: 0o600 });
    const redisPwFile = path.join(dir, 'redis-pw');
    fs.writeFileSync(redisPwFile, `${cluster.redis.password}\n`, { mode: 0o600 });
    return { ...process.env, FERRY_DATABASE_URL: url.toString(), FERRY_DATABASE_PASSWORD_FILE: pwFile, FERRY_REDIS_URL: cluster.redis.url, FERRY_REDIS_PASSWORD_FILE: redisPwFile };
  };
  cluster.worker = (cwd, env, extra = []) => {
    const child = spawn(process.execPath, [cluster.ferry, 'worker', '--lease', '2', '--concurrency', '2', ...extra], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    // Both pipes drained: a worker whose log fills an unread pipe would block on its next line.
    child.stdout!.resume();
    child.stderr!.resume();
    children.push(child);
    return child;
  };
  return cluster;
}
