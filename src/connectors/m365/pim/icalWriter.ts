// Builds an iCalendar object from Graph's dateTimeTimeZone values: a time in UTC is written as UTC
// ("Z"), one in a named zone (Windows or IANA, as Graph names it) keeps its wall-clock time with a
// TZID, and the object carries a VTIMEZONE for every zone it names (RFC 5545 3.2.19), so the
// receiver places the time, and the occurrences of a series, where the source had them.
import type { Ical, IcalComponent, IcalTime } from './ical';
import { vtimezone } from './vtimezone';
import { ianaZone, instantOf, parseWallClock, wallClockAt, type WallClock } from './zones';

export interface GraphTime {
  dateTime: string;
  timeZone: string;
}

const timeOf = (ICAL: Ical, w: WallClock, isDate = false, utc = false) =>
  ICAL.Time.fromData({ year: w.year, month: w.month, day: w.day, hour: isDate ? 0 : w.hour, minute: isDate ? 0 : w.minute, second: isDate ? 0 : w.second, isDate }, utc ? ICAL.Timezone.utcTimezone : undefined);

export class ICalendarWriter {
  readonly calendar: IcalComponent;
  /** TZID -> IANA zone and the year its VTIMEZONE describes. */
  private readonly zones = new Map<string, { iana: string; year: number }>();

  constructor(private readonly ICAL: Ical) {
    this.calendar = new ICAL.Component('vcalendar');
    this.calendar.addPropertyWithValue('prodid', '-//Ferry//Ferry mailbox migration//EN');
    this.calendar.addPropertyWithValue('version', '2.0');
  }

  /** The instant of a Graph time (UTC when its zone is unknown). */
  instant(t: GraphTime): number | undefined {
    const w = parseWallClock(t.dateTime);
    if (!w) return undefined;
    return instantOf(w, ianaZone(t.timeZone) ?? 'UTC');
  }

  /** The time as an ical.js Time in UTC. */
  utcTime(t: GraphTime): IcalTime | undefined {
    const at = this.instant(t);
    return at === undefined ? undefined : timeOf(this.ICAL, wallClockAt(at, 'UTC'), false, true);
  }

  /** Adds `name` (DTSTAMP, CREATED) from one of Graph's UTC stamps ('...Z'); nothing when absent. */
  addStamp(component: IcalComponent, name: string, stamp: string | undefined): void {
    const time = stamp ? this.utcTime({ dateTime: stamp.replace(/Z$/, ''), timeZone: 'UTC' }) : undefined;
    if (time) component.addPropertyWithValue(name, time);
  }

  /**
   * Adds `name` (DTSTART, DTEND, DUE...) to the component: a date when `asDate`, UTC when the time
   * is in UTC or its zone is unknown, else the wall-clock time with its TZID. Returns the time.
   */
  addTime(component: IcalComponent, name: string, t: GraphTime, asDate = false): IcalTime | undefined {
    const w = parseWallClock(t.dateTime);
    if (!w) return undefined;
    if (asDate) {
      const time = timeOf(this.ICAL, w, true);
      component.addPropertyWithValue(name, time);
      return time;
    }
    const iana = ianaZone(t.timeZone);
    if (!iana || iana === 'UTC') {
      const time = this.utcTime(t)!;
      component.addPropertyWithValue(name, time);
      return time;
    }
    const time = timeOf(this.ICAL, w);
    component.addPropertyWithValue(name, time).setParameter('tzid', t.timeZone);
    if (!this.zones.has(t.timeZone)) this.zones.set(t.timeZone, { iana, year: w.year });
    return time;
  }

  /** The object as CRLF text, VTIMEZONEs first. */
  finish(...components: IcalComponent[]): Buffer {
    for (const [tzid, { iana, year }] of this.zones) this.calendar.addSubcomponent(vtimezone(this.ICAL, tzid, iana, year));
    for (const c of components) this.calendar.addSubcomponent(c);
    return Buffer.from(this.calendar.toString().replace(/\r?\n/g, '\r\n') + '\r\n', 'utf8');
  }
}
