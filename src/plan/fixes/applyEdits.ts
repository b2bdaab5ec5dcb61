// Applies text edits to a text, as an editor does (for the command line and the tests).
import type { Position } from '../diagnostic';
import type { TextEdit } from './fixTypes';

function offsetOf(lineStarts: readonly number[], text: string, p: Position): number {
  if (p.line >= lineStarts.length) return text.length;
  const start = lineStarts[p.line];
  const next = p.line + 1 < lineStarts.length ? lineStarts[p.line + 1] - 1 : text.length;
  return Math.min(start + p.character, next);
}

/** Applies non-overlapping edits (positions refer to the original text); throws on overlaps. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  const spans = edits
    .map((e) => ({ start: offsetOf(lineStarts, text, e.range.start), end: offsetOf(lineStarts, text, e.range.end), newText: e.newText }))
    .sort((a, b) => a.start - b.start || a.end - b.end);
  for (let i = 1; i < spans.length; i++) if (spans[i].start < spans[i - 1].end) throw new Error('applyEdits: overlapping edits');
  let out = '';
  let at = 0;
  for (const s of spans) {
    out += text.slice(at, s.start) + s.newText;
    at = s.end;
  }
  return out + text.slice(at);
}
