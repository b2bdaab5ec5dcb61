// What a command acts on: the tree node it was invoked on, the target a quick fix or the dashboard
// passed, the plan of an editor or explorer entry, or else what the operator picks in quick picks.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { batchStatusLabel } from '../../views/format';
import type { BatchView, ProjectView } from '../../views/projectView';
import type { RunTarget } from '../runs/passService';
import type { ProjectRegistry } from '../state/projectRegistry';
import { FerryNode } from '../../views/tree/nodes';

export interface TargetNeeds {
  title: string;
  /** 'required': ask for a batch; 'optional': offer "all batches" too; 'none': the project only. */
  batch: 'required' | 'optional' | 'none';
  /** Mailboxes to offer when the batch is known and none was given (e.g. only those to approve). */
  item?: (view: ProjectView, batch: BatchView) => string[] | undefined;
  /** Only batches that pass this test are offered. */
  batchFilter?: (batch: BatchView) => boolean;
}

/** What a command was invoked with, without asking anything. */
export function targetOf(arg: unknown): Partial<RunTarget> {
  if (arg instanceof FerryNode) return { planFile: arg.planFile, batch: arg.ref.batch, item: arg.ref.item };
  if (arg instanceof vscode.Uri) return { planFile: arg.fsPath };
  if (typeof arg === 'object' && arg !== null) {
    const o = arg as { planFile?: unknown; batch?: unknown; item?: unknown; file?: unknown };
    const planFile = typeof o.planFile === 'string' ? o.planFile : typeof o.file === 'string' && /\.migration\.ya?ml$/i.test(o.file) ? o.file : undefined;
    return { planFile, batch: typeof o.batch === 'string' ? o.batch : undefined, item: typeof o.item === 'string' ? o.item : undefined };
  }
  return {};
}

/** The target, asking with quick picks for what the invocation did not say; undefined when cancelled. */
export async function resolveTarget(arg: unknown, registry: ProjectRegistry, needs: TargetNeeds): Promise<RunTarget | undefined> {
  await registry.ready();
  const given = targetOf(arg);
  const asked = arg === undefined || (typeof arg === 'object' && arg !== null && !(arg instanceof FerryNode) && !('batch' in arg));
  const planFile = given.planFile ?? (await pickProject(registry, needs.title));
  if (!planFile) return undefined;
  const project = registry.get(planFile);
  if (!project) throw new Error(`${planFile} is not a migration plan of this workspace`);
  const view = await project.view();
  let batch = given.batch;
  if (batch === undefined && needs.batch !== 'none' && (needs.batch === 'required' || asked)) {
    const picked = await pickBatch(view, needs);
    if (picked === undefined) return undefined;
    batch = picked === '' ? undefined : picked;
  }
  let item = given.item;
  const batchView = batch !== undefined ? view.batches.find((b) => b.name === batch) : undefined;
  const candidates = batchView && item === undefined ? needs.item?.(view, batchView) : undefined;
  if (candidates) {
    const picked = await vscode.window.showQuickPick(candidates, { title: needs.title, placeHolder: 'Mailbox' });
    if (!picked) return undefined;
    item = picked;
  }
  return { planFile, batch, item };
}

export async function pickProject(registry: ProjectRegistry, title: string): Promise<string | undefined> {
  await registry.ready();
  const projects = registry.list();
  if (projects.length === 1) return projects[0].planFile;
  if (!projects.length) {
    void vscode.window.showInformationMessage('Ferry: this workspace has no migration plan (*.migration.yaml). Create one with "Ferry: New Migration Project".');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    projects.map((p) => ({ label: p.outline?.name ?? path.basename(p.planFile), description: vscode.workspace.asRelativePath(p.planFile), planFile: p.planFile })),
    { title, placeHolder: 'Migration project' },
  );
  return picked?.planFile;
}

/** A batch name, '' for "all batches", undefined when cancelled. */
async function pickBatch(view: ProjectView, needs: TargetNeeds): Promise<string | undefined> {
  const batches = view.batches.filter((b) => b.plan && (needs.batchFilter?.(b) ?? true));
  const items: (vscode.QuickPickItem & { name: string })[] = batches.map((b) => ({ label: b.name, description: batchStatusLabel(b.status), detail: `${b.items.length} mailboxes`, name: b.name }));
  if (needs.batch === 'optional') items.unshift({ label: 'All batches', description: view.name, name: '' });
  if (!items.length) {
    void vscode.window.showInformationMessage(`Ferry: ${needs.title}: no batch of ${view.name} qualifies.`);
    return undefined;
  }
  if (items.length === 1 && needs.batch === 'required') return items[0].name;
  return (await vscode.window.showQuickPick(items, { title: needs.title, placeHolder: 'Batch' }))?.name;
}
