// Follows the nesting of block-style YAML line by line (a stack of open maps and sequences), so
// that any line, however broken the text around it, can be given its YAML path.
import type { PathSegment } from '../yamlDocument';
import { parseLine, scalarValue, type YamlLine } from './yamlLines';

export interface Frame {
  kind: 'map' | 'seq';
  /** Column of the keys (map) or of the dashes (sequence). */
  col: number;
  path: PathSegment[];
  /** Map: keys seen so far, with their scalar values. */
  keys: string[];
  values: Record<string, unknown>;
  lastKey?: string;
  /** Map: the last key had nothing after its colon, so its value may follow on deeper lines. */
  lastKeyOpen: boolean;
  /** Sequence: index of the current entry, and the scalar entries seen. */
  index: number;
  items: unknown[];
}

function newFrame(kind: Frame['kind'], col: number, path: PathSegment[]): Frame {
  return { kind, col, path, keys: [], values: {}, lastKeyOpen: false, index: -1, items: [] };
}

export class BlockScanner {
  readonly stack: Frame[] = [];
  /** Lines deeper than this column are block-scalar text. */
  textDeeperThan: number | undefined;
  flowDepth = 0;
  /** Indentation of the line that opened the multi-line flow collection. */
  private flowIndent = 0;

  /** Whether content at this column of the next line would be text (a block scalar, a multi-line flow collection). */
  isTextAt(indent: number): boolean {
    if (this.flowDepth > 0 && indent > this.flowIndent) return true;
    return this.textDeeperThan !== undefined && indent > this.textDeeperThan;
  }

  /** Whether the line is inside a block scalar or a multi-line flow collection (no structure). */
  isText(line: YamlLine): boolean {
    if (this.flowDepth > 0) return true;
    return this.textDeeperThan !== undefined && (line.blank || line.indent > this.textDeeperThan);
  }

  feed(line: YamlLine): void {
    if (this.flowDepth > 0) {
      if (line.blank || line.indent > this.flowIndent) {
        this.flowDepth = Math.max(0, this.flowDepth + bracketBalance(line.text));
        return;
      }
      // Back at the opening line's indentation: the collection is over (closed here, or never).
      this.flowDepth = 0;
      if (/^[\]}]/.test(line.text.slice(line.indent))) return;
    }
    if (this.isText(line)) return;
    this.textDeeperThan = undefined;
    if (line.blank) return;
    this.popFor(line.indent, line.dashes.length > 0);
    for (const dash of line.dashes) this.enterEntry(dash);
    const top = this.stack[this.stack.length - 1];
    if (line.key) {
      const map = this.enterMap(line.key.start);
      map.keys.push(line.key.text);
      map.lastKey = line.key.text;
      map.lastKeyOpen = !line.value;
      if (line.value && !line.blockScalar) map.values[line.key.text] = scalarValue(line.value.text);
      if (line.blockScalar) this.textDeeperThan = map.col;
    } else if (line.value && top?.kind === 'seq' && line.dashes.length) {
      top.items[top.index] = scalarValue(line.value.text);
      if (line.blockScalar) this.textDeeperThan = top.col;
    }
    if (line.openFlow > 0) {
      this.flowDepth = line.openFlow;
      this.flowIndent = line.indent;
    }
  }

  /** Closes what a line at `col` ends: deeper collections, and a sequence when the line is no entry of it. */
  popFor(col: number, isEntry: boolean): void {
    while (this.stack.length > 1) {
      const top = this.stack[this.stack.length - 1];
      if (top.col > col || (top.col === col && top.kind === 'seq' && !isEntry)) this.stack.pop();
      else break;
    }
  }

  /** The path a new collection starting at `col` gets: under the open key, or the current entry. */
  childPath(): PathSegment[] {
    const top = this.stack[this.stack.length - 1];
    if (!top) return [];
    if (top.kind === 'seq') return [...top.path, Math.max(top.index, 0)];
    return top.lastKey === undefined ? top.path : [...top.path, top.lastKey];
  }

  /** A `- ` at `col`: the next entry of that sequence, or the first of a new one. */
  enterEntry(col: number): Frame {
    const top = this.stack[this.stack.length - 1];
    if (top?.kind === 'seq' && top.col === col) {
      top.index++;
      return top;
    }
    const seq = newFrame('seq', col, this.childPath());
    seq.index = 0;
    this.stack.push(seq);
    return seq;
  }

  /** A key at `col`: the map it belongs to, opened when it is new. */
  enterMap(col: number): Frame {
    const top = this.stack[this.stack.length - 1];
    // A key left of the root column is a mistake; it still belongs to the root.
    if (top?.kind === 'map' && (top.col === col || (this.stack.length === 1 && col < top.col))) return top;
    const map = newFrame('map', col, this.childPath());
    this.stack.push(map);
    return map;
  }

  top(): Frame | undefined {
    return this.stack[this.stack.length - 1];
  }
}

/** Net opening brackets outside quotes on a line (for multi-line flow collections). */
function bracketBalance(text: string): number {
  let depth = 0;
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = '';
      else if (c === '\\' && quote === '"') i++;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(text[i - 1]))) break;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') depth--;
  }
  return depth;
}

export interface BelowScan {
  keys: string[];
  values: Record<string, unknown>;
}

/** Leading spaces of a line, or -1 for a line without structure (empty or a comment). */
function indentOf(text: string): number {
  let i = 0;
  while (text.charCodeAt(i) === 32) i++;
  const c = text.charCodeAt(i);
  return i === text.length || c === 35 /* # */ || c === 13 /* \r */ ? -1 : i;
}

/**
 * Keys (and scalar values) at exactly `col` on the lines after `from`, until the text goes back
 * to a shallower column: the rest of the map that continues below the cursor. Deeper lines
 * (nested values, block scalar text) are skipped without being read.
 */
export function scanBelow(lines: readonly string[], from: number, col: number): BelowScan {
  const out: BelowScan = { keys: [], values: {} };
  for (let i = from; i < lines.length; i++) {
    const indent = indentOf(lines[i]);
    if (indent === -1 || indent > col) continue;
    if (indent < col) break;
    const line = parseLine(lines[i]);
    if (line.blank) continue;
    if (line.key && line.key.start === col && line.dashes.length === 0) {
      out.keys.push(line.key.text);
      if (line.value && !line.blockScalar) out.values[line.key.text] = scalarValue(line.value.text);
    }
  }
  return out;
}

/**
 * The lines that can shape the path at a line whose content starts at column `limit`: going up,
 * each line no deeper than every line after it. The rest belongs to subtrees closed before the
 * cursor, and is never read (a 5,000-item plan has 10,000 such lines).
 */
function visibleLines(lines: readonly string[], lineIndex: number, limit: number): number[] {
  const out: number[] = [];
  let max = limit;
  for (let i = Math.min(lineIndex, lines.length) - 1; i >= 0; i--) {
    const indent = indentOf(lines[i]);
    if (indent === -1 || indent > max) continue;
    out.push(i);
    max = indent;
  }
  return out.reverse();
}

/** The scanner positioned on line `lineIndex`, whose content starts at column `limit`. */
export function scanTo(lines: readonly string[], lineIndex: number, limit = Number.MAX_SAFE_INTEGER): BlockScanner {
  const scanner = new BlockScanner();
  for (const i of visibleLines(lines, lineIndex, limit)) {
    const line = parseLine(lines[i]);
    if (scanner.stack.length === 0 && !line.blank && !scanner.isText(line)) {
      scanner.stack.push(newFrame(line.dashes.length && line.dashes[0] === line.indent ? 'seq' : 'map', line.indent, []));
    }
    scanner.feed(line);
  }
  return scanner;
}

export { newFrame };
