// Keeps plan diagnostics current: open plans on every edit (debounced, validated off the host
// thread, stale answers dropped), plans on disk at start and when CSV item files change.
import * as vscode from 'vscode';
import type { PlanDiagnostic } from '../../plan/diagnostic';
import { languageId } from '../common/ids';
import type { Logger } from '../common/logger';
import { diagnosticKey, findingKey, toDiagnostic } from './convert';
import type { ValidationClient } from './validationClient';

const debounceMs = 200;
const planGlob = '**/*.migration.{yaml,yml}';

export interface ValidatedEvent {
  uri: vscode.Uri;
  version: number | undefined;
  diagnostics: readonly PlanDiagnostic[];
}

export class DiagnosticsController implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('ferry');
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** The plan findings behind the published diagnostics, by file and key, for code actions and hovers. */
  private readonly findings = new Map<string, Map<string, PlanDiagnostic>>();
  /** CSV files whose findings a plan published, so they are cleared with the plan's. */
  private readonly csvByPlan = new Map<string, Set<string>>();
  /** The document version each plan's published findings belong to (undefined: read from disk). */
  private readonly versions = new Map<string, number | undefined>();
  private readonly validatedEmitter = new vscode.EventEmitter<ValidatedEvent>();
  private readonly disposables: vscode.Disposable[] = [this.collection, this.validatedEmitter];
  readonly onDidValidate = this.validatedEmitter.event;

  constructor(private readonly client: ValidationClient, private readonly logger: Logger) {
    this.disposables.push(
      vscode.workspace.onDidOpenTextDocument((d) => this.schedule(d, 0)),
      vscode.workspace.onDidChangeTextDocument((e) => e.contentChanges.length && this.schedule(e.document, debounceMs)),
      vscode.workspace.onDidCloseTextDocument((d) => isPlan(d) && this.validateOnDisk(d.uri)),
    );
    const plans = vscode.workspace.createFileSystemWatcher(planGlob);
    const csvs = vscode.workspace.createFileSystemWatcher('**/*.{csv,CSV}');
    this.disposables.push(
      plans,
      csvs,
      plans.onDidCreate((u) => this.validateOnDisk(u)),
      plans.onDidChange((u) => this.validateOnDisk(u)),
      plans.onDidDelete((u) => this.clear(u)),
      csvs.onDidChange(() => this.revalidateAll()),
      csvs.onDidCreate(() => this.revalidateAll()),
      csvs.onDidDelete(() => this.revalidateAll()),
    );
    for (const d of vscode.workspace.textDocuments) this.schedule(d, 0);
    void this.validateWorkspace();
  }

  /** Validates every plan in the workspace (open ones from the editor, others from disk). */
  async validateWorkspace(): Promise<void> {
    const uris = await vscode.workspace.findFiles(planGlob, '**/{node_modules,.ferry}/**');
    await Promise.all(uris.map((u) => this.validateOnDisk(u)));
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    vscode.Disposable.from(...this.disposables).dispose();
  }

  private schedule(document: vscode.TextDocument, delay: number): void {
    if (!isPlan(document)) return;
    const key = document.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(key, setTimeout(() => {
      this.timers.delete(key);
      void this.run(document.uri, document.getText(), document.version);
    }, delay));
  }

  private async validateOnDisk(uri: vscode.Uri): Promise<void> {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (open && !open.isClosed) return this.schedule(open, 0);
    try {
      const bytes = await vscode.workspace.fs.readFile(uri);
      await this.run(uri, new TextDecoder().decode(bytes), undefined);
    } catch (err) {
      this.logger.warn('diagnostics', `cannot read ${uri.fsPath}: ${(err as Error).message}`);
    }
  }

  private revalidateAll(): void {
    for (const d of vscode.workspace.textDocuments) this.schedule(d, debounceMs);
    void this.validateWorkspace();
  }

  private async run(uri: vscode.Uri, text: string, version: number | undefined): Promise<void> {
    const diagnostics = await this.client.validate(uri.fsPath, text);
    if (diagnostics === undefined) return; // replaced by a newer request
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString() && !d.isClosed);
    if (version !== undefined && open && open.version !== version) return; // stale: a newer edit is on its way
    if (version === undefined && open?.isDirty) return; // the editor's unsaved text wins over disk
    this.publish(uri, diagnostics);
    this.versions.set(uri.toString(), version);
    this.validatedEmitter.fire({ uri, version, diagnostics });
  }

  private publish(plan: vscode.Uri, diagnostics: readonly PlanDiagnostic[]): void {
    const byFile = new Map<string, vscode.Diagnostic[]>();
    const findingsByFile = new Map<string, Map<string, PlanDiagnostic>>([[plan.fsPath, new Map()]]);
    for (const d of diagnostics) {
      const list = byFile.get(d.file) ?? [];
      list.push(toDiagnostic(d));
      byFile.set(d.file, list);
      const keyed = findingsByFile.get(d.file) ?? new Map<string, PlanDiagnostic>();
      keyed.set(findingKey(d.code, d.range), d);
      findingsByFile.set(d.file, keyed);
    }
    for (const [file, keyed] of findingsByFile) this.findings.set(file, keyed);
    const planKey = plan.toString();
    const previousCsv = this.csvByPlan.get(planKey) ?? new Set<string>();
    const currentCsv = new Set<string>();
    this.collection.set(plan, byFile.get(plan.fsPath) ?? []);
    for (const [file, list] of byFile) {
      if (file === plan.fsPath) continue;
      const uri = vscode.Uri.file(file);
      currentCsv.add(uri.toString());
      this.collection.set(uri, list);
    }
    for (const stale of previousCsv) {
      if (currentCsv.has(stale)) continue;
      this.collection.delete(vscode.Uri.parse(stale));
      this.findings.delete(vscode.Uri.parse(stale).fsPath);
    }
    this.csvByPlan.set(planKey, currentCsv);
  }

  private clear(plan: vscode.Uri): void {
    this.collection.delete(plan);
    this.findings.delete(plan.fsPath);
    for (const csv of this.csvByPlan.get(plan.toString()) ?? []) this.collection.delete(vscode.Uri.parse(csv));
    this.csvByPlan.delete(plan.toString());
  }

  /** The document version the current findings of a plan were computed from. */
  validatedVersion(uri: vscode.Uri): number | undefined {
    return this.versions.get(uri.toString());
  }

  /** The plan finding (with its data) behind a diagnostic VS Code hands back, if it is ours. */
  findingFor(uri: vscode.Uri, diagnostic: vscode.Diagnostic): PlanDiagnostic | undefined {
    return this.findings.get(uri.fsPath)?.get(diagnosticKey(diagnostic));
  }

  /** Current findings for a file (plan or CSV), as published. */
  diagnosticsFor(uri: vscode.Uri): readonly vscode.Diagnostic[] {
    return this.collection.get(uri) ?? [];
  }
}

export function isPlan(document: vscode.TextDocument): boolean {
  return document.languageId === languageId || /\.migration\.ya?ml$/i.test(document.uri.path);
}
