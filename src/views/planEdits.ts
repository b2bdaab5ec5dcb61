// Text edits the run fixes and the item commands make to a plan (or its CSV items file): add
// mailboxes to a batch, remove one, approve an oversize one. Line-based like the outline, so they
// keep the operator's layout and comments. Pure.
import type { TextEdit } from '../plan/fixes/index';
import { splitLines, styleOf } from '../plan/completion/yamlLines';
import { splitCsvLine } from '../plan/csvItems';
import type { OutlineBatch } from './outlineTypes';

export interface NewItem {
  source: string;
  destination?: string;
}

const at = (line: number, character = 0) => ({ line, character });
const insertAt = (line: number, newText: string): TextEdit => ({ range: { start: at(line), end: at(line) }, newText });
const yamlScalar = (v: string) => (/^[A-Za-z0-9_@.+-]+$/.test(v) ? v : JSON.stringify(v));
const csvCell = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** Appends mailboxes to a batch's `items:` list (creating the list when it has none). */
export function addItemsEdit(text: string, batch: OutlineBatch, items: readonly NewItem[]): TextEdit | undefined {
  if (!items.length || batch.keyCol < 0) return undefined;
  const lines = splitLines(text);
  const style = styleOf(lines);
  const list = batch.itemsList;
  if (list?.flow) {
    const line = lines[list.keyLine];
    const close = line.lastIndexOf(']');
    if (close < 0) return undefined;
    const empty = /\[\s*$/.test(line.slice(0, close));
    const added = items.map((i) => `{ source: ${yamlScalar(i.source)}${i.destination ? `, destination: ${yamlScalar(i.destination)}` : ''} }`).join(', ');
    return { range: { start: at(list.keyLine, close), end: at(list.keyLine, close) }, newText: `${empty ? '' : ', '}${added}` };
  }
  const dashCol = list?.dashCol ?? batch.keyCol + (style.indentSequences ? style.indentUnit : 0);
  const entries = items.flatMap((i) => [`${' '.repeat(dashCol)}- source: ${yamlScalar(i.source)}`, ...(i.destination ? [`${' '.repeat(dashCol + 2)}destination: ${yamlScalar(i.destination)}`] : [])]);
  const planItems = batch.items.filter((i) => i.lines);
  const after = planItems.length ? Math.max(...planItems.map((i) => i.lines!.last)) : list ? list.keyLine : batch.lines.last;
  const header = list ? [] : [`${' '.repeat(batch.keyCol)}items:`];
  return insertAt(after + 1, `${[...header, ...entries].join('\n')}\n`);
}

/** Appends mailboxes to a CSV items file, in the order of its header's columns. */
export function appendCsvEdit(csvText: string, items: readonly NewItem[]): TextEdit {
  const lines = splitLines(csvText);
  const headerLine = lines.find((l) => l.trim() && !l.trim().startsWith('#'));
  const split = headerLine ? splitCsvLine(headerLine) : { fields: ['source', 'destination'] };
  const header = 'fields' in split ? split.fields : ['source', 'destination'];
  const rows = items.map((i) => header.map((h) => (h === 'source' ? csvCell(i.source) : h === 'destination' ? csvCell(i.destination ?? '') : '')).join(','));
  const lastLine = lines.length - 1;
  const endsWithNewline = lines[lastLine] === '';
  const prefix = endsWithNewline || csvText === '' ? '' : '\n';
  const line = endsWithNewline ? lastLine : lastLine;
  const character = endsWithNewline ? 0 : lines[lastLine].length;
  return { range: { start: at(line, character), end: at(line, character) }, newText: `${prefix}${rows.join('\n')}\n` };
}

/** Deletes a plan item's lines; the last item of a list leaves `items: []` behind. */
export function removePlanItemEdits(text: string, itemLines: { first: number; last: number }, itemsKeyLine: number | undefined, batchItems: number): TextEdit[] {
  const lines = splitLines(text);
  const edits: TextEdit[] = [{ range: { start: at(itemLines.first), end: at(itemLines.last + 1) }, newText: '' }];
  if (batchItems === 1 && itemsKeyLine !== undefined && /:\s*$/.test(lines[itemsKeyLine] ?? '')) {
    const line = lines[itemsKeyLine];
    edits.push({ range: { start: at(itemsKeyLine, line.length), end: at(itemsKeyLine, line.length) }, newText: ' []' });
  }
  return edits;
}

/** Deletes one line of a CSV file. */
export function removeCsvLineEdit(line: number): TextEdit {
  return { range: { start: at(line), end: at(line + 1) }, newText: '' };
}

/** Sets `approveOversize: true` on a block-style plan item (replacing a `false`). */
export function approveOversizeEdit(text: string, itemLines: { first: number; last: number }): TextEdit | undefined {
  const lines = splitLines(text);
  for (let l = itemLines.first; l <= itemLines.last; l++) {
    const m = /^(\s*(?:-\s+)?)approveOversize:\s*(\S.*)?$/.exec(lines[l]);
    if (m) return { range: { start: at(l, m[1].length), end: at(l, lines[l].length) }, newText: 'approveOversize: true' };
  }
  const first = lines[itemLines.first];
  const m = /^(\s*-\s+)(\S)/.exec(first);
  if (!m || first.slice(m[1].length).startsWith('{')) return undefined;
  return insertAt(itemLines.last + 1, `${' '.repeat(m[1].length)}approveOversize: true\n`);
}
