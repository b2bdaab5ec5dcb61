// The exceptions of a recurring event as iCalendar holds them: EXDATE values and VEVENTs with
// STATUS:CANCELLED (cancelled occurrences), and VEVENTs with the master's UID and a RECURRENCE-ID
// (modified occurrences: another time, subject, place, text...). Graph cannot create them with the
// series; they are applied to its occurrences afterwards (seriesWriter.ts), each occurrence found
// by its original start.
import { eventOf, type GraphEvent } from './eventJson';
import { utcOf } from './zones';
import { componentOf, graphTime, pimError, text, withTimezones, type GraphDateTime, type Ical, type IcalComponent, type IcalTime } from './ical';

export interface SeriesException {
  /**
   * Which occurrence: its original start as a UTC instant (`2026-09-14T07:00:00Z`), or its date
   * (`2026-12-24`) in an all-day series.
   */
  originalStart: string;
  /** The occurrence as it became; absent: cancelled. */
  event?: GraphEvent;
}

export interface SeriesWithExceptions {
  event: GraphEvent;
  exceptions: SeriesException[];
}

/** An original start (RECURRENCE-ID or EXDATE value) as Graph's wall clock and zone, read like the master's DTSTART. */
function originalTime(ICAL: Ical, prop: ReturnType<IcalComponent['getAllProperties']>[number], time: IcalTime): GraphDateTime {
  const tzid = prop.getParameter('tzid');
  return graphTime(ICAL, time, typeof tzid === 'string' ? tzid : undefined);
}

/** The key an occurrence is matched by (see SeriesException.originalStart). */
function keyOf(time: GraphDateTime, allDay: boolean): string {
  if (allDay) return time.dateTime.slice(0, 10);
  const utc = utcOf(time);
  if (!utc) throw pimError('GRAPH-PIM-INVALID', ['iCalendar event', `the time zone '${time.timeZone}' of an exception's original start is unknown`]);
  return utc;
}

/**
 * The master event and its exceptions. A cancellation wins over a modification of the same
 * occurrence; the location of a modified occurrence without one is cleared (it replaces the
 * occurrence whole, RFC 5545 3.8.4.4).
 */
export async function seriesFromICalendar(data: Buffer): Promise<SeriesWithExceptions> {
  const { ICAL, root: calendar, component: master } = await componentOf(data, 'vevent', 'iCalendar event');
  const uid = text(master, 'uid');
  const overrides = calendar.name === 'vcalendar' ? calendar.getAllSubcomponents('vevent').filter((c) => c !== master && c.hasProperty('recurrence-id') && text(c, 'uid') === uid) : [];
  const read = withTimezones(ICAL, calendar, () => {
    const event = eventOf(ICAL, master);
    const cancelled: GraphDateTime[] = [];
    for (const prop of master.getAllProperties('exdate')) for (const value of prop.getValues()) cancelled.push(originalTime(ICAL, prop, value as IcalTime));
    const modified: { at: GraphDateTime; event?: GraphEvent }[] = overrides.map((override) => {
      const prop = override.getFirstProperty('recurrence-id')!;
      const range = prop.getParameter('range');
      if (typeof range === 'string' && range.toUpperCase() === 'THISANDFUTURE') throw pimError('GRAPH-RECURRENCE', [`RECURRENCE-ID;RANGE=${range}`, 'Graph changes one occurrence at a time, not the rest of a series']);
      const at = originalTime(ICAL, prop, prop.getFirstValue() as IcalTime);
      if (String(override.getFirstPropertyValue('status') ?? '').toUpperCase() === 'CANCELLED') return { at };
      const changed = eventOf(ICAL, override);
      return { at, event: { ...changed, location: changed.location ?? { displayName: '' } } };
    });
    return { event, cancelled, modified };
  });
  if (read.cancelled.length + read.modified.length === 0) return { event: read.event, exceptions: [] };
  if (!read.event.recurrence) throw pimError('GRAPH-RECURRENCE', ['RECURRENCE-ID or EXDATE', 'the event has exceptions but no RRULE to apply them to']);
  const allDay = read.event.isAllDay;
  const byStart = new Map<string, SeriesException>();
  const cancel = (originalStart: string) => byStart.set(originalStart, { originalStart });
  for (const m of read.modified) {
    const originalStart = keyOf(m.at, allDay);
    if (!m.event) cancel(originalStart);
    else if (byStart.get(originalStart)?.event !== undefined || !byStart.has(originalStart)) byStart.set(originalStart, { originalStart, event: m.event });
  }
  for (const at of read.cancelled) cancel(keyOf(at, allDay));
  return { event: read.event, exceptions: [...byStart.values()].sort((a, b) => a.originalStart.localeCompare(b.originalStart)) };
}
