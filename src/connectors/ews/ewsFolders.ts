// A mailbox's folder tree through EWS: FindFolder (deep traversal, paged) under the root of the
// visible folders, parents resolved into paths, and Exchange's distinguished folders (Inbox, Sent
// Items...) into roles. FolderClass decides what a folder holds: IPF.Note mail, IPF.Contact
// contacts, IPF.Appointment calendar, IPF.Task tasks; search folders and other classes are left out.
import type * as Ews from 'ews-javascript-api';
import type { ItemType } from '../../plan/model';
import type { FolderInfo, FolderRole } from '../types';
import type { EwsLib, EwsSession } from './ewsSession';

const pageSize = 500;

/** Roles and the distinguished folder each stands for. */
const roleFolders = (ews: EwsLib): [FolderRole, Ews.WellKnownFolderName, string][] => [
  ['inbox', ews.WellKnownFolderName.Inbox, 'Inbox'],
  ['sent', ews.WellKnownFolderName.SentItems, 'Sent Items'],
  ['drafts', ews.WellKnownFolderName.Drafts, 'Drafts'],
  ['deleted', ews.WellKnownFolderName.DeletedItems, 'Deleted Items'],
  ['junk', ews.WellKnownFolderName.JunkEmail, 'Junk Email'],
  ['calendar', ews.WellKnownFolderName.Calendar, 'Calendar'],
  ['contacts', ews.WellKnownFolderName.Contacts, 'Contacts'],
  ['tasks', ews.WellKnownFolderName.Tasks, 'Tasks'],
  ['outbox', ews.WellKnownFolderName.Outbox, 'Outbox'],
];

/** What a folder of this class holds; undefined for classes Ferry does not move (search folders, journals, notes...). */
export function itemTypeOfClass(folderClass: string | undefined): ItemType | undefined {
  const c = (folderClass ?? 'IPF.Note').toUpperCase();
  if (c === 'IPF' || c === 'IPF.NOTE' || c.startsWith('IPF.NOTE.')) return 'mail';
  if (c === 'IPF.CONTACT' || c.startsWith('IPF.CONTACT.')) return 'contacts';
  if (c === 'IPF.APPOINTMENT' || c.startsWith('IPF.APPOINTMENT.')) return 'calendar';
  if (c === 'IPF.TASK' || c.startsWith('IPF.TASK.')) return 'tasks';
  return undefined;
}

/** The folder class a new folder gets for what it holds. */
export function folderClassOf(itemType: ItemType): string {
  return itemType === 'contacts' ? 'IPF.Contact' : itemType === 'calendar' ? 'IPF.Appointment' : itemType === 'tasks' ? 'IPF.Task' : 'IPF.Note';
}

export interface EwsFolderTree {
  folders: FolderInfo[];
  /** The id of the root of the visible folders (msgfolderroot): parent of top-level folders. */
  rootId: string;
}

export async function listEwsFolders(session: EwsSession): Promise<EwsFolderTree> {
  const { ews } = session;
  const props = new ews.PropertySet(ews.BasePropertySet.IdOnly, [ews.FolderSchema.DisplayName, ews.FolderSchema.ParentFolderId, ews.FolderSchema.FolderClass, ews.FolderSchema.TotalCount]);
  const root = await session.call('open the mailbox', () => ews.Folder.Bind(session.service, session.wellKnown(ews.WellKnownFolderName.MsgFolderRoot), new ews.PropertySet(ews.BasePropertySet.IdOnly)));
  const rootId = root.Id.UniqueId;
  const found: Ews.Folder[] = [];
  for (let offset = 0; ; ) {
    const view = new ews.FolderView(pageSize, offset);
    view.Traversal = ews.FolderTraversal.Deep;
    view.PropertySet = props;
    const page = await session.call('list the folders', () => session.service.FindFolders(session.wellKnown(ews.WellKnownFolderName.MsgFolderRoot), view));
    found.push(...page.Folders);
    if (!page.MoreAvailable || page.Folders.length === 0) break;
    offset = page.NextPageOffset ?? offset + page.Folders.length;
  }
  const roles = await roleIds(session);
  const byId = new Map(found.map((f) => [f.Id.UniqueId, f]));
  const pathOf = (f: Ews.Folder, seen = new Set<string>()): string[] | undefined => {
    const parent = f.ParentFolderId?.UniqueId;
    if (seen.has(f.Id.UniqueId)) return undefined;
    seen.add(f.Id.UniqueId);
    if (!parent || parent === rootId) return [f.DisplayName];
    const p = byId.get(parent);
    const up = p ? pathOf(p, seen) : undefined;
    return up ? [...up, f.DisplayName] : undefined;
  };
  const folders: FolderInfo[] = [];
  for (const f of found) {
    const itemType = itemTypeOfClass(f.FolderClass);
    const path = pathOf(f);
    if (!itemType || !path) continue;
    const role = roles.get(f.Id.UniqueId);
    folders.push({ id: f.Id.UniqueId, path, itemType, itemCount: f.TotalCount, ...(role ? { role } : {}) });
  }
  return { folders, rootId };
}

/** The ids of the distinguished folders this mailbox has (one GetFolder each; a missing one is skipped). */
async function roleIds(session: EwsSession): Promise<Map<string, FolderRole>> {
  const { ews } = session;
  const ids = new Map<string, FolderRole>();
  await Promise.all(
    roleFolders(ews).map(async ([role, id, name]) => {
      try {
        const folder = await session.call(`open the ${name} folder`, () => ews.Folder.Bind(session.service, session.wellKnown(id), new ews.PropertySet(ews.BasePropertySet.IdOnly)));
        ids.set(folder.Id.UniqueId, role);
      } catch {
        // Not every mailbox has every distinguished folder (Outbox on a resource mailbox, older versions).
      }
    }),
  );
  return ids;
}
