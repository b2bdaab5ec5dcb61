// The error-catalog browser webview: strict CSP with a nonce, scripts only from dist/.
import * as vscode from 'vscode';
import { allEntries } from '../../errors/catalog';
import type { FromWebview, ToWebview } from '../../../webview/protocol';
import { Commands } from '../common/ids';
import { webviewPage } from '../common/webviewPage';

let current: vscode.WebviewPanel | undefined;

export function showCatalog(extensionUri: vscode.Uri, focus?: string): vscode.WebviewPanel {
  if (current) {
    current.reveal();
    if (focus) void current.webview.postMessage(catalogMessage(focus));
    return current;
  }
  const dist = vscode.Uri.joinPath(extensionUri, 'dist');
  const panel = vscode.window.createWebviewPanel('ferry.catalog', 'Ferry: Error Catalog', vscode.ViewColumn.Active, {
    enableScripts: true,
    localResourceRoots: [dist],
  });
  current = panel;
  panel.onDidDispose(() => (current = undefined));
  panel.webview.onDidReceiveMessage((message: FromWebview) => {
    if (message.type === 'ready') void panel.webview.postMessage(catalogMessage(focus));
    if (message.type === 'explain') void vscode.commands.executeCommand(Commands.explainCode, message.code);
  });
  panel.webview.html = html(panel.webview, vscode.Uri.joinPath(dist, 'webview.js'));
  return panel;
}

function catalogMessage(focus?: string): ToWebview {
  return {
    type: 'catalog',
    focus,
    rows: allEntries().map((e) => ({ code: e.code, title: e.title, category: e.category, severity: e.severity, message: e.message, action: e.action })),
  };
}

function html(webview: vscode.Webview, script: vscode.Uri): string {
  return webviewPage(webview, {
    title: 'Error Catalog',
    script,
    style: 'body { padding: 0 16px; } header { display: flex; gap: 12px; align-items: center; margin: 12px 0; } vscode-textfield { flex: 1; }',
    body: `<header><vscode-textfield id="filter" placeholder="Filter by code, title or message" aria-label="Filter"></vscode-textfield><span id="count" role="status"></span></header>
<vscode-table zebra bordered-rows resizable columns='["10%","8%","12%","30%","40%"]'>
  <vscode-table-header slot="header"><vscode-table-header-cell>Code</vscode-table-header-cell><vscode-table-header-cell>Severity</vscode-table-header-cell><vscode-table-header-cell>Category</vscode-table-header-cell><vscode-table-header-cell>Title</vscode-table-header-cell><vscode-table-header-cell>Action</vscode-table-header-cell></vscode-table-header>
  <vscode-table-body slot="body" id="rows"></vscode-table-body>
</vscode-table>`,
  });
}
