// A VTIMEZONE for an iCalendar object, built from the platform's zone data: the year's changes of
// offset found in Intl and written as yearly rules (BYMONTH + the n-th or last weekday), so the
// receiver (Exchange, a CalDAV server, ical.js) expands recurring meetings at the right wall-clock
// time across daylight saving. A zone without changes gets one STANDARD block.
import type { Ical, IcalComponent } from '../../icalLoader';
import { offsetMinutesAt, wallClockAt, type WallClock } from './zones';

interface Change {
  /** The instant of the change. */
  at: number;
  from: number;
  to: number;
}

const DAY = 86_400_000;
const WEEKDAYS = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'];

const known = new Map<string, Change[]>();

/** The instants in `year` where the zone's offset changes, to the minute (found once per zone and year: a calendar names few). */
export function offsetChanges(zone: string, year: number): Change[] {
  const key = `${zone} ${year}`;
  let changes = known.get(key);
  if (!changes) known.set(key, (changes = findChanges(zone, year)));
  return changes;
}

function findChanges(zone: string, year: number): Change[] {
  const changes: Change[] = [];
  const end = Date.UTC(year + 1, 0, 1);
  for (let t = Date.UTC(year, 0, 1); t < end; t += DAY) {
    const from = offsetMinutesAt(zone, t);
    const to = offsetMinutesAt(zone, t + DAY);
    if (from === to) continue;
    let lo = t;
    let hi = t + DAY;
    while (hi - lo > 60_000) {
      const mid = lo + Math.floor((hi - lo) / 120_000) * 60_000;
      if (offsetMinutesAt(zone, mid) === from) lo = mid;
      else hi = mid;
    }
    changes.push({ at: hi, from, to });
  }
  return changes;
}


/** Which occurrence of its weekday in the month a day is: 1-4, or -1 for the last. */
function ordinalOf(w: WallClock): number {
  const daysInMonth = new Date(Date.UTC(w.year, w.month, 0)).getUTCDate();
  return w.day + 7 > daysInMonth ? -1 : Math.ceil(w.day / 7);
}

/** The day of the month of the n-th (or last, n = -1) weekday in a month. */
function nthWeekday(year: number, month: number, weekday: number, n: number): number {
  if (n > 0) {
    const first = new Date(Date.UTC(year, month - 1, 1)).getUTCDay();
    return 1 + ((weekday - first + 7) % 7) + (n - 1) * 7;
  }
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const last = new Date(Date.UTC(year, month - 1, daysInMonth)).getUTCDay();
  return daysInMonth - ((last - weekday + 7) % 7);
}

/** The VTIMEZONE named `tzid` for the IANA zone `zone`, with rules as they stand in `year`. */
export function vtimezone(ICAL: Ical, tzid: string, zone: string, year: number): IcalComponent {
  const offsetText = (minutes: number) => ICAL.UtcOffset.fromSeconds(minutes * 60);
  const vtz = new ICAL.Component('vtimezone');
  vtz.addPropertyWithValue('tzid', tzid);
  const changes = offsetChanges(zone, year);
  if (changes.length === 0) {
    const offset = offsetText(offsetMinutesAt(zone, Date.UTC(year, 0, 1)));
    const standard = new ICAL.Component('standard');
    standard.addPropertyWithValue('dtstart', ICAL.Time.fromData({ year: 1970, month: 1, day: 1, hour: 0, minute: 0, second: 0, isDate: false }));
    standard.addPropertyWithValue('tzoffsetfrom', offset);
    standard.addPropertyWithValue('tzoffsetto', offset);
    vtz.addSubcomponent(standard);
    return vtz;
  }
  const larger = Math.max(...changes.map((c) => c.to));
  for (const c of changes) {
    // The local time of the change, on the clock before it (RFC 5545 3.6.5).
    const before = wallClockAt(c.at + c.from * 60_000, 'UTC');
    const n = ordinalOf(before);
    const block = new ICAL.Component(c.to === larger && c.to !== c.from ? 'daylight' : 'standard');
    const onsetWeekday = new Date(Date.UTC(before.year, before.month - 1, before.day)).getUTCDay();
    block.addPropertyWithValue('dtstart', ICAL.Time.fromData({ year: 1970, month: before.month, day: nthWeekday(1970, before.month, onsetWeekday, n), hour: before.hour, minute: before.minute, second: 0, isDate: false }));
    block.addPropertyWithValue('tzoffsetfrom', offsetText(c.from));
    block.addPropertyWithValue('tzoffsetto', offsetText(c.to));
    block.addPropertyWithValue('rrule', ICAL.Recur.fromData({ freq: 'YEARLY', bymonth: [before.month], byday: [`${n}${WEEKDAYS[onsetWeekday]}`] }));
    vtz.addSubcomponent(block);
  }
  return vtz;
}
