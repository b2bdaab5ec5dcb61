// Hover in plans: the schema's documentation, and the catalog's explanation of a finding.
import * as vscode from 'vscode';
import { findingsAt, hoverPlan } from '../../plan/hover';
import type { PlanDiagnostic } from '../../plan/diagnostic';
import type { OfferedFixes } from '../../plan/fixes';
import type { ValidationClient } from './validationClient';
import { toPosition, toRange } from './convert';
import type { DiagnosticsController } from './diagnosticsController';

export class PlanHoverProvider implements vscode.HoverProvider {
  constructor(private readonly diagnostics: DiagnosticsController, private readonly worker: ValidationClient) {}

  async provideHover(document: vscode.TextDocument, position: vscode.Position, token: vscode.CancellationToken): Promise<vscode.Hover | undefined> {
    const findings = vscode.languages
      .getDiagnostics(document.uri)
      .map((d) => this.diagnostics.findingFor(document.uri, d))
      .filter((d): d is PlanDiagnostic => d !== undefined);
    const text = document.getText();
    const at = toPosition(position);
    // The fixes come from the worker that answers the quick-fix menu, so the hover lists what it offers.
    const offered = new Map<PlanDiagnostic, OfferedFixes>();
    for (const d of findingsAt(at, findings)) offered.set(d, await this.worker.fixes(document.uri.fsPath, text, d));
    if (token.isCancellationRequested) return undefined;
    const hover = hoverPlan(text, at, findings, (d) => offered.get(d) ?? { edits: [], actions: [], orchestrated: false });
    if (!hover) return undefined;
    const markdown = new vscode.MarkdownString(hover.contents);
    markdown.isTrusted = { enabledCommands: ['ferry.copyAdminCommand', 'ferry.openDocs'] };
    return new vscode.Hover(markdown, toRange(hover.range));
  }
}
