// The folder tree of a Graph mailbox: top-level folders under msgfolderroot, their childFolders,
// and the roles of the well-known folders (inbox, sentitems, ...) resolved in one `$batch`.
// A folder's size: Graph v1.0's mailFolder has no size (`sizeInBytes` is beta only, and v1.0
// answers 400 to a `$select` naming it), so it comes from the folder's PidTagMessageSizeExtended
// (`Long 0x0E08`, the total size of its messages) as an expanded extended property: the same
// request, exact, where summing message sizes would cost a listing per folder.
import type { MailFolder, SingleValueLegacyExtendedProperty } from '@microsoft/microsoft-graph-types';
import type { FolderInfo, FolderRole } from '../types';
import { batchRequests } from './graphBatch';
import { select } from './graphSelect';
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

/** The mailFolder properties Ferry selects: names of Microsoft's v1.0 type, so one v1.0 lacks does not compile. */
const FIELDS = ['id', 'displayName', 'parentFolderId', 'childFolderCount', 'totalItemCount'] as const satisfies readonly (keyof MailFolder)[];
type GraphFolder = { id: string; displayName: string } & Pick<MailFolder, Exclude<(typeof FIELDS)[number], 'id' | 'displayName'> | 'singleValueExtendedProperties'>;

/** PidTagMessageSizeExtended: on a folder, the total size of its messages (MS-OXCFOLD). */
export const FOLDER_SIZE_PROPERTY = 'Long 0x0E08';
const FOLDER_QUERY = `$top=100&$select=${select<MailFolder>(...FIELDS)}&$expand=${encodeURIComponent(`singleValueExtendedProperties($filter=id eq '${FOLDER_SIZE_PROPERTY}')`)}`;

/** The folder's size from its expanded PidTagMessageSizeExtended (Graph spells the id 'Long 0xe08'). */
export function folderSize(props: readonly SingleValueLegacyExtendedProperty[] | null | undefined): number | undefined {
  const p = props?.find((x) => /^long\s+0x0*e08$/i.test(x.id ?? ''));
  const n = p?.value ? Number(p.value) : NaN;
  return Number.isFinite(n) ? n : undefined;
}

interface Page<T> {
  value: T[];
  '@odata.nextLink'?: string;
}


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
  // Independent reads: no dependsOn, Graph runs them side by side.
  const requests = roles.map(([role, name]) => ({ id: role, method: 'GET', url: `${session.userPath}/mailFolders/${name}?$select=${select<MailFolder>('id')}` }));
  const responses = await batchRequests<Pick<GraphFolder, 'id'>>(session, 'resolve the well-known folders', requests);
  const ids = new Map<FolderRole, string>();
  for (const [role, r] of responses) if (r.status === 200 && r.body?.id) ids.set(role as FolderRole, r.body.id);
  return ids;
}

function sizeOf(f: GraphFolder): { sizeBytes?: number } {
  const size = folderSize(f.singleValueExtendedProperties);
  return size === undefined ? {} : { sizeBytes: size };
}

/** The whole tree, parents before children, with roles and counts. */
export async function listGraphFolders(session: GraphSession): Promise<FolderInfo[]> {
  const roles = await wellKnownIds(session);
  const roleOf = new Map([...roles].map(([role, id]) => [id, role]));
  const out: FolderInfo[] = [];
  const visit = async (url: string, parent: string[]) => {
    for (const f of await allPages<GraphFolder>(session, 'list folders', url)) {
      const role = roleOf.get(f.id);
      const info: FolderInfo = { id: f.id, path: [...parent, f.displayName], ...(role ? { role } : {}), itemType: 'mail', ...(typeof f.totalItemCount === 'number' ? { itemCount: f.totalItemCount } : {}), ...sizeOf(f) };
      out.push(info);
      if ((f.childFolderCount ?? 0) > 0) await visit(`${session.userPath}/mailFolders/${encodeURIComponent(f.id)}/childFolders?${FOLDER_QUERY}`, info.path);
    }
  };
  await visit(`${session.userPath}/mailFolders?${FOLDER_QUERY}`, []);
  return out;
}
