// Time zones as Graph names them (IANA names, Windows names such as "W. Europe Standard Time", or
// UTC) in terms of the platform's IANA data (Intl): the offset at an instant, the instant of a
// wall-clock time, and the wall-clock time of an instant. Windows names are mapped to IANA ones by
// windows-iana (Unicode CLDR's windowsZones table).
import { findIana } from 'windows-iana';

const ianaZones = new Set(Intl.supportedValuesOf('timeZone'));

/** The IANA zone for a Graph zone name, 'UTC' for UTC, undefined when the name is unknown. */
export function ianaZone(graphZone: string): string | undefined {
  if (/^(utc|gmt|z|etc\/utc|coordinated universal time)$/i.test(graphZone.trim())) return 'UTC';
  if (ianaZones.has(graphZone)) return graphZone;
  return findIana(graphZone)?.find((z) => ianaZones.has(z));
}

export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formatters.set(zone, f);
  }
  return f;
}

/** The wall-clock time in `zone` at the instant `ms`. */
export function wallClockAt(ms: number, zone: string): WallClock {
  const parts = Object.fromEntries(formatter(zone).formatToParts(new Date(ms)).map((p) => [p.type, Number(p.value)]));
  return { year: parts.year, month: parts.month, day: parts.day, hour: parts.hour, minute: parts.minute, second: parts.second };
}

const asUtc = (w: WallClock) => Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);

/** Minutes `zone` is ahead of UTC at the instant `ms` (whole seconds of the instant). */
export function offsetMinutesAt(zone: string, ms: number): number {
  const whole = Math.floor(ms / 1000) * 1000;
  return Math.round((asUtc(wallClockAt(whole, zone)) - whole) / 60_000);
}

/** 'YYYY-MM-DDTHH:MM:SS[.fraction]' as a wall clock. */
export function parseWallClock(text: string): WallClock | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})/.exec(text);
  return m ? { year: +m[1], month: +m[2], day: +m[3], hour: +m[4], minute: +m[5], second: +m[6] } : undefined;
}

/**
 * The instant of a wall-clock time in `zone`. A time skipped by a spring-forward change is read
 * with the offset before the change (as Exchange and ical.js do); a repeated one takes the first.
 */
export function instantOf(wall: WallClock, zone: string): number {
  const naive = asUtc(wall);
  const before = offsetMinutesAt(zone, naive - 86_400_000);
  const after = offsetMinutesAt(zone, naive + 86_400_000);
  for (const offset of before === after ? [before] : [before, after]) {
    const ms = naive - offset * 60_000;
    if (offsetMinutesAt(zone, ms) === offset) return ms;
  }
  return naive - before * 60_000;
}

/** `YYYY-MM-DDTHH:MM:SSZ` for a Graph wall-clock time in a zone; undefined when the zone or time is unknown. */
export function utcOf(time: { dateTime: string; timeZone: string }): string | undefined {
  const zone = ianaZone(time.timeZone);
  const wall = parseWallClock(time.dateTime);
  if (!zone || !wall) return undefined;
  return new Date(instantOf(wall, zone)).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
