// The settings of a `maildir` endpoint and where each mailbox's Maildir is: `<path>/<address>`,
// with `path` relative to the plan's folder.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { FolderInfo, OpenMailboxRequest } from '../types';
import { roleFromPath } from '../folderRoles';
import { ioError, maildirError } from './maildirErrors';
import { folderDir, listFoldersOnDisk, type MaildirLayout } from './maildirLayout';

/** Where one mailbox lives and how its subfolders are laid out. */
export interface MaildirMailboxLocation {
  /** Absolute directory of the mailbox (its INBOX). */
  root: string;
  layout: MaildirLayout;
  address: string;
}

/** Resolves the mailbox directory from the endpoint settings; throws for an address that is not a safe directory name. */
export function locateMailbox(request: OpenMailboxRequest): MaildirMailboxLocation {
  const settings = request.endpoint.settings;
  const base = typeof settings.path === 'string' && settings.path ? settings.path : '.';
  const layout: MaildirLayout = settings.layout === 'fs' ? 'fs' : 'maildir++';
  const address = request.mailbox;
  // The address becomes a directory name: it must stay one segment inside the endpoint folder.
  if (!address || address === '.' || address === '..' || /[/\\\0]/.test(address)) {
    throw maildirError('MAILDIR-MALFORMED-NAME', [address, 'a mailbox address cannot contain slashes or be . or ..'], 'mailbox');
  }
  return { root: path.resolve(request.planDir, base, address), layout, address };
}

/** Throws MAILDIR-NOT-FOUND unless the mailbox directory is a Maildir. */
export async function requireMailbox(location: MaildirMailboxLocation): Promise<void> {
  try {
    const stat = await fs.stat(path.join(location.root, 'cur'));
    if (stat.isDirectory()) return;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR') throw ioError('open', location.root, error);
  }
  throw maildirError('MAILDIR-NOT-FOUND', [location.address, location.root]);
}

/** The folders of a mailbox as FolderInfo, with roles by name and cheap item counts. */
/** Messages in a Maildir folder (cur/ and new/; dot files such as .keep are not messages). */
export async function countMessages(dir: string): Promise<number> {
  const counts = await Promise.all(['cur', 'new'].map((sub) => fs.readdir(path.join(dir, sub)).then((n) => n.filter((x) => !x.startsWith('.')).length, () => 0)));
  return counts[0] + counts[1];
}

export async function listMaildirFolders(location: MaildirMailboxLocation): Promise<FolderInfo[]> {
  try {
    const found = await listFoldersOnDisk(location.root, location.layout);
    return await Promise.all(
      found.map(async ({ id, path: folderPath }) => {
        const role = roleFromPath(folderPath);
        const dir = folderDir(location.root, id);
        return { id, path: folderPath, ...(role ? { role } : {}), itemType: 'mail' as const, itemCount: await countMessages(dir) };
      }),
    );
  } catch (error) {
    throw ioError('list the folders of', location.root, error);
  }
}
