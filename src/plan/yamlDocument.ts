// The plan's YAML with source positions: every value and key of the model can be traced back to
// the exact range it came from, so findings point at the right text.
import { Composer, Lexer, LineCounter, Parser, YAMLParseError, parseDocument, isMap, isSeq, isPair, isNode, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
import type { Position, Range } from './diagnostic';
import { checkYamlBounds } from './yamlBounds';
import { keyText, plainValue } from './yamlValue';

export type PathSegment = string | number;

export class PlanYaml {
  readonly doc: Document.Parsed;
  readonly lines: LineCounter;
  /** Each map's pairs by key text, built on first lookup: a lookup by path is then one step per segment. */
  private readonly pairIndex = new WeakMap<YAMLMap, Map<string, Pair<unknown, unknown>>>();

  /** The parser ran out of stack (nesting the library follows by recursion): the document is left empty. */
  readonly tooDeep: boolean = false;

  /** `checkpoint` is called every few thousand tokens while parsing; it may throw to stop a parse that takes too long. */
  constructor(readonly text: string, checkpoint?: () => void) {
    this.lines = new LineCounter();
    try {
      this.doc = parsePlanYaml(text, this.lines, checkpoint);
    } catch (err) {
      if (!(err instanceof RangeError)) throw err;
      this.lines = new LineCounter();
      this.doc = parseDocument('', { lineCounter: this.lines });
      this.tooDeep = true;
    }
  }

  /** The parsed value as plain JavaScript (null when the document is empty); throws past the bounds of checkYamlBounds. */
  toJS(): unknown {
    const { problems, aliasTargets } = checkYamlBounds(this.doc);
    const unsafe = problems.find((p) => p.code !== 'PLAN-001');
    if (unsafe) throw new RangeError(unsafe.args[0]);
    return plainValue(this.doc.contents, aliasTargets);
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
    let node: unknown = this.doc.contents ?? undefined;
    for (const segment of path) {
      if (isMap(node)) node = this.pairOf(node, String(segment))?.value;
      else if (isSeq(node) && typeof segment === 'number') node = node.items[segment];
      else return undefined;
    }
    return isNode(node) ? node : undefined;
  }

  private pairOf(map: YAMLMap, key: string): Pair<unknown, unknown> | undefined {
    let index = this.pairIndex.get(map);
    if (!index) {
      index = new Map();
      // The first pair of a duplicated key, as the library's getIn finds it.
      for (const pair of map.items) if (isPair(pair) && !index.has(keyText(pair.key))) index.set(keyText(pair.key), pair);
      this.pairIndex.set(map, index);
    }
    return index.get(key);
  }

  /** The pair whose key is the last segment of the path, when its parent is a map. */
  pairAt(path: readonly PathSegment[]): Pair<unknown, unknown> | undefined {
    if (path.length === 0) return undefined;
    const parent = this.nodeAt(path.slice(0, -1));
    const key = path[path.length - 1];
    if (!isMap(parent)) return undefined;
    return this.pairOf(parent, String(key));
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

// Duplicate keys are checked by checkYamlBounds (linear); the library's check is quadratic.
const parseOptions = { uniqueKeys: false, prettyErrors: false, strict: true, logLevel: 'error' } as const;

/** parseDocument, with a checkpoint between lexical tokens (the library's parse cannot be stopped otherwise). */
function parsePlanYaml(text: string, lines: LineCounter, checkpoint?: () => void): Document.Parsed {
  const parser = new Parser(lines.addNewLine);
  function* tokens() {
    lines.addNewLine(0);
    let count = 0;
    for (const lexeme of new Lexer().lex(text)) {
      if (checkpoint && (++count & 0xfff) === 0) checkpoint();
      yield* parser.next(lexeme);
    }
    yield* parser.end();
  }
  let doc: Document.Parsed | undefined;
  for (const next of new Composer(parseOptions).compose(tokens(), true, text.length)) {
    if (!doc) {
      doc = next;
    } else {
      doc.errors.push(new YAMLParseError([next.range[0], next.range[1]], 'MULTIPLE_DOCS', 'Source contains multiple documents; please use YAML.parseAllDocuments()'));
      break;
    }
  }
  return doc ?? parseDocument('', parseOptions);
}

export { keyText };

/** JSON Pointer (ajv's instancePath) to path segments. */
export function pointerToPath(pointer: string): PathSegment[] {
  if (!pointer) return [];
  return pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}
