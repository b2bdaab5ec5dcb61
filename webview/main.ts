// The error-catalog browser: a filterable table of every code Ferry knows, built with
// @vscode-elements (theme-aware, keyboard usable). State survives hiding through setState.
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import '@vscode-elements/elements/dist/vscode-table/index.js';
import '@vscode-elements/elements/dist/vscode-table-header/index.js';
import '@vscode-elements/elements/dist/vscode-table-header-cell/index.js';
import '@vscode-elements/elements/dist/vscode-table-body/index.js';
import '@vscode-elements/elements/dist/vscode-table-row/index.js';
import '@vscode-elements/elements/dist/vscode-table-cell/index.js';
import type { CatalogRow, FromWebview, ToWebview } from './protocol';

interface VsCodeApi {
  postMessage(message: FromWebview): void;
  getState(): { filter?: string } | undefined;
  setState(state: { filter?: string }): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
let rows: CatalogRow[] = [];
const filterField = document.getElementById('filter') as HTMLInputElement;
const body = document.getElementById('rows') as HTMLElement;
const count = document.getElementById('count') as HTMLElement;
filterField.value = vscode.getState()?.filter ?? '';

function cell(text: string): HTMLElement {
  const c = document.createElement('vscode-table-cell');
  c.textContent = text;
  return c;
}

function render(): void {
  const needle = filterField.value.trim().toLowerCase();
  const shown = rows.filter((r) => !needle || `${r.code} ${r.title} ${r.category} ${r.message}`.toLowerCase().includes(needle));
  body.replaceChildren(
    ...shown.map((r) => {
      const row = document.createElement('vscode-table-row');
      row.tabIndex = 0;
      row.append(cell(r.code), cell(r.severity), cell(r.category), cell(r.title), cell(r.action));
      const open = () => vscode.postMessage({ type: 'explain', code: r.code });
      row.addEventListener('dblclick', open);
      row.addEventListener('keydown', (e) => e.key === 'Enter' && open());
      return row;
    }),
  );
  count.textContent = `${shown.length} of ${rows.length} codes`;
}

filterField.addEventListener('input', () => {
  vscode.setState({ filter: filterField.value });
  render();
});
window.addEventListener('message', (event: MessageEvent<ToWebview>) => {
  if (event.data.type !== 'catalog') return;
  rows = event.data.rows;
  if (event.data.focus) filterField.value = event.data.focus;
  render();
});
vscode.postMessage({ type: 'ready' });
