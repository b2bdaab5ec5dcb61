// Hover in plans: the schema's documentation, and the catalog's explanation of a finding.
import * as vscode from 'vscode';
import { hoverPlan } from '../../plan/hover';
import type { PlanDiagnostic } from '../../plan/diagnostic';
import { toPosition, toRange } from './convert';
import type { DiagnosticsController } from './diagnosticsController';

export class PlanHoverProvider implements vscode.HoverProvider {
  constructor(private readonly diagnostics: DiagnosticsController) {}

  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const findings = vscode.languages
      .getDiagnostics(document.uri)
      .map((d) => this.diagnostics.findingFor(document.uri, d))
      .filter((d): d is PlanDiagnostic => d !== undefined);
    const hover = hoverPlan(document.getText(), toPosition(position), findings);
    if (!hover) return undefined;
    const markdown = new vscode.MarkdownString(hover.contents);
    markdown.isTrusted = { enabledCommands: ['ferry.copyAdminCommand', 'ferry.openDocs'] };
    return new vscode.Hover(markdown, toRange(hover.range));
  }
}
