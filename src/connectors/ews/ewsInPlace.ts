// A copied contact, calendar item or task brought to its source's new state in place on Exchange
// (issue 13): the item keeps its id, so what hangs on it at the destination survives (meeting
// responses, a reminder the user dismissed, the categories the user gave it). One GetItem reads
// the item's ChangeKey, Ferry's watermark and the properties Ferry carries; when the ChangeKey is
// still the one Ferry's last write left, one UpdateItem (ConflictResolution AlwaysOverwrite,
// SendMeetingInvitationsOrCancellations SendToNone: a migration never mails attendees) sets the
// properties that differ (SetItemField), deletes those the source no longer has (DeleteItemField)
// and sets the watermark to the new content's fingerprint in the same request. That watermark is
// how a rerun after a kill knows the update landed. An opaque full-fidelity item (ExportItems from
// another Exchange) goes over its copy with UploadItems CreateAction Update, then is marked.
// What no field here carries (addresses, attendees, ...) changed: replaced too (inPlaceResidue.ts).
// Recurring series are replaced by the engine instead (their pattern and exceptions are not
// carried field by field): a source series, or a destination item that is not a single appointment.
import { probeOf } from '../fingerprint';
import { contactFromVCard } from '../m365/pim/contactJson';
import { eventFromICalendar } from '../m365/pim/eventJson';
import { componentOf, text } from '../m365/pim/ical';
import { taskFromICalendar } from '../m365/pim/taskJson';
import { ConnectorError, type FolderInfo, type InPlaceUpdate, type ItemContent } from '../types';
import { residueUri, setWatermark, uploadItem, watermarkUri } from './ewsExportImport';
import { residueName, watermarkName } from './ewsProperties';
import { residueOf } from './inPlaceResidue';
import type { EwsSession } from './ewsSession';
import { esc, failure, NS_M, NS_T, post } from './ewsSoap';
import { instantOfGraphTime, TASK_IMPORTANCE, TASK_STATUS } from './ewsTaskWrite';

type Value = string | string[] | undefined;

/** A property Ferry carries: its FieldURI (and index), the source's value (undefined: the source has none). */
export interface Field {
  uri: string;
  index?: string;
  value: Value;
  /** An xs:dateTime, compared as an instant. */
  time?: boolean;
  /** Exchange always holds one (a start, a status): absent at the source, the destination's is left. */
  keep?: boolean;
}

/** The item element of each folder kind (SetItemField's choice). */
const ELEMENT = { contacts: 'Contact', calendar: 'CalendarItem', tasks: 'Task', mail: 'Item' } as const;

/** Graph's showAs as Exchange's LegacyFreeBusyType. */
const FREE_BUSY = { free: 'Free', tentative: 'Tentative', busy: 'Busy', oof: 'OOF', workingElsewhere: 'WorkingElsewhere' } as const;

/** Graph's sensitivity as Exchange's SensitivityChoicesType. */
const SENSITIVITY = { normal: 'Normal', personal: 'Personal', private: 'Private', confidential: 'Confidential' } as const;

/** A contact's three postal addresses (PhysicalAddressKeyType) and their parts, in PhysicalAddressDictionaryEntryType's order. */
const ADDRESS_SLOTS = [['Business', 'businessAddress'], ['Home', 'homeAddress'], ['Other', 'otherAddress']] as const;
const ADDRESS_PARTS = [['Street', 'street'], ['City', 'city'], ['State', 'state'], ['CountryOrRegion', 'countryOrRegion'], ['PostalCode', 'postalCode']] as const;

const INDEXED: Record<string, string> = { 'contacts:PhoneNumber': 'PhoneNumbers', 'contacts:EmailAddress': 'EmailAddresses', ...Object.fromEntries(ADDRESS_PARTS.map(([part]) => [`contacts:PhysicalAddress:${part}`, 'PhysicalAddresses'])) };
/** The element of an address part inside its entry (Street, City, ...); undefined for phones and e-mail addresses. */
const partOf = (uri: string) => (uri.startsWith('contacts:PhysicalAddress:') ? uri.slice('contacts:PhysicalAddress:'.length) : undefined);
const tagOf = (uri: string) => uri.slice(uri.indexOf(':') + 1);
const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

/** The properties of `content` Ferry carries, or why it cannot be updated in place. */
export async function fieldsOf(itemType: FolderInfo['itemType'], content: ItemContent): Promise<Field[] | { replace: string }> {
  if (itemType === 'contacts' && content.format === 'vcard') {
    const c = await contactFromVCard(content.data);
    // The card's own notes (contactFromVCard's personalNotes also holds what Graph has no field for).
    const note = text((await componentOf(content.data, 'vcard', 'vCard')).component, 'note');
    const phone = (index: string, value: string | undefined): Field => ({ uri: 'contacts:PhoneNumber', index, value });
    return [
      { uri: 'contacts:DisplayName', value: c.displayName },
      { uri: 'contacts:GivenName', value: c.givenName },
      { uri: 'contacts:Surname', value: c.surname },
      { uri: 'contacts:CompanyName', value: c.companyName },
      { uri: 'contacts:Department', value: c.department },
      { uri: 'contacts:JobTitle', value: c.jobTitle },
      { uri: 'item:Body', value: note },
      phone('BusinessPhone', c.businessPhones[0]),
      phone('BusinessPhone2', c.businessPhones[1]),
      phone('HomePhone', c.homePhones[0]),
      phone('HomePhone2', c.homePhones[1]),
      phone('MobilePhone', c.mobilePhone),
      ...[1, 2, 3].map((n): Field => ({ uri: 'contacts:EmailAddress', index: `EmailAddress${n}`, value: c.emailAddresses[n - 1]?.address })),
      ...ADDRESS_SLOTS.flatMap(([index, slot]) => ADDRESS_PARTS.map(([part, key]): Field => ({ uri: `contacts:PhysicalAddress:${part}`, index, value: c[slot]?.[key] }))),
      { uri: 'item:Categories', value: c.categories.length ? c.categories : undefined },
    ];
  }
  if (itemType === 'calendar' && content.format === 'icalendar') {
    if (/^(RRULE|RDATE|RECURRENCE-ID)[;:]/im.test(content.data.toString('utf8'))) return { replace: 'a recurring series: its pattern and exceptions are written anew' };
    const e = await eventFromICalendar(content.data);
    const { component } = await componentOf(content.data, 'vevent', 'iCalendar event');
    return [
      { uri: 'item:Subject', value: e.subject },
      { uri: 'item:Sensitivity', value: SENSITIVITY[e.sensitivity], keep: true },
      { uri: 'item:Body', value: text(component, 'description') },
      { uri: 'item:Importance', value: TASK_IMPORTANCE[e.importance], keep: true },
      { uri: 'calendar:Start', value: iso(instantOfGraphTime(e.start)), time: true, keep: true },
      { uri: 'calendar:End', value: iso(instantOfGraphTime(e.end)), time: true, keep: true },
      { uri: 'item:ReminderIsSet', value: String(e.isReminderOn), keep: true },
      { uri: 'item:ReminderMinutesBeforeStart', value: e.isReminderOn ? String(e.reminderMinutesBeforeStart ?? 15) : undefined, keep: true },
      { uri: 'calendar:IsAllDayEvent', value: String(e.isAllDay), keep: true },
      { uri: 'calendar:LegacyFreeBusyStatus', value: FREE_BUSY[e.showAs], keep: true },
      { uri: 'calendar:Location', value: e.location?.displayName },
      { uri: 'item:Categories', value: e.categories.length ? e.categories : undefined },
    ];
  }
  if (itemType === 'tasks' && content.format === 'icalendar') {
    const t = await taskFromICalendar(content.data);
    if (t.recurrence) return { replace: 'a recurring task: its pattern is written anew' };
    return [
      { uri: 'item:Subject', value: t.title },
      { uri: 'item:Body', value: t.body?.content },
      { uri: 'item:Importance', value: TASK_IMPORTANCE[t.importance], keep: true },
      { uri: 'item:ReminderIsSet', value: String(t.isReminderOn), keep: true },
      { uri: 'item:ReminderDueBy', value: t.isReminderOn ? iso(instantOfGraphTime(t.reminderDateTime)) : undefined, time: true, keep: true },
      { uri: 'task:DueDate', value: iso(instantOfGraphTime(t.dueDateTime)), time: true },
      { uri: 'task:StartDate', value: iso(instantOfGraphTime(t.startDateTime)), time: true },
      { uri: 'task:Status', value: TASK_STATUS[t.status], keep: true },
      { uri: 'item:Categories', value: t.categories.length ? t.categories : undefined },
    ];
  }
  return { replace: `a ${content.format} item in a ${itemType} folder` };
}

/** Whether the destination's value is the source's (an absent value and an empty one are the same). */
export function sameValue(f: Field, now: Value): boolean {
  if (f.value === undefined && f.keep) return true;
  if (Array.isArray(f.value) || Array.isArray(now)) {
    const a = Array.isArray(f.value) ? f.value : [];
    const b = Array.isArray(now) ? now : [];
    return a.length === b.length && a.every((v, i) => v === b[i]);
  }
  const a = (f.value ?? '').trim();
  const b = (now ?? '').trim();
  if (f.time && a && b) return Date.parse(a) === Date.parse(b);
  return a.toLowerCase() === 'true' || a.toLowerCase() === 'false' ? a.toLowerCase() === b.toLowerCase() : a === b;
}

const kids = (parent: Element, name: string): Element[] => Array.from(parent.childNodes).filter((n): n is Element => n.nodeType === 1 && (n as Element).namespaceURI === NS_T && (n as Element).localName === name);

/** A field's value on a GetItem answer's item element. */
function valueOn(item: Element, f: Field): Value {
  if (f.index) {
    const list = kids(item, INDEXED[f.uri])[0];
    const entry = list && kids(list, 'Entry').find((e) => e.getAttribute('Key') === f.index);
    const part = partOf(f.uri);
    return (entry && (part ? kids(entry, part)[0]?.textContent : entry.textContent)) ?? undefined;
  }
  const e = kids(item, tagOf(f.uri))[0];
  if (!e) return undefined;
  return f.uri === 'item:Categories' ? kids(e, 'String').map((s) => s.textContent ?? '') : (e.textContent ?? '');
}

const pathXml = (f: Field) => (f.index ? `<t:IndexedFieldURI FieldURI="${f.uri}" FieldIndex="${f.index}"/>` : `<t:FieldURI FieldURI="${f.uri}"/>`);

function valueXml(f: Field): string {
  const v = f.value!;
  if (Array.isArray(v)) return `<t:${tagOf(f.uri)}>${v.map((s) => `<t:String>${esc(s)}</t:String>`).join('')}</t:${tagOf(f.uri)}>`;
  const part = partOf(f.uri);
  if (f.index) return `<t:${INDEXED[f.uri]}><t:Entry Key="${f.index}">${part ? `<t:${part}>${esc(v)}</t:${part}>` : esc(v)}</t:Entry></t:${INDEXED[f.uri]}>`;
  if (f.uri === 'item:Body') return `<t:Body BodyType="Text">${esc(v)}</t:Body>`;
  return `<t:${tagOf(f.uri)}>${esc(v)}</t:${tagOf(f.uri)}>`;
}

/** SetItemField for each field whose value differs, DeleteItemField for each the source no longer has. */
export function fieldUpdates(element: string, fields: readonly Field[], item: Element): string[] {
  return fields.filter((f) => !sameValue(f, valueOn(item, f))).map((f) => (f.value === undefined ? `<t:DeleteItemField>${pathXml(f)}</t:DeleteItemField>` : `<t:SetItemField>${pathXml(f)}<t:${element}>${valueXml(f)}</t:${element}></t:SetItemField>`));
}

interface Current {
  changeKey: string;
  watermark?: string;
  residue?: string;
  calendarItemType?: string;
  item: Element;
}

/** GetItem of the copy with what the update compares; undefined when it is gone or not in `folder` any more. */
async function readCurrent(session: EwsSession, folder: FolderInfo, id: string, fields: readonly Field[], signal: AbortSignal): Promise<Current | undefined> {
  const what = `read an item of ${folder.path.join('/')} before updating it`;
  const uris = new Set(['item:ParentFolderId', ...(folder.itemType === 'calendar' ? ['calendar:CalendarItemType'] : []), ...fields.map((f) => (f.index ? `contacts:${INDEXED[f.uri]}` : f.uri))]);
  const shape = `<m:ItemShape><t:BaseShape>IdOnly</t:BaseShape><t:BodyType>Text</t:BodyType><t:AdditionalProperties>${[...uris].map((u) => `<t:FieldURI FieldURI="${u}"/>`).join('')}${watermarkUri}${residueUri}</t:AdditionalProperties></m:ItemShape>`;
  const [m] = await post(session, what, `<m:GetItem>${shape}<m:ItemIds><t:ItemId Id="${esc(id)}"/></m:ItemIds></m:GetItem>`, 'GetItemResponseMessage', signal);
  if (!m) throw new ConnectorError('EWS-INTERNAL', `GetItem gave no answer for an item of ${folder.path.join('/')}`, 'transient', [session.mailbox, what, 'empty answer', new URL(session.url).host]);
  if (!m.ok && m.responseCode === 'ErrorItemNotFound') return undefined;
  if (!m.ok) throw failure(session, what, m);
  const items = m.element.getElementsByTagNameNS(NS_M, 'Items')[0];
  const item = items && Array.from(items.childNodes).find((n): n is Element => n.nodeType === 1);
  if (!item) return undefined;
  if (kids(item, 'ParentFolderId')[0]?.getAttribute('Id') !== folder.id) return undefined;
  const named = (name: string) => kids(item, 'ExtendedProperty').find((p) => kids(p, 'ExtendedFieldURI')[0]?.getAttribute('PropertyName') === name);
  const valueOf = (name: string) => { const p = named(name); return p ? (kids(p, 'Value')[0]?.textContent ?? undefined) : undefined; };
  const watermark = valueOf(watermarkName);
  const residue = valueOf(residueName);
  const calendarItemType = kids(item, 'CalendarItemType')[0]?.textContent ?? undefined;
  return { changeKey: kids(item, 'ItemId')[0]?.getAttribute('ChangeKey') ?? '', item, ...(watermark !== undefined ? { watermark } : {}), ...(residue !== undefined ? { residue } : {}), ...(calendarItemType ? { calendarItemType } : {}) };
}

/** See DestinationMailbox.updateInPlace. */
export async function updateInPlace(session: EwsSession, folder: FolderInfo, copy: { id: string; version?: string }, content: ItemContent, signal: AbortSignal): Promise<InPlaceUpdate> {
  const fingerprint = probeOf(content).fingerprint;
  const fields = content.format === 'opaque' ? [] : await fieldsOf(folder.itemType, content);
  if (!Array.isArray(fields)) return fields;
  const now = await readCurrent(session, folder, copy.id, fields, signal);
  if (!now) return { left: 'gone' };
  // Landed before a kill: the watermark is written in the same UpdateItem as the fields.
  if (now.watermark === fingerprint) return { updated: { id: copy.id, version: now.changeKey } };
  if (copy.version !== undefined && now.changeKey !== copy.version) return { left: 'edited' };
  if (content.format === 'opaque') {
    const id = await uploadItem(session, folder, content.data, signal, copy.id);
    const version = await setWatermark(session, folder, id, fingerprint, signal);
    return { updated: { id, ...(version ? { version } : {}) } };
  }
  if (now.calendarItemType && now.calendarItemType !== 'Single') return { replace: `a ${now.calendarItemType} at the destination` };
  // A change of what no field here carries (an address, a reminder, the attendees, ...): the whole vCard/iCalendar goes in by a replace.
  const residue = await residueOf(content, folder.itemType);
  if (residue !== undefined && residue !== now.residue) return { replace: now.residue === undefined ? 'a copy from before in-place updates' : 'properties an in-place update does not set changed' };
  const element = ELEMENT[folder.itemType];
  const updates = [...fieldUpdates(element, fields, now.item), `<t:SetItemField>${watermarkUri}<t:${element}><t:ExtendedProperty>${watermarkUri}<t:Value>${esc(fingerprint)}</t:Value></t:ExtendedProperty></t:${element}></t:SetItemField>`];
  const what = `update an item of ${folder.path.join('/')} in place`;
  const body = `<m:UpdateItem ConflictResolution="AlwaysOverwrite" MessageDisposition="SaveOnly" SendMeetingInvitationsOrCancellations="SendToNone"><m:ItemChanges><t:ItemChange><t:ItemId Id="${esc(copy.id)}" ChangeKey="${esc(now.changeKey)}"/><t:Updates>${updates.join('')}</t:Updates></t:ItemChange></m:ItemChanges></m:UpdateItem>`;
  const [m] = await post(session, what, body, 'UpdateItemResponseMessage', signal);
  if (!m) throw new ConnectorError('EWS-INTERNAL', `UpdateItem gave no answer for an item of ${folder.path.join('/')}`, 'transient', [session.mailbox, what, 'empty answer', new URL(session.url).host]);
  if (!m.ok) throw failure(session, what, m);
  const version = m.element.getElementsByTagNameNS(NS_T, 'ItemId')[0]?.getAttribute('ChangeKey') ?? undefined;
  return { updated: { id: copy.id, ...(version ? { version } : {}) } };
}
