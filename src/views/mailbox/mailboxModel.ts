// A mailbox's page from a project's published view: the same revision as the tree, the status bar
// and the dashboard, so it never says other counts than they do. Its passes, per folder what the
// source holds and what was copied, the folders left out and the items not copied with their code,
// its errors (with the items' subjects where the plan allows), the last delta's changes by kind, and
// the running pass's log. Actions only where the tree's rules allow them. Pure.
import { changeKinds } from '../../store/changesRepo';
import type { MailboxDetail } from '../../snapshot/mailboxDetail';
import { getEntry } from '../../errors/catalog';
import type { MailboxButton, MailboxErrorLine, MailboxPageModel, MailboxPassRow } from '../../../webview/mailboxProtocol';
import { itemCapabilities } from '../capabilities';
import { bytes, count, dotted, duration, itemLabel, when } from '../format';
import { itemKey } from '../liveState';
import { skippedCount } from '../notCopied';
import type { ItemView, ProjectView } from '../projectView';
import { mailboxProgressText } from '../viewSummary';
import { passNames } from '../passTitles';

const time = (ms: number) => new Date(ms).toISOString().slice(11, 19);
const took = (start: string | undefined, end: string | undefined) => (start && end ? duration(Date.parse(end) - Date.parse(start)) : '-');

function actionsOf(view: ProjectView, i: ItemView): MailboxButton[] {
  const b = view.batches.find((x) => x.name === i.batch);
  const caps = b ? itemCapabilities(i, b, { running: !!view.pass, canResume: false }) : [];
  const out: MailboxButton[] = [];
  if (caps.includes('canRetry')) out.push({ title: 'Retry errors', action: { kind: 'startPass', pass: 'retry' }, primary: true });
  if (caps.includes('canRunAgain')) out.push({ title: 'Full pass (it failed as a whole)', action: { kind: 'startPass', pass: 'full' }, primary: true });
  if (caps.includes('canStart')) {
    if (!caps.includes('canRunAgain')) out.push({ title: 'Full pass', action: { kind: 'startPass', pass: 'full' }, primary: !out.length });
    out.push({ title: 'Delta pass', action: { kind: 'startPass', pass: 'delta' } }, { title: 'Verify', action: { kind: 'startPass', pass: 'verify' } });
  }
  if (caps.includes('canStop')) out.push({ title: view.pass?.state === 'stopping' ? 'Stopping…' : 'Stop', action: { kind: 'stop' }, primary: true });
  if (caps.includes('canApprove')) out.push({ title: 'Approve oversize mailbox', action: { kind: 'approve' } });
  out.push({ title: 'Show in the tree', action: { kind: 'revealInTree' } });
  if (i.plan) out.push({ title: 'Open in the plan', action: { kind: 'openPlan' } });
  return out;
}

function passRows(view: ProjectView, i: ItemView, detail: MailboxDetail | undefined): MailboxPassRow[] {
  const rows: MailboxPassRow[] = (detail?.passes ?? []).map((p) => ({
    id: p.id, kind: passNames[p.kind], status: p.status[0].toUpperCase() + p.status.slice(1),
    started: when(p.startedAt), ended: when(p.endedAt), duration: took(p.startedAt, p.endedAt),
    copied: p.copied, errors: p.errors, skipped: p.skipped, changes: p.changes,
  }));
  const live = view.live;
  if (view.pass && live?.passId !== undefined && i.live && !rows.some((r) => r.id === live.passId)) {
    rows.unshift({ id: live.passId, kind: view.pass.kind ? passNames[view.pass.kind] : 'Pass', status: view.pass.state === 'stopping' ? 'Stopping' : itemLabel(i), started: when(new Date(view.pass.startedAt).toISOString()), ended: '-', duration: duration(view.at - view.pass.startedAt), copied: i.live.itemsDone, errors: i.live.errors.length, skipped: 0, changes: 0 });
  }
  return rows;
}

function errorLines(i: ItemView, detail: MailboxDetail | undefined): MailboxErrorLine[] {
  const title = (code: string) => getEntry(code)?.title ?? code;
  const stored = detail ? detail.errors.map((e) => ({ code: e.code, title: title(e.code), message: e.message, folder: e.folder ?? '', subject: e.subject ?? '', at: when(e.at) })) : i.errors.filter((e) => !i.live?.errors.includes(e)).map((e) => ({ code: e.code, title: title(e.code), message: e.message, folder: e.folder ?? '', subject: '', at: when(e.at) }));
  const live = (i.live?.errors ?? []).map((e) => ({ code: e.code, title: title(e.code), message: e.message, folder: e.folder ?? '', subject: '', at: when(e.at) }));
  const lines = [...live.reverse(), ...stored];
  if (!lines.length && i.lastError) lines.push({ code: i.lastError.code, title: title(i.lastError.code), message: i.lastError.message, folder: '', subject: '', at: when(i.stats?.endedAt) });
  return lines;
}

export function mailboxPageModel(view: ProjectView, batch: string, source: string): MailboxPageModel | undefined {
  const i = view.items.get(itemKey(batch, source));
  if (!i) return undefined;
  const detail = view.snapshot?.mailboxes?.find((m) => m.batch === batch && m.source === source);
  const notCopiedTotal = skippedCount(i.stats);
  const knownSource = i.folders.length > 0 && i.folders.every((f) => f.sourceItems !== undefined);
  const sourceItems = i.folders.reduce((s, f) => s + (f.sourceItems ?? 0), 0);
  const sourceBytes = i.folders.reduce((s, f) => s + (f.sourceBytes ?? 0), 0);
  const errors = errorLines(i, detail);
  const live = i.live;
  const copyingFolder = view.pass && live && (i.status === 'InProgress' || i.status === 'ResyncStarted') ? live.folder : undefined;
  return {
    revision: view.revision,
    eventAt: view.eventAt,
    planFile: view.planFile,
    batch,
    source,
    destination: i.destination ?? '',
    status: i.status ?? 'NotStarted',
    statusLabel: itemLabel(i),
    state: dotted(itemLabel(i), mailboxProgressText(view, i), count(i.items, 'item'), bytes(i.bytes), i.errorCount > 0 && count(i.errorCount, 'error'), !i.plan && 'not in the plan'),
    running: !!view.pass,
    inPlan: !!i.plan,
    tiles: [
      { label: 'Items copied', value: i.items.toLocaleString('en-US'), detail: bytes(i.bytes) },
      { label: 'Source', value: knownSource ? sourceItems.toLocaleString('en-US') : '-', detail: knownSource ? bytes(sourceBytes) : 'after a full pass' },
      { label: 'Not copied', value: notCopiedTotal.toLocaleString('en-US'), detail: i.stats?.excludedFolders.length ? count(i.stats.excludedFolders.length, 'folder') + ' left out' : undefined },
      { label: 'Open errors', value: i.errorCount.toLocaleString('en-US') },
      { label: 'Last pass', value: i.stats?.lastPass ? passNames[i.stats.lastPass] : '-', detail: i.stats?.endedAt ? when(i.stats.endedAt) : undefined },
    ],
    actions: actionsOf(view, i),
    passes: passRows(view, i, detail),
    folders: i.folders.map((f) => ({
      source: f.path, destination: f.destinationPath ?? '', sourceItems: f.sourceItems, sourceSize: bytes(f.sourceBytes), copied: f.items, copiedSize: bytes(f.bytes), skipped: f.skipped, errors: f.errors.length, current: f.path === copyingFolder,
    })),
    excluded: (i.stats?.excludedFolders ?? []).map((f) => ({ folder: f.folderPath, code: f.code, rule: f.rule, items: f.itemCount })),
    notCopied: (detail?.skipped ?? i.stats?.skippedItems ?? []).map((s) => ({ folder: s.folderPath, code: s.code, why: getEntry(s.code)?.title ?? s.code, size: bytes(s.sizeBytes), date: when(s.date), subject: s.subject ?? '' })),
    notCopiedTotal,
    errors,
    errorsTotal: Math.max(i.errorCount, errors.length),
    deltaNotCarried: i.stats?.deltaNotCarried,
    delta: detail?.lastDelta && { passId: detail.lastDelta.passId, kinds: changeKinds.map((k) => ({ kind: k, count: detail.lastDelta!.byKind[k] })) },
    log: (live?.log ?? []).map((l) => ({ at: time(l.at), text: l.text, ...(l.code ? { code: l.code } : {}) })),
    detailPending: !detail,
  };
}
