// Plans whose source is the fake IMAP server, written into the test workspace at run time (the
// port is only known then).
import * as vscode from 'vscode';
import { imapPlanText } from './imapPlanText';
import { workspaceFile } from './waitFor';

export async function writeImapPlan(folder: string, name: string, port: number, secret: string): Promise<vscode.Uri> {
  const uri = workspaceFile(`${folder}/${folder}.migration.yaml`);
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(imapPlanText(name, port, secret)));
  await vscode.commands.executeCommand('ferry.refresh');
  return uri;
}
