// The one validation path the editor (through its worker), the command line and the runner share:
// YAML syntax, then the JSON Schema, then the semantic rules.
import * as path from 'node:path';
import * as fs from 'node:fs';
import { compareDiagnostics, type PlanDiagnostic } from './diagnostic';
import type { Plan, PlanItem } from './model';
import { PlanYaml } from './yamlDocument';
import { validateAgainstSchema } from './schemaValidation';
import { buildPlan } from './buildPlan';
import { parseItemsCsv } from './csvItems';
import { allRules } from './rules';
import type { RuleContext, RuleFinding } from './rules/ruleContext';
import { formatMessage, formatPlanMessage, getEntry } from '../errors/catalog';

export interface ValidateOptions {
  /** The plan's path (absolute or relative); CSV files are read relative to it. */
  file: string;
  /** The clock rules compare schedules with. */
  now?: Date;
  /** Reads a file by absolute path; undefined when missing. Defaults to the disk. */
  readFile?: (absolutePath: string) => string | undefined;
}

export interface ValidationResult {
  plan: Plan;
  diagnostics: PlanDiagnostic[];
  yaml: PlanYaml;
}

export function readFileOrUndefined(absolutePath: string): string | undefined {
  try {
    return fs.readFileSync(absolutePath, 'utf8');
  } catch {
    return undefined;
  }
}

/** Paths the schema must not double-report because a rule says it better (plaintext secrets). */
function coveredBy(coveredPaths: readonly string[], schemaPath: string): boolean {
  return coveredPaths.some((p) => schemaPath === p || schemaPath.startsWith(`${p}.`));
}

export function validatePlan(text: string, options: ValidateOptions): ValidationResult {
  const file = options.file;
  const dir = path.dirname(path.resolve(file));
  const read = options.readFile ?? readFileOrUndefined;
  const now = options.now ?? new Date();
  const yaml = new PlanYaml(text);
  const diagnostics: PlanDiagnostic[] = [];

  for (const error of [...yaml.doc.errors, ...yaml.doc.warnings]) {
    diagnostics.push({
      file,
      range: yaml.range(error.pos[0], Math.max(error.pos[1], error.pos[0] + 1)),
      severity: error.name === 'YAMLWarning' ? 'warning' : 'error',
      code: 'PLAN-001',
      message: formatMessage('PLAN-001', [error.message.split('\n')[0]]),
      data: { yamlCode: error.code },
    });
  }
  const value = yaml.doc.errors.length ? safeToJS(yaml) : yaml.toJS();

  const csvCache = new Map<string, ReturnType<typeof parseItemsCsv> | undefined>();
  const loadCsv = (relative: string) => {
    const absolute = path.resolve(dir, relative);
    if (!csvCache.has(absolute)) {
      const content = read(absolute);
      csvCache.set(absolute, content === undefined ? undefined : parseItemsCsv(absolute, content));
    }
    return csvCache.get(absolute);
  };
  const plan = buildPlan(yaml, value, file, (_index, itemsFile): PlanItem[] => loadCsv(itemsFile)?.items.map((i) => ({ ...i, origin: { ...i.origin } })) ?? []);

  const ruleFindings: PlanDiagnostic[] = [];
  // Only findings that say so replace the schema's errors: a hint on an endpoint key must not hide
  // a missing credential inside that endpoint.
  const coveredPaths: string[] = [];
  const ctx: RuleContext = {
    file,
    yaml,
    value,
    plan,
    now,
    readFile: (relative) => read(path.resolve(dir, relative)),
    report: (f: RuleFinding) => {
      ruleFindings.push(toDiagnostic(f, ctx));
      if (f.coversSchema && f.path) coveredPaths.push(f.path.join('.'));
    },
  };
  if (value !== undefined && value !== null) {
    for (const rule of allRules) rule(ctx);
  }
  for (const result of csvCache.values()) if (result) diagnostics.push(...result.diagnostics);

  if (value === undefined || value === null) {
    if (yaml.doc.errors.length === 0) diagnostics.push({ file, range: yaml.range(0, 0), severity: 'error', code: 'PLAN-010', message: formatMessage('PLAN-010', ['the project', 'version, project, endpoints, source, destination and batches']) });
  } else {
    // A syntax error already explains its lines; the schema's view of the half-parsed value there is noise.
    const syntaxLines = new Set(diagnostics.filter((d) => d.code === 'PLAN-001').flatMap((d) => [d.range.start.line, d.range.end.line]));
    for (const { path: p, diagnostic } of validateAgainstSchema(value, yaml, file)) {
      if (!coveredBy(coveredPaths, p.join('.')) && !syntaxLines.has(diagnostic.range.start.line)) diagnostics.push(diagnostic);
    }
  }
  diagnostics.push(...ruleFindings);
  diagnostics.sort(compareDiagnostics);
  return { plan, diagnostics, yaml };
}

function safeToJS(yaml: PlanYaml): unknown {
  try {
    return yaml.toJS();
  } catch {
    return undefined;
  }
}

function toDiagnostic(f: RuleFinding, ctx: RuleContext): PlanDiagnostic {
  const range = f.range ?? ctx.yaml.rangeFor(f.path ?? [], f.at ?? 'value');
  const data = { ...(f.path ? { path: f.path.join('.') } : {}), ...(f.data ?? {}) };
  return {
    file: f.file ?? ctx.file,
    range,
    severity: f.severity ?? getEntry(f.code)?.severity ?? 'error',
    code: f.code,
    message: formatPlanMessage(f.code, f.args ?? []),
    ...(Object.keys(data).length ? { data } : {}),
  };
}
