// A state folder on a full disk: the run ends with STORE-001 and the next step (no stack trace),
// and the rerun after space is freed leaves every message exactly once. The disk fills
// deterministically: FERRY_TEST_STORE_MAX_PAGES caps the database (PRAGMA max_page_count), so
// SQLite answers SQLITE_FULL exactly as on a full disk, at the same write every time.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { addMessages, ensureBuilt, ferryRun, messageHashes, planYaml } from '../engine/maildirFixture';

describe('state folder on a full disk', function () {
  this.timeout(120_000);

  it('ends with STORE-001 naming the state folder; the rerun after freeing space is exact', async () => {
    const ferry = path.join(ensureBuilt(), 'bin', 'ferry.js');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-full-'));
    addMessages(path.join(dir, 'source'), 'ann@contoso.example', ['INBOX'], 400);
    addMessages(path.join(dir, 'source'), 'bob@contoso.example', ['INBOX'], 300);
    fs.writeFileSync(path.join(dir, 'p.migration.yaml'), planYaml(['ann', 'bob']));
    const state = path.join(dir, '.ferry');

    const full = await ferryRun(ferry, ['run', 'p.migration.yaml', '--pass', 'full'], dir, { ...process.env, FERRY_TEST_STORE_MAX_PAGES: '40' });
    assert.equal(full.status, 1, full.stderr);
    assert.match(full.stderr, new RegExp(`STORE-001 Cannot write the state of this run: the disk holding ${state.replace(/[.]/g, '\\.')} is full`));
    assert.match(full.stderr, new RegExp(`Next: Free space at ${state.replace(/[.]/g, '\\.')}.*run the pass again: it continues where it stopped`));
    assert.doesNotMatch(full.stderr, /^\s+at /m, 'no stack trace');

    const rerun = await ferryRun(ferry, ['run', 'p.migration.yaml', '--pass', 'full'], dir, process.env);
    assert.equal(rerun.status, 0, rerun.stderr);
    for (const who of ['ann', 'bob']) {
      assert.deepEqual(messageHashes(path.join(dir, 'destination', `${who}@fabrikam.example`)), messageHashes(path.join(dir, 'source', `${who}@contoso.example`)), `${who}: exactly once`);
    }
  });
});
