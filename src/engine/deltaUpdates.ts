// Carries a delta's changes of contacts, calendar items and tasks already copied (issue 13): an
// appointment rescheduled, a contact's new phone number, a task completed. The source says which
// items changed (EWS SyncFolderItems Update, Graph delta, a sync token); each is read again and,
// when its content differs from what Ferry copied, the destination item is updated in place where
// the destination can (DestinationMailbox.updateInPlace: Exchange; the item keeps its id), else
// replaced: the new version written, then the old one deleted. The change is journalled before the destination is touched and
// the new version's id noted as soon as the destination names it, so a kill at any point leaves
// neither a duplicate (a rerun finds or removes the version it wrote) nor a loss (the old version
// goes only after the new one is there). A copy the user deleted or changed at the destination (its
// change stamp is not the one Ferry's write left) is left alone and reported (ENG-081).
import { probeOf } from '../connectors/fingerprint';
import { ConnectorError, type FolderInfo, type InPlaceUpdate, type ItemContent, type WrittenItem, type WrittenProbe } from '../connectors/types';
import type { ChangeRow, CopiedItem } from '../store/changesRepo';
import { holdPoint } from '../store/holdPoint';
import { readContent } from './copyItem';
import type { DeltaCarrier } from './deltaChanges';
import type { ItemUpdate } from './deltaScan';

const KIND_NAMES = { calendar: 'calendar item', contacts: 'contact', tasks: 'task', mail: 'message' } as const;

export async function carryUpdates(carrier: DeltaCarrier, updates: readonly ItemUpdate[]): Promise<void> {
  if (!updates.length) return;
  const { ctx, t, job, dest } = carrier;
  await carrier.perFolder(updates, async (folder, { work, copied: c, ref }, now) => {
    const pend = carrier.pendingOf(c.sourceFolderId, c.sourceItemId, 'updated');
    const content = await readContent(t, work.folder, ref).catch((err: unknown) => {
      // Gone from the source since the change was begun or refused (Retry errors): nothing left to
      // carry; the next delta finds the item removed and carries that.
      if (!pend || !goneAtSource(err)) throw err;
      ctx.store.changes.drop(pend.id);
      return undefined;
    });
    if (!content) return;
    const probe = probeOf(content, ref.messageId);
    if (probe.fingerprint === c.fingerprint && !pend) return; // touched at the source, nothing Ferry carries changed
    const what = KIND_NAMES[work.folder.itemType];
    if (now === undefined && !pend) {
      // Deleted (or moved) at the destination by its user: not brought back.
      carrier.conflict(work, c, `the ${what} is gone from ${folder.path.join('/')} at the destination; the source's change is not carried`, [], false);
      return;
    }
    // A destination that updates in place checks the change stamp itself, in the same read.
    const edited = pend || dest.updateInPlace ? undefined : await editedAtDestination(carrier, folder, c);
    if (edited) {
      carrier.conflict(work, c, `${edited}; the source's change is not carried`, [], false);
      return;
    }
    const id = pend?.id ?? ctx.store.changes.begin(job.itemId, carrier.change(work, c, 'updated', { detail: `${what} changed at the source: ${dest.updateInPlace ? 'updated in place' : 'replaced'}` }));
    let outcome: InPlaceUpdate | undefined;
    // A refusal of this item (its content, a quota) is this change's error (ENG-082), not the
    // mailbox's; the error keeps the source item's reference: Retry errors reads it again.
    const write = async () => {
      // A replace a kill interrupted (its new version noted) is finished as a replace.
      if (dest.updateInPlace && pend?.destinationItemId === undefined) {
        await holdPoint('change.before');
        // The stamp is not checked on a rerun: the item may show this change half-made (or made: its watermark says so).
        const copy = { id: c.destinationItemId, ...(pend || c.destinationVersion === undefined ? {} : { version: c.destinationVersion }) };
        outcome = await carrier.retry(`update a ${what} in ${folder.path.join('/')}`, () => dest.updateInPlace!(folder, copy, content, t.signal));
        if (!('replace' in outcome)) return holdPoint('change.after');
      }
      outcome = { updated: await replace(carrier, folder, folder, c, content, probe, id, pend) };
    };
    if (!(await carrier.refusable(id, work, c, 'updated', write, ref)) || !outcome) return;
    if ('left' in outcome) {
      ctx.store.changes.drop(id);
      const why = outcome.left === 'gone' ? `the ${what} is gone from ${folder.path.join('/')} at the destination` : 'changed at the destination after Ferry wrote it';
      carrier.conflict(work, c, `${why}; the source's change is not carried`, [], false);
      return;
    }
    const item = 'updated' in outcome ? outcome.updated : undefined;
    if (!item) return;
    ctx.store.changes.replaced(job.itemId, c.sourceFolderId, c.sourceItemId, { destinationItemId: item.id, fingerprint: probe.fingerprint, sizeBytes: ref.sizeBytes || content.data.length, ...(item.version ? { destinationVersion: item.version } : {}) }, id);
    t.claims.claim(folder.id, item.id);
  });
}

/** Whether a source's read failed because the item is no longer there (deleted or moved since it was listed). */
const goneAtSource = (err: unknown) => err instanceof ConnectorError && err.disposition === 'item' && /-ITEM-(GONE|NOT-FOUND)$/.test(err.code);

/**
 * Why the destination item is not as Ferry wrote it (its change stamp differs from the one the
 * write left: the user edited it), or undefined when it is, or when the destination names no stamp.
 */
export async function editedAtDestination(carrier: DeltaCarrier, folder: FolderInfo, c: CopiedItem): Promise<string | undefined> {
  const { dest, t } = carrier;
  if (c.destinationVersion === undefined || !dest.readVersions) return undefined;
  const versions = await carrier.retry(`read the change stamps in ${folder.path.join('/')}`, () => dest.readVersions!(folder, [c.destinationItemId], t.signal));
  const now = versions.get(c.destinationItemId);
  return now !== undefined && now !== c.destinationVersion ? `changed at the destination after Ferry wrote it` : undefined;
}

/**
 * The new version written into `to` (or found there, after a kill) and the old one deleted from
 * `from`: an update (`to` is `from`) or a move the destination cannot make (Graph's contacts and
 * events). Returns the new version.
 */
export async function replace(carrier: DeltaCarrier, from: FolderInfo, to: FolderInfo, c: CopiedItem, content: ItemContent, probe: WrittenProbe, changeId: number, pend: ChangeRow | undefined): Promise<WrittenItem> {
  const { ctx, t, dest } = carrier;
  const where = to.path.join('/');
  let item: WrittenItem | undefined;
  if (pend) {
    // A kill during this change: the new version may be there already (found by its content), or
    // half there, or of an older source state (the noted id): then it goes, and is written anew.
    // The id (or handle) the destination named for the new version before the kill is looked at first.
    const noted = pend.destinationItemId !== undefined && pend.destinationItemId !== c.destinationItemId ? { destinationId: pend.destinationItemId } : {};
    item = await carrier.retry(`look for an updated item in ${where}`, () => dest.findWritten(to, { ...probe, ...noted }, t.claims.taken(to.id)));
    const stale = pend.destinationItemId;
    if (!item && stale !== undefined && stale !== c.destinationItemId) await carrier.retry(`delete an unfinished update in ${where}`, () => dest.deleteItem(to, stale, t.signal, true));
  }
  if (!item) {
    await holdPoint('change.before');
    const created = (id: string) => ctx.store.changes.createdVersion(changeId, id);
    item = await carrier.retry(`write an updated item into ${where}`, () => dest.writeItem(to, content, t.signal, { created }));
    created(item.id);
    await holdPoint('change.after');
  }
  if (item.id !== c.destinationItemId || from.id !== to.id) await carrier.retry(`delete the old version in ${from.path.join('/')}`, () => dest.deleteItem(from, c.destinationItemId, t.signal, true));
  return item;
}
