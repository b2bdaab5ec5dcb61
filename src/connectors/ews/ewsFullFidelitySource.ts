// An Exchange source whose destination is Exchange too: items are read with ExportItems, Exchange's
// own full-fidelity stream (every MAPI property, attachments, recurrences, contacts and tasks as
// they are), and written on the other side with UploadItems. Listing and cursors are the MIME
// source's (SyncFolderItems).
import type { FolderInfo, ItemContent, ItemRef } from '../types';
import { exportItems } from './ewsExportImport';
import { EwsSource } from './ewsSource';

export class EwsFullFidelitySource extends EwsSource {
  override async readItem(folder: FolderInfo, ref: ItemRef, signal: AbortSignal): Promise<ItemContent> {
    const [data] = await exportItems(this.session, [ref.id], signal);
    return { format: 'opaque', data, flags: ref.flags, date: ref.date };
  }
}
