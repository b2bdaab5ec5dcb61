// Shapes shared by the quick-fix providers.
import type { PlanDiagnostic } from '../diagnostic';
import type { Range } from '../diagnostic';
import type { PathSegment, PlanYaml } from '../yamlDocument';

export interface TextEdit {
  range: Range;
  newText: string;
}

export interface PlanFix {
  title: string;
  code: string;
  /** Edits to `diagnostic.file` (the plan, or the CSV file a CSV finding is in). */
  edits: TextEdit[];
  isPreferred?: boolean;
  /** Run after the edits (e.g. store the secret that an edit took out of the plan). */
  command?: { command: string; title: string; arguments: unknown[] };
}

export interface FixContext {
  /** The file `text` is the content of. */
  file: string;
  now: Date;
}

export interface FixInput {
  text: string;
  yaml: PlanYaml;
  diagnostic: PlanDiagnostic;
  context: FixContext;
  /** Where the diagnostic points in the plan (data.path, else the node its range starts at). */
  path: PathSegment[] | undefined;
  /** Whether the finding is about a line of a CSV items file rather than the plan. */
  inCsv: boolean;
}

export type FixProvider = (input: FixInput) => PlanFix[];

export const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);
