// Writes contacts, events and To Do tasks, and finds what an earlier pass wrote. Contacts and events
// carry Ferry's watermark as an extended property set in the creating POST itself, so an item exists
// with its watermark or not at all; a To Do task carries it as a linkedResource's externalId (To Do
// has no extended properties), also in the creating POST. A recurring event with exceptions takes
// several requests (create, list occurrences, change or cancel some): it is created marked pending
// (SERIES_PENDING) beside its watermark, and marked done by one PATCH at the end; a series found
// still pending was cut off half-way, and is deleted so that the engine writes it again, whole.
import { probeOf } from '../../fingerprint';
import { ConnectorError, type FolderInfo, type ItemContent, type WrittenItem, type WrittenProbe } from '../../types';
import type { GraphSession } from '../graphSession';
import { SERIES_PENDING, WATERMARK } from '../messageProperties';
import { contactFromVCard } from './contactJson';
import { pimError } from './ical';
import { graphIdOf, PIM, type PimType } from './pimFolders';
import { seriesFromICalendar, type SeriesException } from './seriesExceptions';
import { applyExceptions } from './seriesWriter';
import { taskFromICalendar, taskFromMessage } from './taskJson';

const quoted = (s: string) => `'${s.replace(/'/g, "''")}'`;
const FERRY_APP = 'Ferry';

interface Found {
  id: string;
  singleValueExtendedProperties?: { id: string; value: string }[];
}

interface LinkedTask {
  id: string;
  linkedResources?: { applicationName?: string; externalId?: string }[];
}

export class PimItems {
  /** Per To Do list: watermark -> task id (To Do cannot filter on linked resources: read once, kept up to date). */
  private readonly taskIndex = new Map<string, Promise<Map<string, string>>>();

  constructor(private readonly session: GraphSession) {}

  async write(folder: FolderInfo, content: ItemContent): Promise<WrittenItem> {
    const type = folder.itemType as PimType;
    const fingerprint = probeOf(content).fingerprint;
    const where = folder.path.join('/');
    const url = PIM[type].items(this.session, graphIdOf(folder));
    const { body, exceptions } = await this.body(type, content, fingerprint, where);
    const created = await this.session.call(`create ${type === 'contacts' ? 'a contact' : type === 'calendar' ? 'an event' : 'a task'} in ${where}`, (c) => c.api(url).post(body) as Promise<{ id: string; lastModifiedDateTime?: string }>, { sizeBytes: content.data.length });
    if (type === 'tasks') (await this.tasksOf(folder)).set(fingerprint, created.id);
    // A series' exceptions change it after the POST: its stamp is the one the last PATCH left.
    const version = exceptions.length ? await this.finishSeries(created.id, exceptions, (body as { isAllDay?: boolean }).isAllDay === true, where) : created.lastModifiedDateTime;
    return { id: created.id, ...(version ? { version } : {}) };
  }

  /**
   * Applies a new series' exceptions and marks it done; on failure removes it (find() would, else).
   * Returns the master's lastModifiedDateTime once all is written (the stamp a delta compares).
   */
  private async finishSeries(id: string, exceptions: SeriesException[], allDay: boolean, where: string): Promise<string | undefined> {
    try {
      await applyExceptions(this.session, id, exceptions, allDay, where);
      const done = await this.session.call(`finish a recurring event in ${where}`, (c) => c.api(this.eventUrl(id)).patch({ singleValueExtendedProperties: [{ id: SERIES_PENDING, value: 'done' }] }) as Promise<{ lastModifiedDateTime?: string } | undefined>);
      return done?.lastModifiedDateTime;
    } catch (err) {
      await this.removeEvent(id, where).catch(() => undefined);
      throw err;
    }
  }

  private eventUrl(id: string): string {
    return `${this.session.userPath}/events/${encodeURIComponent(id)}`;
  }

  /** Deletes an event; one already gone is fine. */
  private async removeEvent(id: string, where: string): Promise<void> {
    try {
      await this.session.call(`delete a half-written recurring event in ${where}`, (c) => c.api(this.eventUrl(id)).delete() as Promise<unknown>);
    } catch (err) {
      if (!(err instanceof ConnectorError && err.code === 'GRAPH-ITEM-GONE')) throw err;
    }
  }

  private async body(type: PimType, content: ItemContent, fingerprint: string, where: string): Promise<{ body: object; exceptions: SeriesException[] }> {
    const mark = { id: WATERMARK, value: fingerprint };
    const wrong = (what: string) => pimError('GRAPH-PIM-INVALID', [`${what} for ${where}`, `a ${type} folder takes no ${what}`]);
    if (type === 'contacts') {
      if (content.format !== 'vcard') throw wrong(content.format === 'icalendar' ? 'calendar item' : 'message');
      return { body: { ...(await contactFromVCard(content.data)), singleValueExtendedProperties: [mark] }, exceptions: [] };
    }
    if (type === 'calendar') {
      if (content.format !== 'icalendar') throw wrong(content.format === 'vcard' ? 'contact' : 'message');
      const { event, exceptions } = await seriesFromICalendar(content.data);
      // Without exceptions the creating POST is the whole write: no pending mark, no further request.
      return { body: { ...event, singleValueExtendedProperties: exceptions.length ? [mark, { id: SERIES_PENDING, value: 'pending' }] : [mark] }, exceptions };
    }
    if (content.format === 'vcard') throw wrong('contact');
    const task = content.format === 'icalendar' ? await taskFromICalendar(content.data) : await taskFromMessage(content.data, content.flags);
    return { body: { ...task, linkedResources: [{ applicationName: FERRY_APP, displayName: 'Migrated by Ferry', externalId: fingerprint }] }, exceptions: [] };
  }

  async find(folder: FolderInfo, probe: WrittenProbe): Promise<WrittenItem | undefined> {
    const type = folder.itemType as PimType;
    if (type === 'tasks') {
      const id = (await this.tasksOf(folder)).get(probe.fingerprint);
      return id ? { id } : undefined;
    }
    const where = folder.path.join('/');
    const query = new URLSearchParams({
      $filter: `singleValueExtendedProperties/Any(ep: ep/id eq ${quoted(WATERMARK)} and ep/value eq ${quoted(probe.fingerprint)})`,
      $select: 'id',
      $expand: `singleValueExtendedProperties($filter=id eq ${quoted(SERIES_PENDING)})`,
      $top: '5',
    });
    const page: { value: Found[] } = await this.session.call(`look for a written item in ${where}`, (c) => c.api(`${PIM[type].items(this.session, graphIdOf(folder))}?${query.toString()}`).get() as Promise<{ value: Found[] }>);
    let whole: WrittenItem | undefined;
    for (const item of page.value) {
      const pending = item.singleValueExtendedProperties?.some((p) => p.id.toLowerCase() === SERIES_PENDING.toLowerCase() && p.value === 'pending');
      if (pending) await this.removeEvent(item.id, where);
      else whole ??= { id: item.id };
    }
    return whole;
  }

  /** The item's own URL (contacts and events by id in the mailbox, a To Do task under its list). */
  private itemUrl(folder: FolderInfo, id: string): string {
    const type = folder.itemType as PimType;
    const enc = encodeURIComponent(id);
    return type === 'tasks' ? `${PIM.tasks.items(this.session, graphIdOf(folder))}/${enc}` : type === 'calendar' ? this.eventUrl(id) : `${this.session.userPath}/contacts/${enc}`;
  }

  /** The item's change stamp (its lastModifiedDateTime, which Graph moves at every change); undefined when it is gone (404). */
  async versionOf(folder: FolderInfo, id: string): Promise<string | undefined> {
    try {
      const item = await this.session.call(`look for an item in ${folder.path.join('/')}`, (c) => c.api(`${this.itemUrl(folder, id)}?$select=lastModifiedDateTime`).get() as Promise<{ lastModifiedDateTime?: string }>);
      return item.lastModifiedDateTime ?? '';
    } catch (err) {
      if (err instanceof ConnectorError && err.code === 'GRAPH-ITEM-GONE') return undefined;
      throw err;
    }
  }

  /**
   * Deletes the item; one already gone is no error. `purge`: for good (a contact's or event's
   * permanentDelete action; a plain DELETE leaves them in Deleted Items, as Exchange does). To Do
   * tasks have no deleted items: DELETE removes them.
   */
  async remove(folder: FolderInfo, id: string, purge: boolean): Promise<void> {
    const where = folder.path.join('/');
    const url = this.itemUrl(folder, id);
    try {
      if (purge && folder.itemType !== 'tasks') await this.session.call(`delete an item of ${where} for good`, (c) => c.api(`${url}/permanentDelete`).post({}) as Promise<unknown>);
      else await this.session.call(`delete an item of ${where}`, (c) => c.api(url).delete() as Promise<unknown>);
    } catch (err) {
      if (!(err instanceof ConnectorError && err.code === 'GRAPH-ITEM-GONE')) throw err;
    }
    if (folder.itemType === 'tasks') {
      const index = await this.tasksOf(folder);
      for (const [mark, taskId] of index) if (taskId === id) index.delete(mark);
    }
  }

  private tasksOf(folder: FolderInfo): Promise<Map<string, string>> {
    let index = this.taskIndex.get(folder.id);
    if (!index) {
      index = this.readTasks(folder);
      index.catch(() => this.taskIndex.delete(folder.id));
      this.taskIndex.set(folder.id, index);
    }
    return index;
  }

  private async readTasks(folder: FolderInfo): Promise<Map<string, string>> {
    const index = new Map<string, string>();
    for (let url: string | undefined = `${PIM.tasks.items(this.session, graphIdOf(folder))}?$top=100&$expand=linkedResources`; url; ) {
      const page: { value: LinkedTask[]; '@odata.nextLink'?: string } = await this.session.call(`list the tasks of ${folder.path.join('/')}`, (c) => c.api(url!).get() as Promise<{ value: LinkedTask[]; '@odata.nextLink'?: string }>, { mailboxLevel: true });
      for (const t of page.value) for (const l of t.linkedResources ?? []) if (l.applicationName === FERRY_APP && l.externalId) index.set(l.externalId, t.id);
      url = page['@odata.nextLink'];
    }
    return index;
  }
}
