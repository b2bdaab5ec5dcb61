// Snippet text for completions: the schema's defaultSnippets bodies rendered as YAML (their
// `${1:placeholder}` tab stops kept), and skeletons of an object's required children.
import { typesOf, enumValuesOf, defaultOf, propertiesOf, itemSchemas, type Schema } from './schemaNavigator';
import type { Style } from './yamlLines';

/** Escapes text so that a snippet inserts it literally. */
export function escapeSnippet(text: string): string {
  return text.replace(/[\\$}]/g, (c) => `\\${c}`);
}

function escapeChoice(text: string): string {
  return text.replace(/[\\$}|,]/g, (c) => `\\${c}`);
}

/** The text a snippet string produces with every placeholder at its default. */
function resolvedText(snippet: string): string {
  return snippet
    .replace(/\$\{\d+\|([^,|]*)[^}]*\}/g, '$1')
    .replace(/\$\{\d+:([^}]*)\}/g, '$1')
    .replace(/\$\{\d+\}|\$\d+/g, '')
    .replace(/\\([\\$}])/g, '$1');
}

const reserved = /^(true|false|yes|no|on|off|y|n|null|~|[-+]?(\d[\d_]*(\.\d*)?|\.\d+)([eE][-+]?\d+)?|0x[\da-fA-F]+|0o[0-7]+|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))$/i;

/** Whether a string can be written as a plain (unquoted) YAML scalar and read back as the same string. */
export function isPlainSafe(text: string, flow = false): boolean {
  if (text === '') return false;
  if (/^\s|\s$/.test(text) || /[\n\r\t]/.test(text)) return false;
  if (/^[-?:,[\]{}#&*!|>'"%@`]/.test(text)) return false;
  if (/:(\s|$)|\s#/.test(text)) return false;
  if (flow && /[,[\]{}]/.test(text)) return false;
  return !reserved.test(text);
}

/** A snippet-syntax string as a YAML scalar: plain when its result is plain-safe, else single-quoted. */
function snippetScalar(snippet: string, flow: boolean): string {
  const resolved = resolvedText(snippet);
  if (resolved === '' || isPlainSafe(resolved, flow)) return snippet;
  return `'${snippet.replace(/'/g, "''")}'`;
}

/** Snippet text written as it is (a choice or a placeholder for a number or boolean must not be quoted). */
export class RawSnippet {
  constructor(readonly text: string) {}
}

function snippetScalarText(value: unknown, flow: boolean): string {
  if (value instanceof RawSnippet) return value.text;
  if (typeof value === 'string') return snippetScalar(value, flow);
  if (value === null || value === undefined) return 'null';
  return escapeSnippet(String(value));
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof RawSnippet);

/** A value as one-line flow YAML, `{ secret: ${1:NAME} }`. */
export function renderFlow(value: unknown, scalarText: (v: unknown, flow: boolean) => string = snippetScalarText): string {
  if (Array.isArray(value)) return `[${value.map((v) => renderFlow(v, scalarText)).join(', ')}]`;
  if (isObj(value)) {
    const entries = Object.entries(value).map(([k, v]) => `${scalarText(k, true)}: ${renderFlow(v, scalarText)}`);
    return entries.length ? `{ ${entries.join(', ')} }` : '{}';
  }
  return scalarText(value, true);
}

/**
 * A value as block YAML lines, indented from column 0: a map gives `key: value` lines, a
 * sequence `- entry` lines (indented under their key when the document does so).
 */
export function renderBlock(value: unknown, style: Style, scalarText: (v: unknown, flow: boolean) => string = snippetScalarText): string[] {
  const pad = (lines: string[], n: number) => lines.map((l) => ' '.repeat(n) + l);
  if (Array.isArray(value)) {
    return value.flatMap((entry) => {
      const lines = isObj(entry) || Array.isArray(entry) ? renderBlock(entry, style, scalarText) : [scalarText(entry, false)];
      if (lines.length === 0) return ['- {}'];
      return [`- ${lines[0]}`, ...pad(lines.slice(1), 2)];
    });
  }
  if (isObj(value)) {
    return Object.entries(value).flatMap(([k, v]) => {
      const key = scalarText(k, false);
      if (isObj(v) && Object.keys(v).length) return [`${key}:`, ...pad(renderBlock(v, style, scalarText), style.indentUnit)];
      if (Array.isArray(v) && v.length) return [`${key}:`, ...pad(renderBlock(v, style, scalarText), style.indentSequences ? style.indentUnit : 0)];
      return [`${key}: ${isObj(v) ? '{}' : Array.isArray(v) ? '[]' : scalarText(v, false)}`];
    });
  }
  return [scalarText(value, false)];
}

/** Numbers tab stops while a skeleton is built. */
export class TabStops {
  private n = 0;
  next(): number {
    return ++this.n;
  }
  get count(): number {
    return this.n;
  }
}

/**
 * A snippet value for schemas: an enum or boolean as a choice, a default as a placeholder, an
 * object as its required children, an array as one entry. Strings are snippet syntax.
 */
export function skeleton(schemas: readonly Schema[], stops: TabStops, depth = 0): unknown {
  const types = typesOf(schemas);
  const values = enumValuesOf(schemas);
  const def = defaultOf(schemas);
  if (values.length === 1) return typeof values[0].value === 'string' ? escapeSnippet(values[0].value) : values[0].value;
  if (values.length > 1 || types.has('boolean')) {
    const options = values.length ? values.map((v) => v.value) : [true, false];
    if (def && options.includes(def.value)) options.sort((a, b) => (a === def.value ? -1 : b === def.value ? 1 : 0));
    return new RawSnippet(`\${${stops.next()}|${options.map((o) => escapeChoice(String(o))).join(',')}|}`);
  }
  if (types.has('object') && depth < 3) {
    const out: Record<string, unknown> = {};
    for (const p of propertiesOf(schemas)) if (p.required) out[p.name] = skeleton(p.schemas, stops, depth + 1);
    return out;
  }
  if (types.has('array') && depth < 3) {
    const items = itemSchemas(schemas);
    return [items.length ? skeleton(items, stops, depth + 1) : new RawSnippet(`\${${stops.next()}}`)];
  }
  if (def && (typeof def.value === 'string' || typeof def.value === 'number')) return new RawSnippet(`\${${stops.next()}:${escapeSnippet(String(def.value))}}`);
  return new RawSnippet(`\${${stops.next()}}`);
}

/** Whether the schemas describe a map (or a list) rather than a scalar. */
export function isCollection(schemas: readonly Schema[]): 'object' | 'array' | undefined {
  const types = typesOf(schemas);
  if (types.has('object')) return 'object';
  if (types.has('array')) return 'array';
  return undefined;
}
