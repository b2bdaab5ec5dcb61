// Commands on several mailboxes at once: a selection in the Projects tree (canSelectMany: VS Code
// passes the clicked node and every selected node) or the dashboard's checked rows. Each asks once,
// naming how many mailboxes it acts on and which of the selected it leaves out and why; what the
// state does not allow is never attempted (the capability rules of the tree).
import * as vscode from 'vscode';
import type { PassKind } from '../../engine/statuses';
import type { TextEdit } from '../../plan/fixes';
import { toRange } from '../language/convert';
import { itemCapabilities } from '../../views/capabilities';
import { batchStatusLabel, count } from '../../views/format';
import { itemKey } from '../../views/liveState';
import { removeCsvLineEdit, removePlanItemEdits } from '../../views/planEdits';
import type { ItemView, ProjectView } from '../../views/projectView';
import { passNames } from '../../views/passTitles';
import { FerryNode } from '../../views/tree/nodes';
import type { PassDeps } from './passCommands';

export interface Selected {
  batch: string;
  source: string;
}

/** A selection: the plan and its mailboxes (a batch node stands for all of its mailboxes). */
export interface Selection {
  planFile: string;
  mailboxes: Selected[];
  /** Batches selected whole. */
  batches: string[];
}

/**
 * What a command was invoked on when it is several mailboxes: the tree's selection (more than one
 * node) or the dashboard's `{ planFile, selection }`; undefined otherwise (one node: the usual path).
 * Throws when the selection spans plans (each plan has its own runner).
 */
export function selectionOf(arg: unknown, all: unknown, view: (planFile: string) => ProjectView | undefined): Selection | undefined {
  if (typeof arg === 'object' && arg !== null && !(arg instanceof FerryNode) && Array.isArray((arg as { selection?: unknown }).selection)) {
    const o = arg as { planFile: string; selection: Selected[] };
    return { planFile: o.planFile, mailboxes: o.selection, batches: [] };
  }
  if (!Array.isArray(all) || all.length < 2) return undefined;
  const nodes = all.filter((n): n is FerryNode => n instanceof FerryNode && (n.kind === 'item' || n.kind === 'batch'));
  const plans = [...new Set(nodes.map((n) => n.planFile))];
  if (plans.length > 1) throw new SelectionError('Ferry: select mailboxes of one plan at a time (each plan has its own runner).');
  if (!plans.length) return undefined;
  const v = view(plans[0]);
  const seen = new Set<string>();
  const mailboxes: Selected[] = [];
  const add = (batch: string, source: string) => {
    if (seen.has(itemKey(batch, source))) return;
    seen.add(itemKey(batch, source));
    mailboxes.push({ batch, source });
  };
  for (const n of nodes) {
    if (n.kind === 'item') add(n.ref.batch!, n.ref.item!);
    else for (const i of v?.batches.find((b) => b.name === n.ref.batch)?.items ?? []) add(i.batch, i.source);
  }
  return { planFile: plans[0], mailboxes, batches: nodes.filter((n) => n.kind === 'batch').map((n) => n.ref.batch!) };
}

export class SelectionError extends Error {}

interface Sorted {
  take: ItemView[];
  leave: { item: ItemView | Selected; why: string }[];
}

/** Splits a selection into the mailboxes a capability allows and the others, with why not. */
function sortOut(view: ProjectView, sel: Selection, running: boolean, capability: string, refusal: (i: ItemView) => string): Sorted {
  const out: Sorted = { take: [], leave: [] };
  for (const m of sel.mailboxes) {
    const i = view.items.get(itemKey(m.batch, m.source));
    const b = view.batches.find((x) => x.name === m.batch);
    if (!i || !b) out.leave.push({ item: m, why: 'not in the plan' });
    else if (itemCapabilities(i, b, { running, canResume: false }).includes(capability)) out.take.push(i);
    else out.leave.push({ item: i, why: refusal(i) });
  }
  return out;
}

const names = (items: readonly { source: string }[], max = 8) => items.slice(0, max).map((i) => i.source).join(', ') + (items.length > max ? ` and ${items.length - max} more` : '');

function leftOut(s: Sorted): string {
  if (!s.leave.length) return '';
  const why = new Map<string, string[]>();
  for (const l of s.leave) why.set(l.why, [...(why.get(l.why) ?? []), l.item.source]);
  return `\n\nLeft out (${s.leave.length} of ${s.take.length + s.leave.length} selected): ${[...why].map(([w, list]) => `${names(list.map((source) => ({ source })), 4)} (${w})`).join('; ')}.`;
}

/** One confirmation naming how many; true when the operator agreed. */
async function confirm(question: string, detail: string, button: string): Promise<boolean> {
  return (await vscode.window.showWarningMessage(question, { modal: true, detail }, button)) === button;
}

async function viewOf(deps: PassDeps, planFile: string): Promise<ProjectView | undefined> {
  return deps.registry.get(planFile)?.view();
}

/** A pass over the selected mailboxes that may run it: one pass, one runner, one confirmation. */
export async function startOnSelection(deps: PassDeps, kind: PassKind, sel: Selection, confirmed = false): Promise<unknown> {
  const view = await viewOf(deps, sel.planFile);
  if (!view) return undefined;
  const running = deps.passes.isRunning(sel.planFile);
  const capability = kind === 'retry' ? 'canRetry' : 'canStart';
  const sorted = sortOut(view, sel, running, capability, (i) => {
    const b = view.batches.find((x) => x.name === i.batch);
    if (running) return 'a pass is running';
    if (kind === 'retry') return 'no failed item a retry would read again';
    return `batch ${i.batch} is ${batchStatusLabel(b?.status)}`;
  });
  const pass = passNames[kind];
  if (!sorted.take.length) {
    void vscode.window.showInformationMessage(`Ferry: ${pass}: none of the ${count(sel.mailboxes.length, 'selected mailbox', 'selected mailboxes')} can run it now.${leftOut(sorted)}`);
    return undefined;
  }
  const n = count(sorted.take.length, 'mailbox', 'mailboxes');
  if (!confirmed && !(await confirm(`${pass} of ${n}?`, `${names(sorted.take)}.${leftOut(sorted)}`, `Start ${pass}`))) return undefined;
  const batches = [...new Set(sorted.take.map((i) => i.batch))];
  const batch = batches.length === 1 ? batches[0] : undefined;
  const wholeBatch = batch !== undefined && sel.batches.includes(batch) && sorted.take.length === view.batches.find((b) => b.name === batch)?.items.length;
  return deps.passes.startPass({ planFile: sel.planFile, batch, items: wholeBatch ? undefined : sorted.take.map((i) => i.source) }, kind);
}

/** Stops the pass that runs the selected mailboxes (a pass stops as a whole: the question says so). */
export async function stopOnSelection(deps: PassDeps, sel: Selection, confirmed = false): Promise<boolean> {
  const view = await viewOf(deps, sel.planFile);
  if (!view?.pass || !deps.passes.isRunning(sel.planFile)) {
    void vscode.window.showInformationMessage('Ferry: no pass of this window is running for those mailboxes.');
    return false;
  }
  const inPass = sel.mailboxes.filter((m) => view.live?.items.has(itemKey(m.batch, m.source)) || view.live?.perBatch.has(m.batch));
  const detail = `The ${passNames[view.pass.kind ?? 'full'].toLowerCase()} runs ${count(view.pass.mailboxes, 'mailbox', 'mailboxes')}, ${inPass.length} of them selected; it stops as a whole. Mailboxes in flight finish the item they are writing; the next pass goes on where this one stopped.`;
  if (!confirmed && !(await confirm(`Stop the pass running ${count(inPass.length, 'selected mailbox', 'selected mailboxes')}?`, detail, 'Stop'))) return false;
  return (await deps.passes.stop(sel.planFile)) === 'stopping';
}

/** Takes the selected mailboxes out of their batches in the plan (or its CSV file), where the batch may be edited. */
export async function removeSelection(deps: PassDeps, sel: Selection, confirmed = false): Promise<number> {
  const view = await viewOf(deps, sel.planFile);
  if (!view) return 0;
  const running = deps.passes.isRunning(sel.planFile);
  const sorted = sortOut(view, sel, running, 'canRemove', (i) => (running ? 'a pass is running' : `batch ${i.batch} is ${batchStatusLabel(view.batches.find((b) => b.name === i.batch)?.status)}`));
  if (!sorted.take.length) {
    void vscode.window.showInformationMessage(`Ferry: none of the ${count(sel.mailboxes.length, 'selected mailbox', 'selected mailboxes')} can leave its batch now.${leftOut(sorted)}`);
    return 0;
  }
  const n = count(sorted.take.length, 'mailbox', 'mailboxes');
  const detail = `${names(sorted.take)}. Their entries leave the plan (or its items file); mail already copied stays where it is, and the run state keeps what it knows until the batch's state is deleted.${leftOut(sorted)}`;
  if (!confirmed && !(await confirm(`Remove ${n} from ${sorted.take.length === 1 ? 'its batch' : 'their batches'}?`, detail, 'Remove'))) return 0;
  const edit = new vscode.WorkspaceEdit();
  const texts = new Map<string, string>();
  const text = async (file: string) => texts.get(file) ?? texts.set(file, (await vscode.workspace.openTextDocument(file)).getText()).get(file)!;
  const add = (file: string, edits: readonly TextEdit[]) => edits.forEach((e) => edit.replace(vscode.Uri.file(file), toRange(e.range), e.newText));
  for (const b of view.batches) {
    const chosen = sorted.take.filter((i) => i.batch === b.name && i.plan);
    const inPlan = b.plan?.items.filter((i) => i.lines) ?? [];
    const emptied = chosen.length > 0 && inPlan.length > 0 && inPlan.every((p) => chosen.some((i) => i.plan === p));
    for (const [k, i] of chosen.entries()) {
      const origin = i.plan!.origin;
      if (origin.kind === 'csv') add(origin.file, [removeCsvLineEdit(origin.line)]);
      // The batch's last plan entry leaves `items: []` behind, once.
      else if (i.plan!.lines) add(origin.file, removePlanItemEdits(await text(origin.file), i.plan!.lines, b.plan?.itemsList?.keyLine, emptied && k === chosen.length - 1 ? 1 : 2));
    }
  }
  if (!(await vscode.workspace.applyEdit(edit))) return 0;
  return sorted.take.length;
}
