// Contacts (default folder, contact folders and their child folders), calendars and events, and
// Microsoft To Do lists and tasks, as Graph v1.0 serves them under /users/{id}. Bodies are checked
// against the resource's properties (an unknown property is Graph's 400), events against the rules
// Graph applies (start and end with a time zone; all-day events at midnight), and an event created
// with attendees counts the invitations Microsoft 365 would send: a migration must send none.
// Each kind needs its application permission: Contacts.ReadWrite, Calendars.ReadWrite,
// Tasks.ReadWrite.All (read: .Read). A recurring event's occurrences: graphInstances.ts.
import { newId, type MailboxRecord } from './data';
import { listInstances, occurrenceRoute, parseOccurrenceId, type OccurrenceChanges } from './graphInstances';
import { patternProblem, type Pattern } from './recurrence';
import { ianaOf } from './zones';
import { applyPimProperties, matchesPropertyFilter, pimPropertiesJson } from './pimProperties';
import { page, type MailboxCall } from './graphContext';
import { eventView } from './eventView';
import { graphError, json, jsonOf, type FakeRequest, type FakeResponse } from './http';

export interface PimItemRecord {
  id: string;
  kind: 'contact' | 'event' | 'task';
  /** The contact folder ('' for the default Contacts), calendar or To Do list. */
  containerId: string;
  body: Record<string, unknown>;
  props: Record<string, string>;
  createdDateTime: string;
  lastModifiedDateTime?: string;
  /** What Graph sets itself and shows with the item (an event's iCalUId and organizer). */
  stamps?: Record<string, unknown>;
  /** A recurring event's changed and cancelled occurrences. */
  occurrences?: OccurrenceChanges;
}

export interface PimRecord {
  contactFolders: { id: string; displayName: string; parentFolderId: string }[];
  calendars: { id: string; name: string; isDefaultCalendar: boolean }[];
  lists: { id: string; displayName: string; wellknownListName: 'none' | 'defaultList' | 'flaggedEmails' }[];
  items: PimItemRecord[];
  /** Invitations Microsoft 365 would have mailed (one per attendee of each created event). */
  invitationsSent: number;
}

/** The mailbox's contacts, calendars and To Do lists, created with the defaults on first use. */
export function pimOf(box: MailboxRecord & { pim?: PimRecord }): PimRecord {
  box.pim ??= {
    contactFolders: [],
    calendars: [{ id: newId('AAMkCal'), name: 'Calendar', isDefaultCalendar: true }],
    lists: [
      { id: newId('AAMkTodo'), displayName: 'Tasks', wellknownListName: 'defaultList' },
      { id: newId('AAMkTodo'), displayName: 'Flagged emails', wellknownListName: 'flaggedEmails' },
    ],
    items: [],
    invitationsSent: 0,
  };
  return box.pim;
}

const KNOWN: Record<PimItemRecord['kind'], Set<string>> = {
  contact: new Set(['displayName', 'givenName', 'middleName', 'surname', 'title', 'generation', 'nickName', 'initials', 'emailAddresses', 'businessPhones', 'homePhones', 'mobilePhone', 'companyName', 'department', 'jobTitle', 'officeLocation', 'businessHomePage', 'businessAddress', 'homeAddress', 'otherAddress', 'birthday', 'personalNotes', 'categories', 'fileAs', 'spouseName', 'manager', 'assistantName', 'imAddresses', 'singleValueExtendedProperties']),
  event: new Set(['subject', 'body', 'start', 'end', 'isAllDay', 'location', 'locations', 'attendees', 'showAs', 'sensitivity', 'importance', 'isReminderOn', 'reminderMinutesBeforeStart', 'categories', 'responseRequested', 'recurrence', 'allowNewTimeProposals', 'isOnlineMeeting', 'singleValueExtendedProperties']),
  task: new Set(['title', 'body', 'status', 'importance', 'dueDateTime', 'startDateTime', 'completedDateTime', 'isReminderOn', 'reminderDateTime', 'categories', 'recurrence', 'linkedResources', 'checklistItems']),
};
const TYPE_NAME = { contact: 'microsoft.graph.contact', event: 'microsoft.graph.event', task: 'microsoft.graph.todoTask' };
const PERMISSION = { contact: 'Contacts', event: 'Calendars', task: 'Tasks' };

function allowed(call: MailboxCall, kind: PimItemRecord['kind'], write: boolean): boolean {
  const base = PERMISSION[kind];
  const roles = kind === 'task' ? [`${base}.ReadWrite.All`, ...(write ? [] : [`${base}.Read.All`])] : [`${base}.ReadWrite`, ...(write ? [] : [`${base}.Read`])];
  return call.roles.some((r) => roles.includes(r));
}

const denied = () => graphError(403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.');
const notFound = () => graphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
const invalid = (message: string) => graphError(400, 'ErrorInvalidRequest', message);

const dateTimeOk = (v: unknown): v is { dateTime: string; timeZone: string } => {
  const d = v as { dateTime?: unknown; timeZone?: unknown } | undefined;
  return typeof d?.dateTime === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?$/.test(d.dateTime) && typeof d.timeZone === 'string' && d.timeZone.length > 0;
};
const zoneOk = (z: string) => ianaOf(z) !== undefined;

/** What Graph would refuse in a body of this kind, or undefined. */
function problemOf(kind: PimItemRecord['kind'], body: Record<string, unknown>): string | undefined {
  for (const key of Object.keys(body)) if (!KNOWN[kind].has(key) && !key.startsWith('@odata')) return `The property '${key}' does not exist on type '${TYPE_NAME[kind]}'. Make sure to only use property names that are defined by the type.`;
  if (kind === 'contact' && Array.isArray(body.emailAddresses) && body.emailAddresses.length > 3) return 'A contact holds at most 3 email addresses.';
  if (kind === 'event') {
    if (!dateTimeOk(body.start) || !dateTimeOk(body.end)) return 'An event needs start and end with dateTime and timeZone.';
    for (const t of [body.start, body.end]) if (!zoneOk(t.timeZone)) return `A valid TimeZone value must be specified. The following TimeZone value is not supported: '${t.timeZone}'.`;
    if (body.isAllDay === true && !(body.start.dateTime.endsWith('T00:00:00') && body.end.dateTime.endsWith('T00:00:00'))) return 'The start and end of an all-day event must be at midnight.';
    const r = body.recurrence as { pattern?: Pattern; range?: { type?: string; startDate?: string } } | null | undefined;
    if (r && (!['daily', 'weekly', 'absoluteMonthly', 'relativeMonthly', 'absoluteYearly', 'relativeYearly'].includes(r.pattern?.type ?? '') || !['noEnd', 'endDate', 'numbered'].includes(r.range?.type ?? '') || !/^\d{4}-\d{2}-\d{2}$/.test(r.range?.startDate ?? ''))) return 'The recurrence pattern or range is not valid.';
    const patternIssue = r?.pattern ? patternProblem(r.pattern) : undefined;
    if (patternIssue) return patternIssue;
  }
  if (kind === 'task') {
    if (typeof body.title !== 'string') return "A task needs a 'title'.";
    if (body.status !== undefined && !['notStarted', 'inProgress', 'completed', 'waitingOnOthers', 'deferred'].includes(String(body.status))) return `Invalid value '${String(body.status)}' for 'status'.`;
    for (const k of ['dueDateTime', 'startDateTime', 'completedDateTime', 'reminderDateTime']) if (body[k] !== undefined && !dateTimeOk(body[k])) return `'${k}' needs dateTime and timeZone.`;
  }
  if (body.importance !== undefined && !['low', 'normal', 'high'].includes(String(body.importance))) return `Invalid value '${String(body.importance)}' for 'importance'.`;
  return undefined;
}

/** The item as Graph shows it; events in the zone the reader prefers (a string: Graph's 400 for an unknown zone). */
function itemJson(item: PimItemRecord, query: URLSearchParams, prefer?: string): object | string {
  const expand = query.get('$expand');
  const { linkedResources, ...stored } = item.body as { linkedResources?: unknown };
  const rest = item.kind === 'event' ? eventView(stored, prefer) : stored;
  if (typeof rest === 'string') return rest;
  return {
    id: item.id,
    createdDateTime: item.createdDateTime,
    lastModifiedDateTime: item.lastModifiedDateTime ?? item.createdDateTime,
    ...(item.kind === 'event' ? { type: item.body.recurrence ? 'seriesMaster' : 'singleInstance' } : {}),
    ...item.stamps,
    ...rest,
    ...(item.kind === 'task' && expand && /linkedResources/i.test(expand) ? { linkedResources: linkedResources ?? [] } : {}),
    ...pimPropertiesJson(item.props, expand),
  };
}

/** `lastModifiedDateTime ge <time>` (what a reader of changes asks), else an extended-property filter. */
function filterOf(filter: string | null): ((i: PimItemRecord) => boolean) | undefined {
  if (!filter) return () => true;
  const since = /^lastModifiedDateTime ge (\d{4}-\d{2}-\d{2}T[\d:.]+Z?)$/i.exec(filter.trim());
  if (since) {
    const at = Date.parse(since[1].endsWith('Z') ? since[1] : `${since[1]}Z`);
    return (i) => Date.parse(i.lastModifiedDateTime ?? i.createdDateTime) >= at;
  }
  const byProperty = matchesPropertyFilter(filter);
  return byProperty ? (i) => byProperty(i.props) : undefined;
}

function listItems(call: MailboxCall, req: FakeRequest, kind: PimItemRecord['kind'], containerId: string, link: string): FakeResponse {
  const match = filterOf(req.query.get('$filter'));
  if (!match) return graphError(400, 'ErrorInvalidUrlQueryFilter', 'The query filter contains one or more invalid nodes.');
  const found = pimOf(call.box).items.filter((i) => i.kind === kind && i.containerId === containerId && match(i)).map((i) => itemJson(i, req.query, req.headers.prefer));
  const refused = found.find((f) => typeof f === 'string');
  if (typeof refused === 'string') return invalid(refused);
  return json(200, page(found, req.query, link));
}

function createItem(call: MailboxCall, req: FakeRequest, kind: PimItemRecord['kind'], containerId: string): FakeResponse {
  const body = jsonOf(req);
  if (!body) return graphError(400, 'RequestBodyRead', 'Cannot read the request body as JSON.');
  const problem = problemOf(kind, body);
  if (problem) return invalid(problem);
  const { singleValueExtendedProperties, ...fields } = body;
  const props: Record<string, string> = {};
  const bad = applyPimProperties(props, singleValueExtendedProperties);
  if (bad) return graphError(400, 'ErrorInvalidExtendedPropertyValue', bad);
  const pim = pimOf(call.box);
  const now = new Date().toISOString();
  const item: PimItemRecord = { id: newId(kind === 'task' ? 'AAkAL' : 'AAMkA'), kind, containerId, body: fields, props, createdDateTime: now, lastModifiedDateTime: now };
  // What Graph adds to an event it creates: its iCalendar UID, its type, the mailbox as organizer.
  if (kind === 'event') item.stamps = { iCalUId: `040000008200E00074C5B7101A82E008${item.id.slice(-16)}`, organizer: { emailAddress: { name: call.user.displayName, address: call.user.userPrincipalName } } };
  if (kind === 'task' && Array.isArray(fields.linkedResources)) fields.linkedResources = fields.linkedResources.map((l) => ({ id: newId('lr'), ...(l as object) }));
  if (kind === 'event' && Array.isArray(fields.attendees)) pim.invitationsSent += fields.attendees.length;
  pim.items.push(item);
  call.data.saveMailbox(call.user.id);
  const shown = itemJson(item, new URLSearchParams('$expand=linkedResources'), req.headers.prefer);
  return typeof shown === 'string' ? invalid(shown) : json(201, shown);
}

/** PATCH of a contact or event: the fields sent replace the stored ones; extended properties are set (never removed). */
function updateItem(call: MailboxCall, req: FakeRequest, item: PimItemRecord): FakeResponse {
  const body = jsonOf(req);
  if (!body) return graphError(400, 'RequestBodyRead', 'Cannot read the request body as JSON.');
  const { singleValueExtendedProperties, ...fields } = body;
  const merged = { ...item.body, ...fields };
  const problem = problemOf(item.kind, merged);
  if (problem) return invalid(problem);
  const props = { ...item.props };
  const bad = applyPimProperties(props, singleValueExtendedProperties);
  if (bad) return graphError(400, 'ErrorInvalidExtendedPropertyValue', bad);
  if (item.kind === 'event' && Array.isArray(fields.attendees)) pimOf(call.box).invitationsSent += fields.attendees.length;
  item.body = merged;
  item.props = props;
  item.lastModifiedDateTime = new Date().toISOString();
  call.data.saveMailbox(call.user.id);
  const shown = itemJson(item, req.query, req.headers.prefer);
  return typeof shown === 'string' ? invalid(shown) : json(200, shown);
}

function itemRoute(call: MailboxCall, req: FakeRequest, kind: PimItemRecord['kind'], id: string, action?: string): FakeResponse | undefined {
  const pim = pimOf(call.box);
  const item = pim.items.find((i) => i.kind === kind && i.id === decodeURIComponent(id));
  if (!item) return notFound();
  // POST {contact|event}/permanentDelete (v1.0 bound actions; todoTask has none): 204, the item purged.
  if (action !== undefined) {
    if (action !== 'permanentDelete' || kind === 'task' || req.method !== 'POST') return undefined;
    pim.items.splice(pim.items.indexOf(item), 1);
    call.data.saveMailbox(call.user.id);
    return { status: 204 };
  }
  if (req.method === 'GET') {
    const shown = itemJson(item, req.query, req.headers.prefer);
    return typeof shown === 'string' ? invalid(shown) : json(200, shown);
  }
  if (req.method === 'PATCH' && kind !== 'task') return updateItem(call, req, item);
  if (req.method === 'DELETE') {
    pim.items.splice(pim.items.indexOf(item), 1);
    call.data.saveMailbox(call.user.id);
    return { status: 204 };
  }
  return undefined;
}

/** `rest`: the path after /users/{id}. Undefined when it is not a contacts, calendar or To Do path. */
export function handlePim(call: MailboxCall, req: FakeRequest, rest: string[], link: string): FakeResponse | undefined {
  const kind: PimItemRecord['kind'] | undefined = rest[0] === 'contacts' || rest[0] === 'contactFolders' ? 'contact' : rest[0] === 'calendars' || rest[0] === 'events' ? 'event' : rest[0] === 'todo' ? 'task' : undefined;
  if (!kind) return undefined;
  if (!allowed(call, kind, req.method !== 'GET')) return denied();
  const pim = pimOf(call.box);
  const save = () => call.data.saveMailbox(call.user.id);
  const id = (i: number) => decodeURIComponent(rest[i] ?? '');
  // Contacts: /contacts, /contacts/{id}, /contactFolders[/{id}[/childFolders|/contacts]].
  if (rest[0] === 'contacts') {
    if (rest.length === 1) return req.method === 'POST' ? createItem(call, req, 'contact', '') : req.method === 'GET' ? listItems(call, req, 'contact', '', link) : undefined;
    return rest.length === 2 ? itemRoute(call, req, 'contact', rest[1]) : rest.length === 3 ? itemRoute(call, req, 'contact', rest[1], rest[2]) : undefined;
  }
  if (rest[0] === 'contactFolders') {
    const parent = rest.length === 1 ? '' : id(1);
    if (parent && !pim.contactFolders.some((f) => f.id === parent)) return notFound();
    if (rest.length === 3 && rest[2] === 'contacts') return req.method === 'POST' ? createItem(call, req, 'contact', parent) : req.method === 'GET' ? listItems(call, req, 'contact', parent, link) : undefined;
    if (rest.length === 1 || (rest.length === 3 && rest[2] === 'childFolders')) {
      if (req.method === 'GET') return json(200, page(pim.contactFolders.filter((f) => f.parentFolderId === parent), req.query, link));
      if (req.method !== 'POST') return undefined;
      const name = jsonOf(req)?.displayName;
      if (typeof name !== 'string' || !name) return invalid("A contact folder needs a 'displayName'.");
      if (pim.contactFolders.some((f) => f.parentFolderId === parent && f.displayName.toLowerCase() === name.toLowerCase())) return graphError(409, 'ErrorFolderExists', 'A folder with the specified name already exists.');
      const folder = { id: newId('AAMkCF'), displayName: name, parentFolderId: parent };
      pim.contactFolders.push(folder);
      save();
      return json(201, folder);
    }
    return undefined;
  }
  // Calendars: /calendars[/{id}/events], /events/{id}.
  if (rest[0] === 'events') {
    const event = (eventId: string) => pim.items.find((i) => i.kind === 'event' && i.id === eventId);
    if (rest.length === 3 && rest[2] === 'instances' && req.method === 'GET') {
      const series = event(id(1));
      return series ? listInstances(series, req, link) : notFound();
    }
    if (rest.length === 3) return itemRoute(call, req, 'event', rest[1], rest[2]);
    if (rest.length !== 2) return undefined;
    const occurrence = parseOccurrenceId(id(1));
    if (!occurrence) return itemRoute(call, req, 'event', rest[1]);
    return occurrenceRoute(event(occurrence.seriesId), occurrence.originalStart, req, save, (b) => problemOf('event', b), req.method === 'PATCH' ? jsonOf(req) : undefined);
  }
  if (rest[0] === 'calendars') {
    if (rest.length === 1) {
      if (req.method === 'GET') return json(200, page(pim.calendars.map((c) => ({ ...c, canEdit: true })), req.query, link));
      if (req.method !== 'POST') return undefined;
      const name = jsonOf(req)?.name;
      if (typeof name !== 'string' || !name) return invalid("A calendar needs a 'name'.");
      if (pim.calendars.some((c) => c.name.toLowerCase() === name.toLowerCase())) return graphError(409, 'ErrorFolderExists', 'A calendar with the specified name already exists.');
      const calendar = { id: newId('AAMkCal'), name, isDefaultCalendar: false };
      pim.calendars.push(calendar);
      save();
      return json(201, { ...calendar, canEdit: true });
    }
    if (!pim.calendars.some((c) => c.id === id(1))) return notFound();
    if (rest.length === 3 && rest[2] === 'events') return req.method === 'POST' ? createItem(call, req, 'event', id(1)) : req.method === 'GET' ? listItems(call, req, 'event', id(1), link) : undefined;
    return undefined;
  }
  // To Do: /todo/lists[/{id}/tasks[/{taskId}]].
  if (rest[1] !== 'lists') return undefined;
  if (rest.length === 2) {
    if (req.method === 'GET') return json(200, page(pim.lists, req.query, link));
    if (req.method !== 'POST') return undefined;
    const name = jsonOf(req)?.displayName;
    if (typeof name !== 'string' || !name) return invalid("A task list needs a 'displayName'.");
    const list = { id: newId('AAMkTodo'), displayName: name, wellknownListName: 'none' as const };
    pim.lists.push(list);
    save();
    return json(201, list);
  }
  const list = pim.lists.find((l) => l.id === id(2));
  if (!list) return notFound();
  if (rest.length === 4 && rest[3] === 'tasks') {
    if (req.method === 'POST' && list.wellknownListName === 'flaggedEmails') return invalid('Tasks cannot be created in the flagged emails list.');
    return req.method === 'POST' ? createItem(call, req, 'task', list.id) : req.method === 'GET' ? listItems(call, req, 'task', list.id, link) : undefined;
  }
  return rest.length === 5 && rest[3] === 'tasks' ? itemRoute(call, req, 'task', rest[4]) : undefined;
}
