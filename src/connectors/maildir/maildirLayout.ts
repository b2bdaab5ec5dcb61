// Where each folder of a mailbox lives on disk. The mailbox root is the INBOX; subfolders are
// `.Parent.Child` in modified UTF-7 (Maildir++, what Dovecot and Courier write) or nested
// directories with UTF-8 names (`fs`, like Dovecot's LAYOUT=fs:UTF-8, easy to read by eye).
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { maildirError } from './maildirErrors';
import { decodeMutf7, encodeMutf7 } from './mutf7';

export type MaildirLayout = 'maildir++' | 'fs';

/** Folder id of the INBOX: the mailbox root itself. */
export const ROOT_ID = '.';

const RESERVED = new Set(['cur', 'new', 'tmp', '.', '..']);

/** Whether a path names the INBOX (the root). */
export function isInboxPath(folderPath: readonly string[]): boolean {
  return folderPath.length === 1 && folderPath[0].toUpperCase() === 'INBOX';
}

/** The folder id (directory relative to the mailbox root) for a path; throws MAILDIR-MALFORMED-NAME when the layout cannot hold it. */
export function folderIdFor(layout: MaildirLayout, folderPath: readonly string[]): string {
  if (folderPath.length === 0 || isInboxPath(folderPath)) return ROOT_ID;
  const shown = folderPath.join('/');
  for (const segment of folderPath) {
    if (segment === '' || segment.includes('/') || segment.includes('\0')) throw maildirError('MAILDIR-MALFORMED-NAME', [shown, 'empty names, slashes and NUL characters are not possible']);
    if (layout === 'maildir++' && segment.includes('.')) throw maildirError('MAILDIR-MALFORMED-NAME', [shown, 'Maildir++ separates folders with dots']);
    if (layout === 'fs' && RESERVED.has(segment)) throw maildirError('MAILDIR-MALFORMED-NAME', [shown, `'${segment}' is reserved in a Maildir`]);
  }
  return layout === 'maildir++' ? `.${folderPath.map((s) => encodeMutf7(s.normalize('NFC'))).join('.')}` : folderPath.map((s) => s.normalize('NFC')).join('/');
}

/** The absolute directory of a folder id. */
export function folderDir(root: string, id: string): string {
  return id === ROOT_ID ? root : path.join(root, ...id.split('/'));
}

/** A folder found on disk: its id and display path. */
export interface FolderOnDisk {
  id: string;
  path: string[];
}

async function isMaildir(dir: string): Promise<boolean> {
  try {
    return (await fs.stat(path.join(dir, 'cur'))).isDirectory();
  } catch {
    return false;
  }
}

/** The folders of a mailbox: the INBOX first, then the subfolders in name order. */
export async function listFoldersOnDisk(root: string, layout: MaildirLayout): Promise<FolderOnDisk[]> {
  const found: FolderOnDisk[] = [{ id: ROOT_ID, path: ['INBOX'] }];
  if (layout === 'maildir++') {
    for (const entry of await fs.readdir(root, { withFileTypes: true })) {
      if (!entry.isDirectory() || !entry.name.startsWith('.') || entry.name === '.' || entry.name === '..') continue;
      // A name that is not modified UTF-7 was written by another tool in UTF-8: show it as it is.
      const segments = entry.name.slice(1).split('.').map((s) => decodeMutf7(s) ?? s);
      if (segments.some((s) => s === '')) continue;
      if (await isMaildir(path.join(root, entry.name))) found.push({ id: entry.name, path: segments });
    }
  } else {
    const walk = async (dir: string, parents: string[]): Promise<void> => {
      for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
        if (!entry.isDirectory() || RESERVED.has(entry.name)) continue;
        const child = path.join(dir, entry.name);
        const segments = [...parents, entry.name];
        if (await isMaildir(child)) found.push({ id: segments.join('/'), path: segments });
        await walk(child, segments);
      }
    };
    await walk(root, []);
  }
  return found.sort((a, b) => (a.id === ROOT_ID ? -1 : b.id === ROOT_ID ? 1 : a.path.join('/').localeCompare(b.path.join('/'))));
}
