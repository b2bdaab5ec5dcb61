// An IMAP mailbox as a source. Folders are EXAMINEd (read-only), so reading never sets \Seen; the
// cursor is UIDVALIDITY + the last UID listed; message bodies are fetched with BODY.PEEK[] a few
// dozen at a time (read-ahead along the listing), which saves a round trip per small message.
import type { FetchMessageObject, ImapFlow } from 'imapflow';
import { FolderRenumbered, type FolderChanges, type FolderCursor, type FolderInfo, type ItemContent, type ItemListing, type ItemRef, type ItemWindows, type SourceMailbox } from '../types';
import { imapError, renumbered, searched } from './imapErrors';
import { LeanBodyReader, leanFetchEnabled } from './lean/leanBodyReader';
import { listImapFolders, type EmptyFolder } from './imapFolders';
import { uidSet, uidsOfSet } from './uidSet';
import type { ImapSession } from './imapSession';

/** The IMAP cursor; bigints are kept as strings so it survives JSON. */
export interface ImapCursor {
  uidValidity: string;
  lastUid: number;
  highestModseq?: string;
}

/** Read-ahead bounds: enough to hide round trips, small enough to keep memory flat. */
const AHEAD_ITEMS = 64;
const AHEAD_BYTES = 4 * 1024 * 1024;
const AHEAD_ITEM_MAX = 1024 * 1024;

export function readCursor(cursor: FolderCursor | undefined): ImapCursor | undefined {
  if (!cursor || typeof cursor.uidValidity !== 'string' || typeof cursor.lastUid !== 'number') return undefined;
  return { uidValidity: cursor.uidValidity, lastUid: cursor.lastUid };
}

/** The UIDVALIDITY and UID of an item id `${uidValidity}:${uid}`. */
export function parseItemId(id: string): { uidValidity: string; uid: number } | undefined {
  const m = /^(\d+):(\d+)$/.exec(id);
  return m ? { uidValidity: m[1], uid: Number(m[2]) } : undefined;
}

/** What a folder's listing head is computed from (ImapSource.headOf). */
interface FolderFacts {
  uidValidity: string;
  exists: number;
  uidNext?: number;
  highestModseq?: string;
  /** CONDSTORE enabled on the session: an unchanged HIGHESTMODSEQ then means nothing changed. */
  condstore: boolean;
}

/** Distinct flag sets shared between listed items (sharedFlags). */
const MAX_FLAG_SETS = 1000;

/** Messages listed per FETCH: a folder of 20,000 is listed in ten runs (windows), not held whole. */
const LISTING_RUN = 2000;

/** Listings of a folder renumbered while listed, started again before listItems gives up. */
const RELISTS = 3;


export const flagsOf = (set: Set<string> | undefined) => [...(set ?? [])].filter((f) => f.toLowerCase() !== '\\recent');
export const dateOf = (value: Date | string | undefined) => (value instanceof Date ? value : new Date(value ?? 0));

export class ImapSource implements SourceMailbox {
  /** The last listing of each folder, in UID order, for read-ahead. */
  protected readonly listed = new Map<string, ItemRef[]>();
  /** Bodies fetched ahead, by `${folder}\0${item id}`; only the latest batch is kept. */
  private ahead = new Map<string, ItemContent>();
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly flagSets = new Map<string, string[]>();
  /** Per folder, where in its listing the last read-ahead started. */
  private readonly lastPosition = new Map<string, number>();
  /**
   * Folders whose listing's EXAMINE found HIGHESTMODSEQ (with CONDSTORE) equal to that of the
   * cursor it was given: the delta's changesOf that follows with the same cursor (same pass) then
   * needs no second EXAMINE. A change made between the two raises the modseq past the cursor this
   * pass records, so the next delta sees it.
   */
  private readonly unchangedAt = new Map<string, { uidValidity: string; highestModseq: string }>();

  /** A delta's changes (see changesOf; Gmail's label folders override it). */
  readonly listChanges: (folder: FolderInfo, cursor: FolderCursor | undefined, signal: AbortSignal) => Promise<FolderChanges>;
  /** Folders the last listFolders found empty (LIST-STATUS), until each one's first listing (windowsOf). */
  private emptyWhenListed = new Map<string, EmptyFolder>();
  /** Bodies through a pipelined connection of their own (lean/); undefined: through imapflow only. */
  private readonly lean: LeanBodyReader | undefined;

  /** The listing a window at a time (see windowsOf); absent where folders are not IMAP mailboxes (listsInWindows). */
  readonly listItemWindows?: (folder: FolderInfo, cursor: FolderCursor | undefined, signal: AbortSignal, recorded?: FolderCursor) => Promise<ItemWindows>;

  constructor(protected readonly session: ImapSession) {
    this.listChanges = (folder, cursor, signal) => this.changesOf(folder, cursor, signal);
    this.lean = leanFetchEnabled() ? new LeanBodyReader(session) : undefined;
    if (this.listsInWindows()) this.listItemWindows = (folder, cursor, signal, recorded) => this.windowsOf(folder, cursor, signal, true, recorded);
  }

  /**
   * Whether a folder's listing comes a window at a time from the server: where each listed folder is
   * an IMAP mailbox. Gmail's label folders are placed from one scan of All Mail (listed whole).
   */
  protected listsInWindows(): boolean {
    return true;
  }

  async listFolders(): Promise<FolderInfo[]> {
    const tree = await this.session.run('LIST', {}, (client) => listImapFolders(client, { cursors: true }));
    this.emptyWhenListed = tree.empty ?? new Map();
    return tree.folders;
  }

  async listItems(folder: FolderInfo, cursor: FolderCursor | undefined, signal: AbortSignal): Promise<ItemListing> {
    let windows: ItemWindows;
    let items: ItemRef[] = [];
    // Renumbered between the search and a run of its FETCHes: listed again under the new UIDVALIDITY.
    for (let attempt = 1; ; attempt++) {
      windows = await this.windowsOf(folder, cursor, signal, false);
      items = [];
      try {
        for (let window = await windows.next(signal); window; window = await windows.next(signal)) {
          for (const ref of window) items.push(ref);
        }
        break;
      } catch (err) {
        if (!(err instanceof FolderRenumbered) || attempt >= RELISTS) throw err;
      }
    }
    this.listed.set(folder.id, items);
    this.lastPosition.delete(folder.id);
    return { items, cursor: windows.cursor, reset: windows.reset, renumbered: windows.renumbered, idPrefix: windows.idPrefix };
  }

  /**
   * The folder's UIDs first (one UID SEARCH, kept as 4 bytes each), then their attributes a run of
   * 2,000 at a time as the engine asks: memory bounded by a window, not by the folder. `readAhead`:
   * the windows are the engine's (listItemWindows), read-ahead follows them; else listItems collects them.
   */
  protected async windowsOf(folder: FolderInfo, cursor: FolderCursor | undefined, signal: AbortSignal, readAhead: boolean, recorded?: FolderCursor): Promise<ItemWindows> {
    signal.throwIfAborted();
    // Empty when the folders were listed (LIST-STATUS): its head from that answer, no EXAMINE. Once
    // only: a later listing of the folder (a relist, the next delta's) selects it for fresh counts.
    const empty = this.emptyWhenListed.get(folder.id);
    this.emptyWhenListed.delete(folder.id);
    const head = empty
      ? await this.session.run(`SEARCH in ${folder.id}`, { folder: folder.id }, async (client) => this.headOf(folder, cursor, recorded, { ...empty, exists: 0, condstore: client.enabled.has('CONDSTORE') }, async () => new Uint32Array(0)))
      : await this.session.inFolder(folder.id, true, `SEARCH in ${folder.id}`, async (client) => {
          const box = client.mailbox;
          if (!box) throw imapError('IMAP-NOMAILBOX', [folder.id, this.session.context.host, 'not selected']);
          const facts = { uidValidity: box.uidValidity.toString(), exists: box.exists, uidNext: box.uidNext, highestModseq: box.highestModseq?.toString(), condstore: client.enabled.has('CONDSTORE') };
          return this.headOf(folder, cursor, recorded, facts, (after) => this.uidsAfter(client, after));
        }, { fresh: true });
    signal.throwIfAborted();
    let at = 0;
    let previousWindow: ItemRef[] = [];
    return {
      cursor: head.cursor,
      reset: head.reset,
      renumbered: head.renumbered,
      idPrefix: `${head.uidValidity}:`,
      count: head.uids.length,
      next: async (signal) => {
        signal.throwIfAborted();
        if (at >= head.uids.length) return undefined;
        const run = head.uids.subarray(at, at + LISTING_RUN);
        const items = await this.session.inFolder(folder.id, true, `FETCH in ${folder.id}`, async (client) => {
          // Renumbered since the search: these UIDs are other messages now. The engine lists the
          // folder anew (from this listing's cursor: a reset) and goes on.
          if (client.mailbox && client.mailbox.uidValidity.toString() !== head.uidValidity) throw renumbered(folder.id, head.uidValidity, client.mailbox.uidValidity.toString());
          // fetchAll, not the fetch() generator: one promise per run instead of one per message
          // (2-3x faster). No Message-ID header: the server would open every message file for it,
          // and the probe of a copy reads it from the content anyway (probeOf).
          const fetched = await client.fetchAll(uidSet([...run]), { uid: true, flags: true, internalDate: true, size: true }, { uid: true });
          return fetched.map((msg) => this.refOf(head.uidValidity, msg)).sort((a, b) => parseItemId(a.id)!.uid - parseItemId(b.id)!.uid);
        });
        signal.throwIfAborted();
        at += run.length;
        if (readAhead) {
          // Read-ahead finds its place in the window being copied and the one fetched after it; the
          // engine copies one folder at a time, so what was listed of the others goes.
          this.listed.clear();
          this.lastPosition.clear();
          this.listed.set(folder.id, previousWindow.concat(items));
          previousWindow = items;
        }
        return items;
      },
    };
  }

  /**
   * A folder's listing head from its facts (an EXAMINE's, or LIST-STATUS's for an empty folder): its
   * UIDs after the cursor (`uidsAfter`, only when the folder holds messages and UIDNEXT does not say
   * that nothing is new), the new cursor, and whether the folder was renumbered.
   */
  private async headOf(folder: FolderInfo, cursor: FolderCursor | undefined, recorded: FolderCursor | undefined, facts: FolderFacts, uidsAfter: (after: number) => Promise<Uint32Array>): Promise<{ uidValidity: string; uids: Uint32Array; cursor: FolderCursor; reset: boolean; renumbered: boolean }> {
    const uidValidity = facts.uidValidity;
    const previous = readCursor(cursor);
    const reset = previous !== undefined && previous.uidValidity !== uidValidity;
    const known = previous ?? readCursor(recorded);
    const renumbered = known !== undefined && known.uidValidity !== uidValidity;
    const after = previous && !reset ? previous.lastUid : 0;
    // UIDNEXT (given at SELECT) at or below the last UID listed: nothing new, no search to send
    // (a no-op delta of a folder is then its SELECT).
    const nothingNew = previous !== undefined && !reset && facts.uidNext !== undefined && facts.uidNext <= after + 1;
    const uids = facts.exists > 0 && !nothingNew ? await uidsAfter(after) : new Uint32Array(0);
    const next: ImapCursor = { uidValidity, lastUid: uids.length ? uids[uids.length - 1] : after, ...(facts.highestModseq !== undefined ? { highestModseq: facts.highestModseq } : {}) };
    const given = typeof cursor?.highestModseq === 'string' ? cursor.highestModseq : undefined;
    if (previous && !reset && given !== undefined && next.highestModseq === given && facts.condstore) this.unchangedAt.set(folder.id, { uidValidity, highestModseq: given });
    else this.unchangedAt.delete(folder.id);
    return { uidValidity, uids, cursor: { ...next }, reset, renumbered };
  }

  /**
   * The UIDs of the selected folder above `after`, sorted. With ESEARCH the answer is a sequence set
   * (`1:200000`), not 200,000 numbers to parse (a plain SEARCH of 200,000 made about 30 MB of
   * garbage at once, and V8 keeps the pages such a peak took); `n:*` also names the newest message
   * when n is past the end: dropped.
   */
  private async uidsAfter(client: ImapFlow, after: number): Promise<Uint32Array> {
    const host = this.session.context.host;
    const exists = client.mailbox ? client.mailbox.exists : 0;
    if (client.capabilities.has('ESEARCH')) {
      const found = await client.search({ uid: `${after + 1}:*` }, { uid: true, returnOptions: ['ALL'] });
      if (found === false || found === undefined) throw imapError('IMAP-NO', [host, 'SEARCH', 'the search failed'], 'transient');
      if (!Array.isArray(found)) {
        const uids = found.all === undefined ? new Uint32Array(0) : uidsOfSet(found.all, after, exists);
        if (uids) return uids;
      }
    }
    return Uint32Array.from(searched(await client.search({ uid: `${after + 1}:*` }, { uid: true }), host).filter((uid) => uid > after)).sort();
  }

  /**
   * A delta's changes. With CONDSTORE (Dovecot announces it) an unchanged HIGHESTMODSEQ means
   * nothing changed, flags nor expunges (RFC 7162 3.1.2); else the changed messages come from
   * FETCH CHANGEDSINCE, and the UIDs expunged since from its VANISHED (EARLIER) answer with QRESYNC
   * enabled (RFC 7162 3.2.6), else from the UIDs present (UID SEARCH ALL). Without CONDSTORE, a
   * flags scan of every message (UID FETCH 1:* FLAGS). Moves are recognised by the engine (a UID
   * MOVE gives a new UID).
   */
  protected async changesOf(folder: FolderInfo, cursor: FolderCursor | undefined, signal: AbortSignal): Promise<FolderChanges> {
    signal.throwIfAborted();
    const before = readCursor(cursor);
    const modseq = typeof cursor?.highestModseq === 'string' ? cursor.highestModseq : undefined;
    const unchanged = this.unchangedAt.get(folder.id);
    this.unchangedAt.delete(folder.id);
    if (unchanged && before?.uidValidity === unchanged.uidValidity && modseq === unchanged.highestModseq) return { items: [], removed: [], complete: false };
    return this.session.inFolder(folder.id, true, `FETCH FLAGS in ${folder.id}`, async (client) => {
      const box = client.mailbox;
      if (!box) throw imapError('IMAP-NOMAILBOX', [folder.id, this.session.context.host, 'not selected']);
      const uidValidity = box.uidValidity.toString();
      const none: FolderChanges = { items: [], removed: [], complete: false };
      // Other ids: the engine lists the folder anew (listing.reset) and asks nothing here.
      if (before && before.uidValidity !== uidValidity) return none;
      const condstore = modseq !== undefined && box.highestModseq !== undefined && client.enabled.has('CONDSTORE');
      if (condstore && box.highestModseq!.toString() === modseq) return none;
      if (box.exists === 0) return { items: [], removed: [], complete: true };
      const query = { uid: true, flags: true, internalDate: true, size: true };
      const qresync = condstore && client.enabled.has('QRESYNC');
      const vanished: number[] = [];
      const onExpunge = (e: { uid?: number; vanished?: boolean; earlier?: boolean }) => {
        if (e.vanished && e.earlier && e.uid !== undefined) vanished.push(e.uid);
      };
      if (qresync) client.on('expunge', onExpunge);
      let changed: FetchMessageObject[];
      try {
        // With QRESYNC enabled imapflow asks (CHANGEDSINCE m VANISHED).
        changed = await client.fetchAll('1:*', query, { uid: true, ...(condstore ? { changedSince: BigInt(modseq!) } : {}) });
      } finally {
        if (qresync) client.off('expunge', onExpunge);
      }
      const items = changed.map((msg) => this.refOf(uidValidity, msg));
      if (!condstore) return { items, removed: [], complete: true };
      if (qresync) return { items, removed: vanished.map((uid) => `${uidValidity}:${uid}`), complete: false };
      const present = searched(await client.search({ all: true }, { uid: true }), this.session.context.host).map((uid) => `${uidValidity}:${uid}`);
      return { items, removed: [], complete: false, present };
    }, { fresh: true });
  }

  private refOf(uidValidity: string, msg: FetchMessageObject): ItemRef {
    return { id: `${uidValidity}:${msg.uid}`, sizeBytes: msg.size ?? 0, date: dateOf(msg.internalDate), flags: this.sharedFlags(flagsOf(msg.flags)), itemType: 'mail' };
  }

  /**
   * One frozen array per set of flags: a folder of 200,000 holds a handful of distinct sets, not
   * 200,000 arrays of their own strings. Bounded, for a server that gives every message its own keywords.
   */
  private sharedFlags(flags: string[]): string[] {
    const key = flags.join(' ');
    const known = this.flagSets.get(key);
    if (known) return known;
    if (this.flagSets.size >= MAX_FLAG_SETS) return flags;
    const shared = Object.freeze(flags) as string[];
    this.flagSets.set(key, shared);
    return shared;
  }

  prepareReads(folder: FolderInfo): void {
    this.lean?.prepare(folder.id);
  }

  releaseContents(contents: readonly ItemContent[]): void {
    if (this.lean) for (const content of contents) if (Buffer.isBuffer(content.data)) this.lean.release(content.data);
  }

  async readItem(folder: FolderInfo, ref: ItemRef, signal: AbortSignal): Promise<ItemContent> {
    signal.throwIfAborted();
    if (this.lean && this.lean.unavailable === undefined) {
      const list = this.listed.get(folder.id) ?? [];
      const position = this.positionOf(folder.id, list, ref);
      const read = await this.lean.read(
        { folder, ref, listing: position === -1 ? [ref] : list, position: Math.max(position, 0), locate: (r) => this.locate(folder, r), flags: (r, fetched) => this.contentFlags(r, fetched) },
        signal,
      );
      if (read !== 'unavailable') {
        if (!read) throw imapError('IMAP-ITEM-GONE', [ref.id, folder.id]);
        return read;
      }
    }
    const key = `${folder.id}\0${ref.id}`;
    await this.inFlight.get(key);
    let content = this.take(key);
    if (!content) {
      await this.fetchBatch(folder, this.batchFrom(folder, ref));
      content = this.take(key);
    }
    if (!content) throw imapError('IMAP-ITEM-GONE', [ref.id, folder.id]);
    return content;
  }

  private take(key: string): ItemContent | undefined {
    const content = this.ahead.get(key);
    this.ahead.delete(key);
    return content;
  }

  /**
   * Where `ref` is in its folder's listing. The engine reads in listing order, so the search starts
   * where the last one ended: one step per item, not a scan of the listing (200,000 messages would
   * be 3,000 batches x 100,000 comparisons).
   */
  private positionOf(folderId: string, list: readonly ItemRef[], ref: ItemRef): number {
    const from = this.lastPosition.get(folderId) ?? 0;
    for (let i = from; i < list.length; i++) {
      if (list[i].id === ref.id) return this.remember(folderId, i);
    }
    return this.remember(folderId, list.slice(0, from).findIndex((r) => r.id === ref.id));
  }

  private remember(folderId: string, at: number): number {
    if (at !== -1) this.lastPosition.set(folderId, at);
    return at;
  }

  /** The item and the small ones listed after it, within the read-ahead bounds. */
  private batchFrom(folder: FolderInfo, ref: ItemRef): ItemRef[] {
    const list = this.listed.get(folder.id) ?? [];
    const start = this.positionOf(folder.id, list, ref);
    if (start === -1) return [ref];
    const batch = [ref];
    let bytes = ref.sizeBytes;
    for (let i = start + 1; i < list.length; i++) {
      const next = list[i];
      if (batch.length >= AHEAD_ITEMS || bytes + next.sizeBytes > AHEAD_BYTES) break;
      if (next.sizeBytes > AHEAD_ITEM_MAX || this.inFlight.has(`${folder.id}\0${next.id}`)) continue;
      batch.push(next);
      bytes += next.sizeBytes;
    }
    return batch;
  }

  /** Where a listed item is read from: the IMAP mailbox, its UIDVALIDITY and the UID (the item id, in the folder itself). */
  protected locate(folder: FolderInfo, ref: ItemRef): { mailbox: string; uidValidity: string; uid: number } | undefined {
    const at = parseItemId(ref.id);
    return at ? { mailbox: folder.id, ...at } : undefined;
  }

  /** The flags a read item carries: the server's, as fetched with the body. */
  protected contentFlags(_ref: ItemRef, fetched: string[]): string[] {
    return fetched;
  }

  private async fetchBatch(folder: FolderInfo, batch: ItemRef[]): Promise<void> {
    const first = this.locate(folder, batch[0]);
    if (!first) return;
    // One FETCH reads one mailbox: the items of the batch that live elsewhere wait for their own.
    const byUid = new Map<number, ItemRef>();
    for (const ref of batch) {
      const at = this.locate(folder, ref);
      if (at && at.mailbox === first.mailbox && at.uidValidity === first.uidValidity) byUid.set(at.uid, ref);
    }
    const fetched = new Map<string, ItemContent>();
    const work = this.session
      .inFolder(first.mailbox, true, `FETCH BODY.PEEK[] in ${first.mailbox}`, async (client: ImapFlow) => {
        // A renumbered folder holds other messages under these UIDs: the engine lists it anew. (Items
        // located in another mailbox, Gmail's All Mail, are gone from this listing: relisting the
        // folder would locate them the same way.)
        if (client.mailbox && client.mailbox.uidValidity.toString() !== first.uidValidity) {
          if (first.mailbox === folder.id) throw renumbered(folder.id, first.uidValidity, client.mailbox.uidValidity.toString());
          return;
        }
        for (const msg of await client.fetchAll(uidSet([...byUid.keys()].sort((x, y) => x - y)), { uid: true, flags: true, internalDate: true, source: true }, { uid: true })) {
          const ref = byUid.get(msg.uid);
          if (msg.source && ref) fetched.set(`${folder.id}\0${ref.id}`, { format: 'rfc822', data: msg.source, flags: this.contentFlags(ref, flagsOf(msg.flags)), date: dateOf(msg.internalDate) });
        }
      })
      .then(() => {
        // Keep only this batch: bodies fetched ahead and never asked for must not pile up.
        this.ahead = fetched;
      });
    const keys = [...byUid.values()].map((r) => `${folder.id}\0${r.id}`);
    for (const k of keys) this.inFlight.set(k, work.catch(() => undefined));
    try {
      await work;
    } finally {
      for (const k of keys) this.inFlight.delete(k);
    }
  }

  async close(): Promise<void> {
    await this.lean?.close();
    this.ahead.clear();
    this.listed.clear();
    this.unchangedAt.clear();
    await this.session.close();
  }
}
