// The IMAP source's bulk body FETCH on a connection of its own (wireConnection.ts), without imapflow:
// the folder EXAMINEd (read-only; BODY.PEEK[] never sets \Seen), then UID FETCHes of the listing's
// next messages kept in flight several at once (bounded by bytes and by commands), so the server
// streams bodies while Ferry writes the last ones. A message's bytes land in one Buffer of the
// literal's size. Where it cannot log in as imapflow does (a mechanism it does not speak, PREAUTH,
// no connection at all the first time), the source reads through imapflow as before (`unavailable`),
// with one NODE_DEBUG=ferry-imap line saying why.
import { debuglog } from 'node:util';
import type { FolderInfo, ItemContent, ItemRef } from '../../types';
import { encodeMutf7 } from '../../maildir/mutf7';
import type { ImapSession } from '../imapSession';
import { uidSet } from '../uidSet';
import { renumbered } from '../imapErrors';
import { fetchedMessage } from './responseParser';
import { BodyPool } from './bodyPool';
import { WireConnection, quoted, type UntaggedData, type WireStatus } from './wireConnection';

const debug = debuglog('ferry-imap');

/** Where a listed item's body is: the IMAP mailbox, its UIDVALIDITY and the UID. */
export interface BodyLocation {
  mailbox: string;
  uidValidity: string;
  uid: number;
}

export interface LeanRead {
  folder: FolderInfo;
  ref: ItemRef;
  /** The folder's listing and the item's place in it: what follows is fetched ahead. */
  listing: readonly ItemRef[];
  position: number;
  locate: (ref: ItemRef) => BodyLocation | undefined;
  /** The flags a read item carries, from those fetched with its body. */
  flags: (ref: ItemRef, fetched: string[]) => string[];
}

/**
 * What is asked ahead of the reader: bytes and messages not yet taken (in flight or arrived),
 * commands in flight, and per command. Messages: without that bound, small messages were held up to
 * the byte bound (8 MiB, ~2,500 of 3 KB), ~10 MiB more peak RSS in a 20,000-message pass for no
 * speed; a new command waits for room for a whole one (no FETCH of one message per message taken).
 */
export const LEAN_AHEAD = { bytes: 8 * 1024 * 1024, items: 256, commands: 8, groupItems: 64, groupBytes: 1024 * 1024 };

interface Slot {
  ref: ItemRef;
  uid: number;
  position: number;
  size: number;
  done: boolean;
  /** FLAGS of an earlier untagged FETCH without the body (used when the body's response has none). */
  flags?: string[];
  flagsFor: LeanRead['flags'];
  /** What arrived: the content, undefined (no such message) or the error; the read waiting for it, if any. */
  outcome?: { content?: ItemContent; error?: unknown };
  waiter?: { resolve: (content: ItemContent | undefined) => void; reject: (error: unknown) => void };
  settle: (content: ItemContent | undefined) => void;
  fail: (error: unknown) => void;
}

interface Group {
  mailbox: string;
  uidValidity: string;
  slots: Slot[];
  /** Asked again after a fresh EXAMINE, because the first answer lacked them. */
  again?: true;
}

/** Message bodies per (mailbox, UID): resolved with the content, undefined when the server has no such message. */
export class LeanBodyReader {
  private wire: WireConnection | undefined;
  private opening: Promise<WireConnection> | undefined;
  private examined: { mailbox: string; uidValidity: string } | undefined;
  /** Why this session reads through imapflow instead (set once, at the first failed start). */
  private unavailableBecause: string | undefined;
  private started = false;
  /** The first connection being opened (by prepare() or the first read). */
  private starting: Promise<boolean> | undefined;
  private closed = false;
  /** The slot of the endpoint's maxConnections this connection holds (released at close). */
  private slot: (() => void) | undefined;
  /** The folder for which no slot was free: asked again at the next folder, not at every read. */
  private noSlotIn: string | undefined;
  /** The sequence being read: a folder's listing. */
  private request: LeanRead | undefined;
  private slots = new Map<string, Slot>();
  /** Slots whose FETCH was sent, by UID in the examined mailbox. */
  private readonly byUid = new Map<number, Slot>();
  private queue: Group[] = [];
  private next = 0;
  private readAt = -1;
  private aheadBytes = 0;
  private inFlight = 0;
  private drainWaiters: (() => void)[] = [];
  private pumping = false;
  /** The memory of large bodies, handed back by release(). */
  private readonly bodies = new BodyPool();

  constructor(private readonly session: ImapSession) {}

  /** The reason the lean reader is not used, once it gave up. */
  get unavailable(): string | undefined {
    return this.unavailableBecause;
  }

  /**
   * The content of `read.ref`, undefined when the server no longer has it, or 'unavailable' when this
   * session reads through imapflow. Throws the connector error of a failed connection or command.
   */
  async read(read: LeanRead, signal: AbortSignal): Promise<ItemContent | undefined | 'unavailable'> {
    if (this.unavailableBecause !== undefined || this.noSlotIn === read.folder.id) return 'unavailable';
    if (!this.started && !(await this.begin(read.folder.id))) return 'unavailable';
    signal.throwIfAborted();
    if (read.folder.id !== this.request?.folder.id) this.restart();
    else if (read.listing !== this.request.listing) this.rebase(this.request.listing, read.listing);
    this.request = read;
    let slot = this.slots.get(read.ref.id);
    if (read.position !== this.readAt + 1) this.dropBefore(read.position);
    this.readAt = read.position;
    if (!slot) {
      this.next = read.position;
      this.fill(true);
      slot = this.slots.get(read.ref.id);
      if (!slot) return undefined;
    } else this.fill(false);
    // Read ahead, the body is usually there already: no promise per message then.
    const outcome = slot.outcome ?? (await arrival(slot, signal));
    this.take(slot);
    if ('error' in outcome) throw outcome.error;
    return outcome.content;
  }

  /**
   * Logs in ahead of the first read of `folderId`, which the pass is about to read: the connection's
   * round trips (greeting, login) overlap the listing instead of delaying the first body.
   */
  prepare(folderId: string): void {
    if (this.started || this.closed || this.unavailableBecause !== undefined || this.noSlotIn === folderId) return;
    void this.begin(folderId);
  }

  private begin(folderId: string): Promise<boolean> {
    this.starting ??= this.start(folderId).finally(() => (this.starting = undefined));
    return this.starting;
  }

  /**
   * The first connection, in a slot of the endpoint's maxConnections: none free, this folder is read
   * through imapflow (the next one asks again); any failure to log in leaves the session to imapflow.
   */
  private async start(folderId: string): Promise<boolean> {
    const { mailbox, host, port } = this.session.context;
    if (this.session.spareConnection) {
      this.slot = this.session.spareConnection();
      if (!this.slot) {
        this.noSlotIn = folderId;
        debug('lean body FETCH: no connection to %s:%d free under maxConnections, %s reads %s through imapflow', host, port, mailbox, folderId);
        return false;
      }
    }
    try {
      await this.connection();
      this.started = true;
      return true;
    } catch (error) {
      this.slot?.();
      this.slot = undefined;
      this.unavailableBecause = error instanceof Error ? error.message : String(error);
      debug('lean body FETCH unavailable for %s at %s:%d, reading through imapflow: %s', mailbox, host, port, this.unavailableBecause);
      return false;
    }
  }

  private connection(): Promise<WireConnection> {
    if (this.closed) return Promise.reject(new Error('IMAP session already closed'));
    if (this.wire?.live) return Promise.resolve(this.wire);
    this.wire = undefined;
    this.examined = undefined;
    this.opening ??= this.session
      .withCredentials((options) => WireConnection.open(options, this.session.context, this.bodies))
      .then((wire) => {
        wire.onData = (data) => this.onData(data);
        this.wire = wire;
        return wire;
      })
      .finally(() => (this.opening = undefined));
    return this.opening;
  }

  /** A new sequence (another folder or listing): nothing asked for the last one is kept. */
  private restart(): void {
    this.slots = new Map();
    this.queue = [];
    this.aheadBytes = 0;
    this.next = 0;
    this.readAt = -1;
  }

  /**
   * The same folder's listing given anew (the source lists a folder in windows: the window being
   * copied and the next one): what was asked ahead stays asked, at its place in the new listing.
   * An item the new listing no longer holds is behind the reader: let go.
   */
  private rebase(before: readonly ItemRef[], listing: readonly ItemRef[]): void {
    const index = new Map<string, number>();
    for (let i = 0; i < listing.length; i++) index.set(listing[i].id, i);
    const placeOf = (position: number): number | undefined => {
      const ref = before[position];
      return ref === undefined ? undefined : index.get(ref.id);
    };
    let asked = -1;
    for (const slot of this.slots.values()) {
      const position = index.get(slot.ref.id);
      // Not in the new listing: behind the reader, never to be read (its bytes, if they come, go).
      if (position === undefined) this.forget(slot);
      else {
        slot.position = position;
        asked = Math.max(asked, position);
      }
    }
    this.readAt = placeOf(this.readAt) ?? -1;
    // Where asking goes on: the item that was next, else after the last one asked or read.
    const last = this.next >= before.length ? placeOf(before.length - 1) : undefined;
    this.next = placeOf(this.next) ?? (last !== undefined ? last + 1 : Math.max(asked, this.readAt) + 1);
  }

  /**
   * Items the reader went past (the engine skips what it copied before): let go, arrived or not (a
   * body still coming is dropped when it comes), so they hold no room of what is asked ahead.
   */
  private dropBefore(position: number): void {
    for (const slot of this.slots.values()) if (slot.position < position) this.forget(slot);
  }

  private take(slot: Slot): void {
    if (!this.forget(slot)) return;
    this.fill(false);
  }

  /** The slot no longer counts ahead of the reader; false when it did not. */
  private forget(slot: Slot): boolean {
    if (this.slots.get(slot.ref.id) !== slot) return false;
    this.slots.delete(slot.ref.id);
    this.aheadBytes -= slot.size;
    return true;
  }

  /** Asks for the listing's next items within the bounds; `first`: the item at `next` is asked whatever the bounds. */
  private fill(first: boolean): void {
    const read = this.request;
    if (!read) return;
    const { listing } = read;
    while (this.next < listing.length && (first || this.roomForCommand())) {
      let group: Group | undefined;
      let bytes = 0;
      for (; this.next < listing.length; this.next++) {
        const ref = listing[this.next];
        if (this.slots.has(ref.id)) continue;
        const at = read.locate(ref);
        if (!at) continue;
        const size = ref.sizeBytes;
        const forced = first && group === undefined;
        if (!forced && this.aheadBytes + size > LEAN_AHEAD.bytes) break;
        if (group && (at.mailbox !== group.mailbox || at.uidValidity !== group.uidValidity || group.slots.length >= LEAN_AHEAD.groupItems || bytes + size > LEAN_AHEAD.groupBytes)) break;
        group ??= { mailbox: at.mailbox, uidValidity: at.uidValidity, slots: [] };
        const slot = newSlot(ref, at.uid, this.next, size, read.flags);
        this.slots.set(ref.id, slot);
        group.slots.push(slot);
        bytes += size;
        this.aheadBytes += size;
      }
      first = false;
      if (!group) break;
      this.queue.push(group);
    }
    void this.pump();
  }

  /** Whether one more command fits: under the commands in flight, and room for a whole one in the messages ahead. */
  private roomForCommand(): boolean {
    return this.inFlight + this.queue.length < LEAN_AHEAD.commands && this.slots.size + LEAN_AHEAD.groupItems <= LEAN_AHEAD.items;
  }

  /** Sends the queued groups: EXAMINE when the mailbox changes (after the commands in flight end), then UID FETCH. */
  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.queue.length > 0) {
        const group = this.queue[0];
        const wire = await this.connection();
        if (this.examined?.mailbox !== group.mailbox) {
          await this.drained();
          await this.examine(wire, group.mailbox);
        }
        if (this.queue[0] !== group) continue;
        this.queue.shift();
        const slots = group.slots.filter((s) => this.slots.get(s.ref.id) === s && !s.done);
        // A renumbered folder holds other messages under these UIDs: the engine lists the folder anew
        // (renumbered). Items located in another mailbox (Gmail's All Mail) are gone from this listing.
        if (this.examined?.uidValidity !== group.uidValidity) {
          const now = this.examined?.uidValidity ?? '';
          if (group.mailbox === this.request?.folder.id) for (const s of slots) s.fail(renumbered(group.mailbox, group.uidValidity, now));
          else for (const s of slots) s.settle(undefined);
        } else if (slots.length > 0) this.send(wire, group, slots);
      }
    } catch (error) {
      const queued = this.queue;
      this.queue = [];
      for (const group of queued) for (const s of group.slots) this.fail(s, error);
    } finally {
      this.pumping = false;
    }
  }

  private drained(): Promise<void> {
    return this.inFlight === 0 ? Promise.resolve() : new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  /** EXAMINE (read-only); its UIDVALIDITY, and a later one the server announces, go to `examined`. */
  private async examine(wire: WireConnection, mailbox: string): Promise<void> {
    this.examined = undefined;
    this.byUid.clear();
    let uidValidity = '';
    wire.onStatus = (s) => {
      const m = /^UIDVALIDITY (\d+)/i.exec(s.code ?? '');
      if (!m) return;
      uidValidity = m[1];
      if (this.examined) this.examined.uidValidity = m[1];
    };
    const status = await wire.command(`EXAMINE ${quoted(encodeMutf7(mailbox))}`);
    if (status.status !== 'OK') throw wire.refusal(status, `EXAMINE ${mailbox}`, { folder: mailbox });
    this.examined = { mailbox, uidValidity };
  }

  /** A slot that cannot be had now (connection lost): let go, so the next read of it asks again. */
  private fail(slot: Slot, error: unknown): void {
    slot.fail(error);
    this.forget(slot);
  }

  private send(wire: WireConnection, group: Group, slots: Slot[]): void {
    const { mailbox, uidValidity } = group;
    this.inFlight++;
    for (const s of slots) this.byUid.set(s.uid, s);
    const uids = slots.map((s) => s.uid).sort((a, b) => a - b);
    const ended = (status: WireStatus | undefined, error?: unknown): void => {
      this.inFlight--;
      const missing = slots.filter((s) => !s.done);
      for (const s of missing) if (this.byUid.get(s.uid) === s) this.byUid.delete(s.uid);
      if (error !== undefined) for (const s of missing) this.fail(s, error);
      else if (status?.status === 'OK' && (group.again || missing.length === 0)) for (const s of missing) s.settle(undefined);
      else if (status?.status === 'OK') {
        // The connection's view of the mailbox may predate the listing (messages added since its
        // EXAMINE are unknown to it): asked again after a fresh EXAMINE; still missing, they are gone.
        if (this.examined?.mailbox === mailbox) this.examined = undefined;
        this.queue.unshift({ mailbox, uidValidity, slots: missing, again: true });
      }
      else if (missing.length > 1) {
        // One message the server will not give refuses the whole command: each is asked alone.
        this.queue.unshift(...missing.map((s) => ({ mailbox, uidValidity, slots: [s] })));
      } else if (/^EXPUNGEISSUED\b/i.test(status?.code ?? '')) {
        // RFC 5530: the message was expunged (by another session) since this one last heard.
        for (const s of missing) s.settle(undefined);
      } else for (const s of missing) this.fail(s, wire.refusal(status!, `FETCH BODY.PEEK[] in ${mailbox}`, { folder: mailbox, sizeBytes: s.size }));
      if (this.inFlight === 0) for (const resolve of this.drainWaiters.splice(0)) resolve();
      this.fill(false);
    };
    wire.command(`UID FETCH ${uidSet(uids)} (UID FLAGS INTERNALDATE BODY.PEEK[])`).then(
      (status) => ended(status),
      (error: unknown) => ended(undefined, error),
    );
  }

  private onData(data: UntaggedData): void {
    if (data.name !== 'FETCH') return;
    const msg = fetchedMessage(data.values);
    const slot = msg.uid === undefined ? undefined : this.byUid.get(msg.uid);
    if (!slot) return;
    if (msg.body === undefined) {
      // A flags update (another session, or the server splitting its answer): the body follows.
      if (msg.flags) slot.flags = msg.flags;
      return;
    }
    this.byUid.delete(slot.uid);
    if (msg.body === null) return slot.settle(undefined);
    const flags = (msg.flags ?? slot.flags ?? []).filter((f) => f.toLowerCase() !== '\\recent');
    slot.settle({ format: 'rfc822', data: msg.body, flags: slot.flagsFor(slot.ref, flags), date: new Date(msg.internalDate ?? 0) });
  }

  /** `body` (of a content read()) is no longer read by anyone: its memory may hold a next body. */
  release(body: Buffer): void {
    this.bodies.release(body);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.bodies.clear();
    this.restart();
    const wire = this.wire ?? (await this.opening?.catch(() => undefined));
    this.wire = undefined;
    // Bodies still coming were asked ahead for a pass that stopped: not waited for.
    if (this.inFlight > 0) wire?.destroy();
    else await wire?.close();
    this.slot?.();
    this.slot = undefined;
  }
}

function newSlot(ref: ItemRef, uid: number, position: number, size: number, flagsFor: LeanRead['flags']): Slot {
  const slot: Slot = {
    ref,
    uid,
    position,
    size,
    done: false,
    flagsFor,
    settle: (content) => {
      if (slot.done) return;
      slot.done = true;
      slot.outcome = { content };
      slot.waiter?.resolve(content);
    },
    fail: (error) => {
      if (slot.done) return;
      slot.done = true;
      slot.outcome = { error };
      slot.waiter?.reject(error);
    },
  };
  return slot;
}

/** The slot's outcome when it arrives, or the signal's reason when the pass stops first. */
function arrival(slot: Slot, signal: AbortSignal): Promise<{ content?: ItemContent; error?: unknown }> {
  signal.throwIfAborted();
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      slot.waiter = undefined;
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    const settled = (outcome: { content?: ItemContent; error?: unknown }) => {
      signal.removeEventListener('abort', onAbort);
      slot.waiter = undefined;
      resolve(outcome);
    };
    slot.waiter = { resolve: (content) => settled({ content }), reject: (error) => settled({ error }) };
  });
}

/** Whether the lean reader is on (FERRY_IMAP_LEAN_FETCH=off reads every body through imapflow). */
export function leanFetchEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.FERRY_IMAP_LEAN_FETCH?.toLowerCase() !== 'off';
}
