// The retry pass of one mailbox: only the items whose errors are still open, read again by the
// reference stored with the error, into the folder the earlier pass mapped them to.
import type { FolderInfo, ItemRef } from '../connectors/types';
import { withRetries } from './backoff';
import type { PassContext } from './context';
import { refFromJson, type CopyTarget } from './copyItem';
import { copyItems } from './folderCopy';
import type { ItemReporter } from './itemReporter';
import type { MailboxJob } from './job';
import { notCopied } from './listingWindows';

export async function retryFailedItems(ctx: PassContext, t: CopyTarget, job: MailboxJob, report: ItemReporter): Promise<void> {
  // Errors of delta changes (changeId) are made again by retryChanges, not copied.
  const open = ctx.store.errors.unresolved(job.itemId).filter((e) => e.sourceFolderId && e.itemRef && e.changeId === undefined);
  const byFolder = new Map<string, { ids: number[]; refs: Map<string, ItemRef> }>();
  for (const e of open) {
    const group = byFolder.get(e.sourceFolderId!) ?? { ids: [], refs: new Map<string, ItemRef>() };
    group.ids.push(e.id);
    const ref = refFromJson(e.itemRef!);
    group.refs.set(ref.id, ref);
    byFolder.set(e.sourceFolderId!, group);
  }
  const sourceFolders = await withRetries('list source folders', () => t.source.listFolders(), ctx.retry, ctx.signal);
  report.itemsTotal = [...byFolder.values()].reduce((s, g) => s + g.refs.size, 0);
  for (const [folderId, group] of byFolder) {
    if (ctx.signal.aborted) return;
    const from = sourceFolders.find((f) => f.id === folderId);
    const record = ctx.store.progress.folder(job.itemId, folderId);
    if (!from || !record?.destinationPath) continue;
    const to: FolderInfo = await t.destination.ensureFolder(record.destinationPath.split('/'), from.role, from.itemType);
    // The old errors close now; an item that fails again gets a new one.
    for (const id of group.ids) ctx.store.errors.resolve(id);
    await copyItems(t, job, report, from, to, notCopied(ctx.store, job.itemId, folderId, [...group.refs.values()]).refs, false);
  }
}
