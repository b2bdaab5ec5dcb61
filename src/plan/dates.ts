// Date handling for schedules and date filters.

/** ISO 8601 date-time with an explicit zone (Z or ±hh:mm), or a plain date (taken as UTC midnight). */
const instantPattern = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2}))?$/;

export function isValidInstant(value: unknown): boolean {
  if (value instanceof Date) return !Number.isNaN(value.getTime());
  return typeof value === 'string' && instantPattern.test(value) && !Number.isNaN(Date.parse(value)) && isRealCalendarDate(value);
}

/** Date.parse rolls 2026-02-30 over to 2 March; a schedule written that way is a typo, not a date. */
function isRealCalendarDate(value: string): boolean {
  const [year, month, day] = value.slice(0, 10).split('-').map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** Parses a schedule or filter value; YAML may already have turned a timestamp into a Date. */
export function parseInstant(value: unknown): Date | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value;
  if (typeof value !== 'string' || !isValidInstant(value)) return undefined;
  return new Date(value.length === 10 ? `${value}T00:00:00Z` : value);
}

const durationUnits: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `30s`, `15m`, `24h`, `2d` in ms; undefined for `off` or anything else. */
export function parseDuration(value: unknown): number | undefined {
  const m = typeof value === 'string' ? /^([1-9][0-9]*)(s|m|h|d)$/.exec(value) : null;
  return m ? Number(m[1]) * durationUnits[m[2]] : undefined;
}
