// A delta with nothing to do at the destination (issue 17): every folder the store copied shows
// nothing new and no change since its cursor, no folder appeared or went, and no write was left
// unfinished. The check reads the source and the store only, so such a delta never connects to the
// destination; anything else (or a source that cannot tell what changed) runs the full delta, which
// gets the answers the check already had (sourceAnswers.ts) instead of asking the source again.
import { debuglog } from 'node:util';
import { ConnectorError, type FolderCursor, type FolderInfo, type SourceMailbox } from '../connectors/types';
import { withRetries } from './backoff';
import type { PassContext } from './context';
import { FolderRules, type FolderDecision } from './folderRules';
import type { ItemReporter } from './itemReporter';
import { ItemRules } from './itemRules';
import type { MailboxJob } from './job';
import { countedSize, heldForSize } from './mailboxPlan';
import { SkipRecorder } from './skipRecorder';
import { readsMoveKeys } from './moveKeys';
import { keepAnswers } from './sourceAnswers';
import { openSession, type MailboxSession } from './session';

const debug = debuglog('ferry-delta');

export interface QuietDelta {
  /** The source for the rest of the pass (with the check's answers kept when it was not quiet). */
  source: SourceMailbox;
  /** Set when the delta has nothing to do at the destination: what recordQuiet records. */
  quiet?: {
    sourceFolders: FolderInfo[];
    /** Folders the pass leaves out whatever the destination holds (folder rules, item types). */
    skipped: { folder: FolderInfo; decision: FolderDecision }[];
    /** The copied folders, with the cursor their listing gave now. */
    copied: { folder: FolderInfo; cursor: FolderCursor }[];
  };
}

/** Whether a delta of `job` has nothing to do at the destination; asks the source, writes nothing. */
export async function checkQuiet(job: MailboxJob, ctx: PassContext, source: SourceMailbox): Promise<QuietDelta> {
  const answers = keepAnswers(source);
  const loud: QuietDelta = { source: answers.source };
  const { store, retry, signal } = ctx;
  // No interrupted write to settle, and a source that tells what changed.
  if (!source.listChanges || store.progress.intents(job.itemId).length) return loud;
  const sourceFolders = await withRetries('list source folders', () => answers.listFolders(), retry, signal);
  const recorded = new Map(store.progress.folders(job.itemId).map((f) => [f.sourceFolderId, f]));
  const present = new Set(sourceFolders.map((f) => f.id));
  // A recorded folder the source no longer has: its items were moved or deleted.
  for (const f of recorded.values()) if (!present.has(f.sourceFolderId) && store.changes.copiedItems(job.itemId, f.sourceFolderId).length) return loud;
  // Without the destination's folders and types: a folder the rules leave out is left out whatever
  // the destination holds; one they copy must have been copied before (a cursor), so the
  // destination holds its type and has its folder.
  const rules = new FolderRules(job.options, ItemRules.itemTypesFor(job.pass, job.options));
  const quiet: NonNullable<QuietDelta['quiet']> = { sourceFolders, skipped: [], copied: [] };
  for (const folder of sourceFolders) {
    const decision = rules.decide(folder, []);
    if (!decision.copy) {
      quiet.skipped.push({ folder, decision });
      continue;
    }
    const cursor = recorded.get(folder.id)?.cursor;
    if (!cursor) return loud;
    // Items copied before the store kept move keys: the full delta reads them once.
    if (readsMoveKeys(source, folder) && store.changes.hasUnkeyed(job.itemId, folder.id)) return loud;
    const where = folder.path.join('/');
    const listing = await withRetries(`list ${where}`, () => answers.listItems(folder, cursor, signal), retry, signal);
    if (listing.items.length || listing.reset) return loud;
    const changes = await withRetries(`list changes in ${where}`, () => answers.listChanges(folder, cursor, signal), retry, signal);
    if (changes.items.length || changes.removed.length || changes.complete || changes.present) return loud;
    quiet.copied.push({ folder, cursor: listing.cursor });
  }
  return { source: answers.source, quiet };
}

/**
 * The quiet check through the source connector's quiet probe (Connector.openQuietProbe: for IMAP one
 * LIST-STATUS on a lean connection, imapflow not loaded): the session and its check when the delta
 * is quiet. Undefined, the probe closed, when it is not quiet, the probe cannot tell, or anything
 * failed (a login refused included): the delta then opens the full source and checks again, so
 * errors and retries are those of a delta without the probe.
 */
export async function probeQuiet(job: MailboxJob, ctx: PassContext): Promise<{ session: MailboxSession; check: QuietDelta } | undefined> {
  if (!job.sourceEndpoint.type || !(await ctx.connectors(job.sourceEndpoint.type))?.openQuietProbe) return undefined;
  // One attempt, no waits told: a probe that fails costs the full path's login, nothing more.
  const probing: PassContext = { ...ctx, retry: { ...ctx.retry, attempts: 1, patience: 1, onWait: undefined } };
  let session: MailboxSession | undefined;
  try {
    session = await openSession(job, probing, { destinationLater: true, quietProbe: true });
    const check = await checkQuiet(job, probing, session.source);
    // Folders left out with items to record (not an exclusion rule's): the full source lists them.
    if (check.quiet?.skipped.every((s) => !s.decision.skipCode || s.decision.skipCode === 'ENG-024')) return { session, check };
    debug('quiet probe of %s: not quiet', job.source);
  } catch (err) {
    if (ctx.signal.aborted) throw err;
    // Credentials the server refused are refused to the full path too (same server, same mechanism):
    // told now, so a wrong password costs one refused login per pass, not two (lockout counters).
    if (refusedCredentials(err)) {
      await session?.close();
      throw err;
    }
    debug('quiet probe of %s: %s', job.source, err instanceof Error ? err.message : String(err));
  }
  await session?.close();
  return undefined;
}

/**
 * What a full delta records when it finds nothing to do: the folders left out (skips), the
 * mailbox's size (held above its quota, as any pass: the message is returned), each copied folder's
 * cursor, progress. The status it ends in is the caller's, as for any pass.
 */
export async function recordQuiet(job: MailboxJob, ctx: PassContext, report: ItemReporter, source: SourceMailbox, quiet: NonNullable<QuietDelta['quiet']>): Promise<string | undefined> {
  const skips = new SkipRecorder(job, ctx, report);
  for (const { folder, decision } of quiet.skipped) await skips.folder(folder, decision, source);
  skips.done();
  const size = countedSize(quiet.sourceFolders);
  const held = heldForSize(job, ctx, report, size?.sizeItems, size?.sizeBytes);
  if (held) return held;
  report.status('ResyncStarted');
  report.progress(undefined, undefined, true);
  for (const { folder, cursor } of quiet.copied) {
    const sourcePath = folder.path.join('/');
    ctx.store.progress.saveFolder(job.itemId, { sourceFolderId: folder.id, sourcePath, cursor, sourceItems: folder.itemCount, sourceBytes: folder.sizeBytes });
    report.progress(sourcePath, undefined, true);
  }
  return undefined;
}

/**
 * A login the server refused for its credentials (IMAP-AUTH, IMAP-AUTHZ, ...: a mailbox-level
 * failure, never retried); transient failures go the full way, with its retries.
 */
function refusedCredentials(err: unknown): boolean {
  return err instanceof ConnectorError && err.disposition === 'mailbox' && /^[A-Z0-9]+-AUTHZ?$/.test(err.code);
}
