// The mailbox table: filter by text, status and batch, sort by any column (click or Enter on its
// header), page through 50 at a time. The view state lives in the webview's setState.
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import { button, formatNumber, h } from './dashboardDom';
import type { DashboardViewState, ItemRow } from './dashboardProtocol';

const columns: { key: keyof ItemRow; label: string; numeric?: boolean }[] = [
  { key: 'batch', label: 'Batch' },
  { key: 'source', label: 'Mailbox' },
  { key: 'destination', label: 'Destination' },
  { key: 'rank', label: 'Status' },
  { key: 'items', label: 'Items', numeric: true },
  { key: 'bytes', label: 'Size', numeric: true },
  { key: 'errors', label: 'Errors', numeric: true },
  { key: 'skipped', label: 'Not copied', numeric: true },
  { key: 'started', label: 'Started' },
  { key: 'durationMs', label: 'Duration', numeric: true },
  { key: 'lastError', label: 'Last error' },
];

export function filterRows(rows: readonly ItemRow[], s: DashboardViewState): ItemRow[] {
  const needle = s.filter.trim().toLowerCase();
  const shown = rows.filter((r) => (!s.status || r.status === s.status) && (!s.batch || r.batch === s.batch) && (!needle || `${r.source} ${r.destination} ${r.statusLabel} ${r.lastError}`.toLowerCase().includes(needle)));
  const dir = s.descending ? -1 : 1;
  return shown.sort((a, b) => {
    const x = a[s.sort];
    const y = b[s.sort];
    const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
    return c * dir || a.source.localeCompare(b.source);
  });
}

/** The mailbox table; its controls are built once so that typing and focus survive updates. */
export class ItemTable {
  readonly element: HTMLElement;
  private rows: readonly ItemRow[] = [];
  private readonly filter = h('vscode-textfield', { placeholder: 'Filter by address, status or error', 'aria-label': 'Filter mailboxes' }) as HTMLElement & { value: string };
  private readonly status = select('Status');
  private readonly batch = select('Batch');
  private readonly table = h('div', { class: 'scroll' });
  private readonly pager = h('div', { class: 'pager', role: 'navigation', 'aria-label': 'Pages' });
  private typing?: ReturnType<typeof setTimeout>;
  /** Checked rows (batch|source): acted on at once from the selection bar. */
  private readonly checked = new Set<string>();
  private readonly selectionBar = h('div', { class: 'actions', role: 'toolbar', 'aria-label': 'Selected mailboxes', id: 'selection-bar' });

  constructor(private state: DashboardViewState, private readonly save: (s: DashboardViewState) => void, private readonly open: (row: ItemRow) => void, private readonly onSelection?: (op: SelectionOp, rows: { batch: string; source: string }[]) => void) {
    this.filter.value = state.filter;
    this.filter.addEventListener('input', () => {
      clearTimeout(this.typing);
      this.typing = setTimeout(() => this.update({ filter: this.filter.value, page: 0 }), 200);
    });
    this.status.addEventListener('change', () => this.update({ status: this.status.value, page: 0 }));
    this.batch.addEventListener('change', () => this.update({ batch: this.batch.value, page: 0 }));
    this.element = h('div', {}, h('div', { class: 'controls' }, this.filter, this.status, this.batch), this.selectionBar, this.table, this.pager);
  }

  setRows(rows: readonly ItemRow[]): void {
    this.rows = rows;
    const present = new Set(rows.map(rowKey));
    for (const k of this.checked) if (!present.has(k)) this.checked.delete(k);
    options(this.status, this.state.status, [['', 'All statuses'], ...new Map(rows.map((r) => [r.status, r.statusLabel])).entries()]);
    options(this.batch, this.state.batch, [['', 'All batches'], ...[...new Set(rows.map((r) => r.batch))].map((b): [string, string] => [b, b])]);
    this.render();
  }

  private update(patch: Partial<DashboardViewState>): void {
    this.state = { ...this.state, ...patch };
    this.save(this.state);
    this.render();
  }

  private check(rows: readonly ItemRow[], on: boolean): void {
    for (const r of rows) {
      if (on) this.checked.add(rowKey(r));
      else this.checked.delete(rowKey(r));
    }
    this.render();
  }

  /** "3 selected" and what can be done with them (the extension says which of them may, and asks once). */
  private renderSelectionBar(): void {
    const rows = this.rows.filter((r) => this.checked.has(rowKey(r))).map((r) => ({ batch: r.batch, source: r.source }));
    if (!rows.length || !this.onSelection) {
      this.selectionBar.replaceChildren();
      return;
    }
    const run = (op: SelectionOp) => () => this.onSelection!(op, rows);
    this.selectionBar.replaceChildren(
      h('span', { 'aria-live': 'polite', id: 'selected-count' }, `${formatNumber(rows.length)} selected:`),
      button('Full pass', run('full'), { secondary: true }),
      button('Delta pass', run('delta'), { secondary: true }),
      button('Retry errors', run('retry'), { secondary: true }),
      button('Stop', run('stop'), { secondary: true }),
      button('Remove from batch', run('remove'), { secondary: true }),
      button('Clear selection', () => this.check(this.rows, false), { secondary: true }),
    );
  }

  private render(): void {
    const state = this.state;
    // Rows and headers are rebuilt: keep the keyboard focus on the same row or sort button.
    const focused = (document.activeElement as HTMLElement | null)?.dataset?.key;
    const shown = filterRows(this.rows, state);
    const pages = Math.max(1, Math.ceil(shown.length / state.pageSize));
    const page = Math.min(state.page, pages - 1);
    this.renderSelectionBar();
    const pageRows = shown.slice(page * state.pageSize, (page + 1) * state.pageSize);
    const all = h('input', { type: 'checkbox', 'aria-label': 'Select the mailboxes of this page', checked: pageRows.length > 0 && pageRows.every((r) => this.checked.has(rowKey(r))) }) as HTMLInputElement;
    all.addEventListener('change', () => this.check(pageRows, all.checked));
    const head = h('tr', {}, h('th', { scope: 'col' }, all), ...columns.map((c) => {
      const sorted = state.sort === c.key;
      const b = h('button', { class: 'sort', type: 'button', 'aria-label': `Sort by ${c.label}`, 'data-key': `sort:${c.key}` }, c.label, sorted ? (state.descending ? ' ▼' : ' ▲') : '');
      b.addEventListener('click', () => this.update({ sort: c.key, descending: sorted ? !state.descending : false, page: 0 }));
      return h('th', { class: c.numeric ? 'num' : undefined, scope: 'col', 'aria-sort': sorted ? (state.descending ? 'descending' : 'ascending') : 'none' }, b);
    }));
    const body = h('tbody', {}, ...pageRows.map((r) => {
      const box = h('input', { type: 'checkbox', 'aria-label': `Select ${r.source}`, checked: this.checked.has(rowKey(r)) }) as HTMLInputElement;
      box.addEventListener('change', () => this.check([r], box.checked));
      box.addEventListener('dblclick', (e) => e.stopPropagation());
      const tr = h('tr', { tabindex: 0, 'data-key': `${r.batch}|${r.source}`, title: 'Enter: open this mailbox\'s page' },
        h('td', {}, box), h('td', {}, r.batch), h('td', {}, r.source), h('td', {}, r.destination), h('td', { class: `status-${r.status}` }, r.statusLabel),
        h('td', { class: 'num' }, formatNumber(r.items)), h('td', { class: 'num' }, r.size), h('td', { class: 'num' }, formatNumber(r.errors)),
        h('td', { class: 'num', title: r.notCopied }, formatNumber(r.skipped)),
        h('td', {}, r.started), h('td', { class: 'num' }, r.duration), h('td', { class: 'clip', title: r.lastError }, r.lastError));
      tr.addEventListener('dblclick', () => this.open(r));
      tr.addEventListener('keydown', (e) => e.key === 'Enter' && this.open(r));
      return tr;
    }));
    this.table.replaceChildren(h('table', { class: 'grid', id: 'item-table' }, h('thead', {}, head), body));
    const from = shown.length ? page * state.pageSize + 1 : 0;
    this.pager.replaceChildren(
      button('Previous', () => this.update({ page: page - 1 }), { secondary: true, disabled: page === 0 }),
      h('span', { 'aria-live': 'polite', id: 'item-range' }, `${formatNumber(from)}–${formatNumber(Math.min(shown.length, (page + 1) * state.pageSize))} of ${formatNumber(shown.length)}${shown.length !== this.rows.length ? ` (filtered from ${formatNumber(this.rows.length)})` : ''}`),
      button('Next', () => this.update({ page: page + 1 }), { secondary: true, disabled: page >= pages - 1 }),
    );
    if (focused) (this.table.querySelector(`[data-key="${CSS.escape(focused)}"]`) as HTMLElement | null)?.focus();
  }
}

export type SelectionOp = 'full' | 'delta' | 'retry' | 'stop' | 'remove';

const rowKey = (r: { batch: string; source: string }) => `${r.batch}|${r.source}`;

function select(labelText: string): HTMLElement & { value: string } {
  return h('vscode-single-select', { 'aria-label': labelText }) as HTMLElement & { value: string };
}

/** Replaces a select's options only when they changed (a rebuilt select loses its open state). */
function options(select: HTMLElement & { value: string }, value: string, list: [string, string][]): void {
  const signature = list.map(([v, t]) => `${v}=${t}`).join('|');
  if (select.dataset.options === signature) return;
  select.dataset.options = signature;
  select.replaceChildren(...list.map(([v, text]) => h('vscode-option', { value: v, selected: v === value }, text)));
}
