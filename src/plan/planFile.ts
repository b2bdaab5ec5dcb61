// Reads a plan file for the command line and the runner: a regular file (a FIFO or a device named
// on the command line must not hang `ferry validate`), no larger than validation takes.
import type { PlanDiagnostic } from './diagnostic';
import { readRegularFile } from './projectFiles';
import { mebibytes, planLimits } from './limits';
import { formatMessage } from '../errors/catalog';

/** The plan's text, or the finding that says why it was not read (PLAN-003, PLAN-045). */
export function readPlanFile(absolute: string, shownAs: string): { text: string } | { diagnostic: PlanDiagnostic } {
  const read = readRegularFile(absolute, planLimits.planBytes);
  if (read.ok) return { text: read.text };
  const zero = { line: 0, character: 0 };
  const at = { file: absolute, range: { start: zero, end: zero }, severity: 'error' as const };
  if (read.refusal === 'tooLarge') {
    return { diagnostic: { ...at, code: 'PLAN-045', message: formatMessage('PLAN-045', [read.bytes === undefined ? 'larger' : mebibytes(read.bytes), mebibytes(planLimits.planBytes)]) } };
  }
  return { diagnostic: { ...at, code: 'PLAN-003', message: formatMessage('PLAN-003', [shownAs, read.reason]) } };
}
