// The migration dashboard (browser side): tiles and batch statistics like the Exchange migration
// dashboard, throughput over time, the mailbox table, errors by code with their fixes. Built with
// @vscode-elements (theme-aware, keyboard usable); its view state survives hiding via setState.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import { throughputChart } from './dashboardChart';
import { button, formatNumber, h } from './dashboardDom';
import { errorGroups } from './dashboardErrors';
import { ItemTable } from './dashboardItems';
import type { DashboardAction, DashboardModel, DashboardViewState, FromDashboard, ToDashboard } from './dashboardProtocol';

interface SavedState extends DashboardViewState {
  open: string[];
}

interface VsCodeApi {
  postMessage(message: FromDashboard): void;
  getState(): SavedState | undefined;
  setState(state: SavedState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const defaults: SavedState = { filter: '', status: '', batch: '', sort: 'rank', descending: false, page: 0, pageSize: 50, open: [] };
let saved: SavedState = { ...defaults, ...vscode.getState() };
const save = (patch: Partial<SavedState>) => {
  saved = { ...saved, ...patch };
  vscode.setState(saved);
};
const act = (action: DashboardAction) => vscode.postMessage({ type: 'action', action });
const byId = (id: string) => document.getElementById(id) as HTMLElement;

const table = new ItemTable(saved, ({ filter, status, batch, sort, descending, page, pageSize }) => save({ filter, status, batch, sort, descending, page, pageSize }), (row) => act({ kind: 'openMailbox', batch: row.batch, item: row.source }), (op, mailboxes) => act({ kind: 'selection', op, mailboxes }));
byId('items').append(table.element);

function renderActions(m: DashboardModel): void {
  byId('actions').replaceChildren(
    button('Full pass', () => act({ kind: 'startPass', pass: 'full' }), { disabled: m.running }),
    button('Delta pass', () => act({ kind: 'startPass', pass: 'delta' }), { secondary: true, disabled: m.running }),
    button('Verify credentials', () => act({ kind: 'startPass', pass: 'verify' }), { secondary: true, disabled: m.running }),
    button('Retry errors', () => act({ kind: 'startPass', pass: 'retry' }), { secondary: true, disabled: m.running || !m.canRetry, title: m.canRetry ? undefined : 'No mailbox has failed items a retry would read again; a mailbox that failed as a whole needs a full pass' }),
    button('Stop', () => act({ kind: 'stop' }), { secondary: true, disabled: !m.running }),
    button('Export report', () => act({ kind: 'exportReport' }), { secondary: true }),
    button('Refresh', () => act({ kind: 'refresh' }), { secondary: true }),
  );
}

function renderTiles(m: DashboardModel): void {
  const pct = Number.parseFloat(m.tiles.find((t) => t.label === 'Synced %')?.value ?? '0');
  byId('tiles').replaceChildren(...m.tiles.map((t) => h('div', { class: `tile${t.tone ? ` tone-${t.tone}` : ''}`, role: 'group', 'aria-label': `${t.label}: ${t.value}` },
    h('div', { class: 'label' }, t.label), h('div', { class: 'value' }, t.value), t.detail && h('div', { class: 'detail' }, t.detail),
    t.label === 'Synced %' && h('div', { class: 'bar', 'aria-hidden': 'true' }, h('span', { style: `width: ${Math.min(100, pct)}%` })))));
}

/**
 * The batch table fits a narrow editor (892 px beside the tree): the counts stay in columns, the
 * times go on a wrapping line under each batch, the names, statuses and buttons may wrap, and the
 * Start/Complete buttons sit in the last column of a table no wider than the pane.
 */
function renderBatches(m: DashboardModel): void {
  const head = ['Batch', 'Status', 'Total', 'Synced', 'Finalized', 'Failed', 'Synced %', 'Items', 'Errors', 'Actions'];
  const numeric = new Set([2, 3, 4, 5, 6, 7, 8]);
  const times = (b: DashboardModel['batches'][number]) =>
    [
      ['Created', b.created],
      ['Started', b.started],
      ['Initial sync', b.initialSync === '-' ? '-' : `${b.initialSync} (${b.initialSyncDuration})`],
      ['Last sync', b.lastSync === '-' ? '-' : `${b.lastSync} (${b.lastSyncDuration})`],
      ['Completed', b.completed],
    ]
      .filter(([, v]) => v && v !== '-')
      .map(([k, v]) => h('span', { class: 'time' }, `${k} ${v}`));
  byId('batches').replaceChildren(h('table', { class: 'grid fit', id: 'batch-table' },
    h('thead', {}, h('tr', {}, ...head.map((c, i) => h('th', { scope: 'col', class: numeric.has(i) ? 'num' : undefined }, c)))),
    h('tbody', {}, ...m.batches.flatMap((b) => [
      h('tr', { class: 'batch' },
        h('td', { class: 'wrap' }, b.name), h('td', { class: `wrap status-${b.status}` }, b.statusLabel, b.progress ? h('div', { class: 'muted progress' }, b.progress) : ''), h('td', { class: 'num' }, formatNumber(b.total)), h('td', { class: 'num' }, formatNumber(b.synced)),
        h('td', { class: 'num' }, formatNumber(b.finalized)), h('td', { class: 'num' }, formatNumber(b.failed)), h('td', { class: 'num' }, `${b.percentSynced}%`),
        h('td', { class: 'num' }, formatNumber(b.items), h('br'), h('span', { class: 'muted' }, b.size)), h('td', { class: 'num' }, formatNumber(b.errors)),
        h('td', { class: 'actions' }, b.canStart ? button('Start', () => act({ kind: 'startPass', pass: 'full', batch: b.name }), { secondary: true, title: `Full pass of ${b.name}` }) : '', b.canComplete ? button('Complete', () => act({ kind: 'complete', batch: b.name }), { secondary: true }) : '')),
      h('tr', { class: 'times' }, h('td', { colspan: String(head.length) }, ...times(b))),
    ]))));
}

function renderThroughput(m: DashboardModel): void {
  const t = m.throughput;
  if (t.points.length < 2) {
    byId('throughput').replaceChildren(h('p', { class: 'muted' }, 'No throughput yet: start a pass.'));
    return;
  }
  const summary = `Items per second over time (${t.source}): peak ${t.peak.toFixed(1)}/s, average ${t.average.toFixed(1)}/s, ${formatNumber(t.points[t.points.length - 1].total)} items copied.`;
  byId('throughput').replaceChildren(
    h('div', { class: 'legend' }, h('span', {}, h('i', { style: 'background: var(--vscode-charts-blue)' }), 'items per second'), h('span', {}, h('i', { style: 'background: var(--vscode-charts-green)' }), 'items copied (right scale)'), h('span', {}, t.source)),
    throughputChart(t.points, summary),
  );
}

function renderErrors(m: DashboardModel): void {
  const el = errorGroups(m.errors, act, (code) => saved.open.includes(code));
  el.addEventListener('vsc-collapsible-toggle', (e) => {
    const code = (e.target as HTMLElement).dataset.code;
    const open = (e as CustomEvent<{ open: boolean }>).detail.open;
    if (code) save({ open: open ? [...new Set([...saved.open, code])] : saved.open.filter((c) => c !== code) });
  });
  byId('errors').replaceChildren(el);
}

window.addEventListener('message', (event: MessageEvent<ToDashboard>) => {
  if (event.data.type !== 'model') return;
  const m = event.data.model;
  byId('title').textContent = m.project;
  byId('state').textContent = `${m.state} · updated ${m.updated}`;
  renderActions(m);
  renderTiles(m);
  renderBatches(m);
  renderThroughput(m);
  table.setRows(m.items);
  renderErrors(m);
  document.body.dataset.ready = 'true';
  document.body.dataset.revision = String(m.revision);
  vscode.postMessage({ type: 'rendered', revision: m.revision });
});
vscode.postMessage({ type: 'ready' });
