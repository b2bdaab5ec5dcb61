// What the operator may do with a tree node right now, as the words its contextValue carries
// (`batch canStart canDelete`); the manifest's `when` clauses match them. Batch rules come from the
// engine (Exchange dashboard: start/edit/delete when Stopped, stop when Syncing, complete when
// Synced, delete only in a final state); while a pass runs the runner is busy with it.
import { isAllowed } from '../engine/batchActions';
import { retryRuns } from '../engine/selection';
import type { BatchStatus } from '../engine/statuses';
import { isFailedItem, type BatchView, type ItemView, type ProjectView } from './projectView';

export type NodeKind = 'project' | 'endpoints' | 'endpoint' | 'batches' | 'batch' | 'item' | 'folder' | 'error' | 'passes' | 'pass' | 'more';

export interface RunContext {
  /** A pass of this plan's state folder is running (ours). */
  running: boolean;
  /** The last pass was stopped or interrupted and can be run again. */
  canResume: boolean;
}

const statusOf = (b: BatchView): BatchStatus => b.status ?? 'Created';

/** A retry pass would run for this mailbox (the engine's own rule: else ENG-001 or ENG-002). */
export const retryWouldRun = (i: ItemView): boolean => !!i.plan && retryRuns(i.status, i.stats?.retryable ?? 0);

/** A mailbox that failed as a whole: what works is a full pass of it, not a retry. */
export const needsFullPass = (i: ItemView): boolean => !!i.plan && isFailedItem(i);

export function batchCapabilities(b: BatchView, run: RunContext): string[] {
  const status = statusOf(b);
  const caps: string[] = [];
  if (run.running) {
    if (isAllowed(status, 'stop')) caps.push('canStop');
  } else {
    if (b.plan && isAllowed(status, 'start')) caps.push('canStart');
    if (caps.includes('canStart') && b.items.some(retryWouldRun)) caps.push('canRetry');
    if (b.plan && isAllowed(status, 'complete')) caps.push('canComplete');
    if (b.stats && isAllowed(status, 'delete')) caps.push('canDelete');
  }
  if (b.plan && isAllowed(status, 'approve') && b.items.some((i) => i.status === 'ConfirmationRequired')) caps.push('canApprove');
  if (b.plan) caps.push('canAddItems');
  return caps;
}

export function itemCapabilities(i: ItemView, batch: BatchView, run: RunContext): string[] {
  const status = statusOf(batch);
  const caps: string[] = [];
  if (!run.running && i.plan && isAllowed(status, 'start')) {
    caps.push('canStart');
    if (retryWouldRun(i)) caps.push('canRetry');
    else if (needsFullPass(i)) caps.push('canRunAgain');
  }
  if (run.running && isAllowed(status, 'stop')) caps.push('canStop');
  if (i.status === 'ConfirmationRequired' && i.plan && isAllowed(status, 'approve')) caps.push('canApprove');
  // Out of the plan while its batch may be edited and no pass runs (what was copied stays).
  if (!run.running && i.plan && isAllowed(status, 'edit')) caps.push('canRemove');
  return caps;
}

export function projectCapabilities(p: ProjectView, run: RunContext): string[] {
  const caps: string[] = [];
  if (run.running) caps.push('canStop');
  else if (p.batches.some((b) => b.plan && isAllowed(statusOf(b), 'start'))) {
    caps.push('canStart');
    if (p.batches.some((b) => b.plan && isAllowed(statusOf(b), 'start') && b.items.some(retryWouldRun))) caps.push('canRetry');
  }
  if (!run.running && run.canResume) caps.push('canResume');
  if (p.snapshot?.status) caps.push('hasState');
  if (p.outline?.batches.length) caps.push('canAddItems');
  return caps;
}

/** The contextValue of a node: its kind, then what may be done with it. */
export function contextValue(kind: NodeKind, caps: readonly string[] = []): string {
  return [kind, ...caps].join(' ');
}
