// One contract for the state store, run against both implementations: node:sqlite in a state
// folder (the embedded default) and PostgreSQL (distributed mode, a throwaway cluster started here).
// The same cases: records and their updates, the intent/watermark protocol in one transaction
// (nothing lost, nothing twice), a process killed inside that transaction, what a second
// connection sees, schema versions. PostgreSQL cases skip with one line where it is not installed.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { Store } from '../../../src/store/store';
import { StoreError } from '../../../src/store/storeError';
import { latestSchemaVersion } from '../../../src/store/schema';
import type { SqlStore } from '../../../src/store/sqlStore';
import { postgresMissing, startPostgres, type PostgresServer } from '../../servers/postgres';
import { tempDir } from '../../unit/helpers/repoRoot';
import { skipWith } from '../../unit/helpers/sharedReference';

interface Backend {
  name: string;
  before(ctx: Mocha.Context): Promise<void>;
  after(): Promise<void>;
  /** A fresh, empty store of the test's own, and the code a child process runs to open it again. */
  fresh(): { open: () => Store; childOpen: string };
}

const storeModule = path.resolve(__dirname, '../../../src/store/store.js');

const sqlite: Backend = {
  name: 'node:sqlite',
  before: async () => undefined,
  after: async () => undefined,
  fresh() {
    const dir = tempDir('contract');
    return { open: () => Store.open(dir), childOpen: `Store.open(${JSON.stringify(dir)})` };
  },
};

let server: PostgresServer | undefined;
let databases = 0;
const postgres: Backend = {
  name: 'PostgreSQL',
  async before(ctx) {
    const missing = postgresMissing();
    if (missing) skipWith(ctx, `skipped: ${missing}`);
    ctx.timeout(60_000);
    server ??= await startPostgres();
  },
  async after() {
    await server?.stop();
    server = undefined;
  },
  fresh() {
    const url = server!.createDatabase(`contract_${process.pid}_${++databases}`);
    return { open: () => Store.openShared(url), childOpen: `Store.openShared(${JSON.stringify(url)})` };
  },
};

const probe = { fingerprint: 'f1', date: '2026-01-01T00:00:00.000Z', sizeBytes: 10 };

function seed(store: Store): number {
  const project = store.batches.ensureProject('/plan.migration.yaml', 'P');
  const batch = store.batches.ensureBatch(project, 'B');
  return store.items.ensureItem(batch.id, 'a@x', 'a@y').id;
}

/** Runs `script` in a child Node with `store` opened; resolves with how it ended. */
function child(childOpen: string, script: string): Promise<{ signal: NodeJS.Signals | null; code: number | null; stderr: string }> {
  const code = `const { Store } = require(${JSON.stringify(storeModule)}); const store = ${childOpen}; ${script}`;
  return new Promise((resolve) => {
    const p = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    p.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    p.on('exit', (c, signal) => resolve({ code: c, signal, stderr }));
  });
}

for (const backend of [sqlite, postgres]) {
  describe(`store contract: ${backend.name}`, function () {
    this.timeout(30_000);
    const opened: Store[] = [];
    const open = (f: { open: () => Store }) => {
      const s = f.open();
      opened.push(s);
      return s;
    };
    before(async function () {
      await backend.before(this);
    });
    after(() => backend.after());
    afterEach(() => {
      for (const s of opened.splice(0)) s.close();
    });

    it('records projects, batches and items once, and takes a changed destination over', () => {
      const f = backend.fresh();
      const store = open(f);
      const p1 = store.batches.ensureProject('/plan.migration.yaml', 'P');
      const again = open(f);
      assert.equal(again.batches.ensureProject('/plan.migration.yaml', 'Renamed'), p1, 'a second connection finds the same project');
      assert.deepEqual(store.batches.listProjects(), [{ id: p1, planFile: '/plan.migration.yaml', name: 'Renamed' }]);
      const b = store.batches.ensureBatch(p1, 'Wave 1');
      assert.equal(again.batches.ensureBatch(p1, 'Wave 1').id, b.id);
      assert.equal(b.status, 'Created');
      const item = store.items.ensureItem(b.id, 'a@x', 'a@y');
      assert.equal(store.items.ensureItem(b.id, 'a@x', 'a@z').destination, 'a@z');
      assert.equal(store.items.itemById(item.id)?.destination, 'a@z');
      assert.equal(store.items.listItems(b.id).length, 1);
      store.items.updateItem(item.id, { status: 'InProgress', finalized: true, sizeBytes: 5 * 1024 ** 3, lastErrorCode: 'X-1', lastErrorMessage: 'm' });
      const read = store.items.itemById(item.id)!;
      assert.equal(read.finalized, true);
      assert.equal(read.sizeBytes, 5 * 1024 ** 3, 'sizes past 2^31 bytes read back as numbers');
      assert.deepEqual(store.items.itemsInStatus(p1, ['InProgress']).map((i) => i.id), [item.id]);
      assert.deepEqual(store.items.itemsInStatus(undefined, ['InProgress']).map((i) => i.id), [item.id]);
      store.items.updateItem(item.id, { lastErrorCode: null, lastErrorMessage: null });
      assert.equal(store.items.itemById(item.id)?.lastErrorCode, undefined);
      store.batches.setBatchStatus(b.id, 'Synced', { startedAt: '2026-01-01T00:00:00.000Z', lastSyncDurationMs: 1234 });
      const batch = store.batches.batchById(b.id)!;
      assert.equal(batch.status, 'Synced');
      assert.equal(batch.lastSyncDurationMs, 1234);
      store.batches.deleteBatch(b.id);
      assert.equal(store.items.itemById(item.id), undefined, 'deleting a batch removes its items');
    });

    it('fences a mailbox: a later owner bumps its generation and the earlier owner\'s next intent is refused (FenceLost), nothing recorded', () => {
      const f = backend.fresh();
      const first = open(f);
      const itemId = seed(first);
      const second = open(f);
      const lost: number[] = [];
      assert.equal(first.progress.fences.take(itemId, (err) => lost.push(err.generation)), 1);
      first.progress.addIntent(itemId, 'F', 's1', 'D', probe);
      assert.equal(second.progress.fences.take(itemId, () => assert.fail('the later owner keeps the mailbox')), 2);
      assert.throws(() => first.progress.addIntent(itemId, 'F', 's2', 'D', probe), (err: Error) => err.name === 'FenceLost' && /DIST-016/.test(err.message));
      assert.throws(() => first.progress.addIntents(itemId, 'F', 'D', [{ sourceItemId: 's3', probe }]), /DIST-016/, 'refused from then on');
      assert.deepEqual(lost, [1], 'the earlier owner is told once, when its first write is refused');
      second.progress.addIntents(itemId, 'F', 'D', [{ sourceItemId: 's4', probe }]);
      assert.deepEqual(second.progress.intents(itemId).map((i) => i.sourceItemId).sort(), ['s1', 's4']);
      second.progress.fences.release(itemId);
      const unfenced = open(f);
      unfenced.progress.addIntent(itemId, 'F', 's5', 'D', probe);
      assert.equal(unfenced.progress.intents(itemId).length, 3, 'a store that took no fence (an embedded run) writes as before');
    });

    it('records passes and errors', () => {
      const store = open(backend.fresh());
      const itemId = seed(store);
      const projectId = store.batches.listProjects()[0].id;
      const passId = store.passes.startPass({ projectId, kind: 'full', scopeBatch: 'B', runnerPid: 42 });
      assert.deepEqual(store.passes.runningPasses().map((p) => p.id), [passId]);
      store.passes.endPass(passId, 'completed');
      assert.equal(store.passes.passById(passId)?.status, 'completed');
      assert.equal(store.passes.lastPasses(projectId, 5)[0].runnerPid, 42);
      const e1 = store.errors.addError({ itemId, passId, code: 'ENG-012', message: 'mailbox-level' });
      const e2 = store.errors.addError({ itemId, passId, sourceFolderId: 'INBOX', sourceItemId: 's1', code: 'IMAP-NO', message: 'item-level' });
      assert.ok(e2 > e1);
      assert.equal(store.errors.unresolvedCount(itemId), 2);
      store.errors.resolveMailboxErrors(itemId);
      assert.deepEqual(store.errors.unresolved(itemId).map((e) => e.id), [e2]);
      assert.equal(store.errors.forItems([itemId], true).length, 2);
      store.errors.resolve(e2);
      assert.equal(store.errors.unresolvedCount(itemId), 0);
    });

    it('keeps folder cursors and mappings, never moving a cursor it is not given', () => {
      const store = open(backend.fresh());
      const itemId = seed(store);
      store.progress.saveFolder(itemId, { sourceFolderId: 'F1', sourcePath: 'INBOX', cursor: { uidNext: 7 }, destinationFolderId: 'D1', destinationPath: 'Inbox' });
      store.progress.saveFolder(itemId, { sourceFolderId: 'F1', sourcePath: 'INBOX' });
      assert.deepEqual(store.progress.folder(itemId, 'F1'), { sourceFolderId: 'F1', sourcePath: 'INBOX', cursor: { uidNext: 7 }, destinationFolderId: 'D1', destinationPath: 'Inbox' });
      store.progress.recordCopy({ itemId, sourceFolderId: 'F1', sourceItemId: 's1', destinationFolderId: 'D1', destinationItemId: 'd1', fingerprint: 'f1', sizeBytes: 10 });
      store.skips.record({ itemId, sourceFolderId: 'F1', sourceItemId: 's2', folderPath: 'INBOX', code: 'ENG-020', sizeBytes: 99 });
      assert.deepEqual(store.progress.folderStats(itemId), [{ sourceFolderId: 'F1', sourcePath: 'INBOX', destinationPath: 'Inbox', items: 1, bytes: 10, skipped: 1 }]);
      assert.deepEqual(store.skips.byCode(itemId), { 'ENG-020': 1 });
      assert.deepEqual(store.progress.totals(itemId), { items: 1, bytes: 10 });
    });

    it('records a copy in one step: watermark, intent cleared, errors and skips of the item resolved; never twice', () => {
      const store = open(backend.fresh());
      const itemId = seed(store);
      store.errors.addError({ itemId, sourceFolderId: 'INBOX', sourceItemId: 's1', code: 'IMAP-NO', message: 'no' });
      store.skips.record({ itemId, sourceFolderId: 'INBOX', sourceItemId: 's1', folderPath: 'INBOX', code: 'ENG-020', sizeBytes: 10 });
      store.progress.addIntents(itemId, 'INBOX', 'D', [{ sourceItemId: 's1', probe }, { sourceItemId: 's2', probe }], 1);
      store.progress.noteCreated(itemId, 'INBOX', 's2', 'created-2');
      assert.deepEqual([...store.progress.claimedIds(itemId, 'D')], ['created-2'], 'an intent that knows its created item claims it');
      store.progress.recordCopies([{ itemId, sourceFolderId: 'INBOX', sourceItemId: 's1', destinationFolderId: 'D', destinationItemId: 'd1', fingerprint: 'f1', sizeBytes: 10 }]);
      assert.deepEqual(store.progress.intents(itemId).map((i) => i.sourceItemId), ['s2']);
      assert.deepEqual([...store.progress.copiedAmong(itemId, 'INBOX', ['s2', 's1', 's3'])], ['s1']);
      assert.deepEqual(store.progress.copiedInFolder(itemId, 'INBOX'), { items: 1, bytes: 10 });
      assert.deepEqual([...store.progress.claimedIds(itemId, 'D')].sort(), ['created-2', 'd1']);
      assert.equal(store.errors.unresolvedCount(itemId), 0);
      assert.deepEqual(store.skips.byCode(itemId), {});
      store.progress.recordCopy({ itemId, sourceFolderId: 'INBOX', sourceItemId: 's1', destinationFolderId: 'D', destinationItemId: 'd9', fingerprint: 'f1', sizeBytes: 10 });
      assert.equal(store.progress.watermarkCount(itemId), 1, 'a second record of the same source item makes no second watermark');
      // A fresh intent for the same source item starts without the created id of an earlier attempt.
      store.progress.addIntent(itemId, 'INBOX', 's2', 'D', probe);
      assert.equal(store.progress.intents(itemId)[0].destinationItemId, undefined);
    });

    it('names the copies of a source folder in a destination folder (all, or those of ids without a prefix), and drops one watermark by its source id (a folder renumbered)', () => {
      const store = open(backend.fresh());
      const itemId = seed(store);
      const copy = (folder: string, id: string, to: string, d: string) => ({ itemId, sourceFolderId: folder, sourceItemId: id, destinationFolderId: to, destinationItemId: d, fingerprint: 'f', sizeBytes: 1 });
      store.progress.recordCopies([copy('INBOX', '7:1', 'D', 'd1'), copy('INBOX', '7:2', 'D', 'd2'), copy('INBOX', '7:3', 'E', 'e3'), copy('Sent', '9:1', 'D', 'd4')]);
      assert.deepEqual([...store.progress.copiesInto(itemId, 'INBOX', 'D')].sort(), [['d1', '7:1'], ['d2', '7:2']]);
      store.tx(() => {
        store.progress.dropCopy(itemId, 'INBOX', '7:1');
        store.progress.recordCopies([copy('INBOX', '8:1', 'D', 'd1')]);
      });
      assert.deepEqual([...store.progress.copiesInto(itemId, 'INBOX', 'D')].sort(), [['d1', '8:1'], ['d2', '7:2']]);
      assert.equal(store.progress.watermarkCount(itemId), 4);
      // Only the copies of ids of another numbering than the folder's now ('8:'; '78:1' is not of it).
      store.progress.recordCopies([copy('INBOX', '78:1', 'D', 'd5')]);
      assert.deepEqual([...store.progress.copiesInto(itemId, 'INBOX', 'D', '8:')].sort(), [['d2', '7:2'], ['d5', '78:1']]);
      assert.deepEqual([...store.progress.copiesInto(itemId, 'INBOX', 'D', '7:')].sort(), [['d1', '8:1'], ['d5', '78:1']]);
      // Counted under the numbering now (what a pass still goes through), and the copies of the others (what a delta looks for elsewhere).
      assert.deepEqual(store.progress.copiedInFolder(itemId, 'INBOX', '8:'), { items: 1, bytes: 1 });
      assert.deepEqual(store.progress.copiedInFolder(itemId, 'INBOX'), { items: 4, bytes: 4 });
      store.progress.recordCopies([{ ...copy('INBOX', '7:4', 'D', 'd6'), sizeBytes: 2 }]);
      const stale = (sizes: number[]) => store.changes.staleCopiesOfSizes(itemId, 'INBOX', '8:', sizes).map((c) => c.sourceItemId).sort();
      assert.deepEqual(stale([1]), ['78:1', '7:2', '7:3']);
      assert.deepEqual(stale([2, 3]), ['7:4']);
      assert.deepEqual(store.changes.staleCopiesAfter(itemId, 'INBOX', '8:', '', 2).map((c) => c.sourceItemId), ['78:1', '7:2'], 'a page, in id order');
      assert.deepEqual(store.changes.staleCopiesAfter(itemId, 'INBOX', '8:', '7:2', 2).map((c) => c.sourceItemId), ['7:3', '7:4']);
      store.changes.kept(itemId, 'INBOX', '7:3', { kind: 'kept-deleted', sourceFolderId: 'INBOX', sourceItemId: '7:3', folderPath: 'INBOX' });
      assert.deepEqual(stale([1, 2]), ['78:1', '7:2', '7:4'], 'a copy kept after its source left is not one');
    });

    it('rolls a failed transaction back entirely', () => {
      const store = open(backend.fresh());
      const itemId = seed(store);
      store.progress.addIntent(itemId, 'INBOX', 's1', 'D', probe);
      assert.throws(
        () =>
          store.tx(() => {
            store.progress.recordCopy({ itemId, sourceFolderId: 'INBOX', sourceItemId: 's1', destinationFolderId: 'D', destinationItemId: 'd1', fingerprint: 'f1', sizeBytes: 10 });
            throw new Error('boom');
          }),
        /boom/,
      );
      assert.equal(store.progress.watermarkCount(itemId), 0);
      assert.equal(store.progress.intents(itemId).length, 1, 'the intent stays for the next pass to settle');
    });

    it('shows another connection the watermark and the cleared intent together, only once committed', () => {
      const f = backend.fresh();
      const writer = open(f);
      const reader = open(f);
      const itemId = seed(writer);
      writer.progress.addIntent(itemId, 'INBOX', 's1', 'D', probe);
      writer.tx(() => {
        writer.progress.recordCopy({ itemId, sourceFolderId: 'INBOX', sourceItemId: 's1', destinationFolderId: 'D', destinationItemId: 'd1', fingerprint: 'f1', sizeBytes: 10 });
        assert.equal(reader.progress.watermarkCount(itemId), 0, 'uncommitted: no watermark yet');
        assert.equal(reader.progress.intents(itemId).length, 1, 'uncommitted: the intent is still there');
      });
      assert.equal(reader.progress.watermarkCount(itemId), 1);
      assert.equal(reader.progress.intents(itemId).length, 0);
    });

    it('keeps the committed intent when the process is killed inside the transaction recording the copy', async () => {
      const f = backend.fresh();
      const store = open(f);
      const itemId = seed(store);
      const result = await child(
        f.childOpen,
        `store.progress.addIntent(${itemId}, 'INBOX', 's1', 'D', ${JSON.stringify(probe)}, 1);
         store.tx(() => {
           store.progress.recordCopy({ itemId: ${itemId}, sourceFolderId: 'INBOX', sourceItemId: 's1', destinationFolderId: 'D', destinationItemId: 'd1', fingerprint: 'f1', sizeBytes: 10 });
           process.kill(process.pid, 'SIGKILL');
         });`,
      );
      assert.equal(result.signal, 'SIGKILL', result.stderr);
      assert.equal(store.progress.watermarkCount(itemId), 0, 'the uncommitted watermark is gone');
      const intents = store.progress.intents(itemId, 'INBOX');
      assert.equal(intents.length, 1, 'the committed intent is still there');
      assert.deepEqual(intents[0].probe, probe);
    });

    it('migrates once to the latest schema and refuses a database from a newer Ferry', () => {
      const f = backend.fresh();
      const store = open(f);
      const db: SqlStore = store.db;
      const version = () => Number(db.get('SELECT MAX(version) AS v FROM schema_version')?.v);
      assert.equal(version(), latestSchemaVersion);
      open(f);
      assert.equal(Number(db.get('SELECT COUNT(*) AS c FROM schema_version')?.c), latestSchemaVersion, 'opening again applies nothing twice');
      db.run('INSERT INTO schema_version (version, applied_at) VALUES (?, ?)', 99, 'x');
      assert.throws(() => open(f), (err: unknown) => err instanceof StoreError && err.code === 'STORE-011');
    });
  });
}

describe('store contract: PostgreSQL restarts', function () {
  this.timeout(60_000);
  before(async function () {
    await postgres.before(this);
  });
  after(() => postgres.after());

  it('waits for a restarting server outside a transaction; a transaction cut by it is rolled back and said (STORE-030)', async () => {
    const f = postgres.fresh();
    const store = f.open();
    try {
      const itemId = seed(store);
      store.progress.addIntent(itemId, 'INBOX', 's1', 'D', probe);
      await server!.down('SIGKILL');
      // start() spawns postgres at once; the store's next statement waits for it (this thread is blocked meanwhile).
      const back = server!.start();
      assert.equal(store.progress.intents(itemId).length, 1, 'the statement ran once the server was back');
      await back;
      let crashed: Promise<void> | undefined;
      assert.throws(
        () =>
          store.tx(() => {
            store.progress.recordCopy({ itemId, sourceFolderId: 'INBOX', sourceItemId: 's1', destinationFolderId: 'D', destinationItemId: 'd1', fingerprint: 'f1', sizeBytes: 10 });
            // down() kills the server and its backends before its first await: the transaction's
            // connection is gone before its next statement.
            crashed = server!.down('SIGKILL');
            store.progress.watermarkCount(itemId);
          }),
        (err: unknown) => err instanceof StoreError && err.code === 'STORE-030',
      );
      await crashed;
      const again = server!.start();
      assert.equal(store.progress.watermarkCount(itemId), 0, 'the cut transaction left no watermark');
      assert.equal(store.progress.intents(itemId).length, 1, 'and kept the intent');
      await again;
    } finally {
      store.close();
    }
  });
});
