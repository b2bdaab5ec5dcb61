// Quick fixes on times: move completeAfter into the future, swap a schedule or a date range that
// ends before it starts.
import { isScalar, type Node } from 'yaml';
import { parseInstant } from '../dates';
import type { PathSegment, PlanYaml } from '../yamlDocument';
import { edit, inFlow, replaceScalar } from './yamlEdits';
import { str, type FixProvider, type PlanFix } from './fixTypes';

const DAY = 24 * 60 * 60 * 1000;

/** ISO 8601 in UTC without milliseconds, as plans write times. */
export function isoInstant(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** One day from now, or one day after startAfter when that is later (so no PLAN-026 follows). */
export function futureCompleteAfter(now: Date, startAfter: Date | undefined): string {
  let at = new Date(Math.ceil((now.getTime() + DAY) / 60000) * 60000);
  if (startAfter && startAfter.getTime() >= at.getTime()) at = new Date(startAfter.getTime() + DAY);
  return isoInstant(at);
}

function batchOf(path: readonly PathSegment[] | undefined): PathSegment[] | undefined {
  return path && path[0] === 'batches' && typeof path[1] === 'number' ? path.slice(0, 2) : undefined;
}

function scalarValue(yaml: PlanYaml, path: PathSegment[]): unknown {
  const node = yaml.nodeAt(path);
  return isScalar(node) ? node.value : undefined;
}

export const moveCompleteAfterToFuture: FixProvider = ({ yaml, diagnostic, context, path }) => {
  const batch = batchOf(path);
  if (!batch) return [];
  const target = [...batch, 'completeAfter'];
  const node = yaml.nodeAt(target);
  if (!isScalar(node)) return [];
  const value = str(diagnostic.data?.suggestion) ?? futureCompleteAfter(context.now, parseInstant(scalarValue(yaml, [...batch, 'startAfter'])));
  return [{ title: `Set completeAfter to ${value}`, code: diagnostic.code, edits: [replaceScalar(yaml, node, value, inFlow(yaml, target))], isPreferred: true }];
};

/** Exchanges the source text of two scalars (quotes and all). */
function swap(yaml: PlanYaml, a: Node, b: Node) {
  const [as, ae] = a.range ?? [0, 0];
  const [bs, be] = b.range ?? [0, 0];
  return [edit(yaml, as, ae, yaml.text.slice(bs, be)), edit(yaml, bs, be, yaml.text.slice(as, ae))];
}

function swapFix(yaml: PlanYaml, code: string, first: PathSegment[], second: PathSegment[], title: string): PlanFix[] {
  const a = yaml.nodeAt(first);
  const b = yaml.nodeAt(second);
  if (!isScalar(a) || !isScalar(b)) return [];
  return [{ title, code, edits: swap(yaml, a, b), isPreferred: true }];
}

export const swapSchedule: FixProvider = ({ yaml, diagnostic, path }) => {
  const batch = batchOf(path);
  return batch ? swapFix(yaml, diagnostic.code, [...batch, 'startAfter'], [...batch, 'completeAfter'], 'Swap startAfter and completeAfter') : [];
};

export const swapDateRange: FixProvider = ({ yaml, diagnostic }) =>
  swapFix(yaml, diagnostic.code, ['options', 'dateRange', 'from'], ['options', 'dateRange', 'to'], 'Swap dateRange.from and dateRange.to');
