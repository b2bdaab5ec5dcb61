// An Exchange source whose destination is Exchange too: items are read with ExportItems, Exchange's
// own full-fidelity stream (every MAPI property, attachments, recurrences, contacts and tasks as
// they are), up to 20 a call with the read-ahead, and written on the other side with UploadItems.
// Listing and cursors are the MIME source's (SyncFolderItems).
import { ExportReadAhead } from '../exportReadAhead';
import type { FolderCursor, FolderInfo, ItemContent, ItemListing, ItemRef } from '../types';
import { exportItems } from './ewsExportImport';
import { EwsSource } from './ewsSource';

export class EwsFullFidelitySource extends EwsSource {
  private signal = new AbortController().signal;
  private readonly readAhead = new ExportReadAhead((_folder, ids) => exportItems(this.session, ids, this.signal));

  override async listItems(folder: FolderInfo, cursor: FolderCursor | undefined, signal: AbortSignal): Promise<ItemListing> {
    const listing = await super.listItems(folder, cursor, signal);
    this.readAhead.listedItems(folder, listing.items);
    return listing;
  }

  override async readItem(folder: FolderInfo, ref: ItemRef, signal: AbortSignal): Promise<ItemContent> {
    signal.throwIfAborted();
    this.signal = signal;
    return { format: 'opaque', data: await this.readAhead.read(folder, ref), flags: ref.flags, date: ref.date };
  }

  override async close(): Promise<void> {
    this.readAhead.clear();
    await super.close();
  }
}
