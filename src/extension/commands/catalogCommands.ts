// Commands behind the catalog's fix actions: copy an admin command, open documentation, explain a code.
import * as vscode from 'vscode';
import { allEntries, argsFromMessage, describeMarkdown, getEntry, resolveFixes } from '../../errors/catalog';

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

/** Read-only documents of the catalog's explanations: `ferry-explain:/CODE.md?<arguments as JSON>`. */
export const explainScheme = 'ferry-explain';

export class ExplainDocuments implements vscode.TextDocumentContentProvider {
  static uri(code: string, args?: readonly string[]): vscode.Uri {
    return vscode.Uri.from({ scheme: explainScheme, path: `/${code}.md`, query: args ? JSON.stringify(args) : '' });
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const code = uri.path.replace(/^\//, '').replace(/\.md$/, '');
    let args: string[] | undefined;
    try {
      args = uri.query ? (JSON.parse(uri.query) as string[]) : undefined;
    } catch {
      args = undefined;
    }
    // Without the error's own values a placeholder says what goes there, never "{0}".
    const count = (getEntry(code)?.message.match(/\{\d+\}/g) ?? []).length;
    const shown = args ?? Array.from({ length: Math.max(count, 10) }, () => '…');
    return describeMarkdown(code, shown);
  }
}

/**
 * Shows the catalog's explanation of a code in a Markdown preview of a read-only document (nothing
 * to save). `message`: the error as it was reported, whose values fill the explanation's placeholders.
 */
export async function explainCode(code?: string, message?: string): Promise<vscode.Uri | undefined> {
  const chosen =
    code ??
    (
      await vscode.window.showQuickPick(
        allEntries().map((e) => ({ label: e.code, description: e.title, detail: e.message })),
        { title: 'Ferry: Explain Error Code', matchOnDescription: true, matchOnDetail: true },
      )
    )?.label;
  if (!chosen) return undefined;
  const uri = ExplainDocuments.uri(chosen, typeof message === 'string' ? argsFromMessage(chosen, message) : undefined);
  await vscode.commands.executeCommand('markdown.showPreview', uri);
  return uri;
}
