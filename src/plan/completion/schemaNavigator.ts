// Walks the plan schema to the subschemas that apply at a YAML path: follows $ref, allOf,
// if/then/else (evaluated against the document's values, so an endpoint's `type` selects its
// branch) and oneOf/anyOf (all branches: completion offers the union). Pure and cached.
import schemaJson from '../../../schemas/migration-project.schema.json';
import type { PathSegment } from '../yamlDocument';

/** A JSON Schema object as written in schemas/ (draft-07 plus VS Code's annotations). */
export interface Schema {
  $ref?: string;
  type?: string | string[];
  description?: string;
  markdownDescription?: string;
  enum?: unknown[];
  enumDescriptions?: string[];
  const?: unknown;
  default?: unknown;
  required?: string[];
  properties?: Record<string, Schema | boolean>;
  patternProperties?: Record<string, Schema | boolean>;
  additionalProperties?: Schema | boolean;
  items?: Schema | Schema[] | boolean;
  uniqueItems?: boolean;
  allOf?: (Schema | boolean)[];
  anyOf?: (Schema | boolean)[];
  oneOf?: (Schema | boolean)[];
  if?: Schema | boolean;
  then?: Schema | boolean;
  else?: Schema | boolean;
  defaultSnippets?: { label?: string; description?: string; markdownDescription?: string; body: unknown }[];
  [keyword: string]: unknown;
}

/** The document's value at a path, computed only when a condition needs it. */
export type ValueAt = (path: readonly PathSegment[]) => unknown;

export const rootSchema: Schema = schemaJson as unknown as Schema;

const isSchema = (s: unknown): s is Schema => typeof s === 'object' && s !== null && !Array.isArray(s);
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);

const derefCache = new WeakMap<Schema, Schema>();

/** A schema with its $ref replaced by the target; keywords next to $ref (descriptions) win. */
export function deref(schema: Schema): Schema {
  const cached = derefCache.get(schema);
  if (cached) return cached;
  let result = schema;
  if (typeof schema.$ref === 'string') {
    const target = lookup(schema.$ref);
    const { $ref: _ignored, ...siblings } = schema;
    result = target ? { ...deref(target), ...siblings } : siblings;
  }
  derefCache.set(schema, result);
  return result;
}

function lookup(ref: string): Schema | undefined {
  if (!ref.startsWith('#')) return undefined;
  let node: unknown = rootSchema;
  for (const part of ref.slice(1).split('/').filter(Boolean)) {
    if (!isObj(node)) return undefined;
    node = node[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return isSchema(node) ? node : undefined;
}

/** A small JSON Schema check, enough for if-conditions (const, enum, type, required, properties). */
export function matches(schema: Schema | boolean, value: unknown): boolean {
  if (typeof schema === 'boolean') return schema;
  const s = deref(schema);
  if ('const' in s && s.const !== value) return false;
  if (Array.isArray(s.enum) && !s.enum.includes(value)) return false;
  if (s.type !== undefined && !(Array.isArray(s.type) ? s.type : [s.type]).some((t) => hasType(value, t))) return false;
  if (Array.isArray(s.required) && (!isObj(value) || s.required.some((k) => !(k in value)))) return false;
  if (s.properties && isObj(value)) {
    for (const [key, sub] of Object.entries(s.properties)) if (key in value && !matches(sub, value[key])) return false;
  }
  if (s.allOf && !s.allOf.every((sub) => matches(sub, value))) return false;
  return true;
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'object':
      return isObj(value);
    case 'array':
      return Array.isArray(value);
    case 'integer':
      return Number.isInteger(value);
    case 'number':
      return typeof value === 'number';
    case 'null':
      return value === null;
    default:
      return typeof value === type;
  }
}

/**
 * The schema and every subschema that applies to the same value: allOf members, the then/else
 * branch the value selects, and all oneOf/anyOf branches. `value` is asked for lazily.
 */
export function applicable(schema: Schema | boolean, value: () => unknown): Schema[] {
  if (!isSchema(schema)) return [];
  const out: Schema[] = [];
  const visit = (s: Schema, depth: number, alternative: boolean) => {
    if (depth > 16) return;
    const d = deref(s);
    // An alternative's `required` is one choice among several, not a requirement.
    out.push(alternative && d.required ? { ...d, required: undefined } : d);
    for (const sub of d.allOf ?? []) if (isSchema(sub)) visit(sub, depth + 1, alternative);
    for (const sub of [...(d.oneOf ?? []), ...(d.anyOf ?? [])]) if (isSchema(sub)) visit(sub, depth + 1, true);
    if (d.if !== undefined) {
      const branch = matches(d.if, value()) ? d.then : d.else;
      if (isSchema(branch)) visit(branch, depth + 1, alternative);
    }
  };
  visit(schema, 0, false);
  return out;
}

/** Subschemas for one step down: a property (or additional property) of a map, or a sequence element. */
export function childSchemas(schemas: readonly Schema[], segment: PathSegment): Schema[] {
  const out: Schema[] = [];
  for (const s of schemas) {
    if (typeof segment === 'number') {
      if (Array.isArray(s.items)) {
        const item = s.items[segment];
        if (isSchema(item)) out.push(item);
      } else if (isSchema(s.items)) out.push(s.items);
      continue;
    }
    const own = s.properties?.[segment];
    if (own !== undefined) {
      if (isSchema(own)) out.push(own);
      continue; // `true` only says "allowed": the real schema sits in another applicable schema
    }
    const pattern = Object.entries(s.patternProperties ?? {}).find(([p]) => new RegExp(p, 'u').test(segment));
    if (pattern) {
      if (isSchema(pattern[1])) out.push(pattern[1]);
    } else if (isSchema(s.additionalProperties)) out.push(s.additionalProperties);
  }
  return out;
}

/** Every subschema that applies at a path of the document. */
export function schemasAt(path: readonly PathSegment[], valueAt: ValueAt): Schema[] {
  let current = applicable(rootSchema, () => valueAt([]));
  for (let i = 0; i < path.length && current.length; i++) {
    const sub = path.slice(0, i + 1);
    current = childSchemas(current, path[i]).flatMap((s) => applicable(s, () => valueAt(sub)));
  }
  return current;
}

export interface PropertyInfo {
  name: string;
  /** Every schema that describes the property (dereferenced, with their own subschemas applied). */
  schemas: Schema[];
  required: boolean;
}

/** The properties an object may have, merged over its applicable schemas, in schema order. */
export function propertiesOf(schemas: readonly Schema[]): PropertyInfo[] {
  const byName = new Map<string, PropertyInfo>();
  const required = new Set(schemas.flatMap((s) => s.required ?? []));
  for (const s of schemas) {
    for (const [name, sub] of Object.entries(s.properties ?? {})) {
      let info = byName.get(name);
      if (!info) byName.set(name, (info = { name, schemas: [], required: required.has(name) }));
      if (isSchema(sub)) info.schemas.push(...applicable(sub, () => undefined));
    }
  }
  return [...byName.values()];
}

/** Whether any schema closes the object (additionalProperties: false) so only listed keys are valid. */
export function isClosed(schemas: readonly Schema[]): boolean {
  return schemas.some((s) => s.additionalProperties === false);
}

/** First non-empty annotation across the schemas. */
export function docOf(schemas: readonly Schema[]): string | undefined {
  for (const s of schemas) if (s.markdownDescription) return s.markdownDescription;
  for (const s of schemas) if (s.description) return s.description;
  return undefined;
}

/** The JSON types the schemas allow (from type, enum and const). */
export function typesOf(schemas: readonly Schema[]): Set<string> {
  const types = new Set<string>();
  for (const s of schemas) {
    if (typeof s.type === 'string') types.add(s.type);
    else if (Array.isArray(s.type)) s.type.forEach((t) => types.add(t));
    for (const v of s.enum ?? []) types.add(jsonType(v));
    if ('const' in s) types.add(jsonType(s.const));
    if (!s.type && (s.properties || s.additionalProperties !== undefined)) types.add('object');
    if (!s.type && s.items) types.add('array');
  }
  return types;
}

function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (Number.isInteger(v)) return 'integer';
  return typeof v;
}

export interface EnumValue {
  value: unknown;
  description?: string;
}

/** Allowed values with their enumDescriptions (enum and const). */
export function enumValuesOf(schemas: readonly Schema[]): EnumValue[] {
  const out: EnumValue[] = [];
  const seen = new Set<string>();
  const add = (value: unknown, description?: string) => {
    const key = JSON.stringify(value);
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ value, ...(description ? { description } : {}) });
  };
  for (const s of schemas) {
    s.enum?.forEach((v, i) => add(v, s.enumDescriptions?.[i]));
    if ('const' in s) add(s.const, s.markdownDescription ?? s.description);
  }
  return out;
}

export function defaultOf(schemas: readonly Schema[]): { value: unknown } | undefined {
  const s = schemas.find((x) => 'default' in x);
  return s ? { value: s.default } : undefined;
}

/** Item schemas of an array (the union over the applicable schemas). */
export function itemSchemas(schemas: readonly Schema[]): Schema[] {
  return childSchemas(schemas, 0).flatMap((s) => applicable(s, () => undefined));
}
