// The runner: owns one state folder (lock + store), runs one pass at a time, answers status and
// batch actions. The forked runner process (main.ts) and the command line use this same class.
import { scopeText, type ItemScope } from '../engine/selection';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConnectorError } from '../connectors/types';
import { formatMessage } from '../errors/catalog';
import { EngineEvents } from '../engine/events';
import type { ConnectorLookup } from '../engine/context';
import { approveItems, completeBatch, deleteBatchState } from '../engine/batchCommands';
import { projectStatuses, type ProjectStatus } from '../engine/projectStatus';
import { discoverMailboxes } from '../engine/discovery';
import { recoverInterrupted } from '../engine/recovery';
import { EngineRefusal } from '../engine/refusal';
import { runPass } from '../engine/runPass';
import { envSecrets, mapSecrets, type SecretSource } from '../engine/secrets';
import type { PassSummary } from '../engine/summary';
import type { PassKind } from '../engine/statuses';
import type { RetryPolicy } from '../engine/backoff';
import { acquireLock, LockHeldError, readLock } from '../store/lock';
import { backupFileOf, stateFileName, Store } from '../store/store';
import { backupStore, copiesMark } from '../store/backup';
import type { StateDatabase } from '../store/database';
import { StoreError, storeErrorOf } from '../store/storeError';
import { InvalidPlanError, loadPlan } from './loadPlan';
import type { Plan } from '../plan/model';
import type { RunnerFailure } from './protocol';

export interface StartOptions {
  planFile: string;
  /** The plan of planFile, when the caller has just validated it (else it is read and validated here). */
  plan?: Plan;
  pass: PassKind;
  batch?: string;
  item?: ItemScope;
  secrets?: Record<string, string>;
  waitForSchedule?: boolean;
}

export interface RunnerStatus {
  stateDir: string;
  runner?: { pid: number; startedAt: string; owner: string };
  running?: { planFile: string; pass: PassKind; batch?: string; item?: string };
  projects: ProjectStatus[];
}

export class RunnerBusyError extends Error {}

export class RunnerService {
  readonly events = new EngineEvents();
  private store?: Store<StateDatabase>;
  private release?: () => void;
  private current?: { controller: AbortController; done: Promise<unknown>; options: StartOptions };
  /** Why the backup after the last pass was not written (the previous backup stays). */
  backupFailure?: StoreError;

  constructor(
    readonly stateDir: string,
    private readonly deps: { connectors: ConnectorLookup; env: NodeJS.ProcessEnv; owner: string; retry?: RetryPolicy },
  ) {}

  /** Takes the lock (LockHeldError when another runner lives), opens the store, recovers interrupted passes. */
  open(): number[] {
    this.release = acquireLock(this.stateDir, this.deps.owner);
    try {
      this.store = Store.open(this.stateDir);
      return recoverInterrupted(this.store).map((p) => p.id);
    } catch (err) {
      this.release();
      throw err;
    }
  }

  get busy(): boolean {
    return this.current !== undefined;
  }

  private secrets(extra?: Record<string, string>): SecretSource {
    return mapSecrets(extra ?? {}, envSecrets(this.deps.env));
  }

  private requireStore(): Store<StateDatabase> {
    if (!this.store) throw new Error('runner not open');
    return this.store;
  }

  /** The open store, for the scheduler that drives this runner (ferry serve). */
  openStore(): Store {
    return this.requireStore();
  }

  /** Runs a pass to its end (stop() ends it early and cleanly). */
  async start(options: StartOptions): Promise<PassSummary> {
    if (this.current) throw new RunnerBusyError(`a ${this.current.options.pass} pass of ${path.basename(this.current.options.planFile)} is running`);
    const plan = options.plan ?? loadPlan(options.planFile).plan;
    const before = copiesMark(this.requireStore());
    const controller = new AbortController();
    const done = runPass({
      plan,
      store: this.requireStore(),
      pass: options.pass,
      batch: options.batch,
      item: options.item,
      connectors: this.deps.connectors,
      secrets: this.secrets(options.secrets),
      events: this.events,
      signal: controller.signal,
      waitForSchedule: options.waitForSchedule ?? false,
      retry: this.deps.retry,
    });
    this.current = { controller, done, options };
    try {
      return await done;
    } finally {
      this.current = undefined;
      this.backUp(before);
    }
  }

  /**
   * After a pass ends: the checked copy `ferry restore` puts back (store/backup.ts). A pass that
   * wrote nothing anywhere (`before`: its copiesMark at the start) keeps the backup there is.
   */
  private backUp(before?: string): void {
    if (!this.store) return;
    if (before !== undefined && fs.existsSync(backupFileOf(this.stateDir)) && copiesMark(this.store) === before) return;
    try {
      backupStore(this.store);
      this.backupFailure = undefined;
    } catch (err) {
      this.backupFailure = storeErrorOf(err, this.stateDir, this.stateDir) ?? new StoreError('STORE-013', [this.stateDir, (err as Error).message]);
    }
  }

  /** Asks the running pass to stop; true when one was running. */
  stop(): boolean {
    if (!this.current) return false;
    this.current.controller.abort(new Error('stop requested'));
    return true;
  }

  /** Resolves once no pass runs. */
  async idle(): Promise<void> {
    await this.current?.done.catch(() => undefined);
  }

  status(planFile?: string): RunnerStatus {
    const holder = readLock(this.stateDir);
    const running = this.current ? { planFile: this.current.options.planFile, pass: this.current.options.pass, batch: this.current.options.batch, item: scopeText(this.current.options.item) } : undefined;
    return { stateDir: this.stateDir, runner: holder, running, projects: projectStatuses(this.requireStore(), planFile ? path.resolve(planFile) : undefined) };
  }

  approve(planFile: string, by: string, batch?: string, item?: string): string[] {
    return approveItems(this.requireStore(), loadPlan(planFile).plan, by, batch, item);
  }

  async complete(planFile: string, batch: string, secrets?: Record<string, string>): Promise<PassSummary> {
    if (this.current) throw new RunnerBusyError('a pass is running');
    const controller = new AbortController();
    const done = completeBatch({ plan: loadPlan(planFile).plan, store: this.requireStore(), batch, connectors: this.deps.connectors, secrets: this.secrets(secrets), events: this.events, signal: controller.signal, retry: this.deps.retry });
    this.current = { controller, done, options: { planFile, pass: 'delta', batch } };
    try {
      return await done;
    } finally {
      this.current = undefined;
      this.backUp();
    }
  }

  /** The mailboxes an endpoint holds (read-only: allowed while a pass runs). */
  discover(planFile: string, endpoint: string, secrets?: Record<string, string>): Promise<string[]> {
    return discoverMailboxes({ plan: loadPlan(planFile).plan, endpoint, connectors: this.deps.connectors, secrets: this.secrets(secrets) });
  }

  delete(planFile: string, batch: string): void {
    if (this.current) throw new RunnerBusyError('a pass is running');
    deleteBatchState(this.requireStore(), loadPlan(planFile).plan, batch);
  }

  close(): void {
    this.store?.close();
    this.store = undefined;
    this.release?.();
    this.release = undefined;
  }
}

/** Any error of a request, as the protocol carries it. */
export function toFailure(err: unknown, stateDir?: string): RunnerFailure {
  const store = stateDir ? storeErrorOf(err, stateDir, path.join(stateDir, stateFileName)) : undefined;
  if (store) return toFailure(store);
  if (err instanceof InvalidPlanError) return { kind: 'invalidPlan', code: err.diagnostics.find((d) => d.severity === 'error')?.code, message: err.message, diagnostics: err.diagnostics };
  if (err instanceof EngineRefusal) return { kind: err.kind, code: err.code, message: err.message };
  if (err instanceof LockHeldError) return { kind: 'busy', code: err.holder ? 'ENG-070' : 'ENG-071', message: err.message };
  if (err instanceof RunnerBusyError) return { kind: 'busy', message: err.message };
  if (err instanceof StoreError) return { kind: 'refused', code: err.code, message: formatMessage(err.code, err.args) };
  // A connector's answer outside a pass (discovery): the catalog code travels with it.
  if (err instanceof ConnectorError) return { kind: 'refused', code: err.code, message: err.message };
  return { kind: 'internal', message: err instanceof Error ? err.message : String(err) };
}
