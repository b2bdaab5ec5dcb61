// A Microsoft 365 mailbox as a destination. Role folders map to the well-known ones, others are
// created parents first. Mail is written as received, non-draft messages (mailWrites.ts) carrying
// Ferry's watermark (a named String property holding the content fingerprint) that findWritten
// looks for, so a lost store never makes a duplicate; one found with a pending watermark (cut off
// before its attachments were all written) is deleted and written again. Opaque items (full
// fidelity) go through import sessions when acceptsOpaque() found the app may import.
import type { ItemType } from '../../plan/model';
import { ensureExchangeFolder, sameFolderPath } from '../exchangeFolders';
import { contentFingerprint, probeOf } from '../fingerprint';
import { ConnectorError, type DestinationMailbox, type FolderInfo, type FolderRole, type ItemContent, type OpaqueAcceptance, type WriteHooks, type WrittenItem, type WrittenProbe } from '../types';
import { ImportSessions } from './fullFidelityImport';
import { ImportStaging } from './importStaging';
import type { GraphSession } from './graphSession';
import { graphError } from './graphErrors';
import { listGraphFolders, withPimFolders } from './m365Folders';
import { purgeUnfinished, writeMail } from './mailWrites';
import { categoriesOf, heldWithCategories, keywordsOf } from '../categories';
import { WATERMARK, isFlagged, isRead, pendingMark } from './messageProperties';
import { soon } from './graphRetry';
import { PimFolders, isPimType } from './pim/pimFolders';
import { pimError } from './pim/ical';
import { PimItems } from './pim/pimItems';

/** Exchange Online's largest message: 150 MB ("Exchange Online limits", message size limits). */
export const EXCHANGE_ONLINE_MAX_MESSAGE_BYTES = 150 * 1024 * 1024;

interface Created {
  id: string;
  isDraft?: boolean;
}

interface Candidate {
  id: string;
  changeKey?: string;
  isDraft?: boolean;
  isRead?: boolean;
  flag?: { flagStatus?: string };
  singleValueExtendedProperties?: { id: string; value: string }[];
}

const quoted = (s: string) => `'${s.replace(/'/g, "''")}'`;
const byWatermark = (value: string) => `singleValueExtendedProperties/Any(ep: ep/id eq ${quoted(WATERMARK)} and ep/value eq ${quoted(value)})`;

export class M365Destination implements DestinationMailbox {
  /** Mail (MIME or full fidelity) in mail folders; contacts, events and To Do tasks in their own Graph resources. */
  readonly itemTypes = ['mail', 'contacts', 'calendar', 'tasks'] as const;
  /** Exchange Online's message size limit (150 MB, the most a mailbox's MaxReceiveSize may be set to; also the upload sessions' limit). */
  readonly maxItemBytes = EXCHANGE_ONLINE_MAX_MESSAGE_BYTES;
  /** Graph moves no contact, event or To Do task between folders (see moveItem): a delta replaces them. */
  readonly unmovableTypes = ['contacts', 'calendar', 'tasks'] as const;
  private folders: FolderInfo[] | undefined;
  /** Full-fidelity writes (opaque items from another Exchange mailbox) go through import sessions. */
  readonly imports: ImportSessions;
  private readonly pimFolders: PimFolders;
  private readonly pimItems: PimItems;
  private opaque: Promise<OpaqueAcceptance> | undefined;

  constructor(private readonly session: GraphSession) {
    this.imports = new ImportSessions(session);
    this.pimFolders = new PimFolders(session);
    this.pimItems = new PimItems(session);
  }

  async listFolders(): Promise<FolderInfo[]> {
    const mail = listGraphFolders(this.session);
    const all = await withPimFolders(mail, this.pimFolders.list());
    this.folders = await mail;
    return all;
  }

  async ensureFolder(path: string[], role: FolderRole | undefined, type?: ItemType): Promise<FolderInfo> {
    const itemType = type ?? (role && isPimType(role) ? role : 'mail');
    if (!this.folders) await this.listFolders();
    if (isPimType(itemType)) return this.pimFolders.ensure(itemType, path, role);
    return ensureExchangeFolder(this.folders!, path, role, 'mail', async (parent, at) => {
      const url = parent ? `${this.session.userPath}/mailFolders/${encodeURIComponent(parent.id)}/childFolders` : `${this.session.userPath}/mailFolders`;
      return (await this.createFolder(url, at)).id;
    });
  }

  /** POSTs a folder; when another run made it meanwhile (409 ErrorFolderExists), finds that one. */
  private async createFolder(url: string, path: string[]): Promise<Created> {
    try {
      return await this.session.call(`create the folder ${path.join('/')}`, (c) => c.api(url).post({ displayName: path[path.length - 1] }) as Promise<Created>);
    } catch (err) {
      if (!(err instanceof ConnectorError && err.args[0] === '409')) throw err;
      const existing = (await listGraphFolders(this.session)).find((f) => sameFolderPath(f.path, path));
      if (!existing) throw err;
      return existing;
    }
  }

  /**
   * Whether the app may import full-fidelity items here (MailboxItem.ImportExport.All): asked once
   * by creating the import session the first import then uses and listing the import/export
   * API's folders (MailboxFolder.Read.All). A 403 of either is the answer no, with GRAPH-403-IMPORT
   * (the consent fix) as the reason; other failures are retried by the caller.
   */
  acceptsOpaque(): Promise<OpaqueAcceptance> {
    this.opaque ??= this.imports.probe().then(
      (): OpaqueAcceptance => ({ accepted: true }),
      (err: unknown): OpaqueAcceptance => {
        if (err instanceof ConnectorError && err.code === 'GRAPH-403') return { accepted: false, reason: graphError('GRAPH-403-IMPORT', [this.session.mailbox, err.args[1] ?? err.message]) };
        if (err instanceof ConnectorError && err.code === 'GRAPH-403-FF') return { accepted: false, reason: graphError('GRAPH-403-IMPORT', [this.session.mailbox, err.message]) };
        this.opaque = undefined;
        throw err;
      },
    );
    return this.opaque;
  }

  async writeItem(folder: FolderInfo, content: ItemContent, signal: AbortSignal, hooks?: WriteHooks): Promise<WrittenItem> {
    signal.throwIfAborted();
    if (isPimType(folder.itemType) && content.format !== 'opaque') return this.pimItems.write(folder, content);
    if (content.format === 'opaque') return this.imports.importItem(folder, content.data, probeOf(content).fingerprint, signal, hooks?.created);
    return writeMail(this.session, folder, content, signal, (id) => this.remove(id));
  }

  async findWritten(folder: FolderInfo, probe: WrittenProbe, claimed?: ReadonlySet<string>): Promise<WrittenItem | undefined> {
    if (isPimType(folder.itemType)) return this.pimItems.find(folder, probe);
    // An import cut off anywhere: its item, if it landed, found in its staging folder and finished now.
    const imported = await this.imports.staging.settle(probe.destinationId, folder, probe.fingerprint);
    if (imported) return imported;
    const filter = probe.messageId ? `internetMessageId eq ${quoted(probe.messageId)}` : byWatermark(probe.fingerprint);
    // A message that already stands for another source item (an identical twin's copy) is no candidate.
    const unclaimed = async (f: string) => (await this.candidates(folder, f)).filter((m) => !claimed?.has(m.id));
    const found = await this.settle(probe, await unclaimed(filter));
    if (found || probe.messageId) return found && this.restate(found, probe);
    // Without a Message-ID a write cut before its attachments were all written has its pending
    // watermark for a handle (a draft: a MIME create of an older version cut before its PATCH).
    const pending = (await this.settle(probe, await unclaimed(byWatermark(pendingMark(probe.fingerprint))))) ?? (await this.settle(probe, await unclaimed('isDraft eq true')));
    return pending && this.restate(pending, probe);
  }

  /**
   * A found message gets the source item's read and flag state when they differ (one PATCH,
   * through the mailbox's limiter like every request, so within its throttling budget). A
   * full-fidelity item keeps the state it was imported with: the source's own (the import/export
   * API's listing carries no read or flag state, so the probe's flags would say unread, unflagged).
   */
  private async restate(found: Candidate, probe: WrittenProbe): Promise<WrittenItem> {
    if (probe.flags && !probe.opaque) {
      const read = isRead(probe.flags);
      const flagStatus = probe.flags.includes('\\Flagged') ? 'flagged' : 'notFlagged';
      const patch = { ...(found.isRead !== read ? { isRead: read } : {}), ...((found.flag?.flagStatus ?? 'notFlagged') !== flagStatus && !(flagStatus === 'notFlagged' && found.flag?.flagStatus === 'complete') ? { flag: { flagStatus } } : {}) };
      if (Object.keys(patch).length) await soon(() => this.session.call('set the read and flag state of a found message', (c) => c.api(`${this.session.userPath}/messages/${encodeURIComponent(found.id)}`).patch(patch) as Promise<unknown>));
    }
    // A full-fidelity item is left as found: its change key is the one a later delta compares.
    return { id: found.id, ...(probe.opaque && found.changeKey ? { version: found.changeKey } : {}) };
  }

  private async candidates(folder: FolderInfo, filter: string): Promise<Candidate[]> {
    const query = new URLSearchParams({ $filter: filter, $select: 'id,changeKey,isDraft,isRead,flag', $expand: `singleValueExtendedProperties($filter=id eq ${quoted(WATERMARK)})`, $top: '20' });
    const page: { value: Candidate[] } = await this.session.call(`look for a written message in ${folder.path.join('/')}`, (c) => c.api(`${this.session.userPath}/mailFolders/${encodeURIComponent(folder.id)}/messages?${query.toString()}`).get() as Promise<{ value: Candidate[] }>);
    return page.value;
  }

  /** The candidate that is the probe's message, written whole; half-written copies are removed on the way. */
  private async settle(probe: WrittenProbe, candidates: Candidate[]): Promise<Candidate | undefined> {
    for (const m of candidates) {
      const mark = m.singleValueExtendedProperties?.find((p) => p.id.toLowerCase() === WATERMARK.toLowerCase())?.value;
      if (mark === probe.fingerprint && !m.isDraft) return m;
      // Created, its attachments cut off: removed, so the engine writes the message again, whole.
      if (mark === pendingMark(probe.fingerprint)) {
        await this.remove(m.id);
        continue;
      }
      if (mark !== undefined && mark !== probe.fingerprint) continue;
      // No watermark yet, or still a draft: the same content means a write cut off between the
      // create and the PATCH. Remove it so the engine writes the message again, whole.
      if (contentFingerprint(await this.content(m.id)) !== probe.fingerprint) continue;
      if (!m.isDraft) return m;
      await this.remove(m.id);
    }
    return undefined;
  }

  private async content(id: string): Promise<Buffer> {
    const graph = await import('@microsoft/microsoft-graph-client');
    const body = await this.session.call('read a candidate message', (c) => c.api(`${this.session.userPath}/messages/${encodeURIComponent(id)}/$value`).responseType(graph.ResponseType.ARRAYBUFFER).get() as Promise<ArrayBuffer>);
    return Buffer.from(body);
  }

  private async remove(id: string): Promise<void> {
    await purgeUnfinished(this.session, id);
  }

  /** Graph keeps the read state, the follow-up flag, the draft bit and categories (keywords): what a delta compares. */
  heldForm(flags: readonly string[]): string[] {
    return heldWithCategories(flags, ['\\seen', '\\flagged', '\\draft']);
  }

  /** A message's isRead, flag and isDraft, if it is still in `folder`; undefined when gone (404) or moved. */
  private async stateIn(folder: FolderInfo, id: string): Promise<string[] | undefined> {
    type State = { isRead?: boolean; isDraft?: boolean; flag?: { flagStatus?: string }; categories?: string[]; parentFolderId?: string };
    try {
      const m: State = await this.session.call(`read the flags of a message in ${folder.path.join('/')}`, (c) => c.api(`${this.session.userPath}/messages/${encodeURIComponent(id)}?$select=isRead,isDraft,flag,categories,parentFolderId`).get() as Promise<State>);
      if (m.parentFolderId !== undefined && m.parentFolderId !== folder.id) return undefined;
      return [...(m.isRead ? ['\\Seen'] : []), ...(m.flag?.flagStatus === 'flagged' ? ['\\Flagged'] : []), ...(m.isDraft ? ['\\Draft'] : []), ...keywordsOf(m.categories)];
    } catch (err) {
      if (err instanceof ConnectorError && err.code === 'GRAPH-ITEM-GONE') return undefined;
      throw err;
    }
  }

  async readFlags(folder: FolderInfo, ids: readonly string[], signal: AbortSignal): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    for (const id of ids) {
      signal.throwIfAborted();
      // Contacts, events and To Do tasks carry no flags: whether the item is there is the answer.
      const flags = isPimType(folder.itemType) ? ((await this.pimItems.versionOf(folder, id)) === undefined ? undefined : []) : await this.stateIn(folder, id);
      if (flags) out.set(id, flags);
    }
    return out;
  }

  /**
   * Contacts, events and To Do tasks: their lastModifiedDateTime; messages: their changeKey (what a
   * delta compares for an imported full-fidelity message, whose flags Ferry does not know).
   */
  async readVersions(folder: FolderInfo, ids: readonly string[], signal: AbortSignal): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (const id of ids) {
      signal.throwIfAborted();
      const version = isPimType(folder.itemType) ? await this.pimItems.versionOf(folder, id) : await this.changeKeyIn(folder, id);
      if (version !== undefined) out.set(id, version);
    }
    return out;
  }

  /** A message's changeKey while it is in `folder`; undefined when gone or moved. */
  private async changeKeyIn(folder: FolderInfo, id: string): Promise<string | undefined> {
    type Stamp = { changeKey?: string; parentFolderId?: string };
    try {
      const m: Stamp = await this.session.call(`read the change key of a message in ${folder.path.join('/')}`, (c) => c.api(`${this.session.userPath}/messages/${encodeURIComponent(id)}?$select=changeKey,parentFolderId`).get() as Promise<Stamp>);
      return m.parentFolderId !== undefined && m.parentFolderId !== folder.id ? undefined : m.changeKey ?? undefined;
    } catch (err) {
      if (err instanceof ConnectorError && err.code === 'GRAPH-ITEM-GONE') return undefined;
      throw err;
    }
  }

  /** PATCH isRead, flag and categories (the keywords; the draft bit cannot change once saved). */
  async setFlags(folder: FolderInfo, id: string, flags: readonly string[], signal: AbortSignal): Promise<void> {
    signal.throwIfAborted();
    const patch = { isRead: isRead(flags), flag: { flagStatus: isFlagged(flags) ? 'flagged' : 'notFlagged' }, categories: categoriesOf(flags) };
    await this.session.call(`set the flags of a message in ${folder.path.join('/')}`, (c) => c.api(`${this.session.userPath}/messages/${encodeURIComponent(id)}`).patch(patch) as Promise<unknown>);
  }

  /** POST .../move: the message in its new folder, under the id Graph gives it there. */
  async moveItem(from: FolderInfo, id: string, to: FolderInfo, signal: AbortSignal): Promise<WrittenItem> {
    signal.throwIfAborted();
    if (isPimType(from.itemType)) {
      // Graph moves no contact, event or task between folders; its DELETE of a contact or event is
      // Exchange's move to Deleted Items (the item keeps no id Graph names there).
      if (to.role !== 'deleted') throw pimError('GRAPH-PIM-INVALID', [`move from ${from.path.join('/')} to ${to.path.join('/')}`, 'Graph moves no contact, event or To Do task between folders']);
      await this.pimItems.remove(from, id, false);
      return { id };
    }
    const moved: Created & { changeKey?: string } = await this.session.call(`move a message from ${from.path.join('/')} to ${to.path.join('/')}`, (c) => c.api(`${this.session.userPath}/messages/${encodeURIComponent(id)}/move`).post({ destinationId: to.id }) as Promise<Created & { changeKey?: string }>);
    return { id: moved.id, ...(moved.changeKey ? { version: moved.changeKey } : {}) };
  }

  /**
   * DELETE of the message: Exchange Online soft-deletes it into Recoverable Items\Deletions, where
   * the user recovers it with Outlook's "Recover deleted items" for the retention period (14 days
   * by default), as after Outlook's Shift+Delete; `purge` (a superseded version Ferry wrote):
   * permanentDelete. One already gone (404) is no error.
   */
  async deleteItem(folder: FolderInfo, id: string, signal: AbortSignal, purge = false): Promise<void> {
    signal.throwIfAborted();
    if (isPimType(folder.itemType)) return this.pimItems.remove(folder, id, true);
    // A staging handle (an import a kill cut off): its item, if any, goes with the staging folder.
    if (ImportStaging.isHandle(id)) return;
    try {
      if (purge) await purgeUnfinished(this.session, id);
      else await this.session.call(`delete a message in ${folder.path.join('/')}`, (c) => c.api(`${this.session.userPath}/messages/${encodeURIComponent(id)}`).delete() as Promise<unknown>);
    } catch (err) {
      if (!(err instanceof ConnectorError && err.code === 'GRAPH-ITEM-GONE')) throw err;
    }
  }

  async close(): Promise<void> {
    await this.imports.staging.close();
  }
}
