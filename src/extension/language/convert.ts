// Plain plan types to and from VS Code's types.
import * as vscode from 'vscode';
import type { PlanDiagnostic, Position, Range, Severity } from '../../plan/diagnostic';
import { diagnosticSource } from '../common/ids';

const severities: Record<Severity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  information: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

export const toRange = (r: Range) => new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
export const toPosition = (p: vscode.Position): Position => ({ line: p.line, character: p.character });
export const fromRange = (r: vscode.Range): Range => ({ start: toPosition(r.start), end: toPosition(r.end) });

/** The plan finding each VS Code diagnostic came from, so code actions get its data back. */
const origins = new WeakMap<vscode.Diagnostic, PlanDiagnostic>();

export function toDiagnostic(d: PlanDiagnostic): vscode.Diagnostic {
  const diagnostic = new vscode.Diagnostic(toRange(d.range), d.message, severities[d.severity]);
  diagnostic.source = diagnosticSource;
  diagnostic.code = d.code;
  if (d.severity === 'hint' && d.code === 'PLAN-030') diagnostic.tags = [vscode.DiagnosticTag.Unnecessary];
  origins.set(diagnostic, d);
  return diagnostic;
}

export function planDiagnosticOf(d: vscode.Diagnostic): PlanDiagnostic | undefined {
  return origins.get(d);
}
