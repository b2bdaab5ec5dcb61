// The shape connector codes are written in (IMAP, Maildir, Microsoft 365), and how they become
// catalog entries: each names the disposition the engine applies when it is raised.
import type { CatalogEntry, FixAction, Severity } from './types';

/** What the engine does with a connector error; 'information' codes are never thrown. */
export type ConnectorDisposition = 'transient' | 'item' | 'mailbox' | 'information';

export interface ConnectorEntry {
  title: string;
  severity?: Severity;
  disposition: ConnectorDisposition;
  /** Whether retrying can succeed without other changes; transient codes by default. */
  retryable?: boolean;
  aliases?: string[];
  httpStatus?: number;
  message: string;
  description: string;
  action: string;
  fixes: readonly FixAction[];
}

export function connectorCatalogEntries(section: string, entries: Readonly<Record<string, ConnectorEntry>>): CatalogEntry[] {
  return Object.entries(entries).map(([code, e]) => ({
    code,
    title: e.title,
    category: 'connector',
    severity: e.severity ?? 'error',
    message: e.message,
    description: e.description,
    action: e.action,
    fixes: e.fixes,
    source: 'ferry',
    section,
    retryable: e.retryable ?? e.disposition === 'transient',
    ...(e.aliases ? { aliases: e.aliases } : {}),
    ...(e.httpStatus ? { httpStatus: e.httpStatus } : {}),
  }));
}

/** The disposition of each code (the engine's default when an error carries none). */
export function dispositionsOf(entries: Readonly<Record<string, ConnectorEntry>>): Readonly<Record<string, ConnectorDisposition>> {
  return Object.fromEntries(Object.entries(entries).map(([code, e]) => [code, e.disposition]));
}
