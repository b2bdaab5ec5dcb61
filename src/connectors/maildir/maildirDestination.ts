// A Maildir mailbox as a destination. Messages are written to tmp/ and renamed into cur/, so a
// reader (or a crash) never sees half a message; the file's mtime is the item's date so the
// received time survives, as delivery agents do it.
import { constants as fsConstants, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { contentFingerprint, exactHash } from '../fingerprint';
import { roleFromPath } from '../folderRoles';
import { ConnectorError, type DestinationMailbox, type FolderInfo, type FolderRole, type ItemContent, type WrittenItem, type WrittenProbe } from '../types';
import { countMessages, listMaildirFolders, type MaildirMailboxLocation } from './maildirEndpoint';
import { fileNameDate } from './maildirDates';
import { ioError, maildirError } from './maildirErrors';
import { flagsFromInfo, infoFromFlags, newUniqueName, parseFileName } from './maildirFileName';
import { KeywordMaps } from './maildirKeywords';
import { folderDir, folderIdFor, isInboxPath, ROOT_ID } from './maildirLayout';
import { maildirFs, syncDirs } from './maildirFileWrite';
import { findFile, scanFolder } from './maildirScan';

interface Fingerprinted {
  id: string;
  exactHash: string;
}

/**
 * Creates a Maildir (cur/new/tmp); Maildir++ subfolders also get the `maildirfolder` marker. What
 * it created is made durable (the folder's directory, and each directory that gained an entry on
 * the way: its parent, parents made on the way): a message renamed into it later must not outlive
 * it after a power loss. An existing Maildir costs no sync.
 */
async function makeMaildir(dir: string, subfolder: boolean): Promise<void> {
  const first = await fs.mkdir(dir, { recursive: true });
  const made = await Promise.all(['cur', 'new', 'tmp'].map((sub) => fs.mkdir(path.join(dir, sub), { recursive: true })));
  const marked = subfolder && (await fs.writeFile(path.join(dir, 'maildirfolder'), '', { flag: 'wx' }).then(() => true, (error: NodeJS.ErrnoException) => (error.code === 'EEXIST' ? false : Promise.reject(error))));
  const dirs = made.some((m) => m !== undefined) || marked ? [dir] : [];
  if (first !== undefined) for (let d = dir; d !== path.dirname(first); d = path.dirname(d)) dirs.push(path.dirname(d));
  await syncDirs(dirs);
}

/** Waits for every promise to settle, then rejects with the first failure if any. */
async function settled(promises: readonly Promise<void>[]): Promise<void> {
  const failed = (await Promise.allSettled(promises)).find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
}

function addToIndex(index: Map<string, Fingerprinted[]>, data: Buffer, id: string): void {
  const key = contentFingerprint(data);
  const list = index.get(key) ?? [];
  list.push({ id, exactHash: exactHash(data) });
  index.set(key, list);
}

export class MaildirDestination implements DestinationMailbox {
  readonly itemTypes = ['mail'] as const;
  /** Per folder: content fingerprint -> the files with it; built on the first findWritten. */
  private readonly indexes = new Map<string, Map<string, Fingerprinted[]>>();

  private readonly keywords: KeywordMaps;
  /** Per folder: where the last readFlags saw each file (a delta's flag changes then read no directory per item). */
  private readonly located = new Map<string, Map<string, string>>();

  private constructor(private readonly location: MaildirMailboxLocation, private readonly exists = true) {
    this.keywords = new KeywordMaps((folderId) => folderDir(location.root, folderId));
  }

  /** Opens (and creates when missing, like a delivery agent would) the mailbox's Maildir. */
  static async open(location: MaildirMailboxLocation): Promise<MaildirDestination> {
    try {
      await makeMaildir(location.root, false);
    } catch (error) {
      throw ioError('create', location.root, error);
    }
    return new MaildirDestination(location);
  }

  /**
   * For a verify pass: opens without creating anything. A mailbox that does not exist yet is one
   * the first pass will create: verify checks it could (the nearest existing folder on its path is
   * writable) and lists no folders for it.
   */
  static async inspect(location: MaildirMailboxLocation): Promise<MaildirDestination> {
    const exists = await fs.stat(location.root).then((s) => s.isDirectory(), () => false);
    if (!exists) {
      let dir = path.dirname(location.root);
      while (!(await fs.stat(dir).then((s) => s.isDirectory(), () => false)) && path.dirname(dir) !== dir) dir = path.dirname(dir);
      try {
        await fs.access(dir, fsConstants.W_OK);
      } catch (error) {
        throw ioError('create', location.root, error);
      }
    }
    return new MaildirDestination(location, exists);
  }

  listFolders(): Promise<FolderInfo[]> {
    return this.exists ? listMaildirFolders(this.location) : Promise.resolve([]);
  }

  async ensureFolder(folderPath: string[], role: FolderRole | undefined): Promise<FolderInfo> {
    if (role === 'inbox' || folderPath.length === 0 || isInboxPath(folderPath)) return { id: ROOT_ID, path: ['INBOX'], role: 'inbox', itemType: 'mail', itemCount: await countMessages(this.location.root) };
    // Maildir has no special-use attributes: a role goes to the folder that has it by name ("Sent Items" -> existing "Sent").
    if (role) {
      const existing = (await this.listFolders()).find((f) => f.role === role);
      if (existing) return existing;
    }
    const id = folderIdFor(this.location.layout, folderPath);
    // Only the folder itself becomes a Maildir: a parent that exists only as a parent stays none
    // (Maildir++ needs nothing for it; the fs layout a plain directory, made on the way).
    const dir = folderDir(this.location.root, id);
    try {
      await makeMaildir(dir, this.location.layout === 'maildir++');
    } catch (error) {
      throw ioError('create', dir, error);
    }
    const named = role ?? roleFromPath(folderPath);
    return { id, path: [...folderPath], ...(named ? { role: named } : {}), itemType: 'mail', itemCount: await countMessages(folderDir(this.location.root, id)) };
  }

  /** A batch of one: written, synced and renamed as writeItems does it. */
  async writeItem(folder: FolderInfo, content: ItemContent, signal: AbortSignal): Promise<WrittenItem> {
    const [written] = await this.writeItems(folder, [content], signal);
    return written;
  }

  /**
   * A batch: every file written to tmp/ first, then all renamed into cur/; on any failure the files
   * of the batch are removed again, so the batch is all there or not at all (as the contract asks).
   * Durable when it resolves (the engine then records the batch copied): each file's data synced
   * before its rename (the batch's fdatasyncs in parallel on libuv's pool), cur/ synced after the
   * renames. A name left in tmp/ by a power loss is a stale tmp file, which readers ignore.
   */
  async writeItems(folder: FolderInfo, contents: readonly ItemContent[], signal: AbortSignal): Promise<WrittenItem[]> {
    signal.throwIfAborted();
    const dir = folderDir(this.location.root, folder.id);
    const staged: { unique: string; tmp: string; final: string; content: ItemContent }[] = [];
    const moved: string[] = [];
    const open: number[] = [];
    try {
      const keywords = await this.keywords.get(folder.id);
      // Joined by hand: path.join normalises the whole path again for each message.
      const tmpDir = `${dir}${path.sep}tmp${path.sep}`;
      const curDir = `${dir}${path.sep}cur${path.sep}`;
      for (const content of contents) {
        const unique = newUniqueName(content.data.length, content.date.getTime());
        const info = infoFromFlags(content.flags, (keyword) => keywords.letterFor(keyword));
        staged.push({ unique, tmp: tmpDir + unique, final: `${curDir}${unique}:2,${info}`, content });
      }
      await keywords.save();
      // Synchronous calls for the batch (bounded by writeBatchLimits): three awaited thread-pool
      // round trips per message cost more than the writes themselves on a local disk.
      for (const s of staged) open.push(maildirFs.writeOpen(s.tmp, s.content.data, s.content.date));
      // All settled before any is closed: no descriptor closed while a sync on the pool uses it.
      await settled(open.map((fd) => maildirFs.datasync(fd)));
      while (open.length > 0) maildirFs.close(open.pop() as number);
      for (const s of staged) {
        maildirFs.renameSync(s.tmp, s.final);
        moved.push(s.final);
      }
      await maildirFs.syncDir(`${dir}${path.sep}cur`);
    } catch (error) {
      for (const fd of open) maildirFs.close(fd);
      await Promise.all([...staged.map((s) => s.tmp), ...moved].map((f) => fs.rm(f, { force: true }).catch(() => undefined)));
      throw ioError('write to', dir, error);
    }
    const index = this.indexes.get(folder.id);
    if (index) for (const s of staged) addToIndex(index, s.content.data, s.unique);
    return staged.map((s) => ({ id: s.unique }));
  }

  async findWritten(folder: FolderInfo, probe: WrittenProbe, claimed?: ReadonlySet<string>): Promise<WrittenItem | undefined> {
    const index = await this.indexOf(folder);
    // Maildir keeps bytes as they are: when the probe has the exact hash, line endings must match too.
    const match = index.get(probe.fingerprint)?.find((c) => !claimed?.has(c.id) && (probe.exactHash === undefined || c.exactHash === probe.exactHash));
    if (!match) return undefined;
    // Found after a kill or a cut: it gets the source's flags and date, whatever it was written with.
    if (probe.flags) match.id = await this.restate(folder, match.id, probe.flags, probe.date);
    return { id: match.id };
  }

  /** Flags of the files of a folder, from their names (the folder's keyword letters read anew). */
  async readFlags(folder: FolderInfo, ids: readonly string[], signal: AbortSignal): Promise<Map<string, string[]>> {
    const dir = folderDir(this.location.root, folder.id);
    const wanted = new Set(ids);
    try {
      const files = await scanFolder(dir, signal);
      const keywords = await this.keywords.reload(folder.id);
      this.located.set(folder.id, new Map(files.map((f) => [f.id, f.relPath])));
      return new Map(files.filter((f) => wanted.has(f.id)).map((f) => [f.id, flagsFromInfo(f.info, (l) => keywords.keywordFor(l))]));
    } catch (error) {
      throw ioError('read', dir, error);
    }
  }

  async setFlags(folder: FolderInfo, id: string, flags: readonly string[]): Promise<void> {
    await this.restate(folder, id, flags);
  }

  /** A rename into the other folder's cur/ (the unique name and the file's time stay); keyword letters are the new folder's. */
  async moveItem(from: FolderInfo, id: string, to: FolderInfo, signal: AbortSignal): Promise<WrittenItem> {
    signal.throwIfAborted();
    const fromDir = folderDir(this.location.root, from.id);
    const toDir = folderDir(this.location.root, to.id);
    try {
      const source = await this.keywords.reload(from.id);
      const target = await this.keywords.get(to.id);
      const moved = await this.withFile(from, id, async (relPath) => {
        const flags = flagsFromInfo(parseFileName(path.basename(relPath)).info, (l) => source.keywordFor(l));
        const info = infoFromFlags(flags, (keyword) => target.letterFor(keyword));
        await target.save();
        await maildirFs.rename(path.join(fromDir, relPath), path.join(toDir, 'cur', `${id}:2,${info}`));
        // The new name first: a power loss between the two syncs leaves the message in both
        // folders (found again by its content), never in none.
        await maildirFs.syncDir(path.join(toDir, 'cur'));
        await maildirFs.syncDir(path.dirname(path.join(fromDir, relPath)));
      });
      if (!moved) throw maildirError('MAILDIR-ITEM-GONE', [id, from.path.join('/')]);
      this.located.get(from.id)?.delete(id);
    } catch (error) {
      if (error instanceof ConnectorError) throw error;
      throw ioError('write to', toDir, error);
    }
    this.indexes.delete(from.id);
    this.indexes.delete(to.id);
    return { id };
  }

  async deleteItem(folder: FolderInfo, id: string, signal: AbortSignal): Promise<void> {
    signal.throwIfAborted();
    const dir = folderDir(this.location.root, folder.id);
    try {
      await this.withFile(folder, id, async (relPath) => {
        await maildirFs.unlink(path.join(dir, relPath));
        await maildirFs.syncDir(path.dirname(path.join(dir, relPath)));
      });
      this.located.get(folder.id)?.delete(id);
    } catch (error) {
      throw ioError('write to', dir, error);
    }
    this.indexes.delete(folder.id);
  }

  /**
   * Runs `act` on the file of `id` in `folder`: where the last readFlags saw it (no directory read
   * per item), else looked up, and looked up again when a client renamed it meanwhile (ENOENT).
   * Returns false when the file is not there.
   */
  private async withFile(folder: FolderInfo, id: string, act: (relPath: string) => Promise<void>): Promise<boolean> {
    const dir = folderDir(this.location.root, folder.id);
    const known = this.located.get(folder.id);
    for (let relPath = known?.get(id) ?? (await findFile(dir, id)), tries = 0; relPath && tries < 2; relPath = await findFile(dir, id), tries++) {
      try {
        await act(relPath);
        return true;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    }
    return false;
  }

  /**
   * Gives a message file the info letters of `flags` (moving it into cur/) and, when `date` is
   * given, that date as its mtime and its name's delivery time (a new unique name when the time
   * differs); returns its id.
   */
  private async restate(folder: FolderInfo, id: string, flags: readonly string[], date?: Date): Promise<string> {
    const dir = folderDir(this.location.root, folder.id);
    let unique = id;
    try {
      const keywords = await this.keywords.get(folder.id);
      const info = infoFromFlags(flags, (keyword) => keywords.letterFor(keyword));
      await keywords.save();
      await this.withFile(folder, id, async (relPath) => {
        const file = path.join(dir, relPath);
        const stat = date ? await fs.stat(file) : undefined;
        if (date && stat && fileNameDate(id)?.getTime() !== Math.floor(date.getTime() / 1000) * 1000) unique = newUniqueName(stat.size, date.getTime());
        const wanted = path.join(dir, 'cur', `${unique}:2,${info}`);
        if (file !== wanted) await maildirFs.rename(file, wanted);
        const located = this.located.get(folder.id);
        if (unique !== id) located?.delete(id);
        located?.set(unique, path.relative(dir, wanted));
        if (date && stat && Math.floor(stat.mtimeMs) !== date.getTime()) await maildirFs.touchSynced(wanted, date);
        // cur/ holds the new name; new/ too when the file came from there (it lost one).
        if (file !== wanted) await syncDirs([path.dirname(wanted), path.dirname(file)]);
      });
      return unique;
    } catch (error) {
      throw ioError('write to', dir, error);
    }
  }

  async close(): Promise<void> {
    this.indexes.clear();
    this.located.clear();
    this.keywords.clear();
  }

  private async indexOf(folder: FolderInfo): Promise<Map<string, Fingerprinted[]>> {
    const cached = this.indexes.get(folder.id);
    if (cached) return cached;
    const dir = folderDir(this.location.root, folder.id);
    const index = new Map<string, Fingerprinted[]>();
    try {
      const files = await scanFolder(dir);
      // A few reads at a time: fast on SSDs without exhausting file handles on large folders.
      for (let i = 0; i < files.length; i += 16) {
        await Promise.all(
          files.slice(i, i + 16).map(async (f) => {
            const data = await fs.readFile(path.join(dir, f.relPath)).catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? undefined : Promise.reject(error)));
            if (data) addToIndex(index, data, f.id);
          }),
        );
      }
    } catch (error) {
      throw ioError('read', dir, error);
    }
    this.indexes.set(folder.id, index);
    return index;
  }
}
