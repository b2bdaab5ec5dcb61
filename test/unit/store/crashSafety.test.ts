import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { Store } from '../../../src/store/store';
import { tempDir } from '../helpers/repoRoot';

function seed(dir: string): number {
  const store = Store.open(dir);
  const project = store.batches.ensureProject('/plan.yaml', 'P');
  const batch = store.batches.ensureBatch(project, 'B');
  const item = store.items.ensureItem(batch.id, 'a@x', 'a@y');
  store.close();
  return item.id;
}

const probe = { fingerprint: 'f1', date: '2026-01-01T00:00:00.000Z', sizeBytes: 10 };

describe('store: intents and watermarks survive a crash', () => {
  it('keeps the intent when the process dies between the destination write and the commit', () => {
    const dir = tempDir('crash');
    const itemId = seed(dir);
    // A child process writes the intent, opens the transaction that would record the copy, and is
    // killed with SIGKILL before COMMIT: exactly a crash after the write, before the commit.
    const storeModule = path.resolve(__dirname, '../../../src/store/store.js');
    const script = `
      const { Store } = require(${JSON.stringify(storeModule)});
      const store = Store.open(${JSON.stringify(dir)});
      store.progress.addIntent(${itemId}, 'INBOX', 's1', 'INBOX', ${JSON.stringify(probe)}, 1);
      store.db.db.exec('BEGIN IMMEDIATE');
      store.db.run("INSERT INTO watermarks (item_id, source_folder_id, source_item_id, destination_folder_id, destination_item_id, fingerprint, size_bytes, created_at) VALUES (${itemId}, 'INBOX', 's1', 'INBOX', 'd1', 'f1', 10, 'now')");
      store.db.run("DELETE FROM intents WHERE item_id = ${itemId}");
      process.kill(process.pid, 'SIGKILL');
    `;
    const result = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    assert.equal(result.signal, 'SIGKILL', result.stderr);

    const store = Store.open(dir);
    assert.equal(store.progress.watermarkCount(itemId), 0, 'the uncommitted watermark is gone');
    const intents = store.progress.intents(itemId, 'INBOX');
    assert.equal(intents.length, 1, 'the committed intent is still there');
    assert.deepEqual(intents[0].probe, probe);
    store.close();
  });

  it('records the watermark, clears the intent and resolves errors of the item in one step', () => {
    const dir = tempDir('crash');
    const itemId = seed(dir);
    const store = Store.open(dir);
    store.errors.addError({ itemId, sourceFolderId: 'INBOX', sourceItemId: 's1', code: 'IMAP-NO', message: 'no' });
    store.skips.record({ itemId, sourceFolderId: 'INBOX', sourceItemId: 's1', folderPath: 'INBOX', code: 'ENG-020', sizeBytes: 10 });
    store.progress.addIntent(itemId, 'INBOX', 's1', 'INBOX', probe);
    store.progress.recordCopy({ itemId, sourceFolderId: 'INBOX', sourceItemId: 's1', destinationFolderId: 'INBOX', destinationItemId: 'd1', fingerprint: 'f1', sizeBytes: 10 });
    assert.equal(store.progress.intents(itemId).length, 0);
    assert.deepEqual([...store.progress.copiedAmong(itemId, 'INBOX', ['s1', 's2'])], ['s1']);
    assert.equal(store.errors.unresolvedCount(itemId), 0);
    assert.deepEqual(store.skips.byCode(itemId), {});
    // A second record of the same source item never makes a second watermark.
    store.progress.recordCopy({ itemId, sourceFolderId: 'INBOX', sourceItemId: 's1', destinationFolderId: 'INBOX', destinationItemId: 'd2', fingerprint: 'f1', sizeBytes: 10 });
    assert.equal(store.progress.watermarkCount(itemId), 1);
    store.close();
  });

  it('records a batch in one step: errors and skips of its items resolved in whichever folder has them, nothing else touched', () => {
    const dir = tempDir('crash');
    const itemId = seed(dir);
    const store = Store.open(dir);
    // A: a skip only; B: an error only; C: neither; D: an error of an item the batch does not copy.
    store.skips.record({ itemId, sourceFolderId: 'A', sourceItemId: 'a2', folderPath: 'A', code: 'ENG-020', sizeBytes: 10 });
    store.errors.addError({ itemId, sourceFolderId: 'B', sourceItemId: 'b3', code: 'IMAP-NO', message: 'no' });
    store.errors.addError({ itemId, sourceFolderId: 'D', sourceItemId: 'd9', code: 'IMAP-NO', message: 'no' });
    const copy = (folder: string, id: string) => ({ itemId, sourceFolderId: folder, sourceItemId: id, destinationFolderId: folder, destinationItemId: `x${id}`, fingerprint: 'f', sizeBytes: 10 });
    const batch = [copy('C', 'c1'), copy('A', 'a1'), copy('A', 'a2'), copy('B', 'b1'), copy('B', 'b3'), copy('C', 'c2'), copy('D', 'd1')];
    store.progress.addIntents(itemId, 'A', 'A', [{ sourceItemId: 'a1', probe }, { sourceItemId: 'a2', probe }]);
    store.progress.recordCopies(batch);
    assert.equal(store.progress.watermarkCount(itemId), batch.length);
    assert.deepEqual(store.progress.intents(itemId), []);
    assert.deepEqual(store.skips.byCode(itemId), {});
    assert.deepEqual(store.errors.unresolved(itemId).map((e) => [e.sourceFolderId, e.sourceItemId]), [['D', 'd9']]);
    store.close();
  });

  it('rolls a failed transaction back', () => {
    const dir = tempDir('crash');
    const itemId = seed(dir);
    const store = Store.open(dir);
    assert.throws(() =>
      store.tx(() => {
        store.progress.addIntent(itemId, 'INBOX', 's2', 'INBOX', probe);
        throw new Error('boom');
      }),
    );
    assert.equal(store.progress.intents(itemId).length, 0);
    store.close();
  });
});
