// A running pass as every view words it (tree, status bar, progress notification, dashboard): one
// computation from one view, so they cannot disagree. Percent done and time left count items where
// the runner has said how many a mailbox holds, mailboxes otherwise. Pure.
import type { ItemStatus, PassKind } from '../../engine/statuses';
import type { LiveItem, LiveState } from './liveState';

export interface PassProgress {
  kind?: PassKind;
  /** 'stopping': a stop was asked for and the runner has not ended the pass yet. */
  state: 'running' | 'stopping';
  startedAt: number;
  mailboxes: number;
  /** Mailboxes this pass has finished (whatever their outcome). */
  done: number;
  copied: number;
  bytes: number;
  /** Items the mailboxes started so far hold (0 until the runner has counted some). */
  itemsTotal: number;
  /** 0-100. */
  percent: number;
  /** Estimated milliseconds left, once there is a rate to go by. */
  etaMs?: number;
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

export function passProgress(live: LiveState, stopping: boolean, now: number): PassProgress {
  let done = 0;
  let copied = 0;
  let bytes = 0;
  let itemsTotal = 0;
  let counted = 0;
  for (const i of live.items.values()) {
    copied += i.itemsDone;
    bytes += i.bytesDone;
    itemsTotal += Math.max(i.itemsTotal, i.itemsDone);
    if (!isActiveStatus(i.status)) done++;
    if (!isActiveStatus(i.status) || i.itemsTotal > 0) counted++;
  }
  const elapsed = now - live.startedAt;
  // Items once every mailbox has been counted (or is done): then the time left follows the rate.
  // Before that, the share of mailboxes done, and no time left (it would be a guess).
  const share = counted >= live.mailboxes && itemsTotal > 0 ? fractionDone(copied, itemsTotal, elapsed) : { percent: fractionDone(done, live.mailboxes, elapsed).percent };
  return { kind: live.kind, state: stopping ? 'stopping' : 'running', startedAt: live.startedAt, mailboxes: live.mailboxes, done, copied, bytes, itemsTotal, percent: share.percent, etaMs: share.etaMs };
}
