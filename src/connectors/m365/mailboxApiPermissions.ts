// The permission each call Ferry makes of Exchange's mailbox import/export API needs, as
// Microsoft's API reference names it (least privileged): folders (list, childFolders)
// MailboxFolder.Read.All, items (delta) MailboxItem.Read.All, exportItems MailboxItem.Export.All,
// createImportSession MailboxItem.ImportExport.All; signed in with a device code, the delegated
// names without `.All`. A 403 of such a call becomes GRAPH-403-FF naming the permission, with the
// consent fix, instead of GRAPH-403 (which names Mail.ReadWrite).
import { graphError } from './graphErrors';
import type { GraphSession } from './graphSession';
import { ConnectorError } from '../types';

export const MAILBOX_API_PERMISSIONS = {
  folders: { application: 'MailboxFolder.Read.All', delegated: 'MailboxFolder.Read' },
  items: { application: 'MailboxItem.Read.All', delegated: 'MailboxItem.Read' },
  export: { application: 'MailboxItem.Export.All', delegated: 'MailboxItem.Export' },
} as const;

export type MailboxApiUse = keyof typeof MAILBOX_API_PERMISSIONS;

/** The permission `use` needs for this session's kind of sign-in, e.g. 'MailboxItem.Read.All (application)'. */
export function permissionFor(session: GraphSession, use: MailboxApiUse): string {
  const delegated = session.settings.credential.kind === 'deviceCode';
  return `${MAILBOX_API_PERMISSIONS[use][delegated ? 'delegated' : 'application']} (${delegated ? 'delegated' : 'application'})`;
}

/** Runs calls of the import/export API for `use`; a 403 becomes GRAPH-403-FF (a mailbox-level error) naming its permission. */
export async function withMailboxApiPermission<T>(session: GraphSession, use: MailboxApiUse, what: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof ConnectorError && err.code === 'GRAPH-403') throw graphError('GRAPH-403-FF', [session.mailbox, permissionFor(session, use), what, err.args[1] ?? err.message]);
    throw err;
  }
}
