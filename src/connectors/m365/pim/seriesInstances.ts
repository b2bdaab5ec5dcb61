// Which occurrences of a new series the exceptions change: the time windows to list
// (`/events/{id}/instances` needs one), and the occurrences matched by their original start.
// Pure functions, so the matching is tested without Graph.
import type { SeriesException } from './seriesExceptions';

/** An instance as `/events/{id}/instances` lists it (the fields Ferry selects). */
export interface GraphInstance {
  id: string;
  type?: 'occurrence' | 'exception' | 'seriesMaster' | 'singleInstance';
  /** UTC, e.g. `2026-09-14T07:00:00Z` (Graph may add fractions or leave out the Z). */
  originalStart?: string;
}

export interface InstanceChanges {
  patches: { id: string; originalStart: string; event: NonNullable<SeriesException['event']> }[];
  deletes: { id: string; originalStart: string }[];
  /** Exceptions whose original start is no occurrence of the series Graph made. */
  unmatched: SeriesException[];
}

const DAY_MS = 24 * 3600 * 1000;
/** Original starts closer than this share one listing (a weekly series' year fits in a few pages). */
const MERGE_GAP_MS = 62 * DAY_MS;

/** The instant an exception's key stands for (an all-day key: that day, midnight UTC). */
const instantOf = (originalStart: string) => Date.parse(originalStart.length === 10 ? `${originalStart}T00:00:00Z` : originalStart);
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * The UTC windows to list: a day either side of each original start (an all-day occurrence's
 * midnight depends on the zone; the listing takes instances overlapping the window), close ones
 * merged so that a series needs one or a few listings, not one per exception.
 */
export function instanceWindows(exceptions: readonly SeriesException[]): { start: string; end: string }[] {
  const instants = exceptions.map((e) => instantOf(e.originalStart)).sort((a, b) => a - b);
  const windows: { start: number; end: number }[] = [];
  for (const at of instants) {
    const last = windows[windows.length - 1];
    if (last && at - DAY_MS - last.end <= MERGE_GAP_MS) last.end = Math.max(last.end, at + 2 * DAY_MS);
    else windows.push({ start: at - DAY_MS, end: at + 2 * DAY_MS });
  }
  return windows.map((w) => ({ start: iso(w.start), end: iso(w.end) }));
}

/** An instance's original start as exceptions key it: the UTC instant, or the date in an all-day series. */
export function instanceKey(instance: GraphInstance, allDay: boolean): string | undefined {
  if (!instance.originalStart) return undefined;
  const text = /(Z|[+-]\d{2}:\d{2})$/.test(instance.originalStart) ? instance.originalStart : `${instance.originalStart}Z`;
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) return undefined;
  return allDay ? iso(ms).slice(0, 10) : iso(Math.floor(ms / 1000) * 1000);
}

/** The PATCHes and DELETEs that give the series its exceptions. */
export function matchInstances(exceptions: readonly SeriesException[], instances: readonly GraphInstance[], allDay: boolean): InstanceChanges {
  const byKey = new Map<string, GraphInstance>();
  for (const i of instances) {
    const key = i.type === 'occurrence' || i.type === 'exception' ? instanceKey(i, allDay) : undefined;
    if (key && !byKey.has(key)) byKey.set(key, i);
  }
  const changes: InstanceChanges = { patches: [], deletes: [], unmatched: [] };
  for (const e of exceptions) {
    const instance = byKey.get(e.originalStart);
    if (!instance) changes.unmatched.push(e);
    else if (e.event) changes.patches.push({ id: instance.id, originalStart: e.originalStart, event: e.event });
    else changes.deletes.push({ id: instance.id, originalStart: e.originalStart });
  }
  return changes;
}
