// The state database checkpoints its WAL every 10,000 pages, not SQLite's 1,000: a checkpoint runs
// inside a pass's commit on its main thread and waits for two fsyncs (src/store/sqlite.ts). The
// intents and watermarks of 10,000 messages fit in the WAL without one, and all are kept.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Store, stateFileName } from '../../../src/store/store';
import { WAL_CHECKPOINT_PAGES } from '../../../src/store/sqlite';
import { tempDir } from '../helpers/repoRoot';

describe('store: WAL checkpoints', () => {
  it('writes 10,000 intents and watermarks in batches without a checkpoint, and keeps every one', () => {
    const dir = tempDir('wal');
    const store = Store.open(dir);
    const project = store.batches.ensureProject('/plan.yaml', 'P');
    const item = store.items.ensureItem(store.batches.ensureBatch(project, 'B').id, 'a@x', 'a@y');
    const wal = path.join(dir, `${stateFileName}-wal`);
    const pageSize = Number(store.db.get('PRAGMA page_size')?.page_size);
    const fingerprint = 'f'.repeat(64);
    for (let batch = 0; batch < 100; batch++) {
      const ids = Array.from({ length: 100 }, (_, i) => `7:${batch * 100 + i}`);
      store.progress.addIntents(item.id, 'INBOX', 'INBOX', ids.map((id) => ({ sourceItemId: id, probe: { messageId: `<${id}@bench.example>`, fingerprint, exactHash: fingerprint, date: '2026-01-01T00:00:00.000Z', sizeBytes: 3000 } })));
      store.progress.recordCopies(ids.map((id) => ({ itemId: item.id, sourceFolderId: 'INBOX', sourceItemId: id, destinationFolderId: 'INBOX', destinationItemId: `9:${id}`, fingerprint, sizeBytes: 3000, flags: ['\\Seen'] })));
    }
    // Every frame since the database was created is still in the WAL: half as much again as SQLite's 1,000 pages (after which its checkpoint starts the file over).
    const frames = Math.floor(fs.statSync(wal).size / (pageSize + 24));
    assert.ok(frames > 1500 && frames < WAL_CHECKPOINT_PAGES, `${frames} WAL frames`);
    store.close();
    const again = Store.open(dir);
    assert.equal(again.progress.watermarkCount(item.id), 10_000);
    assert.deepEqual(again.progress.intents(item.id), []);
    again.close();
  });
});
