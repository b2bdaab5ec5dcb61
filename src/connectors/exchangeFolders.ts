// Where a folder lands in an Exchange-family mailbox (on-premises Exchange through EWS, Microsoft
// 365 through Graph), whose Inbox is a folder like any other: the destination's folder of the role
// when there is one, else the path, created parents first (IMAP's INBOX/Sub becomes Inbox's child
// Sub). The connectors differ only in how one folder is created.
import type { ItemType } from '../plan/model';
import type { FolderInfo, FolderRole } from './types';

/** The same folder path, whatever the case (Exchange folder names are case-insensitive). */
export const sameFolderPath = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((s, i) => s.toLowerCase() === b[i].toLowerCase());

/** The folder for `path`, made with `create(parent, path)` (returns the new id) where missing; new folders join `folders`. */
export async function ensureExchangeFolder(
  folders: FolderInfo[],
  path: readonly string[],
  role: FolderRole | undefined,
  itemType: ItemType,
  create: (parent: FolderInfo | undefined, path: string[]) => Promise<string>,
): Promise<FolderInfo> {
  const inbox = folders.find((f) => f.role === 'inbox');
  const toInbox = role === 'inbox' || path.length === 0 || (path.length === 1 && path[0].toUpperCase() === 'INBOX');
  if (toInbox && inbox) return inbox;
  const byRole = role ? folders.find((f) => f.role === role) : undefined;
  if (byRole) return byRole;
  const wanted = path[0]?.toUpperCase() === 'INBOX' && inbox ? [...inbox.path, ...path.slice(1)] : [...path];
  let parent: FolderInfo | undefined;
  for (let depth = 1; depth <= wanted.length; depth++) {
    const at = folders.find((f) => sameFolderPath(f.path, wanted.slice(0, depth)));
    if (at) {
      parent = at;
      continue;
    }
    const id = await create(parent, wanted.slice(0, depth));
    parent = { id, path: wanted.slice(0, depth), itemType, itemCount: 0, ...(depth === wanted.length && role ? { role } : {}) };
    folders.push(parent);
  }
  return parent!;
}
