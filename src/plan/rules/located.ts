// Shared lookups for rules: the raw document's shapes, and every item with the place it was
// written (a YAML path in the plan, or a line of a CSV file), so findings land on the right text.
import * as path from 'node:path';
import type { Range } from '../diagnostic';
import type { PlanBatch, PlanItem } from '../model';
import type { PathSegment } from '../yamlDocument';
import type { RuleContext, RuleFinding } from './ruleContext';

export type Obj = Record<string, unknown>;

// The same test buildPlan uses: locatedBatches() relies on both skipping the same entries.
export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
export const nonEmpty = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

/** The document's top level as an object ({} when it is something else). */
export function root(ctx: RuleContext): Obj {
  return isObj(ctx.value) ? ctx.value : {};
}

/** `obj[key]` when obj is an object, else undefined: walks untrusted shapes without checks at each step. */
export function at(value: unknown, ...keys: (string | number)[]): unknown {
  let v = value;
  for (const k of keys) {
    if (typeof k === 'number' ? !Array.isArray(v) : !isObj(v)) return undefined;
    v = (v as Record<string | number, unknown>)[k];
  }
  return v;
}

export interface LocatedItem {
  item: PlanItem;
  batch: LocatedBatch;
  /** YAML path of the item in the plan; undefined for an item from a CSV file. */
  path?: PathSegment[];
  /** Where the item's source is written (a CSV item: its whole line). */
  file: string;
  range: Range;
  /** 1-based line, for messages. */
  line: number;
  /** Short human description of the place, e.g. `batches.0.items.2` or `wave2.csv:4`. */
  where: string;
}

export interface LocatedBatch {
  /** Index in the document's `batches` sequence. */
  index: number;
  raw: Obj;
  batch: PlanBatch;
  items: LocatedItem[];
}

const cache = new WeakMap<object, LocatedBatch[]>();

/**
 * Batches with their raw YAML and located items. buildPlan keeps one PlanBatch per object batch and
 * one PlanItem per object item with a source, plan items before CSV items, in document order:
 * that is what lets the two be walked side by side.
 */
export function locatedBatches(ctx: RuleContext): LocatedBatch[] {
  const cached = cache.get(ctx.plan);
  if (cached) return cached;
  const result: LocatedBatch[] = [];
  const raws = root(ctx).batches;
  let k = 0;
  (Array.isArray(raws) ? raws : []).forEach((raw, index) => {
    if (!isObj(raw)) return;
    const batch = ctx.plan.batches[k++];
    if (!batch) return;
    const located: LocatedBatch = { index, raw, batch, items: [] };
    const planItemPaths: PathSegment[][] = [];
    (Array.isArray(raw.items) ? raw.items : []).forEach((item, i) => {
      if (isObj(item) && nonEmpty(item.source)) planItemPaths.push(['batches', index, 'items', i]);
    });
    let p = 0;
    for (const item of batch.items) {
      if (item.origin.kind === 'plan') {
        const itemPath = planItemPaths[p++];
        located.items.push({ item, batch: located, path: itemPath, file: item.origin.file, range: item.origin.range, line: item.origin.range.start.line + 1, where: `line ${item.origin.range.start.line + 1}` });
      } else {
        located.items.push({ item, batch: located, file: item.origin.file, range: item.origin.range, line: item.origin.line + 1, where: `${path.basename(item.origin.file)}:${item.origin.line + 1}` });
      }
    }
    result.push(located);
  });
  cache.set(ctx.plan, result);
  return result;
}

export function allItems(ctx: RuleContext): LocatedItem[] {
  return locatedBatches(ctx).flatMap((b) => b.items);
}

/**
 * Where to report about one field of an item: its value in the plan (falling back to the source
 * when the field is not written, e.g. a derived destination), or the item's CSV line.
 */
export function itemFinding(li: LocatedItem, field: 'source' | 'destination'): Pick<RuleFinding, 'path' | 'file' | 'range'> {
  if (li.path) {
    const written = field === 'source' || li.item.destination !== undefined;
    return { path: [...li.path, written ? field : 'source'] };
  }
  return { file: li.file, range: li.range };
}

/** Lower-cased address for comparisons (mailbox addresses are case-insensitive in practice). */
export function addressKey(address: string): string {
  return address.trim().toLowerCase();
}

/** Endpoint names referenced by the top level and by batch overrides, with their YAML paths. */
export function endpointReferences(ctx: RuleContext): { role: 'source' | 'destination'; name: string; path: PathSegment[] }[] {
  const refs: { role: 'source' | 'destination'; name: string; path: PathSegment[] }[] = [];
  const r = root(ctx);
  for (const role of ['source', 'destination'] as const) {
    if (nonEmpty(r[role])) refs.push({ role, name: r[role], path: [role] });
  }
  (Array.isArray(r.batches) ? r.batches : []).forEach((batch, index) => {
    for (const role of ['source', 'destination'] as const) {
      const name = at(batch, role);
      if (nonEmpty(name)) refs.push({ role, name, path: ['batches', index, role] });
    }
  });
  return refs;
}

/** Upper snake case of any text: `contoso-imap` → `CONTOSO_IMAP`, `clientSecret` → `CLIENT_SECRET`. */
export function upperSnake(text: string): string {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toUpperCase();
}
