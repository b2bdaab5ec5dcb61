// `ferry validate <file...> [--format text|json]`: the same validation the editor runs.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { validatePlan } from '../../plan/validate';
import type { PlanDiagnostic } from '../../plan/diagnostic';
import { ExitCode, UsageError } from '../usage';
import { formatText, summary, toJsonDiagnostic } from '../diagnosticFormat';
import type { CliIo } from '../io';
import { formatMessage } from '../../errors/catalog';

export function validateCommand(files: string[], format: string, io: CliIo): number {
  if (files.length === 0) throw new UsageError('validate needs at least one plan file');
  if (format !== 'text' && format !== 'json') throw new UsageError(`unknown --format "${format}" (text or json)`);
  const all: PlanDiagnostic[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = fs.readFileSync(path.resolve(io.cwd, file), 'utf8');
    } catch (err) {
      const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message;
      all.push({ file, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, severity: 'error', code: 'PLAN-003', message: formatMessage('PLAN-003', [file, reason]) });
      continue;
    }
    all.push(...validatePlan(text, { file: path.resolve(io.cwd, file) }).diagnostics);
  }
  if (format === 'json') {
    io.out(JSON.stringify({ diagnostics: all.map((d) => toJsonDiagnostic(d, io.cwd)) }, null, 2));
  } else {
    for (const d of all) io.out(formatText(d, io.cwd));
    io.err(summary(all, files.length));
  }
  return all.some((d) => d.severity === 'error') ? ExitCode.failed : ExitCode.ok;
}
