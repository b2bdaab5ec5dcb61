// Contacts and calendar items as the fake keeps them: their vCard / iCalendar text is the item (what
// GetItem's MimeContent, ExportItems and SyncFolderItems serve), and the properties Exchange serves
// and updates for them (contacts:DisplayName, contacts:PhoneNumber, calendar:Start, ...) are read
// from that text and written into it, so both views of an item always agree. A calendar item's
// properties are its master VEVENT's (the one without RECURRENCE-ID).
import { ianaZone, instantOf, parseWallClock } from '../../../src/connectors/m365/pim/zones';

interface Line { name: string; params: string[]; value: string }

function parseLine(raw: string): Line {
  let i = 0;
  for (let quoted = false; i < raw.length; i++) {
    if (raw[i] === '"') quoted = !quoted;
    else if (raw[i] === ':' && !quoted) break;
  }
  const [name, ...params] = raw.slice(0, i).split(';');
  return { name: name.toUpperCase(), params, value: raw.slice(i + 1) };
}
const formatLine = (l: Line) => `${[l.name, ...l.params].join(';')}:${l.value}`;
const unescapeText = (v: string) => v.replace(/\\n/gi, '\n').replace(/\\([,;\\])/g, '$1');
const escapeText = (v: string) => v.replace(/\\/g, '\\\\').replace(/([,;])/g, '\\$1').replace(/\n/g, '\\n');
/** Structured values (N, ORG) split on unescaped ';'. */
const components = (v: string) => v.split(/(?<!\\);/);
const types = (l: Line) => l.params.join(';').toUpperCase().split(/[;,=]/);

/** Contact fields kept on one line (text), on one component of a structured line, or on the n-th line of a type. */
const CONTACT_TEXT: Record<string, string> = { 'contacts:DisplayName': 'FN', 'contacts:JobTitle': 'TITLE', 'item:Body': 'NOTE' };
const CONTACT_PART: Record<string, [string, number]> = { 'contacts:Surname': ['N', 0], 'contacts:GivenName': ['N', 1], 'contacts:CompanyName': ['ORG', 0], 'contacts:Department': ['ORG', 1] };
const CONTACT_TYPED: Record<string, [string, string | undefined, number, string]> = {
  BusinessPhone: ['TEL', 'WORK', 0, 'TEL;TYPE=WORK,VOICE'], BusinessPhone2: ['TEL', 'WORK', 1, 'TEL;TYPE=WORK,VOICE'],
  HomePhone: ['TEL', 'HOME', 0, 'TEL;TYPE=HOME,VOICE'], HomePhone2: ['TEL', 'HOME', 1, 'TEL;TYPE=HOME,VOICE'], MobilePhone: ['TEL', 'CELL', 0, 'TEL;TYPE=CELL'],
  EmailAddress1: ['EMAIL', undefined, 0, 'EMAIL;TYPE=INTERNET'], EmailAddress2: ['EMAIL', undefined, 1, 'EMAIL;TYPE=INTERNET'], EmailAddress3: ['EMAIL', undefined, 2, 'EMAIL;TYPE=INTERNET'],
};
const EVENT_TEXT: Record<string, string> = { 'item:Subject': 'SUMMARY', 'item:Body': 'DESCRIPTION', 'calendar:Location': 'LOCATION' };

/** The FieldURIs (and indexes) the fake reads and writes on contacts and calendar items. */
export const CONTACT_INDEXES = { 'contacts:PhoneNumber': ['BusinessPhone', 'BusinessPhone2', 'HomePhone', 'HomePhone2', 'MobilePhone'], 'contacts:EmailAddress': ['EmailAddress1', 'EmailAddress2', 'EmailAddress3'] } as const;
/** A contact's postal addresses: PhysicalAddressKeyType -> the ADR lines of that TYPE (Other: neither WORK nor HOME); parts -> ADR components. */
export const ADDRESS_KEYS = ['Business', 'Home', 'Other'] as const;
export const ADDRESS_PARTS = ['Street', 'City', 'State', 'CountryOrRegion', 'PostalCode'] as const;
const ADR_COMPONENT: Record<string, number> = { Street: 2, City: 3, State: 4, PostalCode: 5, CountryOrRegion: 6 };
const ADR_TYPE: Record<string, string | undefined> = { Business: 'WORK', Home: 'HOME', Other: undefined };
export const isContactField = (uri: string) => uri in CONTACT_TEXT || uri in CONTACT_PART || uri in CONTACT_INDEXES || uri.startsWith('contacts:PhysicalAddress:');
export const isEventField = (uri: string) => uri in EVENT_TEXT || ['calendar:Start', 'calendar:End', 'calendar:IsAllDayEvent', 'calendar:LegacyFreeBusyStatus', 'item:ReminderIsSet', 'item:ReminderMinutesBeforeStart', 'item:Sensitivity', 'item:Importance'].includes(uri);
/** CLASS as Exchange's Sensitivity and back (Exchange writes Personal as PRIVATE too). */
const SENSITIVITY: Record<string, string> = { PUBLIC: 'Normal', PRIVATE: 'Private', CONFIDENTIAL: 'Confidential' };

/** X-MICROSOFT-CDO-BUSYSTATUS as Exchange's LegacyFreeBusyType (what Exchange writes in an appointment's iCalendar). */
const FREE_BUSY: Record<string, string> = { FREE: 'Free', TENTATIVE: 'Tentative', BUSY: 'Busy', OOF: 'OOF', WORKINGELSEWHERE: 'WorkingElsewhere' };
/** A VALARM TRIGGER before the start (-PT30M, -P1D, -PT1H30M) in minutes. */
function triggerMinutes(v: string): number | undefined {
  const m = /^-P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/i.exec(v.trim());
  return m ? ((+(m[1] ?? 0) * 7 + +(m[2] ?? 0)) * 24 + +(m[3] ?? 0)) * 60 + +(m[4] ?? 0) + Math.round(+(m[5] ?? 0) / 60) : undefined;
}

const basic = (ms: number) => new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');

/** An iCalendar DATE or DATE-TIME line as an instant (TZID through the zone, floating as UTC). */
function instantOfLine(l: Line): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z?))?$/.exec(l.value.trim());
  if (!m) return undefined;
  const [, y, mo, d, h = '00', mi = '00', s = '00', z] = m;
  const tzid = l.params.find((p) => p.toUpperCase().startsWith('TZID='))?.slice(5).replace(/^"|"$/g, '');
  const wall = parseWallClock(`${y}-${mo}-${d}T${h}:${mi}:${s}`);
  if (!wall) return undefined;
  return !z && tzid ? instantOf(wall, ianaZone(tzid) ?? 'UTC') : Date.UTC(+y, +mo - 1, +d, +h, +mi, +s);
}

export class PimText {
  private readonly lines: string[];
  private readonly start: number;
  private end: number;

  constructor(mime: Buffer, private readonly kind: 'contact' | 'event') {
    this.lines = mime.toString('utf8').replace(/\r?\n[ \t]/g, '').split(/\r?\n/).filter((l) => l !== '');
    const begin = kind === 'contact' ? 'BEGIN:VCARD' : 'BEGIN:VEVENT';
    const close = kind === 'contact' ? 'END:VCARD' : 'END:VEVENT';
    let at = -1;
    for (let i = 0; i < this.lines.length; i++) {
      if (this.lines[i].toUpperCase() !== begin) continue;
      const stop = this.lines.findIndex((l, j) => j > i && l.toUpperCase() === close);
      if (kind === 'contact' || !this.lines.slice(i, stop).some((l) => /^RECURRENCE-ID[;:]/i.test(l))) {
        at = i;
        break;
      }
    }
    this.start = at;
    this.end = at < 0 ? -1 : this.lines.findIndex((l, j) => j > at && l.toUpperCase() === close);
  }

  get found(): boolean {
    return this.start >= 0 && this.end > this.start;
  }

  toBuffer(): Buffer {
    return Buffer.from(this.lines.join('\r\n') + '\r\n', 'utf8');
  }

  /** Indexes of the component's lines named `name`, in order. */
  private named(name: string, type?: string): number[] {
    const out: number[] = [];
    // The component's own lines: not those of a component inside it (a VALARM's DESCRIPTION is not the event's).
    for (let i = this.start + 1, depth = 0; i < this.end; i++) {
      const l = parseLine(this.lines[i]);
      if (l.name === 'BEGIN') depth++;
      else if (l.name === 'END') depth--;
      else if (depth === 0 && l.name === name && (type === undefined || (types(l).includes(type) && !types(l).includes('FAX')))) out.push(i);
    }
    return out;
  }

  /** The line ranges [BEGIN:VALARM, END:VALARM] inside the event. */
  private alarms(): [number, number][] {
    const out: [number, number][] = [];
    for (let i = this.start + 1; i < this.end; i++) {
      if (this.lines[i].toUpperCase() !== 'BEGIN:VALARM') continue;
      const stop = this.lines.findIndex((l, j) => j > i && l.toUpperCase() === 'END:VALARM');
      out.push([i, stop]);
      i = stop;
    }
    return out;
  }

  private reminderMinutes(): number | undefined {
    for (const [from, to] of this.alarms()) {
      const t = this.lines.slice(from, to).map(parseLine).find((l) => l.name === 'TRIGGER');
      const minutes = t ? triggerMinutes(t.value) : undefined;
      if (minutes !== undefined) return minutes;
    }
    return undefined;
  }

  private insert(line: string): void {
    this.lines.splice(this.end, 0, line);
    this.end++;
  }

  private remove(i: number): void {
    this.lines.splice(i, 1);
    this.end--;
  }

  private textOf(name: string): string | undefined {
    const i = this.named(name)[0];
    return i === undefined ? undefined : unescapeText(parseLine(this.lines[i]).value);
  }

  private setText(name: string, value: string | undefined): void {
    const i = this.named(name)[0];
    if (value === undefined) {
      if (i !== undefined) this.remove(i);
    } else if (i === undefined) this.insert(`${name}:${escapeText(value)}`);
    else this.lines[i] = formatLine({ ...parseLine(this.lines[i]), value: escapeText(value) });
  }

  /** The first ADR line of a PhysicalAddressKeyType. */
  private address(key: string): number | undefined {
    const type = ADR_TYPE[key];
    if (type) return this.named('ADR', type)[0];
    return this.named('ADR').find((i) => !types(parseLine(this.lines[i])).some((t) => t === 'WORK' || t === 'HOME'));
  }

  /** A property's value: a string, undefined when the item has none. */
  get(uri: string, index?: string): string | undefined {
    if (this.kind === 'contact') {
      if (uri.startsWith('contacts:PhysicalAddress:')) {
        const i = this.address(index ?? '');
        if (i === undefined) return undefined;
        const parts = components(parseLine(this.lines[i]).value).map(unescapeText);
        const part = uri.slice('contacts:PhysicalAddress:'.length);
        // Street: the post office box, extended address and street lines, as Outlook shows them.
        const v = part === 'Street' ? parts.slice(0, 3).filter((s) => s).join('\n') : parts[ADR_COMPONENT[part]];
        return v ? v : undefined;
      }
      if (CONTACT_TEXT[uri]) return this.textOf(CONTACT_TEXT[uri]);
      if (CONTACT_PART[uri]) {
        const [name, n] = CONTACT_PART[uri];
        const i = this.named(name)[0];
        const part = i === undefined ? undefined : components(parseLine(this.lines[i]).value)[n];
        return part ? unescapeText(part) : undefined;
      }
      const typed = index ? CONTACT_TYPED[index] : undefined;
      if (!typed) return undefined;
      const i = this.named(typed[0], typed[1])[typed[2]];
      return i === undefined ? undefined : parseLine(this.lines[i]).value.replace(/^mailto:/i, '');
    }
    if (EVENT_TEXT[uri]) return this.textOf(EVENT_TEXT[uri]);
    if (uri === 'item:ReminderIsSet') return String(this.alarms().length > 0);
    if (uri === 'item:ReminderMinutesBeforeStart') {
      const minutes = this.reminderMinutes();
      return minutes === undefined ? undefined : String(minutes);
    }
    if (uri === 'item:Sensitivity') return SENSITIVITY[(this.textOf('CLASS') ?? 'PUBLIC').toUpperCase()] ?? 'Normal';
    if (uri === 'item:Importance') {
      // PRIORITY 1-4 high, 6-9 low (RFC 5545 3.8.1.9, as Outlook reads it).
      const p = Number(this.textOf('PRIORITY') ?? 0);
      return p >= 1 && p <= 4 ? 'High' : p >= 6 && p <= 9 ? 'Low' : 'Normal';
    }
    if (uri === 'calendar:LegacyFreeBusyStatus') {
      const busy = FREE_BUSY[(this.textOf('X-MICROSOFT-CDO-BUSYSTATUS') ?? '').toUpperCase()];
      return busy ?? ((this.textOf('TRANSP') ?? '').toUpperCase() === 'TRANSPARENT' ? 'Free' : 'Busy');
    }
    const start = this.named('DTSTART')[0];
    if (uri === 'calendar:IsAllDayEvent') return String(start !== undefined && parseLine(this.lines[start]).params.some((p) => p.toUpperCase() === 'VALUE=DATE'));
    if (uri === 'calendar:CalendarItemType') return this.named('RRULE').length || this.named('RDATE').length ? 'RecurringMaster' : 'Single';
    const line = uri === 'calendar:Start' ? start : uri === 'calendar:End' ? (this.named('DTEND')[0] ?? start) : undefined;
    const ms = line === undefined ? undefined : instantOfLine(parseLine(this.lines[line]));
    return ms === undefined ? undefined : new Date(ms).toISOString().replace(/\.000Z$/, 'Z');
  }

  /** Sets a property (undefined deletes it), as Exchange's SetItemField / DeleteItemField. */
  set(uri: string, index: string | undefined, value: string | undefined): void {
    if (this.kind === 'contact') {
      if (uri.startsWith('contacts:PhysicalAddress:')) {
        let i = this.address(index ?? '');
        if (i === undefined) {
          if (value === undefined) return;
          const type = ADR_TYPE[index ?? ''];
          this.insert(`ADR${type ? `;TYPE=${type}` : ''}:;;;;;;`);
          i = this.end - 1;
        }
        const l = parseLine(this.lines[i]);
        const parts = components(l.value);
        while (parts.length < 7) parts.push('');
        const part = uri.slice('contacts:PhysicalAddress:'.length);
        if (part === 'Street') parts.splice(0, 3, '', '', value === undefined ? '' : escapeText(value));
        else parts[ADR_COMPONENT[part]] = value === undefined ? '' : escapeText(value);
        if (parts.every((x) => x === '')) this.remove(i);
        else this.lines[i] = formatLine({ ...l, value: parts.join(';') });
        return;
      }
      if (CONTACT_TEXT[uri]) return this.setText(CONTACT_TEXT[uri], value);
      if (CONTACT_PART[uri]) {
        const [name, n] = CONTACT_PART[uri];
        let i = this.named(name)[0];
        if (i === undefined) {
          if (value === undefined) return;
          this.insert(`${name}:${name === 'N' ? ';;;;' : ';'}`);
          i = this.end - 1;
        }
        const l = parseLine(this.lines[i]);
        const parts = components(l.value);
        while (parts.length <= n) parts.push('');
        parts[n] = value === undefined ? '' : escapeText(value);
        this.lines[i] = formatLine({ ...l, value: parts.join(';') });
        return;
      }
      const [name, type, n, fresh] = CONTACT_TYPED[index ?? '']!;
      const i = this.named(name, type)[n];
      if (value === undefined) {
        if (i !== undefined) this.remove(i);
      } else if (i === undefined) this.insert(`${fresh}:${value}`);
      else this.lines[i] = formatLine({ ...parseLine(this.lines[i]), value });
      return;
    }
    if (EVENT_TEXT[uri]) return this.setText(EVENT_TEXT[uri], value);
    if (uri === 'item:ReminderIsSet' && value !== undefined) {
      const on = value.toLowerCase() === 'true';
      if (!on) for (const [from, to] of this.alarms().reverse()) for (let i = to; i >= from; i--) this.remove(i);
      // Exchange's default reminder: 15 minutes before the start.
      else if (!this.alarms().length) for (const l of ['BEGIN:VALARM', 'ACTION:DISPLAY', 'DESCRIPTION:Reminder', 'TRIGGER:-PT15M', 'END:VALARM']) this.insert(l);
      return;
    }
    if (uri === 'item:ReminderMinutesBeforeStart' && value !== undefined) {
      // Kept with the alarm: without one (ReminderIsSet false) the iCalendar has nowhere to hold it.
      for (const [from, to] of this.alarms()) {
        const i = this.lines.slice(from, to).findIndex((l) => parseLine(l).name === 'TRIGGER');
        if (i >= 0) this.lines[from + i] = `TRIGGER:-PT${Number(value)}M`;
      }
      return;
    }
    if (uri === 'item:Sensitivity' && value !== undefined) return this.setText('CLASS', value === 'Normal' ? 'PUBLIC' : value === 'Confidential' ? 'CONFIDENTIAL' : 'PRIVATE');
    if (uri === 'item:Importance' && value !== undefined) return this.setText('PRIORITY', value === 'High' ? '1' : value === 'Low' ? '9' : '5');
    if (uri === 'calendar:LegacyFreeBusyStatus' && value !== undefined) {
      const busy = Object.entries(FREE_BUSY).find(([, v]) => v === value)?.[0] ?? 'BUSY';
      this.setText('X-MICROSOFT-CDO-BUSYSTATUS', busy);
      this.setText('TRANSP', busy === 'FREE' ? 'TRANSPARENT' : 'OPAQUE');
      return;
    }
    const allDay = this.get('calendar:IsAllDayEvent') === 'true';
    const write = (name: string, ms: number, asDate: boolean) => {
      const line = asDate ? `${name};VALUE=DATE:${basic(ms).slice(0, 8)}` : `${name}:${basic(ms)}`;
      const i = this.named(name)[0];
      if (i === undefined) this.insert(line);
      else this.lines[i] = line;
    };
    if ((uri === 'calendar:Start' || uri === 'calendar:End') && value !== undefined) return write(uri === 'calendar:Start' ? 'DTSTART' : 'DTEND', Date.parse(value), allDay);
    if (uri === 'calendar:IsAllDayEvent' && value !== undefined) {
      const day = value === 'true';
      for (const name of ['DTSTART', 'DTEND']) {
        const ms = this.named(name).map((i) => instantOfLine(parseLine(this.lines[i])))[0];
        if (ms !== undefined) write(name, ms, day);
      }
    }
  }
}
