// The typed plan model that the engine, the views and the rules read. Built best-effort from a
// possibly invalid document: what is missing or malformed is left undefined, never invented.
import type { Range } from './diagnostic';

export const endpointTypes = ['maildir', 'imap', 'exchange', 'm365', 'gmail'] as const;
export type EndpointType = (typeof endpointTypes)[number];

export const itemTypes = ['mail', 'calendar', 'contacts', 'tasks'] as const;
export type ItemType = (typeof itemTypes)[number];

export interface SecretRef {
  secret: string;
}

export interface AuthSettings {
  username: string;
  password?: SecretRef;
  mechanism?: 'password' | 'plain' | 'login' | 'xoauth2';
  authorizationIdentity?: string;
}

export interface PlanEndpoint {
  name: string;
  type: EndpointType | undefined;
  /** Every setting as written (type-specific keys differ); secrets appear only as references. */
  settings: Readonly<Record<string, unknown>>;
  auth?: AuthSettings;
  nameRange: Range;
}

/** Where an item was declared: in the plan, or on a line of a CSV file the plan names. */
export type ItemOrigin = { kind: 'plan'; file: string; range: Range } | { kind: 'csv'; file: string; line: number; range: Range };

export interface PlanItem {
  source: string;
  /** As written; undefined when the identity mapping must derive it. */
  destination?: string;
  /** The destination the migration uses: written, or derived from identityMapping; undefined when neither works. */
  resolvedDestination?: string;
  sourceAuth?: AuthSettings;
  destinationAuth?: AuthSettings;
  approveOversize: boolean;
  origin: ItemOrigin;
}

export interface PlanBatch {
  name: string;
  description?: string;
  /** Endpoint names after batch overrides. */
  source?: string;
  destination?: string;
  startAfter?: Date;
  completeAfter?: Date;
  itemsFile?: string;
  orchestrated: boolean;
  items: PlanItem[];
  nameRange: Range;
}

export interface FolderMapping {
  from: string;
  to: string;
}

export interface PlanOptions {
  folders: { include: string[]; exclude: string[]; map: FolderMapping[] };
  dateRange: { from?: Date; to?: Date };
  preStageOlderThanDays: number;
  itemTypes: ItemType[];
  maxConcurrentMigrations: number;
  bandwidthMbps?: number;
  maxItemSizeMB: number;
  mailboxQuotaGB?: number;
  badItemLimit: number;
  notifications: { to: string[]; onCompleted: boolean; onFailed: boolean };
  logFailedItemSubjects: boolean;
  /** What a delta does with a destination item whose source item was deleted (issue 13). */
  delta: { deletions: DeltaDeletions };
  /** How a Google Workspace source's labels become folders (src/connectors/gmail/labelMapping.ts). */
  gmail: { labels: GmailLabelMode };
}

/** folders: each label a folder (the default); categories: one folder, labels as categories/keywords; both. */
export const gmailLabelModes = ['folders', 'categories', 'both'] as const;
export type GmailLabelMode = (typeof gmailLabelModes)[number];

/** keep: leave it (the default, never a surprise); delete: delete it; move: move it to the destination's deleted items. */
export type DeltaDeletions = 'keep' | 'delete' | 'move';
export const deltaDeletions: readonly DeltaDeletions[] = ['keep', 'delete', 'move'];

export interface IdentityMapping {
  domains: { from: string; to: string }[];
  pairs: { source: string; destination: string }[];
  lowercase: boolean;
}

export interface Plan {
  file: string;
  version?: number;
  project: { name: string; description?: string; owner?: string; tags: string[] };
  endpoints: Map<string, PlanEndpoint>;
  source?: string;
  destination?: string;
  options: PlanOptions;
  identityMapping: IdentityMapping;
  batches: PlanBatch[];
}

export const defaultOptions: Readonly<PlanOptions> = Object.freeze({
  folders: { include: [], exclude: [], map: [] },
  dateRange: {},
  preStageOlderThanDays: 90,
  itemTypes: [...itemTypes],
  maxConcurrentMigrations: 5,
  maxItemSizeMB: 150,
  badItemLimit: 100,
  notifications: { to: [], onCompleted: true, onFailed: true },
  logFailedItemSubjects: false,
  delta: { deletions: 'keep' as DeltaDeletions },
  gmail: { labels: 'folders' as GmailLabelMode },
});

/** Endpoint kinds by the roles Ferry can give them. */
export const endpointRoles: Record<EndpointType, { source: boolean; destination: boolean }> = {
  maildir: { source: true, destination: true },
  imap: { source: true, destination: true },
  exchange: { source: true, destination: true },
  m365: { source: true, destination: true },
  gmail: { source: true, destination: false },
};
