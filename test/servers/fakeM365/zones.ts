// Time zones as Graph reads an event's dateTimeTimeZone: UTC, IANA names, and Windows names
// ("W. Europe Standard Time") through the CLDR table ews-javascript-api ships (a third-party
// table, not Ferry's code). Wall-clock times convert to UTC instants and back through Intl.
import { TimeZoneMappingData } from 'ews-javascript-api/js/tzmapping.js';

const IANA = new Set(Intl.supportedValuesOf('timeZone'));
const WINDOWS = TimeZoneMappingData as unknown as Record<string, unknown>;

/** The IANA zone for a zone name Graph accepts, or undefined (Graph's 400 for an unknown zone). */
export function ianaOf(zone: string): string | undefined {
  if (zone === 'UTC' || IANA.has(zone)) return zone;
  const entry = WINDOWS[zone];
  return Array.isArray(entry) && Array.isArray(entry[0]) && typeof entry[0][0] === 'string' ? entry[0][0] : undefined;
}

const formats = new Map<string, Intl.DateTimeFormat>();
/** Minutes east of UTC in `zone` at the instant `ms`. */
function offsetMinutes(zone: string, ms: number): number {
  let f = formats.get(zone);
  if (!f) formats.set(zone, (f = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' })));
  const name = f.formatToParts(new Date(ms)).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
}

/** The UTC instant (ms) of a wall-clock `YYYY-MM-DDTHH:MM:SS` in an IANA zone. */
export function instantOf(wall: string, zone: string): number {
  const asUtc = Date.parse(`${wall.slice(0, 19)}Z`);
  const guess = asUtc - offsetMinutes(zone, asUtc) * 60_000;
  return asUtc - offsetMinutes(zone, guess) * 60_000;
}

/** A Graph dateTimeTimeZone as a UTC instant (ms); undefined for a zone Graph would not know. */
export function instantOfGraph(t: { dateTime: string; timeZone: string }): number | undefined {
  const zone = ianaOf(t.timeZone);
  return zone === undefined ? undefined : instantOf(t.dateTime, zone);
}

/** Graph's UTC dateTime text for an instant, as it lists events without a Prefer header. */
export const graphUtc = (ms: number) => ({ dateTime: new Date(ms).toISOString().replace(/\.\d{3}Z$/, '.0000000'), timeZone: 'UTC' });
