// A Google Calendar event as iCalendar, with its exceptions: the series master (RRULE, RDATE and
// EXDATE lines exactly as Google keeps them in `recurrence`), a cancelled occurrence as an EXDATE,
// a modified occurrence as a VEVENT with the master's UID and a RECURRENCE-ID (its original start),
// times in the event's own zone with a VTIMEZONE (ICalendarWriter, shared with the Microsoft 365
// source), all-day dates, attendees with their answers, the organizer, reminders (the calendar's
// defaults where the event uses them), free/busy and visibility. The Exchange and Microsoft 365
// destinations read it as they read the other sources' events (seriesExceptions.ts).
import type { calendar_v3 } from '@googleapis/calendar';
import { loadIcal, type Ical, type IcalComponent } from '../icalLoader';
import { ICalendarWriter, type GraphTime } from '../m365/pim/icalWriter';
import { ianaZone, wallClockAt, type WallClock } from '../m365/pim/zones';

type GoogleEvent = calendar_v3.Schema$Event;
type GoogleTime = calendar_v3.Schema$EventDateTime;

const two = (n: number) => String(n).padStart(2, '0');
const wallText = (w: WallClock) => `${w.year}-${two(w.month)}-${two(w.day)}T${two(w.hour)}:${two(w.minute)}:${two(w.second)}`;

/** A Google time as a wall clock in its zone (the event's, else the calendar's), or a date. */
export function graphTimeOf(t: GoogleTime | undefined, calendarZone: string): { time: GraphTime; allDay: boolean } | undefined {
  if (!t) return undefined;
  if (t.date) return { time: { dateTime: `${t.date}T00:00:00`, timeZone: 'UTC' }, allDay: true };
  if (!t.dateTime) return undefined;
  const at = Date.parse(t.dateTime);
  if (Number.isNaN(at)) return undefined;
  const zone = ianaZone(t.timeZone ?? calendarZone) ?? 'UTC';
  return { time: { dateTime: wallText(wallClockAt(at, zone)), timeZone: zone }, allDay: false };
}

const PARTSTAT: Record<string, string> = { accepted: 'ACCEPTED', declined: 'DECLINED', tentative: 'TENTATIVE', needsAction: 'NEEDS-ACTION' };

function addDetails(ICAL: Ical, writer: ICalendarWriter, vevent: IcalComponent, e: GoogleEvent, calendarZone: string, defaultReminders: readonly calendar_v3.Schema$EventReminder[]): void {
  writer.addStamp(vevent, 'dtstamp', e.updated ?? new Date().toISOString());
  writer.addStamp(vevent, 'created', e.created ?? undefined);
  writer.addStamp(vevent, 'last-modified', e.updated ?? undefined);
  vevent.addPropertyWithValue('summary', e.summary ?? '');
  if (e.description?.trim()) vevent.addPropertyWithValue('description', e.description);
  if (e.location?.trim()) vevent.addPropertyWithValue('location', e.location);
  const start = graphTimeOf(e.start, calendarZone);
  const end = graphTimeOf(e.end, calendarZone);
  if (start) writer.addTime(vevent, 'dtstart', start.time, start.allDay);
  if (end) writer.addTime(vevent, 'dtend', end.time, end.allDay);
  vevent.addPropertyWithValue('transp', e.transparency === 'transparent' ? 'TRANSPARENT' : 'OPAQUE');
  vevent.addPropertyWithValue('class', e.visibility === 'private' || e.visibility === 'confidential' ? (e.visibility === 'private' ? 'PRIVATE' : 'CONFIDENTIAL') : 'PUBLIC');
  if (e.status === 'tentative') vevent.addPropertyWithValue('status', 'TENTATIVE');
  // An organizer belongs to a meeting (RFC 5545 3.8.4.3): only events with attendees name one.
  const attendees = (e.attendees ?? []).filter((a) => a.email);
  if (attendees.length > 0 && e.organizer?.email) {
    const p = vevent.addPropertyWithValue('organizer', `mailto:${e.organizer.email}`);
    if (e.organizer.displayName) p.setParameter('cn', e.organizer.displayName);
  }
  for (const a of attendees) {
    const p = vevent.addPropertyWithValue('attendee', `mailto:${a.email}`);
    if (a.displayName) p.setParameter('cn', a.displayName);
    p.setParameter('role', a.resource ? 'NON-PARTICIPANT' : a.optional ? 'OPT-PARTICIPANT' : 'REQ-PARTICIPANT');
    if (a.resource) p.setParameter('cutype', 'RESOURCE');
    p.setParameter('partstat', PARTSTAT[a.responseStatus ?? ''] ?? 'NEEDS-ACTION');
  }
  const reminders = e.reminders?.useDefault ? defaultReminders : (e.reminders?.overrides ?? []);
  for (const r of reminders) {
    if (r.minutes === undefined || r.minutes === null) continue;
    const alarm = new ICAL.Component('valarm');
    alarm.addPropertyWithValue('action', 'DISPLAY');
    alarm.addPropertyWithValue('description', 'Reminder');
    alarm.addPropertyWithValue('trigger', ICAL.Duration.fromSeconds(-60 * r.minutes));
    vevent.addSubcomponent(alarm);
  }
}

/** The original start of an occurrence as the master's zone names it (RECURRENCE-ID, EXDATE). */
function addOriginalStart(writer: ICalendarWriter, component: IcalComponent, name: string, original: GoogleTime | undefined, calendarZone: string, masterZone: string | undefined): void {
  const t = graphTimeOf(original ? { ...original, ...(original.dateTime ? { timeZone: original.timeZone ?? masterZone ?? calendarZone } : {}) } : undefined, calendarZone);
  if (t) writer.addTime(component, name, t.time, t.allDay);
}

export interface CalendarContext {
  /** The calendar's zone (calendarList timeZone): times without their own zone are read in it. */
  timeZone: string;
  defaultReminders: readonly calendar_v3.Schema$EventReminder[];
}

/** The series (or single event) and its exceptions as one iCalendar object. */
export async function iCalendarFromGoogleEvent(master: GoogleEvent, exceptions: readonly GoogleEvent[], calendar: CalendarContext): Promise<Buffer> {
  const ICAL = await loadIcal();
  const writer = new ICalendarWriter(ICAL);
  const uid = master.iCalUID ?? master.id ?? '';
  const vevent = new ICAL.Component('vevent');
  vevent.addPropertyWithValue('uid', uid);
  addDetails(ICAL, writer, vevent, master, calendar.timeZone, calendar.defaultReminders);
  for (const line of master.recurrence ?? []) vevent.addProperty(ICAL.Property.fromString(line.trim()));
  const masterZone = master.start?.timeZone ?? undefined;
  const overrides: IcalComponent[] = [];
  for (const x of exceptions) {
    if (x.status === 'cancelled') {
      addOriginalStart(writer, vevent, 'exdate', x.originalStartTime, calendar.timeZone, masterZone);
      continue;
    }
    const o = new ICAL.Component('vevent');
    o.addPropertyWithValue('uid', uid);
    addOriginalStart(writer, o, 'recurrence-id', x.originalStartTime, calendar.timeZone, masterZone);
    addDetails(ICAL, writer, o, x, calendar.timeZone, calendar.defaultReminders);
    overrides.push(o);
  }
  return writer.finish(vevent, ...overrides);
}
