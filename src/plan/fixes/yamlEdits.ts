// Text edits computed from the YAML AST: replace a scalar, delete a map entry or a list entry
// (whole lines in block style, with its comma in flow style), add entries to a map or a list with
// the document's indentation. Every edit leaves valid YAML.
import { isMap, isPair, isScalar, isSeq, isNode, Scalar, type Node, type Pair } from 'yaml';
import type { Collection } from './locate';
import type { TextEdit } from './fixTypes';
import { keyText, type PathSegment, type PlanYaml } from '../yamlDocument';
import { isPlainSafe, renderBlock, renderFlow } from '../completion/snippets';
import { splitLines, styleOf, type Style } from '../completion/yamlLines';

export type { TextEdit };


/** A plain value as a YAML scalar: plain when it reads back as itself, else double-quoted (or in `quote`). */
export function scalarText(value: unknown, flow = false, quote?: Scalar.Type): string {
  if (typeof value !== 'string') return value === undefined ? 'null' : JSON.stringify(value);
  if (quote === 'QUOTE_SINGLE') return `'${value.replace(/'/g, "''")}'`;
  if (quote === 'QUOTE_DOUBLE' || !isPlainSafe(value, flow)) return JSON.stringify(value);
  return value;
}

export const flowText = (value: unknown) => renderFlow(value, scalarText);
export const blockLines = (value: unknown, style: Style) => renderBlock(value, style, scalarText);

export function documentStyle(yaml: PlanYaml): Style {
  return styleOf(splitLines(yaml.text));
}

export function edit(yaml: PlanYaml, start: number, end: number, newText: string): TextEdit {
  return { range: yaml.range(start, end), newText };
}

/** Replaces a scalar node's text, keeping its quoting style when it was quoted. */
export function replaceScalar(yaml: PlanYaml, node: Node, value: unknown, flow = false): TextEdit {
  const [start, valueEnd] = node.range ?? [0, 0];
  let end = valueEnd;
  while (end > start + 1 && /\s/.test(yaml.text[end - 1])) end--; // block scalars end after their newline
  const quote = isScalar(node) && (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE') ? node.type : undefined;
  return edit(yaml, start, end, scalarText(value, flow, quote));
}

/** Whether a node sits inside a flow collection (where `,[]{}` end a plain scalar). */
export function inFlow(yaml: PlanYaml, path: readonly PathSegment[]): boolean {
  for (let n = path.length - 1; n >= 0; n--) {
    const node = yaml.nodeAt(path.slice(0, n));
    if ((isMap(node) || isSeq(node)) && node.flow) return true;
  }
  return false;
}

const lineStart = (text: string, offset: number) => text.lastIndexOf('\n', offset - 1) + 1;

/** The offset after the line holding the last non-blank character before `end`. */
function afterLastLine(text: string, end: number): number {
  let e = end;
  while (e > 0 && /\s/.test(text[e - 1])) e--;
  const nl = text.indexOf('\n', e);
  return nl === -1 ? text.length : nl + 1;
}

/** Only spaces (or a `- `) before the offset on its line. */
const startsLine = (text: string, offset: number) => /^[ \t]*$/.test(text.slice(lineStart(text, offset), offset));

function entrySpan(collection: Collection, index: number): [number, number] | undefined {
  const entry = collection.items[index];
  if (isPair(entry)) {
    const key = entry.key as Node | undefined;
    const value = entry.value as Node | null | undefined;
    const start = key?.range?.[0];
    const end = value?.range?.[1] ?? key?.range?.[1];
    return start === undefined || end === undefined ? undefined : [start, end];
  }
  return isNode(entry) && entry.range ? [entry.range[0], entry.range[1]] : undefined;
}

/** Deletes entry `index` of a map or list: its lines in block style, its text and comma in flow style. */
export function deleteEntry(yaml: PlanYaml, collection: Collection, index: number, parentPath: readonly PathSegment[]): TextEdit | undefined {
  const text = yaml.text;
  const span = entrySpan(collection, index);
  if (!span) return undefined;
  const count = collection.items.length;
  if (collection.flow) {
    if (index + 1 < count) return edit(yaml, span[0], entrySpan(collection, index + 1)?.[0] ?? span[1], '');
    if (index > 0) return edit(yaml, entrySpan(collection, index - 1)?.[1] ?? span[0], span[1], '');
    return edit(yaml, span[0], span[1], '');
  }
  if (count === 1) return emptyCollection(yaml, collection, parentPath);
  let start = span[0];
  if (isSeq(collection)) {
    const dash = text.lastIndexOf('-', start);
    start = dash >= 0 && /^\s*$/.test(text.slice(dash + 1, span[0])) ? dash : start;
  }
  if (startsLine(text, start)) return edit(yaml, lineStart(text, start), afterLastLine(text, span[1]), '');
  // The first key of a list entry (`- name: x`): the next key moves up behind the dash.
  const next = entrySpan(collection, index + 1);
  if (next) return edit(yaml, start, next[0], '');
  return edit(yaml, start, span[1], '{}');
}

/** A block collection's last entry is going: `key: []` / `key: {}` keeps the type right. */
function emptyCollection(yaml: PlanYaml, collection: Collection, path: readonly PathSegment[]): TextEdit | undefined {
  const empty = isSeq(collection) ? '[]' : '{}';
  const [start, end] = collection.range ?? [0, 0];
  const pair = yaml.pairAt(path);
  if (pair && isNode(pair.key) && pair.key.range) {
    const colon = yaml.text.indexOf(':', pair.key.range[1]);
    let e = end;
    while (e > start && /\s/.test(yaml.text[e - 1])) e--;
    return edit(yaml, colon + 1, e, ` ${empty}`);
  }
  let e = end;
  while (e > start && /\s/.test(yaml.text[e - 1])) e--;
  return edit(yaml, start, e, empty);
}

/** Column of the first key of a block map (or the dash of a block list). */
export function columnOf(yaml: PlanYaml, offset: number): number {
  return offset - lineStart(yaml.text, offset);
}

/**
 * Adds `entries` to the map at `path` (created under its key when the value is empty), in block
 * style at the map's indentation, or inside the braces of a flow map. `before` names a key to
 * insert in front of instead of at the end.
 */
export function addToMap(yaml: PlanYaml, path: readonly PathSegment[], entries: Record<string, unknown>, before?: string): TextEdit | undefined {
  const body = Object.entries(entries).map(([k, v]) => `${scalarText(k, true)}: ${flowText(v)}`).join(', ');
  return insertIntoMap(yaml, path, { block: (style) => blockLines(entries, style), flow: body }, before);
}

/** What to insert into a map: lines (from column 0) for block style, `k: v, ...` for flow style. */
export interface MapInsertion {
  block: (style: Style) => string[];
  flow: string;
}

export function insertIntoMap(yaml: PlanYaml, path: readonly PathSegment[], insertion: MapInsertion, before?: string): TextEdit | undefined {
  const text = yaml.text;
  const style = documentStyle(yaml);
  const node = yaml.nodeAt(path);
  if (isMap(node) && node.flow) {
    const close = (node.range?.[1] ?? 1) - 1;
    let e = close;
    while (e > 0 && /\s/.test(text[e - 1])) e--;
    return node.items.length ? edit(yaml, e, e, `, ${insertion.flow}`) : edit(yaml, e, close, ` ${insertion.flow} `);
  }
  if (isMap(node) && node.items.length) {
    const first = node.items[0].key as Node;
    const col = columnOf(yaml, first.range?.[0] ?? 0);
    const lines = insertion.block(style).map((l) => ' '.repeat(col) + l);
    const anchor = before ? node.items.find((p: Pair) => keyText(p.key) === before) : undefined;
    if (anchor && isNode(anchor.key) && anchor.key.range && startsLine(text, anchor.key.range[0])) {
      const at = lineStart(text, anchor.key.range[0]);
      return edit(yaml, at, at, lines.join('\n') + '\n');
    }
    const at = afterLastLine(text, node.range?.[1] ?? text.length);
    return edit(yaml, at, at, (text[at - 1] === '\n' || at === 0 ? '' : '\n') + lines.join('\n') + '\n');
  }
  if (node !== undefined && !(isScalar(node) && (node.value === null || node.value === undefined || node.value === ''))) return undefined;
  // No map yet: `key:` (empty) gets its entries on the lines below.
  const pair = yaml.pairAt(path);
  if (!pair || !isNode(pair.key) || !pair.key.range) return undefined;
  const col = columnOf(yaml, pair.key.range[0]) + style.indentUnit;
  const colon = text.indexOf(':', pair.key.range[1]);
  let end = isNode(pair.value) && pair.value.range ? pair.value.range[1] : colon + 1;
  while (end > colon + 1 && /\s/.test(text[end - 1])) end--;
  const lines = insertion.block(style).map((l) => ' '.repeat(col) + l);
  return edit(yaml, colon + 1, Math.max(end, colon + 1), '\n' + lines.join('\n'));
}

/** Adds one entry at the end of the list at `path`, in its style (block `- ` lines or flow). */
export function appendToSeq(yaml: PlanYaml, path: readonly PathSegment[], value: unknown): TextEdit | undefined {
  const text = yaml.text;
  const style = documentStyle(yaml);
  const node = yaml.nodeAt(path);
  if (isSeq(node) && node.flow) {
    const close = (node.range?.[1] ?? 1) - 1;
    let e = close;
    while (e > 0 && /\s/.test(text[e - 1])) e--;
    return node.items.length ? edit(yaml, e, e, `, ${flowText(value)}`) : edit(yaml, e, close, flowText(value));
  }
  if (isSeq(node) && node.items.length) {
    const dash = text.lastIndexOf('-', (node.items[0] as Node).range?.[0] ?? 0);
    const col = columnOf(yaml, dash);
    const lines = blockLines([value], style).map((l) => ' '.repeat(col) + l);
    const at = afterLastLine(text, node.range?.[1] ?? text.length);
    return edit(yaml, at, at, (text[at - 1] === '\n' || at === 0 ? '' : '\n') + lines.join('\n') + '\n');
  }
  const key = path[path.length - 1];
  if (node !== undefined && !(isScalar(node) && (node.value === null || node.value === undefined))) return undefined;
  const pair = yaml.pairAt(path);
  if (!pair || !isNode(pair.key) || !pair.key.range) return addToMap(yaml, path.slice(0, -1), { [String(key)]: [value] });
  const col = columnOf(yaml, pair.key.range[0]) + (style.indentSequences ? style.indentUnit : 0);
  const colon = text.indexOf(':', pair.key.range[1]);
  let end = isNode(pair.value) && pair.value.range ? pair.value.range[1] : colon + 1;
  while (end > colon + 1 && /\s/.test(text[end - 1])) end--;
  return edit(yaml, colon + 1, Math.max(end, colon + 1), '\n' + blockLines([value], style).map((l) => ' '.repeat(col) + l).join('\n'));
}
