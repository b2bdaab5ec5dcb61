// Where a full-fidelity import lands first, so that a kill at any moment never imports an item twice.
// The import POST answers the new item's id only when it has made the item, and that id is the
// import/export API's own (a mailboxItem id, never documented as a message id): a kill while the
// POST is in flight leaves an item Ferry knows nothing of. So each import goes into a staging
// folder of its own writer slot, hidden (`isHidden`, set at creation), at most one import in flight
// per slot, and the slot's name is on the item's intent before the POST is sent (WriteHooks.created,
// as a handle). An item in that folder is then exactly that intent's item:
// found through Graph's mail API (the folder's messages), marked (one PATCH of the watermark) and
// moved to its folder (immutable ids: the id stays across the move). A rerun settles the intent the
// same way from its handle. Should the import/export API not list hidden folders (Microsoft does
// not say), the slots use visible folders instead. Slots are per run (`Ferry import <run> <n>`), so a new run never imports
// into a folder an unsettled intent still points at; every staging folder is removed
// (permanentDelete) when the destination closes: whatever is still in one was never recorded, and
// its intent, if any, copies it again.
import { randomBytes } from 'node:crypto';
import type { MailFolder, Message } from '@microsoft/microsoft-graph-types';
import { ConnectorError, type FolderInfo, type WrittenItem } from '../types';
import { graphError } from './graphErrors';
import { soon } from './graphRetry';
import type { GraphSession } from './graphSession';
import { allPages } from './m365Folders';
import { select } from './graphSelect';
import { WATERMARK } from './messageProperties';

const PREFIX = 'Ferry import ';
const HANDLE = 'ferry-staging:';

interface Slot {
  name: string;
  /** Graph's id of the hidden folder ('' while it is being made). */
  graphId: string;
  /** free: empty, for the next import; busy: an import in flight; dirty: may hold an unsettled item. */
  state: 'free' | 'busy' | 'dirty';
}

interface Staged {
  id: string;
  singleValueExtendedProperties?: { id: string; value: string }[];
}

const markOf = (m: Staged) => m.singleValueExtendedProperties?.find((p) => p.id.toLowerCase() === WATERMARK.toLowerCase())?.value;

/** Sets Ferry's watermark on a message (Graph's mail API, by its message id). */
async function markImported(session: GraphSession, id: string, fingerprint: string, where: string): Promise<void> {
  await session.call(`set the watermark of a message in ${where}`, (c) => c.api(`${session.userPath}/messages/${encodeURIComponent(id)}`).patch({ singleValueExtendedProperties: [{ id: WATERMARK, value: fingerprint }] }) as Promise<unknown>);
}

export class ImportStaging {
  /** This run's part of the folder names: a new run never reuses an earlier run's slots. */
  private readonly run = randomBytes(4).toString('hex');
  private readonly slots: Slot[] = [];
  private made = 0;
  /** Hidden until the import/export API turns out not to list hidden folders (see `unhide`). */
  private hidden = true;
  /** Whether this run imported or settled anything (then close() removes the staging folders). */
  private used = false;

  constructor(private readonly session: GraphSession) {}

  /** The handle an intent keeps for an import into `slot`. */
  static handle(slot: Slot): string {
    return `${HANDLE}${slot.name}`;
  }

  /** Whether an id a write noted is a staging handle (no message id). */
  static isHandle(id: string | undefined): id is string {
    return !!id?.startsWith(HANDLE);
  }

  /** A free slot of this run, its hidden folder made on first need. */
  async take(): Promise<Slot> {
    this.used = true;
    const free = this.slots.find((s) => s.state === 'free');
    if (free) {
      free.state = 'busy';
      return free;
    }
    const slot: Slot = { name: '', graphId: '', state: 'busy' };
    this.slots.push(slot);
    try {
      await this.make(slot);
    } catch (err) {
      this.slots.splice(this.slots.indexOf(slot), 1);
      throw err;
    }
    return slot;
  }

  /** Makes the slot's folder under a new name (hidden unless `unhide` said otherwise). */
  private async make(slot: Slot): Promise<void> {
    const name = `${PREFIX}${this.run} ${++this.made}`;
    const folder: MailFolder = { displayName: name, ...(this.hidden ? { isHidden: true } : {}) };
    const created: { id: string } = await this.session.call(`create the staging folder ${name}`, (c) => c.api(`${this.session.userPath}/mailFolders`).post(folder) as Promise<{ id: string }>);
    Object.assign(slot, { name, graphId: created.id });
  }

  /**
   * The import/export API did not list the slot's hidden folder (Microsoft does not say whether it
   * lists hidden folders): this and later slots use visible folders instead (isHidden can only be
   * set at creation). Only before anything was imported into the slot.
   */
  async unhide(slot: Slot): Promise<void> {
    this.hidden = false;
    const old = slot.graphId;
    await this.make(slot);
    await this.remove(old, slot.name);
  }

  /** Gives a slot back: `empty` when nothing can have landed in it, else it waits for settle(). */
  release(slot: Slot, empty: boolean): void {
    if (slot.state === 'busy') slot.state = empty ? 'free' : 'dirty';
  }

  /**
   * The item an import into `slot` made, marked and moved into `target`; undefined when the folder
   * holds none (the import never landed). A slot's folder holds one import at a time, so whatever
   * is in it is that import's item, whatever watermark it carries: an import keeps every property
   * of the source item, so one Ferry once wrote arrives with that older watermark until the PATCH.
   * The slot is free again once its folder is empty.
   */
  async finish(slot: Slot, target: FolderInfo, fingerprint: string): Promise<WrittenItem | undefined> {
    const where = target.path.join('/');
    const staged = await this.messages(slot.graphId);
    if (staged.length > 1) throw graphError('GRAPH-REQUEST', ['200', `settle an import into ${where}`, `${staged.length} items in the staging folder ${slot.name}, which holds one import at a time`]);
    const item = staged[0];
    if (!item) {
      if (slot.state !== 'busy') slot.state = 'free';
      return undefined;
    }
    if (markOf(item) !== fingerprint) await soon(() => markImported(this.session, item.id, fingerprint, where));
    // With immutable ids (every request asks for them) the message keeps its id in its new folder.
    const moved: { id: string; changeKey?: string } = await soon(() => this.session.call(`move an imported message to ${where}`, (c) => c.api(`${this.session.userPath}/messages/${encodeURIComponent(item.id)}/move`).post({ destinationId: target.id }) as Promise<{ id: string; changeKey?: string }>));
    if (slot.state !== 'busy') slot.state = 'free';
    // Its change key as Ferry left it: a later delta tells a user's change by it (no flags are known of an imported item).
    return { id: moved.id, ...(moved.changeKey ? { version: moved.changeKey } : {}) };
  }

  /**
   * Settles the write an intent's `handle` names (this run's or an earlier one's): its item, found
   * in the staging folder, finished into `target`. Undefined when the handle is no staging handle,
   * the folder is gone (removed at an earlier pass's end, with what it held) or empty.
   */
  async settle(handle: string | undefined, target: FolderInfo, fingerprint: string): Promise<WrittenItem | undefined> {
    if (!ImportStaging.isHandle(handle)) return undefined;
    this.used = true;
    const name = handle.slice(HANDLE.length);
    const own = this.slots.find((s) => s.name === name);
    const slot = own ?? (await this.stagingFolders()).find((s) => s.name === name);
    if (!slot) return undefined;
    try {
      return await this.finish(slot, target, fingerprint);
    } catch (err) {
      if (err instanceof ConnectorError && err.code === 'GRAPH-ITEM-GONE') return undefined;
      throw err;
    }
  }

  /**
   * Removes every staging folder (permanently: nothing reaches Deleted Items) once this run used
   * any. Best effort: a folder left behind is hidden, and the next run that imports removes it.
   */
  async close(): Promise<void> {
    if (!this.used) return;
    for (const f of await this.stagingFolders()) await this.remove(f.graphId, f.name);
    this.slots.splice(0);
  }

  /** Removes a staging folder, best effort (permanentDelete: not to Deleted Items). */
  private async remove(graphId: string, name: string): Promise<void> {
    await this.session.call(`remove the staging folder ${name}`, (c) => c.api(`${this.session.userPath}/mailFolders/${encodeURIComponent(graphId)}/permanentDelete`).post({}) as Promise<unknown>).catch(() => undefined);
  }

  /** The staging folders in the mailbox (hidden, at the top of the folder tree), of any run. */
  private async stagingFolders(): Promise<Slot[]> {
    const all = await allPages<{ id: string; displayName: string }>(this.session, 'list the staging folders', `${this.session.userPath}/mailFolders?includeHiddenFolders=true&$top=100&$select=${select<MailFolder>('id', 'displayName')}`);
    return all.filter((f) => f.displayName.startsWith(PREFIX)).map((f) => this.slots.find((s) => s.name === f.displayName) ?? { name: f.displayName, graphId: f.id, state: 'dirty' });
  }

  /** The messages of a staging folder, with Ferry's watermark where they have one. */
  private async messages(folderId: string): Promise<Staged[]> {
    const query = new URLSearchParams({ $select: select<Message>('id'), $expand: `singleValueExtendedProperties($filter=id eq '${WATERMARK}')`, $top: '10' });
    const page: { value: Staged[] } = await this.session.call('list a staging folder', (c) => c.api(`${this.session.userPath}/mailFolders/${encodeURIComponent(folderId)}/messages?${query.toString()}`).get() as Promise<{ value: Staged[] }>);
    return page.value;
  }
}
