// Lists the mailboxes a source endpoint holds, where its kind allows: a Maildir endpoint is a
// folder with one Maildir per mailbox, named by its address. Other kinds cannot list yet.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PlanEndpoint } from '../../plan/model';

/** The mailbox addresses of an endpoint, sorted; undefined when its kind cannot list them. */
export async function discoverMailboxes(endpoint: PlanEndpoint, planDir: string): Promise<string[] | undefined> {
  if (endpoint.type !== 'maildir') return undefined;
  const base = typeof endpoint.settings.path === 'string' && endpoint.settings.path ? endpoint.settings.path : '.';
  const root = vscode.Uri.file(path.resolve(planDir, base));
  const entries = await vscode.workspace.fs.readDirectory(root).then((e) => e, () => [] as [string, vscode.FileType][]);
  const found: string[] = [];
  for (const [name, type] of entries) {
    if (!(type & vscode.FileType.Directory) || !name.includes('@') || name.startsWith('.')) continue;
    const cur = await vscode.workspace.fs.stat(vscode.Uri.joinPath(root, name, 'cur')).then((s) => s.type & vscode.FileType.Directory, () => 0);
    if (cur) found.push(name);
  }
  return found.sort((a, b) => a.localeCompare(b));
}
