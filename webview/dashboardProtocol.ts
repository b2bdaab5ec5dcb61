// Messages between the extension and the dashboard webview (both sides import this file). The
// webview never names a VS Code command: it asks for one of these actions, the extension maps it.

export interface Tile {
  label: string;
  value: string;
  detail?: string;
  tone?: 'ok' | 'warn' | 'error' | 'info';
}

export interface BatchRow {
  name: string;
  status: string;
  statusLabel: string;
  total: number;
  synced: number;
  finalized: number;
  failed: number;
  percentSynced: number;
  /** "3/8 done · 42% · about 3 min left" while this window's pass runs the batch. */
  progress?: string;
  created: string;
  started: string;
  initialSync: string;
  initialSyncDuration: string;
  lastSync: string;
  lastSyncDuration: string;
  completed: string;
  items: number;
  size: string;
  errors: number;
  canStart: boolean;
  canComplete: boolean;
}

export interface ItemRow {
  batch: string;
  source: string;
  destination: string;
  status: string;
  statusLabel: string;
  /** Sort order of the status (failed first when sorted ascending by severity). */
  rank: number;
  items: number;
  bytes: number;
  size: string;
  errors: number;
  /** Items not copied (every code), and what they are: counts per code, first items, folders left out. */
  skipped: number;
  notCopied: string;
  lastError: string;
  started: string;
  duration: string;
  durationMs: number;
}

export interface ThroughputPoint {
  /** Milliseconds since the epoch. */
  t: number;
  /** Items per second over the interval that ends at t. */
  rate: number;
  /** Items copied so far. */
  total: number;
}

export interface FixButton {
  title: string;
  /** Index into the catalog entry's fixes, or -1 for "retry errors" / -2 for "explain". */
  index: number;
  /** Instead of a catalog fix: this action (a full pass of a mailbox that failed as a whole). */
  action?: DashboardAction;
}

export interface ErrorGroupRow {
  code: string;
  title: string;
  action: string;
  count: number;
  mailboxes: { batch: string; source: string }[];
  examples: { mailbox: string; folder?: string; message: string }[];
  fixes: FixButton[];
}

export interface DashboardModel {
  /** A retry pass would run for some mailbox (the engine's rule): only then is Retry errors offered. */
  canRetry: boolean;
  /** The published revision of the project's view this model was made from. */
  revision: number;
  /** When the runner sent the oldest event first shown by this revision. */
  eventAt?: number;
  project: string;
  planFile: string;
  updated: string;
  state: string;
  running: boolean;
  tiles: Tile[];
  batches: BatchRow[];
  items: ItemRow[];
  throughput: { points: ThroughputPoint[]; source: string; peak: number; average: number };
  errors: ErrorGroupRow[];
}

export type DashboardAction =
  | { kind: 'startPass'; pass: 'verify' | 'trial' | 'prestage' | 'full' | 'delta' | 'retry'; batch?: string; item?: string }
  | { kind: 'stop' }
  | { kind: 'complete'; batch: string }
  | { kind: 'exportReport' }
  | { kind: 'refresh' }
  | { kind: 'fix'; code: string; index: number }
  | { kind: 'revealItem'; batch: string; item: string }
  | { kind: 'openMailbox'; batch: string; item: string }
  /** Several checked mailboxes at once: the extension keeps those the state allows and asks once. */
  | { kind: 'selection'; op: 'full' | 'delta' | 'retry' | 'stop' | 'remove'; mailboxes: { batch: string; source: string }[] };

export type ToDashboard = { type: 'model'; model: DashboardModel };
/** rendered: the webview has drawn the model of that revision. */
export type FromDashboard = { type: 'ready' } | { type: 'rendered'; revision: number } | { type: 'action'; action: DashboardAction };

/** What the webview keeps across hide/show with setState. */
export interface DashboardViewState {
  filter: string;
  status: string;
  batch: string;
  sort: keyof ItemRow;
  descending: boolean;
  page: number;
  pageSize: number;
}
