// The contracts every endpoint kind implements, as a source and as a destination. The engine only
// talks to these; protocol libraries stay inside src/connectors/<kind>/.
import type { AuthSettings, ItemType, PlanEndpoint, PlanOptions } from '../plan/model';

/** Well-known folder roles (IMAP SPECIAL-USE, Exchange distinguished folders, Graph well-known names). */
export type FolderRole = 'inbox' | 'sent' | 'drafts' | 'deleted' | 'junk' | 'archive' | 'calendar' | 'contacts' | 'tasks' | 'outbox' | 'all' | 'flagged';

export interface FolderInfo {
  /** Stable id of the folder on its server (IMAP: the full mailbox name; Maildir: its directory). */
  id: string;
  /** Path segments from the root, display names, e.g. ['Inbox', 'Projects', 'Été']. */
  path: string[];
  role?: FolderRole;
  /** What the folder holds; mail for IMAP and Maildir. */
  itemType: ItemType;
  /** Counts when the server reports them cheaply (for analysis); undefined otherwise. */
  itemCount?: number;
  sizeBytes?: number;
}

/**
 * Where a source folder listing left off. Opaque to the engine, stored as JSON per folder.
 * IMAP: { uidValidity, lastUid, highestModseq? }; Maildir: { mtimeMs, ids } (a watermark: newest mtime and the ids at it); EWS: { syncState }; Graph: { deltaLink }.
 */
export type FolderCursor = Readonly<Record<string, unknown>>;

/** A reference to one item in a source folder, enough to decide whether and how to copy it. */
export interface ItemRef {
  /** Stable id within the folder for as long as the cursor is valid (IMAP: `${uidValidity}:${uid}`). */
  id: string;
  sizeBytes: number;
  /** Received date (IMAP INTERNALDATE, Maildir mtime / delivery time). */
  date: Date;
  flags: string[];
  itemType: ItemType;
  /** Message-ID header when cheaply known: helps find items an earlier pass wrote. */
  messageId?: string;
  /** Subject when the listing carries it (for the record of a skipped item, where the plan allows subjects). */
  subject?: string;
  /**
   * A key the source keeps when the item moves to another folder, where its ids change on a move
   * (Exchange's PidTagSearchKey): a delta pairs "gone from folder A" with "new in folder B" by it
   * (see `SourceMailbox.moveStableIds`). A copy of the item carries the same key, so it pairs only
   * one gone item with one new item.
   */
  moveKey?: string;
}

export interface ItemListing {
  items: ItemRef[];
  /** The cursor to store once every listed item is handled. */
  cursor: FolderCursor;
  /** True when the old cursor was no longer valid (IMAP UIDVALIDITY changed) and the listing is full. */
  reset: boolean;
  /**
   * With reset: the folder's ids changed (IMAP: a new UIDVALIDITY), so no id recorded for it names
   * an item now and its copies are found again by content. (An expired Graph delta link or EWS
   * SyncState is a reset with the same ids.)
   */
  renumbered?: boolean;
  /**
   * What every id of this listing's numbering starts with, and no id of another numbering does
   * (IMAP: `${UIDVALIDITY}:`). Absent where ids never renumber (Graph, EWS, Maildir, Gmail's message
   * ids). Tells a rerun which copies of a pass stopped before it recorded the folder's cursor were
   * recorded under ids the folder has renumbered since.
   */
  idPrefix?: string;
}

/**
 * A folder's listing a window at a time (SourceMailbox.listItemWindows): what a pass holds of a
 * folder is one window, whatever the folder holds (issue 17: 200,000 messages listed whole held
 * about 60 MB). Windows come in listing order and never repeat an item.
 */
export interface ItemWindows {
  /** The cursor to store once every window is handled. */
  cursor: FolderCursor;
  /** As ItemListing.reset. */
  reset: boolean;
  /** As ItemListing.renumbered. */
  renumbered?: boolean;
  /** As ItemListing.idPrefix. */
  idPrefix?: string;
  /** Items the windows list (at most: an item that left the folder meanwhile is left out). */
  count: number;
  /** The next window, undefined after the last; a failure leaves the position, so it may be retried. */
  next(signal: AbortSignal): Promise<ItemRef[] | undefined>;
}

/** One item's content in a format both sides understand. */
export interface ItemContent {
  format: 'rfc822' | 'icalendar' | 'vcard' | 'opaque';
  /** The bytes exactly as read from the source (malformed messages are carried byte for byte). */
  data: Buffer;
  flags: string[];
  date: Date;
  /**
   * The source does not know the item's flags: they travel inside the opaque data (Microsoft 365's
   * mailboxItem has no read or flag state), so `flags` is empty and says nothing, and Ferry records
   * none for the copy (a delta then judges a user's change at the destination by its change stamp).
   */
  flagsUnknown?: true;
}

/**
 * What changed in a source folder since a cursor, for a delta pass to carry (issue 13). A source
 * that can tell implements `SourceMailbox.listChanges`; the engine compares the answer with what
 * it recorded (watermarks and the flags it last wrote) and decides: flags to carry, items moved
 * between folders (recognised by content fingerprint among the folder's new items), items deleted.
 */
export interface FolderChanges {
  /**
   * Items whose state may have changed since the cursor (IMAP CONDSTORE CHANGEDSINCE, EWS
   * SyncFolderItems Update, Graph delta, Gmail history), with their current flags; with `complete`,
   * every item the folder holds now (a flags scan: IMAP UID FETCH 1:* FLAGS, a Maildir listing).
   */
  items: ItemRef[];
  /** Ids known to have left the folder since the cursor (IMAP VANISHED, EWS Delete, Graph @removed, Gmail messagesDeleted). */
  removed: string[];
  /**
   * Every id the folder holds now, when the source knows it cheaply without every item's state
   * (IMAP UID SEARCH ALL beside a CONDSTORE fetch of the changed ones): a recorded id missing from
   * it has left the folder.
   */
  present?: string[];
  /**
   * True when `items` is every item of the folder: a recorded id missing from it has left the
   * folder, and a listed id that has no record is new to the folder (a Maildir file moved in keeps
   * its old time, so the incremental listing does not show it).
   */
  complete: boolean;
  /**
   * True when `items` are the items that changed in any way but carry no state to compare (Microsoft
   * 365's mailboxItem has no read or flag state): each one copied is read again and, when its content
   * differs from what Ferry copied, replaced at the destination (read state and flags travel inside it).
   */
  statesUnknown?: boolean;
}

export interface SourceMailbox {
  listFolders(): Promise<FolderInfo[]>;
  /** Items of a folder added since `cursor` (all when undefined). */
  listItems(folder: FolderInfo, cursor: FolderCursor | undefined, signal: AbortSignal): Promise<ItemListing>;
  /**
   * Optional: the same listing a window at a time (a source whose folders can hold hundreds of
   * thousands of items). The engine uses it where it goes through a listing once, in order (a full,
   * trial or pre-stage pass, a skipped folder); a delta lists its news whole (moves are looked for among them).
   * `recorded`: the cursor the store holds where a full pass lists from the start (`cursor`
   * undefined), only to tell `renumbered`.
   */
  listItemWindows?(folder: FolderInfo, cursor: FolderCursor | undefined, signal: AbortSignal, recorded?: FolderCursor): Promise<ItemWindows>;
  /**
   * Optional: what changed in the folder since `cursor` (the one stored by the previous pass, given
   * before `listItems` moves it on). Absent: the source cannot tell, and a delta copies only new items.
   */
  listChanges?(folder: FolderInfo, cursor: FolderCursor | undefined, signal: AbortSignal): Promise<FolderChanges>;
  /**
   * Optional: the pass is about to read items of `folder` (its listing holds items not copied yet).
   * A source may start what its reads need, so it overlaps the listing (the IMAP source logs in its
   * body reader's connection). A hint only: reads work without it.
   */
  prepareReads?(folder: FolderInfo): void;
  /**
   * Optional: the engine no longer reads these contents (written and recorded, nothing retries them):
   * the source may reuse their memory for next reads (the IMAP source's large bodies).
   */
  releaseContents?(contents: readonly ItemContent[]): void;
  readItem(folder: FolderInfo, ref: ItemRef, signal: AbortSignal): Promise<ItemContent>;
  /**
   * Item types whose moves the source can tell by a key: the item's `moveKey` where its listing gives
   * one (Exchange: PidTagSearchKey, as EWS ItemIds change on a move), else its id, unique in the
   * whole mailbox and kept when the item moves to another folder (Graph's immutable ids of contacts
   * and events, Google Calendar's event ids). A delta matches "gone from folder A" with "new in
   * folder B" by that key, whatever its content became, when exactly one gone item and one new item
   * carry it (a copy shares its original's search key). Undefined: ids are per folder or change on
   * a move and nothing else is kept (IMAP UIDs), and a move is recognised by content only.
   */
  readonly moveStableIds?: readonly ItemType[];
  /**
   * Optional, for a verify pass (after listFolders): reads once what a pass reads beyond the folder
   * listing (Microsoft 365 in full fidelity: an item delta and an export), so a permission a later
   * pass or delta needs is reported now, with the code that pass would meet. Reads only.
   */
  checkAccess?(signal: AbortSignal): Promise<void>;
  /**
   * Optional, for a source whose listing gives `ItemRef.moveKey`: the move keys of items by id (a
   * missing id: the item is gone or has none). A delta asks once for the copied items whose
   * watermark was written before Ferry kept move keys (store v12).
   */
  readMoveKeys?(folder: FolderInfo, ids: readonly string[], signal: AbortSignal): Promise<Map<string, string>>;
  close(): Promise<void>;
}

export interface WrittenItem {
  /** Destination id (IMAP: `${uidValidity}:${uid}` through UIDPLUS). */
  id: string;
  /**
   * The destination's change stamp of the item as written, where it names one (EWS ChangeKey, Graph
   * lastModifiedDateTime of a contact, event or task): `readVersions` answering another one later
   * means someone changed the item since, and a delta leaves it alone.
   */
  version?: string;
}

/** What updateInPlace did (see DestinationMailbox.updateInPlace). */
export type InPlaceUpdate = { updated: WrittenItem } | { left: 'edited' | 'gone' } | { replace: string };

/** What findWritten looks for; build it with `probeOf()` from `connectors/fingerprint`. */
export interface WrittenProbe {
  messageId?: string;
  /** SHA-256 of the content with line endings normalised to CRLF (servers such as Dovecot rewrite LF). */
  fingerprint: string;
  /** SHA-256 of the exact bytes, for destinations that keep bytes as they are (Maildir). */
  exactHash?: string;
  date: Date;
  /** Size of the content with line endings normalised to CRLF (what IMAP RFC822.SIZE reports). */
  sizeBytes: number;
  /**
   * The source item's flags. findWritten sets a found item's flags to them (and its date to `date`
   * where the destination can change it): an item written before a kill or a cut, or by an earlier
   * pass, ends as the source has it, not as it was when written.
   */
  flags?: readonly string[];
  /**
   * An opaque full-fidelity item: it carries the source's own read and flag state, which findWritten
   * leaves as it is (a full-fidelity source's listing may know no flags: Microsoft 365's mailboxItem has none).
   */
  opaque?: true;
  /**
   * What the destination reported through `WriteHooks.created` for a write that was cut before it
   * finished (an item id, or a handle of the destination's own, e.g. Microsoft 365's staging
   * folder): the item may be there unfinished (without its watermark). findWritten then checks
   * there first and finishes it rather than leave it for a second copy.
   */
  destinationId?: string;
}

/** What the engine hands a destination for one write. */
export interface WriteHooks {
  /**
   * To call as soon as the destination knows the id of an item it created but has not finished
   * (or, before sending a write whose answer alone would name the item, a handle of where it will
   * find it: Microsoft 365's full-fidelity import names its staging folder). The engine records the id
   * on the item's intent before it returns, so a kill -9 after this call leaves the id in the
   * store and the next pass's findWritten gets it in `probe.destinationId`.
   */
  created?(id: string): void;
}

/**
 * Whether a destination takes the source's opaque full-fidelity items (Exchange's import format).
 * When not, `reason` says why (a catalog code with its fix: a missing permission, an old server).
 */
export type OpaqueAcceptance = { accepted: true } | { accepted: false; reason?: ConnectorError };

export interface DestinationMailbox {
  /**
   * The item types this destination can hold; undefined: every type. IMAP and Maildir hold mail
   * only: a contacts or calendar folder of the source is left out rather than written as messages.
   */
  readonly itemTypes?: readonly ItemType[];
  /**
   * The largest item (bytes as read from the source) the destination takes, where its service
   * documents one: a larger item is skipped with ENG-025 before anything is sent, not refused
   * half-way through its upload.
   */
  readonly maxItemBytes?: number;
  listFolders(): Promise<FolderInfo[]>;
  /**
   * Creates the folder path if missing (parents first) and returns it. `itemType`: what the source
   * folder holds (a calendar below Calendar is a calendar, whatever its name); mail when absent.
   */
  ensureFolder(path: string[], role: FolderRole | undefined, itemType?: ItemType): Promise<FolderInfo>;
  writeItem(folder: FolderInfo, content: ItemContent, signal: AbortSignal, hooks?: WriteHooks): Promise<WrittenItem>;
  /**
   * Optional: writes several items in one go (IMAP MULTIAPPEND: one command, one server
   * transaction, instead of a round trip and a transaction per message). Resolves with one
   * WrittenItem per content, in the same order. All or nothing: when it rejects, the destination
   * holds none of the batch, except after a `transient` error (a connection lost mid-command), when
   * what landed is unknown and the engine asks findWritten item by item. After any rejection the
   * engine writes the batch again one item at a time, so a failing item gets its own error. The
   * engine keeps batches within `writeBatchLimits`; a connector never splits one.
   */
  writeItems?(folder: FolderInfo, contents: readonly ItemContent[], signal: AbortSignal): Promise<WrittenItem[]>;
  /**
   * Finds an item an earlier pass may have written although the store never recorded it (a crash
   * between the write and the commit): matched by Message-ID, else by a content fingerprint.
   * `claimed`: ids of items that already stand for other source items (their watermarks, other
   * intents); never one of them. The item found gets the probe's flags (see WrittenProbe.flags). A destination item satisfies one source item only, so N identical
   * source items (the same mail filed twice) need N destination items.
   */
  findWritten(folder: FolderInfo, probe: WrittenProbe, claimed?: ReadonlySet<string>): Promise<WrittenItem | undefined>;
  /**
   * Optional: findWritten for a batch of probes in one go, for when every item is a question (a
   * state folder lost or moved: the destination is listed once, not searched per item). Answer i
   * is probe i's item, undefined when it is not there; never a claimed item, never one item for two
   * probes (identical twins need as many items), found items get their probe's flags. Without it
   * the engine asks findWritten one probe at a time.
   */
  findWrittenMany?(folder: FolderInfo, probes: readonly WrittenProbe[], claimed: ReadonlySet<string>): Promise<(WrittenItem | undefined)[]>;
  /**
   * Optional: whether this destination takes opaque full-fidelity items, asked once per mailbox
   * (only by a source that could export them) before the source picks its format. It may probe the
   * server (Microsoft 365: an import session, which needs MailboxItem.ImportExport). Absent: it
   * takes none. Rejects only on errors worth a retry (a refusal is an answer, not an error).
   */
  acceptsOpaque?(): Promise<OpaqueAcceptance>;
  /**
   * Optional, with setFlags, moveItem and deleteItem (a destination has all four or none): carries
   * a delta's changes. The current flags of items of `folder` by id, in the source's vocabulary
   * (`\Seen`, `\Flagged`, `\Answered`, `\Draft`, keywords); an id missing from the answer is
   * no longer in the folder. The engine compares them with the flags it last wrote to tell a change
   * the user made at the destination (left alone, reported) from its own.
   */
  readFlags?(folder: FolderInfo, ids: readonly string[], signal: AbortSignal): Promise<Map<string, string[]>>;
  /**
   * The flags this destination keeps (lower case); undefined: every flag and keyword. A delta
   * compares only these (Exchange keeps the read state and the draft bit): a source flag the
   * destination cannot hold is no change to carry and no conflict.
   */
  readonly heldFlags?: readonly string[];
  /**
   * Optional: the change stamps (see WrittenItem.version) of contacts, calendar items and tasks of
   * `folder` by id; an id missing from the answer is gone. Without it, a delta cannot tell a user's
   * change of such an item at the destination from none.
   */
  readVersions?(folder: FolderInfo, ids: readonly string[], signal: AbortSignal): Promise<Map<string, string>>;
  /**
   * Optional, instead of heldFlags: the flags as this destination holds them, in the terms its
   * readFlags answers in (Microsoft 365: its system flags and the keywords that are categories,
   * read back as keywords; IMAP: keywords encoded as atoms). A delta compares only these forms.
   */
  heldForm?(flags: readonly string[]): string[];
  /**
   * Optional: brings a copied contact, calendar item or task to `content` in place, the item keeping
   * its id (so what hangs on it at the destination survives: meeting responses, a dismissed
   * reminder). `copy.version`: the change stamp Ferry's last write left; when the item's is another,
   * the user changed it and it is left (`left: 'edited'`); undefined: not checked (a rerun of an
   * interrupted update, which the item may show half-done). An item already carrying `content`'s
   * fingerprint (the update landed before a kill) is answered as it is. `replace`: this change
   * cannot be made in place (a recurrence changed); the engine replaces the item. Without it, a
   * delta replaces every changed item (a new version written, the old one deleted).
   */
  updateInPlace?(folder: FolderInfo, copy: { id: string; version?: string }, content: ItemContent, signal: AbortSignal): Promise<InPlaceUpdate>;
  /** Sets an item's flags to exactly `flags` (idempotent: a rerun after a kill sets them again). */
  setFlags?(folder: FolderInfo, id: string, flags: readonly string[], signal: AbortSignal): Promise<void>;
  /**
   * Item types moveItem cannot move between folders (Graph has no move for contacts, events and To
   * Do tasks): a delta replaces such an item instead (written in the new folder, then the old one
   * deleted). Undefined: moveItem moves every type.
   */
  readonly unmovableTypes?: readonly ItemType[];
  /** Moves an item to another folder (IMAP UID MOVE or COPY + expunge, EWS MoveItem, Graph move); returns its id there. */
  moveItem?(from: FolderInfo, id: string, to: FolderInfo, signal: AbortSignal): Promise<WrittenItem>;
  /**
   * Deletes an item as its user deleting it would (the engine moves it to the deleted items folder
   * itself when the plan says `move`); an item already gone is no error. `purge`: the item is Ferry's
   * own superseded copy (the old version of a replaced item), removed for good, never left among
   * the user's recoverable items.
   */
  deleteItem?(folder: FolderInfo, id: string, signal: AbortSignal, purge?: boolean): Promise<void>;
  close(): Promise<void>;
}

/**
 * Upper bounds of a `writeItems` batch: enough items to make a round trip and a server transaction
 * per message negligible, few enough bytes that a batch and the next one read ahead stay small in
 * memory (and a retried batch costs little).
 */
export const writeBatchLimits = { items: 100, bytes: 8 * 1024 * 1024 } as const;

/** A large item: hashed off the main thread (offThreadHash.ts); its batches get V8's own heap growth (engine/passHeap.ts). */
export const largeItemBytes = 256 * 1024;

/** The credentials resolved for one side of one item (secrets already looked up, never logged). */
export interface ResolvedCredentials {
  auth?: AuthSettings;
  /** Secret values by name, as the resolver found them. */
  secrets: ReadonlyMap<string, string>;
}

/**
 * Slots of a budget a service counts per account or per app and tenant: a connector passes each
 * request through `acquire(key, limit)`, so the budget (Exchange's concurrent requests of an
 * impersonation account, Graph's requests of an app in a tenant) holds across every mailbox of the
 * process (engine/localRequestGate.ts) or of every distributed worker (distributed/requestGate.ts).
 */
export interface RequestGate {
  /**
   * Waits for `count` (default 1; at most `limit`) of the `limit` slots of `key`, taken at once (a
   * Graph $batch runs several requests side by side); the function returned frees them.
   */
  acquire(key: string, limit: number, count?: number): Promise<() => void>;
}

export interface OpenMailboxRequest {
  endpoint: PlanEndpoint;
  /** The plan's folder, to resolve relative paths (Maildir). */
  planDir: string;
  /** The mailbox address on this side. */
  mailbox: string;
  credentials: ResolvedCredentials;
  signal: AbortSignal;
  /**
   * The kind of the endpoint on the other side, when the engine knows it: a source may then pick a
   * richer format both sides share (m365 to m365: Exchange's opaque full-fidelity items).
   */
  peerType?: PlanEndpoint['type'];
  /**
   * For a source: asks the destination (the engine opens it first) whether it takes opaque
   * full-fidelity items; the answer is asked of the server once per mailbox. A source that could
   * export them calls it before it chooses opaque, and falls back to MIME (and contacts, calendars
   * and tasks in their own formats) on a refusal. Absent (a caller that opened no destination):
   * `peerType` alone decides.
   */
  peerAcceptsOpaque?: () => Promise<OpaqueAcceptance>;
  /** The plan's options for this mailbox (a source reads what concerns it: options.gmail.labels, options.itemTypes). */
  options?: Readonly<PlanOptions>;
  /**
   * A verify pass: log in and read, but create and write nothing on this side (no mailbox, folder
   * or file a destination would make on its first write).
   */
  readOnly?: boolean;
  /** The gate of budgets counted per account: the process's own (embedded) or every worker's (distributed); absent: per session only. */
  requestGate?: RequestGate;
  /**
   * For a side that would open one more connection to the endpoint (the IMAP source's body reader):
   * a slot of the endpoint's maxConnections if one is free now, with its release; undefined when
   * none is (the side then does with its one connection). Absent: no bound to ask.
   */
  spareConnection?: () => (() => void) | undefined;
}

/** For a source whose peerType allows opaque items: whether the destination said it takes them (true when nobody asked it). */
export async function peerTakesOpaque(request: OpenMailboxRequest): Promise<boolean> {
  return request.peerAcceptsOpaque ? (await request.peerAcceptsOpaque()).accepted : true;
}

/** What listing an endpoint's mailboxes needs: the endpoint's own credentials, no mailbox. */
export type DirectoryRequest = Omit<OpenMailboxRequest, 'mailbox' | 'peerType' | 'peerAcceptsOpaque' | 'options'>;

export interface Connector {
  kind: PlanEndpoint['type'];
  openSource(request: OpenMailboxRequest): Promise<SourceMailbox>;
  openDestination(request: OpenMailboxRequest): Promise<DestinationMailbox>;
  /** The mailbox addresses the endpoint holds, sorted (discovery); absent where the kind cannot list them. */
  listMailboxes?(request: DirectoryRequest): Promise<string[]>;
  /**
   * A cheap source for a delta's quiet check only (engine/quietDelta.ts, issue 17): it answers the
   * check where its facts settle it and throws elsewhere; undefined where it cannot serve this server.
   */
  openQuietProbe?(request: OpenMailboxRequest): Promise<SourceMailbox | undefined>;
}

/**
 * Errors a connector raises carry a catalog code so the engine can decide: retry (transient),
 * fail the item (permanent), or fail the mailbox (credentials, quota). Message has no secrets.
 */
export class ConnectorError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly disposition: 'transient' | 'item' | 'mailbox',
    readonly args: string[] = [],
    /** Milliseconds the server asked to wait (Retry-After, BackOffMilliseconds). */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'ConnectorError';
  }
}

/**
 * The source renumbered a folder while it was listed or read (IMAP: a new UIDVALIDITY, the folder
 * recreated or its index rebuilt): the ids listed before name no item now. The engine lists the
 * folder anew from the start (renumbered) and goes on in the same pass; its code and message are
 * the notice an operator sees (IMAP-UIDVALIDITY).
 */
export class FolderRenumbered extends ConnectorError {}
