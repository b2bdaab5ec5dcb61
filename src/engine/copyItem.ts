// Copies one item so that a kill at any moment never duplicates it: the intent is committed before
// the destination write, and the watermark replaces it in one transaction after. An intent found
// later (the process died in between) is resolved by asking the destination what it holds; a
// destination that created the item before finishing it (an import, then the PATCH of its
// watermark) reports the id through WriteHooks.created, kept on the intent for that question.
// Every such question excludes the destination items that already stand for another source item
// (DestinationClaims): N identical source items need N destination items.
import { probeOf } from '../connectors/fingerprint';
import type { DestinationMailbox, FolderInfo, ItemContent, ItemRef, SourceMailbox, WriteHooks, WrittenItem, WrittenProbe } from '../connectors/types';
import type { CopyRecord } from '../store/progressRepo';
import type { IntentProbe, IntentRow } from '../store/rows';
import type { Store } from '../store/store';
import { withRetries, type RetryPolicy } from './backoff';
import type { DestinationClaims } from './claims';
import { holdPoint } from '../store/holdPoint';

export interface CopyTarget {
  store: Store;
  source: SourceMailbox;
  destination: DestinationMailbox;
  retry: RetryPolicy;
  signal: AbortSignal;
  itemId: number;
  passId: number;
  /** The destination items that already stand for a source item, per destination folder. */
  claims: DestinationClaims;
}

/** The probe of an intent, with the id of the item the interrupted write had created, if any. */
const toProbe = (i: IntentRow): WrittenProbe => ({ ...i.probe, date: new Date(i.probe.date), ...(i.destinationItemId ? { destinationId: i.destinationItemId } : {}) });

/** A probe as an intent stores it (JSON, the date as ISO text). */
export const intentProbe = ({ flags, ...p }: WrittenProbe): IntentProbe => ({ ...p, date: p.date.toISOString(), ...(flags ? { flags: [...flags] } : {}) });

/** The watermark of an item written (or found written) in `to`. */
export function copyRecord(t: CopyTarget, from: FolderInfo, to: FolderInfo, ref: ItemRef, probe: WrittenProbe, written: WrittenItem): CopyRecord {
  return {
    itemId: t.itemId,
    sourceFolderId: from.id,
    sourceItemId: ref.id,
    destinationFolderId: to.id,
    destinationItemId: written.id,
    fingerprint: probe.fingerprint,
    sizeBytes: ref.sizeBytes,
    passId: t.passId,
    ...(probe.flags ? { flags: probe.flags } : {}),
    ...(written.version ? { destinationVersion: written.version } : {}),
    ...(ref.moveKey ? { moveKey: ref.moveKey } : {}),
  };
}

/**
 * Records watermarks (one transaction) and claims their destination items. A copy found again in a
 * folder the source renumbered takes the place of its old watermark (DestinationClaims.release).
 */
export function recordCopies(t: CopyTarget, records: readonly CopyRecord[]): void {
  const renumbered = records.flatMap((r) => {
    const old = t.claims.renumberedFrom(r.destinationFolderId, r.destinationItemId);
    if (old === undefined || (old.sourceFolderId === r.sourceFolderId && old.sourceItemId === r.sourceItemId)) return [];
    t.claims.noteFoundAgain(r.sizeBytes);
    return [old];
  });
  if (renumbered.length === 0) t.store.progress.recordCopies(records);
  else {
    t.store.tx(() => {
      for (const r of renumbered) t.store.progress.dropCopy(t.itemId, r.sourceFolderId, r.sourceItemId);
      t.store.progress.recordCopies(records);
    });
  }
  for (const r of records) t.claims.claim(r.destinationFolderId, r.destinationItemId);
}

/** findWritten that never answers an item standing for another source item (`own`: this intent's created item). */
function findUnclaimed(t: CopyTarget, to: FolderInfo, probe: WrittenProbe): Promise<WrittenItem | undefined> {
  return t.destination.findWritten(to, probe, t.claims.taken(to.id, probe.destinationId));
}

/** Reads the source item (retrying transient failures); the content is kept for error subjects. */
export async function readContent(t: CopyTarget, folder: FolderInfo, ref: ItemRef): Promise<ItemContent> {
  return withRetries(`read ${folder.path.join('/')} ${ref.id}`, () => t.source.readItem(folder, ref, t.signal), t.retry, t.signal);
}

/** Writes content read from `ref` into `to` and records it; returns the destination id. */
export async function writeRecorded(t: CopyTarget, from: FolderInfo, to: FolderInfo, ref: ItemRef, content: ItemContent, probe = probeOf(content, ref.messageId)): Promise<WrittenItem> {
  await holdPoint('intent.before');
  t.store.progress.addIntent(t.itemId, from.id, ref.id, to.id, intentProbe(probe), t.passId);
  // The id of an item created but not finished yet goes on the intent at once (a kill may follow).
  let created: string | undefined;
  const hooks: WriteHooks = {
    created: (id) => {
      created = id;
      t.store.progress.noteCreated(t.itemId, from.id, ref.id, id);
    },
  };
  await holdPoint('write.before');
  const written = await withRetries(
    `write into ${to.path.join('/')}`,
    () => t.destination.writeItem(to, content, t.signal, hooks),
    t.retry,
    t.signal,
    // A write that failed transiently may have landed before the connection dropped.
    () => findUnclaimed(t, to, created === undefined ? probe : { ...probe, destinationId: created }),
  );
  await holdPoint('write.after');
  recordCopies(t, [copyRecord(t, from, to, ref, probe, written)]);
  return written;
}

/**
 * Copies one item's content: when `probeFirst` (the source ids are new after a cursor reset, or a
 * batch write was cut off) an item the destination already holds is only recorded; otherwise, or
 * when it is not there, it is written and recorded. Items of the same content go one at a time:
 * the question whether one landed must not be answered by its twin's write in flight.
 */
export async function copyContent(t: CopyTarget, from: FolderInfo, to: FolderInfo, ref: ItemRef, content: ItemContent, probeFirst: boolean, probe = probeOf(content, ref.messageId)): Promise<void> {
  await t.claims.oneAtATime(to.id, probe.fingerprint, async () => {
    const earlier = probeFirst ? await withRetries(`look for ${ref.id} in ${to.path.join('/')}`, () => findUnclaimed(t, to, probe), t.retry, t.signal) : undefined;
    if (earlier) recordCopies(t, [copyRecord(t, from, to, ref, probe, earlier)]);
    else await writeRecorded(t, from, to, ref, content, probe);
  });
}

/**
 * Settles the intents an interrupted pass left for a source folder: an item the destination holds
 * (and that stands for no other source item) gets its watermark, any other intent is dropped so the
 * item is copied again. Returns how many were found written.
 */
export async function resolveIntents(t: CopyTarget, from: FolderInfo, to: FolderInfo): Promise<number> {
  let found = 0;
  for (const intent of t.store.progress.intents(t.itemId, from.id)) {
    const written = await withRetries(`look for an interrupted write in ${to.path.join('/')}`, () => findUnclaimed(t, to, toProbe(intent)), t.retry, t.signal);
    if (written) {
      found++;
      recordCopies(t, [{
        itemId: t.itemId,
        sourceFolderId: from.id,
        sourceItemId: intent.sourceItemId,
        destinationFolderId: to.id,
        destinationItemId: written.id,
        fingerprint: intent.probe.fingerprint,
        sizeBytes: intent.probe.sizeBytes,
        passId: t.passId,
        ...(intent.probe.flags ? { flags: intent.probe.flags } : {}),
      }]);
    } else {
      t.store.progress.clearIntent(t.itemId, from.id, intent.sourceItemId);
    }
  }
  return found;
}

/** The Subject header of a raw message, unfolded (only stored when the plan asks for subjects). */
export function subjectOf(data: Buffer): string | undefined {
  const head = data.subarray(0, Math.min(data.length, 64 * 1024)).toString('utf8');
  const end = head.search(/\r?\n\r?\n/);
  const unfolded = (end === -1 ? head : head.slice(0, end)).replace(/\r?\n[ \t]+/g, ' ');
  return /^subject[ \t]*:[ \t]*(.*?)\r?$/im.exec(unfolded)?.[1].trim() || undefined;
}

/** An ItemRef as stored with an error (JSON), and back. */
export function refToJson(ref: ItemRef): string {
  return JSON.stringify({ ...ref, date: ref.date.toISOString() });
}

export function refFromJson(text: string): ItemRef {
  const raw = JSON.parse(text) as Omit<ItemRef, 'date'> & { date: string };
  return { ...raw, date: new Date(raw.date) };
}
