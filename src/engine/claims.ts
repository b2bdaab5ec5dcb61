// Which destination items already stand for a source item, per destination folder. A destination
// item satisfies one source item only: settling an interrupted write, probing before a write and
// asking whether a cut write landed all pass these ids to findWritten as excluded, so N identical
// source items (the same mail filed twice, imported twice) need N destination items, and work on
// one content in one folder runs one at a time (an identical twin's write in flight cannot be
// taken for this item's).
import type { Store } from '../store/store';

export class DestinationClaims {
  private readonly byFolder = new Map<string, Set<string>>();
  private readonly queues = new Map<string, Promise<unknown>>();
  /** Per destination folder, copies released by a renumbered source folder and not found again yet (release). */
  private readonly released = new Map<string, Map<string, { sourceFolderId: string; sourceItemId: string }>>();

  constructor(
    private readonly store: Store,
    private readonly itemId: number,
  ) {}

  /**
   * The ids of `folderId` claimed by watermarks and by intents that know their item (loaded on
   * first use, then kept up to date by `claim`). `except`: an intent's own created item.
   */
  taken(folderId: string, except?: string): ReadonlySet<string> {
    let ids = this.byFolder.get(folderId);
    if (!ids) this.byFolder.set(folderId, (ids = this.store.progress.claimedIds(this.itemId, folderId)));
    if (except === undefined || !ids.has(except)) return ids;
    const others = new Set(ids);
    others.delete(except);
    return others;
  }

  /** Records that `id` now stands for a source item (call with every watermark recorded). */
  claim(folderId: string, id: string): void {
    this.byFolder.get(folderId)?.add(id);
    this.released.get(folderId)?.delete(id);
  }

  /**
   * A source folder renumbered (its ids all changed): the destination items its watermarks name in
   * `folderId` (destination id -> old source id) stand for nothing the source lists now. They are
   * free to be found again by content; the old watermark of one found goes when the new one is
   * recorded (`renumberedFrom`), so each copy keeps one watermark and nothing is written twice.
   */
  private release(folderId: string, sourceFolderId: string, copies: ReadonlyMap<string, string>): void {
    const taken = this.taken(folderId) as Set<string>;
    let released = this.released.get(folderId);
    if (!released) this.released.set(folderId, (released = new Map()));
    for (const [id, sourceItemId] of copies) {
      taken.delete(id);
      released.set(id, { sourceFolderId, sourceItemId });
    }
  }

  /**
   * Releases the copies of source folder `sourceFolderId` in `folderId` whose watermarks name ids
   * the folder no longer uses (`currentPrefix`: what the ids it uses now start with, ItemListing.idPrefix;
   * absent, every copy: the folder was renumbered). Copies under current ids stay claimed: the store
   * knows them copied, nothing writes them again, and no other item may take them for its own.
   * Returns how many were released.
   */
  releaseStale(folderId: string, sourceFolderId: string, currentPrefix?: string): number {
    const copies = this.store.progress.copiesInto(this.itemId, sourceFolderId, folderId, currentPrefix);
    if (copies.size > 0) this.release(folderId, sourceFolderId, copies);
    return copies.size;
  }

  /** Copies found again in place of an old watermark since the last `takeFoundAgain` (they were not copied now). */
  private foundAgain = { items: 0, bytes: 0 };

  noteFoundAgain(bytes: number): void {
    this.foundAgain.items++;
    this.foundAgain.bytes += bytes;
  }

  /** How many copies (and their bytes) were found again since the last call, counted as copied by the copy paths. */
  takeFoundAgain(): { items: number; bytes: number } {
    const taken = this.foundAgain;
    this.foundAgain = { items: 0, bytes: 0 };
    return taken;
  }

  /** The old source item whose watermark named destination item `id` before its folder was renumbered (release). */
  renumberedFrom(folderId: string, id: string): { sourceFolderId: string; sourceItemId: string } | undefined {
    return this.released.get(folderId)?.get(id);
  }

  /** Runs `work` once the work queued before it on the same content in the same folder is done. */
  async oneAtATime<T>(folderId: string, fingerprint: string, work: () => Promise<T>): Promise<T> {
    const key = `${folderId}\0${fingerprint}`;
    const before = this.queues.get(key) ?? Promise.resolve();
    const mine = before.then(work, work);
    const settled = mine.catch(() => undefined);
    this.queues.set(key, settled);
    try {
      return await mine;
    } finally {
      if (this.queues.get(key) === settled) this.queues.delete(key);
    }
  }
}
