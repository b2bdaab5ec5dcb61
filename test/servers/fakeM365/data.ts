// What the fake Microsoft 365 holds, kept in a folder so a standalone server survives restarts and
// a test can look inside: `directory.json` (tenants, app registrations, users) and per mailbox
// `mailboxes/<user id>/mailbox.json` (folders, message metadata) beside one `.eml` per message.
// See README.md for the shapes.
import { randomBytes, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface AppRecord {
  clientId: string;
  displayName: string;
  /** Client secret values (the portal's "Value" column). */
  secrets: string[];
  /** PEM certificates registered for client assertions. */
  certificates: string[];
  /** Application permissions granted with admin consent, e.g. Mail.ReadWrite. */
  roles: string[];
  /** False: the token endpoint answers AADSTS65001 (no admin consent yet). */
  consented: boolean;
}

export interface UserRecord {
  id: string;
  userPrincipalName: string;
  displayName: string;
  /** Holds an Exchange Online licence; without one Graph answers MailboxNotEnabledForRESTAPI. */
  licensed: boolean;
  /** Mailbox size limit in bytes; creating beyond it answers 507 ErrorQuotaExceeded. */
  quotaBytes?: number;
}

export interface TenantRecord {
  id: string;
  domains: string[];
  apps: AppRecord[];
  users: UserRecord[];
}

export interface FolderRecord {
  id: string;
  displayName: string;
  parentFolderId: string;
  wellKnownName?: string;
  /** Created with `isHidden: true` (PidTagAttributeHidden): listed only with `includeHiddenFolders=true`. */
  isHidden?: boolean;
}

export interface MessageRecord {
  id: string;
  folderId: string;
  internetMessageId: string;
  subject: string;
  receivedDateTime: string;
  isRead: boolean;
  isDraft: boolean;
  flagStatus: 'notFlagged' | 'flagged' | 'complete';
  /** Categories set by a PATCH (those of a JSON create are in `created`). */
  categories?: string[];
  /** Single-value extended properties by their id as sent ('Integer 0x0E07', 'String {guid} Name X'). */
  props: Record<string, string>;
  /** Mailbox-wide change number: delta tokens are "changes after N". */
  changeSeq: number;
  size: number;
  /** The id under `Prefer: IdType="ImmutableId"`: kept on a move, when `id` (the REST id) changes. */
  immutableId?: string;
  /** A message created from JSON: the properties Graph was given; its MIME ($value) is rendered from them (messageMime.ts). */
  created?: import('./messageMime').CreatedMessage;
  /** File attachments (bytes in `attachmentPath`), in the order they were added. */
  attachments?: AttachmentRecord[];
}

export interface AttachmentRecord {
  id: string;
  name: string;
  contentType: string;
  size: number;
  isInline: boolean;
  contentId?: string;
}

export interface MailboxRecord {
  rootId: string;
  /** Contacts, calendars and To Do (graphPim.ts), made on first use. */
  pim?: import('./graphPim').PimRecord;
  folders: FolderRecord[];
  messages: MessageRecord[];
  seq: number;
  /** Messages that left a folder (deleted, or moved out under their old id), for delta's `@removed`. */
  removed?: RemovedMessage[];
}

/** A message gone from a folder at `seq`: the ids it had there. */
export interface RemovedMessage {
  id: string;
  immutableId?: string;
  folderId: string;
  seq: number;
}

/** Well-known folders every mailbox has (display name as Exchange Online names them in English). */
export const WELL_KNOWN: readonly [string, string][] = [
  ['inbox', 'Inbox'],
  ['sentitems', 'Sent Items'],
  ['drafts', 'Drafts'],
  ['deleteditems', 'Deleted Items'],
  ['junkemail', 'Junk Email'],
  ['archive', 'Archive'],
];

/**
 * Recoverable Items\Deletions: where Exchange Online puts a message `DELETE /messages/{id}`
 * soft-deletes (the user gets it back with Outlook's "Recover deleted items"). It is outside the
 * folders Outlook shows (not below msgfolderroot, so `GET /mailFolders` does not list it) and is
 * reached by its well-known name.
 */
export const RECOVERABLE_DELETIONS = 'recoverableitemsdeletions';

/** Graph-looking opaque ids. */
export const newId = (prefix = 'AAMk') => `${prefix}${randomBytes(18).toString('base64url')}`;

export class FakeData {
  readonly tenants: TenantRecord[] = [];
  private readonly mailboxes = new Map<string, MailboxRecord>();

  constructor(readonly dir: string) {
    fs.mkdirSync(path.join(dir, 'mailboxes'), { recursive: true });
    const file = path.join(dir, 'directory.json');
    if (fs.existsSync(file)) this.tenants.push(...(JSON.parse(fs.readFileSync(file, 'utf8')) as { tenants: TenantRecord[] }).tenants);
  }

  saveDirectory(): void {
    fs.writeFileSync(path.join(this.dir, 'directory.json'), JSON.stringify({ tenants: this.tenants }, null, 2));
  }

  tenant(idOrDomain: string): TenantRecord | undefined {
    const key = idOrDomain.toLowerCase();
    return this.tenants.find((t) => t.id.toLowerCase() === key || t.domains.some((d) => d.toLowerCase() === key));
  }

  addTenant(domain: string, id: string = randomUUID()): TenantRecord {
    const tenant: TenantRecord = { id, domains: [domain], apps: [], users: [] };
    this.tenants.push(tenant);
    this.saveDirectory();
    return tenant;
  }

  addApp(tenant: TenantRecord, app: Partial<AppRecord> = {}): AppRecord {
    const record: AppRecord = { clientId: randomUUID(), displayName: 'Ferry migration', secrets: [], certificates: [], roles: ['Mail.ReadWrite', 'Contacts.ReadWrite', 'Calendars.ReadWrite', 'Tasks.ReadWrite.All', 'User.Read.All'], consented: true, ...app };
    tenant.apps.push(record);
    this.saveDirectory();
    return record;
  }

  addUser(tenant: TenantRecord, userPrincipalName: string, options: { licensed?: boolean; displayName?: string; quotaBytes?: number } = {}): UserRecord {
    const user: UserRecord = { id: randomUUID(), userPrincipalName, displayName: options.displayName ?? userPrincipalName.split('@')[0], licensed: options.licensed ?? true, ...(options.quotaBytes !== undefined ? { quotaBytes: options.quotaBytes } : {}) };
    tenant.users.push(user);
    this.saveDirectory();
    return user;
  }

  findUser(tenant: TenantRecord, idOrUpn: string): UserRecord | undefined {
    const key = decodeURIComponent(idOrUpn).toLowerCase();
    return tenant.users.find((u) => u.id.toLowerCase() === key || u.userPrincipalName.toLowerCase() === key);
  }

  /** The mailbox of a user, created with its well-known folders on first use. */
  mailbox(userId: string): MailboxRecord {
    let box = this.mailboxes.get(userId);
    if (box) return box;
    const file = path.join(this.dir, 'mailboxes', userId, 'mailbox.json');
    if (fs.existsSync(file)) box = JSON.parse(fs.readFileSync(file, 'utf8')) as MailboxRecord;
    else {
      const rootId = newId('AQMk');
      box = { rootId, folders: WELL_KNOWN.map(([wellKnownName, displayName]) => ({ id: newId('AQMk'), displayName, parentFolderId: rootId, wellKnownName })), messages: [], seq: 0 };
      fs.mkdirSync(path.dirname(file), { recursive: true });
    }
    if (!box.folders.some((f) => f.wellKnownName === RECOVERABLE_DELETIONS)) box.folders.push({ id: newId('AQMk'), displayName: 'Deletions', parentFolderId: newId('AQMk'), wellKnownName: RECOVERABLE_DELETIONS });
    this.mailboxes.set(userId, box);
    this.saveMailbox(userId);
    return box;
  }

  saveMailbox(userId: string): void {
    const box = this.mailboxes.get(userId);
    if (box) fs.writeFileSync(path.join(this.dir, 'mailboxes', userId, 'mailbox.json'), JSON.stringify(box));
  }

  emlPath(userId: string, messageId: string): string {
    return path.join(this.dir, 'mailboxes', userId, `${messageId}.eml`);
  }

  /** An attachment's bytes, under the message's immutable id (REST ids change on a move). */
  attachmentPath(userId: string, message: { id: string; immutableId?: string }, attachmentId: string): string {
    return path.join(this.dir, 'mailboxes', userId, `${message.immutableId ?? message.id}.${attachmentId}.att`);
  }

  /** A folder by id or well-known name. */
  folder(box: MailboxRecord, idOrName: string): FolderRecord | undefined {
    const key = idOrName.toLowerCase();
    return box.folders.find((f) => f.id === idOrName || f.wellKnownName === key);
  }
}
