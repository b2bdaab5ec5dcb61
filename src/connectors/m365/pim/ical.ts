// ical.js (Mozilla's iCalendar and vCard parser), loaded on first use, and the pieces of an
// iCalendar date that Graph's dateTimeTimeZone needs. Exchange names its zones in Windows terms
// ("W. Europe Standard Time"), others in IANA terms ("Europe/Berlin"): Graph takes both, so a
// wall-clock time keeps its zone (a weekly meeting stays at 09:00 across daylight saving); any
// other zone is converted to UTC through the VTIMEZONE the calendar carries.
import type { ConnectorError } from '../../types';
import { graphError } from '../graphErrors';

import { loadIcal, type Ical, type IcalComponent, type IcalTime } from '../../icalLoader';

export { loadIcal, type Ical, type IcalComponent, type IcalTime } from '../../icalLoader';

/** An item-level error for content Graph cannot take as it is (the item is recorded, the pass goes on). */
export function pimError(code: 'GRAPH-PIM-INVALID' | 'GRAPH-RECURRENCE', args: [what: string, why: string]): ConnectorError {
  return graphError(code, args, 'item');
}

/**
 * Parses vCard or iCalendar text and takes its `name` component (the text's root itself, or the
 * first one inside it), with the root (which holds the VTIMEZONEs); throws GRAPH-PIM-INVALID.
 * A recurring event's calendar object also holds its modified occurrences (VEVENTs with a
 * RECURRENCE-ID, in any order): the event taken is the series master, the one without.
 */
export async function componentOf(data: Buffer, name: 'vcard' | 'vevent' | 'vtodo', what: string): Promise<{ ICAL: Ical; root: IcalComponent; component: IcalComponent }> {
  const ICAL = await loadIcal();
  let root: IcalComponent;
  try {
    root = new ICAL.Component(ICAL.parse(data.toString('utf8')) as unknown as unknown[]);
  } catch (err) {
    throw pimError('GRAPH-PIM-INVALID', [what, (err as Error).message]);
  }
  const component = root.name === name ? root : (root.getAllSubcomponents(name).find((c) => !c.hasProperty('recurrence-id')) ?? root.getFirstSubcomponent(name));
  if (!component) throw pimError('GRAPH-PIM-INVALID', [what, `no BEGIN:${name.toUpperCase()}`]);
  return { ICAL, root, component };
}

/** PRIORITY 1-4 is high, 6-9 low, anything else normal (RFC 5545 3.8.1.9, as Outlook reads it). */
export function importanceOf(component: IcalComponent): 'low' | 'normal' | 'high' {
  const p = Number(component.getFirstPropertyValue('priority') ?? 0);
  return p >= 1 && p <= 4 ? 'high' : p >= 6 && p <= 9 ? 'low' : 'normal';
}

/** Minutes before the start of the first relative VALARM trigger, if any. */
export function reminderMinutes(ICAL: Ical, component: IcalComponent): number | undefined {
  for (const alarm of component.getAllSubcomponents('valarm')) {
    const trigger = alarm.getFirstPropertyValue('trigger');
    if (trigger instanceof ICAL.Duration) return Math.max(0, Math.round(-trigger.toSeconds() / 60));
  }
  return undefined;
}

export interface GraphDateTime {
  dateTime: string;
  timeZone: string;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');
const wall = (t: IcalTime) => `${pad(t.year, 4)}-${pad(t.month)}-${pad(t.day)}T${pad(t.hour)}:${pad(t.minute)}:${pad(t.second)}`;
const ianaZones = new Set(typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : []);
/** Zone names Graph understands as they are: IANA names and Windows names. */
export const graphKnowsZone = (tzid: string) => ianaZones.has(tzid) || /^[A-Za-z][A-Za-z .()+\-&]* (Standard|Daylight) Time$/.test(tzid) || tzid === 'UTC';

/**
 * Registers the calendar's VTIMEZONEs for the duration of `fn` (ical.js keeps a global registry),
 * so that times with a TZID convert to UTC.
 */
export function withTimezones<T>(ICAL: Ical, calendar: IcalComponent, fn: () => T): T {
  const names: string[] = [];
  for (const vtz of calendar.getAllSubcomponents('vtimezone')) {
    const tzid = String(vtz.getFirstPropertyValue('tzid') ?? '');
    if (!tzid || ICAL.TimezoneService.has(tzid)) continue;
    ICAL.TimezoneService.register(vtz);
    names.push(tzid);
  }
  try {
    return fn();
  } finally {
    for (const n of names) ICAL.TimezoneService.remove(n);
  }
}

/** A DTSTART/DTEND/DUE as Graph wants it; all-day dates become midnight. */
export function graphTime(ICAL: Ical, time: IcalTime, tzid: string | undefined): GraphDateTime {
  if (time.isDate) return { dateTime: `${pad(time.year, 4)}-${pad(time.month)}-${pad(time.day)}T00:00:00`, timeZone: 'UTC' };
  if (time.zone === ICAL.Timezone.utcTimezone) return { dateTime: wall(time), timeZone: 'UTC' };
  if (tzid && graphKnowsZone(tzid)) return { dateTime: wall(time), timeZone: tzid };
  if (tzid && ICAL.TimezoneService.has(tzid)) return { dateTime: wall(time.convertToZone(ICAL.Timezone.utcTimezone)), timeZone: 'UTC' };
  // A floating time (no zone at all) is read as it is written.
  return { dateTime: wall(time), timeZone: 'UTC' };
}

/** The property's time and its TZID parameter, or undefined when the component has none. */
export function timeProperty(component: IcalComponent, name: string): { time: IcalTime; tzid?: string } | undefined {
  const prop = component.getFirstProperty(name);
  if (!prop) return undefined;
  const time = prop.getFirstValue() as IcalTime | null;
  if (!time || typeof time !== 'object' || !('isDate' in time)) return undefined;
  const tzid = prop.getParameter('tzid');
  return { time, ...(typeof tzid === 'string' ? { tzid } : {}) };
}

/** Text values of every property of a name (categories, email, ...). */
export function texts(component: IcalComponent, name: string): string[] {
  return component
    .getAllProperties(name)
    .flatMap((p) => p.getValues())
    .map((v) => String(v).trim())
    .filter((v) => v.length > 0);
}

export function text(component: IcalComponent, name: string): string | undefined {
  const v = component.getFirstPropertyValue(name);
  const s = v === null || v === undefined ? '' : String(v).trim();
  return s.length ? s : undefined;
}
