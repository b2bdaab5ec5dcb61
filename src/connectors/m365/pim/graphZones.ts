// The UTC instant of a Graph dateTimeTimeZone: what Graph reports as an occurrence's originalStart.
// Graph takes IANA names and Windows names ("W. Europe Standard Time"); both are read through
// zones.ts (Windows names by CLDR's table in windows-iana, offsets by Intl).
import type { GraphDateTime } from './ical';
import { ianaZone, instantOf, parseWallClock } from './zones';

/** `YYYY-MM-DDTHH:MM:SSZ` for a wall-clock time in a zone; undefined when the zone or time is unknown. */
export function utcOf(time: GraphDateTime): string | undefined {
  const zone = ianaZone(time.timeZone);
  const wall = parseWallClock(time.dateTime);
  if (!zone || !wall) return undefined;
  return new Date(instantOf(wall, zone)).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
