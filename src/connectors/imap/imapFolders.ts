// The folder tree of an IMAP mailbox: LIST with SPECIAL-USE roles (names as the fallback), paths
// split by the server's hierarchy delimiter, the personal namespace prefix ("INBOX." on Courier
// and Cyrus) left out of the path so folders map across servers, \Noselect entries skipped.
import type { ImapFlow, ListResponse } from 'imapflow';
import { roleFromPath, roleFromSpecialUse } from '../folderRoles';
import type { FolderInfo } from '../types';

/** The folders, and how the server spells paths. */
export interface ImapFolderTree {
  folders: FolderInfo[];
  delimiter: string;
  /** Personal namespace prefix, e.g. 'INBOX.' ('' on Dovecot's default). */
  prefix: string;
  /** Folders LIST-STATUS found empty, by id, with their UIDVALIDITY and HIGHESTMODSEQ (listImapFolders with `cursors`). */
  empty?: Map<string, EmptyFolder>;
}

/** What LIST-STATUS said of an empty folder: enough for its cursor without selecting it. */
export interface EmptyFolder {
  uidValidity: string;
  highestModseq: string;
}

const SKIP = new Set(['\\noselect', '\\nonexistent']);

function roleOf(entry: FolderEntry, path: string[]) {
  if (entry.path.toUpperCase() === 'INBOX') return 'inbox' as const;
  // imapflow also guesses special use from names in many languages; Ferry keeps its own list for that.
  if (entry.specialUse && entry.specialUseSource !== 'name') return roleFromSpecialUse(entry.specialUse);
  return roleFromPath(path);
}

/** Splits a full mailbox name into display path segments. */
export function splitPath(fullPath: string, delimiter: string, prefix: string): string[] {
  if (fullPath.toUpperCase() === 'INBOX') return ['INBOX'];
  const relative = prefix && fullPath.startsWith(prefix) ? fullPath.slice(prefix.length) : fullPath;
  return delimiter ? relative.split(delimiter) : [relative];
}

/** Joins display path segments into the full mailbox name to send. */
export function joinPath(path: readonly string[], delimiter: string, prefix: string): string {
  if (path.length === 1 && path[0].toUpperCase() === 'INBOX') return 'INBOX';
  return prefix + path.join(delimiter);
}

const ordinal = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Lists the selectable folders, with message counts and sizes where LIST-STATUS makes them cheap.
 * `cursors` (the IMAP source): also each folder's UIDVALIDITY and HIGHESTMODSEQ, so that an empty
 * folder's listing needs no EXAMINE (`empty`; on Dovecot each EXAMINE is a round trip of 1-5 ms,
 * and a mailbox has its five special folders, mostly empty, before the first body is read).
 */
export async function listImapFolders(client: ImapFlow, options: { cursors?: boolean } = {}): Promise<ImapFolderTree> {
  const withStatus = client.capabilities.has('LIST-STATUS');
  const statusQuery = withStatus ? { messages: true, ...(client.capabilities.has('STATUS=SIZE') ? { size: true } : {}), ...(options.cursors ? { uidValidity: true, highestModseq: true } : {}) } : undefined;
  const entries = await client.list(statusQuery ? { statusQuery } : {});
  const tree = folderTree(entries, client.namespace?.prefix ?? '', client.namespace?.delimiter ?? undefined);
  // With CONDSTORE enabled only, so that the cursor carries a HIGHESTMODSEQ as after an EXAMINE.
  if (!options.cursors || !client.enabled.has('CONDSTORE')) return tree;
  const empty = new Map<string, EmptyFolder>();
  for (const entry of entries) {
    const status = entry.status;
    if (status?.messages === 0 && status.uidValidity !== undefined && status.highestModseq !== undefined) empty.set(entry.path, { uidValidity: status.uidValidity.toString(), highestModseq: status.highestModseq.toString() });
  }
  return { ...tree, empty };
}

/** What folderTree reads of a LIST entry (imapflow's ListResponse, or the lean quiet probe's). */
export type FolderEntry = Pick<ListResponse, 'path' | 'delimiter' | 'flags' | 'specialUse' | 'specialUseSource'> & { status?: { messages?: number; size?: number } };

/**
 * The folders of a LIST answer: `prefix` the personal namespace's, `namespaceDelimiter` its
 * delimiter.
 */
export function folderTree(entries: readonly FolderEntry[], prefix: string, namespaceDelimiter: string | undefined): ImapFolderTree {
  const delimiter = entries.find((e) => e.delimiter)?.delimiter ?? namespaceDelimiter ?? '/';
  const folders: FolderInfo[] = [];
  for (const entry of entries) {
    if ([...entry.flags].some((f) => SKIP.has(f.toLowerCase()))) continue;
    const path = splitPath(entry.path, entry.delimiter || delimiter, prefix);
    const role = roleOf(entry, path);
    folders.push({
      id: entry.path,
      path,
      ...(role ? { role } : {}),
      itemType: 'mail',
      ...(entry.status?.messages !== undefined ? { itemCount: entry.status.messages } : {}),
      ...(entry.status?.size !== undefined ? { sizeBytes: entry.status.size } : {}),
    });
  }
  // INBOX first, then by path, so parents come before their children. By code unit: localeCompare
  // would load ICU's collation (about 3 MB of a pass's resident memory) for an order nobody reads.
  folders.sort((a, b) => (a.role === 'inbox' ? -1 : b.role === 'inbox' ? 1 : ordinal(a.path.join('\u0000'), b.path.join('\u0000'))));
  return { folders, delimiter, prefix };
}
