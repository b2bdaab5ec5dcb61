// One user's Google Calendar: calendars (the primary one's id is the user's address) and their
// events in Google's Event shape, each with the change number of its last change so events.list
// can answer a syncToken with what changed since. Deleting an event keeps it as `cancelled` (sync
// clients see the deletion); exceptions of a recurring event are events of their own with
// `recurringEventId` and `originalStartTime`, as Google stores them.
import { randomBytes } from 'node:crypto';

export interface EventDateTime {
  date?: string;
  dateTime?: string;
  timeZone?: string;
}

/** An event as Calendar v3 returns it (the members the fake fills or keeps). */
export interface CalendarEvent {
  kind: 'calendar#event';
  etag: string;
  id: string;
  status: 'confirmed' | 'tentative' | 'cancelled';
  htmlLink: string;
  created: string;
  updated: string;
  summary?: string;
  description?: string;
  location?: string;
  creator: { email: string; self?: boolean; displayName?: string };
  organizer: { email: string; self?: boolean; displayName?: string };
  start: EventDateTime;
  end: EventDateTime;
  endTimeUnspecified?: boolean;
  recurrence?: string[];
  recurringEventId?: string;
  originalStartTime?: EventDateTime;
  transparency?: 'opaque' | 'transparent';
  visibility?: 'default' | 'public' | 'private' | 'confidential';
  iCalUID: string;
  sequence: number;
  attendees?: { email: string; displayName?: string; organizer?: boolean; self?: boolean; optional?: boolean; responseStatus: 'needsAction' | 'declined' | 'tentative' | 'accepted'; comment?: string }[];
  reminders: { useDefault: boolean; overrides?: { method: 'email' | 'popup'; minutes: number }[] };
  eventType: 'default';
}

/** What a test gives to make an event: the content; ids, stamps and organizer are filled in. */
export type NewEvent = Partial<Omit<CalendarEvent, 'kind' | 'etag' | 'id' | 'htmlLink' | 'created' | 'updated' | 'creator' | 'organizer' | 'iCalUID' | 'sequence'>> & Pick<CalendarEvent, 'start' | 'end'> & { id?: string; iCalUID?: string; organizer?: CalendarEvent['organizer'] };

export interface StoredCalendar {
  id: string;
  summary: string;
  description?: string;
  timeZone: string;
  primary: boolean;
  accessRole: 'owner' | 'writer' | 'reader' | 'freeBusyReader';
  backgroundColor: string;
  foregroundColor: string;
  defaultReminders: { method: 'email' | 'popup'; minutes: number }[];
  events: Map<string, { event: CalendarEvent; change: number }>;
  /** Sync tokens made before this change number answer 410. */
  syncFloor: number;
}

const stamp = (ms = Date.now()) => new Date(ms).toISOString().replace(/Z$/, 'Z');
/** Calendar event ids: base32hex characters (a-v, 0-9), 5 to 1024 long. */
const eventId = () => [...randomBytes(16)].map((b) => '0123456789abcdefghijklmnopqrstuv'[b % 32]).join('');

export class CalendarStore {
  readonly calendars = new Map<string, StoredCalendar>();
  /** Grows with every change of any calendar of the user (sync tokens and calendarList). */
  change = 1;

  constructor(
    readonly owner: string,
    timeZone = 'UTC',
  ) {
    this.addCalendar({ id: owner, summary: owner, timeZone, primary: true });
  }

  addCalendar(c: { id?: string; summary: string; timeZone?: string; primary?: boolean; description?: string; accessRole?: StoredCalendar['accessRole'] }): StoredCalendar {
    const id = c.id ?? `${randomBytes(16).toString('hex')}@group.calendar.google.com`;
    const cal: StoredCalendar = { id, summary: c.summary, ...(c.description ? { description: c.description } : {}), timeZone: c.timeZone ?? 'UTC', primary: c.primary ?? false, accessRole: c.accessRole ?? 'owner', backgroundColor: '#9fe1e7', foregroundColor: '#000000', defaultReminders: c.primary ? [{ method: 'popup', minutes: 10 }] : [], events: new Map(), syncFloor: 0 };
    this.calendars.set(id, cal);
    return cal;
  }

  /** `primary` or a calendar id. */
  calendar(id: string): StoredCalendar | undefined {
    return this.calendars.get(id === 'primary' ? this.owner : id);
  }

  private save(cal: StoredCalendar, event: CalendarEvent): CalendarEvent {
    const change = ++this.change;
    event.etag = `"${String(Date.now())}${String(change).padStart(6, '0')}"`;
    cal.events.set(event.id, { event, change });
    return event;
  }

  addEvent(calendarId: string, e: NewEvent): CalendarEvent {
    const cal = this.mustCalendar(calendarId);
    const id = e.id ?? eventId();
    const now = stamp();
    const self = { email: this.owner, self: true };
    const organizer = e.organizer ?? self;
    const event: CalendarEvent = {
      kind: 'calendar#event',
      etag: '',
      id,
      status: e.status ?? 'confirmed',
      htmlLink: `https://www.google.com/calendar/event?eid=${Buffer.from(`${id} ${cal.id}`).toString('base64url')}`,
      created: now,
      updated: now,
      ...(e.summary !== undefined ? { summary: e.summary } : {}),
      ...(e.description !== undefined ? { description: e.description } : {}),
      ...(e.location !== undefined ? { location: e.location } : {}),
      creator: self,
      organizer: organizer.email === this.owner ? { ...organizer, self: true } : organizer,
      start: e.start,
      end: e.end,
      ...(e.recurrence ? { recurrence: e.recurrence } : {}),
      ...(e.recurringEventId ? { recurringEventId: e.recurringEventId, originalStartTime: e.originalStartTime ?? e.start } : {}),
      ...(e.transparency ? { transparency: e.transparency } : {}),
      ...(e.visibility ? { visibility: e.visibility } : {}),
      iCalUID: e.iCalUID ?? (e.recurringEventId ? (cal.events.get(e.recurringEventId)?.event.iCalUID ?? `${id}@google.com`) : `${id}@google.com`),
      sequence: 0,
      ...(e.attendees ? { attendees: e.attendees.map((a) => (a.email === this.owner ? { ...a, self: true } : a)) } : {}),
      reminders: e.reminders ?? { useDefault: true },
      eventType: 'default',
    };
    return this.save(cal, event);
  }

  event(calendarId: string, id: string): CalendarEvent | undefined {
    return this.calendar(calendarId)?.events.get(id)?.event;
  }

  /** Changes an event (sequence +1, updated now), as an edit in Calendar does. */
  updateEvent(calendarId: string, id: string, patch: Partial<NewEvent>): CalendarEvent {
    const cal = this.mustCalendar(calendarId);
    const old = cal.events.get(id)?.event;
    if (!old) throw new Error(`fake Google: no event ${id} in ${calendarId}`);
    return this.save(cal, { ...old, ...patch, id, sequence: old.sequence + 1, updated: stamp() } as CalendarEvent);
  }

  /** Deletes an event: it stays as `cancelled` for sync (and its exceptions with it). */
  deleteEvent(calendarId: string, id: string): void {
    const cal = this.mustCalendar(calendarId);
    for (const { event } of [...cal.events.values()]) if (event.id === id || event.recurringEventId === id) this.save(cal, { ...event, status: 'cancelled', updated: stamp() });
  }

  /**
   * Moves an event to another calendar of the user, as events.move does: it keeps its id (the
   * method addresses it by the same eventId in either calendar); the origin's sync lists it as
   * cancelled (gone from that calendar), the target's as a new event.
   */
  moveEvent(fromId: string, id: string, toId: string): CalendarEvent {
    const from = this.mustCalendar(fromId);
    const to = this.mustCalendar(toId);
    const old = from.events.get(id)?.event;
    if (!old || old.status === 'cancelled') throw new Error(`fake Google: no event ${id} in ${fromId}`);
    if (old.recurringEventId) throw new Error('fake Google: an instance moves with its series');
    const updated = stamp();
    for (const { event } of [...from.events.values()]) {
      if (event.id !== id && event.recurringEventId !== id) continue;
      this.save(from, { ...event, status: 'cancelled', updated });
      this.save(to, { ...event, updated });
    }
    return to.events.get(id)!.event;
  }

  /**
   * Changes one occurrence of a recurring event as Calendar does when its user edits "this event"
   * only: an exception of its own, id `<series id>_<original start, UTC basic format>`, with
   * `recurringEventId`, `originalStartTime` and the series' iCalUID; `cancelled`: the occurrence
   * deleted (the exception stays, status cancelled). The series itself is not changed, so a sync
   * lists the exception alone.
   */
  changeOccurrence(calendarId: string, seriesId: string, originalStart: EventDateTime, patch: Partial<NewEvent> | 'cancelled'): CalendarEvent {
    const cal = this.mustCalendar(calendarId);
    const series = cal.events.get(seriesId)?.event;
    if (!series?.recurrence) throw new Error(`fake Google: ${seriesId} is no recurring event`);
    const at = new Date(originalStart.dateTime ?? `${originalStart.date ?? ''}T00:00:00Z`).toISOString().replace(/[-:]|\.\d+/g, '');
    const id = `${seriesId}_${originalStart.dateTime ? at : at.slice(0, 8)}`;
    const old = cal.events.get(id)?.event;
    const length = Date.parse(series.end.dateTime ?? '') - Date.parse(series.start.dateTime ?? '');
    const base: CalendarEvent = old ?? { ...series, id, recurringEventId: seriesId, originalStartTime: originalStart, start: originalStart, end: originalStart.dateTime && length ? { ...originalStart, dateTime: new Date(Date.parse(originalStart.dateTime) + length).toISOString().replace('.000Z', 'Z') } : series.end, created: stamp(), sequence: series.sequence };
    delete base.recurrence;
    const next = patch === 'cancelled' ? { ...base, status: 'cancelled' as const } : { ...base, ...patch };
    return this.save(cal, { ...next, id, recurringEventId: seriesId, originalStartTime: originalStart, iCalUID: series.iCalUID, sequence: base.sequence + 1, updated: stamp() } as CalendarEvent);
  }

  /** Invalidates every sync token given out so far for a calendar (events.list answers 410). */
  expireSyncTokens(calendarId: string): void {
    this.mustCalendar(calendarId).syncFloor = ++this.change;
  }

  private mustCalendar(id: string): StoredCalendar {
    const cal = this.calendar(id);
    if (!cal) throw new Error(`fake Google: no calendar ${id} for ${this.owner}`);
    return cal;
  }
}
