// What a semantic rule sees and how it reports. Rules are pure: plan in, findings out.
import type { PlanDiagnostic, Range, RelatedPlace, Severity } from '../diagnostic';
import type { Plan } from '../model';
import type { PathSegment, PlanYaml } from '../yamlDocument';
import type { FileRead } from '../projectFiles';

export interface RuleContext {
  file: string;
  yaml: PlanYaml;
  /** The document as plain JavaScript (may be anything: rules check shapes before use). */
  value: unknown;
  plan: Plan;
  now: Date;
  /** A batch's items file as written in the plan: its text, or why it was refused (read once per validation). */
  readItemsFile(written: string): FileRead;
  /** Another small text file the plan names (a notification template), relative to the plan. */
  readTextFile(written: string): FileRead;
  /** Reports a finding at a YAML path (value range unless `at: 'key'`) with the catalog's text. */
  report(finding: RuleFinding): void;
}

export interface RuleFinding {
  code: string;
  args?: string[];
  path?: readonly PathSegment[];
  at?: 'key' | 'value';
  /** Where, when not a YAML path (a CSV line, say). */
  range?: Range;
  file?: string;
  severity?: Severity;
  /** Facts for quick fixes; a `path` given here wins over the YAML path set automatically. */
  data?: Record<string, unknown>;
  /**
   * The finding replaces whatever the schema says at `path` (and below it): a plaintext secret is
   * also "not an object", an unsupported version also "not in the enum". Only set it when the
   * rule's message says everything the schema's would.
   */
  coversSchema?: boolean;
  /** Other places the finding is about (e.g. the first occurrence of a duplicate). */
  related?: RelatedPlace[];
}

export type Rule = (ctx: RuleContext) => void;

export type { PlanDiagnostic };
