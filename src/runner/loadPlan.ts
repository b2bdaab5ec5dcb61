// Reads and validates a plan for a run: the same validation as the editor; errors refuse the run.
import { readPlanFile } from '../plan/planFile';
import type { PlanDiagnostic } from '../plan/diagnostic';
import type { Plan } from '../plan/model';
import { validatePlan } from '../plan/validate';
import { canonicalPlanFile } from '../store/location';
import { PlanCache } from './planCache';

export class InvalidPlanError extends Error {
  constructor(readonly diagnostics: PlanDiagnostic[]) {
    super(diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code}: ${d.message}`).join('\n'));
    this.name = 'InvalidPlanError';
  }
}

/**
 * The validated plan of a file; throws InvalidPlanError with the diagnostics. Links are resolved:
 * a plan reached through a symlink is the file itself (its relative paths, its state folder).
 */
export function loadPlan(file: string): { plan: Plan; diagnostics: PlanDiagnostic[] } {
  const absolute = canonicalPlanFile(file);
  const read = readPlanFile(absolute, file);
  if ('diagnostic' in read) throw new InvalidPlanError([read.diagnostic]);
  // An unchanged plan's result from the last command (planCache.ts says when one is used).
  const cache = PlanCache.of(absolute, read.text);
  const kept = cache?.lookup();
  if (kept) return kept;
  const { plan, diagnostics } = validatePlan(read.text, { file: absolute, observer: cache?.observer });
  if (diagnostics.some((d) => d.severity === 'error')) throw new InvalidPlanError(diagnostics);
  cache?.keep({ plan, diagnostics });
  return { plan, diagnostics };
}
