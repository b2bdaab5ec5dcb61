// A mailbox's page: the dashboard's page shell and look (theme colours, landmarks, headings); the
// content is built by dist/mailbox.js from the model.
import type * as vscode from 'vscode';
import { pageBody, webviewPage } from '../common/webviewPage';

const style = `
  body { padding: 0 20px 24px; color: var(--vscode-foreground); font-family: var(--vscode-font-family); }
  header { display: flex; flex-wrap: wrap; gap: 8px 16px; align-items: baseline; margin: 14px 0 4px; }
  h1 { font-size: 1.4em; margin: 0; font-weight: 600; word-break: break-all; }
  h2 { font-size: 1.1em; margin: 22px 0 8px; font-weight: 600; }
  .state, .muted { color: var(--vscode-descriptionForeground); }
  .actions { display: flex; flex-wrap: wrap; gap: 6px; margin: 8px 0 4px; }
  .tiles { display: grid; grid-template-columns: repeat(auto-fill, minmax(130px, 1fr)); gap: 10px; margin-top: 12px; }
  .tile { border: 1px solid var(--vscode-panel-border, var(--vscode-editorWidget-border)); border-radius: 4px; padding: 10px 12px; background: var(--vscode-editorWidget-background); }
  .tile .label, .tile .detail { color: var(--vscode-descriptionForeground); font-size: 0.9em; }
  .tile .value { font-size: 1.6em; font-weight: 600; margin-top: 2px; }
  .scroll { overflow-x: auto; }
  table.grid { border-collapse: collapse; width: 100%; font-size: 0.95em; }
  table.grid th, table.grid td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--vscode-editorWidget-border, rgba(128,128,128,.25)); vertical-align: top; }
  table.grid th { font-weight: 600; color: var(--vscode-descriptionForeground); white-space: nowrap; }
  table.grid td.num, table.grid th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
  table.grid td.wrap { overflow-wrap: anywhere; min-width: 12em; }
  table.grid tr.current td { background: var(--vscode-list-inactiveSelectionBackground); }
  .log { font-family: var(--vscode-editor-font-family); font-size: var(--vscode-editor-font-size); max-height: 320px; overflow-y: auto; border: 1px solid var(--vscode-editorWidget-border, rgba(128,128,128,.25)); padding: 6px 8px; white-space: pre-wrap; }
  .log .at { color: var(--vscode-descriptionForeground); margin-right: 8px; }
  .kinds { display: flex; flex-wrap: wrap; gap: 8px 20px; }
  .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }`;

export function mailboxHtml(webview: vscode.Webview, script: vscode.Uri, source: string): string {
  return webviewPage(webview, {
    title: source,
    script,
    style,
    body: pageBody(source, 'What can be done with this mailbox now', `<section aria-labelledby="h-log"><h2 id="h-log">Live log of the running pass</h2><div id="log"></div></section>
<section aria-labelledby="h-folders"><h2 id="h-folders">Folders</h2><div class="scroll" id="folders"></div></section>
<section aria-labelledby="h-excluded"><h2 id="h-excluded">Folders left out</h2><div class="scroll" id="excluded"></div></section>
<section aria-labelledby="h-notcopied"><h2 id="h-notcopied">Items not copied</h2><div class="scroll" id="notcopied"></div></section>
<section aria-labelledby="h-errors"><h2 id="h-errors">Errors</h2><div class="scroll" id="errors"></div></section>
<section aria-labelledby="h-delta"><h2 id="h-delta">Changes of the last delta</h2><div id="delta"></div></section>
<section aria-labelledby="h-passes"><h2 id="h-passes">Passes</h2><div class="scroll" id="passes"></div></section>`),
  });
}
