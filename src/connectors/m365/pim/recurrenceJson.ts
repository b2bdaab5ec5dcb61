// An iCalendar RRULE as Graph's patternedRecurrence. Graph expresses daily, weekly, monthly and
// yearly series (by day of month, or by the first/second/third/fourth/last weekday); a rule it
// cannot express (hourly, several ordinals, BYSETPOS lists...) is an item error with its own code,
// never a silently different series.
import { pimError, type Ical, type IcalComponent, type IcalTime } from './ical';

export interface GraphRecurrence {
  pattern: {
    type: 'daily' | 'weekly' | 'absoluteMonthly' | 'relativeMonthly' | 'absoluteYearly' | 'relativeYearly';
    interval: number;
    daysOfWeek?: string[];
    dayOfMonth?: number;
    month?: number;
    index?: 'first' | 'second' | 'third' | 'fourth' | 'last';
    firstDayOfWeek?: string;
  };
  range: { type: 'noEnd' | 'endDate' | 'numbered'; startDate: string; endDate?: string; numberOfOccurrences?: number; recurrenceTimeZone?: string };
}

const DAYS: Record<string, string> = { SU: 'sunday', MO: 'monday', TU: 'tuesday', WE: 'wednesday', TH: 'thursday', FR: 'friday', SA: 'saturday' };
const DAY_BY_INDEX = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const INDEX: Record<number, GraphRecurrence['pattern']['index']> = { 1: 'first', 2: 'second', 3: 'third', 4: 'fourth', [-1]: 'last' };
const date = (t: IcalTime) => `${String(t.year).padStart(4, '0')}-${String(t.month).padStart(2, '0')}-${String(t.day).padStart(2, '0')}`;

/** The series of a VEVENT/VTODO with an RRULE, or undefined when it has none. */
export function recurrenceOf(ICAL: Ical, component: IcalComponent, start: IcalTime, timeZone: string): GraphRecurrence | undefined {
  const rrule = component.getFirstPropertyValue('rrule') as InstanceType<Ical['Recur']> | null;
  if (!rrule) return undefined;
  const refuse = (why: string) => pimError('GRAPH-RECURRENCE', [rrule.toString(), why]);
  const parts = rrule.parts as Record<string, (string | number)[] | undefined>;
  const unsupported = Object.keys(parts).filter((k) => !['BYDAY', 'BYMONTHDAY', 'BYMONTH', 'BYSETPOS'].includes(k) && (parts[k]?.length ?? 0) > 0);
  if (unsupported.length) throw refuse(`${unsupported.join(', ')} has no Graph equivalent`);
  const interval = rrule.interval || 1;
  const byDay = (parts.BYDAY ?? []).map(String);
  const setPos = (parts.BYSETPOS ?? []).map(Number);
  const monthDays = (parts.BYMONTHDAY ?? []).map(Number);
  const months = (parts.BYMONTH ?? []).map(Number);
  const weekday = (d: string) => {
    const m = /^([+-]?\d+)?(SU|MO|TU|WE|TH|FR|SA)$/.exec(d);
    if (!m) throw refuse(`BYDAY=${d} is not a weekday`);
    return { ordinal: m[1] ? Number(m[1]) : undefined, day: DAYS[m[2]] };
  };
  const days = byDay.map(weekday);
  const relative = () => {
    const ordinals = new Set([...days.map((d) => d.ordinal).filter((o) => o !== undefined), ...setPos]);
    if (ordinals.size !== 1) throw refuse('one ordinal (first, second, third, fourth or last) is needed');
    const index = INDEX[[...ordinals][0]!];
    if (!index) throw refuse(`the ordinal ${[...ordinals][0]} has no Graph equivalent`);
    return { daysOfWeek: days.map((d) => d.day), index };
  };
  let pattern: GraphRecurrence['pattern'];
  switch (rrule.freq) {
    case 'DAILY':
      if (days.length) pattern = { type: 'weekly', interval: 1, daysOfWeek: days.map((d) => d.day), firstDayOfWeek: 'sunday' };
      else pattern = { type: 'daily', interval };
      break;
    case 'WEEKLY':
      pattern = { type: 'weekly', interval, daysOfWeek: days.length ? days.map((d) => d.day) : [DAY_BY_INDEX[start.dayOfWeek() - 1]], firstDayOfWeek: DAYS[String(rrule.wkst ? ['', 'SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'][rrule.wkst] : 'SU')] ?? 'sunday' };
      break;
    case 'MONTHLY':
      if (monthDays.length > 1) throw refuse('several days of the month');
      if (days.length) pattern = { type: 'relativeMonthly', interval, ...relative() };
      else pattern = { type: 'absoluteMonthly', interval, dayOfMonth: monthDays[0] ?? start.day };
      break;
    case 'YEARLY':
      if (months.length > 1 || monthDays.length > 1) throw refuse('several months or days');
      if (days.length) pattern = { type: 'relativeYearly', interval, month: months[0] ?? start.month, ...relative() };
      else pattern = { type: 'absoluteYearly', interval, month: months[0] ?? start.month, dayOfMonth: monthDays[0] ?? start.day };
      break;
    default:
      throw refuse(`FREQ=${rrule.freq} has no Graph equivalent`);
  }
  const startDate = date(start);
  const range: GraphRecurrence['range'] = rrule.count
    ? { type: 'numbered', startDate, numberOfOccurrences: rrule.count, recurrenceTimeZone: timeZone }
    : rrule.until
      ? { type: 'endDate', startDate, endDate: date(rrule.until), recurrenceTimeZone: timeZone }
      : { type: 'noEnd', startDate, recurrenceTimeZone: timeZone };
  return { pattern, range };
}
