// Quick fixes for plan findings: plan edits (src/plan/fixes) and the catalog's other fix actions
// (Ferry commands, admin commands to copy, documentation), matched by the finding's code.
import * as vscode from 'vscode';
import { Commands } from '../common/ids';
import { toRange } from './convert';
import type { DiagnosticsController } from './diagnosticsController';
import type { ValidationClient } from './validationClient';

export class PlanCodeActionProvider implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] };

  constructor(private readonly diagnostics: DiagnosticsController, private readonly worker: ValidationClient) {}

  async provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext, token: vscode.CancellationToken): Promise<vscode.CodeAction[]> {
    const actions: vscode.CodeAction[] = [];
    for (const diagnostic of context.diagnostics) {
      const finding = this.diagnostics.findingFor(document.uri, diagnostic);
      if (!finding) continue;
      const offered = await this.worker.fixes(document.uri.fsPath, document.getText(), finding);
      if (token.isCancellationRequested) return [];
      for (const fix of offered.edits) {
        const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
        action.diagnostics = [diagnostic];
        action.isPreferred = fix.isPreferred;
        if (fix.edits.length) {
          action.edit = new vscode.WorkspaceEdit();
          const target = finding.file === document.uri.fsPath ? document.uri : vscode.Uri.file(finding.file);
          for (const e of fix.edits) action.edit.replace(target, toRange(e.range), e.newText);
        }
        if (fix.command) action.command = { command: fix.command.command, title: fix.command.title, arguments: fix.command.arguments };
        actions.push(action);
      }
      for (const f of offered.actions) {
        if (f.kind === 'command' && f.command.startsWith('ferry.') && !commandAvailable(f.command)) continue;
        const action = new vscode.CodeAction(f.title, vscode.CodeActionKind.QuickFix);
        action.diagnostics = [diagnostic];
        if (f.kind === 'command') action.command = { command: f.command, title: f.title, arguments: [{ code: finding.code, file: finding.file, data: finding.data }] };
        if (f.kind === 'adminCommand') action.command = { command: Commands.copyAdminCommand, title: f.title, arguments: [finding.code, f.template, finding.data ?? {}] };
        if (f.kind === 'docs') action.command = { command: Commands.openDocs, title: f.title, arguments: [f.url] };
        actions.push(action);
      }
    }
    return actions;
  }
}

const registered = new Set<string>(Object.values(Commands));
/** Catalog entries name run commands that later features register; offer only those that exist. */
function commandAvailable(id: string): boolean {
  return registered.has(id);
}
