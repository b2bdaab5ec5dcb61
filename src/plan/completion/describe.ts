// Markdown about schema properties and values, shared by completion documentation and hovers.
import { defaultOf, docOf, enumValuesOf, itemSchemas, typesOf, type Schema } from './schemaNavigator';

const code = (v: unknown) => `\`${typeof v === 'string' ? v : JSON.stringify(v)}\``;

/** A short type label: `string`, `integer`, `tls | starttls | none`, `list of object`. */
export function typeLabel(schemas: readonly Schema[]): string {
  const values = enumValuesOf(schemas);
  if (values.length > 0 && values.length <= 6) return values.map((v) => (typeof v.value === 'string' ? v.value : JSON.stringify(v.value))).join(' | ');
  const types = [...typesOf(schemas)];
  if (types.includes('array')) {
    const items = [...typesOf(itemSchemas(schemas))];
    return items.length ? `list of ${items.join(' | ')}` : 'list';
  }
  return types.join(' | ') || 'any';
}

/** Description, allowed values (with their descriptions) and default of a property. */
export function propertyMarkdown(schemas: readonly Schema[], options: { name?: string; required?: boolean } = {}): string {
  const parts: string[] = [];
  if (options.name !== undefined) parts.push(`**${options.name}**${options.required ? ' (required)' : ''}: ${typeLabel(schemas)}`);
  const doc = docOf(schemas);
  if (doc) parts.push(doc);
  const values = enumValuesOf(schemas);
  if (values.length > 1) parts.push(['Allowed values:', ...values.map((v) => `- ${code(v.value)}${v.description ? `: ${v.description}` : ''}`)].join('\n'));
  const def = defaultOf(schemas);
  if (def) parts.push(`Default: ${code(def.value)}`);
  return parts.join('\n\n');
}

/** What one value means: its enumDescription, then the property's own description. */
export function valueMarkdown(value: unknown, schemas: readonly Schema[]): string | undefined {
  const values = enumValuesOf(schemas);
  const match = values.find((v) => v.value === value || String(v.value) === String(value));
  const parts: string[] = [];
  if (match?.description) parts.push(`${code(match.value)}: ${match.description}`);
  const doc = docOf(schemas);
  if (doc) parts.push(doc);
  if (values.length > 1 && !match) parts.push(`Allowed values: ${values.map((v) => code(v.value)).join(', ')}`);
  const def = defaultOf(schemas);
  if (def) parts.push(`Default: ${code(def.value)}${match && def.value === match.value ? ' (this value)' : ''}`);
  return parts.length ? parts.join('\n\n') : undefined;
}
