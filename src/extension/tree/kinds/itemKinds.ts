// Mailboxes (status, progress, counts), their folders and their errors.
import * as vscode from 'vscode';
import { getEntry } from '../../../errors/catalog';
import { contextValue, itemCapabilities } from '../../../views/capabilities';
import { bytes, count, dotted, itemLabel } from '../../../views/format';
import { itemKey } from '../../../views/liveState';
import { mailboxProgressText } from '../../../views/viewSummary';
import { errorsOf } from '../../../views/tree/nodeErrors';
import { errorIcon, itemIcon, plainIcon } from '../icons';
import { errorTooltip, itemTooltip } from '../tooltips';
import { errorCount, openAt } from './nodeKind';
import type { NodeKindView } from './nodeKind';

export const itemKind: NodeKindView = {
  render(node, view, run) {
    const i = view.items.get(itemKey(node.ref.batch!, node.ref.item!));
    const it = new vscode.TreeItem(node.ref.item!, vscode.TreeItemCollapsibleState.None);
    if (!i) return it;
    const b = view.batches.find((x) => x.name === i.batch)!;
    const hasChildren = i.folders.length > 0 || i.errors.length > 0 || !!i.lastError;
    it.collapsibleState = hasChildren ? (i.lastError || i.errors.length ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed) : vscode.TreeItemCollapsibleState.None;
    const progress = mailboxProgressText(view, i);
    it.description = dotted(i.destination ? `→ ${i.destination}` : undefined, itemLabel(i), progress, i.items > 0 && count(i.items, 'item'), i.bytes > 0 && bytes(i.bytes), errorCount(i.errorCount), !i.plan && 'not in the plan');
    it.iconPath = itemIcon(i.status);
    it.tooltip = itemTooltip(i);
    it.contextValue = contextValue('item', itemCapabilities(i, b, run));
    if (i.plan) it.command = openAt(i.plan.origin.file, i.plan.origin.range);
    return it;
  },
};

export const folderKind: NodeKindView = {
  render(node, view) {
    const i = view.items.get(itemKey(node.ref.batch!, node.ref.item!));
    const f = i?.folders.find((x) => x.path === node.ref.folder);
    const it = new vscode.TreeItem(node.ref.folder!, f?.errors.length ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    if (!f) return it;
    it.description = dotted(f.destinationPath && f.destinationPath !== f.path ? `→ ${f.destinationPath}` : undefined, count(f.items, 'item'), bytes(f.bytes), f.skipped > 0 && `${f.skipped} skipped`, errorCount(f.errors.length));
    it.iconPath = plainIcon(f.errors.length ? 'folder-active' : 'folder', f.errors.length ? 'list.warningForeground' : undefined);
    it.contextValue = contextValue('folder');
    return it;
  },
};

export const errorKind: NodeKindView = {
  render(node, view) {
    const placed = errorsOf(node.parent!, view)[node.ref.error ?? 0];
    const it = new vscode.TreeItem(placed?.error.code ?? 'error', vscode.TreeItemCollapsibleState.None);
    if (!placed) return it;
    const severity = getEntry(placed.error.code)?.severity;
    it.description = placed.error.message;
    it.iconPath = severity === 'information' ? plainIcon('info') : errorIcon(severity === 'error' ? 'error' : 'warning');
    it.tooltip = errorTooltip(placed.error);
    it.contextValue = contextValue('error');
    if (placed.range) it.command = openAt(placed.file, placed.range);
    return it;
  },
};
