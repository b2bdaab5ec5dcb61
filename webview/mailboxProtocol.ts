// Messages between the extension and a mailbox's page (both sides import this file). The page
// never names a VS Code command: it asks for one of these actions, the extension maps it.

export interface MailboxPassRow {
  id: number;
  kind: string;
  status: string;
  started: string;
  ended: string;
  duration: string;
  copied: number;
  errors: number;
  skipped: number;
  changes: number;
}

export interface MailboxFolderRow {
  source: string;
  destination: string;
  /** What the source's listing saw; undefined when no listing could tell (a delta sees only news). */
  sourceItems?: number;
  sourceSize: string;
  copied: number;
  copiedSize: string;
  skipped: number;
  errors: number;
  /** The folder the running pass is copying now. */
  current: boolean;
}

export interface ExcludedFolderLine {
  folder: string;
  code: string;
  rule: string;
  items?: number;
}

export interface NotCopiedLine {
  folder: string;
  code: string;
  why: string;
  size: string;
  date: string;
  subject: string;
}

export interface MailboxErrorLine {
  code: string;
  title: string;
  message: string;
  folder: string;
  subject: string;
  at: string;
}

export interface MailboxLogLine {
  at: string;
  text: string;
  code?: string;
}

/** What may be done with the mailbox now (the tree's rules); the page offers only these. */
export type MailboxAction =
  | { kind: 'startPass'; pass: 'verify' | 'trial' | 'prestage' | 'full' | 'delta' | 'retry' }
  | { kind: 'stop' }
  | { kind: 'approve' }
  | { kind: 'revealInTree' }
  | { kind: 'openPlan' }
  | { kind: 'explain'; code: string; message?: string };

export interface MailboxButton {
  title: string;
  action: MailboxAction;
  primary?: boolean;
}

export interface MailboxPageModel {
  /** The published revision of the project's view this page was made from (the same as the other views'). */
  revision: number;
  eventAt?: number;
  planFile: string;
  batch: string;
  source: string;
  destination: string;
  status: string;
  statusLabel: string;
  /** "In progress · 42% · about 3 min left" or "Synced · 1,204 items · 2.3 GB · 3 errors". */
  state: string;
  running: boolean;
  inPlan: boolean;
  tiles: { label: string; value: string; detail?: string }[];
  actions: MailboxButton[];
  passes: MailboxPassRow[];
  folders: MailboxFolderRow[];
  excluded: ExcludedFolderLine[];
  notCopied: NotCopiedLine[];
  notCopiedTotal: number;
  errors: MailboxErrorLine[];
  errorsTotal: number;
  /** The last delta's changes by kind; undefined before any delta. */
  delta?: { passId: number; kinds: { kind: string; count: number }[] };
  /** Why the last delta copied new items only (ENG-080); undefined when it carried the changes. */
  deltaNotCarried?: { code: string; message: string };
  log: MailboxLogLine[];
  /** Details (passes, every error and item not copied) are read with the next snapshot. */
  detailPending: boolean;
}

export type ToMailboxPage = { type: 'model'; model: MailboxPageModel };
/** rendered: the page has drawn the model of that revision. */
export type FromMailboxPage = { type: 'ready' } | { type: 'rendered'; revision: number } | { type: 'action'; action: MailboxAction };
