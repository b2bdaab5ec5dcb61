// Well-known folder roles by name and by IMAP SPECIAL-USE attribute, shared by the connectors.
// Names are the fallback for servers without SPECIAL-USE and for Maildir, which has no attributes:
// clients and servers name these folders differently ("Sent", "Sent Items", "Sent Messages"...).
import type { FolderRole } from './types';

/** Names (lower case) of the top-level folders of each role, English first, then common localisations. */
const NAMES: Readonly<Partial<Record<FolderRole, readonly string[]>>> = {
  inbox: ['inbox'],
  sent: ['sent', 'sent items', 'sent messages', 'sent mail', 'sent-mail', 'envoyés', 'éléments envoyés', 'gesendet', 'gesendete elemente', 'gesendete objekte', 'enviados', 'elementos enviados', 'posta inviata', 'отправленные'],
  drafts: ['drafts', 'draft', 'brouillons', 'entwürfe', 'borradores', 'bozze', 'черновики'],
  deleted: ['trash', 'deleted items', 'deleted messages', 'deleted', 'bin', 'corbeille', 'éléments supprimés', 'papierkorb', 'gelöschte elemente', 'papelera', 'elementos eliminados', 'cestino', 'корзина', 'удаленные'],
  junk: ['junk', 'spam', 'junk e-mail', 'junk email', 'junk mail', 'bulk mail', 'courrier indésirable', 'junk-e-mail', 'correo no deseado', 'posta indesiderata', 'спам', 'нежелательная почта'],
  archive: ['archive', 'archives', 'archiv', 'archivo', 'archivio', 'архив'],
  outbox: ['outbox', "boîte d'envoi", 'postausgang'],
  all: ['all mail'],
  flagged: ['starred', 'flagged'],
  calendar: ['calendar'],
  contacts: ['contacts'],
  tasks: ['tasks'],
};

const BY_NAME: ReadonlyMap<string, FolderRole> = new Map(
  (Object.entries(NAMES) as [FolderRole, readonly string[]][]).flatMap(([role, names]) => names.map((n) => [n, role] as const)),
);

/** Parents under which role folders may sit: Courier-style INBOX.Sent, Gmail's [Gmail]/Sent Mail. */
const ROLE_PARENTS = new Set(['inbox', '[gmail]', '[google mail]']);

/** The role a folder has by its name; only top-level folders (or those under INBOX/[Gmail]) get one. */
export function roleFromPath(path: readonly string[]): FolderRole | undefined {
  if (path.length === 0 || path.length > 2) return undefined;
  if (path.length === 2 && !ROLE_PARENTS.has(path[0].toLowerCase())) return undefined;
  const role = BY_NAME.get(path[path.length - 1].normalize('NFC').toLowerCase().trim());
  // INBOX/Inbox is a subfolder named Inbox, not a second inbox.
  return path.length === 2 && role === 'inbox' ? undefined : role;
}

const SPECIAL_USE: Readonly<Record<string, FolderRole>> = {
  '\\inbox': 'inbox',
  '\\sent': 'sent',
  '\\drafts': 'drafts',
  '\\trash': 'deleted',
  '\\junk': 'junk',
  '\\archive': 'archive',
  '\\all': 'all',
  '\\flagged': 'flagged',
};

/** The role of an IMAP SPECIAL-USE attribute (RFC 6154), e.g. '\\Sent' -> 'sent'. */
export function roleFromSpecialUse(attribute: string | undefined): FolderRole | undefined {
  return attribute ? SPECIAL_USE[attribute.toLowerCase()] : undefined;
}

/** The SPECIAL-USE attribute for a role, for CREATE-SPECIAL-USE (RFC 6154); undefined when IMAP has none. */
export function specialUseForRole(role: FolderRole): string | undefined {
  const found = Object.entries(SPECIAL_USE).find(([, r]) => r === role)?.[0];
  return found && found !== '\\inbox' ? `\\${found[1].toUpperCase()}${found.slice(2)}` : undefined;
}

/** The name to create a role folder under when the destination has none: the common English name. */
export function defaultFolderName(role: FolderRole): string {
  const names: Record<FolderRole, string> = {
    inbox: 'INBOX',
    sent: 'Sent',
    drafts: 'Drafts',
    deleted: 'Trash',
    junk: 'Junk',
    archive: 'Archive',
    outbox: 'Outbox',
    all: 'All Mail',
    flagged: 'Flagged',
    calendar: 'Calendar',
    contacts: 'Contacts',
    tasks: 'Tasks',
  };
  return names[role];
}
