// An Exchange mailbox as a source, through EWS. A folder's items come from SyncFolderItems: the
// SyncState Exchange returns is the folder cursor, so a delta pass asks only for what changed since
// (new items; moves, deletions and flag changes are not copies). A SyncState Exchange no longer
// accepts (ErrorInvalidSyncStateData) restarts the folder from the beginning (the engine's records
// and the destination's watermarks keep that from duplicating anything). Mail is read as MIME
// (GetItem MimeContent), contacts as vCard and calendar items as iCalendar, the read state and
// received date beside them; tasks (which have no MIME form) as iCalendar VTODO built from their properties.
// Each listed item's PidTagSearchKey (asked in the same SyncFolderItems) is its move key: EWS ItemIds
// change on a move, the search key stays, so a delta finds an item moved and edited (moveStableIds).
import type * as Ews from 'ews-javascript-api';
import { ConnectorError, type FolderChanges, type FolderCursor, type FolderInfo, type ItemContent, type ItemListing, type ItemRef, type SourceMailbox } from '../types';
import { listEwsFolders } from './ewsFolders';
import { extendedProp, itemTypeOfItemClass, markProperties, marksOf, prop, propertyDefs, timeOf, MSGFLAG_UNSENT } from './ewsProperties';
import type { EwsSession } from './ewsSession';
import { readEwsTask } from './ewsTask';

/** Most changes SyncFolderItems returns per call (Exchange's own ceiling is 512). */
const syncPage = 512;
/** Item ids per GetItem when reading search keys alone. */
const keysPerCall = 100;

export class EwsSource implements SourceMailbox {
  constructor(readonly session: EwsSession) {}

  /** Told by `ItemRef.moveKey`, the search key, which a copy shares: paired one to one (engine/moveKeys.ts). */
  readonly moveStableIds = ['mail', 'contacts', 'calendar', 'tasks'] as const;

  async listFolders(): Promise<FolderInfo[]> {
    return (await listEwsFolders(this.session)).folders;
  }

  async listItems(folder: FolderInfo, cursor: FolderCursor | undefined, signal: AbortSignal): Promise<ItemListing> {
    const start = typeof cursor?.syncState === 'string' ? cursor.syncState : undefined;
    try {
      return await this.sync(folder, start, signal);
    } catch (err) {
      if (!(start && err instanceof ConnectorError && err.code === 'EWS-SYNC-STATE-INVALID')) throw err;
      return { ...(await this.sync(folder, undefined, signal)), reset: true };
    }
  }

  /**
   * A delta's changes: what the same SyncFolderItems calls as the listing answered besides new items
   * (Update, ReadFlagChange, Delete; a move is a Delete here and a Create in the other folder), kept
   * from `listItems` with the same cursor, else asked again (a SyncState may be used again).
   */
  async listChanges(folder: FolderInfo, cursor: FolderCursor | undefined, signal: AbortSignal): Promise<FolderChanges> {
    const start = typeof cursor?.syncState === 'string' ? cursor.syncState : undefined;
    const kept = this.changes.get(folder.id);
    if (kept && kept.from === start) return kept.changes;
    if (start === undefined) return { items: [], removed: [], complete: false };
    await this.sync(folder, start, signal);
    return this.changes.get(folder.id)?.changes ?? { items: [], removed: [], complete: false };
  }

  /** Per folder: the changes the last listing saw besides new items, and the SyncState it started from. */
  private readonly changes = new Map<string, { from: string | undefined; changes: FolderChanges }>();

  private async sync(folder: FolderInfo, syncState: string | undefined, signal: AbortSignal): Promise<ItemListing> {
    const { ews, service } = this.session;
    const props = new ews.PropertySet(ews.BasePropertySet.IdOnly, [ews.ItemSchema.ItemClass, ews.ItemSchema.Size, ews.ItemSchema.DateTimeReceived, ews.EmailMessageSchema.IsRead, ews.EmailMessageSchema.InternetMessageId, ews.ItemSchema.Subject, propertyDefs(ews).searchKey, ...markProperties(ews, service)]);
    const items: ItemRef[] = [];
    const changed = new Map<string, ItemRef>();
    const removed = new Set<string>();
    const readOnly = new Set<string>();
    let state = syncState ?? '';
    for (;;) {
      signal.throwIfAborted();
      const changes = await this.session.call(`list the items of ${folder.path.join('/')}`, () => service.SyncFolderItems(new ews.FolderId(folder.id), props, [], syncPage, ews.SyncFolderItemsScope.NormalItems, state), { signal });
      for (const change of changes.GetEnumerator()) {
        if (change.ChangeType === ews.ChangeType.Create) items.push(this.refOf(change.Item, folder));
        else if (change.ChangeType === ews.ChangeType.Update) {
          changed.set(change.Item.Id.UniqueId, this.refOf(change.Item, folder));
          readOnly.delete(change.Item.Id.UniqueId);
        }
        else if (change.ChangeType === ews.ChangeType.ReadFlagChange) {
          const id = change.ItemId.UniqueId;
          const before = changed.get(id);
          // Only the read state is known here: the flag and categories are read below.
          changed.set(id, { ...(before ?? { id, sizeBytes: 0, date: new Date(0), itemType: folder.itemType }), flags: change.IsRead ? ['\\Seen'] : [] });
          readOnly.add(id);
        } else if (change.ChangeType === ews.ChangeType.Delete) {
          removed.add(change.ItemId.UniqueId);
          changed.delete(change.ItemId.UniqueId);
        }
      }
      state = changes.SyncState;
      if (!changes.MoreChangesAvailable) break;
    }
    // A ReadFlagChange tells the read state only: the follow-up flag and categories of those items are read (GetItem).
    for (const id of readOnly) {
      const before = changed.get(id);
      if (!before || removed.has(id)) continue;
      const item = await this.session.call(`read the flag and categories of an item of ${folder.path.join('/')}`, () => ews.Item.Bind(service, new ews.ItemId(id), new ews.PropertySet(ews.BasePropertySet.IdOnly, markProperties(ews, service))), { signal, item: true }).catch((err: unknown) => {
        if (err instanceof ConnectorError && err.code === 'EWS-ITEM-NOT-FOUND') return undefined;
        throw err;
      });
      if (item) changed.set(id, { ...before, flags: [...before.flags, ...marksOf(ews, item)] });
      else changed.delete(id);
    }
    this.changes.set(folder.id, { from: syncState, changes: { items: [...changed.values()], removed: [...removed], complete: false } });
    return { items, cursor: { syncState: state }, reset: false };
  }

  private refOf(item: Ews.Item, folder: FolderInfo): ItemRef {
    const { ews } = this.session;
    const messageId = prop<string>(item, ews.EmailMessageSchema.InternetMessageId);
    const subject = prop<string>(item, ews.ItemSchema.Subject);
    const searchKey = extendedProp<Uint8Array>(item, propertyDefs(ews).searchKey);
    return {
      id: item.Id.UniqueId,
      sizeBytes: prop<number>(item, ews.ItemSchema.Size) ?? 0,
      date: timeOf(prop<Ews.DateTime>(item, ews.ItemSchema.DateTimeReceived)) ?? new Date(0),
      flags: [...(prop<boolean>(item, ews.EmailMessageSchema.IsRead) ? ['\\Seen'] : []), ...marksOf(ews, item)],
      itemType: itemTypeOfItemClass(prop<string>(item, ews.ItemSchema.ItemClass), folder.itemType),
      ...(messageId ? { messageId } : {}),
      ...(subject ? { subject } : {}),
      ...(searchKey?.length ? { moveKey: Buffer.from(searchKey).toString('base64') } : {}),
    };
  }

  /** The search keys of items by id: GetItem of up to 100 ids at a time, IdOnly plus PidTagSearchKey; an item not found is left out. */
  async readMoveKeys(folder: FolderInfo, ids: readonly string[], signal: AbortSignal): Promise<Map<string, string>> {
    const { ews, service } = this.session;
    const props = new ews.PropertySet(ews.BasePropertySet.IdOnly, [propertyDefs(ews).searchKey]);
    const out = new Map<string, string>();
    for (let i = 0; i < ids.length; i += keysPerCall) {
      const batch = ids.slice(i, i + keysPerCall);
      const responses = await this.session.call(`read the search keys of items of ${folder.path.join('/')}`, () => service.BindToItems(batch.map((id) => new ews.ItemId(id)), props), { signal, item: true });
      responses.Responses.forEach((r, n) => {
        const key = r.Result === ews.ServiceResult.Success && r.Item ? extendedProp<Uint8Array>(r.Item, propertyDefs(ews).searchKey) : undefined;
        if (key?.length) out.set(batch[n], Buffer.from(key).toString('base64'));
      });
    }
    return out;
  }

  async readItem(folder: FolderInfo, ref: ItemRef, signal: AbortSignal): Promise<ItemContent> {
    // Exchange has no MIME form for tasks: they are read by their properties, as iCalendar.
    if (ref.itemType === 'tasks') return readEwsTask(this.session, folder, ref, signal);
    const { ews, service } = this.session;
    const defs = propertyDefs(ews);
    const props = new ews.PropertySet(ews.BasePropertySet.IdOnly, [ews.ItemSchema.MimeContent, ews.ItemSchema.ItemClass, ews.ItemSchema.DateTimeReceived, ews.EmailMessageSchema.IsRead, defs.messageFlags, ...markProperties(ews, service)]);
    const item = await this.session.call(`read an item of ${folder.path.join('/')}`, () => ews.Item.Bind(service, new ews.ItemId(ref.id), props), { signal, item: true });
    const mime = item.MimeContent?.Content;
    if (!mime) throw new ConnectorError('EWS-CORRUPT-ITEM', `Exchange returned no MIME content for an item of ${folder.path.join('/')} in ${this.session.mailbox}`, 'item', [this.session.mailbox, 'read an item', 'no MimeContent', folder.path.join('/')]);
    const itemType = itemTypeOfItemClass(prop<string>(item, ews.ItemSchema.ItemClass), folder.itemType);
    const flags = prop<boolean>(item, ews.EmailMessageSchema.IsRead) || (itemType !== 'mail' && ref.flags.includes('\\Seen')) ? ['\\Seen'] : [];
    const messageFlags = Number(extendedProp<number>(item, defs.messageFlags) ?? 0);
    if (messageFlags & MSGFLAG_UNSENT) flags.push('\\Draft');
    if (itemType === 'mail') flags.push(...marksOf(ews, item));
    return {
      format: itemType === 'contacts' ? 'vcard' : itemType === 'calendar' ? 'icalendar' : 'rfc822',
      data: Buffer.from(mime, 'base64'),
      flags,
      date: timeOf(prop<Ews.DateTime>(item, ews.ItemSchema.DateTimeReceived)) ?? ref.date,
    };
  }

  async close(): Promise<void> {
    this.session.close();
  }
}
