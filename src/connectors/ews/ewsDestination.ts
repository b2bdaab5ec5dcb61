// An Exchange mailbox as a destination, through EWS. Role folders map to the distinguished ones,
// others are created parents first (CreateFolder with the folder class of what they hold). A message
// is written in one CreateItem from its MIME, with PR_MESSAGE_FLAGS (read or unread, never a draft
// unless it was one), the received and submit times, and Ferry's watermark (the content fingerprint)
// in the same request: a message exists whole or not at all, and findWritten finds it by its
// watermark after a crash. Opaque full-fidelity items (ExportItems from another Exchange) go in
// through UploadItems and are marked right after; the new item's id goes on the engine's intent
// first (WriteHooks.created), so one cut between the two (a failed UpdateItem, a kill) is found by
// that id and marked then, calendar items, contacts and tasks included (they have no Message-ID);
// without the id (a store from before) by its Message-ID.
import type * as Ews from 'ews-javascript-api';
import type { ItemType } from '../../plan/model';
import { ensureExchangeFolder, sameFolderPath } from '../exchangeFolders';
import { probeOf } from '../fingerprint';
import { ConnectorError, type DestinationMailbox, type FolderInfo, type FolderRole, type InPlaceUpdate, type ItemContent, type OpaqueAcceptance, type WriteHooks, type WrittenItem, type WrittenProbe } from '../types';
import { ewsError } from './ewsErrors';
import { setRead, setWatermark, uploadItem } from './ewsExportImport';
import { folderClassOf, listEwsFolders } from './ewsFolders';
import { extendedProp, markProperties, marksOf, MSGFLAG_READ, MSGFLAG_UNSENT, prop, propertyDefs, setMarks } from './ewsProperties';
import { heldWithCategories } from '../categories';
import { ewsTaskFromICalendar } from './ewsTaskWrite';
import { updateInPlace } from './ewsInPlace';
import { residueOf } from './inPlaceResidue';
import type { EwsSession } from './ewsSession';
import { hasExportImport } from './ewsSettings';

/** Items per FindItem page when looking for a written item (identical copies share a watermark). */
const FIND_PAGE = 50;


export class EwsDestination implements DestinationMailbox {
  private folders: FolderInfo[] | undefined;
  private rootId = '';

  constructor(readonly session: EwsSession) {}

  async listFolders(): Promise<FolderInfo[]> {
    const tree = await listEwsFolders(this.session);
    this.rootId = tree.rootId;
    this.folders = tree.folders;
    return this.folders;
  }

  async ensureFolder(path: string[], role: FolderRole | undefined, type?: ItemType): Promise<FolderInfo> {
    const folders = this.folders ?? (await this.listFolders());
    const itemType = type ?? (role === 'calendar' ? 'calendar' : role === 'contacts' ? 'contacts' : role === 'tasks' ? 'tasks' : 'mail');
    return ensureExchangeFolder(folders, path, role, itemType, (parent, at) => this.createFolder(parent?.id ?? this.rootId, at, itemType));
  }

  /** CreateFolder; when another run made it meanwhile (ErrorFolderExists), finds that one. */
  private async createFolder(parentId: string, path: string[], itemType: FolderInfo['itemType']): Promise<string> {
    const { ews, service } = this.session;
    // The typed class for each kind: Exchange answers a CreateFolder with the folder's own type.
    const folder = itemType === 'contacts' ? new ews.ContactsFolder(service) : itemType === 'calendar' ? new ews.CalendarFolder(service) : itemType === 'tasks' ? new ews.TasksFolder(service) : new ews.Folder(service);
    folder.DisplayName = path[path.length - 1];
    folder.FolderClass = folderClassOf(itemType);
    try {
      await this.session.call(`create the folder ${path.join('/')}`, () => folder.Save(new ews.FolderId(parentId)));
      return folder.Id.UniqueId;
    } catch (err) {
      if (!(err instanceof ConnectorError && err.code === 'EWS-FOLDER-EXISTS')) throw err;
      const existing = (await listEwsFolders(this.session)).folders.find((f) => sameFolderPath(f.path, path));
      if (!existing) throw err;
      return existing.id;
    }
  }

  /** Opaque items go in through UploadItems, which Exchange offers from 2010 SP1 on (the version this session negotiated). */
  async acceptsOpaque(): Promise<OpaqueAcceptance> {
    if (hasExportImport(this.session.settings.version ?? 'Exchange2013_SP1')) return { accepted: true };
    return { accepted: false, reason: ewsError('EWS-EXPORT-UNSUPPORTED', [new URL(this.session.url).host, this.session.mailbox]) };
  }

  async writeItem(folder: FolderInfo, content: ItemContent, signal: AbortSignal, hooks?: WriteHooks): Promise<WrittenItem> {
    signal.throwIfAborted();
    const fingerprint = probeOf(content).fingerprint;
    if (content.format === 'opaque') {
      // UploadItems takes the stream as it is: the watermark follows in an UpdateItem.
      const id = await uploadItem(this.session, folder, content.data, signal);
      hooks?.created?.(id);
      const version = await setWatermark(this.session, folder, id, fingerprint, signal);
      return { id, ...(version ? { version } : {}) };
    }
    const { ews } = this.session;
    const defs = propertyDefs(ews);
    // Exchange has no MIME form for tasks: a VTODO in a task folder is created from its properties.
    const asTask = folder.itemType === 'tasks' && content.format === 'icalendar';
    const item = asTask ? await ewsTaskFromICalendar(this.session, content.data) : this.newItem(content);
    if (!asTask) item.MimeContent = new ews.MimeContent('UTF-8', content.data.toString('base64'));
    if (content.format === 'rfc822') {
      const read = content.flags.includes('\\Seen');
      item.SetExtendedProperty(defs.messageFlags, (read ? MSGFLAG_READ : 0) | (content.flags.includes('\\Draft') ? MSGFLAG_UNSENT : 0));
      item.SetExtendedProperty(defs.deliveryTime, new ews.DateTime(content.date.getTime()));
      item.SetExtendedProperty(defs.submitTime, new ews.DateTime(content.date.getTime()));
      setMarks(ews, this.session.service, item, content.flags);
    }
    item.SetExtendedProperty(defs.watermark, fingerprint);
    // What a later in-place update would not carry, so that a change of it is replaced instead (inPlaceResidue.ts).
    const residue = await residueOf(content, folder.itemType);
    if (residue) item.SetExtendedProperty(defs.residue, residue);
    // An appointment is saved with SendToNone: a migration never mails the attendees (and the
    // library's one-argument Save would take the folder for the invitation mode).
    const save = item instanceof ews.Appointment ? () => item.Save(new ews.FolderId(folder.id), ews.SendInvitationsMode.SendToNone) : () => item.Save(new ews.FolderId(folder.id));
    await this.session.call(`create an item in ${folder.path.join('/')}`, save, { signal, item: true });
    return { id: item.Id.UniqueId, ...(item.Id.ChangeKey ? { version: item.Id.ChangeKey } : {}) };
  }

  private newItem(content: ItemContent): Ews.Item {
    const { ews, service } = this.session;
    if (content.format === 'vcard') return new ews.Contact(service);
    if (content.format === 'icalendar') return new ews.Appointment(service);
    return new ews.EmailMessage(service);
  }

  async findWritten(folder: FolderInfo, probe: WrittenProbe, claimed?: ReadonlySet<string>): Promise<WrittenItem | undefined> {
    const { ews } = this.session;
    const uploaded = probe.destinationId === undefined ? undefined : await this.finishUploaded(folder, probe.destinationId, probe.fingerprint);
    if (uploaded) return uploaded;
    const watermark = propertyDefs(ews).watermark;
    const marked = await this.findOne(folder, new ews.SearchFilter.IsEqualTo(watermark, probe.fingerprint), claimed);
    if (marked || !probe.messageId) return marked && this.restate(folder, marked, probe);
    // A full-fidelity write cut between its UploadItems and the UpdateItem that marks it: the item
    // is there without a watermark. Found by its Message-ID, it is marked now and not written again.
    const unmarked = await this.findOne(folder, new ews.SearchFilter.SearchFilterCollection(ews.LogicalOperator.And, [new ews.SearchFilter.IsEqualTo(ews.EmailMessageSchema.InternetMessageId, probe.messageId), new ews.SearchFilter.Not(new ews.SearchFilter.Exists(watermark))]), claimed);
    if (unmarked) await setWatermark(this.session, folder, unmarked.id, probe.fingerprint, new AbortController().signal);
    return unmarked && this.restate(folder, unmarked, probe);
  }

  /** A found message gets the source item's read state when it differs (one UpdateItem, paced like every call). */
  private async restate(folder: FolderInfo, found: WrittenItem & { isRead?: boolean }, probe: WrittenProbe): Promise<WrittenItem> {
    const read = probe.flags?.includes('\\Seen');
    if (folder.itemType === 'mail' && read !== undefined && found.isRead !== undefined && found.isRead !== read) await setRead(this.session, folder, found.id, read, new AbortController().signal);
    return { id: found.id };
  }

  /** The item an UploadItems answered (recorded on the intent), marked now; undefined when it is gone. */
  private async finishUploaded(folder: FolderInfo, id: string, fingerprint: string): Promise<WrittenItem | undefined> {
    const { ews, service } = this.session;
    const props = new ews.PropertySet(ews.BasePropertySet.IdOnly, [propertyDefs(ews).watermark]);
    try {
      await this.session.call(`look for an uploaded item in ${folder.path.join('/')}`, () => ews.Item.Bind(service, new ews.ItemId(id), props), { item: true });
    } catch (err) {
      if (err instanceof ConnectorError && err.code === 'EWS-ITEM-NOT-FOUND') return undefined;
      throw err;
    }
    await setWatermark(this.session, folder, id, fingerprint, new AbortController().signal);
    return { id };
  }

  /** The first item matching `filter` that stands for no other source item (identical copies share a watermark). */
  private async findOne(folder: FolderInfo, filter: Ews.SearchFilter, claimed?: ReadonlySet<string>): Promise<(WrittenItem & { isRead?: boolean }) | undefined> {
    const { ews, service } = this.session;
    for (let offset = 0; ; ) {
      const view = new ews.ItemView(FIND_PAGE, offset);
      // Mail folders: the read state too, so a found message can be given the source's.
      view.PropertySet = new ews.PropertySet(ews.BasePropertySet.IdOnly, folder.itemType === 'mail' ? [ews.EmailMessageSchema.IsRead] : []);
      const found = await this.session.call(`look for a written item in ${folder.path.join('/')}`, () => service.FindItems(new ews.FolderId(folder.id), filter, view));
      const item = found.Items.find((i) => !claimed?.has(i.Id.UniqueId));
      if (item) {
        const isRead = folder.itemType === 'mail' ? prop<boolean>(item, ews.EmailMessageSchema.IsRead) : undefined;
        return { id: item.Id.UniqueId, ...(isRead === undefined ? {} : { isRead }) };
      }
      if (!found.MoreAvailable || found.Items.length === 0) return undefined;
      offset += found.Items.length;
    }
  }

  /**
   * Exchange keeps the read state, the draft bit (fixed once saved), the follow-up flag (2013 and
   * later) and categories (the keywords): what a delta compares.
   */
  heldForm(flags: readonly string[]): string[] {
    const { ews, service } = this.session;
    return heldWithCategories(flags, service.RequestedServerVersion >= ews.ExchangeVersion.Exchange2013 ? ['\\seen', '\\draft', '\\flagged'] : ['\\seen', '\\draft']);
  }

  /** The item with the properties asked, or undefined when it is gone or not in `folder` any more. */
  private async bindIn(folder: FolderInfo, id: string, props: Ews.PropertyDefinitionBase[], signal: AbortSignal): Promise<Ews.Item | undefined> {
    const { ews, service } = this.session;
    try {
      const item = await this.session.call(`read an item of ${folder.path.join('/')}`, () => ews.Item.Bind(service, new ews.ItemId(id), new ews.PropertySet(ews.BasePropertySet.IdOnly, [ews.ItemSchema.ParentFolderId, ...props])), { signal, item: true });
      return item.ParentFolderId?.UniqueId === folder.id ? item : undefined;
    } catch (err) {
      if (err instanceof ConnectorError && err.code === 'EWS-ITEM-NOT-FOUND') return undefined;
      throw err;
    }
  }

  /** IsRead, the draft bit, the follow-up flag and the categories of each item (GetItem); an item gone or moved elsewhere is left out. */
  async readFlags(folder: FolderInfo, ids: readonly string[], signal: AbortSignal): Promise<Map<string, string[]>> {
    const { ews, service } = this.session;
    const defs = propertyDefs(ews);
    const out = new Map<string, string[]>();
    for (const id of ids) {
      const item = await this.bindIn(folder, id, [defs.messageFlags, ...markProperties(ews, service)], signal);
      if (!item) continue;
      const flags = Number(extendedProp<number>(item, defs.messageFlags) ?? 0);
      out.set(id, [...(flags & MSGFLAG_READ ? ['\\Seen'] : []), ...(flags & MSGFLAG_UNSENT ? ['\\Draft'] : []), ...marksOf(ews, item)]);
    }
    return out;
  }

  /** The ChangeKey of each item (GetItem IdOnly): Exchange gives an item a new one at every change. */
  async readVersions(folder: FolderInfo, ids: readonly string[], signal: AbortSignal): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (const id of ids) {
      const item = await this.bindIn(folder, id, [], signal);
      if (item) out.set(id, item.Id.ChangeKey ?? '');
    }
    return out;
  }

  /** UpdateItem SetItemField message:IsRead, item:Flag and item:Categories (the draft bit cannot change). */
  async setFlags(folder: FolderInfo, id: string, flags: readonly string[], signal: AbortSignal): Promise<void> {
    const { ews, service } = this.session;
    const what = `set the read state, flag and categories of an item of ${folder.path.join('/')}`;
    const message = await this.session.call(what, () => ews.EmailMessage.Bind(service, new ews.ItemId(id), new ews.PropertySet(ews.BasePropertySet.IdOnly, [ews.EmailMessageSchema.IsRead, ...markProperties(ews, service)])), { signal, item: true });
    message.IsRead = flags.some((f) => f.toLowerCase() === '\\seen');
    setMarks(ews, service, message, flags);
    await this.session.call(what, () => message.Update(ews.ConflictResolutionMode.AlwaysOverwrite), { signal, item: true });
  }

  /** A changed contact, calendar item or task, updated in place (src/connectors/ews/ewsInPlace.ts). */
  updateInPlace(folder: FolderInfo, copy: { id: string; version?: string }, content: ItemContent, signal: AbortSignal): Promise<InPlaceUpdate> {
    return updateInPlace(this.session, folder, copy, content, signal);
  }

  /** MoveItem: Exchange gives the moved item a new id and names it (2010 SP1 and later). */
  async moveItem(from: FolderInfo, id: string, to: FolderInfo, signal: AbortSignal): Promise<WrittenItem> {
    const { ews, service } = this.session;
    const responses = await this.session.call(`move an item from ${from.path.join('/')} to ${to.path.join('/')}`, () => service.MoveItems([new ews.ItemId(id)], new ews.FolderId(to.id), true), { signal, item: true });
    const moved = responses.Responses[0]?.Item?.Id?.UniqueId;
    if (!moved) throw new ConnectorError('EWS-CORRUPT-ITEM', `Exchange moved an item of ${from.path.join('/')} without naming its new id`, 'item', [this.session.mailbox, 'move an item', 'no new ItemId', from.path.join('/')]);
    return { id: moved };
  }

  /**
   * DeleteItem SoftDelete: into Recoverable Items\\Deletions, where the user recovers it with
   * Outlook's "Recover deleted items" (as after Shift+Delete), never a purge. An item already gone is
   * no error. Exchange requires SendMeetingCancellations on a calendar item (SendToNone: a migration
   * never mails the attendees) and AffectedTaskOccurrences on a task (AllOccurrences: the task, not
   * one occurrence of it). `purge` (a superseded version Ferry wrote): HardDelete.
   */
  async deleteItem(folder: FolderInfo, id: string, signal: AbortSignal, purge = false): Promise<void> {
    const { ews, service } = this.session;
    const cancellations = folder.itemType === 'calendar' ? ews.SendCancellationsMode.SendToNone : (null as unknown as Ews.SendCancellationsMode);
    const occurrences = folder.itemType === 'tasks' ? ews.AffectedTaskOccurrence.AllOccurrences : (null as unknown as Ews.AffectedTaskOccurrence);
    try {
      await this.session.call(`delete an item of ${folder.path.join('/')}`, () => service.DeleteItems([new ews.ItemId(id)], purge ? ews.DeleteMode.HardDelete : ews.DeleteMode.SoftDelete, cancellations, occurrences), { signal, item: true });
    } catch (err) {
      if (!(err instanceof ConnectorError && err.code === 'EWS-ITEM-NOT-FOUND')) throw err;
    }
  }

  async close(): Promise<void> {
    this.session.close();
  }
}
