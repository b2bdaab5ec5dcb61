// Errors that runs recorded, as diagnostics in the plan (or its CSV file) at the mailbox's, batch's
// or endpoint's line, in a collection of their own ('ferry-runs') beside the plan's findings. They
// follow the live events while a pass runs and the store after it; resolved errors disappear.
import * as vscode from 'vscode';
import { runDiagnosticSource } from '../common/ids';
import type { Logger } from '../common/logger';
import { diagnosticKey, findingKey, toRange } from '../language/convert';
import { runFindings, type RunFinding } from '../../views/runFindings';
import type { ProjectRegistry } from '../state/projectRegistry';

const severities = { error: vscode.DiagnosticSeverity.Error, warning: vscode.DiagnosticSeverity.Warning, information: vscode.DiagnosticSeverity.Information, hint: vscode.DiagnosticSeverity.Hint };

export class RunDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('ferry-runs');
  private readonly findings = new Map<string, Map<string, RunFinding>>();
  private readonly filesByPlan = new Map<string, Set<string>>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly emitter = new vscode.EventEmitter<string>();
  private readonly disposables: vscode.Disposable[] = [this.collection, this.emitter];
  /** Fires with the plan file after its run diagnostics were published. */
  readonly onDidUpdate = this.emitter.event;

  constructor(private readonly registry: ProjectRegistry, private readonly logger: Logger) {
    this.disposables.push(
      registry.onDidChangeProject((c) => this.schedule(c.planFile, c.all ? 100 : 300)),
      registry.onDidChangeProjects(() => this.dropRemoved()),
    );
  }

  /** The finding behind a diagnostic VS Code hands back (code actions get copies). */
  findingFor(uri: vscode.Uri, diagnostic: vscode.Diagnostic): RunFinding | undefined {
    return this.findings.get(uri.fsPath)?.get(diagnosticKey(diagnostic));
  }

  diagnosticsFor(uri: vscode.Uri): readonly vscode.Diagnostic[] {
    return this.collection.get(uri) ?? [];
  }

  /** Publishes the findings of a plan now (after loading what is stale). */
  async update(planFile: string): Promise<void> {
    const project = this.registry.get(planFile);
    if (!project) return;
    const view = await project.view();
    const found = runFindings(view);
    const byFile = new Map<string, RunFinding[]>();
    for (const f of found) byFile.set(f.file, [...(byFile.get(f.file) ?? []), f]);
    const previous = this.filesByPlan.get(planFile) ?? new Set<string>();
    for (const file of previous) if (!byFile.has(file)) this.clearFile(file);
    for (const [file, list] of byFile) {
      this.collection.set(vscode.Uri.file(file), list.map(toDiagnostic));
      this.findings.set(file, new Map(list.map((f) => [findingKey(f.code, f.range), f])));
    }
    this.filesByPlan.set(planFile, new Set(byFile.keys()));
    if (found.length || previous.size) this.logger.debug('runs', `${found.length} run diagnostics for ${planFile}`);
    this.emitter.fire(planFile);
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    vscode.Disposable.from(...this.disposables).dispose();
  }

  private schedule(planFile: string, delay: number): void {
    clearTimeout(this.timers.get(planFile));
    this.timers.set(planFile, setTimeout(() => {
      this.timers.delete(planFile);
      this.update(planFile).catch((err: unknown) => this.logger.error('runs', `run diagnostics of ${planFile}`, err));
    }, delay));
  }

  private clearFile(file: string): void {
    this.collection.delete(vscode.Uri.file(file));
    this.findings.delete(file);
  }

  private dropRemoved(): void {
    for (const [plan, files] of this.filesByPlan) {
      if (this.registry.get(plan)) continue;
      files.forEach((f) => this.clearFile(f));
      this.filesByPlan.delete(plan);
    }
  }
}

function toDiagnostic(f: RunFinding): vscode.Diagnostic {
  const d = new vscode.Diagnostic(toRange(f.range), f.message, severities[f.severity]);
  d.source = runDiagnosticSource;
  d.code = f.code;
  return d;
}
