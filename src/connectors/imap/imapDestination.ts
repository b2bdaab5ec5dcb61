// An IMAP mailbox as a destination: folders created parents first with the server's delimiter,
// role folders mapped to the server's own special-use folders, messages APPENDed with their flags
// and internal date, ids from APPENDUID (UIDPLUS). Servers with MULTIAPPEND and UIDPLUS also take
// batches in one command (writeItems).
import type { ImapFlow } from 'imapflow';
import { chunksWithin } from '../chunks';
import { contentFingerprint, probeOf } from '../fingerprint';
import { roleFromPath } from '../folderRoles';
import type { DestinationMailbox, FolderInfo, FolderRole, ItemContent, WrittenItem, WrittenProbe } from '../types';
import { imapError, searched } from './imapErrors';
import { ImapFolderIndex } from './imapFolderIndex';
import { joinPath, listImapFolders, type ImapFolderTree } from './imapFolders';
import { multiAppend } from './imapMultiAppend';
import { imapFlag } from './imapKeywords';
import { uidSet } from './uidSet';
import type { ImapSession } from './imapSession';
import { parseItemId } from './imapSource';

/** The flags to store: no \\Recent (the server sets it), keywords as atoms. */
const withoutRecent = (flags: Iterable<string>) => [...flags].filter((f) => f.toLowerCase() !== '\\recent').map(imapFlag);
const sameFlags = (have: Iterable<string> | undefined, want: Iterable<string>) => {
  const norm = (flags: Iterable<string>) => withoutRecent(flags).map((f) => f.toLowerCase()).sort().join(' ');
  return norm(have ?? []) === norm(want);
};

/** At most this many candidates per probe are fetched to confirm a match by fingerprint. */
const MAX_CANDIDATES = 20;
/** One FETCH of candidates' contents holds at most this many messages and (by the sizes known) bytes. */
const FETCH_CHUNK = { items: 100, bytes: 16 * 1024 * 1024 };
const DAY = 24 * 60 * 60 * 1000;

export class ImapDestination implements DestinationMailbox {
  readonly itemTypes = ['mail'] as const;
  private tree: ImapFolderTree | undefined;
  /** Per folder id: what it holds, for findWritten (built on its first question). */
  private readonly indexes = new Map<string, ImapFolderIndex>();
  /** Offered only when the server can append a batch atomically and name its UIDs. */
  readonly writeItems?: (folder: FolderInfo, contents: readonly ItemContent[], signal: AbortSignal) => Promise<WrittenItem[]>;

  /** `batches`: the server has MULTIAPPEND and UIDPLUS (canMultiAppend). */
  constructor(private readonly session: ImapSession, batches = false) {
    if (batches) this.writeItems = (folder, contents, signal) => this.appendBatch(folder, contents, signal);
  }

  async listFolders(): Promise<FolderInfo[]> {
    this.tree = await this.session.run('LIST', {}, listImapFolders);
    return this.tree.folders;
  }

  private async folderTree(): Promise<ImapFolderTree> {
    if (!this.tree) await this.listFolders();
    return this.tree!;
  }

  async ensureFolder(path: string[], role: FolderRole | undefined): Promise<FolderInfo> {
    const tree = await this.folderTree();
    const inbox = tree.folders.find((f) => f.role === 'inbox') ?? { id: 'INBOX', path: ['INBOX'], role: 'inbox', itemType: 'mail' as const };
    if (role === 'inbox' || path.length === 0 || (path.length === 1 && path[0].toUpperCase() === 'INBOX')) return inbox;
    // Sent items go into the server's \Sent folder, whatever either side calls it.
    const byRole = role ? tree.folders.find((f) => f.role === role) : undefined;
    if (byRole) return byRole;
    const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((s, i) => s === b[i]);
    const existing = tree.folders.find((f) => same(f.path, path));
    if (existing) return existing;
    const shown = path.join('/');
    if (path.some((s) => s === '' || (tree.delimiter && s.includes(tree.delimiter)))) {
      throw imapError('IMAP-BAD', [this.session.context.host, `CREATE ${shown}`, `a folder name contains the server's hierarchy delimiter '${tree.delimiter}' or is empty`]);
    }
    const id = joinPath(path, tree.delimiter, tree.prefix);
    await this.session.run(`CREATE ${shown}`, { folder: shown }, async (client) => {
      // The folder alone: the server makes the parents it needs (RFC 3501 6.3.3) without making a
      // parent that exists only as a parent a real folder. A server that refuses gets them first.
      // ALREADYEXISTS (made by another pass, or \Noselect) is not an error to imapflow.
      try {
        await client.mailboxCreate(id);
        return;
      } catch (err) {
        if (path.length === 1) throw err;
      }
      for (let depth = 1; depth <= path.length; depth++) {
        const parent = path.slice(0, depth);
        if (depth < path.length && tree.folders.some((f) => same(f.path, parent))) continue;
        await client.mailboxCreate(joinPath(parent, tree.delimiter, tree.prefix));
      }
    });
    const named = role ?? roleFromPath(path);
    // Just created: empty, so the engine need not look for earlier copies in it.
    const created: FolderInfo = { id, path: [...path], ...(named ? { role: named } : {}), itemType: 'mail', itemCount: 0 };
    tree.folders.push(created);
    return created;
  }

  async writeItem(folder: FolderInfo, content: ItemContent, signal: AbortSignal): Promise<WrittenItem> {
    signal.throwIfAborted();
    const flags = withoutRecent(content.flags);
    // Selecting the folder first makes imapflow keep exactly the flags its PERMANENTFLAGS allow.
    const result = await this.session.inFolder(folder.id, false, `APPEND to ${folder.id}`, (client) => client.append(folder.id, content.data, flags, content.date), { extra: { sizeBytes: content.data.length } });
    if (result && result.uid !== undefined && result.uidValidity !== undefined) return { id: `${result.uidValidity}:${result.uid}` };
    // Without UIDPLUS the server does not say which UID it gave: look the message up.
    const found = await this.findWritten(folder, probeOf(content));
    // Not found is no proof that it was not stored (a server going down answers with nothing):
    // transient, so the retry looks again on a new connection before it appends again.
    if (!found) throw imapError('IMAP-NO', [this.session.context.host, `APPEND to ${folder.id}`, 'the message was appended but cannot be found again (no UIDPLUS)'], 'transient');
    return found;
  }

  /** One MULTIAPPEND for the batch: all of it is stored or none (RFC 3502); UIDs from APPENDUID. */
  private async appendBatch(folder: FolderInfo, contents: readonly ItemContent[], signal: AbortSignal): Promise<WrittenItem[]> {
    signal.throwIfAborted();
    if (contents.length === 0) return [];
    const sizeBytes = contents.reduce((s, c) => s + c.data.length, 0);
    // Selected first, as for one message: the flags are kept to what PERMANENTFLAGS allows.
    const result = await this.session.inFolder(folder.id, false, `APPEND of ${contents.length} messages to ${folder.id}`, (client) => multiAppend(client, folder.id, contents), { extra: { sizeBytes } });
    if (result) return result.uids.map((uid) => ({ id: `${result.uidValidity}:${uid}` }));
    // Stored, but the server did not name the UIDs (or not as many): look each message up.
    const found: WrittenItem[] = [];
    // Identical messages of the batch are distinct copies: each takes a message the others did not.
    const taken = new Set<string>();
    for (const content of contents) {
      const item = await this.findWritten(folder, probeOf(content), taken);
      if (!item) throw imapError('IMAP-NO', [this.session.context.host, `APPEND to ${folder.id}`, 'the messages were appended but cannot all be found again (no APPENDUID)'], 'transient');
      taken.add(item.id);
      found.push(item);
    }
    return found;
  }

  async findWritten(folder: FolderInfo, probe: WrittenProbe, claimed?: ReadonlySet<string>): Promise<WrittenItem | undefined> {
    return (await this.findIn(folder, [probe], claimed))[0];
  }

  findWrittenMany(folder: FolderInfo, probes: readonly WrittenProbe[], claimed: ReadonlySet<string>): Promise<(WrittenItem | undefined)[]> {
    return this.findIn(folder, probes, claimed);
  }

  /**
   * The messages of `folder` that match the probes: candidates from the folder's index, their
   * contents fetched in a few commands and compared by fingerprint; each probe gets the lowest
   * matching UID no other probe (and no claimed id) has, so the answer does not depend on the order
   * the server sent the FETCH responses in, and identical twins get distinct messages.
   */
  private async findIn(folder: FolderInfo, probes: readonly WrittenProbe[], claimed?: ReadonlySet<string>): Promise<(WrittenItem | undefined)[]> {
    return this.session.inFolder(folder.id, false, `SEARCH in ${folder.id}`, async (client) => {
      const box = client.mailbox;
      const answers: (WrittenItem | undefined)[] = probes.map(() => undefined);
      if (!box || box.exists === 0) return answers;
      const idOf = (uid: number) => `${box.uidValidity}:${uid}`;
      // A message that already stands for another source item (an identical twin's copy) is no candidate.
      const wanted: number[][] = [];
      for (const probe of probes) {
        const uids = (await this.candidates(client, folder.id, probe)).filter((uid) => !claimed?.has(idOf(uid)));
        wanted.push(uids.sort((a, b) => a - b).slice(0, MAX_CANDIDATES));
      }
      const seen = new Map<number, { fingerprint: string; flags: Set<string> | undefined }>();
      const index = this.indexes.get(folder.id);
      // A size the index does not know counts as 1 MB.
      for (const chunk of chunksWithin([...new Set(wanted.flat())].sort((a, b) => a - b), (uid) => index?.sizeOf(uid) ?? 1024 * 1024, FETCH_CHUNK)) {
        for await (const msg of client.fetch(uidSet(chunk), { uid: true, flags: true, source: true }, { uid: true })) {
          if (msg.source) seen.set(msg.uid, { fingerprint: contentFingerprint(msg.source), flags: msg.flags });
        }
      }
      const taken = new Set<number>();
      for (const [i, probe] of probes.entries()) {
        const uid = wanted[i].find((u) => !taken.has(u) && seen.get(u)?.fingerprint === probe.fingerprint);
        if (uid === undefined) continue;
        taken.add(uid);
        // Found after a kill, a cut or a lost store: it gets the source's flags, whatever it was written with.
        if (probe.flags && !sameFlags(seen.get(uid)?.flags, probe.flags)) await client.messageFlagsSet(String(uid), withoutRecent(probe.flags), { uid: true });
        answers[i] = { id: idOf(uid) };
      }
      return answers;
    }, { fresh: true });
  }

  /**
   * UIDs that may hold the message: same Message-ID, or (without one) same size and a nearby
   * internal date. From the folder's index (one listing, then only new UIDs); a server that does not
   * say UIDNEXT is searched instead.
   */
  private async candidates(client: ImapFlow, folderId: string, probe: WrittenProbe): Promise<number[]> {
    const index = await ImapFolderIndex.current(client, this.indexes.get(folderId));
    if (index) {
      this.indexes.set(folderId, index);
      return probe.messageId ? index.withMessageId(probe.messageId) : index.withSizeNear(probe.sizeBytes, probe.date);
    }
    if (probe.messageId) {
      return searched(await client.search({ header: { 'message-id': probe.messageId } }, { uid: true }), this.session.context.host);
    }
    // SINCE/BEFORE compare dates only, in the server's time zone: a day either side covers it.
    const day = new Date(Math.floor(probe.date.getTime() / DAY) * DAY);
    const found = await client.search(
      { since: new Date(day.getTime() - DAY), before: new Date(day.getTime() + 2 * DAY), larger: Math.max(0, probe.sizeBytes - 1), smaller: probe.sizeBytes + 1 },
      { uid: true },
    );
    return searched(found, this.session.context.host);
  }

  /** The UIDs of ids of this folder's current UIDVALIDITY (an id of another is gone). */
  private uidsOf(client: ImapFlow, ids: readonly string[]): number[] {
    const validity = client.mailbox ? client.mailbox.uidValidity.toString() : undefined;
    return ids.flatMap((id) => {
      const p = parseItemId(id);
      return p && p.uidValidity === validity ? [p.uid] : [];
    });
  }

  /** UID FETCH FLAGS of the ids asked (a folder EXAMINEd: reading changes nothing). */
  async readFlags(folder: FolderInfo, ids: readonly string[], signal: AbortSignal): Promise<Map<string, string[]>> {
    signal.throwIfAborted();
    return this.session.inFolder(folder.id, true, `FETCH FLAGS in ${folder.id}`, async (client) => {
      const out = new Map<string, string[]>();
      const uids = this.uidsOf(client, ids);
      if (!uids.length || !client.mailbox || client.mailbox.exists === 0) return out;
      for (const msg of await client.fetchAll(uids.join(','), { uid: true, flags: true }, { uid: true })) out.set(`${client.mailbox.uidValidity}:${msg.uid}`, withoutRecent(msg.flags ?? []));
      return out;
    }, { fresh: true });
  }

  /** Flags as the server holds them: keywords that are no atom encoded as the first copy writes them (imapKeywords.ts). */
  heldForm(flags: readonly string[]): string[] {
    return withoutRecent(flags);
  }

  /** UID STORE FLAGS: exactly these flags (a rerun sets the same). */
  async setFlags(folder: FolderInfo, id: string, flags: readonly string[], signal: AbortSignal): Promise<void> {
    signal.throwIfAborted();
    await this.session.inFolder(folder.id, false, `STORE FLAGS in ${folder.id}`, async (client) => {
      const [uid] = this.uidsOf(client, [id]);
      if (uid !== undefined) await client.messageFlagsSet(String(uid), withoutRecent(flags), { uid: true });
    });
  }

  /** UID MOVE (RFC 6851), or COPY + STORE \Deleted + UID EXPUNGE where the server lacks it; the new UID from COPYUID. */
  async moveItem(from: FolderInfo, id: string, to: FolderInfo, signal: AbortSignal): Promise<WrittenItem> {
    signal.throwIfAborted();
    const command = `MOVE from ${from.id} to ${to.id}`;
    const moved = await this.session.inFolder(from.id, false, command, async (client) => {
      const [uid] = this.uidsOf(client, [id]);
      if (uid === undefined) return undefined;
      const result = await client.messageMove(String(uid), to.id, { uid: true });
      const target = result ? result.uidMap?.get(uid) : undefined;
      return result && target !== undefined ? `${result.uidValidity}:${target}` : undefined;
    });
    if (!moved) throw imapError('IMAP-NO', [this.session.context.host, command, `message ${id} was not moved, or the server did not name its new UID (COPYUID)`], 'item');
    return { id: moved };
  }

  /** UID STORE \Deleted + UID EXPUNGE of that one message (UIDPLUS), never of others marked deleted. */
  async deleteItem(folder: FolderInfo, id: string, signal: AbortSignal): Promise<void> {
    signal.throwIfAborted();
    await this.session.inFolder(folder.id, false, `EXPUNGE in ${folder.id}`, async (client) => {
      const [uid] = this.uidsOf(client, [id]);
      if (uid !== undefined) await client.messageDelete(String(uid), { uid: true });
    });
  }

  async close(): Promise<void> {
    await this.session.close();
  }
}
