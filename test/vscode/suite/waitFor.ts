// Waiting on the extension's own events (never on sleeps): validation results per document.
import * as vscode from 'vscode';
import type { FerryApi } from '../../../src/extension/extension';

export async function ferryApi(): Promise<FerryApi> {
  const extension = vscode.extensions.getExtension<FerryApi>('ferry-migrations.ferry');
  if (!extension) throw new Error('the Ferry extension is not installed in this VS Code');
  return extension.activate();
}

/** Resolves once the findings of `document` belong to its current version (after an edit or revert). */
export async function upToDate(document: vscode.TextDocument, timeoutMs = 20000): Promise<vscode.Diagnostic[]> {
  const api = await ferryApi();
  if (api.validatedVersion(document.uri) === document.version) return vscode.languages.getDiagnostics(document.uri);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`${document.uri.fsPath} version ${document.version} was not validated within ${timeoutMs} ms`));
    }, timeoutMs);
    const sub = api.onDidValidate((e) => {
      if (e.uri.toString() !== document.uri.toString() || e.version !== document.version) return;
      clearTimeout(timer);
      sub.dispose();
      resolve(vscode.languages.getDiagnostics(document.uri));
    });
  });
}

/** Resolves with the diagnostics of the next validation of `uri` that satisfies `until`. */
export async function nextValidation(uri: vscode.Uri, until: (d: readonly vscode.Diagnostic[]) => boolean = () => true, timeoutMs = 20000): Promise<vscode.Diagnostic[]> {
  const api = await ferryApi();
  const current = vscode.languages.getDiagnostics(uri);
  if (current.length && until(current)) return current;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`no matching validation of ${uri.fsPath} within ${timeoutMs} ms; last: ${JSON.stringify(vscode.languages.getDiagnostics(uri).map((d) => d.code))}`));
    }, timeoutMs);
    const sub = api.onDidValidate((e) => {
      if (e.uri.toString() !== uri.toString()) return;
      const diagnostics = vscode.languages.getDiagnostics(uri);
      if (!until(diagnostics)) return;
      clearTimeout(timer);
      sub.dispose();
      resolve(diagnostics);
    });
  });
}

export function workspaceFile(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the tests need a workspace folder');
  return vscode.Uri.joinPath(folder.uri, name);
}

export const codeOf = (d: vscode.Diagnostic): string => String(typeof d.code === 'object' ? d.code.value : d.code);

export function lineOf(document: vscode.TextDocument, needle: string, occurrence = 1): number {
  let seen = 0;
  for (let i = 0; i < document.lineCount; i++) {
    if (document.lineAt(i).text.includes(needle) && ++seen === occurrence) return i;
  }
  throw new Error(`"${needle}" (#${occurrence}) is not in ${document.uri.fsPath}`);
}
