// Completion for plan files, from the schema and the document: keys not yet present, values
// (enums, booleans, const, defaults), endpoint names where an endpoint is referenced, and the
// schema's snippets. Pure: the VS Code layer turns PlanCompletion into CompletionItem.
//
// Multi-line insertTexts are indented relative to the cursor line's leading whitespace, which
// VS Code adds to every inserted line (InsertTextMode.adjustIndentation, its default).
import type { Position, Range } from '../diagnostic';
import { cursorContext, type CursorContext } from './cursorContext';
import { defaultOf, enumValuesOf, itemSchemas, propertiesOf, schemasAt, typesOf, type Schema } from './schemaNavigator';
import { isCollection, isPlainSafe, renderBlock, renderFlow, skeleton, TabStops, escapeSnippet, RawSnippet } from './snippets';
import { propertyMarkdown, typeLabel } from './describe';
import { endpointsOf, isEndpointReference } from './planOutline';
import { styleOf, type Style } from './yamlLines';
import { endpointRoles, endpointTypes, type EndpointType } from '../model';

export interface PlanCompletion {
  label: string;
  kind: 'property' | 'value' | 'snippet' | 'endpoint' | 'batch' | 'enum';
  insertText: string;
  isSnippet: boolean;
  detail?: string;
  /** Markdown. */
  documentation?: string;
  sortText?: string;
  filterText?: string;
  /** The text to replace (0-based). */
  range?: Range;
}

export function completePlan(text: string, position: Position): PlanCompletion[] {
  const ctx = cursorContext(text, position);
  if (ctx.kind === 'none') return [];
  const schemas = schemasAt(ctx.path, ctx.valueAt);
  const style = styleOf(ctx.lines);
  const out: PlanCompletion[] = [];
  switch (ctx.kind) {
    case 'key':
      out.push(...keyCompletions(ctx, schemas, style));
      break;
    case 'child': {
      const kind = isCollection(schemas);
      if (kind === 'object') out.push(...keyCompletions(ctx, schemas, style));
      else if (kind === 'array') out.push(...entryCompletions(ctx, schemas, style));
      else out.push(...valueCompletions(ctx, schemas));
      break;
    }
    case 'item': {
      const kind = isCollection(schemas);
      if (kind === 'object' || ctx.colonFollows) out.push(...keyCompletions(ctx, schemas, style));
      if (kind !== 'object' && !ctx.colonFollows) out.push(...valueCompletions(ctx, schemas));
      break;
    }
    case 'value':
      out.push(...valueCompletions(ctx, schemas));
      break;
  }
  return dedupe(out).map((c) => ({ ...c, range: c.range ?? ctx.range }));
}

function dedupe(items: PlanCompletion[]): PlanCompletion[] {
  const seen = new Set<string>();
  return items.filter((c) => {
    const key = `${c.label}\u0000${c.insertText}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Extra indentation for lines after the first: from the line's own indentation to where the key starts. */
function continuation(ctx: CursorContext, lines: string[]): string {
  // VS Code prefixes each new line with the line's leading whitespace up to the cursor.
  const lineIndent = Math.min(/^ */.exec(ctx.lines[ctx.line] ?? '')?.[0].length ?? 0, ctx.character);
  const pad = ' '.repeat(Math.max(0, ctx.column - lineIndent));
  return lines.map((l, i) => (i === 0 ? l : pad + l)).join('\n');
}

const pad2 = (n: number) => String(n).padStart(3, '0');

function keyCompletions(ctx: CursorContext, schemas: readonly Schema[], style: Style): PlanCompletion[] {
  const out: PlanCompletion[] = [];
  const props = propertiesOf(schemas).filter((p) => !ctx.existingKeys.has(p.name) && p.schemas.length > 0);
  props.forEach((p, index) => {
    const documentation = propertyMarkdown(p.schemas, { required: p.required });
    const detail = `${p.required ? 'required · ' : ''}${typeLabel(p.schemas)}`;
    const sortText = `${p.required ? 0 : 1}${pad2(index)}`;
    out.push({ label: p.name, kind: 'property', ...propertyInsert(ctx, p.name, p.schemas, style), detail, documentation, sortText });
    if (ctx.colonFollows || ctx.flow) return;
    for (const snippet of snippetsOf(p.schemas)) {
      const body = renderBlock(snippet.body, style);
      const indent = Array.isArray(snippet.body) && !style.indentSequences ? 0 : style.indentUnit;
      const lines = [`${escapeSnippet(p.name)}:`, ...body.map((l) => ' '.repeat(indent) + l)];
      out.push({
        label: `${p.name}: ${snippet.label ?? 'snippet'}`,
        kind: 'snippet',
        insertText: continuation(ctx, lines),
        isSnippet: true,
        detail: snippet.label,
        documentation: snippet.markdownDescription ?? snippet.description ?? documentation,
        sortText: `2${pad2(index)}`,
        filterText: p.name,
      });
    }
  });
  if (!ctx.colonFollows && !ctx.flow) out.push(...mapSnippets(ctx, schemas, style));
  return out;
}

/** `name: `, or `name:` with the required children (or a tab stop) on the lines below for a map or list. */
function propertyInsert(ctx: CursorContext, name: string, schemas: readonly Schema[], style: Style): Pick<PlanCompletion, 'insertText' | 'isSnippet'> {
  if (ctx.colonFollows) return { insertText: name, isSnippet: false };
  const stops = new TabStops();
  const value = skeleton(schemas, stops);
  const collection = isCollection(schemas);
  if (ctx.flow && collection) return { insertText: `${escapeSnippet(name)}: ${renderFlow(value)}`, isSnippet: true };
  if (collection === 'object') {
    const body = value && typeof value === 'object' && Object.keys(value).length ? renderBlock(value, style) : ['$1'];
    return { insertText: continuation(ctx, [`${escapeSnippet(name)}:`, ...body.map((l) => ' '.repeat(style.indentUnit) + l)]), isSnippet: true };
  }
  if (collection === 'array') {
    const indent = style.indentSequences ? style.indentUnit : 0;
    return { insertText: continuation(ctx, [`${escapeSnippet(name)}:`, ...renderBlock(value, style).map((l) => ' '.repeat(indent) + l)]), isSnippet: true };
  }
  // A choice, a default or a const is worth a snippet; a bare tab stop is just `name: `.
  if (stops.count === 0 || (value instanceof RawSnippet && /\$\{\d+[|:]/.test(value.text))) return { insertText: `${escapeSnippet(name)}: ${renderFlow(value)}`, isSnippet: true };
  return { insertText: `${name}: `, isSnippet: false };
}

type Snippet = NonNullable<Schema['defaultSnippets']>[number];

function snippetsOf(schemas: readonly Schema[]): Snippet[] {
  return schemas.flatMap((s) => s.defaultSnippets ?? []);
}

/** The object's own defaultSnippets, as entries of the map the cursor is in (skipped when one of their keys exists). */
function mapSnippets(ctx: CursorContext, schemas: readonly Schema[], style: Style): PlanCompletion[] {
  const out: PlanCompletion[] = [];
  for (const snippet of snippetsOf(schemas)) {
    const body = snippet.body;
    if (!body || typeof body !== 'object' || Array.isArray(body)) continue;
    if (Object.keys(body).some((k) => ctx.existingKeys.has(k))) continue;
    const whole = ctx.path.length === 0;
    if (whole && !ctx.emptyDocument) continue;
    out.push({
      label: snippet.label ?? 'snippet',
      kind: 'snippet',
      insertText: continuation(ctx, renderBlock(body, style)),
      isSnippet: true,
      detail: whole ? 'whole project' : 'snippet',
      documentation: snippet.markdownDescription ?? snippet.description,
      sortText: whole ? '0' : `3${snippet.label ?? ''}`,
    });
  }
  return out;
}

/** On the line below `key:` of a list, without a dash yet: `- ` and an entry. */
function entryCompletions(ctx: CursorContext, schemas: readonly Schema[], style: Style): PlanCompletion[] {
  const out: PlanCompletion[] = [];
  const items = itemSchemas(schemas);
  const entry = (lines: string[]) => continuation(ctx, [`- ${lines[0]}`, ...lines.slice(1).map((l) => `  ${l}`)]);
  if (isCollection(items) === 'object') {
    const value = skeleton(items, new TabStops());
    const lines = value && typeof value === 'object' && Object.keys(value).length ? renderBlock(value, style) : ['$1'];
    out.push({ label: '- (new entry)', kind: 'snippet', insertText: entry(lines), isSnippet: true, detail: typeLabel(items), sortText: '0', filterText: '-' });
  } else {
    for (const v of valueCompletions({ ...ctx, needsSpace: false }, items)) out.push({ ...v, label: `- ${v.label}`, insertText: `- ${v.insertText}`, filterText: `- ${v.label}` });
  }
  for (const snippet of snippetsOf(schemas)) {
    if (!Array.isArray(snippet.body)) continue;
    out.push({ label: snippet.label ?? 'snippet', kind: 'snippet', insertText: continuation(ctx, renderBlock(snippet.body, style)), isSnippet: true, documentation: snippet.markdownDescription ?? snippet.description, sortText: `1${snippet.label ?? ''}`, filterText: '-' });
  }
  for (const snippet of snippetsOf(items)) {
    if (!snippet.body || typeof snippet.body !== 'object') continue;
    out.push({ label: snippet.label ?? 'snippet', kind: 'snippet', insertText: entry(renderBlock(snippet.body, style)), isSnippet: true, documentation: snippet.markdownDescription ?? snippet.description, sortText: `1${snippet.label ?? ''}`, filterText: '-' });
  }
  return out;
}

/** A value as the scalar to type: plain when YAML reads it back as itself, else double-quoted. */
function scalarText(value: unknown, flow: boolean): string {
  if (typeof value !== 'string') return JSON.stringify(value);
  return isPlainSafe(value, flow) ? value : JSON.stringify(value);
}

function valueCompletions(ctx: CursorContext, schemas: readonly Schema[]): PlanCompletion[] {
  const out: PlanCompletion[] = [];
  const space = ctx.needsSpace ? ' ' : '';
  const quotedRange = /^["']/.test(ctx.lines[ctx.line]?.charAt(ctx.range.start.character - 1) ?? '') && ctx.range.start.character > ctx.column;
  const text = (v: unknown) => space + (quotedRange && typeof v === 'string' ? v : scalarText(v, ctx.flow));
  const role = isEndpointReference(ctx.path);
  if (role) out.push(...endpointCompletions(ctx, role, text));
  const unique = ctx.kind === 'item' && schemasAt(ctx.path.slice(0, -1), ctx.valueAt).some((s) => s.uniqueItems);
  const taken = new Set(unique ? ctx.siblingItems.map((v) => JSON.stringify(v)) : []);
  const values = enumValuesOf(schemas).filter((v) => !taken.has(JSON.stringify(v.value)));
  values.forEach((v, i) => out.push({ label: String(v.value), kind: 'enum', insertText: text(v.value), isSnippet: false, detail: v.description, documentation: v.description, sortText: `1${pad2(i)}` }));
  const types = typesOf(schemas);
  if (types.has('boolean') && !values.length) {
    for (const b of [true, false]) out.push({ label: String(b), kind: 'value', insertText: text(b), isSnippet: false, sortText: `1${b ? 0 : 1}` });
  }
  const def = defaultOf(schemas);
  if (def && !values.some((v) => v.value === def.value) && !(types.has('boolean') && typeof def.value === 'boolean')) {
    const insert = typeof def.value === 'object' && def.value !== null ? renderFlow(def.value) : text(def.value);
    out.push({ label: typeof def.value === 'string' ? def.value : JSON.stringify(def.value), kind: 'value', insertText: space + insert, isSnippet: false, detail: 'default', sortText: '0' });
  }
  if (isCollection(schemas) === 'object' && !quotedRange) {
    for (const snippet of snippetsOf(schemas)) {
      const flow = renderFlow(snippet.body);
      if (flow.length <= 80) out.push({ label: resolvedLabel(flow), kind: 'snippet', insertText: space + flow, isSnippet: true, detail: snippet.label, documentation: snippet.markdownDescription ?? snippet.description, sortText: '2' });
    }
    if (!snippetsOf(schemas).length) {
      const flow = renderFlow(skeleton(schemas, new TabStops()));
      if (flow !== '{}' && flow.length <= 80) out.push({ label: resolvedLabel(flow), kind: 'snippet', insertText: space + flow, isSnippet: true, sortText: '2' });
    }
  }
  return out;
}

function resolvedLabel(snippet: string): string {
  return snippet.replace(/\$\{\d+:([^}]*)\}/g, '$1').replace(/\$\{\d+\|([^,|]*)[^}]*\}/g, '$1').replace(/\$\{\d+\}|\$\d+/g, '…');
}

function endpointCompletions(ctx: CursorContext, role: 'source' | 'destination', text: (v: unknown) => string): PlanCompletion[] {
  return endpointsOf(ctx.lines).map((e, i) => {
    const type = (endpointTypes as readonly string[]).includes(e.type ?? '') ? (e.type as EndpointType) : undefined;
    const fits = !type || endpointRoles[type][role];
    return {
      label: e.name,
      kind: 'endpoint' as const,
      insertText: text(e.name),
      isSnippet: false,
      detail: `${e.type ?? 'endpoint'}${fits ? '' : ` (cannot be a ${role})`}`,
      documentation: `Endpoint \`${e.name}\`${e.type ? ` of type \`${e.type}\`` : ''}, defined under \`endpoints\`.`,
      sortText: `0${fits ? 0 : 1}${pad2(i)}`,
    };
  });
}
