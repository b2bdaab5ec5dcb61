// Reads the `batches:` block of a plan line by line (block style, the style Ferry's sample and
// snippets write; one-line flow entries too) into batches and items with their line numbers.
import type { Range } from '../plan/diagnostic';
import { parseLine, scalarValue, type YamlLine } from '../plan/completion/yamlLines';
import type { OutlineBatch, OutlineItem } from './outlineTypes';

type Obj = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : typeof v === 'number' ? String(v) : undefined);
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const rangeOf = (line: number, start: number, end: number): Range => ({ start: { line, character: start }, end: { line, character: end } });

interface OpenItem {
  entry: OutlineItem & { source: string };
  /** Column of the item's keys; unknown after a bare `-` until its first key. */
  keyCol?: number;
}

export function scanBatches(lines: readonly string[], header: number, to: number, file: string): OutlineBatch[] {
  const head = parseLine(lines[header]);
  if (head.value) return flowBatches(head, header, file);
  const batches: OutlineBatch[] = [];
  let seqCol: number | undefined;
  let batch: OutlineBatch | undefined;
  let item: OpenItem | undefined;
  let inItems = false;
  let scalarBelow: number | undefined;
  let last = header;

  const closeItem = () => {
    if (item && batch && item.entry.source) batch.items.push({ ...item.entry, lines: { first: item.entry.lines!.first, last } });
    item = undefined;
  };
  const closeBatch = () => {
    closeItem();
    if (batch) batches.push({ ...batch, lines: { first: batch.lines.first, last } });
    batch = undefined;
  };

  for (let i = header + 1; i < to; i++) {
    const line = parseLine(lines[i]);
    if (line.blank) continue;
    if (scalarBelow !== undefined && line.indent > scalarBelow) {
      last = i;
      continue;
    }
    scalarBelow = line.blockScalar ? (line.key?.start ?? line.indent) : undefined;
    seqCol ??= line.dashes[0];
    if (line.dashes.length && line.dashes[0] === seqCol) {
      closeBatch();
      const index = batches.length;
      batch = { name: `(batch ${index + 1})`, index, nameRange: rangeOf(i, line.dashes[0], line.text.length), lines: { first: i, last: i }, items: [], keyCol: line.key?.start ?? -1 };
      inItems = false;
      if (!line.key && line.value?.text.startsWith('{')) fillFromFlow(batch, scalarValue(line.value.text), i, line, file);
      else if (line.key) inItems = batchKey(batch, line, i, file);
    } else if (batch) {
      if (batch.keyCol < 0 && line.key && !line.dashes.length) batch.keyCol = line.key.start;
      if (!line.dashes.length && line.key && line.key.start === batch.keyCol) {
        closeItem();
        inItems = batchKey(batch, line, i, file);
      } else if (inItems && batch.itemsList) {
        const list = batch.itemsList;
        if (line.dashes.length && line.dashes[0] >= batch.keyCol && (list.dashCol === undefined || line.dashes[0] === list.dashCol)) {
          list.dashCol ??= line.dashes[0];
          closeItem();
          item = startItem(line, i, file);
        } else if (item && line.key && !line.dashes.length) {
          item.keyCol ??= line.key.start;
          if (line.key.start === item.keyCol) itemKey(item, line, i, file);
        }
      }
    }
    last = i;
  }
  closeBatch();
  return batches;
}

/** A batch-level key; returns whether a block `items:` list starts below it. */
function batchKey(batch: OutlineBatch, line: YamlLine, i: number, file: string): boolean {
  const key = line.key!.text;
  const value = line.value ? scalarValue(line.value.text) : undefined;
  if (key === 'name' && line.value) {
    batch.name = str(value) ?? batch.name;
    batch.nameRange = rangeOf(i, line.value.start, line.value.end);
  } else if (key === 'source' || key === 'destination' || key === 'itemsFile' || key === 'startAfter' || key === 'completeAfter') {
    batch[key] = str(value);
  } else if (key === 'items') {
    batch.itemsList = { keyLine: i, flow: line.value !== undefined };
    if (!line.value) return true;
    if (Array.isArray(value)) value.forEach((v) => addFlowItem(batch, v, i, line, file));
  }
  return false;
}

function startItem(line: YamlLine, i: number, file: string): OpenItem {
  const open: OpenItem = { entry: { source: '', approveOversize: false, origin: { kind: 'plan', file, range: rangeOf(i, line.contentCol, line.text.length) }, lines: { first: i, last: i } } };
  if (line.key) {
    open.keyCol = line.key.start;
    itemKey(open, line, i, file);
  } else if (line.value?.text.startsWith('{')) {
    const v = scalarValue(line.value.text);
    if (isObj(v)) fillItem(open.entry, v, i, line, file);
  }
  return open;
}

function itemKey(open: OpenItem, line: YamlLine, i: number, file: string): void {
  if (!line.value) return;
  const value = scalarValue(line.value.text);
  const key = line.key!.text;
  if (key === 'source' && str(value)) {
    open.entry.source = str(value)!;
    open.entry.origin = { kind: 'plan', file, range: rangeOf(i, line.value.start, line.value.end) };
  } else if (key === 'destination') open.entry.destination = str(value);
  else if (key === 'approveOversize') open.entry.approveOversize = value === true;
}

function fillItem(entry: OutlineItem, v: Obj, i: number, line: YamlLine, file: string): void {
  const source = str(v.source);
  if (!source) return;
  entry.source = source;
  entry.destination = str(v.destination);
  entry.approveOversize = v.approveOversize === true;
  const at = line.text.indexOf(source, line.value?.start ?? 0);
  if (at >= 0) entry.origin = { kind: 'plan', file, range: rangeOf(i, at, at + source.length) };
}

function addFlowItem(batch: OutlineBatch, v: unknown, i: number, line: YamlLine, file: string): void {
  if (!isObj(v)) return;
  const entry: OutlineItem = { source: '', approveOversize: false, origin: { kind: 'plan', file, range: rangeOf(i, line.indent, line.text.length) } };
  fillItem(entry, v, i, line, file);
  if (entry.source) batch.items.push(entry);
}

function fillFromFlow(batch: OutlineBatch, v: unknown, i: number, line: YamlLine, file: string): void {
  if (!isObj(v)) return;
  batch.name = str(v.name) ?? batch.name;
  for (const key of ['source', 'destination', 'itemsFile', 'startAfter', 'completeAfter'] as const) batch[key] = str(v[key]);
  if (Array.isArray(v.items)) {
    batch.itemsList = { keyLine: i, flow: true };
    v.items.forEach((x) => addFlowItem(batch, x, i, line, file));
  }
}

/** `batches: [ {...}, ... ]` written on one line: no item lines to speak of, only the header's. */
function flowBatches(head: YamlLine, header: number, file: string): OutlineBatch[] {
  const value = scalarValue(head.value!.text);
  if (!Array.isArray(value)) return [];
  return value.flatMap((v, index) => {
    if (!isObj(v)) return [];
    const batch: OutlineBatch = { name: `(batch ${index + 1})`, index, nameRange: rangeOf(header, head.value!.start, head.value!.end), lines: { first: header, last: header }, items: [], keyCol: -1 };
    fillFromFlow(batch, v, header, head, file);
    return [batch];
  });
}
