// Records a mailbox's status, errors and progress in the store and emits them as events.
import type { FolderInfo, ItemRef } from '../connectors/types';
import { formatMessage } from '../errors/catalog';
import type { ItemPatch } from '../store/itemsRepo';
import type { PassContext } from './context';
import { refToJson } from './copyItem';
import type { MailboxJob } from './job';
import type { ItemStatus } from './statuses';

const PROGRESS_EVERY_MS = 200;

export class ItemReporter {
  /** Item-level errors recorded in this pass. */
  errors = 0;
  copied = 0;
  bytes = 0;
  skipped = 0;
  itemsTotal = 0;
  bytesTotal = 0;
  private lastProgress = 0;

  constructor(private readonly ctx: PassContext, private readonly job: MailboxJob) {}

  status(status: ItemStatus, patch: ItemPatch = {}, code?: string, message?: string): void {
    this.ctx.store.items.updateItem(this.job.itemId, { ...patch, status });
    this.ctx.events.emit({ type: 'itemStatus', batch: this.job.batch, item: this.job.source, destination: this.job.destination, status, ...(code ? { code, message } : {}) });
  }

  /**
   * Records an error of the mailbox (no folder), of one item, or of one delta change the
   * destination refused (`change`: its journal row and source item; `ref` then is where a moved
   * item went); returns its message.
   */
  error(code: string, args: string[], where?: { folder: FolderInfo; ref?: ItemRef; subject?: string; change?: { id: number; sourceItemId: string } }): string {
    const message = formatMessage(code, args);
    const subject = this.job.options.logFailedItemSubjects ? where?.subject : undefined;
    // An error of the whole mailbox says how it stands now: it replaces the earlier ones, so a
    // mailbox that fails the same way pass after pass counts one error, not one per pass.
    if (!where) this.ctx.store.errors.resolveMailboxErrors(this.job.itemId);
    this.ctx.store.errors.addError({
      itemId: this.job.itemId,
      passId: this.job.passId,
      sourceFolderId: where?.folder.id,
      folderPath: where?.folder.path.join('/'),
      sourceItemId: where?.change?.sourceItemId ?? where?.ref?.id,
      itemRef: where?.ref ? refToJson(where.ref) : undefined,
      changeId: where?.change?.id,
      code,
      message,
      subject,
    });
    if (where?.ref || where?.change) this.errors++;
    this.ctx.events.emit({ type: 'error', batch: this.job.batch, item: this.job.source, code, message, ...(where ? { folder: where.folder.path.join('/') } : {}) });
    return message;
  }

  /** Counts a batch of copied items at once (one event for the batch, within the same 200 ms pace). */
  copiedBatch(folder: string, items: number, bytes: number): void {
    this.copied += items;
    this.bytes += bytes;
    this.progress(folder);
  }

  /** Counts a copied item; emits progress at most every 200 ms unless forced. */
  progress(folder: string | undefined, copiedBytes?: number, force = false): void {
    if (copiedBytes !== undefined) {
      this.copied++;
      this.bytes += copiedBytes;
    }
    const now = Date.now();
    if (!force && now - this.lastProgress < PROGRESS_EVERY_MS) return;
    this.lastProgress = now;
    this.ctx.events.emit({
      type: 'progress',
      batch: this.job.batch,
      item: this.job.source,
      ...(folder ? { folder } : {}),
      itemsDone: this.copied,
      itemsTotal: Math.max(this.itemsTotal, this.copied),
      bytesDone: this.bytes,
      bytesTotal: Math.max(this.bytesTotal, this.bytes),
    });
  }
}
