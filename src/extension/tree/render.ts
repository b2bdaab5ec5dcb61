// How each node looks: label, description ("Synced · 1,204 items · 2.3 GB · 3 errors"), status
// icon, Markdown tooltip, contextValue (what its menus offer) and what a click does.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { canListMailboxes } from '../../connectors/registry';
import { getEntry } from '../../errors/catalog';
import { Commands } from '../common/ids';
import { toRange } from '../language/convert';
import { batchCapabilities, contextValue, itemCapabilities, projectCapabilities, type RunContext } from '../model/capabilities';
import { bytes, count, dotted, duration, label } from '../model/format';
import { itemKey } from '../model/liveState';
import { isFailedItem, type ProjectView } from '../model/projectView';
import { countsText, passState, timeLeft } from '../model/viewSummary';
import { mailboxProgress } from '../model/passProgress';
import { passNames } from '../runs/passTitles';
import { errorsOf, pageSize } from './children';
import { batchIcon, errorIcon, itemIcon, passIcon, plainIcon } from './icons';
import type { FerryNode } from './nodes';
import { batchTooltip, errorTooltip, itemTooltip, projectTooltip } from './tooltips';

const C = vscode.TreeItemCollapsibleState;
const errors = (n: number) => n > 0 && count(n, 'error');

export function render(node: FerryNode, view: ProjectView, run: RunContext, shown: number): vscode.TreeItem {
  const item = build(node, view, run, shown);
  item.id = node.id;
  return item;
}

function build(node: FerryNode, view: ProjectView, run: RunContext, shown: number): vscode.TreeItem {
  switch (node.kind) {
    case 'project': {
      const t = view.totals;
      const it = new vscode.TreeItem(view.name, C.Expanded);
      const running = passState(view);
      it.description = running ? dotted(running, countsText(view)) : view.snapshot?.status ? dotted(countsText(view), bytes(t.bytes), errors(t.errors)) : countsText(view);
      it.iconPath = running ? plainIcon(view.pass?.state === 'stopping' ? 'debug-stop' : 'sync~spin', 'charts.blue') : run.canResume ? plainIcon('debug-disconnect', 'list.warningForeground') : plainIcon('project');
      it.tooltip = projectTooltip(view);
      it.contextValue = contextValue('project', projectCapabilities(view, run));
      return it;
    }
    case 'endpoints': {
      const it = new vscode.TreeItem('Endpoints', C.Collapsed);
      it.description = String(view.outline?.endpoints.length ?? 0);
      it.iconPath = plainIcon('plug');
      it.contextValue = contextValue('endpoints');
      return it;
    }
    case 'endpoint': {
      const e = view.outline?.endpoints.find((x) => x.name === node.ref.endpoint);
      const failures = errorsOf(node, view);
      const roles = [view.batches.some((b) => b.plan?.source === e?.name) && 'source', view.batches.some((b) => b.plan?.destination === e?.name) && 'destination'].filter(Boolean).join(' & ');
      const it = new vscode.TreeItem(node.ref.endpoint!, failures.length ? C.Expanded : C.None);
      it.description = dotted(e?.type ?? 'unknown type', roles, errors(failures.length));
      it.iconPath = failures.length ? errorIcon() : plainIcon(e?.type === 'maildir' ? 'folder-library' : 'server');
      it.tooltip = new vscode.MarkdownString(`**${node.ref.endpoint}** (${e?.type ?? '?'})\n\n${Object.entries(e?.settings ?? {}).filter(([, v]) => typeof v !== 'object').map(([k, v]) => `- ${k}: ${String(v)}`).join('\n')}`);
      it.contextValue = contextValue('endpoint', canListMailboxes(e?.type) ? ['canDiscover'] : []);
      if (e) it.command = openAt(view.planFile, e.nameRange);
      return it;
    }
    case 'batches': {
      const it = new vscode.TreeItem('Batches', C.Expanded);
      it.description = dotted(count(view.batches.length, 'batch', 'batches'), count(view.totals.mailboxes, 'mailbox', 'mailboxes'));
      it.iconPath = plainIcon('layers');
      it.contextValue = contextValue('batches', view.outline?.batches.length ? ['canAddItems'] : []);
      return it;
    }
    case 'batch': {
      const b = view.batches.find((x) => x.name === node.ref.batch);
      const it = new vscode.TreeItem(node.ref.batch!, C.Collapsed);
      if (!b) return it;
      it.description = dotted(label(b.status ?? 'Created'), count(b.totals.items, 'item'), bytes(b.totals.bytes), errors(b.totals.errors), !b.plan && 'not in the plan');
      it.iconPath = batchIcon(b.status);
      it.tooltip = batchTooltip(b);
      it.contextValue = contextValue('batch', batchCapabilities(b, run));
      return it;
    }
    case 'item': {
      const i = view.items.get(itemKey(node.ref.batch!, node.ref.item!));
      const it = new vscode.TreeItem(node.ref.item!, C.None);
      if (!i) return it;
      const b = view.batches.find((x) => x.name === i.batch)!;
      const hasChildren = i.folders.length > 0 || i.errors.length > 0 || !!i.lastError;
      it.collapsibleState = hasChildren ? (i.lastError || i.errors.length ? C.Expanded : C.Collapsed) : C.None;
      const copying = i.live && (i.status === 'InProgress' || i.status === 'ResyncStarted') ? mailboxProgress(i.live, view.at) : undefined;
      const progress = copying && dotted(`${copying.percent}%`, timeLeft(copying.etaMs));
      it.description = dotted(i.destination ? `→ ${i.destination}` : undefined, label(i.status), progress, i.items > 0 && count(i.items, 'item'), i.bytes > 0 && bytes(i.bytes), errors(i.errorCount), !i.plan && 'not in the plan');
      it.iconPath = itemIcon(i.status);
      it.tooltip = itemTooltip(i);
      it.contextValue = contextValue('item', itemCapabilities(i, b, run));
      if (i.plan) it.command = openAt(i.plan.origin.file, i.plan.origin.range);
      return it;
    }
    case 'folder': {
      const i = view.items.get(itemKey(node.ref.batch!, node.ref.item!));
      const f = i?.folders.find((x) => x.path === node.ref.folder);
      const it = new vscode.TreeItem(node.ref.folder!, f?.errors.length ? C.Collapsed : C.None);
      if (!f) return it;
      it.description = dotted(f.destinationPath && f.destinationPath !== f.path ? `→ ${f.destinationPath}` : undefined, count(f.items, 'item'), bytes(f.bytes), f.skipped > 0 && `${f.skipped} skipped`, errors(f.errors.length));
      it.iconPath = plainIcon(f.errors.length ? 'folder-active' : 'folder', f.errors.length ? 'list.warningForeground' : undefined);
      it.contextValue = contextValue('folder');
      return it;
    }
    case 'error': {
      const placed = errorsOf(node.parent!, view)[node.ref.error ?? 0];
      const it = new vscode.TreeItem(placed?.error.code ?? 'error', C.None);
      if (!placed) return it;
      const severity = getEntry(placed.error.code)?.severity;
      it.description = placed.error.message;
      it.iconPath = severity === 'information' ? plainIcon('info') : errorIcon(severity === 'error' ? 'error' : 'warning');
      it.tooltip = errorTooltip(placed.error);
      it.contextValue = contextValue('error');
      if (placed.range) it.command = openAt(placed.file, placed.range);
      return it;
    }
    case 'passes': {
      const it = new vscode.TreeItem('Passes', C.Collapsed);
      it.description = `last ${view.passes.length}`;
      it.iconPath = plainIcon('history');
      it.contextValue = contextValue('passes');
      return it;
    }
    case 'pass': {
      const p = view.passes.find((x) => x.id === node.ref.passId);
      const it = new vscode.TreeItem(p ? `#${p.id} ${passNames[p.kind]}` : 'pass', C.None);
      if (!p) return it;
      const took = p.endedAt ? duration(Date.parse(p.endedAt) - Date.parse(p.startedAt)) : undefined;
      // As its mailboxes stand now: a pass that left mailboxes failed did not succeed.
      const failed = [...view.items.values()].filter((i) => i.stats?.lastPassId === p.id && isFailedItem(i)).length;
      it.description = dotted(p.status === 'completed' ? (failed ? `Completed in ${took}, ${failed} failed` : `Succeeded in ${took}`) : label(p.status), p.scopeBatch && `batch ${p.scopeBatch}`, p.scopeItem, p.errorCode, p.startedAt.replace('T', ' ').slice(0, 19));
      it.iconPath = passIcon(p.status);
      it.contextValue = contextValue('pass');
      return it;
    }
    case 'more': {
      const b = view.batches.find((x) => x.name === node.ref.batch);
      const total = b?.items.length ?? 0;
      const it = new vscode.TreeItem('Load more…', C.None);
      it.description = `${count(Math.min(shown, total), 'mailbox', 'mailboxes')} of ${total.toLocaleString('en-US')} shown; next ${Math.min(pageSize, total - shown)}`;
      it.iconPath = plainIcon('ellipsis');
      it.command = { command: Commands.loadMore, title: 'Load more', arguments: [node] };
      it.contextValue = contextValue('more');
      return it;
    }
  }
}

function openAt(file: string, range: import('../../plan/diagnostic').Range): vscode.Command {
  return { command: 'vscode.open', title: 'Open in the plan', arguments: [vscode.Uri.file(file), { selection: toRange(range), preview: true }] satisfies [vscode.Uri, vscode.TextDocumentShowOptions] };
}

export const planName = (planFile: string) => path.basename(planFile);
