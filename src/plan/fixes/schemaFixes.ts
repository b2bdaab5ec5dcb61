// Quick fixes for schema findings: add a missing property (PLAN-010), rename an unknown one to
// the known property it is closest to or remove it (PLAN-011), use an allowed value (PLAN-012).
import { isMap, isNode, isScalar } from 'yaml';
import type { PlanDiagnostic } from '../diagnostic';
import type { PathSegment, PlanYaml } from '../yamlDocument';
import { defaultOf, enumValuesOf, propertiesOf, schemasAt, typesOf, type Schema, type ValueAt } from '../completion/schemaNavigator';
import { bySimilarity, levenshtein, similarity } from './similarity';
import { deleteEntry, edit, flowText, inFlow, insertIntoMap, replaceScalar, scalarText } from './yamlEdits';
import { diagnosticPath, entryOf, pathsStartingAt, resolvePath } from './locate';
import type { FixProvider, PlanFix } from './fixTypes';
import type { Style } from '../completion/yamlLines';

/** Document values by path, for the schema's if/then (an endpoint's type). */
export function astValueAt(yaml: PlanYaml): ValueAt {
  return (path) => {
    const node = yaml.nodeAt(path);
    return isNode(node) ? node.toJS(yaml.doc) : undefined;
  };
}

/** The object a PLAN-010 is about: reported at its key (or first line for list entries and the top level). */
function objectPath(yaml: PlanYaml, diagnostic: PlanDiagnostic): PathSegment[] | undefined {
  if (typeof diagnostic.data?.path === 'string') return resolvePath(yaml, diagnostic.data.path);
  const same = (a: PlanDiagnostic['range'], b: PlanDiagnostic['range']) =>
    a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
  const candidates = pathsStartingAt(yaml, yaml.offset(diagnostic.range.start)).map((c) => c.path);
  const fits = (p: PathSegment[]) => {
    const node = yaml.nodeAt(p);
    return isMap(node) || node === undefined || (isScalar(node) && node.value === null);
  };
  return candidates.filter(fits).find((p) => same(yaml.rangeFor(p, 'key'), diagnostic.range)) ?? candidates.find(fits);
}

const EMPTY = Symbol('empty');

/** A value to start from: const, default, the first allowed value, required children, or nothing. */
function placeholder(schemas: readonly Schema[], depth = 0): unknown {
  const values = enumValuesOf(schemas);
  const def = defaultOf(schemas);
  if (def) return def.value;
  if (values.length) return values[0].value;
  const types = typesOf(schemas);
  if (types.has('object') && depth < 3) {
    const out: Record<string, unknown> = {};
    for (const p of propertiesOf(schemas)) if (p.required) out[p.name] = placeholder(p.schemas, depth + 1);
    return out;
  }
  if (types.has('array')) return [];
  if (types.has('boolean')) return false;
  return EMPTY;
}

function placeholderLines(name: string, value: unknown, style: Style): string[] {
  if (value === EMPTY) return [`${scalarText(name)}: `];
  if (value && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length) {
    const children = Object.entries(value).flatMap(([k, v]) => placeholderLines(k, v, style));
    return [`${scalarText(name)}:`, ...children.map((l) => ' '.repeat(style.indentUnit) + l)];
  }
  return [`${scalarText(name)}: ${flowText(value)}`];
}

function placeholderFlow(value: unknown): string {
  if (value === EMPTY) return '';
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const entries = Object.entries(value).map(([k, v]) => `${scalarText(k, true)}: ${placeholderFlow(v)}`);
    return entries.length ? `{ ${entries.join(', ')} }` : '{}';
  }
  return flowText(value);
}

export const addMissingProperty: FixProvider = ({ yaml, diagnostic }) => {
  const missing = Array.isArray(diagnostic.data?.missing) ? diagnostic.data.missing.filter((m): m is string => typeof m === 'string') : [];
  const path = objectPath(yaml, diagnostic);
  if (!path || !missing.length) return [];
  const valueAt = astValueAt(yaml);
  const fixes: PlanFix[] = [];
  for (const name of missing) {
    const schemas = schemasAt([...path, name], valueAt);
    const values = enumValuesOf(schemas);
    // A short list without a default (an endpoint's type): one fix per value rather than a guess.
    const choices = values.length > 1 && values.length <= 6 && !defaultOf(schemas) ? values.map((v) => v.value) : [placeholder(schemas)];
    for (const value of choices) {
      const insertion = { block: (style: Style) => placeholderLines(name, value, style), flow: `${scalarText(name, true)}: ${placeholderFlow(value)}`.trimEnd() };
      const change = insertIntoMap(yaml, path, insertion);
      const shown = choices.length > 1 ? `${name}: ${String(value)}` : name;
      if (change) fixes.push({ title: `Add the missing property '${shown}'`, code: diagnostic.code, edits: [change], ...(missing.length === 1 && choices.length === 1 ? { isPreferred: true } : {}) });
    }
  }
  return fixes;
};

/** The unknown key's path: data.path, else the key the finding starts at. */
function unknownKeyPath(yaml: PlanYaml, diagnostic: PlanDiagnostic): PathSegment[] | undefined {
  const path = diagnosticPath(yaml, diagnostic);
  const property = typeof diagnostic.data?.property === 'string' ? diagnostic.data.property : undefined;
  if (path && property !== undefined && path[path.length - 1] !== property) return [...path, property];
  return path;
}

export const replaceWithKnownProperty: FixProvider = ({ yaml, diagnostic }) => {
  const path = unknownKeyPath(yaml, diagnostic);
  const pair = path && yaml.pairAt(path);
  if (!path || !pair || !isNode(pair.key) || !pair.key.range) return [];
  const unknown = String(path[path.length - 1]);
  const parent = yaml.nodeAt(path.slice(0, -1));
  const present = new Set(isMap(parent) ? parent.items.map((p) => String(isScalar(p.key) ? p.key.value : p.key)) : []);
  const known = propertiesOf(schemasAt(path.slice(0, -1), astValueAt(yaml)))
    .map((p) => p.name)
    .filter((name) => !present.has(name) && levenshtein(name.toLowerCase(), unknown.toLowerCase()) <= 2);
  const flow = inFlow(yaml, path);
  const [start, end] = pair.key.range;
  return bySimilarity(known, unknown).map((name, i) => ({
    title: `Rename '${unknown}' to '${name}'`,
    code: diagnostic.code,
    edits: [edit(yaml, start, end, scalarText(name, flow))],
    ...(i === 0 ? { isPreferred: true } : {}),
  }));
};

export const removeUnknownProperty: FixProvider = ({ yaml, diagnostic }) => {
  const path = unknownKeyPath(yaml, diagnostic);
  const entry = path && entryOf(yaml, path);
  if (!path || !entry) return [];
  const change = deleteEntry(yaml, entry.collection, entry.index, entry.parentPath);
  return change ? [{ title: `Remove the unknown property '${String(path[path.length - 1])}'`, code: diagnostic.code, edits: [change] }] : [];
};

export const replaceWithAllowedValue: FixProvider = ({ yaml, diagnostic, path }) => {
  const allowed = Array.isArray(diagnostic.data?.allowedValues) ? diagnostic.data.allowedValues : [];
  const node = path && yaml.nodeAt(path);
  if (!path || !allowed.length || !isScalar(node)) return [];
  const current = String(node.value);
  const labels = allowed.map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
  const ordered = bySimilarity(labels, current);
  // Nothing looks like what was written (`ssl`): the schema's default is the better first guess.
  const def = defaultOf(schemasAt(path, astValueAt(yaml)));
  if (def && similarity(ordered[0], current) < 0.5 && labels.includes(String(def.value))) ordered.sort((a, b) => Number(b === String(def.value)) - Number(a === String(def.value)));
  const flow = inFlow(yaml, path);
  return ordered.map((label, i) => {
    const value = allowed[labels.indexOf(label)];
    return { title: `Change to '${label}'`, code: diagnostic.code, edits: [replaceScalar(yaml, node, value, flow)], ...(i === 0 ? { isPreferred: true } : {}) };
  });
};
