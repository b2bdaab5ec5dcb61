// Renders a migration report as Markdown (for people and pull requests) or CSV (one row per mailbox).
import type { MigrationReport } from '../engine/report';
import type { ItemStatistics } from '../engine/statistics';
import { getEntry } from '../errors/catalog';
import { batchStatusLabel, bytes, duration, itemStatusLabel, syncStateLabel, when } from './format';

const md = (text: string) => text.replace(/[|\\`*_[\]<>]/g, (c) => `\\${c}`).replace(/\r?\n/g, ' ');

export function reportMarkdown(r: MigrationReport): string {
  const out: string[] = [`# Migration report: ${md(r.project)}`, '', `Generated ${when(r.generatedAt)} from \`${r.planFile}\`.`, ''];
  const t = r.totals;
  out.push(`**${t.mailboxes}** mailboxes: ${t.synced} synced, ${t.finalized} finalized, ${t.failed} failed; ${t.items} items (${bytes(t.bytes)}) copied, ${t.skipped} skipped, ${t.errors} open errors.`, '');
  out.push('## Batches', '', '| Batch | Status | Total | Synced | Finalized | Failed | Synced % | Created | Started | Initial sync | Initial sync duration | Last sync | Last sync duration | Completed |', '|---|---|--:|--:|--:|--:|--:|---|---|---|---|---|---|---|');
  for (const { batch: b } of r.batches) {
    out.push(`| ${md(b.name)} | ${batchStatusLabel(b.status)} | ${b.total} | ${b.synced} | ${b.finalized} | ${b.failed} | ${b.percentSynced}% | ${when(b.createdAt)} | ${when(b.startedAt)} | ${when(b.initialSyncAt)} | ${duration(b.initialSyncDurationMs)} | ${when(b.lastSyncAt)} | ${duration(b.lastSyncDurationMs)} | ${when(b.completedAt)} |`);
  }
  out.push('', '## Mailboxes', '', '| Batch | Mailbox | Destination | Status | Sync state | Items | Size | Skipped | Errors | Last error |', '|---|---|---|---|---|--:|--:|--:|--:|---|');
  for (const { items } of r.batches) {
    for (const i of items) {
      const skipped = Object.values(i.skipped).reduce((a, b) => a + b, 0);
      out.push(`| ${md(i.batch)} | ${md(i.source)} | ${md(i.destination)} | ${itemStatusLabel(i.status, i.finalized)} | ${syncStateLabel(i.syncState)} | ${i.items} | ${bytes(i.bytes)} | ${skipped} | ${i.errors} | ${i.lastErrorCode ?? ''} |`);
    }
  }
  for (const { items } of r.batches) {
    for (const i of items) {
      if (!i.folders.length && !i.skippedItems.length && !i.excludedFolders.length && !i.deltaNotCarried) continue;
      out.push('', `### ${md(i.source)}`);
      if (i.folders.length) {
        out.push('', '| Folder | Destination folder | Items | Size | Skipped |', '|---|---|--:|--:|--:|');
        for (const f of i.folders) out.push(`| ${md(f.sourcePath)} | ${md(f.destinationPath ?? '')} | ${f.items} | ${bytes(f.bytes)} | ${f.skipped} |`);
      }
      out.push(...notCopied(i));
    }
  }
  out.push('', '## Errors by code', '');
  if (!r.errors.length) out.push('No open errors.');
  for (const g of r.errors) {
    out.push(`### ${g.code}: ${md(g.title)} (${g.count})`, '', `Mailboxes: ${g.mailboxes.map(md).join(', ')}.`, '', `What to do: ${md(g.action)}`, '');
    for (const e of g.examples) out.push(`- ${md(e.mailbox)}${e.folder ? ` / ${md(e.folder)}` : ''}: ${md(e.message)}${e.subject ? ` (subject: ${md(e.subject)})` : ''}`);
    out.push('');
  }
  out.push(...changesMarkdown(r));
  return `${out.join('\n').trimEnd()}\n`;
}

/** Delta changes: the count of each kind, then each change under its kind. */
function changesMarkdown(r: MigrationReport): string[] {
  const out = ['', '## Delta changes', ''];
  const kinds = Object.entries(r.changes.byKind);
  out.push(kinds.map(([kind, n]) => `${kind}: ${n}`).join(', ') + '.');
  const types = Object.entries(r.changes.byItemType).filter(([type]) => type !== 'mail');
  for (const [type, counts] of types) out.push('', `${type}: ${Object.entries(counts).map(([kind, n]) => `${kind} ${n}`).join(', ')}.`);
  for (const [kind, n] of kinds) {
    if (!n) continue;
    out.push('', `### ${kind} (${n})`, '', '| Mailbox | Type | Folder | To | Flags | Detail | At |', '|---|---|---|---|---|---|---|');
    for (const c of r.changes.entries.filter((e) => e.kind === kind)) out.push(`| ${md(c.mailbox)} | ${c.itemType} | ${md(c.folder)} | ${md(c.toFolder ?? '')} | ${md((c.flags ?? []).join(' '))} | ${md(c.detail ?? '')} | ${when(c.at)} |`);
  }
  return out;
}

/** What a mailbox's passes did not copy: counts per code, the folders left out with their rule, every skipped item. */
function notCopied(i: ItemStatistics): string[] {
  const out: string[] = [];
  const reasons = Object.entries(i.skipped);
  if (reasons.length) {
    out.push('', `Skipped: ${reasons.map(([code, n]) => `${n} × ${code}${titleOf(code)}`).join(', ')}.`);
    out.push('', '| Folder | Code | Date | Size | Subject |', '|---|---|---|--:|---|');
    for (const s of i.skippedItems) out.push(`| ${md(s.folderPath)} | ${s.code} | ${s.date ? when(s.date) : ''} | ${bytes(s.sizeBytes)} | ${md(s.subject ?? '')} |`);
  }
  if (i.deltaNotCarried) out.push('', `Changes not carried (${i.deltaNotCarried.code}${titleOf(i.deltaNotCarried.code)}): ${md(i.deltaNotCarried.message)}`);
  if (i.excludedFolders.length) {
    out.push('', 'Folders left out:', '');
    for (const f of i.excludedFolders) out.push(`- ${md(f.folderPath)} (${f.code}): ${md(f.rule)}${f.itemCount === undefined ? '' : `; ${f.itemCount} items`}`);
  }
  return out;
}

const titleOf = (code: string) => {
  const title = getEntry(code)?.title;
  return title ? ` (${md(title)})` : '';
};

const csvCell = (v: string | number | undefined) => {
  const s = v === undefined ? '' : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

export function reportCsv(r: MigrationReport): string {
  const header = ['batch', 'batchStatus', 'source', 'destination', 'status', 'matchState', 'syncState', 'items', 'bytes', 'skipped', 'errors', 'lastErrorCode', 'lastErrorMessage', 'startedAt', 'endedAt'];
  const lines = [header.join(',')];
  for (const { batch, items } of r.batches) {
    for (const i of items) {
      const skipped = Object.values(i.skipped).reduce((a, b) => a + b, 0);
      lines.push([batch.name, batch.status, i.source, i.destination, i.status, i.matchState, i.syncState, i.items, i.bytes, skipped, i.errors, i.lastErrorCode, i.lastErrorMessage, i.startedAt, i.endedAt].map(csvCell).join(','));
    }
  }
  return `${lines.join('\n')}\n`;
}
