// Commands about seeing the state: refresh, load more of a batch, reveal the plan's batch or
// mailbox under the cursor in the Ferry view, export a report (the command line's own `ferry
// report`, so the file is exactly what a pipeline would produce).
import * as path from 'node:path';
import * as vscode from 'vscode';
import { toPosition } from '../language/convert';
import type { ProjectRegistry } from '../state/projectRegistry';
import type { StoreReader } from '../state/storeReader';
import type { FerryNode } from '../../views/tree/nodes';
import type { ProjectsTree } from '../tree/projectsTree';
import { resolveTarget } from './targets';

export function refresh(registry: ProjectRegistry) {
  return () => registry.refreshAll();
}

export function loadMore(tree: ProjectsTree) {
  return (node?: FerryNode) => node && tree.loadMore(node);
}

/** Reveals the batch or mailbox at the cursor of a plan editor (or the project) in the tree. */
export function revealInTree(registry: ProjectRegistry, tree: ProjectsTree) {
  return async (uri?: vscode.Uri): Promise<FerryNode | undefined> => {
    const editor = vscode.window.activeTextEditor;
    const planFile = (uri instanceof vscode.Uri ? uri : editor?.document.uri)?.fsPath;
    const project = planFile ? registry.get(planFile) : undefined;
    if (!project) return undefined;
    const view = await project.view();
    const line = editor && editor.document.uri.fsPath === planFile ? toPosition(editor.selection.active).line : -1;
    const batch = view.outline?.batches.find((b) => line >= b.lines.first && line <= b.lines.last);
    const item = batch?.items.find((i) => i.lines && line >= i.lines.first && line <= i.lines.last);
    return tree.reveal(project.planFile, batch?.name, item?.source, { select: true, focus: true, expand: true });
  };
}

const formats = [
  { label: 'Markdown', description: 'for people and pull requests', format: 'md' },
  { label: 'CSV', description: 'one row per mailbox', format: 'csv' },
  { label: 'JSON', description: 'everything, for tools', format: 'json' },
] as const;

export function exportReport(registry: ProjectRegistry, reader: StoreReader) {
  return async (arg?: unknown, format?: 'md' | 'csv' | 'json', file?: vscode.Uri): Promise<vscode.Uri | undefined> => {
    const target = await resolveTarget(arg, registry, { title: 'Ferry: Export Report', batch: 'none' });
    if (!target) return undefined;
    const chosen = format ?? (await vscode.window.showQuickPick(formats, { title: 'Ferry: Export Report', placeHolder: 'Format' }))?.format;
    if (!chosen) return undefined;
    const dir = path.dirname(target.planFile);
    const out = file ?? (await vscode.window.showSaveDialog({ title: 'Ferry: Export Report', defaultUri: vscode.Uri.file(path.join(dir, `ferry-report.${chosen}`)), filters: { [chosen.toUpperCase()]: [chosen] } }));
    if (!out) return undefined;
    const result = await reader.cli(['report', target.planFile, '--format', chosen], dir);
    if (result.code !== 0) {
      void vscode.window.showWarningMessage(`Ferry: no report: ${result.stderr.replace(/^ferry: /, '').trim() || `ferry report exited with ${result.code}`}`);
      return undefined;
    }
    await vscode.workspace.fs.writeFile(out, new TextEncoder().encode(result.stdout.endsWith('\n') ? result.stdout : `${result.stdout}\n`));
    if (!file) {
      void vscode.window.showInformationMessage(`Ferry: report written to ${vscode.workspace.asRelativePath(out)}.`, 'Open').then((c) => c && vscode.window.showTextDocument(out));
    }
    return out;
  };
}
