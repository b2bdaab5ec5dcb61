// The Calendar API v3 methods the fake serves (https://developers.google.com/calendar/api/v3/reference):
// calendarList.list, events.list (paging, showDeleted, singleEvents expanding recurrences with
// their exceptions, timeMin/timeMax, updatedMin, syncToken with 410 GONE "fullSyncRequired" when
// it is no longer valid) and events.get, over the calendars of the domain's users.
import { json } from '../fakeM365/http';
import { instantOf } from '../fakeM365/zones';
import { loadIcal } from '../../../src/connectors/icalLoader';
import { fail, num, pageToken, readPageToken, str, type ApiContext, type Handler } from './apiContext';
import { CalendarStore, type CalendarEvent, type EventDateTime, type StoredCalendar } from './calendarStore';
import type { Domain } from './domain';

/** Instances a recurring event expands to at most without timeMax (Google does not say; README). */
const MAX_INSTANCES = 730;
const RESTRICTED_WITH_SYNC = ['iCalUID', 'orderBy', 'privateExtendedProperty', 'q', 'sharedExtendedProperty', 'timeMin', 'timeMax', 'updatedMin'];

export class CalendarService {
  readonly stores = new Map<string, CalendarStore>();

  constructor(private readonly domain: Domain) {}

  store(email: string): CalendarStore {
    const user = this.domain.user(email);
    if (!user) throw new Error(`fake Google: no user ${email}`);
    let s = this.stores.get(user.primaryEmail);
    if (!s) this.stores.set(user.primaryEmail, (s = new CalendarStore(user.primaryEmail)));
    return s;
  }

  private target(ctx: ApiContext): CalendarStore {
    if (!ctx.grant.subject) return fail(404, 'notFound', 'Not Found', { noStatus: true });
    return this.store(ctx.grant.subject);
  }

  private calendar(ctx: ApiContext): { store: CalendarStore; cal: StoredCalendar } {
    const store = this.target(ctx);
    const cal = store.calendar(str(ctx.params.calendarId) ?? '');
    if (!cal) return fail(404, 'notFound', 'Not Found', { noStatus: true });
    return { store, cal };
  }

  readonly handlers: Record<string, Handler> = {
    'calendar.calendarList.list': (ctx) => {
      const store = this.target(ctx);
      const all = [...store.calendars.values()];
      const size = Math.min(num(ctx.params.maxResults) ?? 100, 250) || 100;
      const scope = 'calendarList';
      const from = readPageToken<number>(str(ctx.params.pageToken), scope, () => fail(400, 'invalid', 'Invalid Value', { noStatus: true })) ?? 0;
      const page = all.slice(from, from + size);
      const more = from + size < all.length;
      return json(200, {
        kind: 'calendar#calendarList',
        etag: `"p${String(store.change)}"`,
        items: page.map((c) => ({ kind: 'calendar#calendarListEntry', etag: `"${String(store.change)}"`, id: c.id, summary: c.summary, ...(c.description ? { description: c.description } : {}), timeZone: c.timeZone, colorId: '14', backgroundColor: c.backgroundColor, foregroundColor: c.foregroundColor, selected: true, accessRole: c.accessRole, defaultReminders: c.defaultReminders, ...(c.primary ? { primary: true } : {}) })),
        ...(more ? { nextPageToken: pageToken(from + size, scope) } : { nextSyncToken: Buffer.from(JSON.stringify({ list: store.change })).toString('base64url') }),
      });
    },

    'calendar.events.get': (ctx) => {
      const { cal } = this.calendar(ctx);
      const event = cal.events.get(str(ctx.params.eventId) ?? '')?.event;
      if (!event) return fail(404, 'notFound', 'Not Found', { noStatus: true });
      return json(200, event);
    },

    'calendar.events.list': async (ctx) => {
      const { store, cal } = this.calendar(ctx);
      const p = ctx.params;
      const syncText = str(p.syncToken);
      let since: number | undefined;
      if (syncText !== undefined) {
        if (RESTRICTED_WITH_SYNC.some((name) => p[name] !== undefined)) return fail(400, 'invalid', 'Invalid Value', { noStatus: true });
        const token = readSync(syncText);
        if (!token || token.calendar !== cal.id || token.change < cal.syncFloor) return fail(410, 'fullSyncRequired', 'Sync token is no longer valid, a full sync is required.', { noStatus: true });
        since = token.change;
      }
      if (p.orderBy === 'startTime' && p.singleEvents !== true) return fail(400, 'invalid', 'Invalid Value', { noStatus: true });
      const timeMin = str(p.timeMin) ? Date.parse(String(p.timeMin)) : undefined;
      const timeMax = str(p.timeMax) ? Date.parse(String(p.timeMax)) : undefined;
      const updatedMin = str(p.updatedMin) ? Date.parse(String(p.updatedMin)) : undefined;
      if ([timeMin, timeMax, updatedMin].some((t) => t !== undefined && Number.isNaN(t))) return fail(400, 'invalid', 'Bad Request', { noStatus: true });
      const showDeleted = p.showDeleted === true || since !== undefined;
      const stored = [...cal.events.values()].filter((e) => since === undefined || e.change > since).map((e) => e.event);
      let items: CalendarEvent[];
      if (p.singleEvents === true) items = await expandAll(stored, cal, timeMin, timeMax);
      else items = stored;
      items = items.filter((e) => {
        if (e.status === 'cancelled') {
          // Cancelled instances of a series still show when neither showDeleted nor singleEvents is set.
          if (!(showDeleted || (p.singleEvents !== true && e.recurringEventId))) return false;
        }
        if (updatedMin !== undefined && Date.parse(e.updated) < updatedMin) return false;
        if (str(p.iCalUID) && e.iCalUID !== p.iCalUID) return false;
        if (p.singleEvents !== true && (timeMin !== undefined || timeMax !== undefined) && !e.recurrence && !overlaps(e, cal, timeMin, timeMax)) return false;
        return true;
      });
      if (p.orderBy === 'startTime') items.sort((a, b) => startMs(a, cal) - startMs(b, cal));
      else if (p.orderBy === 'updated') items.sort((a, b) => a.updated.localeCompare(b.updated));
      const size = Math.min(num(p.maxResults) ?? 250, 2500) || 250;
      const scope = JSON.stringify([cal.id, syncText ?? '', p.singleEvents ?? false, p.showDeleted ?? false, p.timeMin ?? '', p.timeMax ?? '']);
      const from = readPageToken<number>(str(p.pageToken), scope, () => fail(400, 'invalid', 'Invalid Value', { noStatus: true })) ?? 0;
      const page = items.slice(from, from + size);
      const more = from + size < items.length;
      return json(200, {
        kind: 'calendar#events',
        etag: `"p${String(store.change)}"`,
        summary: cal.summary,
        ...(cal.description ? { description: cal.description } : {}),
        updated: new Date().toISOString(),
        timeZone: cal.timeZone,
        accessRole: cal.accessRole,
        defaultReminders: cal.defaultReminders,
        ...(more ? { nextPageToken: pageToken(from + size, scope) } : { nextSyncToken: Buffer.from(JSON.stringify({ calendar: cal.id, change: store.change })).toString('base64url') }),
        items: page,
      });
    },
  };
}

function readSync(text: string): { calendar: string; change: number } | undefined {
  try {
    const v = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as { calendar?: unknown; change?: unknown };
    return typeof v.calendar === 'string' && typeof v.change === 'number' ? { calendar: v.calendar, change: v.change } : undefined;
  } catch {
    return undefined;
  }
}

/** An EventDateTime as a UTC instant (ms); all-day dates at midnight in the calendar's zone. */
function instant(t: EventDateTime, zone: string): number {
  if (t.dateTime) return /[zZ]|[+-]\d\d:\d\d$/.test(t.dateTime) ? Date.parse(t.dateTime) : instantOf(t.dateTime, t.timeZone ?? zone);
  return instantOf(`${t.date ?? '1970-01-01'}T00:00:00`, zone);
}

const startMs = (e: CalendarEvent, cal: StoredCalendar) => instant(e.start, cal.timeZone);

function overlaps(e: CalendarEvent, cal: StoredCalendar, timeMin?: number, timeMax?: number): boolean {
  const start = instant(e.start, cal.timeZone);
  const end = instant(e.end, cal.timeZone);
  return (timeMin === undefined || end > timeMin) && (timeMax === undefined || start < timeMax);
}

const pad = (n: number) => String(n).padStart(2, '0');
/** The wall-clock text (`YYYY-MM-DDTHH:MM:SS`) of an instant in a zone. */
function wallOf(ms: number, zone: string): string {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}`;
}

/** The wall-clock start of an EXDATE/RDATE value (`20260310T090000`, `...Z`, `20260310`). */
function wallOfIcal(value: string, zone: string): string | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z)?)?$/.exec(value.trim());
  if (!m) return undefined;
  if (!m[4]) return `${m[1]}-${m[2]}-${m[3]}T00:00:00`;
  const wall = `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}`;
  return m[7] ? wallOf(Date.parse(`${wall}Z`), zone) : wall;
}

/** The instances of the events: recurring ones expanded (RRULE, RDATE, EXDATE) with their exceptions in place. */
async function expandAll(events: CalendarEvent[], cal: StoredCalendar, timeMin?: number, timeMax?: number): Promise<CalendarEvent[]> {
  const ICAL = await loadIcal();
  const exceptions = new Map<string, CalendarEvent>();
  for (const e of events) if (e.recurringEventId && e.originalStartTime) exceptions.set(`${e.recurringEventId}|${instant(e.originalStartTime, cal.timeZone)}`, e);
  const out: CalendarEvent[] = [];
  for (const e of events) {
    if (e.recurringEventId) continue;
    if (!e.recurrence) {
      if (overlaps(e, cal, timeMin, timeMax)) out.push(e);
      continue;
    }
    if (e.status === 'cancelled') continue;
    const allDay = !e.start.dateTime;
    const zone = e.start.timeZone ?? cal.timeZone;
    const startWall = allDay ? `${e.start.date ?? ''}T00:00:00` : /[zZ]|[+-]\d\d:\d\d$/.test(e.start.dateTime ?? '') ? wallOf(Date.parse(e.start.dateTime ?? ''), zone) : (e.start.dateTime ?? '').slice(0, 19);
    const duration = instant(e.end, cal.timeZone) - instant(e.start, cal.timeZone);
    const excluded = new Set<string>();
    const extra: string[] = [];
    let rule: string | undefined;
    for (const line of e.recurrence) {
      const [name, value = ''] = line.split(/:(.*)/s);
      const key = name.split(';')[0].toUpperCase();
      if (key === 'RRULE') rule = value;
      for (const v of value.split(',')) {
        const wall = key === 'EXDATE' || key === 'RDATE' ? wallOfIcal(v, zone) : undefined;
        if (wall && key === 'EXDATE') excluded.add(wall);
        if (wall && key === 'RDATE') extra.push(wall);
      }
    }
    const walls: string[] = [];
    if (rule) {
      const [date, time] = startWall.split('T');
      const [y, mo, d] = date.split('-').map(Number);
      const [h, mi, s] = time.split(':').map(Number);
      const it = ICAL.Recur.fromString(rule).iterator(ICAL.Time.fromData({ year: y, month: mo, day: d, hour: h, minute: mi, second: s, isDate: allDay }));
      for (let next = it.next(); next && walls.length < MAX_INSTANCES; next = it.next()) {
        const wall = `${next.year}-${pad(next.month)}-${pad(next.day)}T${pad(next.hour)}:${pad(next.minute)}:${pad(next.second)}`;
        if (timeMax !== undefined && (allDay ? instantOf(wall, cal.timeZone) : instantOf(wall, zone)) >= timeMax) break;
        walls.push(wall);
      }
    } else walls.push(startWall);
    for (const wall of [...new Set([...walls, ...extra])].sort()) {
      if (excluded.has(wall)) continue;
      const startAt = instantOf(wall, allDay ? cal.timeZone : zone);
      const exception = exceptions.get(`${e.id}|${startAt}`);
      const original: EventDateTime = allDay ? { date: wall.slice(0, 10) } : { dateTime: `${wall}${offsetText(startAt, zone)}`, timeZone: zone };
      const suffix = allDay ? wall.slice(0, 10).replace(/-/g, '') : new Date(startAt).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
      const instanceEvent: CalendarEvent = exception ?? {
        ...e,
        id: `${e.id}_${suffix}`,
        start: original,
        end: allDay ? { date: wallOf(startAt + duration, cal.timeZone).slice(0, 10) } : { dateTime: `${wallOf(startAt + duration, zone)}${offsetText(startAt + duration, zone)}`, timeZone: zone },
        recurringEventId: e.id,
        originalStartTime: original,
      };
      if (!exception) delete instanceEvent.recurrence;
      if (overlaps(instanceEvent, cal, timeMin, timeMax)) out.push(instanceEvent);
    }
  }
  return out;
}

function offsetText(ms: number, zone: string): string {
  const wall = wallOf(ms, zone);
  const minutes = Math.round((Date.parse(`${wall}Z`) - Math.floor(ms / 1000) * 1000) / 60_000);
  if (minutes === 0) return 'Z';
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}
