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

export function toDiagnostic(d: PlanDiagnostic): vscode.Diagnostic {
  const diagnostic = new vscode.Diagnostic(toRange(d.range), d.message, severities[d.severity]);
  diagnostic.source = diagnosticSource;
  diagnostic.code = d.code;
  if (d.severity === 'hint' && d.code === 'PLAN-030') diagnostic.tags = [vscode.DiagnosticTag.Unnecessary];
  if (d.related?.length) diagnostic.relatedInformation = d.related.map((r) => new vscode.DiagnosticRelatedInformation(new vscode.Location(vscode.Uri.file(r.file), toRange(r.range)), r.message));
  return diagnostic;
}

/** Identifies a finding across VS Code's copies of a diagnostic (code actions get copies). */
export function findingKey(code: string, range: Range): string {
  return `${code}|${range.start.line}:${range.start.character}-${range.end.line}:${range.end.character}`;
}

export function diagnosticKey(d: vscode.Diagnostic): string {
  const code = typeof d.code === 'object' ? d.code.value : d.code;
  return findingKey(String(code), fromRange(d.range));
}
