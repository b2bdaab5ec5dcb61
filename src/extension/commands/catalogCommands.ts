// Commands behind the catalog's fix actions: copy an admin command, open documentation, explain a code.
import * as vscode from 'vscode';
import { allEntries, describeMarkdown, resolveFixes } from '../../errors/catalog';

/** Fills the template's {placeholders} from the finding's data and copies it to the clipboard. */
export async function copyAdminCommand(code: string, template: string, data: Record<string, unknown> = {}): Promise<string> {
  const vars = Object.fromEntries(Object.entries(data).filter(([, v]) => typeof v === 'string' || typeof v === 'number').map(([k, v]) => [k, String(v)]));
  const filled = resolveFixes(code, vars).find((f) => f.kind === 'adminCommand' && templateMatches(f.template, template));
  const text = filled && filled.kind === 'adminCommand' ? filled.template : template;
  await vscode.env.clipboard.writeText(text);
  void vscode.window.showInformationMessage('Ferry: admin command copied to the clipboard.');
  return text;
}

function templateMatches(resolved: string, template: string): boolean {
  const head = template.split('{')[0];
  return resolved.startsWith(head);
}

/** Opens a documentation link; without one, Ferry's own README (the welcome view's "docs"). */
export function openDocs(extensionUri: vscode.Uri) {
  return async (url?: string): Promise<boolean> => {
    if (typeof url === 'string' && url) return vscode.env.openExternal(vscode.Uri.parse(url));
    await vscode.commands.executeCommand('markdown.showPreview', vscode.Uri.joinPath(extensionUri, 'README.md'));
    return true;
  };
}

/** Shows the catalog's explanation of a code in a Markdown preview. */
export async function explainCode(code?: string): Promise<void> {
  const chosen =
    code ??
    (
      await vscode.window.showQuickPick(
        allEntries().map((e) => ({ label: e.code, description: e.title, detail: e.message })),
        { title: 'Ferry: Explain Error Code', matchOnDescription: true, matchOnDetail: true },
      )
    )?.label;
  if (!chosen) return;
  const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: describeMarkdown(chosen) });
  await vscode.commands.executeCommand('markdown.showPreview', doc.uri);
}
