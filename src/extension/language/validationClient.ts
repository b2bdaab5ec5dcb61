// Talks to the plan worker thread. One request in flight; quick-fix requests go first (a person
// is waiting for the light bulb); validations are coalesced per file, so a burst of edits costs
// one validation of the newest text. A worker that does not answer by the validation deadline plus
// a grace is stopped and replaced: a validation becomes PLAN-048, a quick-fix request gets none.
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { PlanDiagnostic } from '../../plan/diagnostic';
import type { OfferedFixes } from '../../plan/fixes';
import type { WorkerRequest, WorkerResponse } from '../../plan/validateProtocol';
import type { Logger } from '../common/logger';
import { planDeadlineMs } from '../../plan/limits';
import { overrunDiagnostic } from '../../plan/deadline';

/** The worker stops itself at the deadline between steps; this covers a step that never ends. */
const WATCHDOG_GRACE_MS = 10_000;

interface Pending {
  request: WorkerRequest;
  resolve: (response: WorkerResponse | undefined) => void;
}

export class ValidationClient {
  private worker: Worker | undefined;
  private nextId = 1;
  private inFlight: Pending | undefined;
  private readonly queuedValidations = new Map<string, Pending>();
  private readonly queuedFixes: Pending[] = [];
  private watchdog: NodeJS.Timeout | undefined;

  constructor(
    private readonly distDir: string,
    private readonly logger: Logger,
    private readonly watchdogMs: number = planDeadlineMs() + WATCHDOG_GRACE_MS,
  ) {}

  /** Resolves with the findings, or undefined when a newer request for the same file replaced it. */
  async validate(file: string, text: string): Promise<PlanDiagnostic[] | undefined> {
    const response = await new Promise<WorkerResponse | undefined>((resolve) => {
      this.queuedValidations.get(file)?.resolve(undefined);
      this.queuedValidations.set(file, { request: { kind: 'validate', id: this.nextId++, file, text }, resolve });
      this.pump();
    });
    return response?.kind === 'validate' && !response.failure ? response.diagnostics : undefined;
  }

  /** What the quick-fix menu offers for one finding, computed in the worker (parsing a large plan takes a while). */
  async fixes(file: string, text: string, diagnostic: PlanDiagnostic): Promise<OfferedFixes> {
    const response = await new Promise<WorkerResponse | undefined>((resolve) => {
      this.queuedFixes.push({ request: { kind: 'fixes', id: this.nextId++, file, text, diagnostic }, resolve });
      this.pump();
    });
    return response?.kind === 'fixes' ? { edits: response.edits, actions: response.actions, orchestrated: response.orchestrated } : { edits: [], actions: [], orchestrated: false };
  }

  dispose(): void {
    for (const p of [...this.queuedValidations.values(), ...this.queuedFixes]) p.resolve(undefined);
    this.queuedValidations.clear();
    this.queuedFixes.length = 0;
    this.inFlight?.resolve(undefined);
    this.inFlight = undefined;
    clearTimeout(this.watchdog);
    void this.worker?.terminate();
    this.worker = undefined;
  }

  private pump(): void {
    if (this.inFlight) return;
    let next = this.queuedFixes.shift();
    if (!next) {
      const first = this.queuedValidations.entries().next();
      if (first.done) return;
      this.queuedValidations.delete(first.value[0]);
      next = first.value[1];
    }
    this.inFlight = next;
    this.ensureWorker().postMessage(next.request);
    this.watchdog = setTimeout(() => this.overrun(), this.watchdogMs);
  }

  /** The worker is still busy past the watchdog: stop it, answer for it, start afresh. */
  private overrun(): void {
    const pending = this.inFlight;
    const worker = this.worker;
    if (!pending || !worker) return;
    this.worker = undefined;
    this.inFlight = undefined;
    void worker.terminate();
    const { request } = pending;
    this.logger.error('worker', `${request.kind} of ${path.basename(request.file)} did not finish in ${this.watchdogMs} ms; the worker was stopped`);
    pending.resolve(
      request.kind === 'validate'
        ? { kind: 'validate', id: request.id, diagnostics: [overrunDiagnostic(request.file, this.watchdogMs, 'waiting for the validation worker')], elapsedMs: this.watchdogMs }
        : { kind: 'fixes', id: request.id, edits: [], actions: [], orchestrated: false, elapsedMs: this.watchdogMs },
    );
    this.pump();
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(path.join(this.distDir, 'validateWorker.js'));
    worker.on('message', (response: WorkerResponse) => {
      const pending = this.inFlight;
      if (!pending || pending.request.id !== response.id) return;
      this.inFlight = undefined;
      clearTimeout(this.watchdog);
      const name = path.basename(pending.request.file);
      if (response.failure) this.logger.error('worker', `${response.kind} of ${name} failed`, response.failure);
      else this.logger.debug('worker', `${response.kind} ${name}: ${response.elapsedMs.toFixed(1)} ms`);
      pending.resolve(response);
      this.pump();
    });
    worker.on('error', (err) => this.restart(err));
    worker.on('exit', (code) => {
      if (this.worker === worker && code !== 0) this.restart(new Error(`plan worker exited with ${code}`));
    });
    this.worker = worker;
    return worker;
  }

  private restart(err: unknown): void {
    this.logger.error('worker', 'the plan worker stopped; starting a new one', err);
    this.worker = undefined;
    clearTimeout(this.watchdog);
    const lost = this.inFlight;
    this.inFlight = undefined;
    lost?.resolve(undefined);
    this.pump();
  }
}
