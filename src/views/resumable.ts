// Which pass of a project can be resumed, and why: one this window started and never saw end (the
// window reloaded, or its runner died), or the store's last pass that was interrupted or stopped.
// Running it again resumes from the store's cursors and watermarks. Pure.
import type { PassKind } from '../engine/statuses';
import type { ProjectView } from './projectView';

export interface Resumable {
  planFile: string;
  kind: PassKind;
  batch?: string;
  item?: string;
  startedAt?: string;
  /** 'cutOff': ours, cut off by a reload or a dead runner; 'interrupted' by another runner's death; 'stopped' on request. */
  reason: 'cutOff' | 'interrupted' | 'stopped';
}

export interface ActiveRecord {
  kind: PassKind;
  batch?: string;
  item?: string;
  startedAt: string;
}

export function resumableOf(view: ProjectView, record: ActiveRecord | undefined, runningHere: boolean): Resumable | undefined {
  if (runningHere) return undefined;
  const runnerAlive = view.snapshot?.runner !== undefined;
  if (record && !runnerAlive) return { planFile: view.planFile, kind: record.kind, batch: record.batch, item: record.item, startedAt: record.startedAt, reason: 'cutOff' };
  const last = view.passes[0];
  if (!last) return undefined;
  const base = { planFile: view.planFile, kind: last.kind, batch: last.scopeBatch, item: last.scopeItem, startedAt: last.startedAt };
  if (last.status === 'interrupted' || (last.status === 'running' && !runnerAlive)) return { ...base, reason: 'interrupted' };
  if (last.status === 'stopped') return { ...base, reason: 'stopped' };
  return undefined;
}
