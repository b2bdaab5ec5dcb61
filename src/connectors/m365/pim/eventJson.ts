// A VEVENT (iCalendar, as Exchange's MimeContent, Google and CalDAV servers write it) as a Graph
// event. Graph sends an invitation to every attendee of an event it creates, and this cannot be
// turned off: a migration must never mail a company's contacts about meetings long past, so the
// event is created without attendees and they are listed at the end of its body (who was invited,
// and how each answered), with the organizer.
import { componentOf, graphTime, importanceOf, pimError, reminderMinutes, text, texts, timeProperty, withTimezones, type GraphDateTime, type Ical, type IcalComponent } from './ical';
import { recurrenceOf, type GraphRecurrence } from './recurrenceJson';

export interface GraphEvent {
  subject: string;
  body: { contentType: 'text'; content: string };
  start: GraphDateTime;
  end: GraphDateTime;
  isAllDay: boolean;
  location?: { displayName: string };
  showAs: 'free' | 'tentative' | 'busy' | 'oof' | 'workingElsewhere';
  sensitivity: 'normal' | 'personal' | 'private' | 'confidential';
  importance: 'low' | 'normal' | 'high';
  isReminderOn: boolean;
  reminderMinutesBeforeStart?: number;
  categories: string[];
  responseRequested: false;
  recurrence?: GraphRecurrence;
}

/** What the event looked like to its attendees, kept in the body since they cannot be invited again. */
function attendeeNote(event: IcalComponent): string | undefined {
  const who = (p: ReturnType<IcalComponent['getAllProperties']>[number]) => {
    const address = String(p.getFirstValue() ?? '').replace(/^mailto:/i, '');
    const name = p.getParameter('cn');
    return name ? `${String(name)} <${address}>` : address;
  };
  const organizer = event.getFirstProperty('organizer');
  const attendees = event.getAllProperties('attendee').map((p) => {
    const status = String(p.getParameter('partstat') ?? '').toLowerCase().replace('needs-action', 'no answer');
    return `${who(p)}${status ? ` (${status})` : ''}`;
  });
  if (!organizer && attendees.length === 0) return undefined;
  return ['---', 'Migrated by Ferry: attendees were not invited again.', ...(organizer ? [`Organizer: ${who(organizer)}`] : []), ...(attendees.length ? [`Attendees: ${attendees.join('; ')}`] : [])].join('\n');
}

function showAs(event: IcalComponent): GraphEvent['showAs'] {
  const busy = String(event.getFirstPropertyValue('x-microsoft-cdo-busystatus') ?? '').toUpperCase();
  if (busy === 'FREE') return 'free';
  if (busy === 'TENTATIVE') return 'tentative';
  if (busy === 'OOF') return 'oof';
  if (busy === 'WORKINGELSEWHERE') return 'workingElsewhere';
  if (busy === 'BUSY') return 'busy';
  return String(event.getFirstPropertyValue('transp') ?? '').toUpperCase() === 'TRANSPARENT' ? 'free' : 'busy';
}

function sensitivity(event: IcalComponent): GraphEvent['sensitivity'] {
  const c = String(event.getFirstPropertyValue('class') ?? '').toUpperCase();
  return c === 'PRIVATE' ? 'private' : c === 'CONFIDENTIAL' ? 'confidential' : 'normal';
}

/** A VEVENT as a Graph event; the caller registers the calendar's VTIMEZONEs (withTimezones). */
export function eventOf(ICAL: Ical, event: IcalComponent): GraphEvent {
  const start = timeProperty(event, 'dtstart');
  if (!start) throw pimError('GRAPH-PIM-INVALID', ['iCalendar event', 'no DTSTART']);
  let end = timeProperty(event, 'dtend');
  if (!end) {
    // DURATION, else the length RFC 5545 gives an event without one (a day for a date, zero for a time).
    const duration = event.getFirstPropertyValue('duration');
    const t = start.time.clone();
    if (duration instanceof ICAL.Duration) t.addDuration(duration);
    else if (start.time.isDate) t.day += 1;
    end = { time: t, ...(start.tzid ? { tzid: start.tzid } : {}) };
  }
  const startJson = graphTime(ICAL, start.time, start.tzid);
  const minutes = reminderMinutes(ICAL, event);
  const recurrence = recurrenceOf(ICAL, event, start.time, startJson.timeZone);
  const description = text(event, 'description') ?? '';
  const location = text(event, 'location');
  return {
    subject: text(event, 'summary') ?? '',
    body: { contentType: 'text', content: [description, attendeeNote(event)].filter((p) => p).join('\n') },
    start: startJson,
    end: graphTime(ICAL, end.time, end.tzid),
    isAllDay: start.time.isDate,
    ...(location ? { location: { displayName: location } } : {}),
    showAs: showAs(event),
    sensitivity: sensitivity(event),
    importance: importanceOf(event),
    isReminderOn: minutes !== undefined,
    ...(minutes !== undefined ? { reminderMinutesBeforeStart: minutes } : {}),
    categories: texts(event, 'categories'),
    responseRequested: false,
    ...(recurrence ? { recurrence } : {}),
  };
}

/** The event (a series' master when the calendar object holds modified occurrences too). */
export async function eventFromICalendar(data: Buffer): Promise<GraphEvent> {
  const { ICAL, root: calendar, component: event } = await componentOf(data, 'vevent', 'iCalendar event');
  return withTimezones(ICAL, calendar, () => eventOf(ICAL, event));
}
