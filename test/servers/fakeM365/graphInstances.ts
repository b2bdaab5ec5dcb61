// The occurrences of a recurring event, as Graph serves them: `GET /events/{id}/instances?
// startDateTime&endDateTime` (both required, UTC unless they carry an offset) lists the
// occurrences and exceptions overlapping the window, in UTC, paged with `$top`/`$skip`; cancelled
// occurrences are left out. An occurrence's id is stable (the series and its original start);
// `PATCH /events/{occurrence id}` makes it an exception, `DELETE` cancels it (then 404).
import type { PimItemRecord } from './graphPim';
import { page } from './graphContext';
import { graphError, json, type FakeRequest, type FakeResponse } from './http';
import { seriesDates, type Pattern, type Range } from './recurrence';
import { graphUtc, ianaOf, instantOf, instantOfGraph } from './zones';

/** What happened to single occurrences of a series, by original start (`2026-09-14T07:00:00Z`). */
export interface OccurrenceChanges {
  changed: Record<string, Record<string, unknown>>;
  cancelled: string[];
}

type EventRecord = PimItemRecord & { occurrences?: OccurrenceChanges };
type DateTimeZone = { dateTime: string; timeZone: string };

const PREFIX = 'AAMkOcc';
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
export const occurrenceId = (seriesId: string, originalStart: string) => `${PREFIX}${Buffer.from(`${seriesId}|${originalStart}`).toString('base64url')}`;

/** The series and original start an occurrence id stands for, or undefined for another id. */
export function parseOccurrenceId(id: string): { seriesId: string; originalStart: string } | undefined {
  if (!id.startsWith(PREFIX)) return undefined;
  const [seriesId, originalStart] = Buffer.from(id.slice(PREFIX.length), 'base64url').toString('utf8').split('|');
  return seriesId && originalStart ? { seriesId, originalStart } : undefined;
}

const notFound = () => graphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');

/** The original starts (UTC ms) of a series' occurrences up to `untilMs`, cancelled ones included. */
function originalStarts(series: EventRecord, untilMs: number): number[] {
  const body = series.body as { start: DateTimeZone; recurrence: { pattern: Pattern; range: Range } };
  const zone = ianaOf(body.start.timeZone) ?? 'UTC';
  const time = body.start.dateTime.slice(11, 19);
  // Local dates a day past the window cover any zone's offset.
  const until = new Date(untilMs + 86_400_000).toISOString().slice(0, 10);
  const out: number[] = [];
  for (const date of seriesDates(body.recurrence.pattern, body.recurrence.range, until)) {
    const at = instantOf(`${date}T${time}`, zone);
    if (at >= untilMs + 86_400_000) break;
    out.push(at);
  }
  return out;
}

/** An instance as the listing returns it: the series' fields, the exception's changes, times in UTC. */
function instanceJson(series: EventRecord, originalStart: string, durationMs: number): { json: Record<string, unknown>; startMs: number; endMs: number } {
  const body = series.body as Record<string, unknown> & { start: DateTimeZone; end: DateTimeZone };
  const changed = series.occurrences?.changed[originalStart];
  const { recurrence: _recurrence, singleValueExtendedProperties: _props, ...fields } = { ...body, ...(changed ?? {}) } as Record<string, unknown>;
  const startMs = changed?.start ? (instantOfGraph(changed.start as DateTimeZone) ?? Date.parse(originalStart)) : Date.parse(originalStart);
  const endMs = changed?.end ? (instantOfGraph(changed.end as DateTimeZone) ?? startMs + durationMs) : startMs + durationMs;
  return {
    startMs,
    endMs,
    json: {
      ...fields,
      id: occurrenceId(series.id, originalStart),
      createdDateTime: series.createdDateTime,
      type: changed ? 'exception' : 'occurrence',
      seriesMasterId: series.id,
      originalStart,
      originalStartTimeZone: body.start.timeZone,
      originalEndTimeZone: body.end.timeZone,
      recurrence: null,
      start: graphUtc(startMs),
      end: graphUtc(endMs),
    },
  };
}

const durationOf = (series: EventRecord) => (instantOfGraph((series.body as { end: DateTimeZone }).end) ?? 0) - (instantOfGraph((series.body as { start: DateTimeZone }).start) ?? 0);

/** A window bound: ISO 8601, UTC when it carries no offset (no Prefer: outlook.timezone here). */
const boundOf = (text: string | null) => {
  if (!text) return NaN;
  const full = /^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00` : text;
  return Date.parse(/(Z|[+-]\d{2}:?\d{2})$/i.test(full) ? full : `${full}Z`);
};

export function listInstances(series: EventRecord, req: FakeRequest, link: string): FakeResponse {
  const from = boundOf(req.query.get('startDateTime'));
  const to = boundOf(req.query.get('endDateTime'));
  if (Number.isNaN(from) || Number.isNaN(to)) return graphError(400, 'ErrorInvalidParameter', 'This request requires a time window specified by the query string parameters StartDateTime and EndDateTime.');
  const overlaps = (s: number, e: number) => s < to && (e > from || (e === s && s >= from));
  if (!series.body.recurrence) {
    const s = instantOfGraph(series.body.start as DateTimeZone) ?? 0;
    const e = instantOfGraph(series.body.end as DateTimeZone) ?? s;
    const single = overlaps(s, e) ? [{ ...series.body, id: series.id, type: 'singleInstance', start: graphUtc(s), end: graphUtc(e) }] : [];
    return json(200, page(single, req.query, link));
  }
  const duration = durationOf(series);
  const cancelled = new Set(series.occurrences?.cancelled ?? []);
  const changed = Object.keys(series.occurrences?.changed ?? {});
  const found = new Map<string, ReturnType<typeof instanceJson>>();
  // Occurrences by their time; exceptions by the time they were moved to, wherever their original start lies.
  for (const at of originalStarts(series, to)) {
    const key = iso(at);
    if (!cancelled.has(key)) found.set(key, instanceJson(series, key, duration));
  }
  for (const key of changed) if (!cancelled.has(key)) found.set(key, instanceJson(series, key, duration));
  const listed = [...found.values()].filter((i) => overlaps(i.startMs, i.endMs)).sort((a, b) => a.startMs - b.startMs);
  return json(200, page(listed.map((i) => i.json), req.query, link));
}

/** GET, PATCH (an exception) or DELETE (a cancellation) of one occurrence. */
export function occurrenceRoute(series: EventRecord | undefined, originalStart: string, req: FakeRequest, save: () => void, problemOf: (body: Record<string, unknown>) => string | undefined, body: Record<string, unknown> | undefined): FakeResponse {
  if (!series?.body.recurrence) return notFound();
  const at = Date.parse(originalStart);
  series.occurrences ??= { changed: {}, cancelled: [] };
  const changes = series.occurrences;
  if (changes.cancelled.includes(originalStart) || !originalStarts(series, at + 1).includes(at)) return notFound();
  if (req.method === 'GET') return json(200, instanceJson(series, originalStart, durationOf(series)).json);
  if (req.method === 'DELETE') {
    changes.cancelled.push(originalStart);
    delete changes.changed[originalStart];
    save();
    return { status: 204 };
  }
  if (req.method !== 'PATCH') return graphError(405, 'ErrorInvalidRequest', 'The OData request is not supported.');
  if (!body) return graphError(400, 'RequestBodyRead', 'Cannot read the request body as JSON.');
  if ('recurrence' in body && body.recurrence !== null) return graphError(400, 'ErrorInvalidRequest', 'An occurrence or exception of a series cannot have a recurrence.');
  const merged = { ...series.body, ...(changes.changed[originalStart] ?? {}), ...body };
  const problem = problemOf(merged);
  if (problem) return graphError(400, 'ErrorInvalidRequest', problem);
  changes.changed[originalStart] = { ...(changes.changed[originalStart] ?? {}), ...body };
  save();
  return json(200, instanceJson(series, originalStart, durationOf(series)).json);
}
