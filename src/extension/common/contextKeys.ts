// Sets the context keys the manifest's `when` clauses read, and remembers what it set (VS Code has
// no API to read a context key back; the integration tests check enablement through this).
import * as vscode from 'vscode';
import type { ContextKey } from './ids';

export class ContextKeyValues {
  private readonly values = new Map<ContextKey, boolean>();

  /** Every key starts false, so that `!key` clauses hold before anything happened. */
  constructor(keys: readonly ContextKey[]) {
    for (const key of keys) this.set(key, false);
  }

  set(key: ContextKey, value: boolean): void {
    if (this.values.get(key) === value) return;
    this.values.set(key, value);
    void vscode.commands.executeCommand('setContext', key, value);
  }

  get(key: ContextKey): boolean {
    return this.values.get(key) ?? false;
  }

  all(): Record<string, boolean> {
    return Object.fromEntries(this.values);
  }
}
