// What the operator may do with a tree node right now, as the words its contextValue carries
// (`batch canStart canDelete`); the manifest's `when` clauses match them. Batch rules come from the
// engine (Exchange dashboard: start/edit/delete when Stopped, stop when Syncing, complete when
// Synced, delete only in a final state); while a pass runs the runner is busy with it.
import { isAllowed } from '../../engine/batchActions';
import type { BatchStatus } from '../../engine/statuses';
import { isFailedItem, type BatchView, type ItemView, type ProjectView } from './projectView';

export type NodeKind = 'project' | 'endpoints' | 'endpoint' | 'batches' | 'batch' | 'item' | 'folder' | 'error' | 'passes' | 'pass' | 'more';

export interface RunContext {
  /** A pass of this plan's state folder is running (ours). */
  running: boolean;
  /** The last pass was stopped or interrupted and can be run again. */
  canResume: boolean;
}

const statusOf = (b: BatchView): BatchStatus => b.status ?? 'Created';

export function batchCapabilities(b: BatchView, run: RunContext): string[] {
  const status = statusOf(b);
  const caps: string[] = [];
  if (run.running) {
    if (isAllowed(status, 'stop')) caps.push('canStop');
  } else {
    if (b.plan && isAllowed(status, 'start')) caps.push('canStart');
    if (caps.includes('canStart') && (b.totals.errors > 0 || b.totals.failed > 0)) caps.push('canRetry');
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
    if (i.errorCount > 0 || isFailedItem(i)) caps.push('canRetry');
  }
  if (run.running && isAllowed(status, 'stop')) caps.push('canStop');
  if (i.status === 'ConfirmationRequired' && i.plan && isAllowed(status, 'approve')) caps.push('canApprove');
  return caps;
}

export function projectCapabilities(p: ProjectView, run: RunContext): string[] {
  const caps: string[] = [];
  if (run.running) caps.push('canStop');
  else if (p.batches.some((b) => b.plan && isAllowed(statusOf(b), 'start'))) caps.push('canStart');
  if (!run.running && run.canResume) caps.push('canResume');
  if (p.snapshot?.status) caps.push('hasState');
  if (p.outline?.batches.length) caps.push('canAddItems');
  return caps;
}

/** The contextValue of a node: its kind, then what may be done with it. */
export function contextValue(kind: NodeKind, caps: readonly string[] = []): string {
  return [kind, ...caps].join(' ');
}
