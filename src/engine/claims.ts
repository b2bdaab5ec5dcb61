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
