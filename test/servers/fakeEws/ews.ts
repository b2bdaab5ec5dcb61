// The EWS operations the fake serves, over the store. Each handler reads the parsed request
// body element and returns the `<m:OpResponse>` XML; ResponseError becomes a per-message error,
// EwsFault a SOAP fault.
import * as crypto from 'node:crypto';
import * as zlib from 'node:zlib';
import { changeKey, decodeId, encodeId } from './ids';
import { EwsStore, recordFromMime, type ExtendedFieldUri, type FakeEwsUser, type StoredExtendedProperty, type StoredFolder, type StoredItem, type StoredTask } from './data';
import { errorMessage, EwsFault, MESSAGES, opResponse, ResponseError, success } from './soap';
import { ADDRESS_KEYS, ADDRESS_PARTS, CONTACT_INDEXES, isContactField, isEventField, PimText } from './pimFields';
import { attr, child, children, el, NS, text, tx, type XElement } from './xml';

export interface OpContext {
  store: EwsStore;
  principal: FakeEwsUser;
  /** The user whose rights apply: the impersonated one, or the principal. */
  acting: FakeEwsUser;
  /** The mailbox a request without an explicit one works on. */
  mailbox: string;
  impersonating: boolean;
  /** Called with the bytes an item write adds to a mailbox; throws ResponseError to refuse. */
  beforeWrite(mailbox: string, bytes: number): void;
  /** Lets an injected fault turn an item lookup into ErrorItemNotFound. */
  itemFault(mailbox: string): boolean;
  now(): Date;
}

const T = NS.t, M = NS.m;
const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');
const err = (code: string, message?: string) => new ResponseError(code, message ?? MESSAGES[code] ?? code);

// ---------- access ----------

export function canAccess(ctx: OpContext, mailbox: string): void {
  const target = ctx.store.user(mailbox);
  if (!target || target.hasMailbox === false || !ctx.store.mailbox(mailbox)) throw err('ErrorNonExistentMailbox');
  if (mailbox.toLowerCase() === ctx.mailbox.toLowerCase()) return;
  const grants = (ctx.acting.fullAccess ?? []).map((a) => a.toLowerCase());
  if (!grants.includes(mailbox.toLowerCase())) throw err('ErrorAccessDenied');
}

interface FolderRef { mailbox: string; folder: StoredFolder }

export function resolveFolder(ctx: OpContext, ref: XElement): FolderRef {
  if (ref.localName === 'DistinguishedFolderId') {
    const address = text(child(child(ref, T, 'Mailbox'), T, 'EmailAddress'))?.trim() || ctx.mailbox;
    canAccess(ctx, address);
    const f = ctx.store.folderByDistinguished(address, attr(ref, 'Id') ?? '');
    if (!f) throw err('ErrorFolderNotFound');
    return { mailbox: address.toLowerCase(), folder: f };
  }
  const id = decodeId(attr(ref, 'Id') ?? '');
  if (!id || id.kind !== 'folder') throw err('ErrorInvalidIdMalformed');
  canAccess(ctx, id.mailbox);
  const f = ctx.store.folder(id.mailbox, id.local);
  if (!f) throw err('ErrorItemNotFound');
  return { mailbox: id.mailbox, folder: f };
}

function resolveItem(ctx: OpContext, ref: XElement): { mailbox: string; item: StoredItem } {
  const id = decodeId(attr(ref, 'Id') ?? '');
  if (!id || id.kind !== 'item') throw err('ErrorInvalidIdMalformed');
  canAccess(ctx, id.mailbox);
  const item = ctx.store.itemsOf(id.mailbox).get(id.local);
  if (!item || ctx.itemFault(id.mailbox)) throw err('ErrorItemNotFound');
  return { mailbox: id.mailbox, item };
}

/** The first mailbox a request names (for throttling and X-AnchorMailbox), else undefined. */
export function referencedMailbox(body: XElement): string | undefined {
  const stack: XElement[] = [body];
  while (stack.length) {
    const n = stack.shift()!;
    if (n.namespaceURI === T && n.localName === 'DistinguishedFolderId') {
      const a = text(child(child(n, T, 'Mailbox'), T, 'EmailAddress'))?.trim();
      if (a) return a.toLowerCase();
    }
    if (n.namespaceURI === T && (n.localName === 'FolderId' || n.localName === 'ItemId' || n.localName === 'ParentFolderId')) {
      const d = decodeId(attr(n, 'Id') ?? '');
      if (d) return d.mailbox;
    }
    stack.push(...children(n));
  }
  return undefined;
}

// ---------- properties ----------

export function uriOf(e: XElement): ExtendedFieldUri {
  const u: ExtendedFieldUri = { PropertyType: attr(e, 'PropertyType') ?? 'String' };
  for (const k of ['DistinguishedPropertySetId', 'PropertySetId', 'PropertyTag', 'PropertyName', 'PropertyId'] as const) {
    const v = attr(e, k);
    if (v !== undefined) u[k] = v;
  }
  return u;
}

export function extKey(u: ExtendedFieldUri): string {
  if (u.PropertyTag !== undefined) return `tag:${Number(u.PropertyTag.trim().toLowerCase().startsWith('0x') ? parseInt(u.PropertyTag, 16) : parseInt(u.PropertyTag, 10))}`;
  const set = u.DistinguishedPropertySetId ? `d:${u.DistinguishedPropertySetId.toLowerCase()}` : `g:${(u.PropertySetId ?? '').toLowerCase()}`;
  return u.PropertyName !== undefined ? `${set}:n:${u.PropertyName}` : `${set}:i:${Number(u.PropertyId)}`;
}

function uriXml(u: ExtendedFieldUri): string {
  const tag = u.PropertyTag !== undefined ? `0x${parseInt(extKey(u).slice(4), 10).toString(16)}` : undefined;
  return el('t:ExtendedFieldURI', { DistinguishedPropertySetId: u.DistinguishedPropertySetId, PropertySetId: u.PropertySetId, PropertyTag: tag, PropertyName: u.PropertyName, PropertyId: u.PropertyId, PropertyType: u.PropertyType });
}

function extXml(u: ExtendedFieldUri, value: string | string[]): string {
  const v = Array.isArray(value) ? el('t:Values', null, ...value.map((x) => tx('t:Value', x))) : tx('t:Value', value);
  return el('t:ExtendedProperty', null, uriXml(u), v);
}

const TAG_FLAGS = 0x0e07, TAG_DELIVERY = 0x0e06, TAG_SUBMIT = 0x0039, TAG_SIZE = 0x0e08, TAG_CLASS = 0x001a, TAG_MSGID = 0x1035, TAG_SUBJECT = 0x0037, TAG_SEARCH_KEY = 0x300b;

/** An item's value for an extended property, promoted fields included. */
function itemExt(item: StoredItem, u: ExtendedFieldUri): string | string[] | undefined {
  const key = extKey(u);
  switch (key) {
    case `tag:${TAG_FLAGS}`: return String(item.messageFlags);
    case `tag:${TAG_DELIVERY}`: return item.dateTimeReceived;
    case `tag:${TAG_SUBMIT}`: return item.dateTimeSent;
    case `tag:${TAG_SIZE}`: return String(item.size);
    case `tag:${TAG_CLASS}`: return item.itemClass;
    case `tag:${TAG_MSGID}`: return item.internetMessageId;
    case `tag:${TAG_SUBJECT}`: return item.subject;
    case `tag:${TAG_SEARCH_KEY}`: return item.searchKey;
  }
  const p = item.extended.find((e) => extKey(e.uri) === key);
  return p ? (p.values ?? p.value) : undefined;
}

interface Shape { base: string; fields: Set<string>; ext: ExtendedFieldUri[]; mime: boolean }

function parseShape(e: XElement | undefined): Shape {
  const base = text(child(e, T, 'BaseShape'))?.trim() ?? 'Default';
  const fields = new Set<string>();
  const ext: ExtendedFieldUri[] = [];
  for (const p of children(child(e, T, 'AdditionalProperties'))) {
    if (p.localName === 'FieldURI') fields.add(attr(p, 'FieldURI') ?? '');
    if (p.localName === 'ExtendedFieldURI') ext.push(uriOf(p));
  }
  return { base, fields, ext, mime: text(child(e, T, 'IncludeMimeContent'))?.trim() === 'true' || fields.has('item:MimeContent') };
}

// ---------- folders ----------

function folderStats(store: EwsStore, mailbox: string, f: StoredFolder): { total: number; unread: number; children: number; bytes: number } {
  let total = 0, unread = 0, bytes = 0;
  for (const i of store.itemsOf(mailbox).values()) if (i.folder === f.id) {
    bytes += i.size;
    if (i.isAssociated) continue;
    total++;
    if (!(i.messageFlags & 1)) unread++;
  }
  const kids = store.mailbox(mailbox)!.folders.filter((x) => x.parent === f.id).length;
  return { total, unread, children: kids, bytes };
}

function folderElement(f: StoredFolder): string {
  if (f.folderClass.startsWith('IPF.Appointment')) return 't:CalendarFolder';
  if (f.folderClass.startsWith('IPF.Contact')) return 't:ContactsFolder';
  if (f.folderClass.startsWith('IPF.Task')) return 't:TasksFolder';
  return 't:Folder';
}

function folderIdXml(name: string, mailbox: string, f: StoredFolder): string {
  return el(name, { Id: encodeId('folder', mailbox, f.id), ChangeKey: changeKey(f.modSeq) });
}

function folderXml(store: EwsStore, mailbox: string, f: StoredFolder, shape: Shape): string {
  const all = shape.base === 'AllProperties', def = all || shape.base === 'Default';
  const want = (name: string, inDefault: boolean) => shape.fields.has(`folder:${name}`) || (inDefault ? def : all);
  const s = folderStats(store, mailbox, f);
  const name = folderElement(f);
  const parent = f.parent ? store.folder(mailbox, f.parent) : undefined;
  const ext = shape.ext.map((u) => {
    const k = extKey(u);
    if (k === `tag:${TAG_SIZE}`) return extXml(u, String(s.bytes));
    if (k === 'tag:13825' /* 0x3601 PR_FOLDER_TYPE */) return extXml(u, '1');
    if (k === 'tag:12289' /* 0x3001 PR_DISPLAY_NAME */) return extXml(u, f.displayName);
    if (k === 'tag:13843' /* 0x3613 PR_CONTAINER_CLASS */) return f.folderClass ? extXml(u, f.folderClass) : '';
    return '';
  }).join('');
  const hasUnread = name === 't:Folder' || name === 't:TasksFolder';
  return el(name, null,
    folderIdXml('t:FolderId', mailbox, f),
    want('ParentFolderId', false) && parent ? folderIdXml('t:ParentFolderId', mailbox, parent) : '',
    want('FolderClass', false) && f.folderClass ? tx('t:FolderClass', f.folderClass) : '',
    want('DisplayName', true) ? tx('t:DisplayName', f.displayName) : '',
    want('TotalCount', true) ? tx('t:TotalCount', s.total) : '',
    want('ChildFolderCount', true) ? tx('t:ChildFolderCount', s.children) : '',
    ext,
    hasUnread && want('UnreadCount', true) ? tx('t:UnreadCount', s.unread) : '',
  );
}

function descendants(store: EwsStore, mailbox: string, f: StoredFolder, deep: boolean): StoredFolder[] {
  const all = store.mailbox(mailbox)!.folders;
  const out: StoredFolder[] = [];
  const walk = (p: StoredFolder) => {
    for (const c of all.filter((x) => x.parent === p.id)) {
      out.push(c);
      if (deep) walk(c);
    }
  };
  walk(f);
  return out;
}

function pageView(view: XElement | undefined, total: number, limit: number): { offset: number; count: number } {
  const max = Math.min(Number(attr(view, 'MaxEntriesReturned') ?? limit) || limit, limit);
  const off = Math.max(0, Number(attr(view, 'Offset') ?? 0) || 0);
  const fromEnd = attr(view, 'BasePoint') === 'End';
  const start = fromEnd ? Math.max(0, total - off - max) : Math.min(off, total);
  const end = fromEnd ? Math.max(0, total - off) : Math.min(total, off + max);
  return { offset: start, count: Math.max(0, end - start) };
}

function getFolder(ctx: OpContext, body: XElement): string {
  const shape = parseShape(child(body, M, 'FolderShape'));
  return opResponse('GetFolder', children(child(body, M, 'FolderIds')).map((ref) => {
    try {
      const { mailbox, folder } = resolveFolder(ctx, ref);
      return success('GetFolder', el('m:Folders', null, folderXml(ctx.store, mailbox, folder, shape)));
    } catch (e) {
      if (e instanceof ResponseError) return errorMessage('GetFolder', e.code, e.message);
      throw e;
    }
  }));
}

function findFolder(ctx: OpContext, body: XElement): string {
  const shape = parseShape(child(body, M, 'FolderShape'));
  const deep = attr(body, 'Traversal') === 'Deep';
  const view = child(body, M, 'IndexedPageFolderView');
  return opResponse('FindFolder', children(child(body, M, 'ParentFolderIds')).map((ref) => {
    try {
      const { mailbox, folder } = resolveFolder(ctx, ref);
      const found = descendants(ctx.store, mailbox, folder, deep);
      const { offset, count } = pageView(view, found.length, ctx.store.config.limits.findCountLimit);
      const page = found.slice(offset, offset + count);
      const last = offset + count >= found.length;
      return success('FindFolder', el('m:RootFolder', { IndexedPagingOffset: offset + count, TotalItemsInView: found.length, IncludesLastItemInRange: last }, el('t:Folders', null, ...page.map((f) => folderXml(ctx.store, mailbox, f, shape)))));
    } catch (e) {
      if (e instanceof ResponseError) return errorMessage('FindFolder', e.code, e.message);
      throw e;
    }
  }));
}

function createFolder(ctx: OpContext, body: XElement): string {
  const parentRef = children(child(body, M, 'ParentFolderId'))[0];
  const specs = children(child(body, M, 'Folders'));
  let parent: FolderRef | undefined;
  let parentErr: ResponseError | undefined;
  try {
    parent = resolveFolder(ctx, parentRef);
  } catch (e) {
    if (!(e instanceof ResponseError)) throw e;
    parentErr = e;
  }
  return opResponse('CreateFolder', specs.map((spec) => {
    try {
      if (parentErr || !parent) throw parentErr ?? err('ErrorFolderNotFound');
      const name = text(child(spec, T, 'DisplayName'))?.trim() ?? '';
      const byElement: Record<string, string> = { CalendarFolder: 'IPF.Appointment', ContactsFolder: 'IPF.Contact', TasksFolder: 'IPF.Task', Folder: 'IPF.Note' };
      const cls = text(child(spec, T, 'FolderClass'))?.trim() || byElement[spec.localName ?? 'Folder'] || 'IPF.Note';
      const p = parent;
      if (ctx.store.mailbox(p.mailbox)!.folders.some((f) => f.parent === p.folder.id && f.displayName.toLowerCase() === name.toLowerCase())) throw err('ErrorFolderExists');
      const f = ctx.store.createFolder(p.mailbox, p.folder.id, name, cls);
      return success('CreateFolder', el('m:Folders', null, el(folderElement(f), null, folderIdXml('t:FolderId', p.mailbox, f))));
    } catch (e) {
      if (e instanceof ResponseError) return errorMessage('CreateFolder', e.code, e.message);
      throw e;
    }
  }));
}

// ---------- sync states ----------

interface SyncState { m: string; f: string; s: number; k: string[] }

function encodeSync(ctx: OpContext, st: SyncState): string {
  const payload = zlib.deflateRawSync(Buffer.from(JSON.stringify(st), 'utf8'));
  const mac = crypto.createHmac('sha256', ctx.store.config.secret).update(payload).digest().subarray(0, 16);
  const head = Buffer.from([0x46, 0x53, 0x01]);
  return Buffer.concat([head, mac, payload]).toString('base64');
}

function decodeSync(ctx: OpContext, value: string | undefined, mailbox: string, folder: string): SyncState {
  if (!value || !value.trim()) return { m: mailbox, f: folder, s: 0, k: [] };
  const buf = Buffer.from(value.trim(), 'base64');
  if (buf.length < 20 || buf[0] !== 0x46 || buf[1] !== 0x53 || buf[2] !== 1) throw err('ErrorInvalidSyncStateData');
  const mac = crypto.createHmac('sha256', ctx.store.config.secret).update(buf.subarray(19)).digest().subarray(0, 16);
  if (!crypto.timingSafeEqual(mac, buf.subarray(3, 19))) throw err('ErrorInvalidSyncStateData');
  let st: SyncState;
  try {
    st = JSON.parse(zlib.inflateRawSync(buf.subarray(19)).toString('utf8')) as SyncState;
  } catch {
    throw err('ErrorInvalidSyncStateData');
  }
  if (st.m !== mailbox || st.f !== folder) throw err('ErrorInvalidSyncStateData');
  return st;
}

interface Change { pos: number; xml: string; add?: string; remove?: string }

function takeChanges(changes: Change[], max: number, st: SyncState, currentSeq: number): { taken: Change[]; next: SyncState; last: boolean } {
  changes.sort((a, b) => a.pos - b.pos);
  const taken = changes.slice(0, max);
  const last = taken.length === changes.length;
  const known = new Set(st.k);
  for (const c of taken) {
    if (c.add) known.add(c.add);
    if (c.remove) known.delete(c.remove);
  }
  return { taken, last, next: { ...st, s: last ? currentSeq : taken[taken.length - 1].pos, k: [...known] } };
}

function syncFolderHierarchy(ctx: OpContext, body: XElement): string {
  const shape = parseShape(child(body, M, 'FolderShape'));
  try {
    const ref = children(child(body, M, 'SyncFolderId'))[0];
    const { mailbox, folder } = ref ? resolveFolder(ctx, ref) : (() => {
      canAccess(ctx, ctx.mailbox);
      return { mailbox: ctx.mailbox.toLowerCase(), folder: ctx.store.folderByDistinguished(ctx.mailbox, 'root')! };
    })();
    const st = decodeSync(ctx, text(child(body, M, 'SyncState')), mailbox, `h:${folder.id}`);
    const known = new Set(st.k);
    const present = descendants(ctx.store, mailbox, folder, true);
    const changes: Change[] = [];
    for (const f of present) {
      const pos = Math.max(f.createdSeq, f.modSeq);
      if (!known.has(f.id)) changes.push({ pos, add: f.id, xml: el('t:Create', null, folderXml(ctx.store, mailbox, f, shape)) });
      else if (pos > st.s) changes.push({ pos, xml: el('t:Update', null, folderXml(ctx.store, mailbox, f, shape)) });
    }
    const ids = new Set(present.map((f) => f.id));
    for (const k of known) if (!ids.has(k)) changes.push({ pos: st.s + 0.5, remove: k, xml: el('t:Delete', null, el('t:FolderId', { Id: encodeId('folder', mailbox, k), ChangeKey: changeKey(0) })) });
    const { taken, next, last } = takeChanges(changes, 512, st, ctx.store.mailbox(mailbox)!.seq);
    return opResponse('SyncFolderHierarchy', [success('SyncFolderHierarchy', tx('m:SyncState', encodeSync(ctx, next)) + tx('m:IncludesLastFolderInRange', last) + el('m:Changes', null, ...taken.map((c) => c.xml)))]);
  } catch (e) {
    if (e instanceof ResponseError) return opResponse('SyncFolderHierarchy', [errorMessage('SyncFolderHierarchy', e.code, e.message)]);
    throw e;
  }
}

// ---------- items ----------

function itemElement(item: StoredItem): string {
  const c = item.itemClass;
  if (c === 'IPM.Contact' || c.startsWith('IPM.Contact.')) return 't:Contact';
  if (c === 'IPM.Appointment' || c.startsWith('IPM.Appointment.')) return 't:CalendarItem';
  if (c === 'IPM.Task' || c.startsWith('IPM.Task.')) return 't:Task';
  if (c === 'IPM.Note' || c.startsWith('IPM.Note.') || c.startsWith('REPORT.') || c.startsWith('IPM.Schedule.')) return 't:Message';
  return 't:Item';
}

function itemIdXml(name: string, mailbox: string, item: StoredItem): string {
  return el(name, { Id: encodeId('item', mailbox, item.id), ChangeKey: changeKey(Math.max(item.modSeq, item.readSeq)) });
}

function itemXml(ctx: OpContext, mailbox: string, item: StoredItem, shape: Shape): string {
  const all = shape.base === 'AllProperties', def = all || shape.base === 'Default';
  const want = (uri: string, inDefault: boolean) => shape.fields.has(uri) || (inDefault ? def : all);
  const name = itemElement(item);
  const isMessage = name === 't:Message';
  const task = name === 't:Task' ? item.task ?? {} : undefined;
  // A contact's or calendar item's own properties come from its vCard / iCalendar text, when asked by name.
  const pim = name === 't:Contact' || name === 't:CalendarItem' ? new PimText(ctx.store.mime(mailbox, item), name === 't:Contact' ? 'contact' : 'event') : undefined;
  const own = (uri: string, index?: string) => (pim?.found && shape.fields.has(uri) ? pim.get(uri, index) : undefined);
  const ownTx = (tag: string, uri: string) => {
    const v = own(uri);
    return v === undefined ? '' : tx(tag, v);
  };
  const entries = (tag: string, uri: keyof typeof CONTACT_INDEXES) => {
    const found = pim?.found && shape.fields.has(`${uri}s`) ? CONTACT_INDEXES[uri].map((k) => [k, pim.get(uri, k)] as const).filter(([, v]) => v !== undefined) : [];
    return found.length ? el(tag, null, ...found.map(([k, v]) => tx('t:Entry', v!, { Key: k }))) : '';
  };
  const addresses = () => {
    if (!pim?.found || !shape.fields.has('contacts:PhysicalAddresses')) return '';
    const found = ADDRESS_KEYS.map((k) => [k, ADDRESS_PARTS.map((part) => [part, pim.get(`contacts:PhysicalAddress:${part}`, k)] as const).filter(([, v]) => v !== undefined)] as const).filter(([, parts]) => parts.length);
    return found.length ? el('t:PhysicalAddresses', null, ...found.map(([k, parts]) => el('t:Entry', { Key: k }, ...parts.map(([part, v]) => tx(`t:${part}`, v!))))) : '';
  };
  const body = task ? task.body : shape.fields.has('item:Body') && pim?.found ? pim.get('item:Body') : undefined;
  const folder = ctx.store.folder(mailbox, item.folder)!;
  let mime: Buffer | undefined;
  if (shape.mime) {
    if (name === 't:Task') throw err('ErrorUnsupportedMimeConversion', 'Conversion of this item type to MIME is not supported.');
    mime = ctx.store.mime(mailbox, item);
  }
  const hasAttachments = /multipart\/mixed/i.test(item.itemClass === 'IPM.Note' && mime ? mime.subarray(0, 4096).toString('latin1') : '');
  const ext = shape.ext.map((u) => {
    const v = itemExt(item, u);
    return v === undefined ? '' : extXml(u, v);
  }).join('');
  return el(name, null,
    mime ? el('t:MimeContent', { CharacterSet: 'UTF-8' }, mime.toString('base64')) : '',
    itemIdXml('t:ItemId', mailbox, item),
    want('item:ParentFolderId', false) ? folderIdXml('t:ParentFolderId', mailbox, folder) : '',
    want('item:ItemClass', false) ? tx('t:ItemClass', item.itemClass) : '',
    want('item:Subject', true) ? tx('t:Subject', item.subject) : '',
    name === 't:CalendarItem' ? ownTx('t:Sensitivity', 'item:Sensitivity') : '',
    (task || pim) && want('item:Body', false) && body !== undefined ? tx('t:Body', body, { BodyType: 'Text' }) : '',
    want('item:DateTimeReceived', false) ? tx('t:DateTimeReceived', item.dateTimeReceived) : '',
    want('item:Size', false) ? tx('t:Size', item.size) : '',
    want('item:Categories', false) && item.categories?.length ? el('t:Categories', null, ...item.categories.map((c) => tx('t:String', c))) : '',
    task && want('item:Importance', false) ? tx('t:Importance', task.importance ?? 'Normal') : '',
    name === 't:CalendarItem' ? ownTx('t:Importance', 'item:Importance') : '',
    want('item:IsDraft', false) ? tx('t:IsDraft', (item.messageFlags & 8) !== 0) : '',
    want('item:DateTimeSent', false) && item.dateTimeSent ? tx('t:DateTimeSent', item.dateTimeSent) : '',
    want('item:DateTimeCreated', false) ? tx('t:DateTimeCreated', item.dateTimeCreated) : '',
    task && want('item:ReminderDueBy', false) && task.reminderDueBy ? tx('t:ReminderDueBy', task.reminderDueBy) : '',
    task && want('item:ReminderIsSet', false) ? tx('t:ReminderIsSet', task.reminderDueBy !== undefined) : '',
    name === 't:CalendarItem' ? ownTx('t:ReminderIsSet', 'item:ReminderIsSet') + ownTx('t:ReminderMinutesBeforeStart', 'item:ReminderMinutesBeforeStart') : '',
    want('item:HasAttachments', true) ? tx('t:HasAttachments', hasAttachments) : '',
    ext,
    want('item:LastModifiedTime', false) ? tx('t:LastModifiedTime', item.lastModifiedTime) : '',
    want('item:IsAssociated', true) ? tx('t:IsAssociated', item.isAssociated) : '',
    want('item:Flag', false) ? el('t:Flag', null, tx('t:FlagStatus', item.flagStatus ?? 'NotFlagged')) : '',
    isMessage && want('message:InternetMessageId', false) && item.internetMessageId ? tx('t:InternetMessageId', item.internetMessageId) : '',
    isMessage && want('message:IsRead', true) ? tx('t:IsRead', (item.messageFlags & 1) !== 0) : '',
    // TaskType's own elements, in the schema's order.
    task && want('task:CompleteDate', false) && task.completeDate ? tx('t:CompleteDate', task.completeDate) : '',
    task && want('task:DueDate', true) && task.dueDate ? tx('t:DueDate', task.dueDate) : '',
    task && want('task:PercentComplete', true) ? tx('t:PercentComplete', task.percentComplete ?? (task.status === 'Completed' ? 100 : 0)) : '',
    task && want('task:StartDate', false) && task.startDate ? tx('t:StartDate', task.startDate) : '',
    task && want('task:Status', true) ? tx('t:Status', task.status ?? 'NotStarted') : '',
    // CalendarItemType's own elements, in the schema's order.
    ownTx('t:Start', 'calendar:Start'), ownTx('t:End', 'calendar:End'), ownTx('t:IsAllDayEvent', 'calendar:IsAllDayEvent'), ownTx('t:LegacyFreeBusyStatus', 'calendar:LegacyFreeBusyStatus'), ownTx('t:Location', 'calendar:Location'), ownTx('t:CalendarItemType', 'calendar:CalendarItemType'),
    // ContactItemType's own elements, in the schema's order.
    ownTx('t:DisplayName', 'contacts:DisplayName'), ownTx('t:GivenName', 'contacts:GivenName'), ownTx('t:CompanyName', 'contacts:CompanyName'),
    entries('t:EmailAddresses', 'contacts:EmailAddress'), addresses(), entries('t:PhoneNumbers', 'contacts:PhoneNumber'),
    ownTx('t:Department', 'contacts:Department'), ownTx('t:JobTitle', 'contacts:JobTitle'), ownTx('t:Surname', 'contacts:Surname'),
  );
}

function fieldValue(item: StoredItem, e: XElement): string | undefined {
  if (e.localName === 'ExtendedFieldURI') {
    const v = itemExt(item, uriOf(e));
    return Array.isArray(v) ? v.join('\n') : v;
  }
  switch (attr(e, 'FieldURI')) {
    case 'message:InternetMessageId': return item.internetMessageId;
    case 'item:Subject': return item.subject;
    case 'item:ItemClass': return item.itemClass;
    case 'message:IsRead': return String((item.messageFlags & 1) !== 0);
    case 'item:IsDraft': return String((item.messageFlags & 8) !== 0);
    case 'item:DateTimeReceived': return item.dateTimeReceived;
    case 'item:DateTimeSent': return item.dateTimeSent;
    case 'item:Size': return String(item.size);
    case 'item:IsAssociated': return String(item.isAssociated);
    default: throw err('ErrorInvalidRestriction', `The property ${attr(e, 'FieldURI')} is not supported in a restriction by the fake.`);
  }
}

function compare(a: string, b: string): number {
  const na = Number(a), nb = Number(b);
  if (a.trim() !== '' && b.trim() !== '' && !Number.isNaN(na) && !Number.isNaN(nb)) return na - nb;
  const da = Date.parse(a), db = Date.parse(b);
  if (/^\d{4}-\d\d-\d\dT/.test(a) && /^\d{4}-\d\d-\d\dT/.test(b) && !Number.isNaN(da) && !Number.isNaN(db)) return da - db;
  return a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : 0;
}

function matches(item: StoredItem, e: XElement): boolean {
  const kids = children(e);
  switch (e.localName) {
    case 'And': return kids.every((k) => matches(item, k));
    case 'Or': return kids.some((k) => matches(item, k));
    case 'Not': return !matches(item, kids[0]);
    case 'Exists': return fieldValue(item, kids[0]) !== undefined;
    case 'Contains': {
      const v = fieldValue(item, kids[0]);
      const c = attr(child(e, T, 'Constant'), 'Value') ?? '';
      return v !== undefined && v.toLowerCase().includes(c.toLowerCase());
    }
    case 'IsEqualTo': case 'IsNotEqualTo': case 'IsGreaterThan': case 'IsGreaterThanOrEqualTo': case 'IsLessThan': case 'IsLessThanOrEqualTo': {
      const v = fieldValue(item, kids[0]);
      const constant = attr(child(child(e, T, 'FieldURIOrConstant'), T, 'Constant'), 'Value');
      if (constant === undefined) throw err('ErrorInvalidRestriction');
      if (v === undefined) return e.localName === 'IsNotEqualTo';
      const c = compare(v, constant);
      return { IsEqualTo: c === 0, IsNotEqualTo: c !== 0, IsGreaterThan: c > 0, IsGreaterThanOrEqualTo: c >= 0, IsLessThan: c < 0, IsLessThanOrEqualTo: c <= 0 }[e.localName];
    }
    default: throw err('ErrorInvalidRestriction');
  }
}

function findItem(ctx: OpContext, body: XElement): string {
  const shape = parseShape(child(body, M, 'ItemShape'));
  const traversal = attr(body, 'Traversal') ?? 'Shallow';
  const view = child(body, M, 'IndexedPageItemView');
  const restriction = children(child(body, M, 'Restriction'))[0];
  return opResponse('FindItem', children(child(body, M, 'ParentFolderIds')).map((ref) => {
    try {
      const { mailbox, folder } = resolveFolder(ctx, ref);
      let items = [...ctx.store.itemsOf(mailbox).values()].filter((i) => i.folder === folder.id && i.isAssociated === (traversal === 'Associated'));
      if (restriction) items = items.filter((i) => matches(i, restriction));
      items.sort((a, b) => b.dateTimeReceived.localeCompare(a.dateTimeReceived) || b.id.localeCompare(a.id));
      const { offset, count } = pageView(view, items.length, ctx.store.config.limits.findCountLimit);
      const page = items.slice(offset, offset + count);
      return success('FindItem', el('m:RootFolder', { IndexedPagingOffset: offset + count, TotalItemsInView: items.length, IncludesLastItemInRange: offset + count >= items.length }, el('t:Items', null, ...page.map((i) => itemXml(ctx, mailbox, i, { ...shape, mime: false })))));
    } catch (e) {
      if (e instanceof ResponseError) return errorMessage('FindItem', e.code, e.message);
      throw e;
    }
  }));
}

function getItem(ctx: OpContext, body: XElement): string {
  const shape = parseShape(child(body, M, 'ItemShape'));
  return opResponse('GetItem', children(child(body, M, 'ItemIds')).map((ref) => {
    try {
      const { mailbox, item } = resolveItem(ctx, ref);
      return success('GetItem', el('m:Items', null, itemXml(ctx, mailbox, item, shape)));
    } catch (e) {
      if (e instanceof ResponseError) return errorMessage('GetItem', e.code, e.message);
      throw e;
    }
  }));
}

function syncFolderItems(ctx: OpContext, body: XElement): string {
  const shape = parseShape(child(body, M, 'ItemShape'));
  const maxText = text(child(body, M, 'MaxChangesReturned'))?.trim();
  const max = Number(maxText);
  if (!maxText || !Number.isInteger(max) || max < 1 || max > 512) throw new EwsFault('ErrorSchemaValidation', `The request failed schema validation: The 'http://schemas.microsoft.com/exchange/services/2006/messages:MaxChangesReturned' element is invalid - The value '${maxText ?? ''}' is invalid according to its datatype 'http://schemas.microsoft.com/exchange/services/2006/types:MaxSyncChangesReturnedType' - The MaxInclusive constraint failed.`);
  const ignore = new Set(children(child(body, M, 'Ignore')).map((i) => decodeId(attr(i, 'Id') ?? '')?.local).filter((x): x is string => !!x));
  const associated = text(child(body, M, 'SyncScope'))?.trim() === 'NormalAndAssociatedItems';
  try {
    const ref = children(child(body, M, 'SyncFolderId'))[0];
    const { mailbox, folder } = resolveFolder(ctx, ref);
    const st = decodeSync(ctx, text(child(body, M, 'SyncState')), mailbox, folder.id);
    const known = new Set(st.k);
    const changes: Change[] = [];
    const present = new Set<string>();
    for (const i of ctx.store.itemsOf(mailbox).values()) {
      if (i.folder !== folder.id || (i.isAssociated && !associated)) continue;
      present.add(i.id);
      if (ignore.has(i.id)) continue;
      const pos = Math.max(i.createdSeq, i.modSeq, i.readSeq);
      if (!known.has(i.id)) changes.push({ pos, add: i.id, xml: el('t:Create', null, itemXml(ctx, mailbox, i, { ...shape, mime: false })) });
      else if (i.modSeq > st.s) changes.push({ pos, xml: el('t:Update', null, itemXml(ctx, mailbox, i, { ...shape, mime: false })) });
      else if (i.readSeq > st.s) changes.push({ pos, xml: el('t:ReadFlagChange', null, itemIdXml('t:ItemId', mailbox, i), tx('t:IsRead', (i.messageFlags & 1) !== 0)) });
    }
    const tomb = new Map(ctx.store.mailbox(mailbox)!.tombstones.filter((t) => t.folder === folder.id).map((t) => [t.id, t.deletedSeq]));
    for (const k of known) if (!present.has(k)) {
      changes.push({ pos: tomb.get(k) ?? st.s + 0.5, remove: k, xml: el('t:Delete', null, el('t:ItemId', { Id: encodeId('item', mailbox, k), ChangeKey: changeKey(tomb.get(k) ?? 0) })) });
    }
    const { taken, next, last } = takeChanges(changes, max, st, ctx.store.mailbox(mailbox)!.seq);
    return opResponse('SyncFolderItems', [success('SyncFolderItems', tx('m:SyncState', encodeSync(ctx, next)) + tx('m:IncludesLastItemInRange', last) + el('m:Changes', null, ...taken.map((c) => c.xml)))]);
  } catch (e) {
    if (e instanceof ResponseError) return opResponse('SyncFolderItems', [errorMessage('SyncFolderItems', e.code, e.message)]);
    throw e;
  }
}

function maxItemBytes(ctx: OpContext, mailbox: string): number {
  return ctx.store.user(mailbox)?.maxItemBytes ?? ctx.store.config.limits.maxItemBytes;
}

function checkWrite(ctx: OpContext, mailbox: string, bytes: number): void {
  if (bytes > maxItemBytes(ctx, mailbox)) throw err('ErrorMessageSizeExceeded');
  const quota = ctx.store.user(mailbox)?.quotaBytes;
  if (quota !== undefined && ctx.store.mailboxBytes(mailbox) + bytes > quota) throw err('ErrorQuotaExceeded');
  ctx.beforeWrite(mailbox, bytes);
}

function createItem(ctx: OpContext, body: XElement): string {
  const disposition = attr(body, 'MessageDisposition');
  const savedRef = children(child(body, M, 'SavedItemFolderId'))[0];
  return opResponse('CreateItem', children(child(body, M, 'Items')).map((spec) => {
    const wrapper = spec.localName === 'Item' ? 't:Item' : `t:${spec.localName}`;
    try {
      if (spec.localName === 'Message' && disposition && disposition !== 'SaveOnly') throw err('ErrorInvalidOperation', 'The fake only saves items (MessageDisposition SaveOnly); it does not send mail.');
      const defaults: Record<string, string> = { Message: 'drafts', Contact: 'contacts', CalendarItem: 'calendar', Task: 'tasks', Item: 'drafts' };
      const { mailbox, folder } = savedRef ? resolveFolder(ctx, savedRef) : (() => {
        canAccess(ctx, ctx.mailbox);
        return { mailbox: ctx.mailbox.toLowerCase(), folder: ctx.store.folderByDistinguished(ctx.mailbox, defaults[spec.localName ?? 'Item'] ?? 'drafts')! };
      })();
      const mimeEl = child(spec, T, 'MimeContent');
      const classes: Record<string, string> = { Message: 'IPM.Note', Contact: 'IPM.Contact', CalendarItem: 'IPM.Appointment', Task: 'IPM.Task', Item: 'IPM.Note' };
      const itemClass = text(child(spec, T, 'ItemClass'))?.trim() || classes[spec.localName ?? 'Item'] || 'IPM.Note';
      if (mimeEl && spec.localName === 'Task') throw err('ErrorUnsupportedMimeConversion', 'Conversion of MIME content to this item type is not supported.');
      if (spec.localName === 'CalendarItem') {
        // Exchange requires the attribute for calendar items and mails every attendee unless it is SendToNone.
        const invite = attr(body, 'SendMeetingInvitations');
        if (!invite) throw err('ErrorSendMeetingInvitationsRequired');
        if (!['SendToNone', 'SendOnlyToAll', 'SendToAllAndSaveCopy'].includes(invite)) throw err('ErrorSchemaValidation', `The 'SendMeetingInvitations' attribute is invalid - The value '${invite}' is invalid according to its datatype.`);
        const attendees = mimeEl ? (Buffer.from((text(mimeEl) ?? '').replace(/\s+/g, ''), 'base64').toString('utf8').match(/^ATTENDEE[;:]/gim) ?? []).length : children(child(spec, T, 'RequiredAttendees')).length + children(child(spec, T, 'OptionalAttendees')).length;
        if (invite !== 'SendToNone') ctx.store.invitationsSent += attendees;
      }
      const subject = text(child(spec, T, 'Subject')) ?? '';
      const mime = mimeEl ? Buffer.from((text(mimeEl) ?? '').replace(/\s+/g, ''), 'base64') : Buffer.from(`Subject: ${subject}\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset="utf-8"\r\n\r\n`, 'utf8');
      checkWrite(ctx, mailbox, mime.length);
      const isMessage = spec.localName === 'Message' || spec.localName === 'Item';
      const rec = recordFromMime(mime, folder.id, { itemClass, isRead: true, isDraft: isMessage, now: ctx.now(), ...(spec.localName === 'Task' ? { task: taskOf(spec) } : {}) });
      if (!mimeEl) rec.subject = subject;
      for (const p of children(spec, T, 'ExtendedProperty')) applyExtended(rec, p);
      const isRead = text(child(spec, T, 'IsRead'))?.trim();
      if (isRead !== undefined) rec.messageFlags = isRead === 'true' || isRead === '1' ? rec.messageFlags | 1 : rec.messageFlags & ~1;
      applyMarks(rec, spec);
      const item = ctx.store.putItem(mailbox, rec, mime);
      return success('CreateItem', el('m:Items', null, el(wrapper, null, itemIdXml('t:ItemId', mailbox, item))));
    } catch (e) {
      if (e instanceof ResponseError) return errorMessage('CreateItem', e.code, e.message);
      throw e;
    }
  }));
}

/** A t:Task's properties as the fake keeps them (what GetItem serves back). */
function taskOf(spec: XElement): StoredTask {
  const value = (name: string) => text(child(spec, T, name))?.trim() || undefined;
  const status = value('Status') as StoredTask['status'];
  const importance = value('Importance') as StoredTask['importance'];
  return {
    ...(value('Body') !== undefined ? { body: text(child(spec, T, 'Body')) ?? '' } : {}),
    ...(importance ? { importance } : {}),
    ...(value('ReminderIsSet') === 'true' && value('ReminderDueBy') ? { reminderDueBy: iso(new Date(value('ReminderDueBy')!)) } : {}),
    ...(value('DueDate') ? { dueDate: iso(new Date(value('DueDate')!)) } : {}),
    ...(value('StartDate') ? { startDate: iso(new Date(value('StartDate')!)) } : {}),
    ...(status ? { status } : {}),
    ...(status === 'Completed' ? { completeDate: iso(new Date()), percentComplete: 100 } : {}),
  };
}

/** t:Flag (FlagStatus) and t:Categories of an item element onto a record, where the element has them. */
function applyMarks(rec: Pick<StoredItem, 'flagStatus' | 'categories'>, spec: XElement): void {
  const flag = child(spec, T, 'Flag');
  if (flag) {
    const status = text(child(flag, T, 'FlagStatus'))?.trim();
    if (status !== 'NotFlagged' && status !== 'Flagged' && status !== 'Complete') throw err('ErrorSchemaValidation', `The request failed schema validation: The value '${status ?? ''}' is invalid according to its datatype 't:FlagStatusType'.`);
    rec.flagStatus = status;
  }
  const categories = child(spec, T, 'Categories');
  if (categories) rec.categories = children(categories, T, 'String').map((c) => text(c) ?? '');
}

/** One t:ExtendedProperty onto a record: the MAPI tags Exchange keeps as item fields, the rest as they are. */
function applyExtended(rec: Pick<StoredItem, 'messageFlags' | 'dateTimeReceived' | 'dateTimeSent' | 'extended'>, p: XElement): void {
  const u = uriOf(child(p, T, 'ExtendedFieldURI')!);
  const values = child(p, T, 'Values') ? children(child(p, T, 'Values'), T, 'Value').map((v) => text(v) ?? '') : undefined;
  const value = text(child(p, T, 'Value'));
  const key = extKey(u);
  // PidTagSearchKey is read-only for clients ([MS-OXCPRPT] 2.2.1.9): EWS's error for setting a read-only property.
  if (key === `tag:${TAG_SEARCH_KEY}`) throw err('ErrorInvalidPropertySet', 'The property PidTagSearchKey (0x300B) is read-only and cannot be set.');
  if (key === `tag:${TAG_FLAGS}`) rec.messageFlags = Number(value) | 0;
  else if (key === `tag:${TAG_DELIVERY}` && value) rec.dateTimeReceived = iso(new Date(value));
  else if (key === `tag:${TAG_SUBMIT}` && value) rec.dateTimeSent = iso(new Date(value));
  else {
    const stored: StoredExtendedProperty = values ? { uri: u, values } : { uri: u, value: value ?? '' };
    rec.extended = [...rec.extended.filter((x) => extKey(x.uri) !== key), stored];
  }
}

/** CalendarItemUpdateOperationType (types.xsd). */
const CALENDAR_UPDATE_MODES = ['SendToNone', 'SendOnlyToAll', 'SendOnlyToChanged', 'SendToAllAndSaveCopy', 'SendToChangedAndSaveCopy'];

/** The item element SetItemField must use for each kind (t:Item fits every kind). */
const KIND_ELEMENTS: Record<string, string> = { contact: 'Contact', event: 'CalendarItem', task: 'Task' };

/** Task properties UpdateItem sets (TaskType and ItemType fields of a task), and those Exchange lets go. */
const TASK_FIELDS = ['item:Subject', 'item:Body', 'item:Importance', 'item:ReminderIsSet', 'item:ReminderDueBy', 'task:DueDate', 'task:StartDate', 'task:Status', 'task:PercentComplete'];
const DELETABLE = new Set(['item:Body', 'item:ReminderDueBy', 'task:DueDate', 'task:StartDate', 'calendar:Location', 'contacts:DisplayName', 'contacts:GivenName', 'contacts:Surname', 'contacts:CompanyName', 'contacts:Department', 'contacts:JobTitle', 'contacts:PhoneNumber', 'contacts:EmailAddress', ...ADDRESS_PARTS.map((p) => `contacts:PhysicalAddress:${p}`)]);

/** One task property set (value) or deleted (undefined), as Exchange does: Completed sets the completion date and 100 %. */
function setTaskField(rec: StoredItem, uri: string, value: string | undefined, now: Date): void {
  const task: StoredTask = { ...rec.task };
  const time = value === undefined || !/Date|DueBy/.test(uri) ? undefined : iso(new Date(value));
  /** Sets a task property, or deletes it when the request gives no value. */
  const put = <K extends 'body' | 'reminderDueBy' | 'dueDate' | 'startDate'>(key: K, v: string | undefined) => {
    if (v === undefined) delete task[key];
    else task[key] = v;
  };
  if (uri === 'item:Subject') rec.subject = value ?? '';
  else if (uri === 'item:Body') put('body', value);
  else if (uri === 'item:Importance') task.importance = value as StoredTask['importance'];
  else if (uri === 'item:ReminderIsSet' && value !== 'true') delete task.reminderDueBy;
  else if (uri === 'item:ReminderDueBy') put('reminderDueBy', time);
  else if (uri === 'task:DueDate') put('dueDate', time);
  else if (uri === 'task:StartDate') put('startDate', time);
  else if (uri === 'task:PercentComplete') task.percentComplete = Number(value);
  else if (uri === 'task:Status') {
    task.status = value as StoredTask['status'];
    if (value === 'Completed') Object.assign(task, { completeDate: task.completeDate ?? iso(now), percentComplete: 100 });
    else delete task.completeDate;
    if (value === 'NotStarted') task.percentComplete = 0;
  }
  rec.task = task;
}

/** The value SetItemField carries for a contact, calendar item or task field (undefined: none given). */
function fieldValueIn(target: XElement, uri: string, index: string | undefined): string | undefined {
  if (index) {
    const part = uri.startsWith('contacts:PhysicalAddress:') ? uri.slice('contacts:PhysicalAddress:'.length) : undefined;
    const list = child(target, T, part ? 'PhysicalAddresses' : uri === 'contacts:PhoneNumber' ? 'PhoneNumbers' : 'EmailAddresses');
    const entry = children(list, T, 'Entry').find((e) => attr(e, 'Key') === index);
    const v = entry && part ? child(entry, T, part) : entry;
    return v ? (text(v) ?? '') : undefined;
  }
  const v = child(target, T, uri.slice(uri.indexOf(':') + 1));
  return v ? (text(v) ?? '') : undefined;
}

/**
 * UpdateItem: SetItemField / DeleteItemField on extended properties, message:IsRead, item:Flag,
 * item:Categories, and the fields of contacts (names, company, job, phones, e-mail and postal addresses, notes),
 * calendar items (subject, sensitivity, body, importance, reminder, start, end, all day, show-as,
 * location) and tasks (subject, body,
 * importance, reminder, dates, status): what a migration tool sets. Each SetItemField names one
 * property and holds exactly that one (else ErrorIncorrectUpdatePropertyCount) in an element of the
 * item's own type or t:Item (else ErrorObjectTypeChanged); ConflictResolution NeverOverwrite with a
 * ChangeKey that is not the item's gives ErrorIrresolvableConflict.
 */
function updateItem(ctx: OpContext, body: XElement): string {
  // Required for calendar items (UpdateItem reference: "This attribute is required for calendar items
  // and calendar item occurrences"); a value outside CalendarItemUpdateOperationType fails the schema.
  const invitations = attr(body, 'SendMeetingInvitationsOrCancellations');
  if (invitations !== undefined && !CALENDAR_UPDATE_MODES.includes(invitations)) {
    throw new EwsFault('ErrorSchemaValidation', `The request failed schema validation: The 'SendMeetingInvitationsOrCancellations' attribute is invalid - The value '${invitations}' is invalid according to its datatype '${NS.t}:CalendarItemUpdateOperationType' - The Enumeration constraint failed.`);
  }
  const resolution = attr(body, 'ConflictResolution');
  return opResponse('UpdateItem', children(child(body, M, 'ItemChanges'), T, 'ItemChange').map((change) => {
    try {
      const ref = child(change, T, 'ItemId');
      if (!ref) throw err('ErrorInvalidIdMalformed');
      const { mailbox, item } = resolveItem(ctx, ref);
      if (item.itemClass.startsWith('IPM.Appointment') && invitations === undefined) throw err('ErrorSendMeetingInvitationsOrCancellationsRequired');
      const given = attr(ref, 'ChangeKey');
      if (resolution === 'NeverOverwrite' && given !== undefined && given !== changeKey(Math.max(item.modSeq, item.readSeq))) throw err('ErrorIrresolvableConflict');
      const kind = item.itemClass.startsWith('IPM.Contact') ? 'contact' : item.itemClass.startsWith('IPM.Appointment') ? 'event' : item.itemClass.startsWith('IPM.Task') ? 'task' : 'other';
      const rec: StoredItem = { ...item, extended: [...item.extended] };
      let pim: PimText | undefined;
      const pimOf = () => (pim ??= new PimText(ctx.store.mime(mailbox, item), kind === 'contact' ? 'contact' : 'event'));
      let mime = ctx.store.mime(mailbox, item);
      let wrapper = 't:Message';
      for (const update of children(child(change, T, 'Updates'))) {
        const extUri = child(update, T, 'ExtendedFieldURI');
        const path = child(update, T, 'FieldURI') ?? child(update, T, 'IndexedFieldURI');
        const fieldUri = attr(path ?? update, 'FieldURI');
        const index = path?.localName === 'IndexedFieldURI' ? attr(path, 'FieldIndex') : undefined;
        const target = children(update).find((c) => c.localName !== 'ExtendedFieldURI' && c.localName !== 'FieldURI' && c.localName !== 'IndexedFieldURI');
        if (target) {
          wrapper = `t:${target.localName}`;
          const own = KIND_ELEMENTS[kind];
          if (target.localName !== 'Item' && target.localName !== own && (own !== undefined || target.localName !== 'Message')) throw err('ErrorObjectTypeChanged', `The item is ${item.itemClass}; SetItemField holds a t:${target.localName}.`);
          if (children(target).length !== 1) throw err('ErrorIncorrectUpdatePropertyCount', 'An object within a change description must contain one and only one property to modify.');
        }
        const pimField = fieldUri !== undefined && ((kind === 'contact' && isContactField(fieldUri)) || (kind === 'event' && isEventField(fieldUri)));
        const taskField = fieldUri !== undefined && kind === 'task' && TASK_FIELDS.includes(fieldUri);
        if (update.localName === 'DeleteItemField' && (pimField || taskField)) {
          if (!DELETABLE.has(fieldUri!)) throw err('ErrorInvalidPropertyDelete', `The property ${fieldUri} cannot be deleted.`);
          if (pimField) pimOf().set(fieldUri!, index, undefined);
          else setTaskField(rec, fieldUri!, undefined, ctx.now());
        } else if (update.localName === 'SetItemField' && (pimField || taskField) && target) {
          const value = fieldValueIn(target, fieldUri!, index);
          if (value === undefined) throw err('ErrorInvalidPropertySet', `SetItemField for ${fieldUri} holds no such property.`);
          if (pimField) pimOf().set(fieldUri!, index, value);
          else setTaskField(rec, fieldUri!, value, ctx.now());
          if (fieldUri === 'item:Subject' && kind === 'task') mime = Buffer.from(`Subject: ${value}\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset="utf-8"\r\n\r\n`, 'utf8');
        } else if (update.localName === 'DeleteItemField' && extUri) {
          const key = extKey(uriOf(extUri));
          if (key === `tag:${TAG_SEARCH_KEY}`) throw err('ErrorInvalidPropertyDelete', 'The property PidTagSearchKey cannot be deleted.');
          rec.extended = rec.extended.filter((x) => extKey(x.uri) !== key);
        } else if (update.localName === 'SetItemField' && extUri && target) {
          const prop = child(target, T, 'ExtendedProperty');
          if (!prop) throw err('ErrorInvalidPropertySet');
          applyExtended(rec, prop);
        } else if (update.localName === 'SetItemField' && fieldUri === 'message:IsRead' && target) {
          const v = text(child(target, T, 'IsRead'))?.trim();
          rec.messageFlags = v === 'true' || v === '1' ? rec.messageFlags | 1 : rec.messageFlags & ~1;
        } else if (update.localName === 'SetItemField' && (fieldUri === 'item:Flag' || fieldUri === 'item:Categories') && target) {
          applyMarks(rec, target);
        } else if (update.localName === 'DeleteItemField' && fieldUri === 'item:Categories') {
          delete rec.categories;
        } else if (update.localName === 'DeleteItemField' && fieldUri === 'item:Flag') {
          delete rec.flagStatus;
        } else throw err('ErrorUnsupportedPropertyDefinition', 'The fake updates extended properties, message:IsRead, item:Flag, item:Categories and the fields of contacts, calendar items and tasks it models only.');
      }
      if (pim) {
        mime = pim.toBuffer();
        rec.subject = pim.get(kind === 'contact' ? 'contacts:DisplayName' : 'item:Subject') ?? rec.subject;
      }
      const { createdSeq: _c, modSeq: _m, readSeq: _r, size: _s, ...rest } = rec;
      const updated = ctx.store.putItem(mailbox, { ...rest, lastModifiedTime: iso(ctx.now()) }, mime);
      return success('UpdateItem', el('m:Items', null, el(wrapper, null, itemIdXml('t:ItemId', mailbox, updated))) + el('m:ConflictResults', null, tx('t:Count', '0')));
    } catch (e) {
      if (e instanceof ResponseError) return errorMessage('UpdateItem', e.code, e.message);
      throw e;
    }
  }));
}

/** CalendarItemCreateOrDeleteOperationType and AffectedTaskOccurrencesType (types.xsd). */
const CALENDAR_DELETE_MODES = ['SendToNone', 'SendOnlyToAll', 'SendToAllAndSaveCopy'];
const TASK_OCCURRENCES = ['AllOccurrences', 'SpecifiedOccurrenceOnly'];

function deleteItem(ctx: OpContext, body: XElement): string {
  const type = attr(body, 'DeleteType') ?? 'HardDelete';
  // DeleteItem reference: SendMeetingCancellations "is required for calendar items and calendar item
  // occurrences", AffectedTaskOccurrences "is required when tasks are deleted"; a value outside
  // their types fails the schema.
  const cancellations = attr(body, 'SendMeetingCancellations');
  const occurrences = attr(body, 'AffectedTaskOccurrences');
  if (cancellations !== undefined && !CALENDAR_DELETE_MODES.includes(cancellations)) {
    throw new EwsFault('ErrorSchemaValidation', `The request failed schema validation: The 'SendMeetingCancellations' attribute is invalid - The value '${cancellations}' is invalid according to its datatype '${NS.t}:CalendarItemCreateOrDeleteOperationType' - The Enumeration constraint failed.`);
  }
  if (occurrences !== undefined && !TASK_OCCURRENCES.includes(occurrences)) {
    throw new EwsFault('ErrorSchemaValidation', `The request failed schema validation: The 'AffectedTaskOccurrences' attribute is invalid - The value '${occurrences}' is invalid according to its datatype '${NS.t}:AffectedTaskOccurrencesType' - The Enumeration constraint failed.`);
  }
  return opResponse('DeleteItem', children(child(body, M, 'ItemIds')).map((ref) => {
    try {
      const { mailbox, item } = resolveItem(ctx, ref);
      if (item.itemClass.startsWith('IPM.Appointment') && cancellations === undefined) throw err('ErrorSendMeetingCancellationsRequired');
      if (item.itemClass.startsWith('IPM.Task') && occurrences === undefined) throw err('ErrorAffectedTaskOccurrencesRequired');
      // MoveToDeletedItems: to Deleted Items (as Outlook's Delete); SoftDelete: to the dumpster,
      // Recoverable Items\Deletions, outside the folders clients list (Outlook's "Recover deleted
      // items" brings it back); HardDelete: gone.
      const bin = type === 'MoveToDeletedItems' ? ctx.store.folderByDistinguished(mailbox, 'deleteditems')! : type === 'SoftDelete' ? ctx.store.recoverableDeletions(mailbox) : undefined;
      if (bin && item.folder !== bin.id) {
        const { id: _id, createdSeq: _c, modSeq: _m, readSeq: _r, size: _s, ...rest } = item;
        ctx.store.putItem(mailbox, { ...rest, id: item.id, folder: bin.id }, ctx.store.mime(mailbox, item));
      } else ctx.store.deleteItem(mailbox, item);
      return success('DeleteItem');
    } catch (e) {
      if (e instanceof ResponseError) return errorMessage('DeleteItem', e.code, e.message);
      throw e;
    }
  }));
}

/**
 * MoveItem and CopyItem (Exchange 2007+), item by item into ToFolderId. MoveItem: the item gets a
 * new ItemId, as in Exchange (the old id is gone: SyncFolderItems of the old folder reports a
 * Delete, of the new one a Create). CopyItem: a copy with a new ItemId (a Create there), the
 * original left as it is; the copy carries the original's PidTagSearchKey ("Whenever a copy of an
 * object is created, the key is also copied", [MS-OXCPRPT] 2.2.1.9). The response names the new ids
 * unless ReturnNewItemIds is false, as Exchange 2010 SP1 and later do (the fake answers so whatever
 * the requested version).
 */
function moveOrCopyItem(op: 'MoveItem' | 'CopyItem'): (ctx: OpContext, body: XElement) => string {
  return (ctx, body) => {
    const toRef = children(child(body, M, 'ToFolderId'))[0];
    const returnIds = text(child(body, M, 'ReturnNewItemIds'))?.trim() !== 'false';
    return opResponse(op, children(child(body, M, 'ItemIds')).map((ref) => {
      try {
        if (!toRef) throw err('ErrorInvalidIdMalformed');
        const { mailbox: target, folder } = resolveFolder(ctx, toRef);
        const { mailbox, item } = resolveItem(ctx, ref);
        if (target !== mailbox) throw err('ErrorCrossMailboxMoveCopy');
        if (op === 'CopyItem') checkWrite(ctx, mailbox, item.size);
        const now = op === 'MoveItem' ? ctx.store.moveItem(mailbox, item, folder.id) : ctx.store.copyItem(mailbox, item, folder.id);
        return success(op, el('m:Items', null, returnIds ? el(itemElement(now), null, itemIdXml('t:ItemId', mailbox, now)) : ''));
      } catch (e) {
        if (e instanceof ResponseError) return errorMessage(op, e.code, e.message);
        throw e;
      }
    }));
  };
}

// ---------- export / upload ----------

const EXPORT_MAGIC = Buffer.from('FEWSEXP\0', 'latin1');

/** The fake's opaque ExportItems blob: magic, version, JSON record, MIME, SHA-256 prefix. */
export function exportBlob(item: StoredItem, mime: Buffer): Buffer {
  // The search key is the item's in this mailbox: an upload creates an item with a key of its own.
  const { id: _id, folder: _f, createdSeq: _c, modSeq: _m, readSeq: _r, searchKey: _k, ...record } = item;
  const json = Buffer.from(JSON.stringify(record), 'utf8');
  const head = Buffer.alloc(12);
  head.writeUInt16LE(1, 0); // format version
  head.writeUInt16LE(0, 2); // flags
  head.writeUInt32LE(json.length, 4);
  head.writeUInt32LE(mime.length, 8);
  const bodyBuf = Buffer.concat([EXPORT_MAGIC, head, json, mime]);
  return Buffer.concat([bodyBuf, crypto.createHash('sha256').update(bodyBuf).digest().subarray(0, 16)]);
}

export function parseExportBlob(data: Buffer): { record: Omit<StoredItem, 'id' | 'folder' | 'createdSeq' | 'modSeq' | 'readSeq'>; mime: Buffer } {
  if (data.length < 36 || !data.subarray(0, 8).equals(EXPORT_MAGIC) || data.readUInt16LE(8) !== 1) throw err('ErrorCorruptData');
  const jsonLen = data.readUInt32LE(12), mimeLen = data.readUInt32LE(16);
  if (20 + jsonLen + mimeLen + 16 !== data.length) throw err('ErrorCorruptData');
  const bodyBuf = data.subarray(0, data.length - 16);
  if (!crypto.createHash('sha256').update(bodyBuf).digest().subarray(0, 16).equals(data.subarray(data.length - 16))) throw err('ErrorCorruptData');
  try {
    return { record: JSON.parse(data.subarray(20, 20 + jsonLen).toString('utf8')) as ReturnType<typeof parseExportBlob>['record'], mime: Buffer.from(data.subarray(20 + jsonLen, 20 + jsonLen + mimeLen)) };
  } catch {
    throw err('ErrorCorruptData');
  }
}

function exportItems(ctx: OpContext, body: XElement): string {
  const refs = children(child(body, M, 'ItemIds'));
  if (refs.length > ctx.store.config.limits.exportMaxItems) throw new EwsFault('ErrorInvalidRequest', `The request contains ${refs.length} item ids; the server accepts at most ${ctx.store.config.limits.exportMaxItems} per ExportItems call.`);
  return opResponse('ExportItems', refs.map((ref) => {
    try {
      const { mailbox, item } = resolveItem(ctx, ref);
      return success('ExportItems', itemIdXml('m:ItemId', mailbox, item) + tx('m:Data', exportBlob(item, ctx.store.mime(mailbox, item)).toString('base64')));
    } catch (e) {
      if (e instanceof ResponseError) return errorMessage('ExportItems', e.code, e.message);
      throw e;
    }
  }));
}

function uploadItems(ctx: OpContext, body: XElement): string {
  return opResponse('UploadItems', children(child(body, M, 'Items')).map((spec) => {
    try {
      const action = attr(spec, 'CreateAction') ?? 'CreateNew';
      const parentEl = child(spec, T, 'ParentFolderId');
      if (!parentEl) throw err('ErrorInvalidIdMalformed');
      const pid = decodeId(attr(parentEl, 'Id') ?? '');
      if (!pid || pid.kind !== 'folder') throw err('ErrorInvalidIdMalformed');
      canAccess(ctx, pid.mailbox);
      const folder = ctx.store.folder(pid.mailbox, pid.local);
      if (!folder) throw err('ErrorFolderNotFound');
      const { record, mime } = parseExportBlob(Buffer.from((text(child(spec, T, 'Data')) ?? '').replace(/\s+/g, ''), 'base64'));
      let existing: StoredItem | undefined;
      const idEl = child(spec, T, 'ItemId');
      if (action !== 'CreateNew' && idEl) {
        const iid = decodeId(attr(idEl, 'Id') ?? '');
        if (!iid || iid.kind !== 'item') throw err('ErrorInvalidIdMalformed');
        if (iid.mailbox === pid.mailbox) existing = ctx.store.itemsOf(pid.mailbox).get(iid.local);
      }
      if (action === 'Update' && !existing) throw err('ErrorItemNotFound');
      checkWrite(ctx, pid.mailbox, mime.length - (existing?.size ?? 0));
      const isAssociated = attr(spec, 'IsAssociated');
      const item = ctx.store.putItem(pid.mailbox, { ...record, ...(existing ? { id: existing.id } : {}), folder: folder.id, isAssociated: isAssociated === undefined ? record.isAssociated : isAssociated === 'true' }, mime);
      return success('UploadItems', itemIdXml('m:ItemId', pid.mailbox, item));
    } catch (e) {
      if (e instanceof ResponseError) return errorMessage('UploadItems', e.code, e.message);
      throw e;
    }
  }));
}

// ---------- ResolveNames ----------

function resolveNames(ctx: OpContext, body: XElement): string {
  const entry = (text(child(body, M, 'UnresolvedEntry')) ?? '').trim();
  const full = attr(body, 'ReturnFullContactData') === 'true';
  const smtp = /^smtp:/i.test(entry);
  const q = (smtp ? entry.slice(5) : entry).toLowerCase();
  const users = ctx.store.config.users.filter((u) => u.hasMailbox !== false).filter((u) => {
    const a = u.address.toLowerCase();
    if (smtp) return a.startsWith(q);
    const name = (u.displayName ?? u.address).toLowerCase();
    return a.startsWith(q) || name.startsWith(q) || name.split(/\s+/).some((w) => w.startsWith(q)) || (u.login.split('\\')[1] ?? '').toLowerCase().startsWith(q);
  }).sort((a, b) => (a.displayName ?? a.address).localeCompare(b.displayName ?? b.address) || a.address.localeCompare(b.address));
  if (users.length === 0) return opResponse('ResolveNames', [errorMessage('ResolveNames', 'ErrorNameResolutionNoResults', MESSAGES.ErrorNameResolutionNoResults)]);
  const max = ctx.store.config.limits.resolveNamesMax;
  const page = users.slice(0, max);
  const set = el('m:ResolutionSet', { TotalItemsInView: page.length, IncludesLastItemInRange: users.length <= max }, ...page.map((u) => el('t:Resolution', null,
    el('t:Mailbox', null, tx('t:Name', u.displayName ?? u.address), tx('t:EmailAddress', u.address), tx('t:RoutingType', 'SMTP'), tx('t:MailboxType', 'Mailbox')),
    full ? el('t:Contact', null, tx('t:DisplayName', u.displayName ?? u.address), el('t:EmailAddresses', null, tx('t:Entry', `SMTP:${u.address}`, { Key: 'EmailAddress1' })), tx('t:ContactSource', 'ActiveDirectory')) : '',
  )));
  if (users.length === 1) return opResponse('ResolveNames', [success('ResolveNames', set)]);
  return opResponse('ResolveNames', [errorMessage('ResolveNames', 'ErrorNameResolutionMultipleResults', MESSAGES.ErrorNameResolutionMultipleResults, set, undefined, 'Warning')]);
}

// ---------- dispatch ----------

/**
 * ConvertId between id formats. The fake's ids have one byte form (ids.ts): EwsId, EwsLegacyId,
 * EntryId, StoreId and OwaId are its base64 and HexEntryId its hex (an assumption: Exchange's
 * formats differ in bytes, which no client reads). An id that does not decode is
 * ErrorInvalidIdMalformed, as Exchange answers the "DUMMY" id exchangelib sends to learn the version.
 */
function convertId(ctx: OpContext, body: XElement): string {
  const destination = attr(body, 'DestinationFormat') ?? '';
  const formats = ['EwsLegacyId', 'EwsId', 'EntryId', 'HexEntryId', 'StoreId', 'OwaId'];
  if (!formats.includes(destination)) throw new EwsFault('ErrorSchemaValidation', `The request failed schema validation: The 'DestinationFormat' attribute is invalid - The value '${destination}' is invalid according to its datatype '${NS.t}:IdFormatType' - The Enumeration constraint failed.`);
  return opResponse('ConvertId', children(child(body, M, 'SourceIds')).map((source) => {
    try {
      const format = attr(source, 'Format') ?? '';
      const given = attr(source, 'Id') ?? '';
      const bytes = format === 'HexEntryId' ? (/^([0-9A-Fa-f]{2})+$/.test(given) ? Buffer.from(given, 'hex') : Buffer.alloc(0)) : Buffer.from(given, 'base64');
      const id = decodeId(bytes.toString('base64'));
      if (!id || source.localName !== 'AlternateId') throw err('ErrorInvalidIdMalformed');
      canAccess(ctx, id.mailbox);
      const out = destination === 'HexEntryId' ? bytes.toString('hex').toUpperCase() : bytes.toString('base64');
      return success('ConvertId', el('m:AlternateId', { 'xsi:type': 't:AlternateIdType', Format: destination, Id: out, Mailbox: id.mailbox }));
    } catch (e) {
      if (e instanceof ResponseError) return errorMessage('ConvertId', e.code, e.message);
      throw e;
    }
  }));
}

export const OPERATIONS: Record<string, { minVersion: string; run(ctx: OpContext, body: XElement): string }> = {
  ConvertId: { minVersion: 'Exchange2007_SP1', run: convertId },
  GetFolder: { minVersion: 'Exchange2007', run: getFolder },
  FindFolder: { minVersion: 'Exchange2007', run: findFolder },
  CreateFolder: { minVersion: 'Exchange2007', run: createFolder },
  SyncFolderHierarchy: { minVersion: 'Exchange2007', run: syncFolderHierarchy },
  SyncFolderItems: { minVersion: 'Exchange2007', run: syncFolderItems },
  FindItem: { minVersion: 'Exchange2007', run: findItem },
  GetItem: { minVersion: 'Exchange2007', run: getItem },
  CreateItem: { minVersion: 'Exchange2007', run: createItem },
  UpdateItem: { minVersion: 'Exchange2007', run: updateItem },
  DeleteItem: { minVersion: 'Exchange2007', run: deleteItem },
  MoveItem: { minVersion: 'Exchange2007', run: moveOrCopyItem('MoveItem') },
  CopyItem: { minVersion: 'Exchange2007', run: moveOrCopyItem('CopyItem') },
  ExportItems: { minVersion: 'Exchange2010_SP1', run: exportItems },
  UploadItems: { minVersion: 'Exchange2010_SP1', run: uploadItems },
  ResolveNames: { minVersion: 'Exchange2007', run: resolveNames },
};

export const VERSIONS = ['Exchange2007', 'Exchange2007_SP1', 'Exchange2010', 'Exchange2010_SP1', 'Exchange2010_SP2', 'Exchange2013', 'Exchange2013_SP1', 'Exchange2015', 'Exchange2016', 'V2015_10_05', 'V2016_01_06', 'V2016_04_13', 'V2016_07_13', 'V2016_10_10', 'V2017_01_07', 'V2017_04_14', 'V2017_07_11'];
