// Quick fixes for run diagnostics: edits of the plan (remove the mailbox, approve its size), Ferry
// commands on exactly that mailbox, batch or endpoint (run it again, retry its failed items, verify
// again, set the secret, resume), the catalog's admin commands to copy and its documentation.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { getEntry } from '../../errors/catalog';
import type { TextEdit } from '../../plan/fixes';
import { Commands, runDiagnosticSource } from '../common/ids';
import { toRange } from '../language/convert';
import { approveOversizeEdit, removeCsvLineEdit, removePlanItemEdits } from '../../views/planEdits';
import type { RunFinding } from '../../views/runFindings';
import type { RunDiagnostics } from './runDiagnostics';

const failed = new Set(['Failed', 'NotValid', 'InsufficientLicenses', 'Interrupted']);

export class RunCodeActionProvider implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] };

  constructor(private readonly runs: RunDiagnostics) {}

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const actions: vscode.CodeAction[] = [];
    for (const diagnostic of context.diagnostics) {
      if (diagnostic.source !== runDiagnosticSource) continue;
      const finding = this.runs.findingFor(document.uri, diagnostic);
      if (!finding) continue;
      for (const a of actionsFor(document, finding)) {
        a.diagnostics = [diagnostic];
        actions.push(a);
      }
    }
    return actions;
  }
}

function action(title: string, init: { edit?: vscode.WorkspaceEdit; command?: vscode.Command; preferred?: boolean }): vscode.CodeAction {
  const a = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
  a.edit = init.edit;
  a.command = init.command;
  a.isPreferred = init.preferred;
  return a;
}

function edit(uri: vscode.Uri, edits: readonly TextEdit[]): vscode.WorkspaceEdit {
  const w = new vscode.WorkspaceEdit();
  for (const e of edits) w.replace(uri, toRange(e.range), e.newText);
  return w;
}

const command = (id: string, title: string, ...args: unknown[]): vscode.Command => ({ command: id, title, arguments: args });

export function actionsFor(document: vscode.TextDocument, f: RunFinding): vscode.CodeAction[] {
  const out: vscode.CodeAction[] = [];
  const { item, batch } = f.target;
  const target = { planFile: f.data.planFile, batch, item };
  const entry = getEntry(f.code);
  if (f.target.kind === 'item' && item) {
    const isFailed = f.data.status !== undefined && failed.has(f.data.status);
    if (f.code === 'ENG-030') {
      out.push(action(`Approve ${item} (Confirmation required)`, { command: command(Commands.approveOversize, 'Approve', target), preferred: true }));
      const e = !f.data.csv && f.data.itemLines ? approveOversizeEdit(document.getText(), f.data.itemLines) : undefined;
      if (e) out.push(action(`Set approveOversize: true on ${item} in the plan`, { edit: edit(document.uri, [e]) }));
    }
    if (isFailed) out.push(action(`Run ${item} again (full pass)`, { command: command(Commands.startFull, 'Run again', target), preferred: f.code !== 'ENG-030' && f.code !== 'IMAP-AUTH' }));
    if (isFailed || f.code === 'IMAP-AUTH') out.push(action(`Verify ${item} again`, { command: command(Commands.verifyCredentials, 'Verify', target) }));
    if (!isFailed && f.data.status !== 'ConfirmationRequired') out.push(action(`Retry the failed items of ${item}`, { command: command(Commands.retryErrors, 'Retry', target), preferred: true }));
    if (f.data.secret) out.push(action(`Set the secret ${f.data.secret}`, { command: command(Commands.setSecret, 'Set Secret', f.data.secret) }));
    // Removing the mailbox fits only a code that says the mailbox is not there (its catalog entry offers removeItem), never a refusal of the file system or a server.
    const removable = isFailed && !!entry?.fixes.some((x) => x.kind === 'planEdit' && x.id === 'removeItem');
    if (removable && f.data.csv) out.push(action(`Remove ${item} from the CSV file`, { edit: edit(document.uri, [removeCsvLineEdit(f.range.start.line)]) }));
    else if (removable && f.data.itemLines) out.push(action(`Remove ${item} from batch ${batch}`, { edit: edit(document.uri, removePlanItemEdits(document.getText(), f.data.itemLines, f.data.itemsKeyLine, f.data.batchItems ?? 0)) }));
  } else if (f.target.kind === 'batch') {
    if (f.code === 'ENG-060') out.push(action('Resume the interrupted pass', { command: command(Commands.resume, 'Resume', { planFile: f.data.planFile }), preferred: true }));
  } else if (f.target.kind === 'endpoint') {
    out.push(action(`Verify credentials again (${f.data.mailboxes?.length ?? 0} mailboxes)`, { command: command(Commands.verifyCredentials, 'Verify', { planFile: f.data.planFile }), preferred: true }));
  }
  const vars = { plan: path.relative(path.dirname(document.uri.fsPath), f.data.planFile) || path.basename(f.data.planFile), address: item ?? '<address>' };
  for (const fix of entry?.fixes ?? []) {
    if (fix.kind === 'adminCommand') {
      const template = fix.template.replace(/<plan>/g, vars.plan).replace(/<address>/g, vars.address);
      out.push(action(`Copy: ${fix.title}`, { command: command(Commands.copyAdminCommand, fix.title, f.code, template, { address: item }) }));
    }
    if (fix.kind === 'docs') out.push(action(`Open: ${fix.title}`, { command: command(Commands.openDocs, fix.title, fix.url) }));
  }
  out.push(action(`Explain ${f.code}`, { command: command(Commands.explainCode, 'Explain', f.code, f.message) }));
  return out;
}
