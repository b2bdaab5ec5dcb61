// Contacts, calendars and To Do tasks of a Microsoft 365 mailbox as a source: each contact folder,
// calendar and To Do list is a folder of its kind; items are listed from Graph's resources (the
// cursor is the newest lastModifiedDateTime seen, so a delta pass lists only what changed since)
// and read as vCard (contacts) or iCalendar (events in the zone they were made in, tasks), the
// formats every destination of these kinds takes. A kind the app may not read stops the mailbox
// with GRAPH-403-PIM and the consent fix when its turn comes (leave it out with options.itemTypes).
import type { FolderChanges, FolderCursor, FolderInfo, ItemContent, ItemListing, ItemRef } from '../../types';
import type { GraphSession } from '../graphSession';
import { select } from '../graphSelect';
import type { Contact, Event, TodoTask } from '@microsoft/microsoft-graph-types';
import { allPages } from '../m365Folders';
import { vCardFromContact, type ReadContact } from './contactVCard';
import { iCalendarFromEvent, type ReadEvent } from './eventICalendar';
import { graphIdOf, PIM, PimFolders, type PimType } from './pimFolders';
import { iCalendarFromTask, type ReadTask } from './taskICalendar';
import { ianaZone } from './zones';

interface Listed {
  id: string;
  createdDateTime?: string;
  lastModifiedDateTime?: string;
  originalStartTimeZone?: string;
}

const SELECT: Record<PimType, string> = {
  contacts: select<Contact>('id', 'createdDateTime', 'lastModifiedDateTime'),
  calendar: select<Event>('id', 'createdDateTime', 'lastModifiedDateTime', 'originalStartTimeZone'),
  tasks: select<TodoTask>('id', 'createdDateTime', 'lastModifiedDateTime'),
};

const sinceOf = (cursor: FolderCursor | undefined) => (typeof cursor?.modifiedSince === 'string' ? cursor.modifiedSince : undefined);

export class PimSource {
  private readonly folders: PimFolders;
  /** Event id -> the zone it was made in (from the listing): its times are read in that zone. */
  private readonly zones = new Map<string, string>();

  constructor(private readonly session: GraphSession) {
    this.folders = new PimFolders(session);
  }

  /** Every contact folder, calendar and To Do list, and a placeholder for each kind Graph refused. */
  async listFolders(): Promise<FolderInfo[]> {
    const listed = await this.folders.list();
    return [...listed, ...this.folders.deniedHomes()];
  }

  async listItems(folder: FolderInfo, cursor: FolderCursor | undefined, signal: AbortSignal): Promise<ItemListing> {
    const { items, newest } = await this.modifiedSince(folder, sinceOf(cursor), signal);
    // Listed again with `ge`, the newest items are recognised as copied by the engine.
    return { items, cursor: newest ? { modifiedSince: newest } : {}, reset: false };
  }

  /**
   * A delta's changes: the items modified since the cursor (a rescheduled event, a contact's new
   * number, a completed task; read again by the engine, which compares their content with what it
   * copied) and the ids the folder holds now (one listing of ids: a recorded id missing from it was
   * deleted at the source).
   */
  async listChanges(folder: FolderInfo, cursor: FolderCursor | undefined, signal: AbortSignal): Promise<FolderChanges> {
    const since = sinceOf(cursor);
    if (since === undefined) return { items: [], removed: [], complete: false };
    const { items } = await this.modifiedSince(folder, since, signal);
    const ids = await allPages<{ id: string }>(this.session, `list the items of ${folder.path.join('/')}`, `${PIM[folder.itemType as PimType].items(this.session, graphIdOf(folder))}?$select=id&$top=100`);
    return { items, removed: [], present: ids.map((i) => i.id), complete: false };
  }

  private async modifiedSince(folder: FolderInfo, since: string | undefined, signal: AbortSignal): Promise<{ items: ItemRef[]; newest: string | undefined }> {
    const type = folder.itemType as PimType;
    this.folders.throwIfDenied(type, 'read');
    signal.throwIfAborted();
    const query = new URLSearchParams({ $select: SELECT[type], $top: '100', ...(since ? { $filter: `lastModifiedDateTime ge ${since}` } : {}) });
    const listed = await allPages<Listed>(this.session, `list the items of ${folder.path.join('/')}`, `${PIM[type].items(this.session, graphIdOf(folder))}?${query.toString()}`);
    let newest = since;
    const items: ItemRef[] = listed.map((i) => {
      if (i.lastModifiedDateTime && (!newest || i.lastModifiedDateTime > newest)) newest = i.lastModifiedDateTime;
      if (i.originalStartTimeZone) this.zones.set(i.id, i.originalStartTimeZone);
      return { id: i.id, sizeBytes: 0, date: new Date(i.createdDateTime ?? i.lastModifiedDateTime ?? 0), flags: [], itemType: type };
    });
    return { items, newest };
  }

  async readItem(folder: FolderInfo, ref: ItemRef, signal: AbortSignal): Promise<ItemContent> {
    signal.throwIfAborted();
    const type = folder.itemType as PimType;
    const where = folder.path.join('/');
    let data: Buffer;
    if (type === 'contacts') {
      const contact = await this.session.call(`read a contact in ${where}`, (c) => c.api(`${this.session.userPath}/contacts/${encodeURIComponent(ref.id)}`).get() as Promise<ReadContact>);
      data = await vCardFromContact(contact);
    } else if (type === 'calendar') {
      // Times in the event's own zone keep a series at its wall-clock time across daylight saving;
      // a zone Graph names but the platform does not know is read in UTC (exact for single events).
      const zone = this.zones.get(ref.id);
      const prefer = [...(zone && ianaZone(zone) ? [`outlook.timezone="${zone}"`] : []), 'outlook.body-content-type="text"'].join(', ');
      const event = await this.session.call(`read an event in ${where}`, (c) => c.api(`${this.session.userPath}/events/${encodeURIComponent(ref.id)}`).header('Prefer', prefer).get() as Promise<ReadEvent>);
      data = await iCalendarFromEvent(event);
    } else {
      const task = await this.session.call(`read a task in ${where}`, (c) => c.api(`${PIM.tasks.items(this.session, graphIdOf(folder))}/${encodeURIComponent(ref.id)}`).get() as Promise<ReadTask>);
      data = await iCalendarFromTask(task);
    }
    return { format: type === 'contacts' ? 'vcard' : 'icalendar', data, flags: [], date: ref.date };
  }
}
