// Hover in plans: the schema's documentation of the key or value under the cursor (with the
// meaning of an enum value, the allowed values and the default), and for each finding there the
// catalog's explanation of its code. Pure: the VS Code layer wraps the markdown.
import type { PlanDiagnostic, Position, Range } from './diagnostic';
import { describePlanFinding, getEntry } from '../errors/catalog';
import { offeredAsActions, offeredFixes, type OfferedFixes } from './fixes';
import { cursorContext, type CursorContext } from './completion/cursorContext';
import { propertiesOf, schemasAt } from './completion/schemaNavigator';
import { propertyMarkdown, valueMarkdown } from './completion/describe';
import { endpointsOf, isEndpointReference } from './completion/planOutline';
import { scalarValue } from './completion/yamlLines';

export interface PlanHover {
  /** Markdown. */
  contents: string;
  range: Range;
}

const before = (a: Position, b: Position) => a.line < b.line || (a.line === b.line && a.character <= b.character);
const contains = (range: Range, p: Position) => before(range.start, p) && before(p, range.end);

function tokenText(ctx: CursorContext): string {
  const { start, end } = ctx.range;
  return (ctx.lines[start.line] ?? '').slice(start.character, end.character);
}

function keyHover(ctx: CursorContext, key: string): string | undefined {
  const path = [...ctx.path, key];
  const schemas = schemasAt(path, ctx.valueAt);
  if (!schemas.length) return undefined;
  const required = propertiesOf(schemasAt(ctx.path, ctx.valueAt)).find((p) => p.name === key)?.required ?? false;
  if (ctx.path.length === 1 && ctx.path[0] === 'endpoints') {
    const type = endpointsOf(ctx.lines).find((e) => e.name === key)?.type;
    return `**${key}**: endpoint${type ? ` of type \`${type}\`` : ''}\n\n${propertyMarkdown(schemas)}`;
  }
  return propertyMarkdown(schemas, { name: key, required });
}

function valueHover(ctx: CursorContext, text: string): string | undefined {
  const schemas = schemasAt(ctx.path, ctx.valueAt);
  const role = isEndpointReference(ctx.path);
  const parts: string[] = [];
  if (role && text) {
    const endpoint = endpointsOf(ctx.lines).find((e) => e.name === text);
    parts.push(endpoint ? `Endpoint \`${text}\`${endpoint.type ? ` of type \`${endpoint.type}\`` : ''} (the ${role}).` : `No endpoint named \`${text}\` is defined under \`endpoints\`.`);
  }
  const about = valueMarkdown(scalarValue(text), schemas);
  if (about) parts.push(about);
  return parts.length ? parts.join('\n\n') : undefined;
}

/** The arguments a message was filled with, read back against its catalog template (so the explanation quotes the real values). */
export function argsFromMessage(code: string, message: string): string[] | undefined {
  const template = getEntry(code)?.message;
  if (!template || !/\{\d+\}/.test(template)) return undefined;
  const indexes: number[] = [];
  const source = template
    .split(/(\{\d+\})/)
    .map((part) => {
      const m = /^\{(\d+)\}$/.exec(part);
      if (!m) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      indexes.push(Number(m[1]));
      return '(.*?)';
    })
    .join('');
  const match = new RegExp(`^${source}$`, 's').exec(message);
  if (!match) return undefined;
  const args: string[] = [];
  indexes.forEach((n, i) => (args[n] ??= match[i + 1]));
  return Array.from(args, (a) => a ?? '');
}

/** The findings a hover at a position explains. */
export function findingsAt(position: Position, diagnostics: readonly PlanDiagnostic[]): PlanDiagnostic[] {
  return diagnostics.filter((d) => contains(d.range, position));
}

/**
 * `offered` says what the quick-fix menu offers for a finding (the editor asks its worker); by
 * default it is computed here, the same way: a hover never lists a fix the menu does not offer.
 */
export function hoverPlan(
  text: string,
  position: Position,
  diagnostics: readonly PlanDiagnostic[] = [],
  offered: (d: PlanDiagnostic) => OfferedFixes = (d) => offeredFixes(text, d, { file: d.file, now: new Date() }),
): PlanHover | undefined {
  const sections: string[] = [];
  let range: Range | undefined;
  const ctx = cursorContext(text, position);
  const token = tokenText(ctx);
  if (token && ctx.kind !== 'none') {
    const isKey = ctx.colonFollows && (ctx.kind === 'key' || ctx.kind === 'item' || ctx.kind === 'child');
    const isValue = ctx.kind === 'value' || (ctx.kind === 'item' && !ctx.colonFollows);
    const about = isKey ? keyHover(ctx, token) : isValue ? valueHover(ctx, token) : undefined;
    if (about) {
      sections.push(about);
      range = ctx.range;
    }
  }
  const here = findingsAt(position, diagnostics);
  const seen = new Set<string>();
  for (const d of here) {
    if (seen.has(d.code)) continue;
    seen.add(d.code);
    const fixes = offered(d);
    sections.push(describePlanFinding(d.code, d.message, offeredAsActions(fixes), fixes.orchestrated));
    range ??= d.range;
  }
  if (!sections.length || !range) return undefined;
  return { contents: sections.join('\n\n---\n\n'), range };
}
