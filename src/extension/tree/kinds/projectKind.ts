// The project row: the plan's name and the counts every view shows; its children are Endpoints, Batches and Passes.
import * as vscode from 'vscode';
import { contextValue, projectCapabilities } from '../../../views/capabilities';
import { bytes, dotted } from '../../../views/format';
import { countsText, passState } from '../../../views/viewSummary';
import { plainIcon } from '../icons';
import { projectTooltip } from '../tooltips';
import { errorCount } from './nodeKind';
import type { NodeKindView } from './nodeKind';

export const projectKind: NodeKindView = {
  render(node, view, run) {
    const t = view.totals;
    const it = new vscode.TreeItem(view.name, vscode.TreeItemCollapsibleState.Expanded);
    const running = passState(view);
    it.description = running ? dotted(running, countsText(view)) : view.snapshot?.status ? dotted(countsText(view), bytes(t.bytes), errorCount(t.errors)) : countsText(view);
    it.iconPath = running ? plainIcon(view.pass?.state === 'stopping' ? 'debug-stop' : 'sync~spin', 'charts.blue') : run.canResume ? plainIcon('debug-disconnect', 'list.warningForeground') : plainIcon('project');
    it.tooltip = projectTooltip(view);
    it.contextValue = contextValue('project', projectCapabilities(view, run));
    return it;
  },
};
