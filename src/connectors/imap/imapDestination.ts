// An IMAP mailbox as a destination: folders created parents first with the server's delimiter,
// role folders mapped to the server's own special-use folders, messages APPENDed with their flags
// and internal date, ids from APPENDUID (UIDPLUS). Servers with MULTIAPPEND and UIDPLUS also take
// batches in one command (writeItems).
import type { ImapFlow } from 'imapflow';
import { contentFingerprint, probeOf } from '../fingerprint';
import { roleFromPath } from '../folderRoles';
import type { DestinationMailbox, FolderInfo, FolderRole, ItemContent, WrittenItem, WrittenProbe } from '../types';
import { imapError, searched } from './imapErrors';
import { joinPath, listImapFolders, type ImapFolderTree } from './imapFolders';
import { multiAppend } from './imapMultiAppend';
import { imapFlag } from './imapKeywords';
import type { ImapSession } from './imapSession';

/** The flags to store: no \\Recent (the server sets it), keywords as atoms. */
const withoutRecent = (flags: Iterable<string>) => [...flags].filter((f) => f.toLowerCase() !== '\\recent').map(imapFlag);
const sameFlags = (have: Iterable<string> | undefined, want: Iterable<string>) => {
  const norm = (flags: Iterable<string>) => withoutRecent(flags).map((f) => f.toLowerCase()).sort().join(' ');
  return norm(have ?? []) === norm(want);
};

/** At most this many candidates are fetched to confirm a match by fingerprint. */
const MAX_CANDIDATES = 20;
const DAY = 24 * 60 * 60 * 1000;

export class ImapDestination implements DestinationMailbox {
  readonly itemTypes = ['mail'] as const;
  private tree: ImapFolderTree | undefined;
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
    return this.session.inFolder(folder.id, false, `SEARCH in ${folder.id}`, async (client) => {
      const box = client.mailbox;
      if (!box || box.exists === 0) return undefined;
      const idOf = (uid: number) => `${box.uidValidity}:${uid}`;
      // A message that already stands for another source item (an identical twin's copy) is no candidate.
      const uids = (await this.candidates(client, probe)).filter((uid) => !claimed?.has(idOf(uid))).sort((a, b) => a - b);
      if (uids.length === 0) return undefined;
      const found = new Map<number, Set<string> | undefined>();
      for await (const msg of client.fetch(uids.slice(0, MAX_CANDIDATES).join(','), { uid: true, flags: true, source: true }, { uid: true })) {
        if (msg.source && contentFingerprint(msg.source) === probe.fingerprint) found.set(msg.uid, msg.flags);
      }
      if (found.size === 0) return undefined;
      // The lowest UID: the same answer whatever order the server sent the FETCH responses in.
      const uid = Math.min(...found.keys());
      // Found after a kill or a cut: it gets the source's flags, whatever it was written with.
      if (probe.flags && !sameFlags(found.get(uid), probe.flags)) await client.messageFlagsSet(String(uid), withoutRecent(probe.flags), { uid: true });
      return { id: idOf(uid) };
    }, { fresh: true });
  }

  /** UIDs that may hold the message: same Message-ID, or (without one) same size and a nearby internal date. */
  private async candidates(client: ImapFlow, probe: WrittenProbe): Promise<number[]> {
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

  async close(): Promise<void> {
    await this.session.close();
  }
}
