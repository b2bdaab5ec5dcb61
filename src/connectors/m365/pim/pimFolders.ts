// Contacts, calendars and To Do lists of a Microsoft 365 mailbox as folders. Graph keeps them apart
// from mail folders: contact folders live under the default Contacts folder (`/contacts` is the
// default itself), calendars and To Do lists are flat lists with a default one. A nested source
// path (Calendar/Holidays) becomes one calendar or list named by the rest of the path
// ("Holidays"); the default of each kind takes the folder with the role.
import { sameFolderPath } from '../../exchangeFolders';
import { ConnectorError, type FolderInfo, type FolderRole } from '../../types';
import { graphError } from '../graphErrors';
import type { GraphSession } from '../graphSession';
import { select } from '../graphSelect';
import type { Calendar as GraphCalendar } from '@microsoft/microsoft-graph-types';
import { allPages } from '../m365Folders';

export type PimType = 'contacts' | 'calendar' | 'tasks';

interface PimKind {
  role: FolderRole;
  /** The name of the default folder and of what it holds. */
  home: string;
  what: string;
  /** The Graph permission the app needs (application permission, admin consent); `read` as a source. */
  permission: string;
  read: string;
  /** The collection of this folder's items. */
  items(session: GraphSession, graphId: string): string;
}

export const PIM: Readonly<Record<PimType, PimKind>> = {
  contacts: { role: 'contacts', home: 'Contacts', what: 'contacts', permission: 'Contacts.ReadWrite', read: 'Contacts.Read', items: (s, id) => (id ? `${s.userPath}/contactFolders/${encodeURIComponent(id)}/contacts` : `${s.userPath}/contacts`) },
  calendar: { role: 'calendar', home: 'Calendar', what: 'calendars', permission: 'Calendars.ReadWrite', read: 'Calendars.Read', items: (s, id) => `${s.userPath}/calendars/${encodeURIComponent(id)}/events` },
  tasks: { role: 'tasks', home: 'Tasks', what: 'To Do tasks', permission: 'Tasks.ReadWrite.All', read: 'Tasks.Read.All', items: (s, id) => `${s.userPath}/todo/lists/${encodeURIComponent(id)}/tasks` },
};

export const isPimType = (t: string): t is PimType => t === 'contacts' || t === 'calendar' || t === 'tasks';
/** Folder ids carry their kind: `calendar:<Graph id>`; the default Contacts folder is `contacts:`. */
export const pimFolderId = (type: PimType, graphId: string) => `${type}:${graphId}`;
export const graphIdOf = (folder: FolderInfo) => folder.id.slice(folder.id.indexOf(':') + 1);
/** The Graph id of a kind the app may not list (its placeholder folder). */
const DENIED = '!denied';

interface ContactFolder {
  id: string;
  displayName: string;
}
interface Calendar {
  id: string;
  name: string;
  isDefaultCalendar?: boolean;
  canEdit?: boolean;
}
interface TodoList {
  id: string;
  displayName: string;
  wellknownListName?: 'none' | 'defaultList' | 'flaggedEmails';
}

export class PimFolders {
  private folders: FolderInfo[] = [];
  /** Kinds the app may not use (403), with Graph's words: writing there fails with the consent fix. */
  private readonly denied = new Map<PimType, string>();

  constructor(private readonly session: GraphSession) {}

  async list(): Promise<FolderInfo[]> {
    const kinds: PimType[] = ['contacts', 'calendar', 'tasks'];
    const lists = await Promise.all(kinds.map((k) => this.listKind(k)));
    this.folders = lists.flat();
    return this.folders;
  }

  /** One kind's folders; a 403 (no permission for this kind) leaves it empty and remembered. */
  private async listKind(type: PimType): Promise<FolderInfo[]> {
    try {
      this.denied.delete(type);
      if (type === 'contacts') return await this.contactFolders();
      if (type === 'calendar') return await this.calendars();
      return await this.todoLists();
    } catch (err) {
      if (err instanceof ConnectorError && err.code === 'GRAPH-403') {
        this.denied.set(type, err.args[1] ?? err.message);
        return [];
      }
      throw err;
    }
  }

  private async contactFolders(): Promise<FolderInfo[]> {
    const root: FolderInfo = { id: pimFolderId('contacts', ''), path: ['Contacts'], role: 'contacts', itemType: 'contacts' };
    const out = [root];
    const visit = async (url: string, parent: string[]) => {
      for (const f of await allPages<ContactFolder>(this.session, 'list contact folders', url)) {
        const info: FolderInfo = { id: pimFolderId('contacts', f.id), path: [...parent, f.displayName], itemType: 'contacts' };
        out.push(info);
        await visit(`${this.session.userPath}/contactFolders/${encodeURIComponent(f.id)}/childFolders?$top=100`, info.path);
      }
    };
    await visit(`${this.session.userPath}/contactFolders?$top=100`, root.path);
    return out;
  }

  private async calendars(): Promise<FolderInfo[]> {
    const all = await allPages<Calendar>(this.session, 'list calendars', `${this.session.userPath}/calendars?$top=100&$select=${select<GraphCalendar>('id', 'name', 'isDefaultCalendar', 'canEdit')}`);
    return all.filter((c) => c.canEdit !== false).map((c) => ({ id: pimFolderId('calendar', c.id), path: [c.name], ...(c.isDefaultCalendar ? { role: 'calendar' as const } : {}), itemType: 'calendar' as const }));
  }

  private async todoLists(): Promise<FolderInfo[]> {
    const all = await allPages<TodoList>(this.session, 'list To Do lists', `${this.session.userPath}/todo/lists?$top=100`);
    // "Flagged emails" mirrors flagged mail: nothing can be written into it.
    return all.filter((l) => l.wellknownListName !== 'flaggedEmails').map((l) => ({ id: pimFolderId('tasks', l.id), path: [l.displayName], ...(l.wellknownListName === 'defaultList' ? { role: 'tasks' as const } : {}), itemType: 'tasks' as const }));
  }

  /** Kinds Graph refused to list (403), each as its default folder: reading or writing it fails with GRAPH-403-PIM. */
  deniedHomes(): FolderInfo[] {
    return [...this.denied.keys()].map((type) => ({ id: pimFolderId(type, DENIED), path: [PIM[type].home], role: PIM[type].role, itemType: type }));
  }

  /** GRAPH-403-PIM when the app may not use this kind (the consent fix names the permission for `use`). */
  throwIfDenied(type: PimType, use: 'read' | 'write'): void {
    const denied = this.denied.get(type);
    if (denied !== undefined) throw graphError('GRAPH-403-PIM', [this.session.mailbox, use === 'read' ? PIM[type].read : PIM[type].permission, denied, PIM[type].what]);
  }

  /** The folder of this kind for a source path, created where missing. */
  async ensure(type: PimType, path: readonly string[], role: FolderRole | undefined): Promise<FolderInfo> {
    this.throwIfDenied(type, 'write');
    const ofType = this.folders.filter((f) => f.itemType === type);
    const home = ofType.find((f) => f.role === PIM[type].role);
    if (!home) throw graphError('GRAPH-REQUEST', ['404', `find the default ${type} folder of ${this.session.mailbox}`, 'Graph listed none']);
    if (role === PIM[type].role || path.length === 0 || (path.length === 1 && path[0].toLowerCase() === home.path[home.path.length - 1].toLowerCase())) return home;
    // Below the source's own default folder (Calendar/Holidays): the rest of the path.
    const underHome = path.length > 1 && [PIM[type].role, home.path[0]].some((n) => n.toLowerCase() === path[0].toLowerCase());
    const rest = underHome ? path.slice(1) : [...path];
    if (type === 'contacts') return this.ensureContactFolder([...home.path, ...rest]);
    const name = rest.join('/');
    const existing = ofType.find((f) => f.path.length === 1 && f.path[0].toLowerCase() === name.toLowerCase());
    if (existing) return existing;
    const url = type === 'calendar' ? `${this.session.userPath}/calendars` : `${this.session.userPath}/todo/lists`;
    const body = type === 'calendar' ? { name } : { displayName: name };
    const created = await this.session.call(`create the ${type === 'calendar' ? 'calendar' : 'To Do list'} ${name}`, (c) => c.api(url).post(body) as Promise<{ id: string }>);
    const info: FolderInfo = { id: pimFolderId(type, created.id), path: [name], itemType: type, itemCount: 0 };
    this.folders.push(info);
    return info;
  }

  private async ensureContactFolder(path: string[]): Promise<FolderInfo> {
    let parent = this.folders.find((f) => f.itemType === 'contacts' && f.role === 'contacts')!;
    for (let depth = 2; depth <= path.length; depth++) {
      const at = this.folders.find((f) => f.itemType === 'contacts' && sameFolderPath(f.path, path.slice(0, depth)));
      if (at) {
        parent = at;
        continue;
      }
      const parentId = graphIdOf(parent);
      const url = parentId ? `${this.session.userPath}/contactFolders/${encodeURIComponent(parentId)}/childFolders` : `${this.session.userPath}/contactFolders`;
      const created = await this.session.call(`create the contact folder ${path.slice(0, depth).join('/')}`, (c) => c.api(url).post({ displayName: path[depth - 1] }) as Promise<{ id: string }>);
      parent = { id: pimFolderId('contacts', created.id), path: path.slice(0, depth), itemType: 'contacts', itemCount: 0 };
      this.folders.push(parent);
    }
    return parent;
  }
}
