// Carries a delta's changes of items already copied (issue 13): moves between folders (the
// destination item is moved, not copied again), flags (read state, flagged, keywords) and deletions
// as `options.delta.deletions` says. A destination item whose state is not the one Ferry last wrote
// was changed by the user: it is left alone and reported (conflict-left). Every change is
// journalled before the destination is touched and recorded with its effect in one transaction;
// a change a kill interrupted is finished by the next delta (its pending row says the destination
// may already show it). A change the destination refuses (the item, a quota) is recorded as an
// error of its own (ENG-082, its row 'failed') and the others go on; Retry errors makes it again
// (retryChanges: a refused update reads its source item again), as does a delta that finds it again.
import { probeOf } from '../connectors/fingerprint';
import { ConnectorError, FolderRenumbered, type DestinationMailbox, type FolderInfo, type ItemContent, type ItemRef, type WrittenItem, type WrittenProbe } from '../connectors/types';
import { formatMessage } from '../errors/catalog';
import type { ChangeKind, ChangeRow, CopiedItem, NewChange } from '../store/changesRepo';
import { holdPoint } from '../store/holdPoint';
import { withRetries } from './backoff';
import type { PassContext } from './context';
import { readContent, refFromJson, type CopyTarget } from './copyItem';
import { normalFlags, recordedWork, sameFlags, scanChanges, type FlagChange, type Gone, type ItemUpdate } from './deltaScan';
import { carryUpdates, editedAtDestination, replace } from './deltaUpdates';
import { checkBadItemLimit } from './itemFailures';
import { ContentCandidates } from './moveCandidates';
import { moveKeyOf, pairOneToOne } from './moveKeys';
import { noteRenumbered, relistWhole, RELISTS, staleCandidates } from './renumberedFolders';
import type { ItemReporter } from './itemReporter';
import type { MailboxJob } from './job';
import type { FolderWork, MailboxPlan } from './mailboxPlan';

export type EnsureFolder = (path: string[], role: FolderInfo['role'], itemType: FolderInfo['itemType']) => Promise<FolderInfo>;

export type Carrier = Required<Pick<DestinationMailbox, 'readFlags' | 'setFlags' | 'moveItem' | 'deleteItem'>>;

const canCarry = (d: DestinationMailbox): d is DestinationMailbox & Carrier => !!(d.readFlags && d.setFlags && d.moveItem && d.deleteItem);
const keyOf = (folderId: string, itemId: string) => `${folderId}\0${itemId}`;
const flagText = (flags: readonly string[]) => normalFlags(flags).join(' ') || '(none)';

/** Codes of a destination over its quota: each change it refuses is recorded, the delta goes on. */
const QUOTA_CODES: ReadonlySet<string> = new Set(['GRAPH-507', 'IMAP-QUOTA', 'EWS-QUOTA-EXCEEDED']);

/** Whether a destination's refusal concerns the one change (the item refused or gone, a quota), not the mailbox. */
const refusedChange = (err: unknown): err is ConnectorError => err instanceof ConnectorError && (err.disposition === 'item' || QUOTA_CODES.has(err.code));

/** Carries the changes of a delta before its new items are copied; moved items leave `plan`'s pending lists. */
export async function carryChanges(ctx: PassContext, t: CopyTarget, job: MailboxJob, report: ItemReporter, plan: MailboxPlan, ensure: EnsureFolder): Promise<void> {
  if (!t.source.listChanges || !canCarry(t.destination)) {
    const why = !t.source.listChanges ? 'the source cannot tell what changed' : 'the destination cannot set flags, move or delete items';
    const message = formatMessage('ENG-080', [job.source, why]);
    // Kept on the mailbox, so the report, the dashboard and the mailbox page say it after the pass.
    ctx.store.items.updateItem(job.itemId, { deltaLimitCode: 'ENG-080', deltaLimitMessage: message });
    ctx.events.emit({ type: 'notice', batch: job.batch, item: job.source, code: 'ENG-080', message });
    return;
  }
  ctx.store.items.updateItem(job.itemId, { deltaLimitCode: null, deltaLimitMessage: null });
  const scan = await scanChanges(job, ctx, t.source, plan, report);
  await new DeltaCarrier(ctx, t, t.destination, job, report, plan, ensure).carry(scan.flagChanges, scan.gone, scan.updates, scan.renumbered);
}

/**
 * Retry errors for delta changes: each change the destination refused is made again, checked as a
 * delta checks it (the destination item as Ferry left it, else left alone and reported); the
 * changes made close their errors, one refused again gets a new one.
 */
export async function retryChanges(ctx: PassContext, t: CopyTarget, job: MailboxJob, report: ItemReporter): Promise<void> {
  const failed = ctx.store.changes.failedChanges(job.itemId);
  if (!failed.length || !canCarry(t.destination)) return;
  const openRefs = new Map(ctx.store.errors.unresolved(job.itemId).filter((e) => e.changeId !== undefined && e.itemRef).map((e) => [e.changeId!, refFromJson(e.itemRef!)]));
  const sourceFolders = await withRetries('list source folders', () => t.source.listFolders(), ctx.retry, ctx.signal);
  const destinationFolders = await withRetries('list destination folders', () => t.destination.listFolders(), ctx.retry, ctx.signal);
  const works = new Map<string, FolderWork>();
  const workOf = (folderId: string) => {
    const known = works.get(folderId);
    if (known) return known;
    const record = ctx.store.progress.folder(job.itemId, folderId);
    const w = record && recordedWork(record, sourceFolders.find((f) => f.id === folderId));
    if (w) works.set(folderId, w);
    return w;
  };
  const flagChanges: FlagChange[] = [];
  const gone: Gone[] = [];
  const updates: ItemUpdate[] = [];
  for (const c of failed) {
    const copied = ctx.store.changes.copiedItem(job.itemId, c.sourceFolderId, c.sourceItemId);
    const work = workOf(c.sourceFolderId);
    const to = c.toSourceFolderId !== undefined ? workOf(c.toSourceFolderId) : undefined;
    const ref = openRefs.get(c.id);
    // The item is no longer as the change found it (moved or removed since): nothing left to make.
    if (!copied || !work || (c.kind === 'moved' && (!to || !ref))) {
      ctx.store.changes.drop(c.id);
      continue;
    }
    if (c.kind === 'flags' && c.flags) flagChanges.push({ work, copied, flags: c.flags });
    else if (c.kind === 'deleted') gone.push({ work, copied });
    else if (c.kind === 'moved') {
      to!.pending.push(ref!);
      gone.push({ work, copied });
    } else if (c.kind === 'updated') updates.push({ work, copied, ref: ref ?? refOfCopied(copied, work) });
  }
  const plan: MailboxPlan = { folders: [...works.values()], destinationFolders, sourceFolderIds: new Set(sourceFolders.map((f) => f.id)) };
  const ensure: EnsureFolder = (path, role, itemType) => withRetries(`create ${path.join('/')}`, () => t.destination.ensureFolder(path, role, itemType), ctx.retry, ctx.signal);
  report.itemsTotal = failed.length;
  await new DeltaCarrier(ctx, t, t.destination, job, report, plan, ensure).carry(flagChanges, gone, updates);
}

/**
 * The source item of a copy, as far as its watermark knows it: for an update refused before its
 * error kept the source item's reference (the item is read again by its id either way).
 */
function refOfCopied(c: CopiedItem, work: FolderWork): ItemRef {
  return { id: c.sourceItemId, sizeBytes: c.sizeBytes, date: new Date(0), flags: c.flags ?? [], itemType: work.folder.itemType };
}

export class DeltaCarrier {
  private readonly pending = new Map<string, ChangeRow>();
  private readonly folders = new Map<string, FolderInfo>();

  /** Flags as this destination can hold them (see DestinationMailbox.heldFlags and heldForm). */
  private readonly held: (flags: readonly string[]) => string[];

  constructor(
    readonly ctx: PassContext,
    readonly t: CopyTarget,
    readonly dest: DestinationMailbox & Carrier,
    readonly job: MailboxJob,
    readonly report: ItemReporter,
    private readonly plan: MailboxPlan,
    private readonly ensure: EnsureFolder,
  ) {
    for (const c of ctx.store.changes.unfinished(job.itemId)) this.pending.set(keyOf(c.sourceFolderId, c.sourceItemId), c);
    for (const f of plan.destinationFolders) this.folders.set(f.id, f);
    const held = dest.heldFlags ? new Set(dest.heldFlags) : undefined;
    this.held = dest.heldForm ? (flags) => dest.heldForm!(flags) : (flags) => (held ? flags.filter((f) => held.has(f.toLowerCase())) : [...flags]);
  }

  /** `renumbered`: copies of folders renumbered since the last pass under their old ids (found elsewhere: moved; else left to the copy). */
  async carry(flagChanges: FlagChange[], gone: Gone[], updates: ItemUpdate[], renumbered: readonly FolderWork[] = []): Promise<void> {
    const left = await this.moves(gone, flagChanges, renumbered);
    await this.flags(flagChanges);
    await carryUpdates(this, updates);
    await this.deletions(left);
  }

  retry<T>(what: string, fn: () => Promise<T>): Promise<T> {
    return withRetries(what, fn, this.t.retry, this.t.signal);
  }

  /**
   * Makes a journalled change at the destination (between the hold points kill tests use). A
   * refusal of that change alone is recorded against it (ENG-082; `readAgain`: the source item the
   * retry reads, where a moved item went or the updated item) and false returned; anything else
   * fails the mailbox as before.
   */
  private make(id: number, work: FolderWork, c: CopiedItem, kind: ChangeKind, write: () => Promise<void>, readAgain?: ItemRef): Promise<boolean> {
    return this.refusable(id, work, c, kind, async () => {
      await holdPoint('change.before');
      await write();
      await holdPoint('change.after');
    }, readAgain);
  }

  /** `make` without its hold points (a write that places its own, see deltaUpdates' replace). */
  async refusable(id: number, work: FolderWork, c: CopiedItem, kind: ChangeKind, write: () => Promise<void>, readAgain?: ItemRef): Promise<boolean> {
    try {
      await write();
      return true;
    } catch (err) {
      if (this.t.signal.aborted || !refusedChange(err)) throw err;
      this.ctx.store.changes.refused(id);
      const args = [kind, work.folder.path.join('/'), c.sourceItemId, err.code, err.message];
      this.report.error('ENG-082', args, { folder: work.folder, change: { id, sourceItemId: c.sourceItemId }, ...(readAgain ? { ref: readAgain } : {}) });
      checkBadItemLimit(this.job, this.report);
      return false;
    }
  }

  /** The destination folder of a watermark (listed at the start, or created by this pass). */
  private async destinationFolder(id: string, work: FolderWork): Promise<FolderInfo> {
    const known = this.folders.get(id);
    if (known) return known;
    const f = await this.ensure(work.destinationPath, work.role, work.folder.itemType);
    this.folders.set(f.id, f);
    return f;
  }

  /** Current flags of destination items, by id; a missing id is no longer in that folder. */
  private async current(folder: FolderInfo, ids: readonly string[]): Promise<Map<string, string[]>> {
    return ids.length ? this.retry(`read flags in ${folder.path.join('/')}`, () => this.dest.readFlags(folder, ids, this.t.signal)) : new Map();
  }

  /** The pending change a kill left for this source item, if it is of `kind`; a stale one is dropped. */
  pendingOf(folderId: string, itemId: string, kind: ChangeKind, flags?: readonly string[]): ChangeRow | undefined {
    const key = keyOf(folderId, itemId);
    const p = this.pending.get(key);
    if (!p) return undefined;
    this.pending.delete(key);
    if (p.kind === kind && (flags === undefined || (p.flags !== undefined && sameFlags(p.flags, flags)))) return p;
    this.ctx.store.changes.drop(p.id);
    return undefined;
  }

  change(work: FolderWork, c: CopiedItem, kind: ChangeKind, extra: Partial<NewChange> = {}): NewChange {
    return { passId: this.job.passId, kind, sourceFolderId: c.sourceFolderId, sourceItemId: c.sourceItemId, folderPath: work.folder.path.join('/'), itemType: work.folder.itemType, ...extra };
  }

  /** A conflict is reported once for the same source state (a rerun says nothing new). */
  conflict(work: FolderWork, c: CopiedItem, detail: string, flags: readonly string[], keep: boolean): void {
    const last = this.ctx.store.changes.lastFor(this.job.itemId, c.sourceFolderId, c.sourceItemId);
    if (keep) this.ctx.store.changes.kept(this.job.itemId, c.sourceFolderId, c.sourceItemId, this.change(work, c, 'conflict-left', { flags: [...flags], detail }));
    else if (last?.kind === 'conflict-left' && last.flags && sameFlags(last.flags, flags)) return;
    else this.ctx.store.changes.note(this.job.itemId, this.change(work, c, 'conflict-left', { flags: [...flags], detail }));
    const message = formatMessage('ENG-081', [work.folder.path.join('/'), c.sourceItemId, detail]);
    this.ctx.events.emit({ type: 'notice', batch: this.job.batch, item: this.job.source, code: 'ENG-081', message });
  }

  /**
   * Items gone from a folder that reappear among another folder's new items: the destination item
   * is moved there. An item of a type whose moves the source can tell by a key (`moveStableIds`: its
   * id kept across folders, or its `moveKey`, Exchange's search key) is found by that key, whatever
   * its content became (a Graph contact's REV follows the move, an Exchange contact may be edited
   * as well), when one gone item and one new item carry it (moveKeys.ts); any other by its
   * content. Returns the items gone for good (deleted at the source).
   */
  private async moves(gone: Gone[], flagChanges: FlagChange[], renumbered: readonly FolderWork[]): Promise<Gone[]> {
    if (!gone.length && !renumbered.length) return gone;
    const stable = new Set(this.t.source.moveStableIds ?? []);
    const arrived = this.plan.folders.flatMap((work) => (stable.has(work.folder.itemType) ? work.pending.map((ref) => ({ work, ref })) : []));
    const pairs = pairOneToOne(gone.filter((g) => stable.has(g.work.folder.itemType)), arrived, (g) => moveKeyOf(g.copied.sourceItemId, g.copied.moveKey), ({ ref }) => moveKeyOf(ref.id, ref.moveKey));
    // Paired by key: a move to another folder of the same kind; such a gone item is no other item's by content.
    const byKey = new Map<ItemRef, Gone>();
    for (const [{ work, ref }, g] of pairs) if (g.work.folder.id !== work.folder.id && g.work.folder.itemType === work.folder.itemType) byKey.set(ref, g);
    const keyed = new Set(byKey.values());
    const candidates = new ContentCandidates();
    for (const g of gone) if (!keyed.has(g)) candidates.add(g);
    // A renumbered folder's old copies: a message moved out of it before the renumber is found in its new folder.
    for (const work of renumbered) for (const g of staleCandidates(this.ctx, this.job, work, this.plan.folders)) candidates.add(g, true);
    const goneKeys = new Set(gone.map((g) => keyOf(g.copied.sourceFolderId, g.copied.sourceItemId)));
    for (const work of this.plan.folders) {
      for (let relists = 0; ; relists++) {
        try {
          await this.movesInto(work, byKey, candidates, flagChanges);
          break;
        } catch (err) {
          if (!(err instanceof FolderRenumbered) || relists >= RELISTS || this.t.signal.aborted) throw err;
          // Renumbered since this delta listed it: listed again whole (the copy then finds its
          // copies again by content), its old copies candidates for the other folders' new items.
          noteRenumbered(this.ctx, this.job, err);
          Object.assign(work, await relistWhole(this.ctx, this.t, this.job, this.report, work.folder));
          for (const g of staleCandidates(this.ctx, this.job, work, this.plan.folders)) if (!goneKeys.has(keyOf(g.copied.sourceFolderId, g.copied.sourceItemId))) candidates.add(g, true);
        }
      }
    }
    return gone.filter((g) => !candidates.isTaken(g));
  }

  /** Looks for the candidates among a folder's new items (read when one may be theirs); a found item is moved, not copied. */
  private async movesInto(work: FolderWork, byKey: ReadonlyMap<ItemRef, Gone>, candidates: ContentCandidates, flagChanges: FlagChange[]): Promise<void> {
    for (const ref of [...work.pending]) {
      if (this.t.signal.aborted) return;
      const sameKey = byKey.get(ref);
      if (!sameKey && !candidates.mayBe(work.folder.id, ref.sizeBytes)) continue;
      let content: ItemContent;
      try {
        content = await readContent(this.t, work.folder, ref);
      } catch (err) {
        // Gone or unreadable since listed: not a move; its copy records the item's error.
        if (err instanceof ConnectorError && err.disposition === 'item' && !(err instanceof FolderRenumbered)) continue;
        throw err;
      }
      const probe = probeOf(content, ref.messageId);
      const g = sameKey ?? candidates.find(work.folder.id, probe.fingerprint);
      if (!g) continue;
      const to = await this.move(g, work, ref, content, probe);
      if (!to) continue;
      candidates.take(g);
      // Refused: neither copied again nor taken for a deletion; Retry errors makes the move.
      work.pending.splice(work.pending.indexOf(ref), 1);
      if (to === 'refused') continue;
      const now: CopiedItem = { ...g.copied, sourceFolderId: work.folder.id, sourceItemId: ref.id, destinationFolderId: to.folder.id, destinationItemId: to.item.id, ...(ref.moveKey ? { moveKey: ref.moveKey } : {}) };
      // Changed on the way (found by key): move() wrote its new content in its new folder already.
      if (probe.fingerprint === g.copied.fingerprint && work.folder.itemType === 'mail' && probe.flags && (!g.copied.flags || !sameFlags(g.copied.flags, ref.flags))) flagChanges.push({ work, copied: now, flags: ref.flags });
    }
  }

  private async move(g: Gone, work: FolderWork, ref: ItemRef, content: ItemContent, probe: WrittenProbe): Promise<{ folder: FolderInfo; item: WrittenItem } | 'refused' | undefined> {
    const c = g.copied;
    const from = await this.destinationFolder(c.destinationFolderId, g.work);
    const to = await this.ensure(work.destinationPath, work.role, work.folder.itemType);
    // Matched by key with another content (changed too, or stamped by the move): written anew.
    const rewrite = probe.fingerprint !== c.fingerprint;
    const replaced = from.id !== to.id && (rewrite || !!this.dest.unmovableTypes?.includes(work.folder.itemType));
    // A copy its user changed at the destination is never written over: not taken for a move, the
    // item is copied into its new folder and the deletion's rules (which report it) keep the copy.
    if (replaced && !this.pending.has(keyOf(c.sourceFolderId, c.sourceItemId)) && (await editedAtDestination(this, from, c))) return undefined;
    const pend = this.pendingOf(c.sourceFolderId, c.sourceItemId, 'moved');
    const there = (await this.current(from, [c.destinationItemId])).has(c.destinationItemId);
    const change = this.change(g.work, c, 'moved', { toSourceFolderId: work.folder.id, toSourceItemId: ref.id, toPath: work.folder.path.join('/') });
    let item: WrittenItem | undefined;
    const id = pend?.id ?? (there ? this.ctx.store.changes.begin(this.job.itemId, change) : undefined);
    if (there && replaced) {
      // The destination cannot move this type (Graph's contacts and events), or the item is not as
      // copied: written in `to`, then deleted from `from`, as an update is (a kill in between: the
      // rerun finds what it wrote).
      const write = async () => void (item = await replace(this, from, to, c, content, probe, id!, pend));
      if (!(await this.refusable(id!, g.work, c, 'moved', write, ref))) return 'refused';
    } else if (there) {
      const write = async () => {
        item = from.id === to.id ? { id: c.destinationItemId } : await this.retry(`move into ${to.path.join('/')}`, () => this.dest.moveItem(from, c.destinationItemId, to, this.t.signal));
      };
      if (!(await this.make(id!, g.work, c, 'moved', write, ref))) return 'refused';
    } else if (pend) {
      // A kill after the move and before its record: the item is in `to` already.
      item = await this.retry(`look for a moved item in ${to.path.join('/')}`, () => this.dest.findWritten(to, { ...probe, flags: c.flags ?? probe.flags }, this.t.claims.taken(to.id)));
    }
    if (!item || id === undefined) {
      if (id !== undefined) this.ctx.store.changes.drop(id);
      // The user deleted or moved the copy at the destination: the item is copied into its new folder.
      this.conflict(g.work, c, `gone from ${from.path.join('/')} at the destination; copied again into ${to.path.join('/')}`, ref.flags, true);
      return undefined;
    }
    const version = item.version ? { destinationVersion: item.version } : {};
    const written = rewrite ? { content: { fingerprint: probe.fingerprint, sizeBytes: ref.sizeBytes || content.data.length } } : {};
    const key = ref.moveKey ? { moveKey: ref.moveKey } : {};
    this.ctx.store.changes.moved(this.job.itemId, c.sourceFolderId, c.sourceItemId, { sourceFolderId: work.folder.id, sourceItemId: ref.id, destinationFolderId: to.id, destinationItemId: item.id, ...version, ...written, ...key }, id);
    this.t.claims.claim(to.id, item.id);
    return { folder: to, item };
  }

  /**
   * Visits copied items destination folder by destination folder, each with its flags there now
   * (as the destination holds them; undefined: gone from that folder), until the pass is stopped.
   */
  async perFolder<T extends { work: FolderWork; copied: CopiedItem }>(list: readonly T[], visit: (folder: FolderInfo, entry: T, now: string[] | undefined) => Promise<void>): Promise<void> {
    const byFolder = new Map<string, T[]>();
    for (const e of list) byFolder.set(e.copied.destinationFolderId, [...(byFolder.get(e.copied.destinationFolderId) ?? []), e]);
    for (const [folderId, entries] of byFolder) {
      if (this.t.signal.aborted) return;
      const folder = await this.destinationFolder(folderId, entries[0].work);
      const current = await this.current(folder, entries.map((e) => e.copied.destinationItemId));
      for (const e of entries) {
        if (this.t.signal.aborted) return;
        const found = current.get(e.copied.destinationItemId);
        await visit(folder, e, found && this.held(found));
      }
    }
  }

  private async flags(changes: FlagChange[]): Promise<void> {
    await this.perFolder(changes, async (folder, { work, copied: c, flags }, now) => {
      const pend = this.pendingOf(c.sourceFolderId, c.sourceItemId, 'flags', flags);
      if (now === undefined) {
        if (pend) this.ctx.store.changes.drop(pend.id);
        this.conflict(work, c, `gone from ${folder.path.join('/')} at the destination`, flags, false);
        return;
      }
      if (sameFlags(now, this.held(flags))) {
        // Already so (a kill after the write, or the same change made on both sides).
        this.ctx.store.changes.flagsWritten(this.job.itemId, c.sourceFolderId, c.sourceItemId, flags, pend?.id);
        return;
      }
      // Stores from before schema 4 do not know what Ferry wrote: the destination's flags are taken as Ferry's.
      if (c.flags && !sameFlags(now, this.held(c.flags))) {
        if (pend) this.ctx.store.changes.drop(pend.id);
        this.conflict(work, c, `flags at the destination ${flagText(now)}, Ferry wrote ${flagText(c.flags)}; source ${flagText(flags)}`, flags, false);
        return;
      }
      const id = pend?.id ?? this.ctx.store.changes.begin(this.job.itemId, this.change(work, c, 'flags', { flags, detail: `${flagText(c.flags ?? now)} -> ${flagText(flags)}` }));
      if (!(await this.make(id, work, c, 'flags', () => this.retry(`set flags in ${folder.path.join('/')}`, () => this.dest.setFlags(folder, c.destinationItemId, flags, this.t.signal))))) return;
      this.ctx.store.changes.flagsWritten(this.job.itemId, c.sourceFolderId, c.sourceItemId, flags, id);
    });
  }

  private async deletions(gone: Gone[]): Promise<void> {
    const policy = this.job.options.delta.deletions;
    await this.perFolder(gone, async (folder, { work, copied: c }, now) => {
      // A move the destination refused: the item is elsewhere at the source, not deleted; Retry errors moves it.
      const unfinished = this.pending.get(keyOf(c.sourceFolderId, c.sourceItemId));
      if (unfinished?.kind === 'moved' && unfinished.state === 'failed') return;
      const pend = this.pendingOf(c.sourceFolderId, c.sourceItemId, 'deleted');
      const change = (detail: string) => this.change(work, c, 'deleted', { detail });
      if (now === undefined) {
        // Deleted by an interrupted delta, or by the user too: nothing left to do at the destination.
        this.ctx.store.changes.deleted(this.job.itemId, c.sourceFolderId, c.sourceItemId, pend?.id ?? this.ctx.store.changes.begin(this.job.itemId, change(pend?.detail ?? 'already gone at the destination')));
        return;
      }
      if (policy === 'keep') {
        if (pend) this.ctx.store.changes.drop(pend.id);
        this.ctx.store.changes.kept(this.job.itemId, c.sourceFolderId, c.sourceItemId, this.change(work, c, 'kept-deleted', { detail: 'options.delta.deletions is keep' }));
        return;
      }
      // Contacts, calendar items and tasks carry no flags, nor does mail whose flags the source did
      // not know (opaque full-fidelity items): their change stamp tells a user's change.
      const edited = (work.folder.itemType === 'mail' && c.flags) || pend ? undefined : await editedAtDestination(this, folder, c);
      if (edited) {
        this.conflict(work, c, `deleted at the source; kept: ${edited}`, [], true);
        return;
      }
      if (work.folder.itemType === 'mail' && c.flags && !sameFlags(now, this.held(c.flags))) {
        if (pend) this.ctx.store.changes.drop(pend.id);
        this.conflict(work, c, `deleted at the source; kept: its flags at the destination are ${flagText(now)}, Ferry wrote ${flagText(c.flags)}`, c.flags, true);
        return;
      }
      const trash = policy === 'move' ? await this.deletedItems() : undefined;
      const id = pend?.id ?? this.ctx.store.changes.begin(this.job.itemId, change(trash && trash.id !== folder.id ? `moved to ${trash.path.join('/')}` : 'deleted'));
      const write = async () => {
        if (trash && trash.id !== folder.id) await this.retry(`move into ${trash.path.join('/')}`, () => this.dest.moveItem(folder, c.destinationItemId, trash, this.t.signal));
        else await this.retry(`delete in ${folder.path.join('/')}`, () => this.dest.deleteItem(folder, c.destinationItemId, this.t.signal));
      };
      if (!(await this.make(id, work, c, 'deleted', write))) return;
      this.ctx.store.changes.deleted(this.job.itemId, c.sourceFolderId, c.sourceItemId, id);
    });
  }

  /** The destination's deleted items folder (by role), created when it has none. */
  private async deletedItems(): Promise<FolderInfo> {
    const known = [...this.folders.values()].find((f) => f.role === 'deleted' && f.itemType === 'mail');
    if (known) return known;
    const f = await this.ensure(['Deleted Items'], 'deleted', 'mail');
    this.folders.set(f.id, f);
    return f;
  }
}
