// The one validation path the editor (through its worker), the command line and the runner share:
// YAML syntax, then the JSON Schema, then the semantic rules. Bounded for any input: the plan's size
// (PLAN-045), its aliases and nesting (PLAN-046, PLAN-047), the files it names (projectFiles.ts) and
// a deadline checked between steps (PLAN-048).
import * as path from 'node:path';
import { compareDiagnostics, type PlanDiagnostic } from './diagnostic';
import type { Plan, PlanItem } from './model';
import { PlanYaml } from './yamlDocument';
import { validateAgainstSchema } from './schemaValidation';
import { buildPlan } from './buildPlan';
import { parseItemsCsv } from './csvItems';
import { allRules } from './rules';
import type { RuleContext, RuleFinding } from './rules/ruleContext';
import { formatMessage, formatPlanMessage, getEntry } from '../errors/catalog';
import { mebibytes, planDeadlineMs, planLimits } from './limits';
import { checkYamlBounds } from './yamlBounds';
import { syntaxFinding } from './syntaxFindings';
import { plainValue } from './yamlValue';
import { readProjectFile, type FileRead, type ReadText } from './projectFiles';
import { templateLimitBytes } from './notificationTemplate';
import { Deadline, ValidationOverrun, overrunDiagnostic } from './deadline';

export interface ValidateOptions {
  /** The plan's path (absolute or relative); CSV files are read relative to it. */
  file: string;
  /** The clock rules compare schedules with. */
  now?: Date;
  /** Reads a file by absolute path; undefined when missing. Defaults to the disk (regular files inside the plan's folder only). */
  readFile?: ReadText;
  /** Milliseconds before validation stops with PLAN-048 (default planLimits.deadlineMs). */
  deadlineMs?: number;
  /** Told of every outside fact the result depends on (src/runner/planCache.ts keeps a result only while they hold). */
  observer?: ValidationObserver;
}

/** A file the plan names, read within `limitBytes` (relative to the plan's folder), and what reading it gave. */
export interface NamedFileRead {
  written: string;
  limitBytes: number;
  read: FileRead;
}

export interface ValidationObserver {
  file(read: NamedFileRead): void;
  /** A rule compared something with the clock: the result may differ tomorrow. */
  clock(): void;
}

export interface ValidationResult {
  plan: Plan;
  diagnostics: PlanDiagnostic[];
  yaml: PlanYaml;
}

/** Paths the schema must not double-report because a rule says it better (plaintext secrets). */
function coveredBy(coveredPaths: readonly string[], schemaPath: string): boolean {
  return coveredPaths.some((p) => schemaPath === p || schemaPath.startsWith(`${p}.`));
}

const start = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

export function validatePlan(text: string, options: ValidateOptions): ValidationResult {
  const file = options.file;
  const bytes = Buffer.byteLength(text);
  if (bytes > planLimits.planBytes) {
    const empty = new PlanYaml('');
    const message = formatMessage('PLAN-045', [mebibytes(bytes), mebibytes(planLimits.planBytes)]);
    return { plan: buildPlan(empty, undefined, file, () => []), diagnostics: [{ file, range: start, severity: 'error', code: 'PLAN-045', message }], yaml: empty };
  }
  const deadline = new Deadline(options.deadlineMs ?? planDeadlineMs());
  const run = new Validation(options, deadline);
  try {
    run.all(text);
  } catch (err) {
    if (!(err instanceof ValidationOverrun)) throw err;
    run.diagnostics.push(overrunDiagnostic(file, deadline.ms, err.stage));
  }
  const diagnostics = [...run.diagnostics, ...run.ruleFindings, ...run.csvFindings()];
  diagnostics.sort(compareDiagnostics);
  return { plan: run.plan, diagnostics, yaml: run.yaml };
}

/** One validation's steps and what they found so far (kept when the deadline stops it). */
class Validation {
  readonly diagnostics: PlanDiagnostic[] = [];
  readonly ruleFindings: PlanDiagnostic[] = [];
  plan: Plan;
  yaml = new PlanYaml('');
  private readonly file: string;
  private readonly dir: string;
  private readonly csvCache = new Map<string, { read: FileRead; parsed?: ReturnType<typeof parseItemsCsv> }>();
  private itemsBudget: number = planLimits.itemsFilesTotalBytes;

  constructor(private readonly options: ValidateOptions, private readonly deadline: Deadline) {
    this.file = options.file;
    this.dir = path.dirname(path.resolve(options.file));
    this.plan = buildPlan(this.yaml, undefined, this.file, () => []);
  }

  csvFindings(): PlanDiagnostic[] {
    return [...this.csvCache.values()].flatMap((c) => c.parsed?.diagnostics ?? []);
  }

  all(text: string): void {
    const { file, deadline } = this;
    const yaml = new PlanYaml(text, () => deadline.check('parsing the YAML'));
    this.yaml = yaml;
    if (yaml.tooDeep) {
      this.diagnostics.push({ file, range: start, severity: 'error', code: 'PLAN-047', message: formatMessage('PLAN-047', [String(planLimits.depth)]) });
      return;
    }
    const syntax = [...yaml.doc.errors, ...yaml.doc.warnings];
    for (const error of syntax.slice(0, planLimits.syntaxFindings)) {
      const { range, message } = syntaxFinding(yaml, error);
      this.diagnostics.push({
        file,
        range,
        severity: error.name === 'YAMLWarning' ? 'warning' : 'error',
        code: 'PLAN-001',
        message: formatMessage('PLAN-001', [message]),
        data: { yamlCode: error.code },
      });
    }
    const unlisted = syntax.length - planLimits.syntaxFindings;
    if (unlisted > 0) {
      const last = syntax[planLimits.syntaxFindings];
      const range = yaml.range(last.pos[0], last.pos[0] + 1);
      this.diagnostics.push({ file, range, severity: 'error', code: 'PLAN-001', message: formatMessage('PLAN-001', [`${unlisted.toLocaleString('en-US')} more errors from here on are not listed`]) });
    }
    deadline.check('parsing the YAML');
    const { problems, aliasTargets } = checkYamlBounds(yaml.doc);
    for (const p of problems) {
      this.diagnostics.push({ file, range: yaml.range(p.span[0], Math.max(p.span[1], p.span[0] + 1)), severity: 'error', code: p.code, message: formatMessage(p.code, p.args), ...(p.data ? { data: p.data } : {}) });
    }
    // Beyond the bounds the value is not built at all: what follows would walk every expanded value.
    if (problems.some((p) => p.code !== 'PLAN-001')) return;
    const value = plainValue(yaml.doc.contents, aliasTargets);
    deadline.check('reading the plan');

    this.plan = buildPlan(yaml, value, file, (_index, itemsFile): PlanItem[] => this.loadCsv(itemsFile).parsed?.items.map((i) => ({ ...i, origin: { ...i.origin } })) ?? []);
    // Only findings that say so replace the schema's errors: a hint on an endpoint key must not hide
    // a missing credential inside that endpoint.
    const coveredPaths: string[] = [];
    let stage = 'checking the rules';
    const { observer } = this.options;
    const now = this.options.now ?? new Date();
    let reports = 0;
    const ctx: RuleContext = {
      file,
      yaml,
      value,
      plan: this.plan,
      get now() {
        observer?.clock();
        return now;
      },
      readItemsFile: (written) => this.loadCsv(written).read,
      readTextFile: (written) => this.readFile(written, templateLimitBytes),
      report: (f: RuleFinding) => {
        // A rule that reports on every one of many items is checked between its findings too.
        if ((++reports & 0x3ff) === 0) deadline.check(stage);
        this.ruleFindings.push(toDiagnostic(f, ctx));
        if (f.coversSchema && f.path) coveredPaths.push(f.path.join('.'));
      },
    };
    // A document that did not parse is not judged: the schema and the rules would only describe
    // what the parser made of the broken text (a batch named after ten swallowed lines).
    if (yaml.doc.errors.length > 0) return;
    if (value !== undefined && value !== null) {
      for (const rule of allRules) {
        stage = `checking ${rule.name || 'a rule'}`;
        deadline.check(stage);
        rule(ctx);
      }
    }
    deadline.check('checking the schema');
    if (value === undefined || value === null) {
      this.diagnostics.push({ file, range: yaml.range(0, 0), severity: 'error', code: 'PLAN-010', message: formatMessage('PLAN-010', ['the project', 'version, project, endpoints, source, destination and batches']) });
    } else {
      // A duplicated key (PLAN-001 from the bounds check) already explains its line.
      const syntaxLines = new Set(this.diagnostics.filter((d) => d.code === 'PLAN-001').flatMap((d) => [d.range.start.line, d.range.end.line]));
      for (const { path: p, diagnostic } of validateAgainstSchema(value, yaml, file)) {
        if (!coveredBy(coveredPaths, p.join('.')) && !syntaxLines.has(diagnostic.range.start.line)) this.diagnostics.push(diagnostic);
      }
    }
  }

  /** A file the plan names, as the observer is told. */
  private readFile(written: string, limitBytes: number): FileRead {
    const read = readProjectFile(this.dir, written, limitBytes, this.options.readFile);
    this.options.observer?.file({ written, limitBytes, read });
    return read;
  }

  /** An items file, read once, within the per-file and per-plan bounds. */
  private loadCsv(written: string): { read: FileRead; parsed?: ReturnType<typeof parseItemsCsv> } {
    const absolute = path.resolve(this.dir, written);
    const cached = this.csvCache.get(absolute);
    if (cached) return cached;
    this.deadline.check(`reading ${written}`);
    const perFile = this.itemsBudget >= planLimits.itemsFileBytes;
    const limit = Math.min(planLimits.itemsFileBytes, this.itemsBudget);
    let read = this.readFile(written, limit);
    if (!read.ok && read.refusal === 'tooLarge') {
      const size = read.bytes === undefined ? '' : `it is ${mebibytes(read.bytes)} MB and `;
      const bound = perFile ? `Ferry reads items files of up to ${mebibytes(planLimits.itemsFileBytes)} MB` : `Ferry reads up to ${mebibytes(planLimits.itemsFilesTotalBytes)} MB of items files for one plan`;
      read = { ...read, reason: `${size}${bound}` };
    }
    if (read.ok) this.itemsBudget -= Buffer.byteLength(read.text);
    const entry = { read, parsed: read.ok ? parseItemsCsv(absolute, read.text) : undefined };
    this.csvCache.set(absolute, entry);
    return entry;
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
    ...(f.related ? { related: f.related } : {}),
  };
}
