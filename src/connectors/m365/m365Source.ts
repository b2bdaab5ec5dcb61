// A Microsoft 365 mailbox as a source. Folders from the Graph tree; items from the folder's
// message delta (the cursor is the `@odata.deltaLink`, so a delta pass asks only for what changed;
// an expired one, 410 SyncStateNotFound, lists the folder afresh); content as MIME (`$value`).
// Contacts, calendars and To Do lists come from their own Graph resources (PimSource).
import type { Message } from '@microsoft/microsoft-graph-types';
import { select } from './graphSelect';
import { keywordsOf } from '../categories';
import type { FolderChanges, FolderCursor, FolderInfo, ItemContent, ItemListing, ItemRef, SourceMailbox } from '../types';
import { allPages, listGraphFolders, withPimFolders } from './m365Folders';
import type { GraphSession } from './graphSession';
import { deltaListing } from './deltaListing';
import { graphError } from './graphErrors';
import { PimSource } from './pim/pimSource';
import { isPimType } from './pim/pimFolders';

/** The message properties a delta page carries (Microsoft's v1.0 type: one it lacks does not compile). */
const DELTA_FIELDS = ['internetMessageId', 'receivedDateTime', 'isRead', 'isDraft', 'flag', 'categories'] as const satisfies readonly (keyof Message)[];
type DeltaMessage = { id: string; '@removed'?: unknown } & Pick<Message, (typeof DELTA_FIELDS)[number]>;

interface DeltaPage {
  value: DeltaMessage[];
  '@odata.nextLink'?: string;
  '@odata.deltaLink'?: string;
}

/** IMAP-style flags from Graph's message properties (what the other connectors carry); categories as keywords. */
export function flagsOf(m: DeltaMessage): string[] {
  return [...(m.isRead ? ['\\Seen'] : []), ...(m.flag?.flagStatus === 'flagged' ? ['\\Flagged'] : []), ...(m.isDraft ? ['\\Draft'] : []), ...keywordsOf(m.categories)];
}

const PAGE = 'odata.maxpagesize=100';
const PR_MESSAGE_SIZE = 'Integer 0x0E08';

interface SizedMessage {
  id: string;
  singleValueExtendedProperties?: { id: string; value: string }[];
}

export class M365Source implements SourceMailbox {
  private readonly pim: PimSource;
  /**
   * Contacts and events are read with immutable ids (`Prefer: IdType="ImmutableId"`), which
   * Microsoft documents as kept when the item moves to another folder of the mailbox. (To Do
   * tasks are not Outlook items: their ids are the To Do service's.)
   */
  readonly moveStableIds = ['contacts', 'calendar'] as const;

  constructor(private readonly session: GraphSession) {
    this.pim = new PimSource(session);
  }

  async listFolders(): Promise<FolderInfo[]> {
    return withPimFolders(listGraphFolders(this.session), this.pim.listFolders());
  }

  async listItems(folder: FolderInfo, cursor: FolderCursor | undefined, signal: AbortSignal): Promise<ItemListing> {
    if (isPimType(folder.itemType)) return this.pim.listItems(folder, cursor, signal);
    const stored = typeof cursor?.deltaLink === 'string' ? cursor.deltaLink : undefined;
    // A delta link of the import/export API: an earlier pass copied this folder in full fidelity,
    // its items recorded under that API's ids, not message ids. Listed as MIME, every one of them
    // would be copied again: the mailbox stops until the API is available again.
    if (stored?.includes('/admin/exchange/')) throw graphError('GRAPH-FF-LOST', [folder.path.join('/'), this.session.mailbox, 'the source or the destination app lacks its MailboxItem permission']);
    return deltaListing(stored, (from) => this.delta(folder, from, signal));
  }

  /**
   * A delta's changes: what the same delta round as the listing answered, kept by `listItems` (a
   * changed message comes again with its isRead and flag; one deleted or moved out comes
   * `@removed`, and a moved one anew, under a new id, in its new folder). Asked again when not kept.
   */
  async listChanges(folder: FolderInfo, cursor: FolderCursor | undefined, signal: AbortSignal): Promise<FolderChanges> {
    if (isPimType(folder.itemType)) return this.pim.listChanges(folder, cursor, signal);
    const from = typeof cursor?.deltaLink === 'string' && !cursor.deltaLink.includes('/admin/exchange/') ? cursor.deltaLink : undefined;
    if (from === undefined) return { items: [], removed: [], complete: false };
    const kept = this.changes.get(folder.id);
    if (kept?.from !== from) await this.delta(folder, from, signal);
    return this.changes.get(folder.id)?.changes ?? { items: [], removed: [], complete: false };
  }

  /** Per folder: the last delta round's messages and removals, and the link it started from. */
  private readonly changes = new Map<string, { from: string | undefined; changes: FolderChanges }>();

  private async delta(folder: FolderInfo, from: string | undefined, signal: AbortSignal): Promise<Omit<ItemListing, 'reset'>> {
    const items: ItemRef[] = [];
    const removed: string[] = [];
    let url: string | undefined = from ?? `${this.session.userPath}/mailFolders/${encodeURIComponent(folder.id)}/messages/delta?$select=${select<Message>(...DELTA_FIELDS)}`;
    for (;;) {
      signal.throwIfAborted();
      const page: DeltaPage = await this.session.call(`list changes in ${folder.path.join('/')}`, (c) => c.api(url!).header('Prefer', PAGE).get() as Promise<DeltaPage>);
      for (const m of page.value) {
        if (m['@removed'] !== undefined) {
          removed.push(m.id);
          continue;
        }
        items.push({ id: m.id, sizeBytes: 0, date: new Date(m.receivedDateTime ?? 0), flags: flagsOf(m), itemType: 'mail', ...(m.internetMessageId ? { messageId: m.internetMessageId } : {}) });
      }
      if (page['@odata.nextLink']) url = page['@odata.nextLink'];
      else {
        const sized = await this.withSizes(folder, items);
        this.changes.set(folder.id, { from, changes: { items: sized, removed, complete: false } });
        return { items: sized, cursor: { deltaLink: page['@odata.deltaLink'] ?? '' } };
      }
    }
  }

  /**
   * Graph's message has no size and delta takes no $expand, so sizes (PR_MESSAGE_SIZE, for the
   * item-size rules and the statistics) come from one listing of the folder, 1,000 ids a request.
   */
  private async withSizes(folder: FolderInfo, items: ItemRef[]): Promise<ItemRef[]> {
    if (items.length === 0) return items;
    const query = new URLSearchParams({ $select: 'id', $expand: `singleValueExtendedProperties($filter=id eq '${PR_MESSAGE_SIZE}')`, $top: '1000' });
    const sizes = new Map<string, number>();
    for (const m of await allPages<SizedMessage>(this.session, `list sizes in ${folder.path.join('/')}`, `${this.session.userPath}/mailFolders/${encodeURIComponent(folder.id)}/messages?${query.toString()}`, {})) {
      const size = Number(m.singleValueExtendedProperties?.[0]?.value);
      if (Number.isFinite(size)) sizes.set(m.id, size);
    }
    return items.map((r) => ({ ...r, sizeBytes: sizes.get(r.id) ?? r.sizeBytes }));
  }

  async readItem(folder: FolderInfo, ref: ItemRef, signal: AbortSignal): Promise<ItemContent> {
    if (isPimType(folder.itemType)) return this.pim.readItem(folder, ref, signal);
    signal.throwIfAborted();
    const graph = await import('@microsoft/microsoft-graph-client');
    const body = await this.session.call(`read a message in ${folder.path.join('/')}`, (c) => c.api(`${this.session.userPath}/messages/${encodeURIComponent(ref.id)}/$value`).responseType(graph.ResponseType.ARRAYBUFFER).get() as Promise<ArrayBuffer>);
    return { format: 'rfc822', data: Buffer.from(body), flags: ref.flags, date: ref.date };
  }

  async close(): Promise<void> {}
}
