// A Graph event as an iCalendar VEVENT (what Exchange's CreateItem takes as an appointment's
// MimeContent, and what eventJson reads back): subject, text body, times in their own zone with a
// VTIMEZONE, all-day dates, location, free/busy, sensitivity, importance, reminder, categories, the
// series rule, the organizer and the attendees with their answers. Writers never send invitations
// for what they create from it (Ferry's Exchange and Microsoft 365 destinations do not).
import { loadIcal } from './ical';
import { ICalendarWriter, type GraphTime } from './icalWriter';
import type { GraphRecurrence } from './recurrenceJson';
import { addRecurrenceRule } from './recurrenceRule';

interface Address {
  emailAddress?: { name?: string; address?: string };
}

/** The event as Graph returns it (read in its own zone, the body as text). */
export interface ReadEvent {
  id: string;
  iCalUId?: string;
  subject?: string | null;
  body?: { contentType?: string; content?: string } | null;
  start: GraphTime;
  end: GraphTime;
  isAllDay?: boolean;
  location?: { displayName?: string } | null;
  showAs?: string;
  sensitivity?: string;
  importance?: string;
  isReminderOn?: boolean;
  reminderMinutesBeforeStart?: number;
  categories?: string[];
  recurrence?: GraphRecurrence | null;
  organizer?: Address | null;
  attendees?: (Address & { type?: string; status?: { response?: string } })[];
  isCancelled?: boolean;
  createdDateTime?: string;
  lastModifiedDateTime?: string;
}

const BUSY: Record<string, string> = { free: 'FREE', tentative: 'TENTATIVE', busy: 'BUSY', oof: 'OOF', workingElsewhere: 'WORKINGELSEWHERE' };
const CLASS: Record<string, string> = { normal: 'PUBLIC', personal: 'PRIVATE', private: 'PRIVATE', confidential: 'CONFIDENTIAL' };
const PRIORITY: Record<string, number> = { high: 1, normal: 5, low: 9 };
const PARTSTAT: Record<string, string> = { accepted: 'ACCEPTED', declined: 'DECLINED', tentativelyAccepted: 'TENTATIVE', organizer: 'ACCEPTED' };
const ROLE: Record<string, string> = { required: 'REQ-PARTICIPANT', optional: 'OPT-PARTICIPANT', resource: 'NON-PARTICIPANT' };

export async function iCalendarFromEvent(e: ReadEvent): Promise<Buffer> {
  const ICAL = await loadIcal();
  const writer = new ICalendarWriter(ICAL);
  const event = new ICAL.Component('vevent');
  event.addPropertyWithValue('uid', e.iCalUId || e.id);
  writer.addStamp(event, 'dtstamp', e.lastModifiedDateTime ?? new Date().toISOString());
  writer.addStamp(event, 'created', e.createdDateTime);
  event.addPropertyWithValue('summary', e.subject ?? '');
  const body = e.body?.content?.trim();
  if (body) event.addPropertyWithValue('description', body);
  const allDay = e.isAllDay === true;
  writer.addTime(event, 'dtstart', e.start, allDay);
  writer.addTime(event, 'dtend', e.end, allDay);
  if (e.recurrence) addRecurrenceRule(ICAL, event, e.recurrence, e.start.timeZone, allDay);
  if (e.location?.displayName) event.addPropertyWithValue('location', e.location.displayName);
  const busy = BUSY[e.showAs ?? 'busy'] ?? 'BUSY';
  event.addPropertyWithValue('transp', busy === 'FREE' ? 'TRANSPARENT' : 'OPAQUE');
  event.addPropertyWithValue('x-microsoft-cdo-busystatus', busy);
  event.addPropertyWithValue('class', CLASS[e.sensitivity ?? 'normal'] ?? 'PUBLIC');
  event.addPropertyWithValue('priority', PRIORITY[e.importance ?? 'normal'] ?? 5);
  if (e.isCancelled) event.addPropertyWithValue('status', 'CANCELLED');
  if (e.categories?.length) {
    const p = new ICAL.Property('categories');
    p.setValues(e.categories);
    event.addProperty(p);
  }
  // An organizer belongs to a meeting (RFC 5545 3.8.4.3): Graph names the owner of every event.
  const organizer = e.attendees?.some((a) => a.emailAddress?.address) ? e.organizer?.emailAddress : undefined;
  if (organizer?.address) {
    const p = event.addPropertyWithValue('organizer', `mailto:${organizer.address}`);
    if (organizer.name) p.setParameter('cn', organizer.name);
  }
  for (const a of e.attendees ?? []) {
    if (!a.emailAddress?.address) continue;
    const p = event.addPropertyWithValue('attendee', `mailto:${a.emailAddress.address}`);
    if (a.emailAddress.name) p.setParameter('cn', a.emailAddress.name);
    p.setParameter('role', ROLE[a.type ?? 'required'] ?? 'REQ-PARTICIPANT');
    if (a.type === 'resource') p.setParameter('cutype', 'RESOURCE');
    p.setParameter('partstat', PARTSTAT[a.status?.response ?? ''] ?? 'NEEDS-ACTION');
  }
  if (e.isReminderOn && e.reminderMinutesBeforeStart !== undefined) {
    const alarm = new ICAL.Component('valarm');
    alarm.addPropertyWithValue('action', 'DISPLAY');
    alarm.addPropertyWithValue('description', 'Reminder');
    alarm.addPropertyWithValue('trigger', ICAL.Duration.fromSeconds(-60 * e.reminderMinutesBeforeStart));
    event.addSubcomponent(alarm);
  }
  return writer.finish(event);
}
