// One log channel for the whole extension, with component tags. Never log a secret value: the
// values the extension hands to the runner are registered here and masked in anything logged,
// a second line of defence behind code that never logs them in the first place.
import * as vscode from 'vscode';

export interface Logger {
  info(component: string, message: string): void;
  warn(component: string, message: string): void;
  error(component: string, message: string, err?: unknown): void;
  debug(component: string, message: string): void;
  show(): void;
  /** Masks these values wherever they would appear in the log. */
  redact(values: Iterable<string>): void;
}

const mask = '********';

export function createLogger(context: vscode.ExtensionContext): Logger {
  const channel = vscode.window.createOutputChannel('Ferry', { log: true });
  context.subscriptions.push(channel);
  const secrets = new Set<string>();
  const scrub = (text: string) => {
    let out = text;
    for (const s of secrets) if (out.includes(s)) out = out.split(s).join(mask);
    return out;
  };
  const line = (c: string, m: string) => scrub(`[${c}] ${m}`);
  return {
    info: (c, m) => channel.info(line(c, m)),
    warn: (c, m) => channel.warn(line(c, m)),
    error: (c, m, err) => channel.error(line(c, `${m}${err ? `: ${err instanceof Error ? err.stack ?? err.message : String(err)}` : ''}`)),
    debug: (c, m) => channel.debug(line(c, m)),
    show: () => channel.show(true),
    redact: (values) => {
      // Very short values would mask ordinary words; no real secret is that short.
      for (const v of values) if (v.length >= 4) secrets.add(v);
    },
  };
}
