// The error catalog: every code Ferry reports, from the plan rules and from the services it
// drives, with the text and the fixes to show. Plain Node; never imports `vscode`.
import type { CatalogCategory, CatalogEntry, FixAction } from './types';

export type { CatalogCategory, CatalogEntry, FixAction, Severity } from './types';
export { FIX_COMMAND_IDS, FIX_VARIABLES, PLAN_EDIT_IDS } from './fixIds';
export type { PlanEditId } from './fixIds';

let loaded: { entries: readonly CatalogEntry[]; byCode: ReadonlyMap<string, CatalogEntry> } | undefined;
/**
 * The entries, and code and alias -> entry (the first entry wins: a test guarantees there is only
 * one). Loaded on first use: building the entry files is most of the catalog's cost (~3 ms of
 * every start, issue 17), and a command that reports no error needs none of them.
 */
function catalog(): NonNullable<typeof loaded> {
  if (!loaded) {
    /* eslint-disable @typescript-eslint/no-require-imports */
    const entries: readonly CatalogEntry[] = Object.freeze([
      ...(require('./seedCatalog') as typeof import('./seedCatalog')).seedEntries,
      ...(require('./ferryCatalog') as typeof import('./ferryCatalog')).ferryEntries,
      ...(require('./connectorCatalog') as typeof import('./connectorCatalog')).connectorEntries,
      ...(require('./graphCatalog') as typeof import('./graphCatalog')).graphEntries,
      ...(require('./ewsCatalog') as typeof import('./ewsCatalog')).ewsEntries,
      ...(require('./gmailCatalog') as typeof import('./gmailCatalog')).gmailEntries,
      ...(require('./engineCatalog') as typeof import('./engineCatalog')).engineEntries,
      ...(require('./storeCatalog') as typeof import('./storeCatalog')).storeEntries,
      ...(require('./scheduleCatalog') as typeof import('./scheduleCatalog')).scheduleEntries,
      ...(require('./distributedCatalog') as typeof import('./distributedCatalog')).distributedEntries,
    ]);
    /* eslint-enable @typescript-eslint/no-require-imports */
    const byCode = new Map<string, CatalogEntry>();
    for (const entry of entries) {
      for (const key of [entry.code, ...(entry.aliases ?? [])]) if (!byCode.has(key)) byCode.set(key, entry);
    }
    loaded = { entries, byCode };
  }
  return loaded;
}

/** The entry for a code or one of its aliases; exact, case-sensitive match. */
export function getEntry(code: string): CatalogEntry | undefined {
  return catalog().byCode.get(code);
}

export function allEntries(): readonly CatalogEntry[] {
  return catalog().entries;
}

export function entriesIn(category: CatalogCategory): readonly CatalogEntry[] {
  return catalog().entries.filter((e) => e.category === category);
}

/**
 * The entry for a code as the seed prints it. The seed reuses IM-003, MIGR-001 and MIGR-003 in
 * its Teams meeting section; pass the category to get that variant.
 */
export function findSeedEntry(seedCode: string, category?: CatalogCategory): CatalogEntry | undefined {
  const inCategory = (e: CatalogEntry) => category === undefined || e.category === category;
  return (
    catalog().entries.find((e) => inCategory(e) && e.code === seedCode) ??
    catalog().entries.find((e) => inCategory(e) && (e.seedCode === seedCode || (e.aliases ?? []).includes(seedCode)))
  );
}

/** Fills `{0}`, `{1}`, ... from args; placeholders without an argument stay as they are. */
export function fillPlaceholders(template: string, args: readonly string[]): string {
  return template.replace(/\{(\d+)\}/g, (whole, n: string) => {
    const value = args[Number(n)];
    return value === undefined ? whole : value;
  });
}

/** The message of a code with its arguments filled in; an unknown code yields the code and its arguments. */
export function formatMessage(code: string, args: readonly string[]): string {
  const entry = getEntry(code);
  if (!entry) return args.length ? `${code}: ${args.join(', ')}` : code;
  return fillPlaceholders(entry.message, args);
}

/** The message a plan finding shows: the entry's planMessage when it has one, else its message. */
export function formatPlanMessage(code: string, args: readonly string[]): string {
  const entry = getEntry(code);
  return entry?.planMessage ? fillPlaceholders(entry.planMessage, args) : formatMessage(code, args);
}

/**
 * The fixes of a code with the `{name}` placeholders of admin-command templates filled from vars
 * (values from the plan: sourceTenantId, userPrincipalName, ...; see FIX_VARIABLES). A placeholder
 * without a value becomes `<name>` so the operator sees what to fill in. Values are escaped for the
 * shell the command is meant for.
 */
export function resolveFixes(code: string, vars: Readonly<Record<string, string>>): FixAction[] {
  return (getEntry(code)?.fixes ?? []).map((fix) => {
    if (fix.kind !== 'adminCommand') return fix;
    const template = fix.template.replace(/\{([A-Za-z0-9_.]+)\}/g, (_whole, name: string) => {
      const value = Object.prototype.hasOwnProperty.call(vars, name) ? vars[name] : undefined;
      return value === undefined ? `<${name}>` : escapeFor(fix.shell, value);
    });
    return { ...fix, template };
  });
}

function escapeFor(shell: 'powershell' | 'graph' | 'bash', value: string): string {
  switch (shell) {
    case 'powershell':
      // Safe inside the double-quoted strings the templates use: backtick escapes ` " $.
      return value.replace(/[`"$]/g, (c) => '`' + c);
    case 'graph':
      return encodeURIComponent(value);
    case 'bash':
      return /^[A-Za-z0-9_@%+=:,./-]*$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
  }
}

const SHELL_LANGUAGE = { powershell: 'powershell', graph: 'http', bash: 'bash' } as const;

/** Escapes Markdown in text that comes from outside (message arguments). */
function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]<>#|]/g, (c) => `\\${c}`);
}

function describeFix(fix: FixAction): string {
  switch (fix.kind) {
    case 'planEdit':
      return `- Quick fix: ${fix.title}`;
    case 'command':
      return `- Command: ${fix.title} (\`${fix.command}\`)`;
    case 'adminCommand': {
      const fence = fix.template.includes('```') ? '````' : '```';
      const body = fix.template
        .split('\n')
        .map((line) => `  ${line}`)
        .join('\n');
      return `- ${fix.title}:\n\n  ${fence}${SHELL_LANGUAGE[fix.shell]}\n${body}\n  ${fence}`;
    }
    case 'docs':
      return `- [${fix.title}](${fix.url})`;
  }
}

function sourceLine(entry: CatalogEntry): string {
  const section = entry.section ? `, section "${entry.section}"` : '';
  return entry.source === 'seed-004'
    ? `*Source: Microsoft 365 orchestrated migration error catalog (seed 004)${section}.*`
    : `*Source: Ferry${section}.*`;
}

/**
 * A Markdown explanation of a code for hovers and previews: title, message (filled with args when
 * given), description, action, fixes and where the entry comes from. vars fill admin commands as
 * in resolveFixes().
 */
export function describeMarkdown(code: string, args?: readonly string[], vars?: Readonly<Record<string, string>>): string {
  const entry = getEntry(code);
  if (!entry) return `**${escapeMarkdown(code)}**: unknown error code.`;
  const fill = (text: string) => (args ? fillPlaceholders(text, args.map(escapeMarkdown)) : text);
  const http = entry.httpStatus ? ` · HTTP ${entry.httpStatus}` : '';
  const quote = (text: string) =>
    fill(text)
      .split('\n')
      .map((line) => `> ${line}`)
      .join('\n');
  const parts = [`**${entry.code}: ${entry.title}** (${entry.severity}${http})`, quote(entry.message)];
  for (const alt of entry.altMessages ?? []) parts.push(`Or:\n\n${quote(alt)}`);
  parts.push(fill(entry.description), `**What to do:** ${fill(entry.action)}`);
  const fixes = vars ? resolveFixes(code, vars) : entry.fixes;
  if (fixes.length) parts.push(`**Fixes**\n\n${fixes.map(describeFix).join('\n')}`);
  parts.push(sourceLine(entry));
  return parts.join('\n\n');
}

/**
 * A plan finding explained in the plan's terms: its own message, the entry's plan wording for seed
 * codes (the seed's API text, HTTP status and source only when the plan runs orchestrated batches,
 * where the service says it), and exactly the fixes the quick-fix menu offers.
 */
export function describePlanFinding(code: string, message: string, offered: readonly FixAction[], orchestrated: boolean): string {
  const entry = getEntry(code);
  if (!entry) return `**${escapeMarkdown(code)}**: unknown error code.`;
  const service = entry.source === 'seed-004' && (orchestrated || !entry.planHelp);
  const http = service && entry.httpStatus ? ` · HTTP ${entry.httpStatus}` : '';
  const parts = [`**${entry.code}: ${entry.title}** (${entry.severity}${http})`, `> ${escapeMarkdown(message)}`];
  const help = service ? { description: entry.description.replace(/\{\d+\}/g, '…'), action: entry.action } : entry.planHelp ?? entry;
  parts.push(help.description, `**What to do:** ${help.action}`);
  if (offered.length) parts.push(`**Fixes**\n\n${offered.map(describeFix).join('\n')}`);
  parts.push(service || entry.source === 'ferry' ? sourceLine(entry) : '*Source: Ferry plan rules.*');
  return parts.join('\n\n');
}

interface CompiledMessage {
  readonly entry: CatalogEntry;
  readonly pattern: RegExp;
  readonly indexes: readonly number[];
}

/** Backticks are Markdown in the seed, not part of what the services send. */
function plainMessage(text: string): string {
  return text.replace(/`/g, '').replace(/\s+/g, ' ').trim();
}

function compileMessage(entry: CatalogEntry, template: string): CompiledMessage {
  const indexes: number[] = [];
  const source = plainMessage(template)
    .split(/(\{\d+\})/)
    .map((part) => {
      const m = /^\{(\d+)\}$/.exec(part);
      if (!m) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      indexes.push(Number(m[1]));
      return '(.+?)';
    })
    .join('');
  return { entry, pattern: new RegExp(`^${source}$`, 's'), indexes };
}

function compileMessages(): readonly CompiledMessage[] {
  return catalog().entries.filter((e) => e.source === 'seed-004').flatMap((entry) => [entry.message, ...(entry.altMessages ?? [])].map((t) => compileMessage(entry, t)));
}

function argsOfMatch({ pattern, indexes }: CompiledMessage, plain: string): string[] | undefined {
  const m = pattern.exec(plain);
  if (!m) return undefined;
  const args: string[] = [];
  indexes.forEach((n, i) => {
    args[n] ??= m[i + 1];
  });
  return Array.from(args, (a) => a ?? '');
}

/** The arguments a message of `code` was filled with (read back from its text), when it is one of the code's messages. */
export function argsFromMessage(code: string, text: string): string[] | undefined {
  const entry = getEntry(code);
  if (!entry) return undefined;
  const plain = plainMessage(text);
  for (const template of [entry.message, ...(entry.altMessages ?? [])]) {
    const args = argsOfMatch(compileMessage(entry, template), plain);
    if (args) return args;
  }
  return undefined;
}

/** Compiled on the first match (not at load: the extension and `ferry validate` rarely need it). */
let compiled: readonly CompiledMessage[] | undefined;

/**
 * Finds the seed entry whose message (or alternative message) a service sent, for errors that
 * arrive without a code (identity mapping) or with a code shared by several sections; returns
 * the entry and the arguments, indexed by placeholder number.
 */
export function matchMessage(text: string, category?: CatalogCategory): { entry: CatalogEntry; args: string[] } | undefined {
  const plain = plainMessage(text);
  compiled ??= compileMessages();
  for (const message of compiled) {
    if (category !== undefined && message.entry.category !== category) continue;
    const args = argsOfMatch(message, plain);
    if (args) return { entry: message.entry, args };
  }
  return undefined;
}
