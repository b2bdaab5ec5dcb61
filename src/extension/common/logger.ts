// One log channel for the whole extension, with component tags. Never log a secret value.
import * as vscode from 'vscode';

export interface Logger {
  info(component: string, message: string): void;
  warn(component: string, message: string): void;
  error(component: string, message: string, err?: unknown): void;
  debug(component: string, message: string): void;
  show(): void;
}

export function createLogger(context: vscode.ExtensionContext): Logger {
  const channel = vscode.window.createOutputChannel('Ferry', { log: true });
  context.subscriptions.push(channel);
  return {
    info: (c, m) => channel.info(`[${c}] ${m}`),
    warn: (c, m) => channel.warn(`[${c}] ${m}`),
    error: (c, m, err) => channel.error(`[${c}] ${m}${err ? `: ${err instanceof Error ? err.stack ?? err.message : String(err)}` : ''}`),
    debug: (c, m) => channel.debug(`[${c}] ${m}`),
    show: () => channel.show(true),
  };
}
