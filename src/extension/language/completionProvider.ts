// Completion in plans: schema keys and values, snippets, endpoint names (src/plan/completion).
import * as vscode from 'vscode';
import { completePlan, type PlanCompletion } from '../../plan/completion/complete';
import { toPosition, toRange } from './convert';

const kinds: Record<PlanCompletion['kind'], vscode.CompletionItemKind> = {
  property: vscode.CompletionItemKind.Property,
  value: vscode.CompletionItemKind.Value,
  snippet: vscode.CompletionItemKind.Snippet,
  endpoint: vscode.CompletionItemKind.Reference,
  batch: vscode.CompletionItemKind.Reference,
  enum: vscode.CompletionItemKind.EnumMember,
};

export class PlanCompletionProvider implements vscode.CompletionItemProvider {
  provideCompletionItems(document: vscode.TextDocument, position: vscode.Position): vscode.CompletionItem[] {
    return completePlan(document.getText(), toPosition(position)).map((c) => {
      const item = new vscode.CompletionItem(c.label, kinds[c.kind]);
      item.insertText = c.isSnippet ? new vscode.SnippetString(c.insertText) : c.insertText;
      if (c.detail) item.detail = c.detail;
      if (c.documentation) item.documentation = new vscode.MarkdownString(c.documentation);
      if (c.sortText) item.sortText = c.sortText;
      if (c.filterText) item.filterText = c.filterText;
      if (c.range) item.range = toRange(c.range);
      return item;
    });
  }
}
