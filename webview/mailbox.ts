// A mailbox's page (browser side): its state and the actions the state allows, tiles, the running
// pass's live log, per folder what the source holds and what was copied, folders left out, items
// not copied with their code, errors with subjects, the last delta's changes, its passes.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import { button, formatNumber, h } from './dashboardDom';
import type { FromMailboxPage, MailboxAction, MailboxPageModel } from './mailboxProtocol';

interface VsCodeApi {
  postMessage(message: FromMailboxPage): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const act = (action: MailboxAction) => vscode.postMessage({ type: 'action', action });
const byId = (id: string) => document.getElementById(id) as HTMLElement;

type Cell = string | number | Node | undefined;
interface Column<T> {
  title: string;
  value: (row: T) => Cell;
  num?: boolean;
  wrap?: boolean;
}

function table<T>(id: string, columns: Column<T>[], rows: readonly T[], empty: string, rowClass?: (row: T) => string | undefined): HTMLElement {
  if (!rows.length) return h('p', { class: 'muted' }, empty);
  return h('table', { class: 'grid', id },
    h('thead', {}, h('tr', {}, ...columns.map((c) => h('th', { scope: 'col', class: c.num ? 'num' : undefined }, c.title)))),
    h('tbody', {}, ...rows.map((r) => h('tr', { class: rowClass?.(r) }, ...columns.map((c) => {
      const v = c.value(r);
      return h('td', { class: c.num ? 'num' : c.wrap ? 'wrap' : undefined }, typeof v === 'number' ? formatNumber(v) : (v ?? ''));
    })))));
}

const more = (shown: number, total: number) => (total > shown ? h('p', { class: 'muted' }, `${formatNumber(total - shown)} more: ferry report lists them all.`) : '');

function render(m: MailboxPageModel): void {
  byId('title').textContent = m.destination ? `${m.source} → ${m.destination}` : m.source;
  byId('state').textContent = `${m.batch} · ${m.state}`;
  byId('actions').replaceChildren(...m.actions.map((b) => button(b.title, () => act(b.action), { secondary: !b.primary })));
  byId('tiles').replaceChildren(...m.tiles.map((t) => h('div', { class: 'tile', role: 'group', 'aria-label': `${t.label}: ${t.value}` }, h('div', { class: 'label' }, t.label), h('div', { class: 'value' }, t.value), t.detail && h('div', { class: 'detail' }, t.detail))));
  byId('log').replaceChildren(m.log.length
    ? h('div', { class: 'log', role: 'log', 'aria-live': 'polite', id: 'log-lines' }, ...m.log.map((l) => h('div', {}, h('span', { class: 'at' }, l.at), l.code ? button(l.code, () => act({ kind: 'explain', code: l.code!, message: l.text }), { secondary: true, title: `Explain ${l.code}` }) : '', ' ', l.text)))
    : h('p', { class: 'muted' }, m.running ? 'Nothing said of this mailbox in this pass yet.' : 'No pass is running for this mailbox.'));
  const log = document.getElementById('log-lines');
  if (log) log.scrollTop = log.scrollHeight;
  byId('folders').replaceChildren(table('folder-table', [
    { title: 'Source folder', value: (f) => f.source, wrap: true },
    { title: 'Destination folder', value: (f) => f.destination, wrap: true },
    { title: 'Source items', value: (f) => f.sourceItems ?? '-', num: true },
    { title: 'Source size', value: (f) => f.sourceSize, num: true },
    { title: 'Copied', value: (f) => f.copied, num: true },
    { title: 'Copied size', value: (f) => f.copiedSize, num: true },
    { title: 'Not copied', value: (f) => f.skipped, num: true },
    { title: 'Errors', value: (f) => f.errors, num: true },
  ], m.folders, 'No folder copied yet.', (f) => (f.current ? 'current' : undefined)));
  byId('excluded').replaceChildren(table('excluded-table', [
    { title: 'Folder', value: (f) => f.folder, wrap: true },
    { title: 'Code', value: (f) => f.code },
    { title: 'Rule', value: (f) => f.rule, wrap: true },
    { title: 'Items', value: (f) => f.items ?? '-', num: true },
  ], m.excluded, 'No folder left out by the plan\'s rules.'));
  byId('notcopied').replaceChildren(table('notcopied-table', [
    { title: 'Folder', value: (s) => s.folder, wrap: true },
    { title: 'Code', value: (s) => s.code },
    { title: 'Why', value: (s) => s.why, wrap: true },
    { title: 'Subject', value: (s) => s.subject || '-', wrap: true },
    { title: 'Date', value: (s) => s.date },
    { title: 'Size', value: (s) => s.size, num: true },
  ], m.notCopied, 'Every item was copied (none skipped).'), more(m.notCopied.length, m.notCopiedTotal));
  byId('errors').replaceChildren(table('error-table', [
    { title: 'Code', value: (e) => button(e.code, () => act({ kind: 'explain', code: e.code, message: e.message }), { secondary: true, title: `Explain ${e.code}` }) },
    { title: 'Title', value: (e) => e.title, wrap: true },
    { title: 'Message', value: (e) => e.message, wrap: true },
    { title: 'Folder', value: (e) => e.folder || '-', wrap: true },
    { title: 'Subject', value: (e) => e.subject || '-', wrap: true },
    { title: 'When', value: (e) => e.at },
  ], m.errors, 'No open error.'), more(m.errors.length, m.errorsTotal));
  byId('delta').replaceChildren(m.delta
    ? h('div', { class: 'kinds', id: 'delta-kinds' }, h('span', { class: 'muted' }, `Pass #${m.delta.passId}:`), ...m.delta.kinds.map((k) => h('span', { 'data-kind': k.kind }, `${k.kind} ${formatNumber(k.count)}`)))
    : h('p', { class: 'muted' }, 'No delta pass has run for this mailbox yet.'),
  ...(m.deltaNotCarried ? [h('p', { id: 'delta-not-carried' }, button(m.deltaNotCarried.code, () => act({ kind: 'explain', code: m.deltaNotCarried!.code, message: m.deltaNotCarried!.message }), { secondary: true, title: `Explain ${m.deltaNotCarried.code}` }), ` ${m.deltaNotCarried.message}`)] : []));
  byId('passes').replaceChildren(table('pass-table', [
    { title: '#', value: (p) => p.id, num: true },
    { title: 'Pass', value: (p) => p.kind },
    { title: 'Status', value: (p) => p.status },
    { title: 'Started', value: (p) => p.started },
    { title: 'Ended', value: (p) => p.ended },
    { title: 'Duration', value: (p) => p.duration },
    { title: 'Copied', value: (p) => p.copied, num: true },
    { title: 'Errors', value: (p) => p.errors, num: true },
    { title: 'Not copied', value: (p) => p.skipped, num: true },
    { title: 'Changes', value: (p) => p.changes, num: true },
  ], m.passes, m.detailPending ? 'Reading the passes from the run state…' : 'No pass has run for this mailbox yet.'));
}

window.addEventListener('message', (e: MessageEvent<{ type: 'model'; model: MailboxPageModel }>) => {
  if (e.data?.type !== 'model') return;
  const m = e.data.model;
  render(m);
  document.body.dataset.ready = 'true';
  document.body.dataset.revision = String(m.revision);
  vscode.postMessage({ type: 'rendered', revision: m.revision });
});
vscode.postMessage({ type: 'ready' });
