// The folder tree of a Graph mailbox: top-level folders under msgfolderroot, their childFolders,
// and the roles of the well-known folders (inbox, sentitems, ...) resolved in one `$batch`.
import type { FolderInfo, FolderRole } from '../types';
import { graphError, retryAfterMs } from './graphErrors';
import type { GraphCallOptions, GraphSession } from './graphSession';

/** Graph well-known folder names by Ferry role. */
export const WELL_KNOWN: Readonly<Partial<Record<FolderRole, string>>> = {
  inbox: 'inbox',
  sent: 'sentitems',
  drafts: 'drafts',
  deleted: 'deleteditems',
  junk: 'junkemail',
  archive: 'archive',
  outbox: 'outbox',
};

interface GraphFolder {
  id: string;
  displayName: string;
  parentFolderId?: string;
  childFolderCount?: number;
  totalItemCount?: number;
  sizeInBytes?: number;
}

interface Page<T> {
  value: T[];
  '@odata.nextLink'?: string;
}

interface BatchResponse {
  responses: { id: string; status: number; headers?: Record<string, string>; body?: { id?: string; error?: { code?: string; message?: string } } }[];
}

const SELECT = 'id,displayName,parentFolderId,childFolderCount,totalItemCount,sizeInBytes';

/**
 * Mail folders and contact folders, calendars and To Do lists, listed side by side. Both listings
 * settle before a failure is reported, so no request of a failed listing is left running (it would
 * spend the mailbox's budget, or meet the next caller's throttling, for nothing).
 */
export async function withPimFolders(mail: Promise<FolderInfo[]>, pim: Promise<FolderInfo[]>): Promise<FolderInfo[]> {
  const [m, p] = await Promise.allSettled([mail, pim]);
  if (m.status === 'rejected') throw m.reason;
  if (p.status === 'rejected') throw p.reason;
  return [...m.value, ...p.value];
}

/** Every page of a collection, following `@odata.nextLink`. */
export async function allPages<T>(session: GraphSession, what: string, first: string, options: GraphCallOptions = { mailboxLevel: true }): Promise<T[]> {
  const out: T[] = [];
  for (let url: string | undefined = first; url; ) {
    const page: Page<T> = await session.call(what, (c) => c.api(url!).get() as Promise<Page<T>>, options);
    out.push(...page.value);
    url = page['@odata.nextLink'];
  }
  return out;
}

/** Folder id by role, for the well-known folders the mailbox has; one `$batch` of at most 20. */
export async function wellKnownIds(session: GraphSession): Promise<Map<FolderRole, string>> {
  const roles = Object.entries(WELL_KNOWN) as [FolderRole, string][];
  const requests = roles.map(([role, name]) => ({ id: role, method: 'GET', url: `${session.userPath}/mailFolders/${name}?$select=id` }));
  const result: BatchResponse = await session.call('resolve the well-known folders', (c) => c.api('/$batch').post({ requests }) as Promise<BatchResponse>, { mailboxLevel: true });
  const ids = new Map<FolderRole, string>();
  for (const r of result.responses) {
    // Throttled sub-requests come back inside the 200 envelope: retry the whole lookup later.
    if (r.status === 429) throw graphError('GRAPH-429', [session.mailbox, r.body?.error?.message ?? 'throttled inside $batch'], 'transient', retryAfterMs(r.headers?.['Retry-After'] ?? r.headers?.['retry-after']));
    if (r.status >= 500) throw graphError('GRAPH-503', [String(r.status), 'resolve the well-known folders', r.body?.error?.message ?? ''], 'transient', retryAfterMs(r.headers?.['Retry-After'] ?? r.headers?.['retry-after']));
    if (r.status === 200 && r.body?.id) ids.set(r.id as FolderRole, r.body.id);
  }
  return ids;
}

/** The whole tree, parents before children, with roles and counts. */
export async function listGraphFolders(session: GraphSession): Promise<FolderInfo[]> {
  const roles = await wellKnownIds(session);
  const roleOf = new Map([...roles].map(([role, id]) => [id, role]));
  const out: FolderInfo[] = [];
  const visit = async (url: string, parent: string[]) => {
    for (const f of await allPages<GraphFolder>(session, 'list folders', url)) {
      const role = roleOf.get(f.id);
      const info: FolderInfo = { id: f.id, path: [...parent, f.displayName], ...(role ? { role } : {}), itemType: 'mail', ...(f.totalItemCount !== undefined ? { itemCount: f.totalItemCount } : {}), ...(f.sizeInBytes !== undefined ? { sizeBytes: f.sizeInBytes } : {}) };
      out.push(info);
      if ((f.childFolderCount ?? 0) > 0) await visit(`${session.userPath}/mailFolders/${encodeURIComponent(f.id)}/childFolders?$top=100&$select=${SELECT}`, info.path);
    }
  };
  await visit(`${session.userPath}/mailFolders?$top=100&$select=${SELECT}`, []);
  return out;
}
