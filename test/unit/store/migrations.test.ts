import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { openDatabase } from '../../../src/store/sqlite';
import { migrate, schemaVersion } from '../../../src/store/migrate';
import { latestSchemaVersion, migrations } from '../../../src/store/schema';
import { Store } from '../../../src/store/store';
import { tempDir } from '../helpers/repoRoot';

describe('store: schema migrations', () => {
  it('creates a new database at the latest version', () => {
    const store = Store.open(tempDir('store'));
    assert.equal(schemaVersion(store.db.db), latestSchemaVersion);
    const tables = store.db.all("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").map((r) => r.name);
    for (const t of ['projects', 'batches', 'items', 'passes', 'folder_cursors', 'watermarks', 'intents', 'errors', 'skips', 'schema_version']) assert.ok(tables.includes(t), t);
    assert.equal(store.db.get('PRAGMA journal_mode')?.journal_mode, 'wal');
    store.close();
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
