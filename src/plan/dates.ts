// Date handling for schedules and date filters.

/** ISO 8601 date-time with an explicit zone (Z or ±hh:mm), or a plain date (taken as UTC midnight). */
const instantPattern = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2}))?$/;

export function isValidInstant(value: unknown): boolean {
  if (value instanceof Date) return !Number.isNaN(value.getTime());
  return typeof value === 'string' && instantPattern.test(value) && !Number.isNaN(Date.parse(value));
}

/** Parses a schedule or filter value; YAML may already have turned a timestamp into a Date. */
export function parseInstant(value: unknown): Date | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value;
  if (typeof value !== 'string' || !isValidInstant(value)) return undefined;
  return new Date(value.length === 10 ? `${value}T00:00:00Z` : value);
}
