// Plans whose source is the fake IMAP server, written into a fresh folder of the test workspace at
// run time (the port is only known then).
import type * as vscode from 'vscode';
import { writePlan } from './fixtures';
import { imapPlanText } from './imapPlanText';

export async function writeImapPlan(folder: string, name: string, port: number, secret: string): Promise<vscode.Uri> {
  return writePlan(folder, `${folder}.migration.yaml`, imapPlanText(name, port, secret));
}
