// The dashboard page: a strict Content-Security-Policy (scripts only with this page's nonce, from
// dist/), theme colours from VS Code's CSS variables, landmarks and headings for keyboard and
// screen-reader use. The content is built by dist/dashboard.js from the model.
import type * as vscode from 'vscode';
import { pageBody, webviewPage } from '../common/webviewPage';

const style = `
  body { padding: 0 20px 24px; color: var(--vscode-foreground); font-family: var(--vscode-font-family); }
  header { display: flex; flex-wrap: wrap; gap: 8px 16px; align-items: baseline; margin: 14px 0 4px; }
  h1 { font-size: 1.5em; margin: 0; font-weight: 600; }
  h2 { font-size: 1.1em; margin: 22px 0 8px; font-weight: 600; }
  .state { color: var(--vscode-descriptionForeground); }
  .actions { display: flex; flex-wrap: wrap; gap: 6px; margin: 8px 0 4px; }
  .tiles { display: grid; grid-template-columns: repeat(auto-fill, minmax(130px, 1fr)); gap: 10px; margin-top: 12px; }
  .tile { border: 1px solid var(--vscode-panel-border, var(--vscode-editorWidget-border)); border-radius: 4px; padding: 10px 12px; background: var(--vscode-editorWidget-background); }
  .tile .label { color: var(--vscode-descriptionForeground); font-size: 0.9em; }
  .tile .value { font-size: 1.7em; font-weight: 600; margin-top: 2px; }
  .tile .detail { color: var(--vscode-descriptionForeground); font-size: 0.85em; }
  .tone-ok .value { color: var(--vscode-testing-iconPassed, var(--vscode-charts-green)); }
  .tone-warn .value { color: var(--vscode-editorWarning-foreground, var(--vscode-charts-yellow)); }
  .tone-error .value { color: var(--vscode-errorForeground, var(--vscode-charts-red)); }
  .tone-info .value { color: var(--vscode-charts-blue); }
  .bar { height: 4px; background: var(--vscode-editorWidget-border); border-radius: 2px; margin-top: 6px; }
  .bar > span { display: block; height: 100%; background: var(--vscode-charts-green); border-radius: 2px; }
  table.grid { border-collapse: collapse; width: 100%; font-size: 0.95em; }
  table.grid th, table.grid td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--vscode-editorWidget-border, rgba(128,128,128,.25)); white-space: nowrap; }
  table.grid td.clip { max-width: 380px; overflow: hidden; text-overflow: ellipsis; }
  table.grid.fit td.wrap { white-space: normal; overflow-wrap: anywhere; min-width: 6em; }
  table.grid.fit td.actions { white-space: normal; }
  table.grid.fit td.actions vscode-button { margin: 2px 4px 2px 0; }
  table.grid.fit tr.batch td { border-bottom: none; }
  table.grid.fit tr.times td { white-space: normal; padding-top: 0; color: var(--vscode-descriptionForeground); font-size: 0.9em; }
  table.grid.fit tr.times span.time { display: inline-block; margin-right: 16px; white-space: nowrap; }
  table.grid th { font-weight: 600; color: var(--vscode-descriptionForeground); }
  table.grid td.num, table.grid th.num { text-align: right; font-variant-numeric: tabular-nums; }
  table.grid tbody tr:hover { background: var(--vscode-list-hoverBackground); }
  table.grid tbody tr:focus { outline: 1px solid var(--vscode-focusBorder); outline-offset: -1px; }
  th button.sort { all: unset; cursor: pointer; }
  th button.sort:focus-visible { outline: 1px solid var(--vscode-focusBorder); }
  .scroll { overflow-x: auto; }
  .controls { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; margin-bottom: 8px; }
  .controls vscode-textfield { min-width: 260px; flex: 1 1 260px; max-width: 420px; }
  .controls vscode-single-select { width: 180px; }
  .pager { display: flex; gap: 8px; align-items: center; margin-top: 8px; }
  /* Status colours mixed with the text colour: readable (4.5:1) on the light and the dark themes alike. */
  .status-Failed, .status-NotValid, .status-InsufficientLicenses { color: color-mix(in srgb, var(--vscode-errorForeground) 70%, var(--vscode-foreground)); }
  .status-FinishedWithErrors, .status-ConfirmationRequired, .status-SyncedWithErrors, .status-Interrupted { color: color-mix(in srgb, var(--vscode-editorWarning-foreground) 55%, var(--vscode-foreground)); }
  .status-Completed, .status-Synced, .status-Resynced { color: color-mix(in srgb, var(--vscode-testing-iconPassed, var(--vscode-charts-green)) 55%, var(--vscode-foreground)); }
  .status-InProgress, .status-Syncing { color: color-mix(in srgb, var(--vscode-charts-blue) 60%, var(--vscode-foreground)); }
  svg.chart { width: 100%; max-width: 1100px; height: auto; display: block; }
  svg.chart .axis { stroke: var(--vscode-editorWidget-border, rgba(128,128,128,.5)); }
  svg.chart .grid { stroke: var(--vscode-editorWidget-border, rgba(128,128,128,.25)); stroke-dasharray: 2 3; }
  svg.chart text { fill: var(--vscode-descriptionForeground); font-size: 11px; font-family: var(--vscode-font-family); }
  svg.chart .line { fill: none; stroke: var(--vscode-charts-blue); stroke-width: 2; }
  svg.chart .area { fill: var(--vscode-charts-blue); opacity: 0.18; }
  svg.chart .total { fill: none; stroke: var(--vscode-charts-green); stroke-width: 1.5; stroke-dasharray: 4 3; }
  .legend { display: flex; gap: 16px; color: var(--vscode-descriptionForeground); font-size: 0.9em; }
  .legend i { display: inline-block; width: 14px; height: 3px; vertical-align: middle; margin-right: 4px; }
  .errors vscode-collapsible { margin-bottom: 6px; }
  .errors .body { padding: 6px 12px 10px; }
  .errors ul { margin: 6px 0; padding-left: 18px; }
  .muted { color: var(--vscode-descriptionForeground); }
  .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }`;

export function dashboardHtml(webview: vscode.Webview, script: vscode.Uri, title: string): string {
  return webviewPage(webview, {
    title,
    script,
    style,
    body: pageBody(title, 'Passes and reports', `<section aria-labelledby="h-batches"><h2 id="h-batches">Batches</h2><div class="scroll" id="batches"></div></section>
<section aria-labelledby="h-throughput"><h2 id="h-throughput">Throughput</h2><div id="throughput"></div></section>
<section aria-labelledby="h-items"><h2 id="h-items">Mailboxes</h2><div id="items"></div></section>
<section aria-labelledby="h-errors"><h2 id="h-errors">Errors by code</h2><div class="errors" id="errors"></div></section>`),
  });
}
