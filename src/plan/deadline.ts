// A bound on how long validation runs. Validation is synchronous, so it checks the clock between
// its steps (every few thousand YAML tokens, each items file, the schema, each rule); every step is
// itself bounded by the size limits, so an overrun ends at the next check with PLAN-048, not a hang.
// The editor's worker client also stops a worker that does not answer in time (the same finding).
import type { PlanDiagnostic } from './diagnostic';
import { formatMessage } from '../errors/catalog';

export class ValidationOverrun extends Error {
  constructor(readonly stage: string) {
    super(`validation stopped at its deadline while ${stage}`);
    this.name = 'ValidationOverrun';
  }
}

/**
 * Milliseconds of a monotonic clock. Not `performance.now()`: the `performance` global loads
 * node:perf_hooks and ten internal modules on first use, ~3 ms of each `ferry run` (issue 17).
 */
export function monotonicMs(): number {
  // Outside Node (a browser bundle) there is only `performance`.
  if (typeof process === 'undefined' || typeof process.hrtime !== 'function') return performance.now();
  const [seconds, nanoseconds] = process.hrtime();
  return seconds * 1000 + nanoseconds / 1e6;
}

export class Deadline {
  private readonly end: number;

  constructor(readonly ms: number, private readonly clock: () => number = monotonicMs) {
    this.end = clock() + ms;
  }

  /** Throws ValidationOverrun once the time is up; `stage` says what was being done. */
  check(stage: string): void {
    if (this.clock() >= this.end) throw new ValidationOverrun(stage);
  }
}

/** PLAN-048 at the top of the plan: validation of `file` stopped after `ms` while `stage`. */
export function overrunDiagnostic(file: string, ms: number, stage: string): PlanDiagnostic {
  const zero = { line: 0, character: 0 };
  const seconds = (ms / 1000).toLocaleString('en-US');
  return { file, range: { start: zero, end: zero }, severity: 'error', code: 'PLAN-048', message: formatMessage('PLAN-048', [seconds, stage]), data: { stage } };
}
