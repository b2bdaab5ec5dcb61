// The dashboard's data from a project's view: tiles and per-batch statistics like the Exchange
// migration dashboard, every mailbox as a row, throughput over time, errors grouped by code with
// the catalog's fixes. Pure: the panel sends it to the webview as is.
import { isAllowed } from '../../engine/batchActions';
import { getEntry } from '../../errors/catalog';
import type { BatchRow, DashboardModel, ErrorGroupRow, ItemRow, Tile } from '../../../webview/dashboardProtocol';
import { batchStatusLabel, bytes, count, dotted, duration, itemLabel, when } from '../format';
import { batchProgressText, countsText, passState } from '../viewSummary';
import type { ThroughputSample } from '../liveState';
import { needsFullPass, retryWouldRun } from '../capabilities';
import { itemKey } from '../liveState';
import { isFailedItem, type ItemView, type ProjectView } from '../projectView';
import { notCopiedLines, skippedByCode, skippedCount } from '../notCopied';
import { passNames } from '../passTitles';
import { throughputOf } from './throughput';

const rankOf = (i: ItemView): number => {
  if (isFailedItem(i)) return 0;
  if (i.status === 'FinishedWithErrors' || i.status === 'ConfirmationRequired') return 1;
  if (i.status === 'Interrupted' || i.status === 'Stopped') return 2;
  if (i.status === 'InProgress' || i.status === 'AnalysisStarted' || i.status === 'ResyncStarted') return 3;
  if (i.status === 'Waiting' || i.status === 'Queued') return 4;
  if (i.status === 'Completed' || i.status === 'Resynced') return 5;
  return 6;
};

function itemRow(i: ItemView): ItemRow {
  const started = i.stats?.startedAt;
  const ended = i.stats?.endedAt;
  const ms = started && ended ? Date.parse(ended) - Date.parse(started) : 0;
  return {
    batch: i.batch,
    source: i.source,
    destination: i.destination ?? '',
    status: i.status ?? 'NotStarted',
    statusLabel: itemLabel(i),
    rank: rankOf(i),
    items: i.items,
    bytes: i.bytes,
    size: bytes(i.bytes),
    errors: i.errorCount,
    skipped: skippedCount(i.stats),
    notCopied: [skippedByCode(i.stats), ...notCopiedLines(i.stats)].filter(Boolean).join('\n'),
    lastError: i.lastError ? `${i.lastError.code}: ${i.lastError.message}` : '',
    started: when(started),
    duration: ms ? duration(ms) : '-',
    durationMs: ms,
  };
}

function errorGroups(view: ProjectView): ErrorGroupRow[] {
  const groups = new Map<string, ErrorGroupRow>();
  for (const i of view.items.values()) {
    const last = i.lastError && !isQuiet(i.lastError.code) && !['Completed', 'Resynced'].includes(i.status ?? '') && !i.errors.some((e) => e.code === i.lastError!.code && e.message === i.lastError!.message) ? [i.lastError] : [];
    const errors = [...last, ...i.errors];
    for (const e of errors) {
      const entry = getEntry(e.code);
      const g = groups.get(e.code) ?? { code: e.code, title: entry?.title ?? e.code, action: entry?.action ?? '', count: 0, mailboxes: [], examples: [], fixes: [] };
      g.count++;
      if (!g.mailboxes.some((m) => m.source === i.source && m.batch === i.batch)) g.mailboxes.push({ batch: i.batch, source: i.source });
      if (g.examples.length < 5) g.examples.push({ mailbox: i.source, folder: (e as { folder?: string }).folder, message: e.message });
      groups.set(e.code, g);
    }
  }
  for (const g of groups.values()) {
    const items = g.mailboxes.map((m) => view.items.get(itemKey(m.batch, m.source))).filter((i): i is ItemView => i !== undefined);
    g.fixes = fixesOf(g.code, items);
  }
  return [...groups.values()].sort((a, b) => b.count - a.count || a.code.localeCompare(b.code));
}

const isQuiet = (code: string) => code === 'ENG-061';

/** The group's fixes: Retry errors only where a retry runs, a full pass for mailboxes that failed as a whole. */
function fixesOf(code: string, items: readonly ItemView[]): ErrorGroupRow['fixes'] {
  const entry = getEntry(code);
  const fixes: ErrorGroupRow['fixes'] = [];
  if (items.some(retryWouldRun)) fixes.push({ title: 'Retry errors', index: -1 });
  const whole = items.filter(needsFullPass);
  if (whole.length === 1) fixes.push({ title: `Full pass of ${whole[0].source}`, index: -3, action: { kind: 'startPass', pass: 'full', batch: whole[0].batch, item: whole[0].source } });
  else if (whole.length > 1) fixes.push({ title: `Full pass of the ${whole.length} failed mailboxes' batches`, index: -3, action: { kind: 'startPass', pass: 'full' } });
  entry?.fixes.forEach((f, index) => {
    if (f.kind === 'adminCommand') fixes.push({ title: `Copy: ${f.title}`, index });
    if (f.kind === 'docs') fixes.push({ title: `Docs: ${f.title}`, index });
  });
  fixes.push({ title: `Explain ${code}`, index: -2 });
  return fixes;
}

function tiles(view: ProjectView): Tile[] {
  const t = view.totals;
  const finalized = view.batches.reduce((s, b) => s + (b.stats?.finalized ?? 0), 0);
  const skipped = [...view.items.values()].reduce((s, i) => s + skippedCount(i.stats), 0);
  const pct = t.mailboxes ? Math.round((t.synced / t.mailboxes) * 1000) / 10 : 0;
  return [
    { label: 'Total', value: t.mailboxes.toLocaleString('en-US'), detail: count(view.batches.length, 'batch', 'batches') },
    { label: 'Synced', value: t.synced.toLocaleString('en-US'), tone: t.synced ? 'ok' : undefined },
    { label: 'Finalized', value: finalized.toLocaleString('en-US'), tone: finalized ? 'ok' : undefined },
    { label: 'Failed', value: t.failed.toLocaleString('en-US'), tone: t.failed ? 'error' : undefined },
    { label: 'Synced %', value: `${pct}%`, tone: pct === 100 ? 'ok' : pct > 0 ? 'info' : undefined },
    { label: 'Items copied', value: t.items.toLocaleString('en-US'), detail: bytes(t.bytes) },
    { label: 'Open errors', value: t.errors.toLocaleString('en-US'), tone: t.errors ? 'warn' : undefined },
    { label: 'Not copied', value: skipped.toLocaleString('en-US'), detail: skipped ? 'skipped with a code: see each mailbox' : undefined, tone: skipped ? 'info' : undefined },
  ];
}

function batchRow(view: ProjectView, b: ProjectView['batches'][number]): BatchRow {
  const s = b.stats;
  const status = b.status ?? 'Created';
  return {
    name: b.name,
    status,
    statusLabel: batchStatusLabel(status),
    total: s?.total ?? b.totals.mailboxes,
    synced: s?.synced ?? b.totals.synced,
    finalized: s?.finalized ?? 0,
    failed: s?.failed ?? b.totals.failed,
    percentSynced: s?.percentSynced ?? 0,
    progress: batchProgressText(view, b),
    created: when(s?.createdAt),
    started: when(s?.startedAt),
    initialSync: when(s?.initialSyncAt),
    initialSyncDuration: duration(s?.initialSyncDurationMs),
    lastSync: when(s?.lastSyncAt),
    lastSyncDuration: duration(s?.lastSyncDurationMs),
    completed: when(s?.completedAt),
    items: b.totals.items,
    size: bytes(b.totals.bytes),
    errors: b.totals.errors,
    canStart: !!b.plan && isAllowed(status, 'start') && !view.pass,
    canComplete: !!b.plan && isAllowed(status, 'complete') && !view.pass,
  };
}

export function dashboardModel(view: ProjectView, lastSamples: readonly ThroughputSample[], now = new Date()): DashboardModel {
  const running = passState(view);
  const last = view.passes[0];
  const state = running ? dotted(running, countsText(view)) : dotted(view.snapshot?.runner ? `Runner pid ${view.snapshot.runner.pid} (${view.snapshot.runner.owner}) is working` : last ? `Last pass: #${last.id} ${passNames[last.kind]} ${last.status}, ${when(last.startedAt)}` : 'No pass has run yet', countsText(view));
  return {
    canRetry: view.items.size > 0 && [...view.items.values()].some(retryWouldRun),
    revision: view.revision,
    eventAt: view.eventAt,
    project: view.name,
    planFile: view.planFile,
    updated: when(now.toISOString()),
    state,
    running: !!running,
    tiles: tiles(view),
    batches: view.batches.map((b) => batchRow(view, b)),
    items: [...view.items.values()].map(itemRow),
    throughput: throughputOf(view, lastSamples),
    errors: errorGroups(view),
  };
}
