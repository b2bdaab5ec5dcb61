// Graph's patternedRecurrence as an iCalendar RRULE: the reverse of recurrenceJson. Every pattern
// Graph has maps exactly (daily, weekly, absolute and relative monthly and yearly); an end date
// becomes UNTIL at the end of that day in the series' zone (in UTC, or a date for all-day series),
// a number of occurrences COUNT.
import type { Ical, IcalComponent } from './ical';
import type { GraphRecurrence } from './recurrenceJson';
import { ianaZone, instantOf, wallClockAt } from './zones';

const DAY_CODES: Record<string, string> = { sunday: 'SU', monday: 'MO', tuesday: 'TU', wednesday: 'WE', thursday: 'TH', friday: 'FR', saturday: 'SA' };
const ORDINAL: Record<string, number> = { first: 1, second: 2, third: 3, fourth: 4, last: -1 };

/** Adds the RRULE for `recurrence` to `component`; `zone` is the series' zone (Graph name), `allDay` for date series. */
export function addRecurrenceRule(ICAL: Ical, component: IcalComponent, recurrence: GraphRecurrence, zone: string, allDay: boolean): void {
  const { pattern, range } = recurrence;
  const days = (pattern.daysOfWeek ?? []).map((d) => DAY_CODES[d.toLowerCase()]).filter(Boolean);
  const ordinal = ORDINAL[pattern.index ?? 'first'] ?? 1;
  const rule: Record<string, unknown> = { interval: Math.max(1, pattern.interval || 1) };
  switch (pattern.type) {
    case 'daily':
      rule.freq = 'DAILY';
      break;
    case 'weekly':
      Object.assign(rule, { freq: 'WEEKLY', byday: days, wkst: DAY_CODES[(pattern.firstDayOfWeek ?? 'sunday').toLowerCase()] ?? 'SU' });
      break;
    case 'absoluteMonthly':
      Object.assign(rule, { freq: 'MONTHLY', bymonthday: [pattern.dayOfMonth] });
      break;
    case 'relativeMonthly':
      Object.assign(rule, { freq: 'MONTHLY', ...(days.length === 1 ? { byday: [`${ordinal}${days[0]}`] } : { byday: days, bysetpos: [ordinal] }) });
      break;
    case 'absoluteYearly':
      Object.assign(rule, { freq: 'YEARLY', bymonth: [pattern.month], bymonthday: [pattern.dayOfMonth] });
      break;
    case 'relativeYearly':
      Object.assign(rule, { freq: 'YEARLY', bymonth: [pattern.month], ...(days.length === 1 ? { byday: [`${ordinal}${days[0]}`] } : { byday: days, bysetpos: [ordinal] }) });
      break;
  }
  if (range.type === 'numbered' && range.numberOfOccurrences) rule.count = range.numberOfOccurrences;
  if (range.type === 'endDate' && range.endDate) {
    const [year, month, day] = range.endDate.split('-').map(Number);
    if (allDay) rule.until = ICAL.Time.fromData({ year, month, day, isDate: true });
    else {
      // The last moment of the end date where the series lives, in UTC (RFC 5545: UNTIL with a zoned DTSTART is UTC).
      const last = instantOf({ year, month, day, hour: 23, minute: 59, second: 59 }, ianaZone(range.recurrenceTimeZone ?? zone) ?? 'UTC');
      const w = wallClockAt(last, 'UTC');
      rule.until = ICAL.Time.fromData({ ...w, isDate: false }, ICAL.Timezone.utcTimezone);
    }
  }
  component.addPropertyWithValue('rrule', ICAL.Recur.fromData(rule as Parameters<Ical['Recur']['fromData']>[0]));
}
