// The dates of a Graph patternedRecurrence, as Outlook computes them: daily, weekly (days of the
// week, weeks counted from firstDayOfWeek, every `interval` weeks), absoluteMonthly (a day of the
// month; a month without that day takes its last day, as Outlook does), relativeMonthly (the
// first..fourth or last of the given weekdays), absoluteYearly, relativeYearly; from
// range.startDate, up to range.endDate, numberOfOccurrences, or without end. Dates are the series'
// local dates (YYYY-MM-DD) in its start time zone.

export interface Pattern {
  type: string;
  interval?: number;
  daysOfWeek?: string[];
  dayOfMonth?: number;
  month?: number;
  index?: string;
  firstDayOfWeek?: string;
}

export interface Range {
  type: string;
  startDate: string;
  endDate?: string;
  numberOfOccurrences?: number;
}

const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const INDEXES = ['first', 'second', 'third', 'fourth'];
const DAY = 86_400_000;

/** Days since 1970-01-01 of a YYYY-MM-DD date, and back. */
const dayNumber = (date: string) => Date.parse(`${date}T00:00:00Z`) / DAY;
const dateOf = (day: number) => new Date(day * DAY).toISOString().slice(0, 10);
const weekday = (day: number) => (((day + 4) % 7) + 7) % 7;
const monthLength = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** What Graph would refuse in a pattern (400), or undefined. */
export function patternProblem(p: Pattern): string | undefined {
  const days = p.daysOfWeek ?? [];
  if (days.some((d) => !WEEKDAYS.includes(d))) return `Invalid daysOfWeek: ${days.join(', ')}.`;
  if ((p.interval ?? 1) < 1) return 'The recurrence interval must be at least 1.';
  if (['weekly', 'relativeMonthly', 'relativeYearly'].includes(p.type) && days.length === 0) return `A ${p.type} pattern needs daysOfWeek.`;
  if (p.type.startsWith('relative') && p.index !== undefined && !INDEXES.includes(p.index) && p.index !== 'last') return `Invalid index: ${p.index}.`;
  if (p.type.startsWith('absolute') && !(Number(p.dayOfMonth) >= 1 && Number(p.dayOfMonth) <= 31)) return 'An absolute pattern needs dayOfMonth between 1 and 31.';
  if (p.type.endsWith('Yearly') && !(Number(p.month) >= 1 && Number(p.month) <= 12)) return 'A yearly pattern needs month between 1 and 12.';
  return undefined;
}

/** The chosen weekday of a month: the first..fourth or last of the days matching `days`. */
function relativeDay(year: number, month: number, days: string[], index: string): number | undefined {
  const first = dayNumber(`${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-01`);
  const matching = Array.from({ length: monthLength(year, month) }, (_, i) => first + i).filter((d) => days.includes(WEEKDAYS[weekday(d)]));
  return index === 'last' ? matching[matching.length - 1] : matching[INDEXES.indexOf(index)];
}

/** Candidate days in order (before the range's start or end is applied). */
function* candidates(p: Pattern, start: number): Generator<number> {
  const interval = p.interval ?? 1;
  const days = p.daysOfWeek ?? [];
  const [y0, m0] = dateOf(start).split('-').map(Number);
  if (p.type === 'daily') {
    for (let d = start; ; d += interval) yield d;
  } else if (p.type === 'weekly') {
    const firstDay = Math.max(0, WEEKDAYS.indexOf(p.firstDayOfWeek ?? 'sunday'));
    for (let week = start - ((weekday(start) - firstDay + 7) % 7); ; week += 7 * interval) {
      for (let i = 0; i < 7; i++) if (days.includes(WEEKDAYS[weekday(week + i)])) yield week + i;
    }
  } else if (p.type === 'absoluteMonthly' || p.type === 'relativeMonthly') {
    for (let n = 0; ; n += interval) {
      const year = y0 + Math.floor((m0 - 1 + n) / 12);
      const month = ((m0 - 1 + n) % 12) + 1;
      const day = p.type === 'absoluteMonthly' ? dayNumber(`${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-01`) + Math.min(p.dayOfMonth ?? 1, monthLength(year, month)) - 1 : relativeDay(year, month, days, p.index ?? 'first');
      if (day !== undefined) yield day;
    }
  } else if (p.type === 'absoluteYearly' || p.type === 'relativeYearly') {
    const month = p.month ?? m0;
    for (let year = y0; ; year += interval) {
      const day = p.type === 'absoluteYearly' ? dayNumber(`${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-01`) + Math.min(p.dayOfMonth ?? 1, monthLength(year, month)) - 1 : relativeDay(year, month, days, p.index ?? 'first');
      if (day !== undefined) yield day;
    }
  }
}

/** The series' dates in order, up to the range's end; a series without end stops after `until` (YYYY-MM-DD). */
export function* seriesDates(pattern: Pattern, range: Range, until: string): Generator<string> {
  const start = dayNumber(range.startDate);
  const last = Math.min(dayNumber(until), range.type === 'endDate' && range.endDate ? dayNumber(range.endDate) : Infinity);
  let count = 0;
  for (const day of candidates(pattern, start)) {
    if (day > last) return;
    if (day < start) continue;
    if (range.type === 'numbered' && count >= (range.numberOfOccurrences ?? 0)) return;
    count++;
    yield dateOf(day);
  }
}
