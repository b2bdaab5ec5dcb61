// The views' store reader: the same answer as `ferry status --json` and `ferry report --format json`,
// read on a read-only connection that never waits for a runner in the middle of a write and never
// writes (no database appears where there was none), in a worker thread for the extension.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { main } from '../../../src/cli/main';
import type { CliIo } from '../../../src/cli/io';
import type { ProjectStatus } from '../../../src/engine/projectStatus';
import type { MigrationReport } from '../../../src/engine/report';
import type { Logger } from '../../../src/extension/common/logger';
import { StoreReader } from '../../../src/extension/state/storeReader';
import { readSnapshot } from '../../../src/snapshot/readSnapshot';
import { newDatabase } from '../../../src/store/sqlite';
import { repoRoot } from '../helpers/repoRoot';
import { maildirProject } from '../runner/runnerFixture';

const quiet: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined, show: () => undefined, redact: () => undefined };

function capture(cwd: string): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { cwd, env: {}, stdout, stderr, out: (l) => stdout.push(l), err: (l) => stderr.push(l) };
}

/** A project after a full pass in which bob's Maildir is missing (one failed mailbox, one error). */
async function ranProject(): Promise<{ dir: string; plan: string; stateDir: string }> {
  const p = maildirProject(3);
  fs.rmSync(path.join(p.dir, 'source', 'bob@contoso.example'), { recursive: true });
  assert.equal(await main(['run', 'p.migration.yaml', '--pass', 'full'], capture(p.dir)), 3);
  return { ...p, stateDir: path.join(p.dir, '.ferry') };
}

describe('store snapshot for the views', function () {
  this.timeout(30_000);

  it('says what ferry status --json and ferry report --format json say', async () => {
    const p = await ranProject();
    const status = capture(p.dir);
    assert.equal(await main(['status', 'p.migration.yaml', '--json'], status), 0);
    const report = capture(p.dir);
    assert.equal(await main(['report', 'p.migration.yaml', '--format', 'json'], report), 0);
    // Through JSON as the command line prints it (no undefined fields).
    const snapshot = JSON.parse(JSON.stringify(readSnapshot(p.stateDir, p.plan))) as ReturnType<typeof readSnapshot>;
    assert.deepEqual(snapshot.status, (JSON.parse(status.stdout.join('\n')) as { projects: ProjectStatus[] }).projects[0]);
    assert.deepEqual(snapshot.errors, (JSON.parse(report.stdout.join('\n')) as MigrationReport).errors);
    assert.deepEqual(snapshot.errors.map((e) => [e.code, e.mailboxes]), [['MAILDIR-NOT-FOUND', ['bob@contoso.example']]]);
    assert.equal(snapshot.runner, undefined);
  });

  it('reads while a writer holds the database mid-write, without waiting for it or seeing its uncommitted rows', async () => {
    const p = await ranProject();
    const before = readSnapshot(p.stateDir, p.plan);
    const writer = newDatabase(path.join(p.stateDir, 'state.db'));
    try {
      writer.exec('PRAGMA busy_timeout = 0');
      writer.exec('BEGIN IMMEDIATE');
      writer.exec("UPDATE items SET status = 'Failed'");
      const during = readSnapshot(p.stateDir, p.plan);
      assert.deepEqual(during.status, before.status, 'the uncommitted write is not seen');
      // The reader took no lock the writer needs: the writer commits at once (busy_timeout 0).
      writer.exec('COMMIT');
    } finally {
      writer.close();
    }
    const after = readSnapshot(p.stateDir, p.plan);
    assert.deepEqual(after.status?.batches[0].items.map((i) => i.status), ['Failed', 'Failed']);
  });

  it('creates nothing where no pass has run', () => {
    const p = maildirProject(1);
    const stateDir = path.join(p.dir, '.ferry');
    assert.deepEqual(readSnapshot(stateDir, p.plan).errors, []);
    assert.equal(fs.existsSync(stateDir), false);
  });

  it('answers through the worker thread, with the store code when the database is from a newer Ferry', async () => {
    const dist = path.join(repoRoot(), 'dist');
    if (!fs.existsSync(path.join(dist, 'snapshotWorker.js'))) throw new Error('dist/snapshotWorker.js is missing: run npm run build first');
    const p = await ranProject();
    const reader = new StoreReader(path.join(repoRoot(), 'bin', 'ferry.js'), dist, quiet);
    try {
      const [a, b] = await Promise.all([reader.snapshot(p.plan, p.stateDir), reader.snapshot(p.plan, p.stateDir)]);
      assert.deepEqual(a.status, readSnapshot(p.stateDir, p.plan).status);
      assert.deepEqual(b.status, a.status);
      const db = newDatabase(path.join(p.stateDir, 'state.db'));
      db.exec("INSERT INTO schema_version (version, applied_at) VALUES (999, '2030-01-01T00:00:00Z')");
      db.close();
      await assert.rejects(reader.snapshot(p.plan, p.stateDir), (err: Error & { code?: string }) => err.code === 'STORE-011');
    } finally {
      reader.dispose();
    }
  });
});
