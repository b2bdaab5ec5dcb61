// JSON Schema validation with ajv, with its errors turned into plan findings at the exact key or
// value. ajv reports every failed branch of if/then and oneOf; this keeps the one a person needs.
import type { ErrorObject, ValidateFunction } from 'ajv';
import { validate as compiledValidator } from './generated/projectSchemaValidator';
import schema from '../../schemas/migration-project.schema.json';
import type { PlanDiagnostic } from './diagnostic';
import { pointerToPath, type PathSegment, type PlanYaml } from './yamlDocument';
import { formatMessage } from '../errors/catalog';
import { explainedBy, misplacedKeys, misplacedWording } from './misplacedKeys';

/** The plain value at a path, for the schema navigator's conditions. */
const valueIn = (value: unknown) => (path: readonly PathSegment[]) =>
  path.reduce<unknown>((v, segment) => (typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[String(segment)] : undefined), value);

/** The project schema, as shipped in schemas/. */
export const projectSchema: Record<string, unknown> = schema as Record<string, unknown>;

/** Compiled ahead of time (scripts/compile-schema.mjs): compiling at start cost every process ~110 ms. */
const validator = (): ValidateFunction => compiledValidator as unknown as ValidateFunction;

export interface SchemaFinding {
  path: PathSegment[];
  diagnostic: PlanDiagnostic;
}

function describeValue(params: Record<string, unknown>): string {
  if (Array.isArray(params.allowedValues)) return `one of ${params.allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
  if (typeof params.type === 'string') return `a value of type ${params.type}`;
  if ('allowedValue' in params) return JSON.stringify(params.allowedValue);
  return '';
}

/** Groups oneOf/anyOf "required" alternatives into one message: "needs one of a, b, c". */
function alternatives(errors: ErrorObject[]): Map<string, string[]> {
  const byBranch = new Map<string, string[]>();
  for (const e of errors) {
    const m = /^(.*\/(?:oneOf|anyOf))\/\d+\/required$/.exec(e.schemaPath);
    if (!m || e.keyword !== 'required') continue;
    const key = `${e.instancePath}|${m[1]}`;
    const list = byBranch.get(key) ?? [];
    list.push(String(e.params.missingProperty));
    byBranch.set(key, list);
  }
  return byBranch;
}

export function validateAgainstSchema(value: unknown, yaml: PlanYaml, file: string): SchemaFinding[] {
  const validate = validator();
  if (validate(value)) return [];
  const errors = (validate.errors ?? []).filter((e) => e.keyword !== 'if');
  const grouped = alternatives(errors);
  const findings: SchemaFinding[] = [];
  const seen = new Set<string>();
  const push = (path: PathSegment[], prefer: 'key' | 'value', code: string, args: string[], data?: Record<string, unknown>) => {
    const key = `${path.join('/')}|${code}|${args.join('|')}`;
    if (seen.has(key)) return;
    seen.add(key);
    findings.push({
      path,
      diagnostic: { file, range: yaml.rangeFor(path, prefer), severity: 'error', code, message: formatMessage(code, args), data: { ...(data ?? {}), path: path.join('.') } },
    });
  };
  const misplaced = misplacedKeys(errors, yaml, valueIn(value));
  for (const m of misplaced) {
    push(m.path, 'key', 'PLAN-054', misplacedWording(m), { key: m.key, target: m.target.join('.'), direction: m.direction });
  }
  for (const e of errors) {
    if (misplaced.length && explainedBy(misplaced, e)) continue;
    const path = pointerToPath(e.instancePath);
    const where = path.length ? path.join('.') : 'the project';
    const branch = /^(.*\/(?:oneOf|anyOf))(\/\d+\/required)?$/.exec(e.schemaPath);
    if (branch && (e.keyword === 'oneOf' || e.keyword === 'anyOf' || e.keyword === 'required')) {
      const names = grouped.get(`${e.instancePath}|${branch[1]}`);
      if (e.keyword === 'required' && branch[2]) continue; // reported once, below, as alternatives
      if (names && e.keyword !== 'required') {
        const passing = (e.params as { passingSchemas?: number[] | null }).passingSchemas;
        if (Array.isArray(passing)) {
          push(path, 'key', 'PLAN-012', [where, `only one of ${names.join(', ')} may be given`]);
        } else {
          push(path, 'key', 'PLAN-010', [where, `one of ${names.join(', ')}`], { missing: names });
        }
        continue;
      }
    }
    switch (e.keyword) {
      case 'required':
        push(path, 'key', 'PLAN-010', [where, String(e.params.missingProperty)], { missing: [e.params.missingProperty] });
        break;
      case 'additionalProperties': {
        const name = String(e.params.additionalProperty);
        push([...path, name], 'key', 'PLAN-011', [name, where], { property: name });
        break;
      }
      case 'oneOf':
      case 'anyOf':
        push(path, 'key', 'PLAN-012', [where, e.message ?? 'does not match the allowed shapes']);
        break;
      case 'propertyNames':
        break; // reported by the pattern error on the name itself
      default: {
        const described = describeValue(e.params as Record<string, unknown>);
        const reason = described ? `must be ${described}` : e.message ?? 'is not allowed here';
        if (e.propertyName !== undefined) {
          push([...path, e.propertyName], 'key', 'PLAN-012', [`name "${e.propertyName}"`, reason]);
        } else {
          push(path, 'value', 'PLAN-012', [where, reason], e.keyword === 'enum' ? { allowedValues: (e.params as { allowedValues: unknown[] }).allowedValues } : undefined);
        }
      }
    }
  }
  return findings;
}
