// One Gmail mailbox as Gmail's IMAP shows it: each message once, with its labels (the Gmail API's
// label ids: INBOX, SENT, DRAFT, IMPORTANT, STARRED, UNREAD, SPAM, TRASH, and user label names);
// every folder is a view of the labels, so the same message sits in several folders with the same
// X-GM-MSGID and its own UID in each.
// https://developers.google.com/gmail/imap/imap-extensions ; https://support.google.com/mail/answer/78892

export interface GmailMessageSpec {
  raw: string | Buffer;
  /** INTERNALDATE (Gmail: when it was received). */
  date: Date;
  /** Gmail API label ids: system ones upper case, user labels by name ('Projects/Alpha'). */
  labels: string[];
  /** Other IMAP flags the message has (\Answered, keywords). */
  flags?: string[];
  /** The thread; the message's own id when absent. */
  threadOf?: number;
}

export interface GmailMessage {
  index: number;
  msgId: bigint;
  thrId: bigint;
  raw: Buffer;
  date: Date;
  labels: Set<string>;
  extraFlags: string[];
  /** Deleted for good (emptied from Trash, users.messages.delete): in no folder any more. */
  deleted?: boolean;
}

export interface GmailFolder {
  name: string;
  specialUse?: string;
  /** Which messages the folder shows. */
  holds: (m: GmailMessage) => boolean;
  uidValidity: number;
  uids: Map<number, number>;
  uidNext: number;
}

/** System label ids as X-GM-LABELS spells them. SPAM and TRASH are folders only (see README). */
export const IMAP_SYSTEM_LABELS: Readonly<Record<string, string>> = { INBOX: '\\Inbox', SENT: '\\Sent', DRAFT: '\\Draft', IMPORTANT: '\\Important', STARRED: '\\Starred' };
const NOT_LABELS = new Set(['UNREAD', 'SPAM', 'TRASH']);

const hidden = (m: GmailMessage) => m.labels.has('SPAM') || m.labels.has('TRASH');

export class GmailStore {
  readonly messages: GmailMessage[] = [];
  private readonly folders = new Map<string, GmailFolder>();
  private nextMsgId = 1_700_000_000_000_000_000n;
  private nextValidity = 11;

  constructor(specs: readonly GmailMessageSpec[] = []) {
    this.folder('INBOX', (m) => m.labels.has('INBOX') && !hidden(m));
    this.folder('[Gmail]/All Mail', (m) => !hidden(m), '\\All');
    this.folder('[Gmail]/Drafts', (m) => m.labels.has('DRAFT') && !hidden(m), '\\Drafts');
    this.folder('[Gmail]/Important', (m) => m.labels.has('IMPORTANT') && !hidden(m), '\\Important');
    this.folder('[Gmail]/Sent Mail', (m) => m.labels.has('SENT') && !hidden(m), '\\Sent');
    this.folder('[Gmail]/Spam', (m) => m.labels.has('SPAM'), '\\Junk');
    this.folder('[Gmail]/Starred', (m) => m.labels.has('STARRED') && !hidden(m), '\\Flagged');
    this.folder('[Gmail]/Trash', (m) => m.labels.has('TRASH'), '\\Trash');
    for (const s of specs) this.add(s);
  }

  private folder(name: string, holds: (m: GmailMessage) => boolean, specialUse?: string): void {
    this.folders.set(name, { name, holds, specialUse, uidValidity: this.nextValidity++, uids: new Map(), uidNext: 1 });
  }

  /** A user label and its parents (Gmail creates "A" for "A/B"). */
  private userLabel(label: string): void {
    const parts = label.split('/');
    for (let i = 1; i <= parts.length; i++) {
      const name = parts.slice(0, i).join('/');
      if (!this.folders.has(name)) this.folder(name, (m) => m.labels.has(name) && !hidden(m));
    }
  }

  add(spec: GmailMessageSpec): GmailMessage {
    const msgId = this.nextMsgId;
    this.nextMsgId += 7n;
    const thread = spec.threadOf !== undefined ? this.messages[spec.threadOf]?.msgId : undefined;
    const m: GmailMessage = {
      index: this.messages.length,
      msgId,
      thrId: thread ?? msgId,
      raw: Buffer.isBuffer(spec.raw) ? spec.raw : Buffer.from(spec.raw.replace(/\r?\n/g, '\r\n'), 'utf8'),
      date: spec.date,
      labels: new Set(spec.labels),
      extraFlags: spec.flags ?? [],
    };
    for (const l of spec.labels) if (!IMAP_SYSTEM_LABELS[l] && !NOT_LABELS.has(l)) this.userLabel(l);
    this.messages.push(m);
    return m;
  }

  /** Labels a message anew (users.messages.modify): its UID in All Mail stays, a folder newly showing it gives it the next UID. */
  relabel(index: number, add: readonly string[], remove: readonly string[] = []): GmailMessage {
    const m = this.messages[index];
    for (const l of remove) m.labels.delete(l);
    for (const l of add) {
      m.labels.add(l);
      if (!IMAP_SYSTEM_LABELS[l] && !NOT_LABELS.has(l)) this.userLabel(l);
    }
    return m;
  }

  /** Deletes a message for good (users.messages.delete): it leaves every folder, its UIDs are not reused. */
  delete(index: number): void {
    this.messages[index].deleted = true;
  }

  folderNames(): string[] {
    return [...this.folders.keys()];
  }

  get(name: string): GmailFolder | undefined {
    // INBOX is case-insensitive (RFC 3501 5.1); other names are exact.
    return this.folders.get(name.toUpperCase() === 'INBOX' ? 'INBOX' : name);
  }

  /** The folder's messages in UID order; a message new to the folder gets the next UID. */
  contents(folder: GmailFolder): { uid: number; message: GmailMessage }[] {
    for (const m of this.messages) if (!m.deleted && folder.holds(m) && !folder.uids.has(m.index)) folder.uids.set(m.index, folder.uidNext++);
    const out: { uid: number; message: GmailMessage }[] = [];
    for (const m of this.messages) {
      const uid = folder.uids.get(m.index);
      if (uid !== undefined && !m.deleted && folder.holds(m)) out.push({ uid, message: m });
    }
    return out.sort((a, b) => a.uid - b.uid);
  }

  /** IMAP flags of a message: UNREAD, STARRED and DRAFT are \Seen, \Flagged and \Draft. */
  flags(m: GmailMessage): string[] {
    const f: string[] = [];
    if (!m.labels.has('UNREAD')) f.push('\\Seen');
    if (m.labels.has('STARRED')) f.push('\\Flagged');
    if (m.labels.has('DRAFT')) f.push('\\Draft');
    return [...f, ...m.extraFlags];
  }

  /** X-GM-LABELS of a message. */
  imapLabels(m: GmailMessage): string[] {
    return [...m.labels].filter((l) => !NOT_LABELS.has(l)).map((l) => IMAP_SYSTEM_LABELS[l] ?? l);
  }
}
