// `ferry validate <file...> [--format text|json]`: the same validation the editor runs.
import * as path from 'node:path';
import { validatePlan } from '../../plan/validate';
import { readPlanFile } from '../../plan/planFile';
import type { PlanDiagnostic } from '../../plan/diagnostic';
import { ExitCode, UsageError } from '../usage';
import { formatText, summary, toJsonDiagnostic } from '../diagnosticFormat';
import type { CliIo } from '../io';

export function validateCommand(files: string[], format: string, io: CliIo): number {
  if (files.length === 0) throw new UsageError('validate needs at least one plan file');
  if (format !== 'text' && format !== 'json') throw new UsageError(`unknown --format "${format}" (text or json)`);
  const all: PlanDiagnostic[] = [];
  for (const file of files) {
    const absolute = path.resolve(io.cwd, file);
    const read = readPlanFile(absolute, file);
    if ('diagnostic' in read) {
      all.push(read.diagnostic);
      continue;
    }
    // One by one: a plan broken on every line has more findings than push() takes arguments.
    for (const d of validatePlan(read.text, { file: absolute }).diagnostics) all.push(d);
  }
  if (format === 'json') {
    io.out(JSON.stringify({ diagnostics: all.map((d) => toJsonDiagnostic(d, io.cwd)) }, null, 2));
  } else {
    for (const d of all) io.out(formatText(d, io.cwd));
    io.err(summary(all, files.length));
  }
  return all.some((d) => d.severity === 'error') ? ExitCode.failed : ExitCode.ok;
}
