// Reads and validates a plan for a run: the same validation as the editor; errors refuse the run.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { formatMessage } from '../errors/catalog';
import type { PlanDiagnostic } from '../plan/diagnostic';
import type { Plan } from '../plan/model';
import { validatePlan } from '../plan/validate';

export class InvalidPlanError extends Error {
  constructor(readonly diagnostics: PlanDiagnostic[]) {
    super(diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code}: ${d.message}`).join('\n'));
    this.name = 'InvalidPlanError';
  }
}

/** The validated plan of an absolute file path; throws InvalidPlanError with the diagnostics. */
export function loadPlan(file: string): { plan: Plan; diagnostics: PlanDiagnostic[] } {
  const absolute = path.resolve(file);
  let text: string;
  try {
    text = fs.readFileSync(absolute, 'utf8');
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message;
    const zero = { line: 0, character: 0 };
    throw new InvalidPlanError([{ file: absolute, range: { start: zero, end: zero }, severity: 'error', code: 'PLAN-003', message: formatMessage('PLAN-003', [file, reason]) }]);
  }
  const { plan, diagnostics } = validatePlan(text, { file: absolute });
  if (diagnostics.some((d) => d.severity === 'error')) throw new InvalidPlanError(diagnostics);
  return { plan, diagnostics };
}
