// Writes contacts, events and To Do tasks, and finds what an earlier pass wrote. Contacts and events
// carry Ferry's watermark as an extended property set in the creating POST itself, so an item exists
// with its watermark or not at all; a To Do task carries it as a linkedResource's externalId (To Do
// has no extended properties), also in the creating POST.
import { probeOf } from '../../fingerprint';
import type { FolderInfo, ItemContent, WrittenItem, WrittenProbe } from '../../types';
import type { GraphSession } from '../graphSession';
import { WATERMARK } from '../messageProperties';
import { contactFromVCard } from './contactJson';
import { eventFromICalendar } from './eventJson';
import { pimError } from './ical';
import { graphIdOf, PIM, type PimType } from './pimFolders';
import { taskFromICalendar, taskFromMessage } from './taskJson';

const quoted = (s: string) => `'${s.replace(/'/g, "''")}'`;
const FERRY_APP = 'Ferry';

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
    const body = await this.body(type, content, fingerprint, where);
    const created = await this.session.call(`create ${type === 'contacts' ? 'a contact' : type === 'calendar' ? 'an event' : 'a task'} in ${where}`, (c) => c.api(url).post(body) as Promise<{ id: string }>, { sizeBytes: content.data.length });
    if (type === 'tasks') (await this.tasksOf(folder)).set(fingerprint, created.id);
    return { id: created.id };
  }

  private async body(type: PimType, content: ItemContent, fingerprint: string, where: string): Promise<object> {
    const mark = { singleValueExtendedProperties: [{ id: WATERMARK, value: fingerprint }] };
    const wrong = (what: string) => pimError('GRAPH-PIM-INVALID', [`${what} for ${where}`, `a ${type} folder takes no ${what}`]);
    if (type === 'contacts') {
      if (content.format !== 'vcard') throw wrong(content.format === 'icalendar' ? 'calendar item' : 'message');
      return { ...(await contactFromVCard(content.data)), ...mark };
    }
    if (type === 'calendar') {
      if (content.format !== 'icalendar') throw wrong(content.format === 'vcard' ? 'contact' : 'message');
      return { ...(await eventFromICalendar(content.data)), ...mark };
    }
    if (content.format === 'vcard') throw wrong('contact');
    const task = content.format === 'icalendar' ? await taskFromICalendar(content.data) : await taskFromMessage(content.data, content.flags);
    return { ...task, linkedResources: [{ applicationName: FERRY_APP, displayName: 'Migrated by Ferry', externalId: fingerprint }] };
  }

  async find(folder: FolderInfo, probe: WrittenProbe): Promise<WrittenItem | undefined> {
    const type = folder.itemType as PimType;
    if (type === 'tasks') {
      const id = (await this.tasksOf(folder)).get(probe.fingerprint);
      return id ? { id } : undefined;
    }
    const query = new URLSearchParams({ $filter: `singleValueExtendedProperties/Any(ep: ep/id eq ${quoted(WATERMARK)} and ep/value eq ${quoted(probe.fingerprint)})`, $select: 'id', $top: '1' });
    const page: { value: { id: string }[] } = await this.session.call(`look for a written item in ${folder.path.join('/')}`, (c) => c.api(`${PIM[type].items(this.session, graphIdOf(folder))}?${query.toString()}`).get() as Promise<{ value: { id: string }[] }>);
    return page.value[0] ? { id: page.value[0].id } : undefined;
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
