// Batches, each batch with its status and totals, and the "Load more" row of a large batch.
import * as vscode from 'vscode';
import { Commands } from '../../common/ids';
import { batchCapabilities, contextValue } from '../../../views/capabilities';
import { batchStatusLabel, bytes, count, dotted } from '../../../views/format';
import { batchProgressText } from '../../../views/viewSummary';
import { batchIcon, plainIcon } from '../icons';
import { nextScheduled } from '../../../views/tree/schedule';
import { batchTooltip } from '../tooltips';
import { errorCount } from './nodeKind';
import { pageSize } from '../../../views/tree/children';
import { batchOf } from '../../../views/tree/nodes';
import type { NodeKindView } from './nodeKind';

export const batchesKind: NodeKindView = {
  render(node, view) {
    const it = new vscode.TreeItem('Batches', vscode.TreeItemCollapsibleState.Expanded);
    it.description = dotted(count(view.batches.length, 'batch', 'batches'), count(view.totals.mailboxes, 'mailbox', 'mailboxes'));
    it.iconPath = plainIcon('layers');
    it.contextValue = contextValue('batches', view.outline?.batches.length ? ['canAddItems'] : []);
    return it;
  },
};

export const batchKind: NodeKindView = {
  render(node, view, run) {
    const b = batchOf(node.ref, view.batches);
    const it = new vscode.TreeItem(node.ref.batch!, vscode.TreeItemCollapsibleState.Collapsed);
    if (!b) return it;
    it.description = dotted(batchStatusLabel(b.status), batchProgressText(view, b), count(b.totals.items, 'item'), bytes(b.totals.bytes), errorCount(b.totals.errors), !b.plan && 'not in the plan', nextScheduled(view, b.name));
    it.iconPath = batchIcon(b.status);
    it.tooltip = batchTooltip(b);
    it.contextValue = contextValue('batch', batchCapabilities(b, run));
    return it;
  },
};

export const moreKind: NodeKindView = {
  render(node, view, run, shown) {
    const b = batchOf(node.ref, view.batches);
    const total = b?.items.length ?? 0;
    const it = new vscode.TreeItem('Load more…', vscode.TreeItemCollapsibleState.None);
    it.description = `${count(Math.min(shown, total), 'mailbox', 'mailboxes')} of ${total.toLocaleString('en-US')} shown; next ${Math.min(pageSize, total - shown)}`;
    it.iconPath = plainIcon('ellipsis');
    it.command = { command: Commands.loadMore, title: 'Load more', arguments: [node] };
    it.contextValue = contextValue('more');
    return it;
  },
};
