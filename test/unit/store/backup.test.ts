import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { backupStore, restoreBackup } from '../../../src/store/backup';
import { backupFileOf, stateFileName, Store } from '../../../src/store/store';
import { StoreError } from '../../../src/store/storeError';
import { tempDir } from '../helpers/repoRoot';

const storeCode = (code: string) => (err: unknown) => err instanceof StoreError && err.code === code;

describe('store: backup and restore', () => {
  it('restores the backup after the database is damaged, keeping the damaged file aside', () => {
    const dir = tempDir('backup');
    const store = Store.open(dir);
    store.db.run("INSERT INTO projects (plan_file, name, created_at) VALUES ('p.migration.yaml', 'P', 'now')");
    backupStore(store);
    store.close();
    fs.writeFileSync(path.join(dir, stateFileName), 'not a database, garbage garbage garbage garbage garbage garbage garbage garbage garbage garbage garbage garbage');
    assert.throws(() => Store.open(dir), storeCode('STORE-010'));
    const restored = restoreBackup(dir);
    assert.ok(restored.setAside && fs.readFileSync(path.join(restored.setAside, stateFileName), 'utf8').startsWith('not a database'));
    const back = Store.open(dir);
    assert.equal(back.db.get('SELECT name FROM projects')?.name, 'P');
    back.close();
  });

  it("a backup keeps the database's synchronous level and leaves only the backup file in its folder", () => {
    const dir = tempDir('backup');
    const store = Store.open(dir);
    const level = () => store.db.get('PRAGMA synchronous')?.synchronous;
    const before = level();
    store.db.run("INSERT INTO projects (plan_file, name, created_at) VALUES ('p.migration.yaml', 'P', 'now')");
    backupStore(store);
    assert.equal(level(), before);
    assert.deepEqual(fs.readdirSync(path.dirname(backupFileOf(dir))), [path.basename(backupFileOf(dir))]);
    store.close();
  });

  it('refuses a missing or damaged backup and changes nothing (STORE-020)', () => {
    const dir = tempDir('backup');
    Store.open(dir).close();
    assert.throws(() => restoreBackup(dir), storeCode('STORE-020'));
    fs.mkdirSync(path.dirname(backupFileOf(dir)), { recursive: true });
    fs.writeFileSync(backupFileOf(dir), 'garbage'.repeat(200));
    const before = fs.readFileSync(path.join(dir, stateFileName));
    assert.throws(() => restoreBackup(dir), storeCode('STORE-020'));
    assert.deepEqual(fs.readFileSync(path.join(dir, stateFileName)), before);
    assert.deepEqual(fs.readdirSync(dir).filter((f) => f.startsWith('damaged-')), []);
  });

  it('an empty database where a backup shows a pass ran is lost state, not a fresh start', () => {
    const dir = tempDir('backup');
    const store = Store.open(dir);
    backupStore(store);
    store.close();
    fs.truncateSync(path.join(dir, stateFileName), 0);
    assert.throws(() => Store.open(dir), storeCode('STORE-010'));
  });
});
