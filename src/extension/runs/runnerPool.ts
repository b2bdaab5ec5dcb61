// Forks the background runner (dist/runner.js) for a state folder on VS Code's own Node
// (process.execPath with ELECTRON_RUN_AS_NODE=1), so passes never run on the extension host's
// thread. One runner per state folder, kept while something uses it and shut down soon after, so
// the folder's lock is free again for `ferry run` in a terminal.
import * as vscode from 'vscode';
import type { EngineEvent } from '../../engine/events';
import { RunnerClient } from '../../runner/client';
import type { Logger } from '../common/logger';
import type { RunnerHooks } from './microsoftSignIn';

interface Session {
  client: Promise<RunnerClient>;
  users: number;
  /** The plan whose pass the runner is running: its events belong to it. */
  passPlan?: string;
  idle?: NodeJS.Timeout;
}

export interface RunnerEvent {
  stateDir: string;
  planFile: string;
  event: EngineEvent;
  /** When the runner sent it. */
  at: number;
}

const idleShutdownMs = 1500;

export class RunnerPool implements vscode.Disposable {
  private readonly sessions = new Map<string, Session>();
  private readonly eventEmitter = new vscode.EventEmitter<RunnerEvent>();
  readonly onEvent = this.eventEmitter.event;
  private readonly pids = new Map<string, number>();
  /** Runners shutting down, by state folder: a new one for the folder waits until its lock is free. */
  private readonly closing = new Map<string, Promise<void>>();

  constructor(private readonly runnerModule: string, private readonly logger: Logger, private readonly hooks?: RunnerHooks) {}

  /** Runs fn with the runner of a state folder (forked first if needed); passFor claims its events. */
  async use<T>(stateDir: string, fn: (client: RunnerClient) => Promise<T>, passFor?: string): Promise<T> {
    const session = this.session(stateDir);
    session.users++;
    clearTimeout(session.idle);
    try {
      const client = await session.client;
      if (passFor) session.passPlan = passFor;
      return await fn(client);
    } finally {
      if (passFor && session.passPlan === passFor) session.passPlan = undefined;
      session.users--;
      if (session.users === 0) session.idle = setTimeout(() => void this.close(stateDir), idleShutdownMs);
    }
  }

  /** Shuts an unused runner down now and waits for it to exit (its lock is free afterwards). */
  async settle(stateDir: string): Promise<void> {
    const session = this.sessions.get(stateDir);
    if (!session || session.users > 0) return;
    clearTimeout(session.idle);
    await this.close(stateDir);
  }

  /** The pid of this window's runner for a state folder, if one is alive. */
  pid(stateDir: string): number | undefined {
    return this.pids.get(stateDir);
  }

  /** The runner of a state folder, only if this window already has one. */
  async existing(stateDir: string): Promise<RunnerClient | undefined> {
    return this.sessions.get(stateDir)?.client.catch(() => undefined);
  }

  dispose(): void {
    for (const dir of [...this.sessions.keys()]) void this.close(dir);
    this.eventEmitter.dispose();
  }

  private session(stateDir: string): Session {
    const session = this.sessions.get(stateDir);
    if (session) return session;
    const created: Session = { users: 0, client: this.fork(stateDir, () => created) };
    created.client.catch(() => this.sessions.get(stateDir) === created && this.sessions.delete(stateDir));
    this.sessions.set(stateDir, created);
    return created;
  }

  private async fork(stateDir: string, session: () => Session): Promise<RunnerClient> {
    await this.closing.get(stateDir);
    const client = await RunnerClient.fork(stateDir, { runnerModule: this.runnerModule, execPath: process.execPath, env: process.env });
    this.pids.set(stateDir, client.pid);
    this.logger.info('runner', `runner pid ${client.pid} owns ${stateDir}`);
    // The runner's stderr is a pipe: read it (a full pipe would block the runner) into the log.
    client.child.stderr?.on('data', (chunk: Buffer) => this.logger.warn('runner', chunk.toString().trimEnd()));
    client.child.on('exit', (code, signal) => {
      this.logger.info('runner', `runner pid ${client.pid} exited (${code ?? signal})`);
      if (this.pids.get(stateDir) === client.pid) this.pids.delete(stateDir);
      if (this.sessions.get(stateDir) === session()) this.sessions.delete(stateDir);
    });
    client.onEvent((event, at) => {
      if (event.type === 'notice') this.logger.warn('runs', `[${event.batch}] ${event.item}: ${event.code} ${event.message}`);
      const planFile = session().passPlan;
      if (planFile) this.eventEmitter.fire({ stateDir, planFile, event, at });
    });
    if (this.hooks) {
      const hooks = this.hooks;
      client.onSignIn((request) => hooks.signIn(request));
      client.onTokenCache((key, data) => void hooks.saveTokenCache(key, data).catch((err: unknown) => this.logger.error('sign-in', 'cannot keep the token cache', err)));
      const caches = await hooks.tokenCaches();
      if (Object.keys(caches).length) await client.request({ type: 'tokenCaches', caches });
    }
    await client.request({ type: 'subscribe' });
    return client;
  }

  private async close(stateDir: string): Promise<void> {
    const session = this.sessions.get(stateDir);
    if (!session || session.users > 0) return;
    this.sessions.delete(stateDir);
    const closed = (async () => {
      const client = await session.client.catch(() => undefined);
      await client?.shutdown().catch((err: unknown) => this.logger.warn('runner', `shutdown: ${(err as Error).message}`));
    })();
    this.closing.set(stateDir, closed);
    try {
      await closed;
    } finally {
      if (this.closing.get(stateDir) === closed) this.closing.delete(stateDir);
    }
  }
}
