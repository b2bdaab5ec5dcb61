// The `dovecot-keywords` file of a Maildir folder: line `<n> <keyword>` gives keyword n the
// file-name letter 'a' + n. Dovecot reads and writes the same file, so keywords survive both ways.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { maildirFs } from './maildirFileWrite';

const FILE = 'dovecot-keywords';
/** Maildir has 26 keyword letters; further keywords cannot be stored in a file name. */
const MAX = 26;

/** The keyword letters of one folder, loaded from disk and extended on write. */
export class KeywordMap {
  private readonly byIndex: (string | undefined)[] = [];
  private dirty = false;
  private saving: Promise<void> = Promise.resolve();

  private constructor(private readonly dir: string) {}

  /** Reads the folder's keyword file (none yet is an empty map). */
  static async load(dir: string): Promise<KeywordMap> {
    const map = new KeywordMap(dir);
    let text = '';
    try {
      text = await fs.readFile(path.join(dir, FILE), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    for (const line of text.split('\n')) {
      const m = /^(\d+) (.+)$/.exec(line.trim());
      if (m && Number(m[1]) < MAX) map.byIndex[Number(m[1])] = m[2];
    }
    return map;
  }

  /** The keyword a letter stands for. */
  keywordFor(letter: string): string | undefined {
    return this.byIndex[letter.charCodeAt(0) - 97];
  }

  /** The letter for a keyword, assigning the next free one; undefined when all 26 are taken. */
  letterFor(keyword: string): string | undefined {
    let index = this.byIndex.findIndex((k) => k !== undefined && k.toLowerCase() === keyword.toLowerCase());
    if (index === -1) {
      index = this.byIndex.findIndex((k) => k === undefined);
      if (index === -1) index = this.byIndex.length;
      if (index >= MAX) return undefined;
      this.byIndex[index] = keyword;
      this.dirty = true;
    }
    return String.fromCharCode(97 + index);
  }

  /**
   * Writes the file if letters were added (through tmp + rename so readers never see half of it).
   * Saves run one after the other: a message written at the same time as another (the engine
   * writes a few at once) is never left with a letter the file lost in a race between two saves.
   * When it resolves, every letter assigned before the call is on disk, durably (data synced
   * before the rename, the folder synced after it): a message file naming a letter comes later.
   */
  save(): Promise<void> {
    const run = this.saving.then(() => this.write());
    this.saving = run.catch(() => undefined);
    return run;
  }

  private async write(): Promise<void> {
    if (!this.dirty) return;
    // Cleared first: a letter assigned while this write is under way makes the next save write again.
    this.dirty = false;
    const text = this.byIndex.map((k, i) => (k === undefined ? '' : `${i} ${k}\n`)).join('');
    const tmp = path.join(this.dir, `${FILE}.${process.pid}.tmp`);
    try {
      await maildirFs.writeSynced(tmp, text);
      await maildirFs.rename(tmp, path.join(this.dir, FILE));
      await maildirFs.syncDir(this.dir);
    } catch (error) {
      this.dirty = true;
      throw error;
    }
  }
}

/** The keyword maps of a mailbox's folders, each loaded on first use. */
export class KeywordMaps {
  /** The loading or loaded map: writers that ask at the same time share one map (and its saves). */
  private readonly maps = new Map<string, Promise<KeywordMap>>();

  constructor(private readonly dirOf: (folderId: string) => string) {}

  get(folderId: string): Promise<KeywordMap> {
    let map = this.maps.get(folderId);
    if (!map) {
      map = KeywordMap.load(this.dirOf(folderId));
      this.maps.set(folderId, map);
      // A failed load is not kept: the next writer tries again.
      map.catch(() => this.maps.get(folderId) === map && this.maps.delete(folderId));
    }
    return map;
  }

  /** Reads a folder's map anew: another writer may have added keywords since. */
  async reload(folderId: string): Promise<KeywordMap> {
    this.maps.delete(folderId);
    return this.get(folderId);
  }

  clear(): void {
    this.maps.clear();
  }
}
