// Endpoints and each endpoint with its role and the run errors placed on it.
import * as vscode from 'vscode';
import { canListMailboxes } from '../../../connectors/registry';
import { contextValue } from '../../../views/capabilities';
import { dotted } from '../../../views/format';
import { errorsOf } from '../../../views/tree/nodeErrors';
import { errorIcon, plainIcon } from '../icons';
import { errorCount, openAt } from './nodeKind';
import type { NodeKindView } from './nodeKind';

export const endpointsKind: NodeKindView = {
  render(node, view) {
    const it = new vscode.TreeItem('Endpoints', vscode.TreeItemCollapsibleState.Collapsed);
    it.description = String(view.outline?.endpoints.length ?? 0);
    it.iconPath = plainIcon('plug');
    it.contextValue = contextValue('endpoints');
    return it;
  },
};

export const endpointKind: NodeKindView = {
  render(node, view) {
    const e = view.outline?.endpoints.find((x) => x.name === node.ref.endpoint);
    const failures = errorsOf(node, view);
    const roles = [view.batches.some((b) => b.plan?.source === e?.name) && 'source', view.batches.some((b) => b.plan?.destination === e?.name) && 'destination'].filter(Boolean).join(' & ');
    const it = new vscode.TreeItem(node.ref.endpoint!, failures.length ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
    it.description = dotted(e?.type ?? 'unknown type', roles, errorCount(failures.length));
    it.iconPath = failures.length ? errorIcon() : plainIcon(e?.type === 'maildir' ? 'folder-library' : 'server');
    it.tooltip = new vscode.MarkdownString(`**${node.ref.endpoint}** (${e?.type ?? '?'})\n\n${Object.entries(e?.settings ?? {}).filter(([, v]) => typeof v !== 'object').map(([k, v]) => `- ${k}: ${String(v)}`).join('\n')}`);
    it.contextValue = contextValue('endpoint', canListMailboxes(e?.type) ? ['canDiscover'] : []);
    if (e) it.command = openAt(view.planFile, e.nameRange);
    return it;
  },
};
