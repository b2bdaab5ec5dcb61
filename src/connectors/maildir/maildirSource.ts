// A Maildir mailbox as a source. Items are the files of cur/ and new/; the cursor is a watermark
// (the newest mtime seen and the ids at that mtime) rather than the set of ids seen, so it stays
// small however large the folder grows.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { FolderChanges, FolderCursor, FolderInfo, ItemContent, ItemListing, ItemRef, SourceMailbox } from '../types';
import { flagsFromInfo, parseFileName } from './maildirFileName';
import { deliveryDate } from './maildirDates';
import { ioError, itemReadError, maildirError } from './maildirErrors';
import { listMaildirFolders, type MaildirMailboxLocation } from './maildirEndpoint';
import { KeywordMaps, type KeywordMap } from './maildirKeywords';
import { folderDir } from './maildirLayout';
import { findFile, nameOf, scanFolder, type MessageFile } from './maildirScan';

/** The Maildir cursor: everything older than `mtimeMs`, and `ids` at exactly `mtimeMs`, was listed. */
export interface MaildirCursor {
  mtimeMs: number;
  ids: string[];
}

function readCursor(cursor: FolderCursor | undefined): MaildirCursor | undefined {
  if (!cursor || typeof cursor.mtimeMs !== 'number' || !Array.isArray(cursor.ids)) return undefined;
  return { mtimeMs: cursor.mtimeMs, ids: cursor.ids.filter((id): id is string => typeof id === 'string') };
}

/** Whether a file is new since the cursor. */
function isAfter(file: MessageFile, cursor: MaildirCursor | undefined, seenAtMark: ReadonlySet<string>): boolean {
  if (!cursor) return true;
  return file.mtimeMs > cursor.mtimeMs || (file.mtimeMs === cursor.mtimeMs && !seenAtMark.has(file.id));
}

/** The cursor after a listing: the newest mtime of the folder and every id at it. */
function nextCursor(files: readonly MessageFile[], previous: MaildirCursor | undefined): MaildirCursor {
  let mark = previous?.mtimeMs ?? 0;
  for (const f of files) if (f.mtimeMs > mark) mark = f.mtimeMs;
  const ids = new Set(previous && previous.mtimeMs === mark ? previous.ids : []);
  for (const f of files) if (f.mtimeMs === mark) ids.add(f.id);
  return { mtimeMs: mark, ids: [...ids].sort() };
}

export class MaildirSource implements SourceMailbox {
  /** Where each listed id was, per folder, so reading needs no directory scan. */
  private readonly located = new Map<string, Map<string, string>>();

  private readonly keywords: KeywordMaps;

  /**
   * The scan a listing made, per folder, taken by the delta's listChanges that follows it in the
   * same pass: one stat of each file per delta instead of two. A change made between the two calls
   * is seen by the next delta, as one made just after the scan would be.
   */
  private readonly listed = new Map<string, { files: MessageFile[]; refOf: (f: MessageFile) => ItemRef }>();

  constructor(private readonly location: MaildirMailboxLocation) {
    this.keywords = new KeywordMaps((folderId) => folderDir(location.root, folderId));
  }

  listFolders(): Promise<FolderInfo[]> {
    return listMaildirFolders(this.location);
  }

  /** Every message file of a folder (remembered for reading) and the folder's keyword letters. */
  private async scan(folder: FolderInfo, signal: AbortSignal): Promise<{ files: MessageFile[]; refOf: (f: MessageFile) => ItemRef }> {
    const dir = folderDir(this.location.root, folder.id);
    let files: MessageFile[];
    let keywords: KeywordMap;
    try {
      files = await scanFolder(dir, signal);
      keywords = await this.keywords.reload(folder.id);
    } catch (error) {
      throw ioError('list', dir, error);
    }
    this.located.set(folder.id, new Map(files.map((f) => [f.id, f.relPath])));
    const refOf = (f: MessageFile): ItemRef => ({ id: f.id, sizeBytes: f.sizeBytes, date: new Date(f.mtimeMs), flags: flagsFromInfo(f.info, (l) => keywords.keywordFor(l)), itemType: 'mail' });
    return { files, refOf };
  }

  async listItems(folder: FolderInfo, cursor: FolderCursor | undefined, signal: AbortSignal): Promise<ItemListing> {
    const scanned = await this.scan(folder, signal);
    this.listed.set(folder.id, scanned);
    const { files, refOf } = scanned;
    const previous = readCursor(cursor);
    const seenAtMark = new Set(previous?.ids ?? []);
    const dir = folderDir(this.location.root, folder.id);
    const listed = files.filter((f) => isAfter(f, previous, seenAtMark)).sort((a, b) => a.mtimeMs - b.mtimeMs || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    // Dates from the messages' names (file times change when a Maildir is copied), from their
    // headers only for a name without a time.
    const items: ItemRef[] = [];
    try {
      for (let i = 0; i < listed.length; i += 1000) {
        if (i > 0) await new Promise<void>((resolve) => setImmediate(resolve));
        signal.throwIfAborted();
        for (const f of listed.slice(i, i + 1000)) items.push({ ...refOf(f), date: deliveryDate(`${dir}${path.sep}${f.relPath}`, nameOf(f.relPath), f.mtimeMs) });
      }
    } catch (error) {
      throw ioError('list', dir, error);
    }
    return { items, cursor: { ...nextCursor(files, previous) }, reset: false };
  }

  /** A delta's changes: the file names carry the flags, so a listing of the folder is every item's state. */
  async listChanges(folder: FolderInfo, _cursor: FolderCursor | undefined, signal: AbortSignal): Promise<FolderChanges> {
    const { files, refOf } = this.listed.get(folder.id) ?? (await this.scan(folder, signal));
    this.listed.delete(folder.id);
    return { items: files.map(refOf), removed: [], complete: true };
  }

  async readItem(folder: FolderInfo, ref: ItemRef, signal: AbortSignal): Promise<ItemContent> {
    signal.throwIfAborted();
    const dir = folderDir(this.location.root, folder.id);
    let relPath = this.located.get(folder.id)?.get(ref.id);
    for (let attempt = 0; attempt < 3; attempt++) {
      relPath ??= await findFile(dir, ref.id);
      if (!relPath) break;
      try {
        // Joined by hand, as the scan does: path.join normalises the whole path again per message.
        const file = `${dir}${path.sep}${relPath}`;
        // Synchronous: on a local disk the awaited open, stat, read and close of readFile (four
        // thread-pool round trips) cost more than reading the file.
        const data = readFileSync(file);
        const keywords = await this.keywords.get(folder.id);
        const flags = flagsFromInfo(parseFileName(nameOf(relPath)).info, (l) => keywords.keywordFor(l));
        // The date the listing read from the message and its name (a retried item carries it too).
        return { format: 'rfc822', data, flags, date: ref.date };
      } catch (error) {
        // A flag change renamed the file, or new/ -> cur/ moved it: look it up again.
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw itemReadError(ioError('read', path.join(dir, relPath), error), ref.id, folder.path.join('/'));
        relPath = undefined;
      }
    }
    throw maildirError('MAILDIR-ITEM-GONE', [ref.id, folder.path.join('/')]);
  }

  async close(): Promise<void> {
    this.located.clear();
    this.listed.clear();
  }
}
