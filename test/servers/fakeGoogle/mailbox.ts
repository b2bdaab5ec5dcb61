// One user's Gmail mailbox: labels (system and user, "Parent/Child" names), messages (raw RFC 822
// bytes, label ids, thread, internal date, the history id of their last change) and the history
// of changes that users.history.list reads. History ids grow with random gaps, as Gmail's do;
// history older than `historyFloor` is gone (Gmail keeps it "at least a week", sometimes hours).
import { randomInt } from 'node:crypto';
import { splitEntity } from './messagePart';

export const SYSTEM_LABELS = ['CHAT', 'SENT', 'INBOX', 'IMPORTANT', 'TRASH', 'DRAFT', 'SPAM', 'CATEGORY_FORUMS', 'CATEGORY_UPDATES', 'CATEGORY_PERSONAL', 'CATEGORY_PROMOTIONS', 'CATEGORY_SOCIAL', 'STARRED', 'UNREAD'] as const;
/** System labels Gmail lists with message/label list visibility. */
const VISIBLE_SYSTEM = new Set(['SENT', 'INBOX', 'TRASH', 'DRAFT', 'SPAM', 'STARRED', 'UNREAD', 'IMPORTANT', 'CHAT']);

export interface StoredLabel {
  id: string;
  name: string;
  type: 'system' | 'user';
  messageListVisibility?: 'show' | 'hide';
  labelListVisibility?: 'labelShow' | 'labelShowIfUnread' | 'labelHide';
  color?: { textColor: string; backgroundColor: string };
}

export interface StoredMessage {
  id: string;
  threadId: string;
  raw: Buffer;
  labelIds: Set<string>;
  /** Milliseconds since the epoch. */
  internalDate: number;
  historyId: number;
}

type MessageRef = { id: string; threadId: string };
export type HistoryKind = 'messageAdded' | 'messageDeleted' | 'labelAdded' | 'labelRemoved';

export interface HistoryRecord {
  id: number;
  kind: HistoryKind;
  message: MessageRef;
  /** Label ids of the message after the change (what Gmail shows with the record). */
  labelIdsAfter: string[];
  /** The labels added or removed. */
  labelIds?: string[];
}

export interface NewMessage {
  raw: Buffer | string;
  labelIds?: string[];
  /** Milliseconds since the epoch, or a Date; the Date header, else now, when omitted. */
  internalDate?: number | Date;
  threadId?: string;
}

export class MailboxError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

let idCounter = 0;
/** Gmail-like message ids: 16 hex digits, growing with time. */
function newMessageId(): string {
  idCounter = (idCounter + 1) % 0x1000;
  return ((BigInt(Date.now()) << 12n) | BigInt(idCounter)).toString(16).padStart(16, '0').slice(-16);
}

export class Mailbox {
  readonly labels = new Map<string, StoredLabel>();
  readonly messages = new Map<string, StoredMessage>();
  readonly history: HistoryRecord[] = [];
  historyId = randomInt(1000, 100_000);
  /** The lowest startHistoryId history.list still accepts. */
  historyFloor: number;
  private nextUserLabel = 1;

  constructor(readonly emailAddress: string) {
    for (const id of SYSTEM_LABELS) this.labels.set(id, { id, name: id, type: 'system', ...(VISIBLE_SYSTEM.has(id) ? {} : { messageListVisibility: 'hide', labelListVisibility: 'labelHide' }) });
    this.historyFloor = this.historyId;
  }

  private bump(): number {
    this.historyId += randomInt(1, 4);
    return this.historyId;
  }

  private record(kind: HistoryKind, m: StoredMessage, labelIds?: string[]): void {
    const id = this.bump();
    m.historyId = id;
    this.history.push({ id, kind, message: { id: m.id, threadId: m.threadId }, labelIdsAfter: [...m.labelIds], ...(labelIds ? { labelIds } : {}) });
  }

  labelByName(name: string): StoredLabel | undefined {
    const lower = name.toLowerCase();
    for (const l of this.labels.values()) if (l.name.toLowerCase() === lower) return l;
    return undefined;
  }

  /** labels.create: a user label; Gmail refuses a name that exists or is a system label's. */
  createLabel(name: string, options: Partial<Omit<StoredLabel, 'id' | 'name' | 'type'>> = {}): StoredLabel {
    const trimmed = name.trim();
    if (!trimmed || trimmed.length > 225) throw new MailboxError(400, 'invalidArgument', 'Invalid label name');
    if ((SYSTEM_LABELS as readonly string[]).includes(trimmed.toUpperCase()) || this.labelByName(trimmed)) throw new MailboxError(409, 'alreadyExists', 'Label name exists or conflicts');
    const label: StoredLabel = { id: `Label_${this.nextUserLabel++}`, name: trimmed, type: 'user', messageListVisibility: options.messageListVisibility ?? 'show', labelListVisibility: options.labelListVisibility ?? 'labelShow', ...(options.color ? { color: options.color } : {}) };
    this.labels.set(label.id, label);
    return label;
  }

  private checkLabels(ids: string[]): void {
    for (const id of ids) if (!this.labels.has(id)) throw new MailboxError(400, 'invalidArgument', `Invalid label: ${id}`);
  }

  /** messages.insert / import: the message is added with exactly the given labels. */
  insert(m: NewMessage): StoredMessage {
    const raw = typeof m.raw === 'string' ? Buffer.from(m.raw, 'utf8') : m.raw;
    if (raw.length === 0) throw new MailboxError(400, 'invalidArgument', "'raw' RFC822 payload message string or uploading message via /upload/* URL required");
    const labelIds = m.labelIds ?? [];
    this.checkLabels(labelIds);
    const id = newMessageId();
    let threadId = id;
    if (m.threadId) {
      if (![...this.messages.values()].some((x) => x.threadId === m.threadId)) throw new MailboxError(404, 'notFound', 'Requested entity was not found.');
      threadId = m.threadId;
    }
    const date = m.internalDate instanceof Date ? m.internalDate.getTime() : (m.internalDate ?? dateHeaderOf(raw) ?? Date.now());
    const stored: StoredMessage = { id, threadId, raw, labelIds: new Set(labelIds), internalDate: date, historyId: 0 };
    this.messages.set(id, stored);
    this.record('messageAdded', stored);
    return stored;
  }

  get(id: string): StoredMessage {
    const m = this.messages.get(id);
    if (!m) throw new MailboxError(404, 'notFound', 'Requested entity was not found.');
    return m;
  }

  /** messages.modify: adds, then removes labels; one history record per kind that changed something. */
  modify(id: string, add: string[] = [], remove: string[] = []): StoredMessage {
    const m = this.get(id);
    this.checkLabels([...add, ...remove]);
    const added = add.filter((l) => !m.labelIds.has(l) && !remove.includes(l));
    const removed = remove.filter((l) => m.labelIds.has(l));
    for (const l of added) m.labelIds.add(l);
    for (const l of removed) m.labelIds.delete(l);
    if (added.length) this.record('labelAdded', m, added);
    if (removed.length) this.record('labelRemoved', m, removed);
    return m;
  }

  /** messages.trash: TRASH added, SPAM removed; the other labels stay (as Gmail shows them). */
  trash(id: string): StoredMessage {
    return this.modify(id, ['TRASH'], this.get(id).labelIds.has('SPAM') ? ['SPAM'] : []);
  }

  untrash(id: string): StoredMessage {
    return this.modify(id, [], ['TRASH']);
  }

  /** messages.delete: gone for good (no trash). */
  delete(id: string): void {
    const m = this.get(id);
    this.messages.delete(id);
    this.record('messageDeleted', m);
  }

  /** Forgets all history up to now: a startHistoryId from before answers 404. */
  expireHistory(): void {
    this.history.length = 0;
    this.historyFloor = this.historyId;
  }

  /** Messages newest first (internalDate, then id), as messages.list orders them. */
  ordered(): StoredMessage[] {
    return [...this.messages.values()].sort((a, b) => b.internalDate - a.internalDate || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
  }

  threadCount(filter: (m: StoredMessage) => boolean): number {
    return new Set([...this.messages.values()].filter(filter).map((m) => m.threadId)).size;
  }
}

function dateHeaderOf(raw: Buffer): number | undefined {
  const value = splitEntity(raw).headers.find((h) => h.name.toLowerCase() === 'date')?.value;
  const t = value ? Date.parse(value) : NaN;
  return Number.isNaN(t) ? undefined : t;
}
