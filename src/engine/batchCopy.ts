// Copies a folder in batches when the destination writes several items at once (writeItems: IMAP
// MULTIAPPEND). Per batch: one transaction records every intent, one write stores the batch, and the
// batch's watermarks (which clear its intents) are committed in the transaction of the next batch's
// intents, or alone when no batch follows: one commit per batch. Reading the next batch from the
// source overlaps writing this one to the destination; at most one batch has intents at any time
// (its watermarks and the next batch's intents commit together), so a kill -9 at any moment leaves
// at most one batch of intents, which the next pass settles item by item with findWritten
// (resolveIntents): the batch is neither lost nor copied twice.
import { chunksWithin } from '../connectors/chunks';
import { probeOfAsync } from '../connectors/offThreadHash';
import { ConnectorError, writeBatchLimits, type FolderInfo, type ItemContent, type ItemRef, type WrittenItem, type WrittenProbe } from '../connectors/types';
import { withRetries } from './backoff';
import { copyContent, copyRecord, intentProbe, readContent, recordCopies, type CopyTarget } from './copyItem';
import type { CopyRecord } from '../store/progressRepo';
import { recordItemFailure } from './itemFailures';
import { holdPoint } from '../store/holdPoint';
import { heapGrowthForBatch } from './passHeap';
import type { ItemReporter } from './itemReporter';
import type { MailboxJob } from './job';

interface ReadItem {
  ref: ItemRef;
  content: ItemContent;
  probe: WrittenProbe;
}

/**
 * The watermarks of the batch written last, held until the next commit: the next batch's intents
 * take them into their transaction (`commit`), or they are committed alone (`commit()` at the end).
 * Until then the batch's intents stand for it.
 */
class HeldWatermarks {
  private held: { records: CopyRecord[]; bytes: number } | undefined;

  constructor(
    private readonly t: CopyTarget,
    private readonly report: ItemReporter,
    private readonly folder: string,
  ) {}

  hold(records: CopyRecord[], bytes: number): void {
    this.held = { records, bytes };
  }

  /** One transaction: the held watermarks and `more` (the next batch's intents); then they count as copied. */
  commit(more?: () => void): void {
    const held = this.held;
    this.held = undefined;
    if (!held && !more) return;
    this.t.store.tx(() => {
      if (held) recordCopies(this.t, held.records);
      more?.();
    });
    if (held) this.report.copiedBatch(this.folder, held.records.length, held.bytes);
  }
}

/** Consecutive runs of refs within the batch limits (by the sizes the listing gave); a larger item goes alone. */
export function batchesOf(refs: readonly ItemRef[], limits: { items: number; bytes: number } = writeBatchLimits): ItemRef[][] {
  return chunksWithin(refs, (ref) => ref.sizeBytes, limits);
}

/**
 * `probeFirst` (the destination may hold items the store does not know: a lost or moved state
 * folder, a cursor reset): each batch is first looked for at the destination in one question
 * (findWrittenMany); what is there is recorded, the rest written as a batch.
 */
export async function copyInBatches(t: CopyTarget, job: MailboxJob, report: ItemReporter, from: FolderInfo, to: FolderInfo, refs: readonly ItemRef[], probeFirst = false): Promise<void> {
  let writing: Promise<void> | undefined;
  let failure: unknown;
  const held = new HeldWatermarks(t, report, from.path.join('/'));
  try {
    for (const batch of batchesOf(refs)) {
      if (failure !== undefined || t.signal.aborted) break;
      heapGrowthForBatch(batch.length, batch.reduce((sum, r) => sum + r.sizeBytes, 0));
      const read = await readBatch(t, job, report, from, batch);
      await writing;
      if (failure !== undefined || t.signal.aborted) break;
      // Not awaited here: the next batch is read meanwhile. The catch keeps the rejection handled.
      writing = (probeFirst ? settleThenWrite(t, job, report, from, to, read, held) : writeBatch(t, job, report, from, to, read, held)).catch((err: unknown) => {
        failure ??= err;
      });
    }
  } finally {
    await writing;
    // Also when stopping or failing: a batch that was written is recorded.
    held.commit();
  }
  if (failure !== undefined) throw failure;
}

/**
 * Reads a batch (the source reads ahead); an item that cannot be read gets its error and stays out.
 * A large item is hashed off the main thread while the next one is read.
 */
async function readBatch(t: CopyTarget, job: MailboxJob, report: ItemReporter, from: FolderInfo, refs: readonly ItemRef[]): Promise<ReadItem[]> {
  const read: (ReadItem | Promise<ReadItem>)[] = [];
  for (const ref of refs) {
    if (t.signal.aborted) break;
    try {
      const content = await readContent(t, from, ref);
      const probe = probeOfAsync(content, ref.messageId);
      read.push(probe instanceof Promise ? probe.then((p) => ({ ref, content, probe: p })) : { ref, content, probe });
    } catch (err) {
      recordItemFailure(t, job, report, from, ref, undefined, err);
    }
  }
  return Promise.all(read);
}

/**
 * Records the items of a batch the destination holds already (found in one question), writes the
 * others. The previous batch's watermarks are committed first: what they claim at the destination
 * is then no answer to this batch's question (an identical twin written just before).
 */
async function settleThenWrite(t: CopyTarget, job: MailboxJob, report: ItemReporter, from: FolderInfo, to: FolderInfo, read: readonly ReadItem[], held: HeldWatermarks): Promise<void> {
  if (read.length === 0 || t.signal.aborted) return;
  held.commit();
  const find = t.destination.findWrittenMany;
  if (!find) return writeOneByOne(t, job, report, from, to, read, true);
  const found = await withRetries(`look for ${read.length} items in ${to.path.join('/')}`, () => find.call(t.destination, to, read.map((r) => r.probe), t.claims.taken(to.id)), t.retry, t.signal);
  const there = read.flatMap((r, i) => (found[i] ? [copyRecord(t, from, to, r.ref, r.probe, found[i]!)] : []));
  if (there.length > 0) {
    recordCopies(t, there);
    report.copiedBatch(from.path.join('/'), there.length, there.reduce((sum, r) => sum + r.sizeBytes, 0));
  }
  await writeBatch(t, job, report, from, to, read.filter((_, i) => !found[i]), held);
}

async function writeBatch(t: CopyTarget, job: MailboxJob, report: ItemReporter, from: FolderInfo, to: FolderInfo, read: readonly ReadItem[], held: HeldWatermarks): Promise<void> {
  if (read.length === 0 || t.signal.aborted) return;
  await holdPoint('intent.before');
  // The previous batch's watermarks and this batch's intents: one commit.
  held.commit(() => t.store.progress.addIntents(t.itemId, from.id, to.id, read.map((r) => ({ sourceItemId: r.ref.id, probe: intentProbe(r.probe) })), t.passId));
  let written: WrittenItem[];
  try {
    await holdPoint('write.before');
    written = await t.destination.writeItems!(to, read.map((r) => r.content), t.signal);
    await holdPoint('write.after');
  } catch (err) {
    // Stopping: the intents stay and the next pass settles them.
    if (t.signal.aborted) return;
    if (!(err instanceof ConnectorError) || err.disposition === 'mailbox') throw err;
    // The batch was refused as a whole (nothing stored), or the connection was lost (what landed is
    // unknown: ask first). One at a time, each item gets its own outcome and, if need be, its error.
    await writeOneByOne(t, job, report, from, to, read, err.disposition === 'transient');
    return;
  }
  if (written.length !== read.length) throw new Error(`writeItems into ${to.id} returned ${written.length} ids for ${read.length} items`);
  held.hold(read.map((r, i) => copyRecord(t, from, to, r.ref, r.probe, written[i])), read.reduce((s, r) => s + r.ref.sizeBytes, 0));
  // Written, and their watermarks computed (from the probes): nothing reads these bodies again.
  t.source.releaseContents?.(read.map((r) => r.content));
}

async function writeOneByOne(t: CopyTarget, job: MailboxJob, report: ItemReporter, from: FolderInfo, to: FolderInfo, read: readonly ReadItem[], probeFirst: boolean): Promise<void> {
  for (const { ref, content, probe } of read) {
    if (t.signal.aborted) return;
    try {
      await copyContent(t, from, to, ref, content, probeFirst, probe);
      report.progress(from.path.join('/'), ref.sizeBytes);
    } catch (err) {
      recordItemFailure(t, job, report, from, ref, content, err);
    }
  }
}
