// Commands that run or steer passes: verify, trial, pre-stage, full, delta, retry errors, stop,
// resume, complete, delete batch state (final states only: the catalog's 409 otherwise), approve.
import * as vscode from 'vscode';
import { isAllowed } from '../../engine/batchActions';
import { formatMessage } from '../../errors/catalog';
import { finalBatchStatuses, type PassKind } from '../../engine/statuses';
import { Commands } from '../common/ids';
import { batchStatusLabel, count } from '../../views/format';
import type { PassService } from '../runs/passService';
import { passNames } from '../../views/passTitles';
import type { Reattach } from '../runs/reattach';
import type { ProjectRegistry } from '../state/projectRegistry';
import { removeSelection, selectionOf, SelectionError, startOnSelection, stopOnSelection, type Selection } from './selectionCommands';
import { pickProject, resolveTarget, targetOf } from './targets';

export interface PassDeps {
  registry: ProjectRegistry;
  passes: PassService;
  reattach: Reattach;
}

/** `ferry.start<Kind>` / `ferry.verifyCredentials` / `ferry.retryErrors` on a project, batch or mailbox. */
export function startPass(deps: PassDeps, kind: PassKind) {
  return async (arg?: unknown, all?: unknown) => {
    const selection = selected(deps, arg, all);
    if (selection) return startOnSelection(deps, kind, selection, confirmedIn(arg));
    const target = await resolveTarget(arg, deps.registry, { title: `Ferry: ${passNames[kind]}`, batch: 'optional' });
    return target ? deps.passes.startPass(target, kind) : undefined;
  };
}

export function stop(deps: PassDeps) {
  return async (arg?: unknown, all?: unknown) => {
    const selection = selected(deps, arg, all);
    if (selection) return stopOnSelection(deps, selection, confirmedIn(arg));
    const running = deps.registry.list().filter((p) => deps.passes.isRunning(p.planFile));
    const planFile = targetOf(arg).planFile ?? (running.length === 1 ? running[0].planFile : await pickProject(deps.registry, 'Ferry: Stop'));
    if (!planFile) return false;
    const outcome = await deps.passes.stop(planFile);
    if (outcome === 'ended') void vscode.window.showInformationMessage('Ferry: the pass had already ended when the stop reached the runner; nothing more to stop.');
    if (outcome === 'notRunning') {
      const runner = deps.registry.get(planFile)?.snapshot?.runner;
      void vscode.window.showInformationMessage(runner ? `Ferry: the pass running for that plan belongs to runner pid ${runner.pid} (${runner.owner}), not to this window; run \`ferry stop\` beside the plan to stop it.` : 'Ferry: no pass is running for that plan.');
    }
    return outcome === 'stopping';
  };
}

/** `ferry.removeItems`: the selected mailboxes (or the one clicked) out of their batches. */
export function removeItems(deps: PassDeps) {
  return async (arg?: unknown, all?: unknown) => {
    const t = targetOf(arg);
    const selection = selected(deps, arg, all) ?? (t.planFile && t.batch && t.item ? { planFile: t.planFile, mailboxes: [{ batch: t.batch, source: t.item }], batches: [] } : undefined);
    return selection ? removeSelection(deps, selection, confirmedIn(arg)) : 0;
  };
}

const confirmedIn = (arg: unknown) => typeof arg === 'object' && arg !== null && (arg as { confirmed?: unknown }).confirmed === true;

/** Several mailboxes (tree multi-selection, dashboard rows), or undefined; a selection across plans is refused here. */
function selected(deps: PassDeps, arg: unknown, all: unknown): Selection | undefined {
  try {
    return selectionOf(arg, all, (planFile) => deps.registry.get(planFile)?.cachedView());
  } catch (err) {
    if (!(err instanceof SelectionError)) throw err;
    void vscode.window.showWarningMessage(err.message);
    return { planFile: '', mailboxes: [], batches: [] };
  }
}

export function resume(deps: PassDeps) {
  return async (arg?: unknown) => {
    const candidates = deps.registry.list().filter((p) => deps.reattach.resumable(p.planFile));
    const planFile = targetOf(arg).planFile ?? (candidates.length === 1 ? candidates[0].planFile : await pickProject(deps.registry, 'Ferry: Resume'));
    if (!planFile) return undefined;
    await deps.registry.get(planFile)?.view();
    const r = deps.reattach.resumable(planFile);
    if (!r) {
      void vscode.window.showInformationMessage('Ferry: nothing to resume for that plan: its last pass ran to its end.');
      return undefined;
    }
    // A pass over a selection recorded its mailboxes as one scope ("a, b"): resumed over the same ones.
    const items = r.item?.includes(', ') ? r.item.split(', ') : undefined;
    return deps.passes.startPass({ planFile, batch: r.batch, item: items ? undefined : r.item, items }, r.kind);
  };
}

export function complete(deps: PassDeps) {
  return async (arg?: unknown) => {
    const target = await resolveTarget(arg, deps.registry, { title: 'Ferry: Complete Batch', batch: 'required', batchFilter: (b) => isAllowed(b.status ?? 'Created', 'complete') });
    if (!target?.batch) return undefined;
    const sure = arg && typeof arg === 'object' && (arg as { confirmed?: boolean }).confirmed === true;
    if (!sure && !(await confirmComplete(deps, target.planFile, target.batch))) return undefined;
    return deps.passes.complete({ ...target, batch: target.batch });
  };
}

/** The cut-over asks first, saying what it does: a final delta, then Completed for good. */
async function confirmComplete(deps: PassDeps, planFile: string, batch: string): Promise<boolean> {
  const view = await deps.registry.get(planFile)?.view();
  const b = view?.batches.find((x) => x.name === batch);
  const mailboxes = b ? count(b.items.length, 'mailbox', 'mailboxes') : 'its mailboxes';
  const detail = `Ferry runs a last delta pass of ${mailboxes} (what arrived since the last pass), then marks batch ${batch} Completed and its mailboxes Finalized. After that the batch cannot be started again: point users and mail delivery at the destination first.`;
  return (await vscode.window.showWarningMessage(`Complete batch ${batch}?`, { modal: true, detail }, 'Complete Batch')) === 'Complete Batch';
}

/** Refuses with the catalog's 409 entry (resourceTypeMismatch) unless the batch is in a final state. */
export function deleteBatchState(deps: PassDeps) {
  return async (arg?: unknown): Promise<{ deleted: boolean; code?: string }> => {
    const target = await resolveTarget(arg, deps.registry, { title: 'Ferry: Delete Batch State', batch: 'required' });
    if (!target?.batch) return { deleted: false };
    const view = await deps.registry.get(target.planFile)!.view();
    const batch = view.batches.find((b) => b.name === target.batch);
    const status = batch?.status ?? 'Created';
    if (!finalBatchStatuses.includes(status) || deps.passes.isRunning(target.planFile)) {
      const code = 'resourceTypeMismatch';
      void vscode.window.showErrorMessage(`Ferry: ${code} (HTTP 409): ${formatMessage(code, [target.batch])} It is ${batchStatusLabel(status)}.`, 'Explain', 'Stop').then((c) => {
        if (c === 'Explain') void vscode.commands.executeCommand(Commands.explainCode, code);
        if (c === 'Stop') void vscode.commands.executeCommand(Commands.stopBatch, { planFile: target.planFile });
      });
      return { deleted: false, code };
    }
    if (!batch?.stats) {
      void vscode.window.showInformationMessage(`Ferry: batch ${target.batch} has no run state to delete.`);
      return { deleted: false };
    }
    const sure = arg && typeof arg === 'object' && (arg as { confirmed?: boolean }).confirmed === true;
    const ok = sure || (await vscode.window.showWarningMessage(`Delete what Ferry remembers about batch ${target.batch}? Its statuses, statistics and copy records go; mail already copied stays where it is, and a later pass treats the batch as new.`, { modal: true }, 'Delete State')) === 'Delete State';
    return { deleted: ok ? await deps.passes.deleteBatch({ ...target, batch: target.batch }) : false };
  };
}

export function approve(deps: PassDeps) {
  return async (arg?: unknown) => {
    const target = await resolveTarget(arg, deps.registry, {
      title: 'Ferry: Approve Oversize Mailbox',
      batch: 'required',
      batchFilter: (b) => b.items.some((i) => i.status === 'ConfirmationRequired'),
      item: (_view, batch) => batch.items.filter((i) => i.status === 'ConfirmationRequired').map((i) => i.source),
    });
    if (!target) return undefined;
    const approved = await deps.passes.approve(target);
    if (approved) void vscode.window.showInformationMessage(approved.length ? `Ferry: approved ${approved.join(', ')}; the next pass copies ${approved.length === 1 ? 'it' : 'them'}.` : 'Ferry: nothing to approve.');
    return approved;
  };
}
