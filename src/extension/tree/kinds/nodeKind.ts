// How each kind of node of the Projects view renders itself (label, description, icon, tooltip,
// contextValue, click): one object per kind (kinds/index.ts). A new kind is a new NodeKind, one
// object and its line there, and its children in ../children.ts if it has any.
import * as vscode from 'vscode';
import type { Range } from '../../../plan/diagnostic';
import { toRange } from '../../language/convert';
import type { RunContext } from '../../../views/capabilities';
import { count } from '../../../views/format';
import type { ProjectView } from '../../../views/projectView';
import type { FerryNode } from '../../../views/tree/nodes';

export interface NodeKindView {
  /** shown: how many mailboxes of the node's batch are shown (pages). */
  render(node: FerryNode, view: ProjectView, run: RunContext, shown: number): vscode.TreeItem;
}

/** "3 errors", or nothing for none. */
export const errorCount = (n: number) => n > 0 && count(n, 'error');

/** Opens a file at a range of the plan (or its CSV file). */
export function openAt(file: string, range: Range): vscode.Command {
  return { command: 'vscode.open', title: 'Open in the plan', arguments: [vscode.Uri.file(file), { selection: toRange(range), preview: true }] satisfies [vscode.Uri, vscode.TextDocumentShowOptions] };
}
