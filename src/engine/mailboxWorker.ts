// Runs one mailbox job: schedule, log in on both sides, verify or analyse, then copy folder by
// folder. Every outcome ends in an item status; errors carry catalog codes.
import { ConnectorError, type FolderInfo } from '../connectors/types';
import { formatMessage } from '../errors/catalog';
import { abortableSleep, withRetries, type RetryPolicy } from './backoff';
import { DestinationClaims } from './claims';
import type { PassContext } from './context';
import type { CopyTarget } from './copyItem';
import { carryChanges, retryChanges } from './deltaChanges';
import { copyFolder } from './folderCopy';
import { keepUnmatched } from './renumberedFolders';
import { ItemReporter } from './itemReporter';
import type { MailboxJob, MailboxOutcome } from './job';
import { heldForSize, planMailbox } from './mailboxPlan';
import { heapForCopying } from './passHeap';
import { checkQuiet, probeQuiet, recordQuiet } from './quietDelta';
import { retryFailedItems } from './retryItems';
import { openSession, type MailboxSession } from './session';
import type { ItemStatus } from './statuses';
import { isStoreFailure } from '../store/storeError';

export async function runMailbox(job: MailboxJob, ctx: PassContext): Promise<MailboxOutcome> {
  const report = new ItemReporter(ctx, job);
  const outcome = (status: ItemStatus, code?: string, message?: string): MailboxOutcome => ({ status, copied: report.copied, bytes: report.bytes, skipped: report.skipped, errors: report.errors, code, message });
  const startAfter = job.startAfter ? new Date(job.startAfter) : undefined;
  if (startAfter && startAfter > ctx.now()) {
    const message = formatMessage('ENG-031', [job.batch, startAfter.toISOString()]);
    report.status('Waiting', { lastErrorCode: null, lastErrorMessage: null }, 'ENG-031', message);
    if (!ctx.waitForSchedule) return outcome('Waiting', 'ENG-031', message);
    try {
      await abortableSleep(startAfter.getTime() - ctx.now().getTime(), ctx.signal);
    } catch {
      return stopped(report, outcome, ctx.signal);
    }
  }
  if (ctx.signal.aborted) return stopped(report, outcome, ctx.signal);
  report.status('Queued', { lastPassId: job.passId, lastPassKind: job.pass, startedAt: ctx.now().toISOString(), endedAt: null });
  let session: MailboxSession | undefined;
  let phase: 'login' | 'copy' = 'login';
  try {
    // A delta asks the source's quiet probe first: quiet, that is all it opens.
    const probed = job.pass === 'delta' ? await probeQuiet(job, ctx) : undefined;
    // Any other pass lists and copies: V8's heap is sized for it now (`ferry run --pass delta` starts under V8's defaults).
    if (!probed) heapForCopying();
    // A delta logs in to the destination only when it finds something to do there.
    session = probed?.session ?? (await openSession(job, { ...ctx, retry: mailboxRetry(ctx, job, false) }, { destinationLater: job.pass === 'delta' }));
    if (job.pass === 'verify') {
      await session.source.listFolders();
      await session.source.checkAccess?.(ctx.signal);
      await (await session.destination()).listFolders();
      ctx.store.errors.resolveMailboxErrors(job.itemId);
      report.status('Completed', { matchState: 'Matched', lastErrorCode: null, lastErrorMessage: null, endedAt: ctx.now().toISOString() });
      return outcome('Completed');
    }
    phase = 'copy';
    // From here on a dropped connection or a restarting server is waited for with patience.
    ctx = { ...ctx, retry: mailboxRetry(ctx, job, true) };
    if (job.pass !== 'retry') report.status('AnalysisStarted');
    const check = probed?.check ?? (job.pass === 'delta' ? await checkQuiet(job, ctx, session.source) : { source: session.source, quiet: undefined });
    if (check.quiet) {
      const held = await recordQuiet(job, ctx, report, check.source, check.quiet);
      if (held) return outcome('ConfirmationRequired', 'ENG-030', held);
    } else {
      // A delta's destination logs in only now: its failures are a login's (NotValid, the login's retries).
      phase = 'login';
      const destination = await session.destination();
      phase = 'copy';
      const t: CopyTarget = { store: ctx.store, source: check.source, destination, retry: ctx.retry, signal: ctx.signal, itemId: job.itemId, passId: job.passId, claims: new DestinationClaims(ctx.store, job.itemId) };
      if (job.pass === 'retry') {
        report.status('InProgress');
        await retryFailedItems(ctx, t, job, report);
        if (!ctx.signal.aborted) await retryChanges(ctx, t, job, report);
      } else {
        const plan = await planMailbox(job, ctx, check.source, destination, report);
        const held = heldForSize(job, ctx, report, plan.sizeItems, plan.sizeBytes);
        if (held) return outcome('ConfirmationRequired', 'ENG-030', held);
        const ensured = new Map<string, FolderInfo>();
        const ensure = async (path: string[], role: FolderInfo['role'], itemType: FolderInfo['itemType']) => {
          // A calendar and a mail folder may share a name (Exchange: Calendar and Inbox/Calendar): the type is part of the key.
          const key = [itemType, ...path].join('\u0000');
          let folder = ensured.get(key) ?? plan.destinationFolders.find((f) => f.itemType === itemType && f.path.join('\u0000') === path.join('\u0000'));
          if (!folder) folder = await withRetries(`create ${path.join('/')}`, () => destination.ensureFolder(path, role, itemType), ctx.retry, ctx.signal);
          ensured.set(key, folder);
          return folder;
        };
        if (job.pass === 'delta') {
          report.status('ResyncStarted');
          await carryChanges(ctx, t, job, report, plan, ensure);
        }
        report.itemsTotal = plan.folders.reduce((s, f) => s + f.pending.length + (f.windowed?.items ?? 0), 0);
        report.bytesTotal = plan.folders.reduce((s, f) => s + f.pending.reduce((b, r) => b + r.sizeBytes, 0) + (f.windowed?.bytes ?? 0), 0);
        report.status(job.pass === 'delta' ? 'ResyncStarted' : 'InProgress');
        report.progress(undefined, undefined, true);
        for (const work of plan.folders) {
          if (ctx.signal.aborted) break;
          const errors = report.errors;
          const copied = await copyFolder(ctx, t, job, report, work, ensure);
          // Not after an item of the folder failed: its old copy may be its own (a retry then finds it).
          if (job.pass === 'delta' && !ctx.signal.aborted && report.errors === errors) keepUnmatched(ctx, t, job, copied);
        }
      }
    }
    if (ctx.signal.aborted) return stopped(report, outcome, ctx.signal);
    ctx.store.errors.resolveMailboxErrors(job.itemId);
    return finish(ctx, job, report, outcome);
  } catch (err) {
    if (ctx.signal.aborted) return stopped(report, outcome, ctx.signal);
    return failed(ctx, job, report, outcome, err, phase);
  } finally {
    await session?.close();
  }
}

/**
 * The pass's retry policy for one mailbox: every wait is told as an ENG-013 notice (what is waited
 * for, how long, which attempt); once the mailbox is open, the policy's patience applies.
 */
function mailboxRetry(ctx: PassContext, job: MailboxJob, open: boolean): RetryPolicy {
  const attempts = open ? Math.max(ctx.retry.attempts, ctx.retry.patience ?? 0) : ctx.retry.attempts;
  return {
    ...ctx.retry,
    attempts,
    onWait: (w) => {
      ctx.retry.onWait?.(w);
      const args = [(w.delayMs / 1000).toFixed(1), w.what, String(w.attempt), String(w.attempts), `${w.error.code}: ${w.error.message}`];
      ctx.events.emit({ type: 'notice', batch: job.batch, item: job.source, code: 'ENG-013', message: formatMessage('ENG-013', args) });
    },
  };
}

function finish(ctx: PassContext, job: MailboxJob, report: ItemReporter, outcome: (s: ItemStatus) => MailboxOutcome): MailboxOutcome {
  const remaining = job.pass === 'retry' ? ctx.store.errors.unresolved(job.itemId).filter((e) => e.sourceItemId).length : report.errors;
  const status: ItemStatus = remaining > 0 ? 'FinishedWithErrors' : job.pass === 'delta' ? 'Resynced' : 'Completed';
  const synced = job.pass === 'full' || job.pass === 'delta' || job.pass === 'retry';
  report.status(status, {
    ...(synced ? { syncState: 'InSync', matchState: 'Migrated' } : {}),
    lastErrorCode: remaining > 0 ? (ctx.store.errors.unresolved(job.itemId).at(-1)?.code ?? null) : null,
    lastErrorMessage: remaining > 0 ? (ctx.store.errors.unresolved(job.itemId).at(-1)?.message ?? null) : null,
    endedAt: ctx.now().toISOString(),
  });
  return outcome(status);
}

/**
 * The abort reason of a runner whose mailbox went to another runner (a distributed worker whose job
 * lease lapsed): it stops at once and records nothing more, since the mailbox's state is the other's now.
 */
export class HandedOver extends Error {}

function stopped(report: ItemReporter, outcome: (s: ItemStatus, code?: string, message?: string) => MailboxOutcome, signal: AbortSignal): MailboxOutcome {
  const message = formatMessage('ENG-061', ['stop requested']);
  if (signal.reason instanceof HandedOver) return outcome('Stopped', 'ENG-061', message);
  report.status('Stopped', { endedAt: new Date().toISOString() }, 'ENG-061', message);
  return outcome('Stopped', 'ENG-061', message);
}

function failed(ctx: PassContext, job: MailboxJob, report: ItemReporter, outcome: (s: ItemStatus, code?: string, message?: string) => MailboxOutcome, err: unknown, phase: 'login' | 'copy'): MailboxOutcome {
  // The state store failed (a full disk, damage): no outcome can be recorded; the pass ends with it.
  if (isStoreFailure(err)) throw err;
  const known = err instanceof ConnectorError;
  const code = known ? err.code : 'ENG-012';
  const args = known ? (err.args.length ? err.args : [err.message]) : [job.source, err instanceof Error ? err.message : String(err)];
  const message = report.error(code, args);
  // Throttled for longer than the retries last: Waiting for the next pass, which goes on where this one stopped.
  if (code === 'ENG-014') {
    report.status('Waiting', { lastErrorCode: code, lastErrorMessage: message, endedAt: ctx.now().toISOString() }, code, message);
    return outcome('Waiting', code, message);
  }
  // Credentials, permissions and missing mailboxes show at login: the seeds call that Not valid.
  // A server that kept dropping the connection (ENG-010) is not a credentials problem.
  const status: ItemStatus = /licen[cs]e/i.test(code) ? 'InsufficientLicenses' : phase === 'login' && known && err.disposition === 'mailbox' && code !== 'ENG-010' ? 'NotValid' : 'Failed';
  report.status(status, { lastErrorCode: code, lastErrorMessage: message, endedAt: ctx.now().toISOString(), ...(status === 'NotValid' ? { matchState: 'NotMatched' } : { syncState: 'Failed' }) }, code, message);
  return outcome(status, code, message);
}
