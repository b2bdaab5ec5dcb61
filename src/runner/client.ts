// The parent's side of the runner protocol: forks the runner for a state folder and sends requests.
// The extension passes its own runtime (process.execPath with ELECTRON_RUN_AS_NODE=1).
import { fork, type ChildProcess } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DeviceCodeRequest } from '../connectors/m365/auth/deviceCode';
import type { EngineEvent } from '../engine/events';
import type { RunnerFailure, RunnerMessage, RunnerRequest } from './protocol';

type DistributiveOmit<T, K extends keyof T> = T extends unknown ? Omit<T, K> : never;
export type RequestBody = DistributiveOmit<RunnerRequest, 'id'>;

export class RunnerRequestError extends Error {
  constructor(readonly failure: RunnerFailure) {
    super(failure.message);
  }
}

export interface ForkOptions {
  /** The bundled runner entry; defaults to runner.js beside this bundle (dist/). */
  runnerModule?: string;
  execPath?: string;
  env?: NodeJS.ProcessEnv;
}

export class RunnerClient {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();
  private readonly listeners = new Set<(e: EngineEvent, at: number) => void>();
  private readonly signInListeners = new Set<(request: DeviceCodeRequest) => void>();
  private readonly cacheListeners = new Set<(key: string, data: string) => void>();

  private constructor(readonly child: ChildProcess, readonly pid: number) {
    child.on('message', (m: RunnerMessage) => {
      if (m.type === 'event') this.listeners.forEach((l) => l(m.event, m.at ?? Date.now()));
      else if (m.type === 'signIn') this.signInListeners.forEach((l) => l(m.request));
      else if (m.type === 'tokenCache') this.cacheListeners.forEach((l) => l(m.key, m.data));
      else if (m.type === 'response') {
        const p = this.pending.get(m.id);
        this.pending.delete(m.id);
        if (m.ok) p?.resolve(m.result);
        else p?.reject(new RunnerRequestError(m.error));
      }
    });
    child.on('exit', () => {
      for (const p of this.pending.values()) p.reject(new RunnerRequestError({ kind: 'internal', message: 'the runner exited' }));
      this.pending.clear();
    });
  }

  /** Forks a runner for a state folder and waits until it owns it (or says why it cannot). */
  static async fork(stateDir: string, options: ForkOptions = {}): Promise<RunnerClient> {
    const modulePath = options.runnerModule ?? path.join(__dirname, 'runner.js');
    const base = options.env ?? process.env;
    // V8's code cache for the runner bundle (Node >= 22.1 reads NODE_COMPILE_CACHE): a warm start
    // compiles nothing again. An operator's own setting wins.
    const compileCache = base.NODE_COMPILE_CACHE ? {} : { NODE_COMPILE_CACHE: path.join(os.tmpdir(), 'ferry-compile-cache') };
    const env = { ...base, ...compileCache, ...(options.execPath ? { ELECTRON_RUN_AS_NODE: '1' } : {}) };
    const child = fork(modulePath, ['--state', stateDir], { execPath: options.execPath ?? process.execPath, env, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    const ready = await new Promise<RunnerMessage>((resolve, reject) => {
      child.once('message', resolve);
      child.once('error', reject);
      child.once('exit', (code) => reject(new RunnerRequestError({ kind: 'internal', message: `the runner exited with ${code} before it was ready` })));
    });
    if (ready.type !== 'ready') throw new RunnerRequestError({ kind: 'internal', message: 'unexpected first message from the runner' });
    if (!ready.ok) throw new RunnerRequestError(ready.error);
    return new RunnerClient(child, ready.pid);
  }

  request<T = unknown>(body: RequestBody): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.child.send({ ...body, id } as RunnerRequest);
    });
  }

  /** Engine events, with when the runner sent each. */
  onEvent(listener: (e: EngineEvent, at: number) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The runner needs the operator to sign in with a device code (Microsoft 365, delegated). */
  onSignIn(listener: (request: DeviceCodeRequest) => void): () => void {
    this.signInListeners.add(listener);
    return () => this.signInListeners.delete(listener);
  }

  /** A token cache changed in the runner: the parent keeps it for the next runner. */
  onTokenCache(listener: (key: string, data: string) => void): () => void {
    this.cacheListeners.add(listener);
    return () => this.cacheListeners.delete(listener);
  }

  /** Asks the runner to stop any pass and exit; resolves when it has. */
  async shutdown(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise<void>((r) => this.child.once('exit', () => r()));
    await this.request({ type: 'shutdown' }).catch(() => undefined);
    await exited;
  }
}
