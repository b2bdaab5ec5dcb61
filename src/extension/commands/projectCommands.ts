// Scaffolding: a new project from the sample, and a missing items CSV file.
import * as vscode from 'vscode';
import { sampleProject } from '../../plan/sampleProject';
import { csvColumns } from '../../plan/csvItems';

export async function newProject(folder?: vscode.Uri): Promise<vscode.Uri | undefined> {
  const target =
    folder ??
    vscode.workspace.workspaceFolders?.[0]?.uri ??
    (await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, title: 'Folder for the new migration project' }))?.[0];
  if (!target) return undefined;
  const name = await vscode.window.showInputBox({ title: 'Ferry: New Migration Project', prompt: 'Project name', value: 'Contoso to Microsoft 365' });
  if (name === undefined) return undefined;
  let planUri: vscode.Uri | undefined;
  for (const file of sampleProject(name || undefined)) {
    const uri = vscode.Uri.joinPath(target, file.path);
    if (await exists(uri)) {
      const choice = await vscode.window.showWarningMessage(`${file.path} already exists.`, { modal: true }, 'Overwrite');
      if (choice !== 'Overwrite') return undefined;
    }
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(file.content));
    if (file.path.endsWith('.migration.yaml')) planUri = uri;
  }
  if (planUri) await vscode.window.showTextDocument(planUri);
  return planUri;
}

/** Creates the CSV file a batch names, with the header row, and opens it. */
export async function createItemsFile(arg?: string | { file?: string; data?: { absolute?: string } }): Promise<vscode.Uri | undefined> {
  const absolute = typeof arg === 'string' ? arg : arg?.data?.absolute;
  if (!absolute) return undefined;
  const uri = vscode.Uri.file(absolute);
  if (!(await exists(uri))) await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(`${csvColumns.join(',')}\n`));
  await vscode.window.showTextDocument(uri);
  return uri;
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}
