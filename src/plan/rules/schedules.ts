// Batch schedules and date filters: values the engine can read, a cut-over already due (information;
// an error for an orchestrated batch, which Microsoft refuses), and a start before the cut-over.
// PLAN-037 args: [value, where, expected]   e.g. ["2026-12-01T20:00", "batches.0.startAfter", "an ISO 8601 date-time with a time zone, e.g. 2026-12-05T20:00:00Z"]
// minThresholdFailed / PLAN-051 args: [completeAfter, batchName]   data: {suggestion}
// PLAN-026 args: [batchName, startAfter, completeAfter]   data: {startAfter, completeAfter}
// PLAN-032 args: [from, to]
import { parseInstant } from '../dates';
import type { PathSegment } from '../yamlDocument';
import { at, isObj, locatedBatches, nonEmpty, root } from './located';
import type { Rule } from './ruleContext';

const dateTimeWithZone = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;
const plainDate = /^(\d{4})-(\d{2})-(\d{2})$/;

const EXPECT_DATE_TIME = 'an ISO 8601 date-time with a time zone, e.g. 2026-12-05T20:00:00Z';
const EXPECT_DATE = 'a date (YYYY-MM-DD) or an ISO 8601 date-time with a time zone';

/** Month and day exist (Date.parse rolls 2026-02-30 over to March 2 instead of refusing it). */
function realCalendarDate(y: string, m: string, d: string): boolean {
  const month = Number(m);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(Number(y), month, 0)).getUTCDate();
}

function realTime(h: string, min: string, s: string | undefined): boolean {
  return Number(h) < 24 && Number(min) < 60 && (s === undefined || Number(s) < 60);
}

/** A date-time with its zone, as the engine reads it (a subset of what dates.ts accepts). */
export function isZonedDateTime(value: string): boolean {
  const m = dateTimeWithZone.exec(value);
  return !!m && realCalendarDate(m[1], m[2], m[3]) && realTime(m[4], m[5], m[6]) && parseInstant(value) !== undefined;
}

function isDateOrZonedDateTime(value: string): boolean {
  const m = plainDate.exec(value);
  if (m) return realCalendarDate(m[1], m[2], m[3]);
  return isZonedDateTime(value);
}

/**
 * The same time of day as `original`, on the day after today in the original's zone: a cut-over
 * planned for 20:00 stays at 20:00, and the result is always in the future.
 */
export function suggestFutureInstant(original: string, now: Date, notBefore?: Date): string {
  const m = dateTimeWithZone.exec(original);
  if (!m) return new Date(now.getTime() + 86_400_000).toISOString();
  const zone = m[8];
  const offsetMinutes = zone === 'Z' ? 0 : (zone[0] === '-' ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(-2)));
  const pad = (n: number) => String(n).padStart(2, '0');
  const format = (dayStartLocalMs: number) => {
    const d = new Date(dayStartLocalMs);
    const time = `${m[4]}:${m[5]}${m[6] !== undefined ? `:${m[6]}${m[7] ?? ''}` : ''}`;
    return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}${original[10]}${time}${zone}`;
  };
  // Midnight of "today" in the original zone, as a UTC clock reading.
  const localNow = now.getTime() + offsetMinutes * 60_000;
  let day = localNow - (((localNow % 86_400_000) + 86_400_000) % 86_400_000) + 86_400_000;
  let candidate = format(day);
  for (let i = 0; i < 3660 && notBefore && (parseInstant(candidate)?.getTime() ?? 0) <= notBefore.getTime(); i++) {
    day += 86_400_000;
    candidate = format(day);
  }
  return candidate;
}

/** startAfter/completeAfter of every batch: readable, a past cut-over said to be due, start before cut-over. */
export const batchSchedules: Rule = (ctx) => {
  for (const { index, raw, batch } of locatedBatches(ctx)) {
    const valid: { startAfter?: Date; completeAfter?: Date } = {};
    for (const key of ['startAfter', 'completeAfter'] as const) {
      const value = raw[key];
      if (typeof value !== 'string') continue; // other types: the schema says "must be string"
      const p: PathSegment[] = ['batches', index, key];
      if (!isZonedDateTime(value)) {
        ctx.report({ code: 'PLAN-037', args: [value, p.join('.'), EXPECT_DATE_TIME], path: p, data: { value } });
        continue;
      }
      valid[key] = parseInstant(value);
    }
    const { startAfter, completeAfter } = valid;
    // A time already past is a due schedule for a batch Ferry runs (ferry serve completes it at its
    // next opportunity); Microsoft's cross-tenant service refuses one for an orchestrated batch.
    if (completeAfter && completeAfter.getTime() <= ctx.now.getTime()) {
      const original = raw.completeAfter as string;
      ctx.report({
        code: batch.orchestrated ? 'minThresholdFailed' : 'PLAN-051',
        args: [original, batch.name],
        path: ['batches', index, 'completeAfter'],
        data: { suggestion: suggestFutureInstant(original, ctx.now, startAfter) },
      });
    }
    if (startAfter && completeAfter && startAfter.getTime() > completeAfter.getTime()) {
      ctx.report({
        code: 'PLAN-026',
        args: [batch.name, raw.startAfter as string, raw.completeAfter as string],
        path: ['batches', index, 'startAfter'],
        data: { startAfter: raw.startAfter, completeAfter: raw.completeAfter },
      });
    }
  }
};

/** options.dateRange: readable dates, `from` not after `to` (an empty range migrates nothing). */
export const dateRange: Rule = (ctx) => {
  const range = at(root(ctx), 'options', 'dateRange');
  if (!isObj(range)) return;
  const parsed: { from?: Date; to?: Date } = {};
  for (const key of ['from', 'to'] as const) {
    const value = range[key];
    if (!nonEmpty(value)) continue;
    const p = ['options', 'dateRange', key];
    if (!isDateOrZonedDateTime(value)) {
      ctx.report({ code: 'PLAN-037', args: [value, p.join('.'), EXPECT_DATE], path: p, data: { value } });
      continue;
    }
    parsed[key] = parseInstant(value);
  }
  if (parsed.from && parsed.to && parsed.from.getTime() > parsed.to.getTime()) {
    ctx.report({ code: 'PLAN-032', args: [range.from as string, range.to as string], path: ['options', 'dateRange', 'from'], data: { from: range.from, to: range.to } });
  }
};
