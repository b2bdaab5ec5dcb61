// The fake's storage: a data folder holding config.json (users, policies) and one folder per
// mailbox (mailbox.json with the folder tree and change journal, and per folder the items as
// <id>.eml plus <id>.json). Everything is loaded at start and written through on each change.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

export type AuthScheme = 'Negotiate' | 'NTLM' | 'Basic' | 'Bearer';

export interface FakeEwsUser {
  /** Primary SMTP address; the mailbox is keyed by it. */
  address: string;
  displayName?: string;
  /** Down-level logon name, DOMAIN\user. */
  login: string;
  /** userPrincipalName; the address when omitted. */
  upn?: string;
  password: string;
  /** Bearer tokens accepted for this account (OAuth). */
  bearerTokens?: string[];
  /** 'ApplicationImpersonation' lets the account impersonate every mailbox. */
  roles?: Array<'ApplicationImpersonation'>;
  /** Mailboxes (addresses) this account holds FullAccess on. */
  fullAccess?: string[];
  /** False for a service account without a mailbox (default true). */
  hasMailbox?: boolean;
  /** False when EWS is disabled for the account (Set-CASMailbox -EwsEnabled $false). */
  ewsEnabled?: boolean;
  /** ProhibitSendReceiveQuota in bytes (no limit when omitted). */
  quotaBytes?: number;
  /** Largest item accepted in bytes (the organisation's limit when omitted). */
  maxItemBytes?: number;
}

export interface ThrottlePolicy {
  /** Requests per second refilled into each account's and each mailbox's bucket (0: no limit). */
  ratePerSecond: number;
  /** Bucket size. */
  burst: number;
  /** Requests in flight per account (EWSMaxConcurrency; 0: no limit). */
  maxConcurrency: number;
}

export type FaultKind = 'serverBusy' | 'mailboxMoveInProgress' | 'itemNotFound' | 'internalServerError' | 'http503' | 'reset' | 'malformed' | 'quotaAfterBytes';

export interface FaultRule {
  kind: FaultKind;
  /** Requests hit before the rule is spent (default 1; -1: forever). Ignored by quotaAfterBytes. */
  count?: number;
  /** Only requests whose target mailbox is this address. */
  mailbox?: string;
  /** Only this operation (e.g. 'GetItem'). */
  operation?: string;
  /** quotaAfterBytes: bytes a mailbox may still take in before ErrorQuotaExceeded. */
  afterBytes?: number;
  /** serverBusy: the BackOffMilliseconds returned (default 2000). */
  backOffMs?: number;
}

export interface FakeEwsConfig {
  organization: { netbiosDomain: string; dnsDomain: string; serverName: string };
  users: FakeEwsUser[];
  authSchemes: AuthScheme[];
  throttling: ThrottlePolicy;
  /** Milliseconds each EWS request takes before its answer (a real server's work); 0 or absent: none. */
  latencyMs?: number;
  /** Per mailbox bucket; the account's policy when omitted. */
  mailboxThrottling?: ThrottlePolicy;
  autodiscover: {
    /** Domains this organisation answers for. */
    domains: string[];
    /** Domain -> where autodiscover sends its users: another address domain or an URL. */
    redirects: Record<string, { addressDomain?: string; url?: string }>;
  };
  limits: { maxItemBytes: number; exportMaxItems: number; findCountLimit: number; resolveNamesMax: number };
  faults: FaultRule[];
  /** Signs SyncStates so a tampered or foreign one is refused. */
  secret: string;
  /** The newest schema the server speaks (an older Exchange): newer RequestServerVersions get ErrorInvalidServerVersion. */
  serverVersion?: string;
  /** How long an idle keep-alive connection stays open before the server closes it (IIS: 120 s). */
  keepAliveTimeoutMs?: number;
  /** HTTPS (a test CA made by openssl at start) instead of HTTP. */
  https?: boolean;
  /**
   * Extended Protection (IIS tokenChecking) for NTLM over HTTPS: `Require` refuses an AUTHENTICATE
   * message without the channel binding of the server's certificate, `Allow` checks it when sent,
   * `None` (the default) ignores it.
   */
  extendedProtection?: 'None' | 'Allow' | 'Require';
}

export interface ExtendedFieldUri {
  DistinguishedPropertySetId?: string;
  PropertySetId?: string;
  PropertyTag?: string;
  PropertyName?: string;
  PropertyId?: string;
  PropertyType: string;
}

export interface StoredExtendedProperty { uri: ExtendedFieldUri; value?: string; values?: string[] }

/** What a task holds beyond ItemType (Exchange gives no MIME for tasks: these come as properties). */
export interface StoredTask {
  body?: string;
  importance?: 'Low' | 'Normal' | 'High';
  reminderDueBy?: string;
  completeDate?: string;
  dueDate?: string;
  percentComplete?: number;
  startDate?: string;
  status?: 'NotStarted' | 'InProgress' | 'Completed' | 'WaitingOnOthers' | 'Deferred';
}

export interface StoredItem {
  id: string;
  task?: StoredTask;
  folder: string;
  itemClass: string;
  subject: string;
  internetMessageId?: string;
  from?: string;
  dateTimeReceived: string;
  dateTimeSent?: string;
  dateTimeCreated: string;
  lastModifiedTime: string;
  /** PR_MESSAGE_FLAGS; bit 1 read, bit 8 unsent (draft). */
  messageFlags: number;
  /** item:Flag's FlagStatus (types.xsd FlagType; Exchange 2013 and later); NotFlagged when absent. */
  flagStatus?: 'NotFlagged' | 'Flagged' | 'Complete';
  /** item:Categories (ArrayOfStringsType). */
  categories?: string[];
  isAssociated: boolean;
  size: number;
  extended: StoredExtendedProperty[];
  /**
   * PidTagSearchKey (0x300B, PtypBinary), base64: given at creation, copied onto a copy and kept by
   * a move ([MS-OXCPRPT] 2.2.1.9), read-only for clients. Absent only before the store gives one.
   */
  searchKey?: string;
  createdSeq: number;
  modSeq: number;
  readSeq: number;
}

export interface StoredFolder {
  id: string;
  parent: string | null;
  displayName: string;
  folderClass: string;
  distinguished?: string;
  createdSeq: number;
  modSeq: number;
}

export interface MailboxState {
  address: string;
  seq: number;
  nextId: number;
  folders: StoredFolder[];
  /** Deleted items: id, folder, the seq they were created at and deleted at. */
  tombstones: Array<{ id: string; folder: string; createdSeq: number; deletedSeq: number }>;
}

export const WELL_KNOWN: Array<{ distinguished: string; displayName: string; folderClass: string }> = [
  { distinguished: 'inbox', displayName: 'Inbox', folderClass: 'IPF.Note' },
  { distinguished: 'sentitems', displayName: 'Sent Items', folderClass: 'IPF.Note' },
  { distinguished: 'drafts', displayName: 'Drafts', folderClass: 'IPF.Note' },
  { distinguished: 'deleteditems', displayName: 'Deleted Items', folderClass: 'IPF.Note' },
  { distinguished: 'junkemail', displayName: 'Junk Email', folderClass: 'IPF.Note' },
  { distinguished: 'archive', displayName: 'Archive', folderClass: 'IPF.Note' },
  { distinguished: 'outbox', displayName: 'Outbox', folderClass: 'IPF.Note' },
  { distinguished: 'calendar', displayName: 'Calendar', folderClass: 'IPF.Appointment' },
  { distinguished: 'contacts', displayName: 'Contacts', folderClass: 'IPF.Contact' },
  { distinguished: 'tasks', displayName: 'Tasks', folderClass: 'IPF.Task' },
];

export function defaultConfig(): FakeEwsConfig {
  return {
    organization: { netbiosDomain: 'CONTOSO', dnsDomain: 'contoso.local', serverName: 'EX01' },
    users: [],
    authSchemes: ['Negotiate', 'NTLM', 'Basic'],
    throttling: { ratePerSecond: 100, burst: 200, maxConcurrency: 27 },
    autodiscover: { domains: [], redirects: {} },
    limits: { maxItemBytes: 35 * 1024 * 1024, exportMaxItems: 100, findCountLimit: 1000, resolveNamesMax: 100 },
    faults: [],
    secret: crypto.randomBytes(16).toString('hex'),
  };
}

/** An item to seed: a folder (distinguished id or display path like 'inbox/Projects') and its MIME. */
export interface SeedItem {
  folder: string;
  mime: string | Buffer;
  isRead?: boolean;
  itemClass?: string;
  /** ISO date; the MIME Date header (or now) when omitted. */
  received?: string;
  isDraft?: boolean;
  isAssociated?: boolean;
  extended?: StoredExtendedProperty[];
  /** For IPM.Task items: the task's properties (its `mime` holds the subject line). */
  task?: StoredTask;
}

export interface SeedMailbox {
  /** Extra folders: path under msgfolderroot ('Projects/2024' or 'inbox/Sub') and class. */
  folders?: Array<{ path: string; folderClass?: string }>;
  items?: SeedItem[];
}

export interface FakeEwsSeed {
  users: FakeEwsUser[];
  mailboxes?: Record<string, SeedMailbox>;
  config?: Partial<Omit<FakeEwsConfig, 'users'>>;
}

function write(file: string, content: string | Buffer): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp`;
  fs.writeFileSync(tmp, content);
  fs.renameSync(tmp, file);
}

/** Minimal header reading for the properties Exchange promotes from MIME. */
export function mimeHeaders(mime: Buffer): Map<string, string> {
  const text = mime.toString('latin1');
  const end = text.search(/\r?\n\r?\n/);
  const head = (end === -1 ? text : text.slice(0, end)).replace(/\r?\n[ \t]+/g, ' ');
  const out = new Map<string, string>();
  for (const line of head.split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0) {
      const k = line.slice(0, i).trim().toLowerCase();
      if (!out.has(k)) out.set(k, line.slice(i + 1).trim());
    }
  }
  return out;
}

export function decodeWords(s: string): string {
  return s.replace(/=\?([^?]+)\?([bBqQ])\?([^?]*)\?=/g, (_m, _cs: string, enc: string, data: string) => {
    const buf = enc.toUpperCase() === 'B' ? Buffer.from(data, 'base64') : Buffer.from(data.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (_x, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1');
    return buf.toString('utf8');
  });
}

export function classForMime(mime: Buffer): string {
  const start = mime.subarray(0, 64).toString('latin1').toUpperCase();
  if (start.startsWith('BEGIN:VCARD')) return 'IPM.Contact';
  if (start.startsWith('BEGIN:VCALENDAR')) return 'IPM.Appointment';
  return 'IPM.Note';
}

/** The store: config plus mailboxes, written through to the data folder. */
export class EwsStore {
  readonly config: FakeEwsConfig;
  /** Meeting invitations Exchange would have mailed (attendees of calendar items created without SendToNone). */
  invitationsSent = 0;
  private readonly mailboxes = new Map<string, MailboxState>();
  private readonly items = new Map<string, Map<string, StoredItem>>();

  constructor(readonly dir: string) {
    const file = path.join(dir, 'config.json');
    const loaded = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<FakeEwsConfig>) : {};
    const base = defaultConfig();
    this.config = { ...base, ...loaded, limits: { ...base.limits, ...loaded.limits }, autodiscover: { ...base.autodiscover, ...loaded.autodiscover }, throttling: { ...base.throttling, ...loaded.throttling } };
    if (!fs.existsSync(file)) write(file, JSON.stringify(this.config, null, 2));
    for (const u of this.config.users) if (u.hasMailbox !== false) this.load(u.address.toLowerCase());
  }

  user(address: string): FakeEwsUser | undefined {
    const a = address.toLowerCase();
    return this.config.users.find((u) => u.address.toLowerCase() === a);
  }

  private mailboxDir(address: string): string {
    return path.join(this.dir, 'mailboxes', address.toLowerCase());
  }

  private load(address: string): void {
    const file = path.join(this.mailboxDir(address), 'mailbox.json');
    let state: MailboxState;
    if (fs.existsSync(file)) {
      state = JSON.parse(fs.readFileSync(file, 'utf8')) as MailboxState;
    } else {
      state = { address, seq: 0, nextId: 1, folders: [], tombstones: [] };
      const root: StoredFolder = { id: 'f-root', parent: null, displayName: 'root', folderClass: '', distinguished: 'root', createdSeq: ++state.seq, modSeq: state.seq };
      const top: StoredFolder = { id: 'f-msgfolderroot', parent: root.id, displayName: 'Top of Information Store', folderClass: 'IPF.Note', distinguished: 'msgfolderroot', createdSeq: ++state.seq, modSeq: state.seq };
      state.folders.push(root, top);
      for (const w of WELL_KNOWN) state.folders.push({ id: `f-${w.distinguished}`, parent: top.id, displayName: w.displayName, folderClass: w.folderClass, distinguished: w.distinguished, createdSeq: ++state.seq, modSeq: state.seq });
    }
    this.mailboxes.set(address, state);
    const items = new Map<string, StoredItem>();
    const dir = this.mailboxDir(address);
    for (const f of state.folders) {
      const fdir = path.join(dir, f.id);
      if (!fs.existsSync(fdir)) continue;
      for (const name of fs.readdirSync(fdir)) if (name.endsWith('.json')) {
        const item = JSON.parse(fs.readFileSync(path.join(fdir, name), 'utf8')) as StoredItem;
        // A data folder written before the fake kept search keys: every item gets its own, as Exchange's items have.
        if (!item.searchKey) write(path.join(fdir, name), JSON.stringify(Object.assign(item, { searchKey: this.newSearchKey(address, `item ${item.id}`) }), null, 1));
        items.set(item.id, item);
      }
    }
    this.items.set(address, items);
    this.saveMailbox(state);
  }

  /**
   * A new PidTagSearchKey: 16 bytes, unique in the mailbox (Exchange's are binary-comparable and
   * unique; their layout is not documented). Derived from the config's secret, so a data folder
   * made the same way gives the same keys (the golden responses stay fixed).
   */
  private newSearchKey(address: string, unique: string): string {
    return crypto.createHash('sha256').update(`${this.config.secret}\0${address.toLowerCase()}\0${unique}`).digest().subarray(0, 16).toString('base64');
  }

  mailbox(address: string): MailboxState | undefined {
    return this.mailboxes.get(address.toLowerCase());
  }

  saveMailbox(state: MailboxState): void {
    write(path.join(this.mailboxDir(state.address), 'mailbox.json'), JSON.stringify(state, null, 1));
  }

  itemsOf(address: string): Map<string, StoredItem> {
    return this.items.get(address.toLowerCase()) ?? new Map();
  }

  mime(address: string, item: StoredItem): Buffer {
    return fs.readFileSync(path.join(this.mailboxDir(address), item.folder, `${item.id}.eml`));
  }

  mailboxBytes(address: string): number {
    let n = 0;
    for (const i of this.itemsOf(address).values()) n += i.size;
    return n;
  }

  /** Recoverable Items\Deletions (distinguished id recoverableitemsdeletions), below the root and not msgfolderroot; made on first use. */
  recoverableDeletions(address: string): StoredFolder {
    const known = this.folderByDistinguished(address, 'recoverableitemsdeletions');
    if (known) return known;
    const root = this.folderByDistinguished(address, 'root')!;
    const top = this.folderByDistinguished(address, 'recoverableitemsroot') ?? Object.assign(this.createFolder(address, root.id, 'Recoverable Items', ''), { distinguished: 'recoverableitemsroot' });
    const f = Object.assign(this.createFolder(address, top.id, 'Deletions', ''), { distinguished: 'recoverableitemsdeletions' });
    this.saveMailbox(this.mailbox(address)!);
    return f;
  }

  folderByDistinguished(address: string, id: string): StoredFolder | undefined {
    return this.mailbox(address)?.folders.find((f) => f.distinguished === id);
  }

  folder(address: string, id: string): StoredFolder | undefined {
    return this.mailbox(address)?.folders.find((f) => f.id === id);
  }

  createFolder(address: string, parent: string, displayName: string, folderClass: string): StoredFolder {
    const st = this.mailbox(address)!;
    const f: StoredFolder = { id: `f${String(st.nextId++).padStart(6, '0')}`, parent, displayName, folderClass, createdSeq: ++st.seq, modSeq: st.seq };
    st.folders.push(f);
    this.saveMailbox(st);
    return f;
  }

  /** Writes (creates or replaces) an item; `record` without seqs gets new ones. */
  putItem(address: string, record: Omit<StoredItem, 'id' | 'createdSeq' | 'modSeq' | 'readSeq' | 'size'> & { id?: string }, mime: Buffer): StoredItem {
    const st = this.mailbox(address)!;
    const items = this.itemsOf(address);
    const old = record.id ? items.get(record.id) : undefined;
    const seq = ++st.seq;
    const id = old?.id ?? record.id ?? `i${String(st.nextId++).padStart(6, '0')}`;
    if (old && old.folder !== record.folder) {
      this.removeFiles(address, old);
      st.tombstones.push({ id: old.id, folder: old.folder, createdSeq: old.createdSeq, deletedSeq: seq });
    }
    const moved = old && old.folder !== record.folder;
    const item: StoredItem = {
      ...record,
      // A new item gets a search key; an item written again (an update, a move) keeps its own; a copy brings its original's.
      searchKey: record.searchKey ?? old?.searchKey ?? this.newSearchKey(address, `seq ${seq}`),
      id,
      size: mime.length,
      createdSeq: old && !moved ? old.createdSeq : seq,
      modSeq: seq,
      readSeq: old && !moved ? old.readSeq : seq,
    };
    items.set(id, item);
    const dir = path.join(this.mailboxDir(address), item.folder);
    write(path.join(dir, `${id}.eml`), mime);
    write(path.join(dir, `${id}.json`), JSON.stringify(item, null, 1));
    this.saveMailbox(st);
    return item;
  }

  /**
   * Moves an item as Exchange's MoveItem does: the item leaves its folder (a Delete for that folder's
   * SyncFolderItems) and is created in `folderId` with a new ItemId (a Create there), keeping its
   * properties and its search key.
   */
  moveItem(address: string, item: StoredItem, folderId: string): StoredItem {
    const mime = this.mime(address, item);
    const { id: _id, createdSeq: _c, modSeq: _m, readSeq: _r, size: _s, ...rest } = item;
    this.deleteItem(address, item);
    return this.putItem(address, { ...rest, folder: folderId }, mime);
  }

  /** Copies an item as Exchange's CopyItem does: a new item (a new ItemId) in `folderId` with the original's properties and search key. */
  copyItem(address: string, item: StoredItem, folderId: string): StoredItem {
    const { id: _id, createdSeq: _c, modSeq: _m, readSeq: _r, size: _s, ...rest } = item;
    return this.putItem(address, { ...rest, folder: folderId }, this.mime(address, item));
  }

  setRead(address: string, item: StoredItem, read: boolean): void {
    const st = this.mailbox(address)!;
    item.messageFlags = read ? item.messageFlags | 1 : item.messageFlags & ~1;
    item.readSeq = ++st.seq;
    write(path.join(this.mailboxDir(address), item.folder, `${item.id}.json`), JSON.stringify(item, null, 1));
    this.saveMailbox(st);
  }

  private removeFiles(address: string, item: StoredItem): void {
    const dir = path.join(this.mailboxDir(address), item.folder);
    fs.rmSync(path.join(dir, `${item.id}.eml`), { force: true });
    fs.rmSync(path.join(dir, `${item.id}.json`), { force: true });
  }

  deleteItem(address: string, item: StoredItem): void {
    const st = this.mailbox(address)!;
    this.removeFiles(address, item);
    this.itemsOf(address).delete(item.id);
    st.tombstones.push({ id: item.id, folder: item.folder, createdSeq: item.createdSeq, deletedSeq: ++st.seq });
    this.saveMailbox(st);
  }

  saveConfig(): void {
    write(path.join(this.dir, 'config.json'), JSON.stringify(this.config, null, 2));
  }
}

/** Record fields for a MIME message (subject, ids, dates promoted from its headers). */
export function recordFromMime(mime: Buffer, folder: string, opts: { itemClass?: string; isRead?: boolean; isDraft?: boolean; received?: string; isAssociated?: boolean; extended?: StoredExtendedProperty[]; task?: StoredTask; now?: Date }): Omit<StoredItem, 'id' | 'createdSeq' | 'modSeq' | 'readSeq' | 'size'> {
  const h = mimeHeaders(mime);
  const now = (opts.now ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const date = h.get('date');
  const sent = date && !Number.isNaN(Date.parse(date)) ? new Date(date).toISOString().replace(/\.\d{3}Z$/, 'Z') : undefined;
  const itemClass = opts.itemClass ?? classForMime(mime);
  let subject = h.get('subject') ? decodeWords(h.get('subject')!) : '';
  if (itemClass !== 'IPM.Note') {
    const m = /^(?:FN|SUMMARY)[;:](?:[^:\r\n]*:)?(.*)$/m.exec(mime.toString('utf8'));
    if (m) subject = m[1].trim();
  }
  return {
    folder,
    itemClass,
    subject,
    internetMessageId: h.get('message-id'),
    from: h.get('from') ? decodeWords(h.get('from')!) : undefined,
    dateTimeReceived: opts.received ?? sent ?? now,
    dateTimeSent: sent,
    dateTimeCreated: now,
    lastModifiedTime: now,
    messageFlags: (opts.isRead ? 1 : 0) | (opts.isDraft ? 8 : 0),
    isAssociated: opts.isAssociated ?? false,
    extended: opts.extended ?? [],
    ...(opts.task ? { task: opts.task } : {}),
  };
}

function folderByPath(store: EwsStore, address: string, p: string, create: boolean, folderClass = 'IPF.Note'): StoredFolder {
  const parts = p.split('/').filter(Boolean);
  let cur = store.folderByDistinguished(address, 'msgfolderroot')!;
  parts.forEach((name, i) => {
    const wk = i === 0 ? store.folderByDistinguished(address, name.toLowerCase()) : undefined;
    const found = wk ?? store.mailbox(address)!.folders.find((f) => f.parent === cur.id && f.displayName.toLowerCase() === name.toLowerCase());
    if (found) cur = found;
    else if (create) cur = store.createFolder(address, cur.id, name, folderClass);
    else throw new Error(`no folder ${p} in ${address}`);
  });
  return cur;
}

/** Writes a data folder for the fake: config.json with the users plus seeded mailboxes. */
export function createFakeEwsData(dir: string, seed: FakeEwsSeed): void {
  fs.mkdirSync(dir, { recursive: true });
  const base = defaultConfig();
  const config: FakeEwsConfig = { ...base, ...seed.config, users: seed.users } as FakeEwsConfig;
  config.limits = { ...base.limits, ...seed.config?.limits };
  config.throttling = { ...base.throttling, ...seed.config?.throttling };
  config.autodiscover = { ...base.autodiscover, ...seed.config?.autodiscover };
  if (config.autodiscover.domains.length === 0) config.autodiscover.domains = [...new Set(seed.users.map((u) => u.address.split('@')[1].toLowerCase()))];
  write(path.join(dir, 'config.json'), JSON.stringify(config, null, 2));
  const store = new EwsStore(dir);
  for (const [address, mb] of Object.entries(seed.mailboxes ?? {})) {
    if (!store.mailbox(address)) throw new Error(`no user with mailbox ${address}`);
    for (const f of mb.folders ?? []) folderByPath(store, address, f.path, true, f.folderClass);
    for (const it of mb.items ?? []) {
      const folder = folderByPath(store, address, it.folder, true);
      const mime = Buffer.isBuffer(it.mime) ? it.mime : Buffer.from(it.mime, 'utf8');
      store.putItem(address, recordFromMime(mime, folder.id, it), mime);
    }
  }
}
