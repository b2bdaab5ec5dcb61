// Adding mailboxes to a batch: one by one, in bulk from a CSV file, or discovered from the source
// endpoint (where it can list its mailboxes). The plan (or the batch's CSV items file) is edited
// like a person would, undoably, and saved so that the next pass sees it.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { parseItemsCsv } from '../../plan/csvItems';
import type { TextEdit } from '../../plan/fixes';
import { toRange } from '../language/convert';
import { count } from '../../views/format';
import { addItemsEdit, appendCsvEdit, type NewItem } from '../../views/planEdits';
import type { BatchView } from '../../views/projectView';
import type { PassService } from '../runs/passService';
import type { ProjectRegistry } from '../state/projectRegistry';
import { discoverMailboxes } from './discovery';
import { FerryNode } from '../../views/tree/nodes';
import { resolveTarget } from './targets';

const address = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

export function addItem(registry: ProjectRegistry) {
  return async (arg?: unknown, preset?: NewItem): Promise<boolean> => {
    const target = await resolveTarget(arg, registry, { title: 'Ferry: Add Mailbox', batch: 'required' });
    if (!target?.batch) return false;
    const source = preset?.source ?? (await vscode.window.showInputBox({ title: `Ferry: Add a mailbox to ${target.batch}`, prompt: 'Source mailbox address', validateInput: (v) => (address.test(v.trim()) ? undefined : 'An e-mail address, e.g. alice@contoso.example') }))?.trim();
    if (!source) return false;
    const destination = preset ? preset.destination : (await vscode.window.showInputBox({ title: `Ferry: Add ${source}`, prompt: 'Destination address (leave empty to derive it from identityMapping)', validateInput: (v) => (!v.trim() || address.test(v.trim()) ? undefined : 'An e-mail address, or empty') }))?.trim();
    if (destination === undefined && !preset) return false;
    return addToBatch(registry, target.planFile, target.batch, [{ source, destination: destination || undefined }]);
  };
}

export function bulkAddItems(registry: ProjectRegistry) {
  return async (arg?: unknown, csvFile?: vscode.Uri): Promise<number> => {
    const target = await resolveTarget(arg, registry, { title: 'Ferry: Add Mailboxes from CSV', batch: 'required' });
    if (!target?.batch) return 0;
    const file = csvFile ?? (await vscode.window.showOpenDialog({ title: `Mailboxes for ${target.batch}`, filters: { 'CSV files': ['csv'] }, canSelectMany: false, defaultUri: vscode.Uri.file(path.dirname(target.planFile)) }))?.[0];
    if (!file) return 0;
    const parsed = parseItemsCsv(file.fsPath, new TextDecoder().decode(await vscode.workspace.fs.readFile(file)));
    if (parsed.diagnostics.some((d) => d.severity === 'error')) {
      const first = parsed.diagnostics.find((d) => d.severity === 'error')!;
      void vscode.window.showErrorMessage(`Ferry: ${path.basename(file.fsPath)} line ${first.range.start.line + 1}: ${first.code} ${first.message}`);
    }
    const items = parsed.items.map((i) => ({ source: i.source, destination: i.destination }));
    const fresh = await withoutKnown(registry, target.planFile, items);
    if (!fresh.length) {
      void vscode.window.showInformationMessage(`Ferry: every mailbox of ${path.basename(file.fsPath)} is already in the plan.`);
      return 0;
    }
    return (await addToBatch(registry, target.planFile, target.batch, fresh)) ? fresh.length : 0;
  };
}

export function autodiscoverItems(registry: ProjectRegistry, passes: PassService) {
  return async (arg?: unknown, pick?: (found: string[]) => Promise<string[] | undefined>): Promise<number> => {
    // From an endpoint's node, offer the batches that copy from it.
    const fromEndpoint = arg instanceof FerryNode ? arg.ref.endpoint : undefined;
    const target = await resolveTarget(arg, registry, { title: 'Ferry: Discover Mailboxes', batch: 'required', batchFilter: (b) => !fromEndpoint || b.plan?.source === fromEndpoint });
    if (!target?.batch) return 0;
    const view = await registry.get(target.planFile)!.view();
    const batch = view.batches.find((b) => b.name === target.batch);
    const endpoint = view.outline?.endpoints.find((e) => e.name === batch?.plan?.source);
    if (!batch || !endpoint) throw new Error(`batch ${target.batch} has no source endpoint`);
    const found = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Ferry: listing the mailboxes of ${endpoint.name}` }, () => discoverMailboxes(endpoint, target.planFile, passes));
    if (found === undefined) {
      const choice = await vscode.window.showInformationMessage(`Ferry: endpoint '${endpoint.name}' is of kind '${endpoint.type ?? 'unknown'}', which cannot list its mailboxes (Maildir, Exchange and Microsoft 365 can). Add mailboxes one by one or from a CSV file.`, 'Add Mailbox', 'Add from CSV');
      if (choice) void vscode.commands.executeCommand(choice === 'Add Mailbox' ? 'ferry.addItem' : 'ferry.bulkAddItems', { planFile: target.planFile, batch: target.batch });
      return 0;
    }
    const fresh = (await withoutKnown(registry, target.planFile, found.map((source) => ({ source })))).map((i) => i.source);
    if (!fresh.length) {
      void vscode.window.showInformationMessage(`Ferry: every mailbox of '${endpoint.name}' is already in the plan (${count(found.length, 'mailbox', 'mailboxes')} found).`);
      return 0;
    }
    const chosen = pick ? await pick(fresh) : (await vscode.window.showQuickPick(fresh.map((label) => ({ label, picked: true })), { title: `Ferry: mailboxes of ${endpoint.name} not in the plan yet`, canPickMany: true }))?.map((p) => p.label);
    if (!chosen?.length) return 0;
    return (await addToBatch(registry, target.planFile, target.batch, chosen.map((source) => ({ source })))) ? chosen.length : 0;
  };
}

async function withoutKnown(registry: ProjectRegistry, planFile: string, items: NewItem[]): Promise<NewItem[]> {
  const view = await registry.get(planFile)!.view();
  const known = new Set(view.batches.flatMap((b) => b.plan?.items.map((i) => i.source.toLowerCase()) ?? []));
  return items.filter((i) => !known.has(i.source.toLowerCase()));
}

async function addToBatch(registry: ProjectRegistry, planFile: string, batchName: string, items: NewItem[]): Promise<boolean> {
  const project = registry.get(planFile)!;
  project.markOutlineStale(); // edits are computed on the text as it is now
  const batch: BatchView | undefined = (await project.view()).batches.find((b) => b.name === batchName);
  if (!batch?.plan) throw new Error(`batch ${batchName} is not in the plan`);
  let uri = vscode.Uri.file(planFile);
  let edit: TextEdit | undefined;
  if (batch.plan.itemsFile) {
    uri = vscode.Uri.file(path.resolve(path.dirname(planFile), batch.plan.itemsFile));
    const existing = await vscode.workspace.fs.readFile(uri).then((b) => new TextDecoder().decode(b), () => undefined);
    if (existing === undefined) await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode('source,destination\n'));
    edit = appendCsvEdit(existing ?? 'source,destination\n', items);
  } else {
    edit = addItemsEdit((await vscode.workspace.openTextDocument(uri)).getText(), batch.plan, items);
  }
  if (!edit) throw new Error(`cannot find where batch ${batchName} lists its items`);
  const doc = await vscode.workspace.openTextDocument(uri);
  const w = new vscode.WorkspaceEdit();
  w.replace(uri, toRange(edit.range), edit.newText);
  if (!(await vscode.workspace.applyEdit(w))) return false;
  await doc.save();
  project.markOutlineStale();
  registry.refreshStore(planFile);
  void vscode.window.showInformationMessage(`Ferry: added ${items.length === 1 ? items[0].source : count(items.length, 'mailbox', 'mailboxes')} to ${batchName}${batch.plan.itemsFile ? ` (${batch.plan.itemsFile})` : ''}.`);
  return true;
}
