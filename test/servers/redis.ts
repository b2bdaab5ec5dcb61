// A throwaway Redis for tests: Debian's `redis-server` on a free port of 127.0.0.1, its files in a
// fresh temp folder, a password (requirepass) as a real deployment has, stopped by its own pid.
// Persistence as BullMQ asks for it: the append-only file, written on every command, so a server
// killed with SIGKILL and started again (down/start, same port) still holds every job it acknowledged;
// noeviction, so Redis never drops a job to make room.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort } from './dovecot';
import { readyWhenLogged } from './logReady';

export const REDIS_SERVER = process.env.FERRY_REDIS_SERVER ?? '/usr/bin/redis-server';

export interface RedisServer {
  host: '127.0.0.1';
  port: number;
  password: string;
  /** redis://default@127.0.0.1:<port>/0, without the password (it goes through a file or a secret). */
  url: string;
  dir: string;
  pid: number;
  log(): string;
  /** Bytes of memory Redis uses now (INFO memory, used_memory). */
  usedMemory(): number;
  /** SIGKILL (a crash) or SIGTERM (a clean shutdown); start() brings it back on the same port. */
  down(signal: 'SIGKILL' | 'SIGTERM'): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Why Redis cannot run here, or undefined when it can. */
export function redisMissing(): string | undefined {
  return fs.existsSync(REDIS_SERVER) ? undefined : `redis-server absent at ${REDIS_SERVER} (Debian: bash scripts/install-debian-packages.sh redis-server)`;
}


export async function startRedis(): Promise<RedisServer> {
  const missing = redisMissing();
  if (missing) throw new Error(missing);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-redis-'));
  const port = await freePort();
  const password = `pw-${Math.random().toString(36).slice(2)}`;
  // The password in a config file of the folder, not on redis-server's command line (ps shows that).
  const conf = path.join(dir, 'redis.conf');
  fs.writeFileSync(
    conf,
    [`bind 127.0.0.1`, `port ${port}`, `dir ${dir}`, `requirepass ${password}`, 'save ""', 'appendonly yes', 'appendfsync always', 'maxmemory-policy noeviction', 'protected-mode yes', 'daemonize no', 'logfile ""', ''].join('\n'),
    { mode: 0o600 },
  );
  const logFile = path.join(dir, 'redis.log');
  let child: ChildProcess | undefined;
  const start = async () => {
    child = spawn(REDIS_SERVER, [conf], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stderr?.on('data', (c: Buffer) => fs.appendFileSync(logFile, c));
    await readyWhenLogged(child, child.stdout, /Ready to accept connections/, logFile, 'redis-server');
  };
  const down = async (signal: 'SIGKILL' | 'SIGTERM') => {
    const c = child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const exited = new Promise((r) => c.once('exit', r));
    process.kill(c.pid!, signal);
    await exited;
  };
  await start();
  return {
    host: '127.0.0.1',
    port,
    password,
    url: `redis://default@127.0.0.1:${port}/0`,
    dir,
    get pid() {
      return child!.pid!;
    },
    log: () => (fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : ''),
    usedMemory() {
      const r = spawnSync('redis-cli', ['-h', '127.0.0.1', '-p', String(port), '--no-auth-warning', 'INFO', 'memory'], { encoding: 'utf8', env: { ...process.env, REDISCLI_AUTH: password } });
      return Number(/used_memory:(\d+)/.exec(r.stdout)?.[1] ?? NaN);
    },
    down,
    start,
    async stop() {
      await down('SIGTERM');
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
