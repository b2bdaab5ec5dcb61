// Reading Exchange's full-fidelity export (EWS ExportItems, Graph's mailbox exportItems) one item
// at a time, as the engine reads, without a request per item: a read exports the item with up to
// 19 of the items listed after it (within a byte budget) and keeps them for the reads that follow.
// Shared by the Exchange and Microsoft 365 full-fidelity sources.
import type { FolderInfo, ItemRef } from './types';

/** Exchange's limit of items per export call (Graph's exportItems; EWS servers are configured alike). */
export const EXPORT_BATCH = 20;
/** Bytes one export reads ahead at most (item sizes as listed); the item asked for is always exported. */
export const EXPORT_BYTES = 8 * 1024 * 1024;
/** Exported items kept for later reads at most (read ahead, not read yet). */
const CACHE_LIMIT = 3 * EXPORT_BATCH;

/** Exports `ids` in one call: per id, in order, its data or the error that item got. */
export type ExportMany = (folder: FolderInfo, ids: string[]) => Promise<(Buffer | Error)[]>;

export class ExportReadAhead {
  /** Exported (or being exported) content by item id; settled promises carry a no-op catch. */
  private readonly cache = new Map<string, Promise<Buffer>>();
  /** Items as last listed, by folder id: what to read ahead. */
  private readonly listed = new Map<string, readonly ItemRef[]>();

  constructor(private readonly exportMany: ExportMany) {}

  /** What a listing of the folder returned: the order reads will follow. */
  listedItems(folder: FolderInfo, items: readonly ItemRef[]): void {
    this.listed.set(folder.id, items);
  }

  /** The item's exported data, from the read-ahead or a new export of it and the items after it. */
  async read(folder: FolderInfo, ref: ItemRef): Promise<Buffer> {
    let pending = this.cache.get(ref.id);
    if (!pending) {
      this.exportFrom(folder, this.batchFrom(folder, ref.id));
      pending = this.cache.get(ref.id)!;
    }
    try {
      return await pending;
    } finally {
      // Read once: a retry after a failure exports again.
      this.cache.delete(ref.id);
    }
  }

  clear(): void {
    this.cache.clear();
  }

  /** `id` and up to 19 of the items listed after it that are not exported yet, within EXPORT_BYTES. */
  private batchFrom(folder: FolderInfo, id: string): string[] {
    const listed = this.listed.get(folder.id) ?? [];
    const at = listed.findIndex((r) => r.id === id);
    const batch = [id];
    let bytes = at >= 0 ? listed[at].sizeBytes : 0;
    for (let i = at + 1; at >= 0 && i < listed.length && batch.length < EXPORT_BATCH; i++) {
      const next = listed[i];
      if (this.cache.has(next.id)) continue;
      if (bytes + next.sizeBytes > EXPORT_BYTES) break;
      bytes += next.sizeBytes;
      batch.push(next.id);
    }
    return batch;
  }

  private exportFrom(folder: FolderInfo, ids: string[]): void {
    const call = this.exportMany(folder, ids);
    ids.forEach((id, i) => {
      const one = call.then((results) => {
        const result = results[i];
        if (result instanceof Error) throw result;
        return result;
      });
      // Read-ahead items may never be read (rules skip them): their failures must not go unhandled.
      one.catch(() => undefined);
      this.cache.set(id, one);
    });
    // Keep memory bounded: forget the oldest read-ahead items (read later, they are exported again).
    for (const key of this.cache.keys()) {
      if (this.cache.size <= CACHE_LIMIT) break;
      if (!ids.includes(key)) this.cache.delete(key);
    }
  }
}
