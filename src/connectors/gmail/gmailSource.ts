// A Gmail mailbox as a source, through the Gmail API. Folders are what the label mapping makes of
// the mailbox's labels (labelMapping.ts: Inbox, Sent, Drafts, Junk, Deleted Items, a folder per
// user label, Archive for All Mail-only messages); a folder lists the messages the mapping places
// in it, so a message with several labels is copied exactly as often as the mapping says, and
// All Mail never doubles anything. Items are the raw RFC 822 message (messages.get format=raw),
// with the flags and keywords the labels give. Each folder's cursor is the mailbox's history id:
// a delta asks users.history.list what changed; when Google no longer keeps that history (404),
// the folder is listed afresh with the same message ids (recorded items stay recorded).
// Calendars and contacts come from Calendar and People (gmailPim.ts).
import type { gmail_v1 } from '@googleapis/gmail';
import type { FolderChanges, FolderCursor, FolderInfo, ItemContent, ItemListing, ItemRef, SourceMailbox } from '../types';
import type { GmailSession } from './gmailSession';
import { labelFolders, mapLabels, type GmailLabel, type GmailLabelMode } from './labelMapping';
import { MailIndex, type IndexedMessage } from './mailIndex';
import { GMAIL_UNITS } from './quotaPacer';
import type { GmailPim } from './gmailPim';

/**
 * An IMAP keyword (an atom, RFC 9051) for a label name where the destination takes only atoms:
 * spaces and the characters IMAP reserves become '_' ("Client A/Q3" -> "Client_A/Q3").
 */
export function imapKeyword(name: string): string {
  return name.replace(/[\s(){%*"\\\]\u0000-\u001f\u007f]/g, '_');
}

export interface GmailSourceOptions {
  mode: GmailLabelMode;
  /** The destination keeps keywords as IMAP atoms (IMAP, Maildir); Outlook categories take any text. */
  atomKeywords: boolean;
}

export class GmailSource implements SourceMailbox {
  private readonly index: MailIndex;
  /**
   * An event keeps its id when moved to another calendar (events.move). Not mail: a message with
   * two labels is in two folders under one id.
   */
  readonly moveStableIds = ['calendar'] as const;

  constructor(
    private readonly session: GmailSession,
    private readonly pim: GmailPim,
    private readonly options: GmailSourceOptions,
  ) {
    this.index = new MailIndex(session);
  }

  async listFolders(): Promise<FolderInfo[]> {
    const labels = await this.index.labels();
    const mail: FolderInfo[] = labelFolders(labels).map((f) => ({ id: f.key, path: f.path, ...(f.role ? { role: f.role } : {}), itemType: 'mail' }));
    return [...mail, ...(await this.pim.listFolders())];
  }

  /** The ItemRef of a message in a folder: its date, size, Message-ID and what its labels make of its flags. */
  private refOf(m: IndexedMessage, labels: readonly GmailLabel[]): { ref: ItemRef; folders: string[] } {
    const placement = mapLabels(m.labelIds, labels, this.options.mode);
    const keywords = this.options.atomKeywords ? placement.keywords.map(imapKeyword) : placement.keywords;
    return {
      ref: { id: m.id, sizeBytes: m.sizeBytes, date: m.date, flags: [...placement.flags, ...new Set(keywords)], itemType: 'mail', ...(m.messageId ? { messageId: m.messageId } : {}) },
      folders: placement.folders.map((f) => f.key),
    };
  }

  private inFolder(folder: FolderInfo, messages: readonly IndexedMessage[], labels: readonly GmailLabel[]): ItemRef[] {
    return messages.map((m) => this.refOf(m, labels)).filter((r) => r.folders.includes(folder.id)).map((r) => r.ref);
  }

  async listItems(folder: FolderInfo, cursor: FolderCursor | undefined, signal: AbortSignal): Promise<ItemListing> {
    if (folder.itemType !== 'mail') return this.pim.listItems(folder, cursor, signal);
    const labels = await this.index.labels(signal);
    const from = typeof cursor?.historyId === 'string' ? cursor.historyId : undefined;
    const changes = from ? await this.index.since(from, signal) : undefined;
    if (changes) return { items: this.inFolder(folder, changes.changed, labels), cursor: { historyId: changes.historyId }, reset: false };
    // First pass, or the history is gone: everything, under the same ids (not a reset).
    const all = await this.index.all(signal);
    return { items: this.inFolder(folder, all.messages, labels), cursor: { historyId: all.historyId }, reset: false };
  }

  /**
   * What changed in a folder since the cursor (a delta pass): the messages whose labels changed,
   * with their flags now; those no longer placed here (a label removed, moved to Trash, deleted).
   * When the history is gone, the folder's whole content (complete).
   */
  async listChanges(folder: FolderInfo, cursor: FolderCursor | undefined, signal: AbortSignal): Promise<FolderChanges> {
    if (folder.itemType !== 'mail') return this.pim.listChanges(folder, cursor, signal);
    const labels = await this.index.labels(signal);
    const from = typeof cursor?.historyId === 'string' ? cursor.historyId : undefined;
    const changes = from ? await this.index.since(from, signal) : undefined;
    if (!changes) return { items: this.inFolder(folder, (await this.index.all(signal)).messages, labels), removed: [], complete: true };
    const items: ItemRef[] = [];
    const removed: string[] = [...changes.deleted];
    for (const m of changes.changed) {
      const r = this.refOf(m, labels);
      if (r.folders.includes(folder.id)) items.push(r.ref);
      else removed.push(m.id);
    }
    return { items, removed, complete: false };
  }

  async readItem(folder: FolderInfo, ref: ItemRef, signal: AbortSignal): Promise<ItemContent> {
    if (folder.itemType !== 'mail') return this.pim.readItem(folder, ref, signal);
    const api = await this.session.gmail();
    const m = await this.session.call<gmail_v1.Schema$Message>('gmail', GMAIL_UNITS['users.messages.get'], `read a message in ${folder.path.join('/')}`, () => api.users.messages.get({ userId: 'me', id: ref.id, format: 'raw' }, { signal }), { signal, item: { kind: 'message', id: ref.id } });
    return { format: 'rfc822', data: Buffer.from(m.raw ?? '', 'base64url'), flags: ref.flags, date: ref.date };
  }

  async close(): Promise<void> {}
}
