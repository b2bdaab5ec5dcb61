// Positions are 0-based (like VS Code and LSP); the command line adds 1 when it prints them.
import type { Severity } from '../errors/types';

export type { Severity };

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** One finding about a plan (or its CSV file), from YAML syntax, the schema or a semantic rule. */
export interface PlanDiagnostic {
  /** The file the finding is in: the plan, or a CSV items file it names. */
  file: string;
  range: Range;
  severity: Severity;
  /** A catalog code (src/errors); the same code selects the quick fixes. */
  code: string;
  message: string;
  /** Facts the quick fixes need (names, suggested values); plain JSON. */
  data?: Record<string, unknown>;
  /** Other places the finding is about (the first occurrence of a duplicate), shown beside it. */
  related?: RelatedPlace[];
}

export interface RelatedPlace {
  file: string;
  range: Range;
  message: string;
}

export const severityRank: Record<Severity, number> = { error: 0, warning: 1, information: 2, hint: 3 };

export function compareDiagnostics(a: PlanDiagnostic, b: PlanDiagnostic): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || a.code.localeCompare(b.code);
}
