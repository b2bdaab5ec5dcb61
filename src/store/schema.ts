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

// v4: a stop asked of a pass whose mailboxes run on other machines (distributed mode): workers
// read it and stop their mailbox cleanly.
const v4 = `
ALTER TABLE passes ADD COLUMN stop_requested_at TEXT;
`;

export const migrations: readonly Migration[] = [
  { version: 1, description: 'projects, batches, items, passes, cursors, watermarks, intents, errors, skips', sql: v1 },
  { version: 2, description: 'oversize approvals recorded by command', sql: v2 },
  { version: 3, description: 'destination ids of created, unfinished items on their intents', sql: v3 },
  { version: 4, description: 'stop requests of passes run by distributed workers', sql: v4 },
];

export const latestSchemaVersion = migrations[migrations.length - 1].version;
