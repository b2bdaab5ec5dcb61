// A throwaway Dovecot IMAP server for tests: Debian's `dovecot` run in the foreground with a config
// in a fresh temp folder, listening on a free port of 127.0.0.1. Starts in a fraction of a second;
// stop() ends it by its own pid and removes the folder.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, promises as fs, readFileSync } from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { dovecotConfig } from './dovecotConfig';

export { connectAs, seedMessages, type SeedMessage } from './dovecotSeed';

export interface DovecotUser {
  user: string;
  password: string;
  /** Storage quota in bytes (the quota plugin refuses APPEND beyond it with [OVERQUOTA]). */
  quotaBytes?: number;
}

export interface DovecotOptions {
  users: DovecotUser[];
  /** Administrators who may log in as any user (SASL PLAIN authorization identity, or `user*admin`). */
  masterUsers?: { user: string; password: string }[];
  /** Also listen with implicit TLS on another port, with a fresh self-signed certificate. */
  tls?: boolean;
  /** Hierarchy separator of the mailbox names; '/' unless told. */
  separator?: '/' | '.';
  /** Accept XOAUTH2 bearer tokens, checked by POSTing them to this introspection URL (RFC 7662 style). */
  oauth2IntrospectionUrl?: string;
}

export interface DovecotServer {
  host: '127.0.0.1';
  port: number;
  portTls?: number;
  /** The temp folder holding config, state, logs and mail. */
  dir: string;
  version: string;
  pid: number;
  users: readonly DovecotUser[];
  /** The Maildir of a user (Dovecot's Maildir++ layout, names in modified UTF-7). */
  mailDir(user: string): string;
  /** What Dovecot logged so far (for failure messages). */
  log(): string;
  /** SIGKILL to every Dovecot process (its process group), as a crash would: mail and state stay. */
  crash(): Promise<void>;
  /** Starts Dovecot again on the same port, configuration and mail (after crash). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** The installed Dovecot version, e.g. '2.3.19.1'. */
export function dovecotVersion(): string {
  return execFileSync('dovecot', ['--version'], { encoding: 'utf8' }).trim().split(/\s/)[0];
}

/** A free TCP port on 127.0.0.1 (probed by listening on port 0). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** Resolves once the port accepts a connection and sends the IMAP greeting. */
async function waitForGreeting(port: number, child: ChildProcess, deadline: number): Promise<void> {
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`dovecot exited (${child.exitCode ?? child.signalCode})`);
    const ok = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.setTimeout(1000, () => socket.destroy());
      socket.once('data', (chunk) => {
        socket.destroy();
        resolve(chunk.toString('latin1').startsWith('* OK'));
      });
      socket.once('error', () => resolve(false));
      socket.once('close', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`dovecot did not greet on port ${port} in time`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * Where the temp folder goes: FERRY_DOVECOT_TMPDIR, else /dev/shm when there is one. Dovecot
 * updates its index and uidlist files on every APPEND; on a VM disk that costs milliseconds per
 * message, in memory a few microseconds (measured: 400 vs 1,450 APPEND/s one by one).
 */
function tempRoot(): string {
  const fromEnv = process.env.FERRY_DOVECOT_TMPDIR;
  if (fromEnv) return fromEnv;
  try {
    accessSync('/dev/shm', constants.W_OK);
    return '/dev/shm';
  } catch {
    return os.tmpdir();
  }
}

/** Who the mail processes run as: nobody/nogroup as root (Dovecot refuses root), else ourselves. */
function mailUser(): { user: string; group?: string } {
  if (process.getuid?.() === 0) return { user: 'nobody', group: 'nogroup' };
  return { user: os.userInfo().username };
}

async function selfSignedCertificate(dir: string): Promise<{ cert: string; key: string }> {
  const cert = path.join(dir, 'cert.pem');
  const key = path.join(dir, 'key.pem');
  // An EC key is generated in milliseconds, unlike RSA.
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2', '-subj', '/CN=localhost', '-keyout', key, '-out', cert], { stdio: 'ignore' });
  return { cert, key };
}

/** Starts Dovecot with the given users; rejects with its log when it does not come up. */
export async function startDovecot(options: DovecotOptions): Promise<DovecotServer> {
  const version = dovecotVersion();
  if (!/^2\.3\./.test(version)) throw new Error(`test/servers/dovecot.ts writes a Dovecot 2.3 config; found ${version}`);
  const dir = await fs.mkdtemp(path.join(tempRoot(), 'ferry-dovecot-'));
  // The login and mail processes run as another user: they must reach the folder.
  await fs.chmod(dir, 0o755);
  const who = mailUser();
  await Promise.all(['run', 'state', 'mail'].map((d) => fs.mkdir(path.join(dir, d))));
  if (who.group) execFileSync('chown', [`${who.user}:${who.group}`, path.join(dir, 'mail')]);
  const users = options.users.map((u) => `${u.user}:{PLAIN}${u.password}::::::${u.quotaBytes !== undefined ? `userdb_quota_rule=*:storage=${u.quotaBytes}B` : ''}\n`);
  await fs.writeFile(path.join(dir, 'users'), users.join(''));
  await fs.writeFile(path.join(dir, 'masters'), (options.masterUsers ?? []).map((m) => `${m.user}:{PLAIN}${m.password}\n`).join(''));
  const port = await freePort();
  const tls = options.tls ? { port: await freePort(), ...(await selfSignedCertificate(dir)) } : undefined;
  let oauth2Config: string | undefined;
  if (options.oauth2IntrospectionUrl) {
    oauth2Config = path.join(dir, 'oauth2.conf.ext');
    const settings = [`introspection_url = ${options.oauth2IntrospectionUrl}`, 'introspection_mode = post', 'username_attribute = username', 'active_attribute = active', 'active_value = true', 'tokeninfo_url = '];
    await fs.writeFile(oauth2Config, settings.join('\n') + '\n');
  }
  const conf = path.join(dir, 'dovecot.conf');
  await fs.writeFile(conf, dovecotConfig({ dir, port, tls, mailUser: who.user, mailGroup: who.group, separator: options.separator ?? '/', oauth2Config }));

  let stderr = '';
  const launch = () => {
    const started = spawn('dovecot', ['-F', '-c', conf], { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
    started.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    return { child: started, exited: new Promise<void>((resolve) => started.once('exit', () => resolve())) };
  };
  let { child, exited } = launch();
  const log = () => `${stderr}${readFileSync(path.join(dir, 'dovecot.log'), { encoding: 'utf8', flag: 'a+' })}`;
  const running = () => child.exitCode === null && child.signalCode === null && child.pid !== undefined;
  const stop = async () => {
    if (running()) {
      process.kill(-child.pid!, 'SIGTERM');
      const pid = child.pid!;
      const killed = setTimeout(() => process.kill(pid, 'SIGKILL'), 3000);
      await exited;
      clearTimeout(killed);
    }
    await fs.rm(dir, { recursive: true, force: true });
  };
  const crash = async () => {
    if (running()) process.kill(-child.pid!, 'SIGKILL');
    await exited;
  };
  const restart = async () => {
    ({ child, exited } = launch());
    await waitForGreeting(port, child, Date.now() + 10_000);
  };
  try {
    await waitForGreeting(port, child, Date.now() + 10_000);
  } catch (error) {
    const text = log();
    await stop();
    throw new Error(`${(error as Error).message}\n${text}`);
  }
  return {
    host: '127.0.0.1',
    port,
    ...(tls ? { portTls: tls.port } : {}),
    dir,
    version,
    get pid() {
      return child.pid!;
    },
    users: options.users,
    mailDir: (user) => path.join(dir, 'mail', user),
    log,
    crash,
    restart,
    stop,
  };
}
