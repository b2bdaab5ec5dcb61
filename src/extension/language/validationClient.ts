// Talks to the validation worker thread. Keeps at most one request in flight and one queued per
// document: a burst of edits costs one validation of the newest text.
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { PlanDiagnostic } from '../../plan/diagnostic';
import type { ValidateRequest, ValidateResponse } from '../../plan/validateProtocol';
import type { Logger } from '../common/logger';

interface Pending {
  request: ValidateRequest;
  resolve: (result: PlanDiagnostic[] | undefined) => void;
}

export class ValidationClient {
  private worker: Worker | undefined;
  private nextId = 1;
  private inFlight: Pending | undefined;
  private readonly queued = new Map<string, Pending>();

  constructor(private readonly distDir: string, private readonly logger: Logger) {}

  /** Resolves with the findings, or undefined when a newer request for the same file replaced it. */
  validate(file: string, text: string): Promise<PlanDiagnostic[] | undefined> {
    return new Promise((resolve) => {
      this.queued.get(file)?.resolve(undefined);
      this.queued.set(file, { request: { id: this.nextId++, file, text }, resolve });
      this.pump();
    });
  }

  dispose(): void {
    for (const p of this.queued.values()) p.resolve(undefined);
    this.queued.clear();
    this.inFlight?.resolve(undefined);
    this.inFlight = undefined;
    void this.worker?.terminate();
    this.worker = undefined;
  }

  private pump(): void {
    if (this.inFlight) return;
    const next = this.queued.entries().next();
    if (next.done) return;
    const [file, pending] = next.value;
    this.queued.delete(file);
    this.inFlight = pending;
    this.ensureWorker().postMessage(pending.request);
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(path.join(this.distDir, 'validateWorker.js'));
    worker.on('message', (response: ValidateResponse) => {
      const pending = this.inFlight;
      if (!pending || pending.request.id !== response.id) return;
      this.inFlight = undefined;
      if (response.failure) this.logger.error('validation', `validating ${pending.request.file} failed`, response.failure);
      else this.logger.debug('validation', `${path.basename(pending.request.file)}: ${response.diagnostics.length} findings in ${response.elapsedMs.toFixed(1)} ms`);
      pending.resolve(response.failure ? undefined : response.diagnostics);
      this.pump();
    });
    worker.on('error', (err) => this.restart(err));
    worker.on('exit', (code) => {
      if (this.worker === worker && code !== 0) this.restart(new Error(`validation worker exited with ${code}`));
    });
    this.worker = worker;
    return worker;
  }

  private restart(err: unknown): void {
    this.logger.error('validation', 'the validation worker stopped; starting a new one', err);
    this.worker = undefined;
    const lost = this.inFlight;
    this.inFlight = undefined;
    lost?.resolve(undefined);
    this.pump();
  }
}
