// The store's schema as an ordered list of migrations. Never edit a released migration: add one.
// Version n is the n-th entry; `schema_version` records the highest applied.

export interface Migration {
  version: number;
  description: string;
  sql: string;
}

const v1 = `
CREATE TABLE projects (
  id INTEGER PRIMARY KEY,
  plan_file TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE TABLE batches (
  id INTEGER PRIMARY KEY,
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'Created',
  created_at TEXT NOT NULL,
  started_at TEXT,
  initial_sync_at TEXT,
  initial_sync_duration_ms INTEGER,
  last_sync_at TEXT,
  last_sync_duration_ms INTEGER,
  completed_at TEXT,
  UNIQUE (project_id, name)
);
CREATE TABLE items (
  id INTEGER PRIMARY KEY,
  batch_id INTEGER NOT NULL REFERENCES batches(id) ON DELETE CASCADE,
  source TEXT NOT NULL,
  destination TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'Queued',
  match_state TEXT,
  sync_state TEXT NOT NULL DEFAULT 'NeverSynced',
  finalized INTEGER NOT NULL DEFAULT 0,
  size_items INTEGER,
  size_bytes INTEGER,
  last_error_code TEXT,
  last_error_message TEXT,
  last_pass_id INTEGER,
  last_pass_kind TEXT,
  started_at TEXT,
  ended_at TEXT,
  UNIQUE (batch_id, source)
);
CREATE TABLE passes (
  id INTEGER PRIMARY KEY,
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  scope_batch TEXT,
  scope_item TEXT,
  status TEXT NOT NULL,
  started_at TEXT NOT NULL,
  ended_at TEXT,
  runner_pid INTEGER NOT NULL,
  error_code TEXT
);
CREATE TABLE folder_cursors (
  item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
  source_folder_id TEXT NOT NULL,
  source_path TEXT NOT NULL,
  cursor TEXT,
  destination_folder_id TEXT,
  destination_path TEXT,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (item_id, source_folder_id)
);
CREATE TABLE watermarks (
  item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
  source_folder_id TEXT NOT NULL,
  source_item_id TEXT NOT NULL,
  destination_folder_id TEXT NOT NULL,
  destination_item_id TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  size_bytes INTEGER NOT NULL,
  pass_id INTEGER,
  created_at TEXT NOT NULL,
  UNIQUE (item_id, source_folder_id, source_item_id)
);
CREATE TABLE intents (
  item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
  source_folder_id TEXT NOT NULL,
  source_item_id TEXT NOT NULL,
  destination_folder_id TEXT NOT NULL,
  probe TEXT NOT NULL,
  pass_id INTEGER,
  created_at TEXT NOT NULL,
  PRIMARY KEY (item_id, source_folder_id, source_item_id)
);
CREATE TABLE errors (
  id INTEGER PRIMARY KEY,
  item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
  pass_id INTEGER,
  source_folder_id TEXT,
  folder_path TEXT,
  source_item_id TEXT,
  item_ref TEXT,
  code TEXT NOT NULL,
  message TEXT NOT NULL,
  subject TEXT,
  created_at TEXT NOT NULL,
  resolved_at TEXT
);
CREATE INDEX errors_item ON errors (item_id, resolved_at);
CREATE TABLE skips (
  item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
  source_folder_id TEXT NOT NULL,
  source_item_id TEXT NOT NULL,
  code TEXT NOT NULL,
  size_bytes INTEGER NOT NULL,
  pass_id INTEGER,
  UNIQUE (item_id, source_folder_id, source_item_id)
);
`;

// v2: approvals of oversize mailboxes given by a command (the plan's approveOversize needs no row).
const v2 = `
ALTER TABLE items ADD COLUMN approved_at TEXT;
ALTER TABLE items ADD COLUMN approved_by TEXT;
`;

// v3: the id a destination gave an item it created but had not finished (a Microsoft 365 import
// before its watermark PATCH), recorded on the intent so the next pass can finish that item.
const v3 = `
ALTER TABLE intents ADD COLUMN destination_item_id TEXT;
`;

// v4: schedules are state, not timers (ferry serve): an operator's pause / skip / run-now per batch,
// every scheduled run claimed once by its due time (a restart neither repeats nor misses one), and
// the notification outbox (queued with the event, sent and retried by the scheduler).
const v4 = `
CREATE TABLE schedule_controls (
  batch_id INTEGER PRIMARY KEY REFERENCES batches(id) ON DELETE CASCADE,
  paused_at TEXT,
  paused_by TEXT,
  run_now_at TEXT,
  skip_due_at TEXT
);
CREATE TABLE scheduled_runs (
  id INTEGER PRIMARY KEY,
  batch_id INTEGER NOT NULL REFERENCES batches(id) ON DELETE CASCADE,
  action TEXT NOT NULL,
  due_at TEXT NOT NULL,
  state TEXT NOT NULL,
  started_at TEXT,
  ended_at TEXT,
  pass_id INTEGER,
  code TEXT,
  note TEXT,
  UNIQUE (batch_id, action, due_at)
);
CREATE TABLE notifications (
  id INTEGER PRIMARY KEY,
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  batch TEXT NOT NULL,
  event TEXT NOT NULL,
  dedupe_key TEXT NOT NULL UNIQUE,
  recipients TEXT NOT NULL,
  subject TEXT NOT NULL,
  body TEXT NOT NULL,
  created_at TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT NOT NULL,
  sent_at TEXT,
  last_error_code TEXT,
  last_error_message TEXT
);
CREATE INDEX notifications_unsent ON notifications (sent_at, next_attempt_at);
`;

// v5: delta passes that carry changes (issue 13). On each watermark, the flags Ferry last wrote to
// the destination item (JSON; NULL in stores from before: the first delta takes the destination's
// flags as Ferry's) and when the source item left its folder while the destination item was kept
// (deletions: keep, or a conflict). delta_changes journals every change a delta carried or left,
// by kind; a row is 'pending' from before the destination is touched until the change is recorded,
// so a rerun after a kill finishes it instead of taking Ferry's own write for the user's.
const v5 = `
ALTER TABLE watermarks ADD COLUMN flags TEXT;
ALTER TABLE watermarks ADD COLUMN source_removed_at TEXT;
CREATE TABLE delta_changes (
  id INTEGER PRIMARY KEY,
  item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
  pass_id INTEGER,
  kind TEXT NOT NULL,
  state TEXT NOT NULL,
  source_folder_id TEXT NOT NULL,
  source_item_id TEXT NOT NULL,
  folder_path TEXT NOT NULL,
  to_source_folder_id TEXT,
  to_source_item_id TEXT,
  to_path TEXT,
  flags TEXT,
  detail TEXT,
  created_at TEXT NOT NULL
);
CREATE INDEX delta_changes_item ON delta_changes (item_id, state);
`;

// v6: what a pass did not copy, said in full: a skipped item's folder, date and (where the plan
// allows subjects) subject; folders the plan's folder rules leave out, with the rule.
const v6 = `
ALTER TABLE skips ADD COLUMN folder_path TEXT;
ALTER TABLE skips ADD COLUMN item_date TEXT;
ALTER TABLE skips ADD COLUMN subject TEXT;
CREATE TABLE excluded_folders (
  item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
  source_folder_id TEXT NOT NULL,
  folder_path TEXT NOT NULL,
  code TEXT NOT NULL,
  rule TEXT NOT NULL,
  item_count INTEGER,
  pass_id INTEGER,
  UNIQUE (item_id, source_folder_id)
);
`;

// v7: a stop asked of a pass whose mailboxes run on other machines (distributed mode): workers
// read it and stop their mailbox cleanly.
const v7 = `
ALTER TABLE passes ADD COLUMN stop_requested_at TEXT;
`;

// v8: delta changes of contacts, calendar items and tasks (issue 13): the item type of each change
// (the report lists changes by kind and type), the id of the new version a replace wrote at the
// destination, noted before the old one is deleted, so a rerun after a kill finds it (no duplicate),
// and on each watermark the destination's change stamp of the item as Ferry wrote it (EWS ChangeKey,
// Graph lastModifiedDateTime): a different stamp later is the user's change, never overwritten.
const v8 = `
ALTER TABLE delta_changes ADD COLUMN item_type TEXT;
ALTER TABLE delta_changes ADD COLUMN destination_item_id TEXT;
ALTER TABLE watermarks ADD COLUMN destination_version TEXT;
`;

// v9: a delta change the destination refused (issue 13) is an error of its own, tied to its journal
// row (state 'failed'), so the other changes go on and Retry errors makes just that change again.
const v9 = `
ALTER TABLE errors ADD COLUMN change_id INTEGER;
`;

// v10: what the source's listing saw per folder (items and bytes), beside what was copied: the
// mailbox page's source and destination counts per folder.
const v10 = `
ALTER TABLE folder_cursors ADD COLUMN source_items INTEGER;
ALTER TABLE folder_cursors ADD COLUMN source_bytes INTEGER;
`;

// v11: the fencing token of each mailbox run by distributed workers (store/mailboxFence.ts): a
// generation each new owner bumps, checked with every intent, so a stalled worker that lost its
// job writes nothing more (issue 16).
const v11 = `
CREATE TABLE mailbox_fences (
  item_id INTEGER NOT NULL PRIMARY KEY REFERENCES items(id) ON DELETE CASCADE,
  generation INTEGER NOT NULL
);
`;

// v12: on each watermark, the key the source keeps when the item moves between folders where its
// ids change on a move (Exchange's PidTagSearchKey, `ItemRef.moveKey`): the item gone from one
// folder is found among another folder's new items by it, even when its content changed (issue 13).
const v12 = `
ALTER TABLE watermarks ADD COLUMN move_key TEXT;
`;

// v13: a delta that could not carry the changes of copied items (ENG-080: the source cannot tell
// what changed, or the destination cannot set flags, move or delete) says so per mailbox, kept on
// the mailbox for `ferry report`, the dashboard and the mailbox page (issue 13); cleared by a delta
// that carries them.
const v13 = `
ALTER TABLE items ADD COLUMN delta_limit_code TEXT;
ALTER TABLE items ADD COLUMN delta_limit_message TEXT;
`;

export const migrations: readonly Migration[] = [
  { version: 1, description: 'projects, batches, items, passes, cursors, watermarks, intents, errors, skips', sql: v1 },
  { version: 2, description: 'oversize approvals recorded by command', sql: v2 },
  { version: 3, description: 'destination ids of created, unfinished items on their intents', sql: v3 },
  { version: 4, description: 'schedule controls, scheduled runs and the notification outbox', sql: v4 },
  { version: 5, description: 'delta changes: flags last written, removed sources, the changes journal', sql: v5 },
  { version: 6, description: 'skipped items with folder, date and subject; folders left out by rule', sql: v6 },
  { version: 7, description: 'stop requests of passes run by distributed workers', sql: v7 },
  { version: 8, description: 'delta changes of contacts, calendar items and tasks: item type, new version written', sql: v8 },
  { version: 9, description: 'errors of delta changes the destination refused', sql: v9 },
  { version: 10, description: 'per folder, the items and bytes the source listing saw', sql: v10 },
  { version: 11, description: 'fencing tokens of mailboxes run by distributed workers', sql: v11 },
  { version: 12, description: 'move keys of copied items (Exchange search keys)', sql: v12 },
  { version: 13, description: 'per mailbox, why its last delta could not carry changes (ENG-080)', sql: v13 },
];

export const latestSchemaVersion = migrations[migrations.length - 1].version;
