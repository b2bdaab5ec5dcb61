// Gmail labels -> destination folders, flags and keywords. Pure: the Gmail API source and the IMAP
// source with Gmail's extensions (X-GM-LABELS) both call it, so one message lands in the same
// places whichever way it is read.
//
// Modes (`options.gmail.labels`):
//  - `folders` (default, as Microsoft's Google Workspace migration does): every label is a folder;
//    a message with several labels is copied once into each of their folders.
//  - `categories`: one folder per message (its primary place: Inbox, Sent, Drafts... else the
//    archive folder); its user labels become keywords (IMAP) / categories (Outlook).
//  - `both`: the folders of `folders`, each copy carrying the labels as keywords.
// Whatever the mode: TRASH and SPAM win (a deleted or junk message goes to Deleted Items / Junk
// only, never back into its label folders; its labels stay as keywords); a message with no folder
// label (All Mail only) goes to one archive folder, once. STARRED is \Flagged, no UNREAD is \Seen,
// DRAFT is \Draft, IMPORTANT is the `$Important` keyword (RFC 8457). CATEGORY_* (the inbox tabs
// Google computes) and CHAT are dropped: Outlook and IMAP have no equivalent.
import { defaultOptions, gmailLabelModes, type GmailLabelMode } from '../../plan/model';
import type { FolderRole } from '../types';

export { gmailLabelModes, type GmailLabelMode };
export const defaultGmailLabelMode: GmailLabelMode = defaultOptions.gmail.labels;

/** A label as users.labels.list returns it (the fields used here). */
export interface GmailLabel {
  id: string;
  name: string;
  type?: 'system' | 'user' | string | null;
}

/** One destination folder of a message. `key` is stable (the label id, or a system key) and names the source folder. */
export interface MappedFolder {
  key: string;
  path: string[];
  role?: FolderRole;
}

export interface LabelPlacement {
  /** Where the message goes, each once, in a stable order; never empty. */
  folders: MappedFolder[];
  /** IMAP system flags: \Seen, \Flagged, \Draft. */
  flags: string[];
  /** IMAP keywords / Outlook categories: user label names (mode permitting) and $Important. */
  keywords: string[];
}

/** The archive folder for All Mail-only messages. */
export const archiveFolder: MappedFolder = { key: 'ARCHIVE', path: ['Archive'], role: 'archive' };

/** System labels that are folders, by precedence (the primary place in `categories` mode). */
const SYSTEM_FOLDERS: readonly MappedFolder[] = [
  { key: 'TRASH', path: ['Deleted Items'], role: 'deleted' },
  { key: 'SPAM', path: ['Junk'], role: 'junk' },
  { key: 'DRAFT', path: ['Drafts'], role: 'drafts' },
  { key: 'INBOX', path: ['Inbox'], role: 'inbox' },
  { key: 'SENT', path: ['Sent'], role: 'sent' },
];
const SYSTEM_FOLDER_BY_ID = new Map(SYSTEM_FOLDERS.map((f) => [f.key, f]));

/** System labels that are neither folders nor kept: state (flags, handled apart) and Google's own views. */
const DROPPED_SYSTEM = new Set(['UNREAD', 'STARRED', 'IMPORTANT', 'CHAT']);

/** The keyword IMPORTANT becomes (RFC 8457 `$Important`). */
export const importantKeyword = '$Important';

/** Whether a label is one of Gmail's own (system labels, CATEGORY_* tabs), not one a user made. */
export function isSystemLabel(label: GmailLabel): boolean {
  if (label.type === 'system') return true;
  if (label.type === 'user') return false;
  return SYSTEM_FOLDER_BY_ID.has(label.id) || DROPPED_SYSTEM.has(label.id) || label.id.startsWith('CATEGORY_');
}

/** Folder path of a user label: Gmail nests with '/' ("Projects/Alpha" -> ['Projects', 'Alpha']); empty segments dropped. */
export function labelPath(name: string): string[] {
  const path = name.split('/').map((s) => s.trim()).filter((s) => s !== '');
  return path.length > 0 ? path : [name];
}

/** The folder every user label maps to, and the system folders, for listing a mailbox's folders. */
export function labelFolders(labels: readonly GmailLabel[]): MappedFolder[] {
  const user = labels.filter((l) => !isSystemLabel(l)).map((l) => ({ key: l.id, path: labelPath(l.name) }));
  return [...SYSTEM_FOLDERS, ...user, archiveFolder];
}

/**
 * Where one message goes. `labelIds`: the message's labels (messages.get / history); `labels`: the
 * mailbox's label list (names of user labels); unknown ids are ignored (a label deleted meanwhile).
 */
export function mapLabels(labelIds: readonly string[], labels: readonly GmailLabel[], mode: GmailLabelMode = defaultGmailLabelMode): LabelPlacement {
  const ids = new Set(labelIds);
  const byId = new Map(labels.map((l) => [l.id, l]));
  const userLabels = [...ids]
    .map((id) => byId.get(id))
    .filter((l): l is GmailLabel => l !== undefined && !isSystemLabel(l))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const systemFolders = SYSTEM_FOLDERS.filter((f) => ids.has(f.key));

  const flags: string[] = [];
  if (!ids.has('UNREAD')) flags.push('\\Seen');
  if (ids.has('STARRED')) flags.push('\\Flagged');
  if (ids.has('DRAFT')) flags.push('\\Draft');

  const keywords: string[] = [];
  if (ids.has('IMPORTANT')) keywords.push(importantKeyword);

  // TRASH and SPAM: that one folder, labels kept as keywords (nothing resurrected into a label folder).
  const terminal = systemFolders.find((f) => f.key === 'TRASH' || f.key === 'SPAM');
  if (terminal) return { folders: [terminal], flags, keywords: [...keywords, ...userLabels.map((l) => l.name)] };

  const labelFolderList = userLabels.map((l) => ({ key: l.id, path: labelPath(l.name) }));
  let folders: MappedFolder[];
  if (mode === 'categories') {
    folders = [systemFolders[0] ?? archiveFolder];
  } else {
    // A draft is a draft: Drafts only, whatever else it is labelled.
    const draft = systemFolders.find((f) => f.key === 'DRAFT');
    folders = draft ? [draft] : [...systemFolders, ...labelFolderList];
    if (folders.length === 0) folders = [archiveFolder];
  }
  const asKeywords = mode !== 'folders' || folders.length === 1 && folders[0].key === 'DRAFT' && labelFolderList.length > 0;
  return { folders, flags, keywords: asKeywords ? [...keywords, ...userLabels.map((l) => l.name)] : keywords };
}

/** Whether a message belongs in a source folder (by its key) under a mode: the listing filter. */
export function placedIn(folderKey: string, labelIds: readonly string[], labels: readonly GmailLabel[], mode: GmailLabelMode): boolean {
  return mapLabels(labelIds, labels, mode).folders.some((f) => f.key === folderKey);
}
