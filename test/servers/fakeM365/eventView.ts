// How Graph shows a stored event or task to a reader: the event's `start`/`end` in the zone the
// request prefers (`Prefer: outlook.timezone="..."`, UTC without one: Graph's default), with
// `originalStartTimeZone`/`originalEndTimeZone` naming the zone it was made in; all-day events stay
// at midnight (they float). The body as HTML unless `Prefer: outlook.body-content-type="text"`.
// Zones: IANA names, Windows names and UTC, as Graph takes them (zones.ts).
import { ianaOf, instantOf } from './zones';

interface ZonedTime {
  dateTime: string;
  timeZone: string;
}

/** The local time of `ms` in `iana`, as Graph writes dateTime (7 fractional digits). */
function localText(ms: number, iana: string): string {
  const p = new Intl.DateTimeFormat('sv-SE', { timeZone: iana, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).format(new Date(ms));
  return `${p.replace(' ', 'T')}.0000000`;
}

/** The time as the reader prefers it; undefined when the wanted zone is unknown (Graph: 400). */
export function inZone(t: ZonedTime, wanted: string, allDay: boolean): ZonedTime | undefined {
  const to = ianaOf(wanted);
  const from = ianaOf(t.timeZone);
  if (!to) return undefined;
  if (allDay || !from) return { dateTime: `${t.dateTime.slice(0, 19)}.0000000`, timeZone: wanted };
  return { dateTime: localText(instantOf(t.dateTime, from), to), timeZone: wanted };
}

/** The zone of `Prefer: outlook.timezone="..."`, else UTC. */
export const preferredZone = (prefer: string | undefined) => /outlook\.timezone="([^"]+)"/i.exec(prefer ?? '')?.[1] ?? 'UTC';
export const prefersText = (prefer: string | undefined) => /outlook\.body-content-type="?text"?/i.test(prefer ?? '');

/** The stored event's fields as the reader sees them, or a message for Graph's 400. */
export function eventView(body: Record<string, unknown>, prefer: string | undefined): Record<string, unknown> | string {
  const start = body.start as ZonedTime;
  const end = body.end as ZonedTime;
  const zone = preferredZone(prefer);
  const allDay = body.isAllDay === true;
  const s = inZone(start, zone, allDay);
  const e = inZone(end, zone, allDay);
  if (!s || !e) return `A valid TimeZone value must be specified. The following TimeZone value is not supported: '${zone}'.`;
  const content = body.body as { contentType?: string; content?: string } | undefined;
  const text = prefersText(prefer);
  const shownBody = !content ? { contentType: text ? 'text' : 'html', content: '' } : text && content.contentType === 'html' ? { contentType: 'text', content: String(content.content ?? '').replace(/<[^>]*>/g, '') } : !text && content.contentType === 'text' ? { contentType: 'html', content: `<html><body>${String(content.content ?? '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/\n/g, '<br>')}</body></html>` } : content;
  return { ...body, body: shownBody, start: s, end: e, originalStartTimeZone: start.timeZone, originalEndTimeZone: end.timeZone };
}
