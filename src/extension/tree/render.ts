// How a node looks (each kind renders itself: kinds/): label, description ("Synced · 1,204 items ·
// 2.3 GB · 3 errors"), status icon, Markdown tooltip, contextValue (what its menus offer) and what a
// click does.
import * as path from 'node:path';
import type * as vscode from 'vscode';
import type { RunContext } from '../../views/capabilities';
import type { ProjectView } from '../../views/projectView';
import { nodeKinds } from './kinds';
import type { FerryNode } from '../../views/tree/nodes';

export function render(node: FerryNode, view: ProjectView, run: RunContext, shown: number): vscode.TreeItem {
  const item = nodeKinds[node.kind].render(node, view, run, shown);
  item.id = node.id;
  return item;
}

export const planName = (planFile: string) => path.basename(planFile);
