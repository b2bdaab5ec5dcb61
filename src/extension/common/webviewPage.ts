// The page shell every Ferry webview uses: a strict Content-Security-Policy (scripts only with
// this page's nonce, from dist/; styles and fonts from the webview's own source), and one script.
import { randomBytes } from 'node:crypto';
import type * as vscode from 'vscode';

export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export interface WebviewPage {
  title: string;
  /** The page's own CSS (inline styles are allowed by the policy, scripts are not). */
  style: string;
  /** The body's markup before the script; the script builds the rest. */
  body: string;
  script: vscode.Uri;
}

export function webviewPage(webview: vscode.Webview, page: WebviewPage): string {
  const nonce = randomBytes(16).toString('base64');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${webview.cspSource} 'unsafe-inline'; font-src ${webview.cspSource}; img-src ${webview.cspSource} data:; script-src 'nonce-${nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>Ferry: ${escapeHtml(page.title)}</title>
<style>
${page.style}
</style>
</head>
<body>
${page.body}
<script nonce="${nonce}" src="${webview.asWebviewUri(page.script)}"></script>
</body>
</html>`;
}

/**
 * The body every Ferry page starts with: the title and its state (announced as a status), the
 * toolbar the script fills (`actionsLabel` names it for screen readers), then `main` with the
 * overview tiles and the page's own `sections`.
 */
export function pageBody(title: string, actionsLabel: string, sections: string): string {
  return `<header><h1 id="title">${escapeHtml(title)}</h1><span id="state" class="state" role="status"></span></header>
<div class="actions" role="toolbar" aria-label="${escapeHtml(actionsLabel)}" id="actions"></div>
<main>
<section aria-labelledby="h-overview"><h2 id="h-overview" class="visually-hidden">Overview</h2><div class="tiles" id="tiles"></div></section>
${sections}
</main>`;
}
