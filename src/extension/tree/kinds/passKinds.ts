// The latest passes and how each ended, as its mailboxes stand now.
import * as vscode from 'vscode';
import { contextValue } from '../../../views/capabilities';
import { dotted, duration, label } from '../../../views/format';
import { isFailedItem } from '../../../views/projectView';
import { passNames } from '../../../views/passTitles';
import { passIcon, plainIcon } from '../icons';
import type { NodeKindView } from './nodeKind';

export const passesKind: NodeKindView = {
  render(node, view) {
    const it = new vscode.TreeItem('Passes', vscode.TreeItemCollapsibleState.Collapsed);
    it.description = `last ${view.passes.length}`;
    it.iconPath = plainIcon('history');
    it.contextValue = contextValue('passes');
    return it;
  },
};

export const passKind: NodeKindView = {
  render(node, view) {
    const p = view.passes.find((x) => x.id === node.ref.passId);
    const it = new vscode.TreeItem(p ? `#${p.id} ${passNames[p.kind]}` : 'pass', vscode.TreeItemCollapsibleState.None);
    if (!p) return it;
    const took = p.endedAt ? duration(Date.parse(p.endedAt) - Date.parse(p.startedAt)) : undefined;
    // As its mailboxes stand now: a pass that left mailboxes failed did not succeed.
    const failed = [...view.items.values()].filter((i) => i.stats?.lastPassId === p.id && isFailedItem(i)).length;
    it.description = dotted(p.status === 'completed' ? (failed ? `Completed in ${took}, ${failed} failed` : `Succeeded in ${took}`) : label(p.status), p.scopeBatch && `batch ${p.scopeBatch}`, p.scopeItem, p.errorCode, p.startedAt.replace('T', ' ').slice(0, 19));
    it.iconPath = passIcon(p.status);
    it.contextValue = contextValue('pass');
    return it;
  },
};
