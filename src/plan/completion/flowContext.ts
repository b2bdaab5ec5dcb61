// Where the cursor is inside a one-line flow collection (`password: { secret: NA| }`).
import type { PathSegment } from '../yamlDocument';
import { unquote } from './yamlLines';

export interface FlowPosition {
  kind: 'key' | 'value' | 'item';
  /** Path below the collection the text starts with. */
  path: PathSegment[];
  /** Offset in the text where the token being typed starts. */
  tokenStart: number;
  /** Keys written before the cursor in the innermost map. */
  keys: string[];
  /** Entries written before the cursor in the innermost list (as text). */
  items: string[];
}

interface Open {
  kind: 'map' | 'seq';
  segment?: PathSegment;
  key?: string;
  inValue: boolean;
  tokenStart: number;
  index: number;
  keys: string[];
  items: string[];
}

const flowBreak = /[\s,[\]{}]/;

/** Reads `text` (from the opening bracket to the cursor); undefined when the collection closed before the cursor. */
export function flowPosition(text: string): FlowPosition | undefined {
  const stack: Open[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    const top = stack[stack.length - 1];
    if (c === '"' || c === "'") {
      const close = closingQuote(text, i);
      if (close === -1) break; // the cursor is inside the string
      i = close;
    } else if (c === '{' || c === '[') {
      stack.push({ kind: c === '{' ? 'map' : 'seq', segment: top ? (top.kind === 'map' ? top.key : top.index) : undefined, inValue: false, tokenStart: i + 1, index: 0, keys: [], items: [] });
    } else if (c === '}' || c === ']') {
      stack.pop();
      if (stack.length === 0) return undefined;
    } else if (c === ',' && top) {
      if (top.kind === 'map') {
        if (top.key !== undefined) top.keys.push(top.key);
        top.key = undefined;
        top.inValue = false;
      } else {
        top.items.push(unquote(text.slice(top.tokenStart, i).trim()));
        top.index++;
      }
      top.tokenStart = i + 1;
    } else if (c === ':' && top?.kind === 'map' && !top.inValue && (i + 1 === text.length || flowBreak.test(text[i + 1]))) {
      top.key = unquote(text.slice(top.tokenStart, i).trim());
      top.inValue = true;
      top.tokenStart = i + 1;
    }
  }
  const top = stack[stack.length - 1];
  if (!top) return undefined;
  const path = stack.slice(1).map((f) => f.segment ?? 0);
  let tokenStart = top.tokenStart;
  while (tokenStart < text.length && /\s/.test(text[tokenStart])) tokenStart++;
  if (top.kind === 'seq') return { kind: 'item', path: [...path, top.index], tokenStart, keys: [], items: top.items };
  if (top.inValue) return { kind: 'value', path: [...path, top.key ?? ''], tokenStart, keys: top.keys, items: [] };
  return { kind: 'key', path, tokenStart, keys: top.keys, items: [] };
}

function closingQuote(text: string, open: number): number {
  const q = text[open];
  for (let i = open + 1; i < text.length; i++) {
    if (q === '"' && text[i] === '\\') i++;
    else if (text[i] === q) {
      if (q === "'" && text[i + 1] === "'") i++;
      else return i;
    }
  }
  return -1;
}

/** Keys after the cursor in the same flow map, up to its closing brace. */
export function flowKeysAfter(text: string): string[] {
  const keys: string[] = [];
  let depth = 0;
  let tokenStart = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === "'") {
      const close = closingQuote(text, i);
      if (close === -1) break;
      i = close;
    } else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      if (depth === 0) break;
      depth--;
    } else if (depth === 0 && c === ',') tokenStart = i + 1;
    else if (depth === 0 && c === ':' && tokenStart >= 0 && (i + 1 === text.length || flowBreak.test(text[i + 1]))) {
      if (tokenStart > 0) keys.push(unquote(text.slice(tokenStart, i).trim()));
      tokenStart = -1;
    }
  }
  return keys;
}
