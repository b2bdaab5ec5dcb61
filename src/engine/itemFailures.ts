// An item that cannot be copied is recorded with its code and the folder goes on, until more items
// failed than options.badItemLimit allows: then the mailbox has a real problem and stops.
import { ConnectorError, FolderRenumbered, type FolderInfo, type ItemContent, type ItemRef } from '../connectors/types';
import { subjectOf, type CopyTarget } from './copyItem';
import type { ItemReporter } from './itemReporter';
import type { MailboxJob } from './job';

/** Thrown when more items failed than options.badItemLimit allows. */
export class BadItemLimitError extends ConnectorError {}

/**
 * Handles an error of one item: recorded when it is an item error, ignored once the pass is
 * stopping, anything else rethrown (the mailbox fails). Throws BadItemLimitError past the limit.
 */
export function recordItemFailure(t: CopyTarget, job: MailboxJob, report: ItemReporter, from: FolderInfo, ref: ItemRef, content: ItemContent | undefined, err: unknown): void {
  if (t.signal.aborted) return;
  // Not the item's fault: its folder was renumbered, and copyFolder lists it anew.
  if (!(err instanceof ConnectorError) || err.disposition !== 'item' || err instanceof FolderRenumbered) throw err;
  report.error(err.code, err.args.length ? err.args : [err.message], { folder: from, ref, subject: content ? subjectOf(content.data) : undefined });
  checkBadItemLimit(job, report);
}

/** Throws BadItemLimitError once more items (or delta changes) failed in this pass than options.badItemLimit allows. */
export function checkBadItemLimit(job: MailboxJob, report: ItemReporter): void {
  if (report.errors > job.options.badItemLimit) {
    throw new BadItemLimitError('ENG-011', 'bad item limit exceeded', 'mailbox', [job.source, String(report.errors), String(job.options.badItemLimit)]);
  }
}
