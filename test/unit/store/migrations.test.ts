import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { openDatabase } from '../../../src/store/sqlite';
import { migrate, schemaVersion } from '../../../src/store/migrate';
import { latestSchemaVersion, migrations } from '../../../src/store/schema';
import { Store } from '../../../src/store/store';
import { tempDir } from '../helpers/repoRoot';
import { expectedShape, shapeOf } from '../../../src/store/integrity';

/** A version 3 store with a project and what `fill` adds, opened (so upgraded) by the current Ferry. */
function upgradedFromV3(fill: (db: ReturnType<typeof openDatabase>) => void): Store {
  const dir = tempDir('store');
  const db = openDatabase(path.join(dir, 'state.db'));
  assert.deepEqual(migrate(db, migrations.slice(0, 3)), [1, 2, 3]);
  db.prepare("INSERT INTO projects (plan_file, name, created_at) VALUES ('/p.yaml', 'P', '2026-01-01')").run();
  fill(db);
  db.close();
  const store = Store.open(dir);
  assert.equal(schemaVersion(store.db.db), latestSchemaVersion);
  return store;
}

describe('store: schema migrations', () => {
  it('creates a new database at the latest version', () => {
    const store = Store.open(tempDir('store'));
    assert.equal(schemaVersion(store.db.db), latestSchemaVersion);
    const tables = store.db.all("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").map((r) => r.name);
    for (const t of ['projects', 'batches', 'items', 'passes', 'folder_cursors', 'watermarks', 'intents', 'errors', 'skips', 'schema_version']) assert.ok(tables.includes(t), t);
    assert.equal(store.db.get('PRAGMA journal_mode')?.journal_mode, 'wal');
    store.close();
  });

  it('the shape a store is checked against is every table and column the migrations make, one by one', () => {
    const db = openDatabase(path.join(tempDir('store'), 'state.db'));
    migrate(db);
    const made = shapeOf(db);
    db.close();
    const sorted = (shape: Map<string, Set<string>>) => [...shape].map(([t, c]) => [t, [...c].sort()]).sort();
    assert.deepEqual(sorted(expectedShape()), sorted(made));
    assert.ok(made.get('watermarks')?.has('source_item_id'));
    assert.ok(made.has('schema_version'));
  });

  it('upgrades a version 1 database and keeps its rows', () => {
    const dir = tempDir('store');
    const db = openDatabase(path.join(dir, 'state.db'));
    assert.deepEqual(migrate(db, migrations.slice(0, 1)), [1]);
    db.prepare("INSERT INTO projects (plan_file, name, created_at) VALUES ('/p.yaml', 'P', '2026-01-01')").run();
    db.prepare("INSERT INTO batches (project_id, name, created_at) VALUES (1, 'B', '2026-01-01')").run();
    db.prepare("INSERT INTO items (batch_id, source, destination) VALUES (1, 'a@x', 'a@y')").run();
    db.close();

    const store = Store.open(dir);
    assert.equal(schemaVersion(store.db.db), latestSchemaVersion);
    const item = store.items.findItem(1, 'a@x');
    assert.equal(item?.destination, 'a@y');
    assert.equal(item?.approvedAt, undefined);
    store.items.updateItem(item!.id, { approvedAt: '2026-02-01T00:00:00Z', approvedBy: 'ops' });
    assert.equal(store.items.itemById(item!.id)?.approvedBy, 'ops');
    store.close();
  });

  it('upgrades a version 2 database: its intents stay and take the id of an item created but not finished', () => {
    const dir = tempDir('store');
    const db = openDatabase(path.join(dir, 'state.db'));
    assert.deepEqual(migrate(db, migrations.slice(0, 2)), [1, 2]);
    db.prepare("INSERT INTO projects (plan_file, name, created_at) VALUES ('/p.yaml', 'P', '2026-01-01')").run();
    db.prepare("INSERT INTO batches (project_id, name, created_at) VALUES (1, 'B', '2026-01-01')").run();
    db.prepare("INSERT INTO items (batch_id, source, destination) VALUES (1, 'a@x', 'a@y')").run();
    const probe = { fingerprint: 'f1', date: '2026-01-01T00:00:00.000Z', sizeBytes: 10 };
    db.prepare("INSERT INTO intents (item_id, source_folder_id, source_item_id, destination_folder_id, probe, created_at) VALUES (1, 'INBOX', 's1', 'D', ?, '2026-01-01')").run(JSON.stringify(probe));
    db.close();

    const store = Store.open(dir);
    assert.equal(schemaVersion(store.db.db), latestSchemaVersion);
    assert.deepEqual(store.progress.intents(1), [{ sourceFolderId: 'INBOX', sourceItemId: 's1', destinationFolderId: 'D', probe }]);
    store.progress.noteCreated(1, 'INBOX', 's1', 'AAMk-created');
    assert.equal(store.progress.intents(1)[0].destinationItemId, 'AAMk-created');
    // A new intent for the same source item (a fresh attempt) starts without one.
    store.progress.addIntent(1, 'INBOX', 's1', 'D', probe);
    assert.equal(store.progress.intents(1)[0].destinationItemId, undefined);
    store.close();
  });

  it('upgrades a version 3 database: its batches stay, with no schedule controls, runs or notifications yet', () => {
    const store = upgradedFromV3((db) => {
      db.prepare("INSERT INTO batches (project_id, name, status, created_at, last_sync_at) VALUES (1, 'B', 'Synced', '2026-01-01', '2026-01-02T00:00:00Z')").run();
    });
    const batch = store.batches.getBatch(1, 'B')!;
    assert.deepEqual([batch.status, batch.lastSyncAt], ['Synced', '2026-01-02T00:00:00Z']);
    assert.deepEqual(store.schedules.control(batch.id), { batchId: batch.id });
    assert.deepEqual(store.schedules.runs(batch.id), []);
    assert.equal(store.schedules.claim(batch.id, 'sync', '2026-01-03T00:00:00.000Z'), true);
    store.schedules.finish(batch.id, 'sync', '2026-01-03T00:00:00.000Z', 'done', { passId: 7 });
    // Claimed once: the same run is never claimed again, and deleting the batch takes its runs along.
    assert.equal(store.schedules.claim(batch.id, 'sync', '2026-01-03T00:00:00.000Z'), false);
    assert.equal(store.notifications.enqueue({ projectId: 1, batch: 'B', event: 'synced', dedupeKey: 'k', recipients: ['ops@x.example'], subject: 's', body: 'b' }), true);
    assert.equal(store.notifications.enqueue({ projectId: 1, batch: 'B', event: 'synced', dedupeKey: 'k', recipients: ['ops@x.example'], subject: 's', body: 'b' }), false);
    store.batches.deleteBatch(batch.id);
    assert.equal(Number(store.db.get('SELECT COUNT(*) AS c FROM scheduled_runs')?.c), 0);
    store.close();
  });

  it('upgrades a version 3 database: its watermarks stay, with no flags known, and a delta can journal changes', () => {
    const store = upgradedFromV3((db) => {
      db.prepare("INSERT INTO batches (project_id, name, created_at) VALUES (1, 'B', '2026-01-01')").run();
      db.prepare("INSERT INTO items (batch_id, source, destination) VALUES (1, 'a@x', 'a@y')").run();
      db.prepare("INSERT INTO watermarks (item_id, source_folder_id, source_item_id, destination_folder_id, destination_item_id, fingerprint, size_bytes, created_at) VALUES (1, 'INBOX', 's1', 'D', 'd1', 'f1', 10, '2026-01-01')").run();
    });
    assert.deepEqual(store.changes.copiedItems(1, 'INBOX'), [{ sourceFolderId: 'INBOX', sourceItemId: 's1', destinationFolderId: 'D', destinationItemId: 'd1', fingerprint: 'f1', sizeBytes: 10 }]);
    const id = store.changes.begin(1, { kind: 'flags', sourceFolderId: 'INBOX', sourceItemId: 's1', folderPath: 'INBOX', flags: ['\\Seen'] });
    assert.equal(store.changes.unfinished(1).length, 1);
    store.changes.flagsWritten(1, 'INBOX', 's1', ['\\Seen'], id);
    assert.deepEqual(store.changes.copiedItems(1, 'INBOX')[0].flags, ['\\Seen']);
    assert.deepEqual(store.changes.unfinished(1), []);
    assert.equal(store.changes.countsByKind(1).flags, 1);
    store.close();
  });

  it('upgrades a version 3 database: its skips keep their codes and gain folder, date and subject; folders left out are recorded', () => {
    const store = upgradedFromV3((db) => {
      db.prepare("INSERT INTO batches (project_id, name, created_at) VALUES (1, 'B', '2026-01-01')").run();
      db.prepare("INSERT INTO items (batch_id, source, destination) VALUES (1, 'a@x', 'a@y')").run();
      db.prepare("INSERT INTO skips (item_id, source_folder_id, source_item_id, code, size_bytes) VALUES (1, 'INBOX', 's1', 'ENG-020', 10)").run();
    });
    assert.deepEqual(store.skips.items(1), [{ folderPath: '', code: 'ENG-020', sizeBytes: 10 }]);
    store.skips.record({ itemId: 1, sourceFolderId: 'K', sourceItemId: 'e1', folderPath: 'Calendar', code: 'ENG-023', sizeBytes: 5, date: new Date('2026-02-01T00:00:00Z') });
    store.skips.replaceExcludedFolders(1, [{ sourceFolderId: 'J', folderPath: 'Junk', code: 'ENG-024', rule: 'options.folders.exclude ^Junk$', itemCount: 7 }]);
    assert.deepEqual(store.skips.byCode(1), { 'ENG-020': 1, 'ENG-023': 1 });
    assert.deepEqual(store.skips.excludedFolders(1), [{ folderPath: 'Junk', code: 'ENG-024', rule: 'options.folders.exclude ^Junk$', itemCount: 7 }]);
    store.close();
  });

  it('applies nothing twice', () => {
    const dir = tempDir('store');
    Store.open(dir).close();
    const db = openDatabase(path.join(dir, 'state.db'));
    assert.deepEqual(migrate(db), []);
    assert.equal(Number(db.prepare('SELECT COUNT(*) AS c FROM schema_version').get()?.c), migrations.length);
    db.close();
  });

  it('refuses a database from a newer Ferry', () => {
    const dir = tempDir('store');
    const db = openDatabase(path.join(dir, 'state.db'));
    migrate(db);
    db.prepare("INSERT INTO schema_version (version, applied_at) VALUES (99, 'x')").run();
    assert.throws(() => migrate(db), /schema version 99/);
    db.close();
  });

  it('rolls a failing migration back entirely', () => {
    const db = openDatabase(path.join(tempDir('store'), 'state.db'));
    const bad = [...migrations, { version: latestSchemaVersion + 1, description: 'broken', sql: 'CREATE TABLE t_bad (a); SELECT no_such_function();' }];
    assert.throws(() => migrate(db, bad));
    assert.equal(schemaVersion(db), latestSchemaVersion);
    assert.equal(db.prepare("SELECT name FROM sqlite_master WHERE name = 't_bad'").get(), undefined);
    db.close();
  });
});
