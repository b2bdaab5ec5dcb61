// The permissions the fake's mailbox import/export API requires, route by route, as Microsoft's API
// reference names them (the Permissions table of each page: least privileged, then higher
// privileged; mailboxApi.md quotes them). An app-only token must carry one of the application
// permissions in its `roles`, a delegated token one of the delegated ones in its `scp`: a delegated
// name in `roles` (or an `.All` name in `scp`) grants nothing, as in Microsoft Entra ID.
//   GET .../folders, .../folders/{id}, .../childFolders, .../folders/delta, .../childFolders/delta
//       application MailboxFolder.Read.All (higher: MailboxFolder.ReadWrite.All); delegated MailboxFolder.Read (MailboxFolder.ReadWrite)
//   GET .../folders/{id}/items/delta (as list items and get item)
//       application MailboxItem.Read.All; delegated MailboxItem.Read (no higher privileged permission)
//   POST .../exportItems
//       application MailboxItem.Export.All (higher: MailboxItem.ImportExport.All); delegated MailboxItem.Export (MailboxItem.ImportExport)
//   POST .../createImportSession
//       application MailboxItem.ImportExport.All; delegated MailboxItem.ImportExport
//   GET /admin/exchange/mailboxes/{id}: no page documents it; the fake takes any permission above.

/** Who calls: the permissions of the token and whether they are delegated scopes (`scp`) or application roles (`roles`). */
export interface Grant {
  permissions: readonly string[];
  delegated: boolean;
}

export interface Documented {
  application: readonly string[];
  delegated: readonly string[];
}

export const MAILBOX_API_PERMISSIONS = {
  folders: { application: ['MailboxFolder.Read.All', 'MailboxFolder.ReadWrite.All'], delegated: ['MailboxFolder.Read', 'MailboxFolder.ReadWrite'] },
  items: { application: ['MailboxItem.Read.All'], delegated: ['MailboxItem.Read'] },
  export: { application: ['MailboxItem.Export.All', 'MailboxItem.ImportExport.All'], delegated: ['MailboxItem.Export', 'MailboxItem.ImportExport'] },
  importSession: { application: ['MailboxItem.ImportExport.All'], delegated: ['MailboxItem.ImportExport'] },
} satisfies Record<string, Documented>;

/** The grant of a token's claims: `roles` (app-only) or `scp` (delegated, space separated). */
export function grantOf(claims: Record<string, unknown>): Grant {
  if (Array.isArray(claims.roles)) return { permissions: claims.roles.map(String), delegated: false };
  return { permissions: typeof claims.scp === 'string' ? claims.scp.split(' ').filter(Boolean) : [], delegated: true };
}

/** Whether the grant holds one of the permissions documented for a route, of its own kind. */
export function allows(grant: Grant, documented: Documented): boolean {
  const wanted = grant.delegated ? documented.delegated : documented.application;
  return grant.permissions.some((p) => wanted.includes(p));
}

/** The mailbox itself (GET .../mailboxes/{id}), undocumented: any permission of the API. */
export function allowsAny(grant: Grant): boolean {
  return Object.values(MAILBOX_API_PERMISSIONS).some((d) => allows(grant, d));
}
