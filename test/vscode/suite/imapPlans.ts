// Plans whose source is the fake IMAP server, written into the test workspace at run time (the
// port is only known then).
import * as vscode from 'vscode';
import { workspaceFile } from './waitFor';

export function imapPlanText(name: string, port: number, secret: string): string {
  return [
    'version: 1',
    `project: { name: ${name} }`,
    'endpoints:',
    '  legacy:',
    '    type: imap',
    '    host: 127.0.0.1',
    `    port: ${port}`,
    '    security: none',
    '    auth:',
    '      username: migration-admin@contoso.example',
    `      password: { secret: ${secret} }`,
    '  archive:',
    '    type: maildir',
    '    path: ./destination',
    'source: legacy',
    'destination: archive',
    'identityMapping:',
    '  domains:',
    '    - { from: contoso.example, to: fabrikam.example }',
    'batches:',
    '  - name: Wave A',
    '    items:',
    '      - source: alice@contoso.example',
    '      - source: bruno@contoso.example',
    '',
  ].join('\n');
}

export async function writeImapPlan(folder: string, name: string, port: number, secret: string): Promise<vscode.Uri> {
  const uri = workspaceFile(`${folder}/${folder}.migration.yaml`);
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(imapPlanText(name, port, secret)));
  await vscode.commands.executeCommand('ferry.refresh');
  return uri;
}
