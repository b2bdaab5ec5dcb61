// A Microsoft 365 mailbox as a full-fidelity source, for an Exchange-family destination: Exchange's
// mailbox import/export API (`/admin/exchange/mailboxes/{id}`, the id from exchangeSettings).
// Folders from `.../folders` and `childFolders`, listed under Graph's ids and roles (matched by
// path: the two APIs' ids differ), items from the folder's
// `.../items/delta` (the cursor is the `@odata.deltaLink`; item ids are this API's own, not
// message ids; after a delta link the same round says what changed: items added or changed come
// again, items that left the folder `@removed`), content from `exportItems`: opaque
// full-fidelity data (format 'opaque'), at most 20 items a call, read ahead (exportReadAhead).
// Only mail folders (IPF.Note) go this way: contacts, calendars and To Do lists are read from their
// Graph resources as vCard and iCalendar (PimSource), which the destination writes into its own.
// Each kind of call takes its own permission (mailboxApiPermissions.ts): folders
// MailboxFolder.Read.All, items and their delta MailboxItem.Read.All, export MailboxItem.Export.All;
// a refusal stops the mailbox with GRAPH-403-FF naming it, and verify asks each once (checkAccess).
import type { FolderChanges, FolderCursor, FolderInfo, ItemContent, ItemListing, ItemRef, SourceMailbox } from '../types';
import { ConnectorError } from '../types';
import { graphError } from './graphErrors';
import type { GraphSession } from './graphSession';
import { allPages, listGraphFolders, withPimFolders } from './m365Folders';
import { sameFolderPath } from '../exchangeFolders';
import { deltaListing } from './deltaListing';
import { ExportReadAhead } from '../exportReadAhead';
import { PimSource } from './pim/pimSource';
import { M365Source } from './m365Source';
import { isPimType } from './pim/pimFolders';
import { withMailboxApiPermission } from './mailboxApiPermissions';
const PAGE = 'odata.maxpagesize=100';

export interface MailboxFolder {
  id: string;
  displayName: string;
  parentFolderId?: string;
  childFolderCount?: number;
  totalItemCount?: number;
  /** The folder class: IPF.Note (mail), IPF.Appointment, IPF.Contact, IPF.Task... */
  type?: string;
}

/** Mail folders: IPF.Note and its sub-classes (IPF.Note.OutlookHomepage...), and folders without a class. */
const isMailFolder = (f: MailboxFolder) => !f.type || f.type === 'IPF' || /^IPF\.Note(\.|$)/i.test(f.type);

interface MailboxItem {
  id: string;
  size?: number;
  createdDateTime?: string;
  '@removed'?: unknown;
}

interface ExportedItem {
  itemId: string;
  data?: string;
  error?: { code?: string; message?: string } | null;
}

interface DeltaPage {
  value: MailboxItem[];
  '@odata.nextLink'?: string;
  '@odata.deltaLink'?: string;
}

/**
 * The mailbox of the import/export API for the session's user: its path, e.g.
 * `/admin/exchange/mailboxes/MBX%3A...`. The id is the documented one, the user's
 * exchangeSettings `primaryMailboxId` (`/users/{id}/settings/exchange`), never the address.
 */
export async function exchangeMailboxPath(session: GraphSession): Promise<string> {
  const settings: { primaryMailboxId?: string | null } = await session.call('find the Exchange mailbox', (c) => c.api(`${session.userPath}/settings/exchange`).get() as Promise<{ primaryMailboxId?: string | null }>, { mailboxLevel: true });
  if (!settings.primaryMailboxId) throw graphError('GRAPH-REQUEST', ['200', 'find the Exchange mailbox', `no primaryMailboxId for ${session.mailbox}`]);
  return `/admin/exchange/mailboxes/${encodeURIComponent(settings.primaryMailboxId)}`;
}

/**
 * Every mail folder of the import/export API, parents before children, each with its path. The
 * API's folder ids are its own (Microsoft: not those of the mail API), so folders are matched
 * with Graph's by path only.
 */
export async function mailboxFolders(session: GraphSession, mailboxPath: string): Promise<(MailboxFolder & { path: string[] })[]> {
  const out: (MailboxFolder & { path: string[] })[] = [];
  const visit = async (url: string, parent: string[]) => {
    for (const f of await withMailboxApiPermission(session, 'folders', 'list the folders', () => allPages<MailboxFolder>(session, 'list folders', url))) {
      if (!isMailFolder(f)) continue;
      const folder = { ...f, path: [...parent, f.displayName] };
      out.push(folder);
      if ((f.childFolderCount ?? 0) > 0) await visit(`${mailboxPath}/folders/${encodeURIComponent(f.id)}/childFolders?$top=100`, folder.path);
    }
  };
  await visit(`${mailboxPath}/folders?$top=100`, []);
  return out;
}

export class FullFidelitySource implements SourceMailbox {
  /** Per folder: the last delta round's changes, and the link it started from (one round serves listItems and listChanges). */
  private readonly changes = new Map<string, { from: string | undefined; changes: FolderChanges }>();
  private readonly readAhead = new ExportReadAhead((folder, ids) => this.exportItems(folder, ids));
  /** The import/export API's folder id by the id this source lists the folder under (Graph's). */
  private readonly apiFolderIds = new Map<string, string>();
  /** The import/export API's mail folders as last listed. */
  private apiFolders: MailboxFolder[] = [];
  private readonly pim: PimSource;
  /** Folders still copied as MIME (listed that way by an earlier pass), and the source that does it. */
  private readonly mimeFolders = new Set<string>();
  private readonly mime: M365Source;
  /**
   * Mail: the import/export API's item id is "the unique identifier for the item" (mailboxItem) and,
   * as Ferry assumes (Microsoft does not say), stays when the item moves to another folder: a delta
   * finds a moved item by its id. Were the id to change, the move is still found by content.
   * Contacts and events are the MIME source's (Graph's immutable ids).
   */
  get moveStableIds(): SourceMailbox['moveStableIds'] {
    return ['mail', ...(this.mime.moveStableIds ?? [])];
  }

  private constructor(
    private readonly session: GraphSession,
    private readonly mailboxPath: string,
  ) {
    this.pim = new PimSource(session);
    this.mime = new M365Source(session);
  }

  /** The full-fidelity source, or undefined when the app may not use the import/export API (403): use MIME then. */
  static async open(session: GraphSession): Promise<FullFidelitySource | undefined> {
    try {
      return new FullFidelitySource(session, await exchangeMailboxPath(session));
    } catch (err) {
      if (err instanceof ConnectorError && err.code === 'GRAPH-403') return undefined;
      throw err;
    }
  }

  /**
   * Mail folders as Graph's mail API names them (ids, roles, sizes: the same folders a MIME pass
   * of this mailbox recorded), each matched by path with its folder in the import/export API,
   * whose id (never assumed equal) the listing and export use. A folder only that API shows keeps
   * its id there.
   */
  async listFolders(): Promise<FolderInfo[]> {
    const mail = async (): Promise<FolderInfo[]> => {
      const graph = await listGraphFolders(this.session);
      const folders = await mailboxFolders(this.session, this.mailboxPath);
      this.apiFolders = folders;
      return folders.map((f) => {
        const known = graph.find((g) => sameFolderPath(g.path, f.path));
        const info: FolderInfo = known ? { ...known, path: f.path } : { id: f.id, path: f.path, itemType: 'mail', ...(f.totalItemCount !== undefined ? { itemCount: f.totalItemCount } : {}) };
        this.apiFolderIds.set(info.id, f.id);
        return info;
      });
    };
    return withPimFolders(mail(), this.pim.listFolders());
  }

  /** The import/export API's id of a listed folder (listing the folders first when this session has not). */
  private async apiFolderId(folder: FolderInfo): Promise<string> {
    if (!this.apiFolderIds.has(folder.id)) await this.listFolders();
    const id = this.apiFolderIds.get(folder.id);
    if (!id) throw graphError('GRAPH-ITEM-GONE', [`the folder ${folder.path.join('/')}`, this.session.mailbox, "not in the mailbox import/export API's folder listing"]);
    return id;
  }

  async listItems(folder: FolderInfo, cursor: FolderCursor | undefined, signal: AbortSignal): Promise<ItemListing> {
    if (isPimType(folder.itemType)) return this.pim.listItems(folder, cursor, signal);
    const stored = typeof cursor?.deltaLink === 'string' ? cursor.deltaLink : undefined;
    // A folder an earlier pass listed through Graph's messages (MIME: before this app or the
    // destination's could use the import/export API) stays on that path: its items are recorded
    // under message ids, which this API's item ids are not.
    if (stored && !stored.includes('/admin/exchange/')) {
      this.mimeFolders.add(folder.id);
      return this.mime.listItems(folder, cursor, signal);
    }
    return deltaListing(stored, (from) => this.delta(folder, from, signal));
  }

  /**
   * A delta's changes: what the delta round of the listing answered (an item read, flagged,
   * categorised or otherwise changed comes again, one deleted or moved out comes `@removed`, one
   * moved in comes as new). mailboxItem carries no read or flag state, so the changed items are
   * `statesUnknown`: the engine exports each again and replaces the copy when it differs.
   */
  async listChanges(folder: FolderInfo, cursor: FolderCursor | undefined, signal: AbortSignal): Promise<FolderChanges> {
    if (isPimType(folder.itemType)) return this.pim.listChanges(folder, cursor, signal);
    const from = typeof cursor?.deltaLink === 'string' ? cursor.deltaLink : undefined;
    if (from === undefined) return { items: [], removed: [], complete: false };
    if (!from.includes('/admin/exchange/')) return this.mime.listChanges(folder, cursor, signal);
    if (this.changes.get(folder.id)?.from !== from) await this.delta(folder, from, signal);
    return this.changes.get(folder.id)?.changes ?? { items: [], removed: [], complete: false };
  }

  private async delta(folder: FolderInfo, from: string | undefined, signal: AbortSignal): Promise<Omit<ItemListing, 'reset'>> {
    const items: ItemRef[] = [];
    const removed: string[] = [];
    let url: string = from ?? `${this.mailboxPath}/folders/${encodeURIComponent(await this.apiFolderId(folder))}/items/delta`;
    for (;;) {
      signal.throwIfAborted();
      const at = url;
      const what = `list changes in ${folder.path.join('/')}`;
      const page: DeltaPage = await withMailboxApiPermission(this.session, 'items', `list the items and changes in ${folder.path.join('/')}`, () => this.session.call(what, (c) => c.api(at).header('Prefer', PAGE).get() as Promise<DeltaPage>));
      for (const m of page.value) {
        if (m['@removed'] !== undefined) {
          removed.push(m.id);
          continue;
        }
        items.push({ id: m.id, sizeBytes: m.size ?? 0, date: new Date(m.createdDateTime ?? 0), flags: [], itemType: 'mail' });
      }
      const next = page['@odata.nextLink'];
      if (next) url = next;
      else {
        this.readAhead.listedItems(folder, items);
        this.changes.set(folder.id, { from, changes: { items, removed, complete: false, statesUnknown: true } });
        return { items, cursor: { deltaLink: page['@odata.deltaLink'] ?? '' } };
      }
    }
  }

  async readItem(folder: FolderInfo, ref: ItemRef, signal: AbortSignal): Promise<ItemContent> {
    if (isPimType(folder.itemType)) return this.pim.readItem(folder, ref, signal);
    if (this.mimeFolders.has(folder.id)) return this.mime.readItem(folder, ref, signal);
    signal.throwIfAborted();
    return { format: 'opaque', data: await this.readAhead.read(folder, ref), flags: ref.flags, date: ref.date, flagsUnknown: true };
  }

  /**
   * Verify: reads once what a pass reads beyond the folder listing, so a permission it lacks is
   * reported now (GRAPH-403-FF) and not when a pass or a delta needs it: the first page (one item)
   * of a folder's item delta (MailboxItem.Read.All), and the export of that item
   * (MailboxItem.Export.All). Reads only; the delta round it starts is not kept.
   */
  async checkAccess(signal: AbortSignal): Promise<void> {
    if (this.apiFolders.length === 0) await this.listFolders();
    signal.throwIfAborted();
    const folder = this.apiFolders.find((f) => (f.totalItemCount ?? 0) > 0) ?? this.apiFolders[0];
    if (!folder) return;
    const url = `${this.mailboxPath}/folders/${encodeURIComponent(folder.id)}/items/delta`;
    const page = await withMailboxApiPermission(this.session, 'items', `list the items of ${folder.displayName}`, () =>
      this.session.call(`check the item delta of ${folder.displayName}`, (c) => c.api(url).header('Prefer', 'odata.maxpagesize=1').get() as Promise<DeltaPage>),
    );
    const item = page.value.find((m) => m['@removed'] === undefined);
    signal.throwIfAborted();
    if (item) await this.exportItems({ id: folder.id, path: [folder.displayName], itemType: 'mail' }, [item.id]);
  }

  private async exportItems(folder: FolderInfo, ids: string[]): Promise<(Buffer | Error)[]> {
    const what = `export items from ${folder.path.join('/')}`;
    const result = await withMailboxApiPermission(this.session, 'export', what, () => this.session.call(what, (c) => c.api(`${this.mailboxPath}/exportItems`).post({ itemIds: ids }) as Promise<{ value: ExportedItem[] }>));
    return ids.map((id) => {
      const item = result.value.find((v) => v.itemId === id);
      if (item?.data) return Buffer.from(item.data, 'base64');
      return graphError('GRAPH-ITEM-GONE', [`export ${id} from ${folder.path.join('/')}`, this.session.mailbox, item?.error ? `${item.error.code ?? ''}: ${item.error.message ?? ''}` : 'not in the export']);
    });
  }

  async close(): Promise<void> {
    this.readAhead.clear();
  }
}
