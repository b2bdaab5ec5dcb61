// A running pass as every view words it (tree, status bar, progress notification, dashboard): one
// computation from one view, so they cannot disagree. Percent done and time left count items where
// the runner has said how many a mailbox holds, mailboxes otherwise. Pure.
import type { ItemStatus, PassKind } from '../engine/statuses';
import type { LiveItem, LiveState } from './liveState';

/** Percent done and time left of some mailboxes of a pass (all of them, or one batch's). */
export interface ShareDone {
  mailboxes: number;
  done: number;
  copied: number;
  bytes: number;
  itemsTotal: number;
  percent: number;
  etaMs?: number;
}

export interface PassProgress extends ShareDone {
  kind?: PassKind;
  /** 'stopping': a stop was asked for and the runner has not ended the pass yet. */
  state: 'running' | 'stopping';
  startedAt: number;
}

const activeStatuses: readonly ItemStatus[] = ['Queued', 'AnalysisStarted', 'InProgress', 'ResyncStarted'];

export const isActiveStatus = (status: ItemStatus | undefined): boolean => status === undefined || activeStatuses.includes(status);

/** Percent and time left of one mailbox or of many, from items done and items known. */
export function fractionDone(done: number, total: number, elapsedMs: number): { percent: number; etaMs?: number } {
  if (total <= 0) return { percent: 0 };
  const share = Math.min(1, done / total);
  const etaMs = done > 0 && elapsedMs > 0 ? Math.max(0, ((total - done) * elapsedMs) / done) : undefined;
  return { percent: Math.floor(share * 1000) / 10, etaMs };
}

/** Percent done and time left of one mailbox while it copies; undefined when nothing is counted yet. */
export function mailboxProgress(live: Pick<LiveItem, 'itemsDone' | 'itemsTotal' | 'startedAt'>, now: number): { percent: number; etaMs?: number } | undefined {
  if (live.itemsTotal <= 0) return undefined;
  return fractionDone(live.itemsDone, live.itemsTotal, live.startedAt === undefined ? 0 : now - live.startedAt);
}


/**
 * Items once every mailbox has been counted (or is done): then the time left follows the rate.
 * Before that, the share of mailboxes done, and no time left (it would be a guess).
 */
export function shareDone(items: Iterable<LiveItem>, mailboxes: number, elapsedMs: number): ShareDone {
  let done = 0;
  let copied = 0;
  let bytes = 0;
  let itemsTotal = 0;
  let counted = 0;
  for (const i of items) {
    copied += i.itemsDone;
    bytes += i.bytesDone;
    itemsTotal += Math.max(i.itemsTotal, i.itemsDone);
    if (!isActiveStatus(i.status)) done++;
    if (!isActiveStatus(i.status) || i.itemsTotal > 0) counted++;
  }
  const share = counted >= mailboxes && itemsTotal > 0 ? fractionDone(copied, itemsTotal, elapsedMs) : { percent: fractionDone(done, mailboxes, elapsedMs).percent };
  return { mailboxes, done, copied, bytes, itemsTotal, percent: share.percent, etaMs: share.etaMs };
}

export function passProgress(live: LiveState, stopping: boolean, now: number): PassProgress {
  return { kind: live.kind, state: stopping ? 'stopping' : 'running', startedAt: live.startedAt, ...shareDone(live.items.values(), live.mailboxes, now - live.startedAt) };
}

/** Percent done and time left of each batch the running pass holds. */
export function batchProgress(live: LiveState, now: number): Map<string, ShareDone> {
  const byBatch = new Map<string, LiveItem[]>();
  for (const [key, item] of live.items) {
    const batch = key.slice(0, key.indexOf('\u0000'));
    const list = byBatch.get(batch);
    if (list) list.push(item);
    else byBatch.set(batch, [item]);
  }
  const out = new Map<string, ShareDone>();
  for (const [batch, mailboxes] of live.perBatch) {
    const items = byBatch.get(batch) ?? [];
    // From the batch's first mailbox on: a batch that waited for another has not been slow.
    const started = items.reduce((min, i) => Math.min(min, i.startedAt ?? now), now);
    out.set(batch, shareDone(items, mailboxes, now - (items.length ? started : live.startedAt)));
  }
  return out;
}
