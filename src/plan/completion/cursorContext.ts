// What the cursor is on, read from the indentation of the lines above it so that it works in the
// half-typed (often invalid) text of an editor: a key position in a map, a value after `key: `,
// an entry after `- `, or the first line of a value that has not started yet.
import type { Position, Range } from '../diagnostic';
import type { PathSegment } from '../yamlDocument';
import type { ValueAt } from './schemaNavigator';
import { scanBelow, scanTo, type BlockScanner, type Frame } from './blockScanner';
import { flowKeysAfter, flowPosition } from './flowContext';
import { parseLine, scalarValue, splitLines } from './yamlLines';

export type ContextKind =
  /** Typing a key (or nothing yet) in a map; path: the map. */
  | 'key'
  /** On a line below `key:` where its value starts (a map, a sequence or text); path: the key's value. */
  | 'child'
  /** After `- `: a scalar entry or the first key of a map entry; path: the entry. */
  | 'item'
  /** After `key: `; path: the value. */
  | 'value'
  /** In a comment or in text (a block scalar): nothing to offer. */
  | 'none';

export interface CursorContext {
  kind: ContextKind;
  path: PathSegment[];
  /** The text a completion replaces: the partial word around the cursor (0-based). */
  range: Range;
  /** The part of that text before the cursor. */
  prefix: string;
  /** 'key': a colon already follows the word, so only the name is to be inserted. */
  colonFollows: boolean;
  /** 'value': the cursor sits right after the colon; insert a space first. */
  needsSpace: boolean;
  /** Inside a `{...}` or `[...]` on the line: only one-line text fits. */
  flow: boolean;
  /** Column where the key or entry starts; multi-line insertions are indented relative to it. */
  column: number;
  /** Keys already in the map the cursor is in (above and below it; not the one being typed). */
  existingKeys: Set<string>;
  /** Scalar entries already in the sequence the cursor is in. */
  siblingItems: unknown[];
  /** Nothing but whitespace and comments in the document. */
  emptyDocument: boolean;
  /** Shallow values of the maps around the cursor, for if/then in the schema. */
  valueAt: ValueAt;
  lines: string[];
  line: number;
  /** The cursor's character on its line. */
  character: number;
}

const keyChars = /^[^\s:#,{}[\]]*/;

/** Whether the text before the cursor on its line ends inside a comment. */
function inComment(before: string): boolean {
  let quote = '';
  for (let i = 0; i < before.length; i++) {
    const c = before[i];
    if (quote) {
      if (c === quote) quote = '';
      else if (c === '\\' && quote === '"') i++;
    } else if (c === '#' && (i === 0 || /\s/.test(before[i - 1]))) return true;
    else if ((c === '"' || c === "'") && (i === 0 || /[\s:{[,-]/.test(before[i - 1]))) quote = c;
  }
  return false;
}

export function cursorContext(text: string, position: Position): CursorContext {
  const lines = splitLines(text);
  const L = Math.max(0, Math.min(position.line, lines.length - 1));
  const lineText = lines[L] ?? '';
  const C = Math.max(0, Math.min(position.character, lineText.length));
  const before = lineText.slice(0, C);
  const b = parseLine(before);
  const indent = b.blank && before.trim() === '' ? C : b.indent;
  const scanner = scanTo(lines, L, indent);
  const at = (character: number) => ({ line: L, character });
  const base: CursorContext = {
    kind: 'none',
    path: [],
    range: { start: at(C), end: at(C) },
    prefix: '',
    colonFollows: false,
    needsSpace: false,
    flow: false,
    column: C,
    existingKeys: new Set(),
    siblingItems: [],
    emptyDocument: false,
    valueAt: () => undefined,
    lines,
    line: L,
    character: C,
  };
  if (scanner.isTextAt(indent)) return base;
  if (inComment(before)) return base;

  const below = new Map<number, ReturnType<typeof scanBelow>>();
  const belowAt = (col: number) => {
    let scan = below.get(col);
    if (!scan) below.set(col, (scan = scanBelow(lines, L + 1, col)));
    return scan;
  };

  if (scanner.stack.length === 0) {
    const emptyDocument = lines.every((l, i) => i === L || parseLine(l).blank);
    if (b.blank || (!b.key && !b.dashes.length)) return keyContext(base, [], indent, belowAt(indent).keys, lineText, C, b.contentCol, { emptyDocument, valueAt: () => belowAt(indent).values });
  }

  if (b.dashes.length) {
    if (scanner.stack.length === 0) scanner.stack.push({ kind: 'seq', col: b.dashes[0], path: [], keys: [], values: {}, lastKeyOpen: false, index: -1, items: [] });
    scanner.popFor(b.dashes[0], true);
    for (const dash of b.dashes) scanner.enterEntry(dash);
  } else {
    scanner.popFor(indent, false);
  }
  const valueAt = frameValues(scanner, belowAt);

  if (b.key && b.colon !== undefined) {
    const map = scanner.enterMap(b.key.start);
    const path = [...map.path, b.key.text];
    return valueContext({ ...base, valueAt }, path, lineText, C, b.colon);
  }

  const top = scanner.top();
  if (b.dashes.length && top?.kind === 'seq') {
    const path = [...top.path, top.index];
    const col = b.contentCol;
    const itemValueAt: ValueAt = (p) => (samePath(p, path) ? belowAt(col).values : valueAt(p));
    const ctx = keyContext({ ...base, valueAt: itemValueAt }, path, col, belowAt(col).keys, lineText, C, col, {});
    return { ...ctx, kind: 'item', siblingItems: top.items.slice(0, top.index) };
  }
  if (!top) return base;

  const col = b.blank ? C : b.contentCol;
  if (top.col === col && top.kind === 'map') {
    return keyContext({ ...base, valueAt }, top.path, col, [...top.keys, ...belowAt(col).keys], lineText, C, col, {});
  }
  if (top.col < col) {
    if (top.kind === 'map' && top.lastKey !== undefined && top.lastKeyOpen) {
      const path = [...top.path, top.lastKey];
      const childValueAt: ValueAt = (p) => (samePath(p, path) ? belowAt(col).values : valueAt(p));
      return { ...keyContext({ ...base, valueAt: childValueAt }, path, col, belowAt(col).keys, lineText, C, col, {}), kind: 'child' };
    }
    if (top.kind === 'seq') {
      const path = [...top.path, Math.max(top.index, 0)];
      const childValueAt: ValueAt = (p) => (samePath(p, path) ? belowAt(col).values : valueAt(p));
      return { ...keyContext({ ...base, valueAt: childValueAt }, path, col, belowAt(col).keys, lineText, C, col, {}), kind: 'item', siblingItems: top.items };
    }
  }
  // Out of line with everything above (a typo in indentation): the closest map is the best guess.
  const map = [...scanner.stack].reverse().find((f) => f.kind === 'map');
  if (!map) return base;
  return keyContext({ ...base, valueAt }, map.path, col, [...map.keys, ...belowAt(map.col).keys], lineText, C, col, {});
}

function samePath(a: readonly PathSegment[], b: readonly PathSegment[]): boolean {
  return a.length === b.length && a.every((s, i) => s === b[i]);
}

/** Shallow values of the open maps and sequences (above and below the cursor) by path. */
function frameValues(scanner: BlockScanner, belowAt: (col: number) => { keys: string[]; values: Record<string, unknown> }): ValueAt {
  return (path) => {
    const frame: Frame | undefined = scanner.stack.find((f) => samePath(f.path, path));
    if (!frame) return undefined;
    if (frame.kind === 'seq') return frame.items;
    const value: Record<string, unknown> = {};
    const scan = belowAt(frame.col);
    for (const key of [...frame.keys, ...scan.keys]) value[key] = {};
    return Object.assign(value, frame.values, scan.values);
  };
}

function keyContext(
  base: CursorContext,
  path: PathSegment[],
  column: number,
  existing: string[],
  lineText: string,
  C: number,
  wordStart: number,
  extra: Partial<CursorContext>,
): CursorContext {
  const start = Math.min(wordStart, C);
  const wordEnd = C + (keyChars.exec(lineText.slice(C))?.[0].length ?? 0);
  const colonFollows = /^[ \t]*:([ \t]|$)/.test(lineText.slice(wordEnd));
  return {
    ...base,
    ...extra,
    kind: 'key',
    path,
    column,
    prefix: lineText.slice(start, C),
    range: { start: { line: base.line, character: start }, end: { line: base.line, character: wordEnd } },
    colonFollows,
    existingKeys: new Set(existing),
  };
}

/** After `key:` (colon at `colon`): a plain value, or a position inside a one-line flow collection. */
function valueContext(
  base: CursorContext,
  path: PathSegment[],
  lineText: string,
  C: number,
  colon: number,
): CursorContext {
  let start = colon + 1;
  while (start < C && /[ \t]/.test(lineText[start])) start++;
  const typed = lineText.slice(start, C);
  const line = base.line;
  if (/^[|>]/.test(typed)) return base;
  if (typed.startsWith('{') || typed.startsWith('[')) {
    const flow = flowPosition(typed);
    if (!flow) return base;
    const tokenStart = start + flow.tokenStart;
    const fullPath = [...path, ...flow.path];
    const after = lineText.slice(C);
    if (flow.kind === 'key') {
      const wordEnd = C + (keyChars.exec(after)?.[0].length ?? 0);
      return {
        ...base,
        kind: 'key',
        flow: true,
        path: fullPath,
        column: tokenStart,
        prefix: lineText.slice(tokenStart, C),
        range: { start: { line, character: tokenStart }, end: { line, character: wordEnd } },
        colonFollows: /^[ \t]*:/.test(lineText.slice(wordEnd)),
        existingKeys: new Set([...flow.keys, ...flowKeysAfter(after)]),
      };
    }
    const end = C + (/^[^,\]}]*/.exec(after)?.[0].replace(/\s+$/, '').length ?? 0);
    return { ...quoted(lineText, tokenStart, C, end, line), ...pick(base), kind: flow.kind, flow: true, path: fullPath, column: tokenStart, needsSpace: lineText[C - 1] === ':', siblingItems: flow.items.map(scalarValue) };
  }
  const full = parseLine(lineText);
  const end = full.value && full.value.start <= C ? Math.max(C, full.value.end) : C;
  return { ...quoted(lineText, start, C, end, line), ...pick(base), kind: 'value', path, column: start, needsSpace: C === colon + 1 };
}

function pick(base: CursorContext) {
  const { range: _r, prefix: _p, ...rest } = base;
  return rest;
}

/** The value token's range, inside its quotes when it is quoted (completions go between them). */
function quoted(lineText: string, start: number, C: number, end: number, line: number): { range: Range; prefix: string } {
  let s = start;
  let e = end;
  const q = lineText[s];
  if ((q === '"' || q === "'") && C > s) {
    s++;
    if (e > C && lineText[e - 1] === q) e--;
  }
  return { range: { start: { line, character: s }, end: { line, character: Math.max(e, C) } }, prefix: lineText.slice(s, C) };
}
