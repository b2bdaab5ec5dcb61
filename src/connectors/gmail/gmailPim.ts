// Calendars and contacts of a Workspace user as a source. Each calendar the user owns is a folder
// (the primary one is Calendar); its items are series and single events (events.list with
// singleEvents=false: an occurrence changed or cancelled is listed apart with recurringEventId and
// travels inside its series' iCalendar; a delta that lists one alone reads its series whole). Contacts ("My Contacts", people.connections.list) are
// one Contacts folder, read as vCards. Cursors are Google's sync tokens: a delta lists only what
// changed; an expired token (410 Gone, Google's documented answer) lists the folder afresh under
// the same ids. A kind whose scope the service account lacks is one placeholder folder that fails
// with GMAIL-SCOPE-MISSING when a pass reaches it (leave it out with options.itemTypes).
import type { calendar_v3 } from '@googleapis/calendar';
import type { people_v1 } from '@googleapis/people';
import type { FolderChanges, FolderCursor, FolderInfo, ItemContent, ItemListing, ItemRef } from '../types';
import { ConnectorError } from '../types';
import { iCalendarFromGoogleEvent, type CalendarContext } from './googleEvent';
import { vCardFromPerson } from './googleContact';
import type { GmailSession } from './gmailSession';

const CALENDAR = 'calendar:';
const CONTACTS_ID = 'contacts:me';
/** People's system contact groups (contactGroups/myContacts, ...): not categories. */
const SYSTEM_GROUPS = new Set(['myContacts', 'starred', 'friends', 'family', 'coworkers', 'chatBuddies', 'blocked', 'all']);
const PERSON_FIELDS = 'names,nicknames,emailAddresses,phoneNumbers,addresses,organizations,birthdays,biographies,urls,memberships,metadata';

/** One sync-token listing: the items changed (or all, without a token), those deleted, the next token. */
type Synced = Omit<ItemListing, 'reset'> & { removed: string[] };

interface Series {
  master: calendar_v3.Schema$Event;
  exceptions: calendar_v3.Schema$Event[];
}

const expired = (err: unknown) => err instanceof ConnectorError && (err.args[0] === '410' || /EXPIRED_SYNC_TOKEN|fullSyncRequired|Sync token is (no longer valid|expired)/i.test(err.message));

export class GmailPim {
  private readonly calendars = new Map<string, CalendarContext>();
  /** Refusals of a kind at listing (scope missing): thrown when a pass reaches its placeholder. */
  private readonly denied = new Map<'calendar' | 'contacts', ConnectorError>();
  private readonly series = new Map<string, Series>();
  private readonly people = new Map<string, people_v1.Schema$Person>();
  private groups?: Map<string, string>;

  constructor(
    private readonly session: GmailSession,
    private readonly kinds: { calendar: boolean; contacts: boolean },
  ) {}

  private async orDenied(kind: 'calendar' | 'contacts', list: () => Promise<FolderInfo[]>, placeholder: FolderInfo): Promise<FolderInfo[]> {
    try {
      this.denied.delete(kind);
      return await list();
    } catch (err) {
      if (err instanceof ConnectorError && (err.code === 'GMAIL-SCOPE-MISSING' || err.code === 'GMAIL-NO-SERVICE')) {
        this.denied.set(kind, err);
        return [placeholder];
      }
      throw err;
    }
  }

  async listFolders(): Promise<FolderInfo[]> {
    const calendars = this.kinds.calendar ? await this.orDenied('calendar', () => this.listCalendars(), { id: `${CALENDAR}primary`, path: ['Calendar'], role: 'calendar', itemType: 'calendar' }) : [];
    const contacts: FolderInfo = { id: CONTACTS_ID, path: ['Contacts'], role: 'contacts', itemType: 'contacts' };
    const withContacts = this.kinds.contacts ? await this.orDenied('contacts', async () => (await this.session.signIn('contacts'), [contacts]), contacts) : [];
    return [...calendars, ...withContacts];
  }

  private async listCalendars(): Promise<FolderInfo[]> {
    const api = await this.session.calendar();
    const out: FolderInfo[] = [];
    let pageToken: string | undefined;
    do {
      const token = pageToken;
      const page = await this.session.call<calendar_v3.Schema$CalendarList>('calendar', 1, 'list calendars', () => api.calendarList.list({ maxResults: 250, ...(token ? { pageToken: token } : {}) }));
      for (const c of page.items ?? []) {
        // The user's own calendars; those shared with them belong to someone else's migration.
        if (!c.id || c.accessRole !== 'owner') continue;
        this.calendars.set(c.id, { timeZone: c.timeZone ?? 'UTC', defaultReminders: c.defaultReminders ?? [] });
        out.push({ id: `${CALENDAR}${c.id}`, path: c.primary ? ['Calendar'] : [c.summaryOverride ?? c.summary ?? c.id], ...(c.primary ? { role: 'calendar' as const } : {}), itemType: 'calendar' });
      }
      pageToken = page.nextPageToken ?? undefined;
    } while (pageToken);
    return out;
  }

  async listItems(folder: FolderInfo, cursor: FolderCursor | undefined, signal: AbortSignal): Promise<ItemListing> {
    const { listing } = await this.synced(folder, cursor, signal);
    return { items: listing.items, cursor: listing.cursor, reset: false };
  }

  /**
   * A delta's changes, from the same sync-token call as the listing: the events and contacts
   * changed since (an event rescheduled, a contact's new number; read again by the engine, which
   * compares their content with what it copied) and those deleted (a cancelled event, a person
   * whose metadata says deleted). When Google no longer keeps the token, the folder's whole content.
   */
  async listChanges(folder: FolderInfo, cursor: FolderCursor | undefined, signal: AbortSignal): Promise<FolderChanges> {
    if (typeof cursor?.syncToken !== 'string') return { items: [], removed: [], complete: false };
    const { listing, full } = await this.synced(folder, cursor, signal);
    return { items: listing.items, removed: full ? [] : listing.removed, complete: full };
  }

  /** Per folder: the last sync-token call, by the token it started from (listChanges, then listItems, ask once). */
  private readonly syncs = new Map<string, { from: string | undefined; result: Promise<{ listing: Synced; full: boolean }> }>();

  private synced(folder: FolderInfo, cursor: FolderCursor | undefined, signal: AbortSignal): Promise<{ listing: Synced; full: boolean }> {
    const syncToken = typeof cursor?.syncToken === 'string' ? cursor.syncToken : undefined;
    const kept = this.syncs.get(folder.id);
    if (kept && kept.from === syncToken) return kept.result;
    const result = this.sync(folder, syncToken, signal);
    this.syncs.set(folder.id, { from: syncToken, result });
    result.catch(() => this.syncs.delete(folder.id));
    return result;
  }

  private async sync(folder: FolderInfo, syncToken: string | undefined, signal: AbortSignal): Promise<{ listing: Synced; full: boolean }> {
    const kind = folder.itemType === 'contacts' ? 'contacts' : 'calendar';
    const denied = this.denied.get(kind);
    if (denied) throw denied;
    const list = kind === 'contacts' ? (t?: string) => this.listContacts(t, signal) : (t?: string) => this.listEvents(folder.id.slice(CALENDAR.length), t, signal);
    try {
      return { listing: await list(syncToken), full: syncToken === undefined };
    } catch (err) {
      if (!syncToken || !expired(err)) throw err;
      return { listing: await list(undefined), full: true };
    }
  }

  private async listEvents(calendarId: string, syncToken: string | undefined, signal: AbortSignal): Promise<Synced> {
    const api = await this.session.calendar();
    const events: calendar_v3.Schema$Event[] = [];
    let pageToken: string | undefined;
    let next = '';
    do {
      const token = pageToken;
      const page = await this.session.call<calendar_v3.Schema$Events>('calendar', 1, 'list events', () => api.events.list({ calendarId, singleEvents: false, showDeleted: true, maxResults: 2500, ...(syncToken ? { syncToken } : {}), ...(token ? { pageToken: token } : {}) }, { signal }), { signal });
      events.push(...(page.items ?? []));
      pageToken = page.nextPageToken ?? undefined;
      next = page.nextSyncToken ?? next;
    } while (pageToken);
    const masters = new Map<string, Series>();
    for (const e of events) if (e.id && !e.recurringEventId && e.status !== 'cancelled') masters.set(e.id, { master: e, exceptions: [] });
    if (syncToken === undefined) {
      for (const e of events) if (e.recurringEventId) masters.get(e.recurringEventId)?.exceptions.push(e);
    } else {
      // A sync token lists only what changed: an occurrence changed or cancelled alone (an event of
      // its own with recurringEventId and originalStartTime, its series not listed), or a series
      // without its earlier exceptions. Each series touched is read whole, so it is carried as a
      // series with every exception (a series deleted comes cancelled and is a deletion).
      const deleted = new Set(events.filter((e) => !e.recurringEventId && e.status === 'cancelled').map((e) => e.id));
      const touched = new Set<string>();
      for (const e of events) {
        if (e.recurringEventId) touched.add(e.recurringEventId);
        else if (e.id && e.recurrence?.length && e.status !== 'cancelled') touched.add(e.id);
      }
      for (const id of touched) {
        if (deleted.has(id)) continue;
        const series = await this.wholeSeries(calendarId, id, masters.get(id)?.master, signal);
        if (series) masters.set(id, series);
      }
    }
    const items: ItemRef[] = [];
    for (const [id, s] of masters) {
      this.series.set(`${calendarId}/${id}`, s);
      items.push({ id, sizeBytes: 0, date: new Date(s.master.created ?? s.master.updated ?? 0), flags: [], itemType: 'calendar' });
    }
    // A cancelled series or single event (showDeleted): deleted by its owner.
    const removed = events.filter((e) => e.id && !e.recurringEventId && e.status === 'cancelled').map((e) => e.id!);
    return { items, removed, cursor: next ? { syncToken: next } : {} };
  }

  /**
   * A recurring event with all its exceptions: its master (as listed, else events.get) and the
   * events sharing its iCalUID (Google: "all occurrences of one event have different ids while
   * they all share the same iCalUIDs"), cancelled ones included. Undefined when it was deleted.
   */
  private async wholeSeries(calendarId: string, id: string, listed: calendar_v3.Schema$Event | undefined, signal: AbortSignal): Promise<Series | undefined> {
    const api = await this.session.calendar();
    const master = listed ?? (await this.session.call<calendar_v3.Schema$Event>('calendar', 1, 'read a recurring event', () => api.events.get({ calendarId, eventId: id }, { signal }), { signal, item: { kind: 'event', id } }));
    if (master.status === 'cancelled' || !master.iCalUID) return master.status === 'cancelled' ? undefined : { master, exceptions: [] };
    const iCalUID = master.iCalUID;
    const exceptions: calendar_v3.Schema$Event[] = [];
    let pageToken: string | undefined;
    do {
      const token = pageToken;
      const page = await this.session.call<calendar_v3.Schema$Events>('calendar', 1, 'list the occurrences of a recurring event', () => api.events.list({ calendarId, iCalUID, singleEvents: false, showDeleted: true, maxResults: 2500, ...(token ? { pageToken: token } : {}) }, { signal }), { signal });
      for (const e of page.items ?? []) if (e.recurringEventId === id) exceptions.push(e);
      pageToken = page.nextPageToken ?? undefined;
    } while (pageToken);
    return { master, exceptions };
  }

  /** Names of the user's own contact groups, read only when a contact belongs to one (system groups name no category). */
  private async contactGroups(person: people_v1.Schema$Person, signal: AbortSignal): Promise<Map<string, string>> {
    const inUserGroup = (person.memberships ?? []).some((m) => {
      const g = m.contactGroupMembership?.contactGroupResourceName;
      return g !== undefined && g !== null && !SYSTEM_GROUPS.has(g.slice(g.indexOf('/') + 1));
    });
    if (!inUserGroup) return new Map();
    if (this.groups) return this.groups;
    const api = await this.session.people();
    const groups = new Map<string, string>();
    const page = await this.session.call<people_v1.Schema$ListContactGroupsResponse>('people', 1, 'list contact groups', () => api.contactGroups.list({ pageSize: 1000 }, { signal }), { signal });
    // User groups only: system groups (myContacts, starred) say nothing a category should.
    for (const g of page.contactGroups ?? []) if (g.resourceName && g.groupType === 'USER_CONTACT_GROUP' && g.name) groups.set(g.resourceName, g.name);
    this.groups = groups;
    return groups;
  }

  private async listContacts(syncToken: string | undefined, signal: AbortSignal): Promise<Synced> {
    const api = await this.session.people();
    const items: ItemRef[] = [];
    const removed: string[] = [];
    let pageToken: string | undefined;
    let next = '';
    do {
      const token = pageToken;
      const page = await this.session.call<people_v1.Schema$ListConnectionsResponse>('people', 1, 'list contacts', () => api.people.connections.list({ resourceName: 'people/me', personFields: PERSON_FIELDS, pageSize: 1000, requestSyncToken: true, ...(syncToken ? { syncToken } : {}), ...(token ? { pageToken: token } : {}) }, { signal }), { signal });
      for (const p of page.connections ?? []) {
        if (p.resourceName && p.metadata?.deleted) removed.push(p.resourceName);
        if (!p.resourceName || p.metadata?.deleted) continue;
        this.people.set(p.resourceName, p);
        const updated = p.metadata?.sources?.[0]?.updateTime;
        items.push({ id: p.resourceName, sizeBytes: 0, date: new Date(updated ?? 0), flags: [], itemType: 'contacts' });
      }
      pageToken = page.nextPageToken ?? undefined;
      next = page.nextSyncToken ?? next;
    } while (pageToken);
    return { items, removed, cursor: next ? { syncToken: next } : {} };
  }

  async readItem(folder: FolderInfo, ref: ItemRef, signal: AbortSignal): Promise<ItemContent> {
    signal.throwIfAborted();
    if (folder.itemType === 'contacts') {
      let person = this.people.get(ref.id);
      if (!person) {
        const api = await this.session.people();
        person = await this.session.call<people_v1.Schema$Person>('people', 1, 'read a contact', () => api.people.get({ resourceName: ref.id, personFields: PERSON_FIELDS }, { signal }), { signal, item: { kind: 'contact', id: ref.id } });
      }
      return { format: 'vcard', data: await vCardFromPerson(person, await this.contactGroups(person, signal)), flags: [], date: ref.date };
    }
    const calendarId = folder.id.slice(CALENDAR.length);
    let series = this.series.get(`${calendarId}/${ref.id}`);
    if (!series) {
      const api = await this.session.calendar();
      const master = await this.session.call<calendar_v3.Schema$Event>('calendar', 1, 'read an event', () => api.events.get({ calendarId, eventId: ref.id }, { signal }), { signal, item: { kind: 'event', id: ref.id } });
      series = { master, exceptions: [] };
    }
    const context = this.calendars.get(calendarId) ?? { timeZone: 'UTC', defaultReminders: [] };
    return { format: 'icalendar', data: await iCalendarFromGoogleEvent(series.master, series.exceptions, context), flags: [], date: ref.date };
  }
}
