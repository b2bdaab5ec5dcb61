// The acceptance scenario of delta changes of contacts, calendar items and tasks (issue 13), shared
// by the source kinds: 4 appointments, 4 contacts and 3 tasks; after a full pass the source's user
// reschedules 2 appointments, changes 2 contacts' phone numbers, completes 1 task, deletes 1 of each
// and adds 1 of each. A mailbox is compared as a summary of what its user sees: each event's subject
// and day, each contact's name and phone, each task's title and whether it is done.
import { m365Connector } from '../../../src/connectors/m365/m365Connector';
import type { FolderRole } from '../../../src/connectors/types';
import type { ItemType } from '../../../src/plan/model';
import { recordFromMime, type StoredItem } from '../../servers/fakeEws/data';
import { PimText } from '../../servers/fakeEws/pimFields';
import type { FakeEws } from '../../servers/fakeEws/server';
import type { FakeGoogle } from '../../servers/fakeGoogle/server';
import type { PimRecord } from '../../servers/fakeM365/graphPim';
import type { TestTenant } from '../../servers/fakeM365/testTenant';
import { plainMessage } from '../../servers/testMessages';
import type { DeletionPolicy } from './deltaScenario';
export { ferryChild } from './deltaScenario';

export const event = (n: number, day = 10 + n) => `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Ferry test//EN\r\nBEGIN:VEVENT\r\nUID:ev-${n}@ferry.test\r\nDTSTAMP:20260101T080000Z\r\nDTSTART:202601${day}T090000Z\r\nDTEND:202601${day}T100000Z\r\nSUMMARY:Meeting ${n}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n`;
export const contact = (n: number, phone = phoneOf(n)) => `BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Contact ${n}\r\nN:${n};Contact;;;\r\nTEL;TYPE=WORK:${phone}\r\nEND:VCARD\r\n`;
export const vtodo = (n: number, done = false) => `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Ferry test//EN\r\nBEGIN:VTODO\r\nUID:task-${n}@ferry.test\r\nSUMMARY:Task ${n}\r\nSTATUS:${done ? 'COMPLETED' : 'IN-PROCESS'}\r\nEND:VTODO\r\nEND:VCALENDAR\r\n`;
const phoneOf = (n: number) => `+41 44 000 00 ${10 + n}`;
const newPhone = (n: number) => `+41 79 ${n}${n}${n} ${n}${n} ${n}${n}`;

/** What the user sees, sorted: `event|Meeting 1|2026-01-25`, `contact|Contact 1|+41...`, `task|Task 1|done`. */
export type Summary = string[];

/** The summary after the changes, with the deleted items (Meeting 4, Contact 4, Task 3) where the policy leaves them in place. */
export function expectedSummary(policy: DeletionPolicy): Summary {
  const kept = policy === 'keep';
  return [
    'event|Meeting 1|2026-01-25', 'event|Meeting 2|2026-01-26', 'event|Meeting 3|2026-01-13', 'event|Meeting 5|2026-01-15', ...(kept ? ['event|Meeting 4|2026-01-14'] : []),
    `contact|Contact 1|${newPhone(1)}`, `contact|Contact 2|${newPhone(2)}`, `contact|Contact 3|${phoneOf(3)}`, `contact|Contact 5|${phoneOf(5)}`, ...(kept ? [`contact|Contact 4|${phoneOf(4)}`] : []),
    'task|Task 1|done', 'task|Task 2|open', 'task|Task 5|open', ...(kept ? ['task|Task 3|open'] : []),
  ].sort();
}

/** The report's changes by item type (`changes.byItemType`) the scenario must produce under a policy. */
export function expectedByItemType(policy: DeletionPolicy): Record<string, Record<string, number>> {
  const gone: Record<string, number> = policy === 'keep' ? { 'kept-deleted': 1 } : { deleted: 1 };
  return { calendar: { updated: 2, ...gone }, contacts: { updated: 2, ...gone }, tasks: { updated: 1, ...gone } };
}

// ---------- Exchange (the fake EWS) ----------

/** The seed of an Exchange source mailbox: the scenario's items and 2 messages. */
export const ewsSeedItems = () => [
  ...[1, 2, 3, 4].map((n) => ({ folder: 'calendar', itemClass: 'IPM.Appointment', mime: event(n) })),
  ...[1, 2, 3, 4].map((n) => ({ folder: 'contacts', itemClass: 'IPM.Contact', mime: contact(n) })),
  ...[1, 2, 3].map((n) => ({ folder: 'tasks', itemClass: 'IPM.Task', mime: `Subject: Task ${n}\r\n\r\n`, task: { status: 'InProgress' as const, dueDate: `2026-11-${10 + n}T17:00:00Z`, percentComplete: 20 } })),
  ...[1, 2].map((n) => ({ folder: 'inbox', mime: plainMessage(7000 + n).raw, isRead: true })),
];

/** The items the scenario changes at the source: each keeps its id at a destination that updates in place. */
export const UPDATED = ['Meeting 1', 'Meeting 2', 'Contact 1', 'Contact 2', 'Task 1'];

/** The user's changes in an Exchange mailbox (as Outlook makes them: Update, Delete, Create); returns the deleted items. */
export function changeEwsSource(ews: FakeEws, address: string): StoredItem[] {
  const items = [...ews.store.itemsOf(address).values()].filter((i) => !i.isAssociated).sort((a, b) => a.subject.localeCompare(b.subject));
  const of = (cls: string) => items.filter((i) => i.itemClass === cls);
  const [m1, m2, , m4] = of('IPM.Appointment');
  const [c1, c2, , c4] = of('IPM.Contact');
  const [t1, , t3] = of('IPM.Task');
  const now = new Date().toISOString();
  const update = (i: StoredItem, mime: string, extra: Partial<StoredItem> = {}) => {
    const { createdSeq: _c, modSeq: _m, readSeq: _r, size: _s, ...rest } = i;
    ews.store.putItem(address, { ...rest, ...extra, lastModifiedTime: now }, Buffer.from(mime));
  };
  update(m1, event(1, 25));
  update(m2, event(2, 26));
  update(c1, contact(1, newPhone(1)));
  update(c2, contact(2, newPhone(2)));
  update(t1, ews.store.mime(address, t1).toString(), { task: { ...t1.task, status: 'Completed', percentComplete: 100, completeDate: now } });
  for (const i of [m4, c4, t3]) ews.store.deleteItem(address, i);
  const add = (folder: string, itemClass: string, mime: string, extra: object = {}) => ews.store.putItem(address, { ...recordFromMime(Buffer.from(mime), ews.store.folderByDistinguished(address, folder)!.id, { itemClass }), ...extra }, Buffer.from(mime));
  add('calendar', 'IPM.Appointment', event(5));
  add('contacts', 'IPM.Contact', contact(5));
  add('tasks', 'IPM.Task', 'Subject: Task 5\r\n\r\n', { task: { status: 'NotStarted' } });
  return [m4, c4, t3];
}

/** An Exchange mailbox's contacts, appointments and tasks as the scenario's summary (their properties as the fake serves them). */
/** The ids of an Exchange mailbox's items with these subjects (outside Recoverable Items), in order. */
export function ewsIds(ews: FakeEws, address: string, subjects: readonly string[]): (string | undefined)[] {
  const items = [...ews.store.itemsOf(address).values()].filter((i) => ews.store.folder(address, i.folder)?.distinguished !== 'recoverableitemsdeletions');
  return subjects.map((s) => items.find((i) => i.subject === s)?.id);
}

export function ewsSummary(ews: FakeEws, address: string): Summary {
  const out: string[] = [];
  for (const i of ews.store.itemsOf(address).values()) {
    if (i.isAssociated || ews.store.folder(address, i.folder)?.distinguished === 'recoverableitemsdeletions') continue;
    const kind = i.itemClass.startsWith('IPM.Contact') ? 'contact' : i.itemClass.startsWith('IPM.Appointment') ? 'event' : i.itemClass.startsWith('IPM.Task') ? 'task' : undefined;
    if (kind === 'task') out.push(`task|${i.subject}|${i.task?.status === 'Completed' ? 'done' : 'open'}`);
    if (kind !== 'contact' && kind !== 'event') continue;
    const text = new PimText(ews.store.mime(address, i), kind);
    out.push(kind === 'contact' ? `contact|${text.get('contacts:DisplayName')}|${text.get('contacts:PhoneNumber', 'BusinessPhone') ?? ''}` : `event|${text.get('item:Subject')}|${text.get('calendar:Start')?.slice(0, 10)}`);
  }
  return out.sort();
}

// ---------- Microsoft 365 (the fake Graph) ----------

/** Writes the scenario's items into a Microsoft 365 mailbox (through the connector, as Outlook would make them). */
export async function seedM365(t: TestTenant, user: string, which = [1, 2, 3, 4]): Promise<void> {
  const signal = new AbortController().signal;
  const box = await m365Connector.openDestination(t.request(user));
  const put = async (role: FolderRole & ItemType, name: string, format: 'vcard' | 'icalendar', data: string) => box.writeItem(await box.ensureFolder([name], role, role), { format, data: Buffer.from(data), flags: [], date: new Date('2026-01-05T10:00:00Z') }, signal);
  for (const n of which) await put('calendar', 'Calendar', 'icalendar', event(n));
  for (const n of which) await put('contacts', 'Contacts', 'vcard', contact(n));
  for (const n of which.filter((x) => x !== 4)) await put('tasks', 'Tasks', 'icalendar', vtodo(n));
  await box.close();
}

/** A Microsoft 365 mailbox's contacts, events and tasks as the scenario's summary (`only`: of these containers). */
export function m365Summary(pim: PimRecord): Summary {
  return pim.items.map((i) => {
    const b = i.body as { subject?: string; start?: { dateTime?: string }; displayName?: string; businessPhones?: string[]; title?: string; status?: string };
    if (i.kind === 'event') return `event|${b.subject}|${b.start?.dateTime?.slice(0, 10)}`;
    if (i.kind === 'contact') return `contact|${b.displayName}|${b.businessPhones?.[0] ?? ''}`;
    return `task|${b.title}|${b.status === 'completed' ? 'done' : 'open'}`;
  }).sort();
}

/** The user's changes in a Microsoft 365 mailbox, made on the fake's records (Graph stamps lastModifiedDateTime). */
export function changeM365Source(pim: PimRecord): void {
  const later = new Date(Date.now() + 1000).toISOString();
  const find = (kind: string, name: string) => pim.items.find((i) => i.kind === kind && [i.body.subject, i.body.displayName, i.body.title].includes(name))!;
  const touch = (kind: string, name: string, fields: Record<string, unknown>) => {
    const item = find(kind, name);
    item.body = { ...item.body, ...fields };
    item.lastModifiedDateTime = later;
  };
  const day = (d: number, h: number) => ({ dateTime: `2026-01-${d}T${String(h).padStart(2, '0')}:00:00.0000000`, timeZone: 'UTC' });
  touch('event', 'Meeting 1', { start: day(25, 9), end: day(25, 10) });
  touch('event', 'Meeting 2', { start: day(26, 9), end: day(26, 10) });
  touch('contact', 'Contact 1', { businessPhones: [newPhone(1)] });
  touch('contact', 'Contact 2', { businessPhones: [newPhone(2)] });
  touch('task', 'Task 1', { status: 'completed', completedDateTime: { dateTime: '2026-01-20T12:00:00.0000000', timeZone: 'UTC' } });
  for (const [kind, name] of [['event', 'Meeting 4'], ['contact', 'Contact 4'], ['task', 'Task 3']]) pim.items.splice(pim.items.indexOf(find(kind, name)), 1);
}

// ---------- Google Workspace (the fake Google: Calendar and People, no tasks) ----------

/** The scenario as Google can hold it: no tasks. */
export const withoutTasks = (s: Summary): Summary => s.filter((l) => !l.startsWith('task|'));

const googleDay = (d: number, h: number) => ({ dateTime: `2026-01-${d}T${String(h).padStart(2, '0')}:00:00Z`, timeZone: 'UTC' });
const googleEvent = (n: number, day = 10 + n) => ({ summary: `Meeting ${n}`, start: googleDay(day, 9), end: googleDay(day, 10) });
const googleContact = (n: number, phone = phoneOf(n)) => ({ names: [{ givenName: 'Contact', familyName: String(n), displayName: `Contact ${n}` }], phoneNumbers: [{ value: phone, type: 'work' }] });

/** Seeds a Google user's primary calendar and contacts; returns the ids the changes need. */
export function seedGoogle(admin: FakeGoogle['admin'], user: string): { events: string[]; contacts: string[] } {
  return {
    events: [1, 2, 3, 4].map((n) => admin.addEvent(user, googleEvent(n)).id),
    contacts: [1, 2, 3, 4].map((n) => admin.addContact(user, googleContact(n))),
  };
}

/** The user's changes in Google Calendar and Contacts (events and persons 1-4 as `seedGoogle` made them). */
export function changeGoogleSource(admin: FakeGoogle['admin'], user: string, ids: { events: string[]; contacts: string[] }): void {
  admin.updateEvent(user, ids.events[0], { start: googleDay(25, 9), end: googleDay(25, 10) });
  admin.updateEvent(user, ids.events[1], { start: googleDay(26, 9), end: googleDay(26, 10) });
  admin.updateContact(user, ids.contacts[0], { phoneNumbers: [{ value: newPhone(1), type: 'work' }] });
  admin.updateContact(user, ids.contacts[1], { phoneNumbers: [{ value: newPhone(2), type: 'work' }] });
  admin.deleteEvent(user, ids.events[3]);
  admin.deleteContact(user, ids.contacts[3]);
  admin.addEvent(user, googleEvent(5));
  admin.addContact(user, googleContact(5));
}
