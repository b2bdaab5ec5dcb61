// Nothing left behind without a word: every item a pass does not copy is recorded with its catalog
// code (date range, size, an item type the plan or the destination leaves out), and every folder
// the plan's folder rules leave out is recorded with the rule.
import type { FolderInfo, ItemRef, SourceMailbox } from '../connectors/types';
import type { ExcludedFolderRow } from '../store/skipsRepo';
import type { Store } from '../store/store';
import { eachListed } from './listingWindows';
import type { PassContext } from './context';
import type { FolderDecision } from './folderRules';
import type { ItemReporter } from './itemReporter';
import type { MailboxJob } from './job';

/** Records one item not copied, with its code; its subject only where the plan allows subjects in logs. */
export function recordSkippedItem(store: Store, job: MailboxJob, report: ItemReporter, folder: FolderInfo, ref: ItemRef, code: string, sizeBytes = ref.sizeBytes): void {
  store.skips.record({
    itemId: job.itemId,
    sourceFolderId: folder.id,
    sourceItemId: ref.id,
    folderPath: folder.path.join('/'),
    code,
    sizeBytes,
    date: ref.date,
    subject: job.options.logFailedItemSubjects ? ref.subject : undefined,
    passId: job.passId,
  });
  report.skipped++;
}

export class SkipRecorder {
  private readonly excluded: (ExcludedFolderRow & { sourceFolderId: string })[] = [];

  constructor(private readonly job: MailboxJob, private readonly ctx: PassContext, private readonly report: ItemReporter) {}

  /** One item not copied, with its code. */
  item(folder: FolderInfo, ref: ItemRef, code: string): void {
    recordSkippedItem(this.ctx.store, this.job, this.report, folder, ref, code);
  }

  /**
   * A folder the pass does not copy: left out by a folder rule (recorded with the rule), or of an
   * item type the plan or the destination leaves out (its items listed and recorded one by one).
   * A pre-stage holds calendars, contacts and tasks back for the full pass: not a skip.
   */
  async folder(folder: FolderInfo, decision: FolderDecision, source: SourceMailbox): Promise<void> {
    if (!decision.skipCode) return;
    if (decision.skipCode === 'ENG-024') {
      this.excluded.push({ sourceFolderId: folder.id, folderPath: folder.path.join('/'), code: decision.skipCode, rule: decision.rule ?? '', ...(folder.itemCount === undefined ? {} : { itemCount: folder.itemCount }) });
      return;
    }
    if (decision.skipCode === 'ENG-022' && this.job.pass === 'prestage' && this.job.options.itemTypes.includes(folder.itemType)) return;
    const code = decision.skipCode;
    await eachListed(source, folder, undefined, this.ctx.retry, this.ctx.signal, (refs) => {
      for (const ref of refs) this.item(folder, ref, code);
    });
  }

  /** Records the folders left out this pass (replacing what an earlier pass recorded). */
  done(): void {
    this.ctx.store.skips.replaceExcludedFolders(this.job.itemId, this.excluded, this.job.passId);
  }
}
