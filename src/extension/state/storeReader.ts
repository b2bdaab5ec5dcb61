// Reads a plan's run state without a runner and without blocking the extension host: a worker
// thread (dist/snapshotWorker.js) opens `state.db` read-only with node:sqlite and answers with the
// snapshot `ferry status` and `ferry report` would print (src/snapshot/readSnapshot.ts). No child
// process per refresh. Reads of one plan are coalesced; a read asked for while one is in flight
// runs once more after it, so the newest commit is never missed.
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { MailboxRef } from '../../snapshot/mailboxDetail';
import { distributedConfig } from '../../distributed/config';
import { EngineRefusal } from '../../engine/refusal';
import { envSecrets } from '../../engine/secrets';
import { formatMessage } from '../../errors/catalog';
import type { SnapshotRequest, SnapshotResponse } from '../../snapshot/snapshotProtocol';
import type { StoreSnapshot } from '../../snapshot/storeSnapshot';
import type { Logger } from '../common/logger';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** A read the worker refused: its store catalog code when the store's state is the cause. */
export class SnapshotReadError extends Error {
  constructor(readonly code: string | undefined, message: string) {
    super(code ? `${code} ${message}` : message);
  }
}

export class StoreReader {
  private readonly inFlight = new Map<string, Promise<StoreSnapshot>>();
  private readonly again = new Map<string, Promise<StoreSnapshot>>();
  private readonly pending = new Map<number, (r: SnapshotResponse) => void>();
  private worker?: Worker;
  private nextId = 1;
  /** Reads done so far (for tests and the log). */
  reads = 0;

  constructor(private readonly ferryBin: string, private readonly distDir: string, private readonly logger: Logger) {}

  /** Runs `ferry <args>` beside the plan with VS Code's own Node (ELECTRON_RUN_AS_NODE): the export command. */
  cli(args: readonly string[], cwd: string): Promise<CliResult> {
    return new Promise((resolve) => {
      execFile(
        process.execPath,
        [this.ferryBin, ...args],
        { cwd, env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, maxBuffer: 512 * 1024 * 1024, timeout: 120_000, windowsHide: true },
        (err, stdout, stderr) => {
          const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
          resolve({ code, stdout: String(stdout), stderr: String(stderr) });
        },
      );
    });
  }

  /** The store's view of a plan: batches, mailboxes, passes, open errors, the runner owning it; the details of `mailboxes()` (asked when the read begins). */
  snapshot(planFile: string, stateDir: string, mailboxes: () => MailboxRef[] = () => []): Promise<StoreSnapshot> {
    const running = this.inFlight.get(planFile);
    if (running) {
      // Asked while a read runs: that read may have begun before the newest commit.
      let next = this.again.get(planFile);
      if (!next) {
        next = running.catch(() => undefined).then(() => {
          this.again.delete(planFile);
          return this.snapshot(planFile, stateDir, mailboxes);
        });
        this.again.set(planFile, next);
      }
      return next;
    }
    const read = this.read(planFile, stateDir, mailboxes()).finally(() => this.inFlight.delete(planFile));
    this.inFlight.set(planFile, read);
    return read;
  }

  dispose(): void {
    for (const resolve of this.pending.values()) resolve({ id: 0, ok: false, message: 'the extension is shutting down' });
    this.pending.clear();
    void this.worker?.terminate();
    this.worker = undefined;
  }

  private async read(planFile: string, stateDir: string, mailboxes: MailboxRef[]): Promise<StoreSnapshot> {
    const id = this.nextId++;
    const request: SnapshotRequest = { id, planFile, stateDir, ...(mailboxes.length ? { mailboxes } : {}), ...sharedStore() };
    const response = await new Promise<SnapshotResponse>((resolve) => {
      this.pending.set(id, resolve);
      this.ensureWorker().postMessage(request);
    });
    this.reads++;
    if (!response.ok) throw new SnapshotReadError(response.code, response.message);
    this.logger.debug('store', `read ${path.basename(planFile)} in ${response.elapsedMs.toFixed(1)} ms (worker)`);
    return response.snapshot;
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(path.join(this.distDir, 'snapshotWorker.js'));
    worker.on('message', (r: SnapshotResponse) => {
      const resolve = this.pending.get(r.id);
      this.pending.delete(r.id);
      resolve?.(r);
    });
    const lost = (why: string) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      this.logger.error('store', `the snapshot worker stopped (${why}); the next read starts a new one`);
      for (const resolve of this.pending.values()) resolve({ id: 0, ok: false, message: `the snapshot worker stopped (${why})` });
      this.pending.clear();
    };
    worker.on('error', (err) => lost(err.message));
    worker.on('exit', (code) => lost(`exit ${code}`));
    // The worker must not keep the extension host alive on its own.
    worker.unref();
    this.worker = worker;
    return worker;
  }
}

/**
 * Distributed mode, configured for the extension host as for `ferry` (FERRY_DATABASE_URL, its
 * password from FERRY_DATABASE_PASSWORD_FILE or a secret by name, never a setting): the views read
 * the shared PostgreSQL store the workers write, as `ferry status` does there.
 */
function sharedStore(): { databaseUrl?: string } {
  try {
    const config = distributedConfig(process.env, envSecrets(process.env));
    return config ? { databaseUrl: config.databaseUrl } : {};
  } catch (err) {
    if (err instanceof EngineRefusal) throw new SnapshotReadError(err.code, formatMessage(err.code, err.args));
    throw err;
  }
}
