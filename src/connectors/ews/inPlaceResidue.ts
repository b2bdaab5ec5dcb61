// What an in-place update on Exchange does not carry (issue 13): the residue of a contact's vCard or
// an appointment's iCalendar once the properties ewsInPlace sets field by field are taken out
// (a second address of a kind, attendees and their answers, the organizer, web page,
// birthday, more than one alarm, X- properties, ...). A replace writes the whole vCard/iCalendar as
// MimeContent, so it carries all of them; an in-place update must not drop one silently. Ferry keeps
// a hash of the residue on the item it writes (a named property beside its watermark); an update
// whose source residue hashes differently (or a copy without that property, written before it
// existed) is replaced instead of updated in place. Attendees are deliberately not set in place:
// EWS cannot set an attendee's answer (ResponseType) and attendee changes touch meeting tracking,
// while the iCalendar carries both. Lines that only stamp a revision (DTSTAMP, LAST-MODIFIED,
// SEQUENCE, REV, PRODID, VERSION) are left out, or every change would look like a residue change.
// Tasks have none: Exchange makes them from properties, and the update sets all of those.
import { createHash } from 'node:crypto';
import type { IcalComponent } from '../m365/pim/ical';
import { componentOf } from '../m365/pim/ical';
import { contactFromVCard } from '../m365/pim/contactJson';
import type { ItemContent } from '../types';

const STAMPS = new Set(['dtstamp', 'last-modified', 'sequence', 'rev', 'prodid', 'version']);
/** Properties an in-place update sets whole (ewsInPlace.fieldsOf). */
const CARRIED = { vcard: new Set(['fn', 'title', 'note', 'categories']), vevent: new Set(['summary', 'description', 'dtstart', 'dtend', 'location', 'categories', 'x-microsoft-cdo-alldayevent', 'transp', 'x-microsoft-cdo-busystatus', 'class', 'priority']) };
/** Structured vCard properties whose first two components are carried (N: surname, given name; ORG: company, department). */
const PARTLY = new Set(['n', 'org']);

type Prop = ReturnType<IcalComponent['getAllProperties']>[number];

/** `phones`: the numbers set in place (each consumed once); the first three e-mail addresses are. */
function contactLines(card: IcalComponent, phones: string[]): string[] {
  const left = [...phones];
  let emails = 0;
  // The first non-empty address of each kind is set in place (PhysicalAddresses Business, Home, Other), as contactFromVCard places them.
  const slots = new Set<string>();
  return card.getAllProperties().flatMap((p: Prop): string[] => {
    const name = p.name.toLowerCase();
    if (STAMPS.has(name) || CARRIED.vcard.has(name)) return [];
    if (name === 'email' && String(p.getFirstValue() ?? '').includes('@') && emails++ < 3) return [];
    if (name === 'tel') {
      const at = left.indexOf(String(p.getFirstValue() ?? '').replace(/^tel:/i, '').trim());
      if (at >= 0) return void left.splice(at, 1), [];
    }
    if (name === 'adr') {
      const v = p.getFirstValue();
      const types = [p.getParameter('type')].flat().flatMap((t) => String(t ?? '').toLowerCase().split(','));
      const slot = types.includes('work') ? 'work' : types.includes('home') ? 'home' : 'other';
      if ((Array.isArray(v) ? v : [v]).flat().some((x) => String(x ?? '').trim()) && !slots.has(slot)) return void slots.add(slot), [];
    }
    if (PARTLY.has(name)) {
      const v = p.getFirstValue();
      const parts = (Array.isArray(v) ? v : [v]).slice(2);
      return parts.some((x) => String(x ?? '').trim()) ? [`${name}:${JSON.stringify(parts)}`] : [];
    }
    return [p.toICALString()];
  });
}

/** The event's reminder is set in place when it is one alarm before the start (a relative trigger): ReminderMinutesBeforeStart. */
function carriedAlarm(c: IcalComponent, siblings: IcalComponent[]): boolean {
  const trigger = c.getFirstProperty('trigger');
  return c.name === 'valarm' && siblings.filter((s) => s.name === 'valarm').length === 1 && !!trigger && String(trigger.getParameter('value') ?? 'duration').toLowerCase() === 'duration' && String(trigger.getParameter('related') ?? 'start').toLowerCase() === 'start';
}

function eventLines(component: IcalComponent, prefix = ''): string[] {
  const own = component.getAllProperties().filter((p: Prop) => !STAMPS.has(p.name.toLowerCase()) && !(prefix === '' && CARRIED.vevent.has(p.name.toLowerCase()))).map((p: Prop) => prefix + p.toICALString());
  const subs = component.getAllSubcomponents();
  return [...own, ...subs.filter((c) => !(prefix === '' && carriedAlarm(c, subs))).flatMap((c) => eventLines(c, `${prefix}${c.name}/`))];
}

/** The hash of what an in-place update of `content` would not carry, or undefined for content that has none (tasks, opaque items). */
export async function residueOf(content: ItemContent, itemType: string): Promise<string | undefined> {
  let lines: string[];
  if (itemType === 'contacts' && content.format === 'vcard') {
    const c = await contactFromVCard(content.data);
    const phones = [c.businessPhones[0], c.businessPhones[1], c.homePhones[0], c.homePhones[1], c.mobilePhone].filter((n): n is string => n !== undefined);
    lines = contactLines((await componentOf(content.data, 'vcard', 'vCard')).component, phones);
  }
  else if (itemType === 'calendar' && content.format === 'icalendar') lines = eventLines((await componentOf(content.data, 'vevent', 'iCalendar event')).component);
  else return undefined;
  return createHash('sha256').update(lines.sort().join('\n')).digest('hex');
}
