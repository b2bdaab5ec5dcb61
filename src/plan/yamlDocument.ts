// The plan's YAML with source positions: every value and key of the model can be traced back to
// the exact range it came from, so findings point at the right text.
import { LineCounter, parseDocument, isMap, isSeq, isPair, isScalar, isNode, type Document, type Node, type Pair } from 'yaml';
import type { Position, Range } from './diagnostic';

export type PathSegment = string | number;

export class PlanYaml {
  readonly doc: Document.Parsed;
  readonly lines: LineCounter;

  constructor(readonly text: string) {
    this.lines = new LineCounter();
    this.doc = parseDocument(text, { lineCounter: this.lines, uniqueKeys: true, prettyErrors: false, strict: true, logLevel: 'error' });
  }

  /** The parsed value as plain JavaScript (undefined when the document is empty). */
  toJS(): unknown {
    return this.doc.toJS({ maxAliasCount: 1000 });
  }

  position(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    const { line, col } = this.lines.linePos(clamped);
    return { line: line - 1, character: col - 1 };
  }

  offset(position: Position): number {
    const starts = this.lines.lineStarts;
    if (position.line >= starts.length) return this.text.length;
    return Math.min(starts[Math.max(0, position.line)] + position.character, this.text.length);
  }

  range(start: number, end: number): Range {
    return { start: this.position(start), end: this.position(Math.max(start, end)) };
  }

  /** The range a node's value covers, without trailing comments. */
  nodeRange(node: Node): Range {
    const [start, valueEnd] = node.range ?? [0, 0];
    return this.trimmed(start, valueEnd);
  }

  /** The node at a path (scalars stay nodes), or undefined. */
  nodeAt(path: readonly PathSegment[]): Node | undefined {
    if (path.length === 0) return this.doc.contents ?? undefined;
    const found = this.doc.getIn(path as PathSegment[], true);
    return isNode(found) ? found : undefined;
  }

  /** The pair whose key is the last segment of the path, when its parent is a map. */
  pairAt(path: readonly PathSegment[]): Pair<unknown, unknown> | undefined {
    if (path.length === 0) return undefined;
    const parent = this.nodeAt(path.slice(0, -1));
    const key = path[path.length - 1];
    if (!isMap(parent)) return undefined;
    return parent.items.find((pair) => isPair(pair) && keyText(pair.key) === String(key));
  }

  /** Range of the key at a path (for a map entry) or of the element (for a sequence element). */
  keyRange(path: readonly PathSegment[]): Range | undefined {
    const pair = this.pairAt(path);
    if (pair && isNode(pair.key)) return this.nodeRange(pair.key);
    const node = this.nodeAt(path);
    return node ? this.firstLine(node) : undefined;
  }

  /** Range of the value at a path; an empty value falls back to its key. */
  valueRange(path: readonly PathSegment[]): Range | undefined {
    const node = this.nodeAt(path);
    if (node && node.range && node.range[1] > node.range[0]) {
      return isMap(node) || isSeq(node) ? this.firstLine(node) : this.nodeRange(node);
    }
    return this.keyRange(path);
  }

  /** The best range to report about a path: the value, else the key, else the closest existing parent. */
  rangeFor(path: readonly PathSegment[], prefer: 'key' | 'value' = 'value'): Range {
    for (let n = path.length; n >= 0; n--) {
      const sub = path.slice(0, n);
      const range = prefer === 'key' && n === path.length ? this.keyRange(sub) ?? this.valueRange(sub) : this.valueRange(sub) ?? this.keyRange(sub);
      if (range) return range;
    }
    return this.range(0, 0);
  }

  /** A map's or sequence's first line (reporting on a whole block would underline pages). */
  firstLine(node: Node): Range {
    const [start, end] = node.range ?? [0, 0];
    const lineEnd = this.text.indexOf('\n', start);
    return this.trimmed(start, lineEnd === -1 ? end : Math.min(end, lineEnd));
  }

  private trimmed(start: number, end: number): Range {
    let e = end;
    while (e > start && /\s/.test(this.text[e - 1])) e--;
    return this.range(start, e);
  }
}

export function keyText(key: unknown): string {
  if (isScalar(key)) return String(key.value);
  return String(key);
}

/** JSON Pointer (ajv's instancePath) to path segments. */
export function pointerToPath(pointer: string): PathSegment[] {
  if (!pointer) return [];
  return pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}
