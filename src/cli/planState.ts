// What the run-state commands share: the state folder of a plan, a runner owning it, plan errors.
import * as path from 'node:path';
import { registryConnectors } from '../runner/connectors';
import type { Plan } from '../plan/model';
import { InvalidPlanError, loadPlan } from '../runner/loadPlan';
import { RunnerService } from '../runner/runnerService';
import { LockHeldError } from '../store/lock';
import { stateDirFor } from '../store/location';
import { fillPlaceholders, formatMessage, getEntry } from '../errors/catalog';
import { stateFileName } from '../store/store';
import { StoreError, storeErrorOf } from '../store/storeError';
import { formatText, toJsonDiagnostic } from './diagnosticFormat';
import type { CliIo } from './io';
import { ExitCode, UsageError } from './usage';
import { EngineRefusal } from '../engine/refusal';

export function stateDirOf(io: CliIo, file: string | undefined, state: string | undefined): string {
  return stateDirFor(file, state, io.cwd);
}

/** A runner that owns the state folder, or undefined after printing who does (ENG-070). */
export function openRunner(io: CliIo, stateDir: string, owner = 'cli'): RunnerService | undefined {
  const service = new RunnerService(stateDir, { connectors: registryConnectors, env: io.env, owner });
  try {
    const recovered = service.open();
    if (recovered.length) io.err(`ferry: marked ${recovered.length} interrupted pass${recovered.length === 1 ? '' : 'es'} of a runner that is gone (ENG-060); this pass resumes their work.`);
    return service;
  } catch (err) {
    if (!(err instanceof LockHeldError)) throw err;
    reportLockHeld(io, err, stateDir);
    return undefined;
  }
}

/** Who owns the state folder instead of this command (ENG-070, or ENG-071 when not proven). */
export function reportLockHeld(io: CliIo, err: LockHeldError, stateDir: string): void {
  if (err.holder) io.err(`ferry: ENG-070 ${formatMessage('ENG-070', [String(err.holder.pid), err.holder.startedAt, stateDir])}`);
  else io.err(`ferry: ENG-071 ${formatMessage('ENG-071', [stateDir, 'unknown'])}`);
}

/** Prints an invalid plan's findings (text on stderr, or JSON on stdout) and returns exit 1. */
export function reportInvalidPlan(io: CliIo, err: InvalidPlanError, json: boolean): number {
  if (json) io.out(JSON.stringify({ status: 'invalidPlan', diagnostics: err.diagnostics.map((d) => toJsonDiagnostic(d, io.cwd)) }, null, 2));
  else for (const d of err.diagnostics) io.err(formatText(d, io.cwd));
  if (!json) io.err(`ferry: the plan has errors; nothing ran.`);
  return ExitCode.failed;
}

/**
 * The exit code for what a command's engine call threw that an operator caused: an invalid plan
 * (its findings printed) or an engine refusal (its code); anything else is rethrown.
 */
export function exitForFailure(io: CliIo, err: unknown, json: boolean, stateDir?: string): number {
  if (err instanceof InvalidPlanError) return reportInvalidPlan(io, err, json);
  const store = stateDir ? storeErrorOf(err, stateDir, path.join(stateDir, stateFileName)) : err instanceof StoreError ? err : undefined;
  if (store) return reportStoreError(io, store);
  if (err instanceof EngineRefusal) {
    if (err.kind === 'usage') throw new UsageError(`${err.code} ${err.message}`);
    io.err(`ferry: ${err.code} ${err.message}`);
    return ExitCode.failed;
  }
  throw err;
}

export const absolute = (io: CliIo, file: string) => path.resolve(io.cwd, file);

/** The plan of `file`, or the exit code after its errors were printed. */
export function loadPlanOrReport(io: CliIo, file: string, json: boolean): Plan | number {
  try {
    return loadPlan(absolute(io, file)).plan;
  } catch (err) {
    if (err instanceof InvalidPlanError) return reportInvalidPlan(io, err, json);
    throw err;
  }
}

/** A state-store failure: its code, message and next step on stderr; exit 1. */
export function reportStoreError(io: CliIo, err: StoreError, prefix = 'ferry: '): number {
  io.err(`${prefix}${err.code} ${formatMessage(err.code, err.args)}`);
  const action = getEntry(err.code)?.action;
  if (action) io.err(`  Next: ${fillPlaceholders(action, err.args)}`);
  return ExitCode.failed;
}

/**
 * Ctrl-C or SIGTERM (`ferry stop`, systemd, a container's stop) stop cleanly: `stop` is called
 * once with the message said; a second signal leaves at once. Returns the function that unhooks.
 */
export function onStopSignals(io: CliIo, message: string, stop: () => void): () => void {
  let signals = 0;
  const onSignal = () => {
    if (++signals > 1) process.exit(130);
    io.err(message);
    stop();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}
