// How the command line prints findings: like a compiler (file:line:col) or as JSON, 1-based.
import * as path from 'node:path';
import type { PlanDiagnostic } from '../plan/diagnostic';

export interface JsonDiagnostic {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: string;
  code: string;
  message: string;
}

export function toJsonDiagnostic(d: PlanDiagnostic, cwd: string): JsonDiagnostic {
  return {
    file: displayPath(d.file, cwd),
    line: d.range.start.line + 1,
    column: d.range.start.character + 1,
    endLine: d.range.end.line + 1,
    endColumn: d.range.end.character + 1,
    severity: d.severity,
    code: d.code,
    message: d.message,
  };
}

export function formatText(d: PlanDiagnostic, cwd: string): string {
  const j = toJsonDiagnostic(d, cwd);
  return `${j.file}:${j.line}:${j.column}: ${j.severity} ${j.code} ${j.message}`;
}

/** Paths inside the working folder print relative, like compilers do. */
export function displayPath(file: string, cwd: string): string {
  const rel = path.relative(cwd, path.resolve(cwd, file));
  return rel.startsWith('..') || path.isAbsolute(rel) ? file : rel;
}

export function summary(diagnostics: readonly PlanDiagnostic[], files: number): string {
  const count = (s: string) => diagnostics.filter((d) => d.severity === s).length;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `${plural(files, 'file')} checked: ${plural(count('error'), 'error')}, ${plural(count('warning'), 'warning')}, ${plural(count('information') + count('hint'), 'note')}`;
}
