// Markdown tooltips with the statistics the Exchange migration dashboard shows: per batch Total,
// Synced, Finalized, Failed, percentage synced, times and durations; per mailbox its sizes,
// copied items per folder, skipped items by reason and its last error.
import * as vscode from 'vscode';
import { getEntry } from '../../errors/catalog';
import { batchStatusLabel, bytes, count, duration, itemLabel, when } from '../../views/format';
import type { RunError } from '../../views/liveState';
import { notCopiedLines, skippedByCode } from '../../views/notCopied';
import type { BatchView, ItemView, ProjectView } from '../../views/projectView';

const esc = (s: string) => s.replace(/[\\`*_[\]<>#|]/g, (c) => `\\${c}`);

function table(title: string, rows: [string, string | number | undefined][]): vscode.MarkdownString {
  const md = new vscode.MarkdownString(`**${esc(title)}**\n\n| | |\n|---|---|\n`);
  for (const [k, v] of rows) if (v !== undefined && v !== '') md.appendMarkdown(`| ${k} | ${esc(String(v))} |\n`);
  return md;
}

export function projectTooltip(p: ProjectView): vscode.MarkdownString {
  const t = p.totals;
  const last = p.passes[0];
  return table(p.name, [
    ['Plan', p.planFile],
    ['Batches', p.batches.length],
    ['Mailboxes', t.mailboxes],
    ['Synced', t.synced],
    ['Failed', t.failed],
    ['Items copied', `${count(t.items, 'item')} (${bytes(t.bytes)})`],
    ['Open errors', t.errors],
    ['Last pass', last ? `#${last.id} ${last.kind} ${last.status}, ${when(last.startedAt)}` : 'none yet'],
    ['Runner', p.snapshot?.runner ? `pid ${p.snapshot.runner.pid} (${p.snapshot.runner.owner}) since ${when(p.snapshot.runner.startedAt)}` : undefined],
  ]);
}

export function batchTooltip(b: BatchView): vscode.MarkdownString {
  const s = b.stats;
  return table(`Batch ${b.name}`, [
    ['Status', batchStatusLabel(b.status)],
    ['Total', s?.total ?? b.totals.mailboxes],
    ['Synced', s?.synced ?? b.totals.synced],
    ['Finalized', s?.finalized ?? 0],
    ['Failed', s?.failed ?? b.totals.failed],
    ['Synced %', s ? `${s.percentSynced}%` : undefined],
    ['Created', s && when(s.createdAt)],
    ['Started', s?.startedAt && when(s.startedAt)],
    ['Initial sync', s?.initialSyncAt && `${when(s.initialSyncAt)} (${duration(s.initialSyncDurationMs)})`],
    ['Last sync', s?.lastSyncAt && `${when(s.lastSyncAt)} (${duration(s.lastSyncDurationMs)})`],
    ['Completed', s?.completedAt && when(s.completedAt)],
    ['Items copied', `${count(b.totals.items, 'item')} (${bytes(b.totals.bytes)})`],
    ['Open errors', b.totals.errors],
    ['Schedule', [b.plan?.startAfter && `starts after ${b.plan.startAfter}`, b.plan?.completeAfter && `completes after ${b.plan.completeAfter}`].filter(Boolean).join(', ') || undefined],
    ['Items file', b.plan?.itemsFile],
  ]);
}

export function itemTooltip(i: ItemView): vscode.MarkdownString {
  const s = i.stats;
  const skipped = skippedByCode(s);
  const md = table(i.source, [
    ['Destination', i.destination ?? 'not derivable'],
    ['Status', itemLabel(i)],
    ['Sync state', s?.syncState],
    ['Match state', s?.matchState],
    ['Last pass', s?.lastPass],
    ['Size (analysis)', s?.sizeItems !== undefined ? `${count(s.sizeItems, 'item')} (${bytes(s.sizeBytes)})` : undefined],
    ['Copied', `${count(i.items, 'item')} (${bytes(i.bytes)})`],
    ['Skipped', skipped || undefined],
    ['Open errors', i.errorCount],
    ['Started', s?.startedAt && when(s.startedAt)],
    ['Ended', s?.endedAt && when(s.endedAt)],
  ]);
  const notCopied = notCopiedLines(s);
  if (notCopied.length) md.appendMarkdown(`\n**Not copied**\n\n${notCopied.map((l) => `- ${esc(l)}`).join('\n')}\n`);
  if (i.lastError) md.appendMarkdown(`\n**${esc(i.lastError.code)}**: ${esc(i.lastError.message)}\n`);
  return md;
}

export function errorTooltip(e: RunError): vscode.MarkdownString {
  const entry = getEntry(e.code);
  const md = new vscode.MarkdownString(`**${esc(e.code)}${entry ? `: ${esc(entry.title)}` : ''}**\n\n> ${esc(e.message)}\n\n`);
  if (e.folder) md.appendMarkdown(`Folder: ${esc(e.folder)}\n\n`);
  if (entry) md.appendMarkdown(`**What to do:** ${esc(entry.action)}\n\n`);
  md.appendMarkdown('Click to open the plan where this mailbox is listed.');
  return md;
}
