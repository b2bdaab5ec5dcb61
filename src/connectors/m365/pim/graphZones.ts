// The UTC instant of a Graph dateTimeTimeZone: what Graph reports as an occurrence's originalStart.
// Graph takes IANA names and Windows names ("W. Europe Standard Time"); Windows names are read
// through the CLDR mapping ews-javascript-api ships (a dependency already), IANA names through Intl.
import type { GraphDateTime } from './ical';

type ZoneMapping = Record<string, string | (string | number | boolean | string[])[]>;
let windowsZones: ZoneMapping | undefined;

async function mapping(): Promise<ZoneMapping> {
  windowsZones ??= (await import('ews-javascript-api/js/tzmapping.js')).TimeZoneMappingData as unknown as ZoneMapping;
  return windowsZones;
}

const ianaZones = new Set(typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : []);

/** The IANA zone Graph means by a zone name, or undefined for a name it would not know. */
export async function ianaZoneOf(name: string): Promise<string | undefined> {
  if (name === 'UTC' || ianaZones.has(name)) return name;
  const entry = (await mapping())[name];
  // Windows names map to [[IANA names], display name, standard name, daylight name, ...].
  return Array.isArray(entry) && Array.isArray(entry[0]) ? entry[0][0] : undefined;
}

/** The zone's offset from UTC (ms) at the instant `utcMs`. */
function offsetAt(zone: string, utcMs: number): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' }).formatToParts(new Date(utcMs));
  const n = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second')) - Math.floor(utcMs / 1000) * 1000;
}

/** `YYYY-MM-DDTHH:MM:SSZ` for a wall-clock time in a zone; undefined when the zone is unknown. */
export async function utcOf(time: GraphDateTime): Promise<string | undefined> {
  const zone = await ianaZoneOf(time.timeZone);
  if (!zone) return undefined;
  const wall = Date.parse(`${time.dateTime.slice(0, 19)}Z`);
  if (Number.isNaN(wall)) return undefined;
  // The offset at the wall time read as UTC, then at the instant that gives (right across a change).
  const first = wall - offsetAt(zone, wall);
  const instant = wall - offsetAt(zone, first);
  return new Date(instant).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
