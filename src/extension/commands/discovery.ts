// Lists the mailboxes a source endpoint holds. A Maildir endpoint is a folder with one Maildir per
// mailbox, named by its address: read here. Exchange (the address book) and Microsoft 365 (the
// directory) are asked by the runner, which holds the protocol libraries, with the plan's secrets.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PlanEndpoint } from '../../plan/model';
import type { PassService } from '../runs/passService';

/** The mailbox addresses of an endpoint, sorted; undefined when its kind cannot list them. */
export async function discoverMailboxes(endpoint: PlanEndpoint, planFile: string, passes: PassService): Promise<string[] | undefined> {
  if (endpoint.type === 'exchange' || endpoint.type === 'm365') return passes.discover(planFile, endpoint.name);
  if (endpoint.type !== 'maildir') return undefined;
  const base = typeof endpoint.settings.path === 'string' && endpoint.settings.path ? endpoint.settings.path : '.';
  const root = vscode.Uri.file(path.resolve(path.dirname(planFile), base));
  const entries = await vscode.workspace.fs.readDirectory(root).then((e) => e, () => [] as [string, vscode.FileType][]);
  const found: string[] = [];
  for (const [name, type] of entries) {
    if (!(type & vscode.FileType.Directory) || !name.includes('@') || name.startsWith('.')) continue;
    const cur = await vscode.workspace.fs.stat(vscode.Uri.joinPath(root, name, 'cur')).then((s) => s.type & vscode.FileType.Directory, () => 0);
    if (cur) found.push(name);
  }
  return found.sort((a, b) => a.localeCompare(b));
}
