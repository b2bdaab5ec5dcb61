// A throwaway PostgreSQL 15 for tests: Debian's binaries (/usr/lib/postgresql/15/bin) make a cluster
// with initdb in a fresh temp folder and run `postgres` on a free port of 127.0.0.1, its unix socket
// in that folder. PostgreSQL refuses to run as root: as root the folder belongs to the `postgres`
// user and the processes run as that user (spawn's uid/gid), so the pid we hold is postgres's own.
// The superuser `ferry` logs in over TCP with a password (scram-sha-256), as a real deployment would.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort } from './dovecot';
import { readyWhenLogged } from './logReady';

export const POSTGRES_BIN = process.env.FERRY_POSTGRES_BIN ?? '/usr/lib/postgresql/15/bin';

export interface PostgresServer {
  host: '127.0.0.1';
  port: number;
  user: string;
  password: string;
  database: string;
  /** postgres://ferry:<password>@127.0.0.1:<port>/<database> */
  url: string;
  dir: string;
  pid: number;
  log(): string;
  /** Makes a fresh database (a test's own state) and returns its URL. */
  createDatabase(name: string): string;
  /** SIGKILL (a crash) or SIGINT (fast shutdown), keeping the cluster; start() brings it back on the same port. */
  down(signal: 'SIGKILL' | 'SIGINT'): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
  /**
   * SIGSTOP of the postmaster and every backend (a server that hangs: connections stay open, nothing
   * answers, new ones are never served); thaw() sends SIGCONT. Both by pid.
   */
  freeze(): void;
  thaw(): void;
}

/** Why PostgreSQL cannot run here, or undefined when it can. */
export function postgresMissing(): string | undefined {
  return fs.existsSync(path.join(POSTGRES_BIN, 'postgres')) ? undefined : `PostgreSQL absent at ${POSTGRES_BIN} (Debian: bash scripts/install-debian-packages.sh postgresql)`;
}

function account(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const line = fs.readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith('postgres:'));
  if (!line) throw new Error('running as root needs the `postgres` user (Debian: apt-get install postgresql) to run PostgreSQL');
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}


/** The pids of a process's children (Linux /proc). */
function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      // pid (comm) state ppid ...: comm may hold spaces, so read after its closing parenthesis.
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid) out.push(Number(entry));
    } catch {
      // ended meanwhile
    }
  }
  return out;
}

function signalQuietly(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

function killQuietly(pid: number): void {
  signalQuietly(pid, 'SIGKILL');
}

/** Resolves once none of the pids exists any more (a bounded poll: /proc gives no event). */
async function gone(pids: number[]): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (pids.some((pid) => fs.existsSync(`/proc/${pid}`))) {
    if (Date.now() > deadline) throw new Error(`postgres processes ${pids.join(', ')} did not end`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export async function startPostgres(): Promise<PostgresServer> {
  const missing = postgresMissing();
  if (missing) throw new Error(missing);
  const owner = account();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-pg-'));
  const data = path.join(dir, 'data');
  const password = `pw-${Math.random().toString(36).slice(2)}`;
  fs.writeFileSync(path.join(dir, 'pwfile'), `${password}\n`);
  if (owner) {
    fs.chownSync(dir, owner.uid, owner.gid);
    fs.chownSync(path.join(dir, 'pwfile'), owner.uid, owner.gid);
  }
  const ids = owner ? { uid: owner.uid, gid: owner.gid } : {};
  const init = spawnSync(path.join(POSTGRES_BIN, 'initdb'), ['-D', data, '-U', 'ferry', '--pwfile', path.join(dir, 'pwfile'), '--auth-local=trust', '--auth-host=scram-sha-256', '-E', 'UTF8', '--no-sync'], { ...ids, encoding: 'utf8', cwd: dir });
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr || init.stdout}`);
  const port = await freePort();
  const logFile = path.join(dir, 'postgres.log');
  let child: ChildProcess | undefined;
  // fsync off: a throwaway cluster on a busy machine; a SIGKILL of postgres still keeps what it
  // committed (the OS has the WAL). synchronous_commit stays on: off would lose commits to a SIGKILL.
  const args = ['-D', data, '-h', '127.0.0.1', '-p', String(port), '-k', dir, '-c', 'fsync=off', '-c', 'full_page_writes=off', '-c', 'max_connections=200'];
  const start = async () => {
    child = spawn(path.join(POSTGRES_BIN, 'postgres'), args, { ...ids, cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
    await readyWhenLogged(child, child.stderr, /database system is ready to accept connections/, logFile, 'postgres');
  };
  const down = async (signal: 'SIGKILL' | 'SIGINT') => {
    const c = child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const exited = new Promise((r) => c.once('exit', r));
    // A crash kills the whole server: the postmaster's children (backends, writers) by their pids
    // too, else a new postmaster finds their shared memory still in use and refuses to start.
    const children = signal === 'SIGKILL' ? childrenOf(c.pid!) : [];
    process.kill(c.pid!, signal);
    for (const pid of children) killQuietly(pid);
    await exited;
    await gone(children);
    // The stale pid file of a killed postmaster: removed so the next start runs crash recovery.
    if (signal === 'SIGKILL') fs.rmSync(path.join(data, 'postmaster.pid'), { force: true });
  };
  await start();
  let frozen: number[] = [];
  const thaw = () => {
    for (const pid of frozen.reverse()) signalQuietly(pid, 'SIGCONT');
    frozen = [];
  };
  const psql = (sql: string, database = 'postgres') => {
    const r = spawnSync(path.join(POSTGRES_BIN, 'psql'), ['-h', dir, '-p', String(port), '-U', 'ferry', '-d', database, '-v', 'ON_ERROR_STOP=1', '-c', sql], { ...ids, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`psql failed: ${r.stderr}`);
    return r.stdout;
  };
  const urlOf = (database: string) => `postgres://ferry:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
  psql('CREATE DATABASE ferry');
  return {
    host: '127.0.0.1',
    port,
    user: 'ferry',
    password,
    database: 'ferry',
    url: urlOf('ferry'),
    dir,
    get pid() {
      return child!.pid!;
    },
    log: () => (fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : ''),
    createDatabase(name: string) {
      psql(`CREATE DATABASE "${name.replace(/"/g, '')}"`);
      return urlOf(name);
    },
    down,
    start,
    freeze() {
      // The postmaster first, so it forks no backend that the list below would miss.
      process.kill(child!.pid!, 'SIGSTOP');
      frozen = [child!.pid!, ...childrenOf(child!.pid!)];
      for (const pid of frozen.slice(1)) signalQuietly(pid, 'SIGSTOP');
    },
    thaw,
    async stop() {
      thaw();
      await down('SIGINT');
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
