// The end of a distributed pass that cannot end: its worker's state has no batch of the pass (the
// 50,000-mailbox bench: a worker read other statements' replies, its pass end found no batch and
// retried for days while `ferry run` waited on it). The end job fails at once (DIST-013), the pass
// is marked failed, and `ferry run` says so (DIST-014, with the next step) instead of hanging.
// Likewise an end the database refuses (DIST-015).
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PgDatabase } from '../../../src/store/postgres/pgDatabase';
import { tempDir } from '../../unit/helpers/repoRoot';
import { addMessages, planYaml } from '../engine/maildirFixture';
import { useCluster } from './cluster';

describe('distributed mode: a pass end that finds no batch', function () {
  this.timeout(120_000);
  const cluster = useCluster();
  let run: ChildProcess | undefined;
  // A ferry run still waiting (the fault this is about) is stopped by its own pid.
  afterEach(() => {
    if (run && run.exitCode === null && run.signalCode === null) run.kill('SIGKILL');
  });

  /**
   * A one-mailbox plan's full pass run by `ferry run`, with no worker yet: resolves once it follows
   * the pass, lets `meanwhile` change the state database (as an operator or a fault would),
   * then starts a worker and gives ferry run's end.
   */
  async function passEndAfter(name: string, meanwhile: (state: PgDatabase) => void) {
    const dir = tempDir(name);
    addMessages(path.join(dir, 'source'), 'ann@contoso.example', ['INBOX'], 3, 500);
    const plan = path.join(dir, 'p.migration.yaml');
    fs.writeFileSync(plan, planYaml(['ann']));
    const env = cluster.environment();

    run = spawn(process.execPath, [cluster.ferry, 'run', plan, '--pass', 'full'], { cwd: dir, env });
    let stdout = '';
    let stderr = '';
    run.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    const ended = new Promise<number | null>((resolve) => run!.on('close', resolve));
    // Enqueued: ferry run says it follows the pass. No worker runs yet.
    await new Promise<void>((resolve, reject) => {
      run!.stderr!.on('data', (d: Buffer) => {
        stderr += d.toString();
        if (/following/.test(stderr)) resolve();
      });
      run!.once('close', () => reject(new Error(`ferry run ended before following: ${stderr}`)));
    });

    const url = new URL(env.FERRY_DATABASE_URL!);
    url.password = cluster.server.password;
    const state = () => PgDatabase.open(url.toString());
    const db = state();
    try {
      meanwhile(db);
    } finally {
      db.close();
    }

    cluster.worker(dir, env);
    const status = await ended;
    return { status, stdout, stderr, state };
  }

  it('fails at once with DIST-013; ferry run ends with DIST-014 and its next step, not a hang', async () => {
    // The state loses the pass's batch (as another database than the pass's would not have it).
    const { status, stdout, stderr, state } = await passEndAfter('dist-end', (db) => assert.equal(db.run("UPDATE batches SET name = name || ' (elsewhere)'").changes, 1));
    assert.equal(status, 1, `${stderr}\n${stdout}`);
    assert.match(stderr, /DIST-014 The end of pass \d+ on ferry-project-\d+ failed: .*DIST-013/);
    assert.match(stderr, /Next: .*run the pass again/);

    const db = state();
    try {
      assert.deepEqual(db.all('SELECT status, error_code FROM passes'), [{ status: 'failed', error_code: 'DIST-013' }]);
    } finally {
      db.close();
    }
  });

  // A failure of the end that is not the state database being away (here a constraint an operator
  // put on the database refuses the batch's new status) fails the same way on every try. Before,
  // the end job retried it 20 times with BullMQ's uncapped exponential back-off (days between the
  // last tries) while ferry run waited; now it ends at once with DIST-015 and rolls back the end.
  it('a pass end the database refuses ends with DIST-015 and its next step, not retries for days', async () => {
    const { status, stdout, stderr, state } = await passEndAfter('dist-end-refused', (db) => db.run("ALTER TABLE batches ADD CONSTRAINT frozen_by_operator CHECK (status <> 'Synced') NOT VALID"));
    assert.equal(status, 1, `${stderr}\n${stdout}`);
    assert.match(stderr, /DIST-014 The end of pass \d+ on ferry-project-\d+ failed: DIST-015 Closing pass \d+ failed: .*frozen_by_operator/);
    assert.match(stderr, /Next: .*run the pass again/);

    const db = state();
    try {
      assert.deepEqual(db.all('SELECT status, error_code FROM passes'), [{ status: 'failed', error_code: 'DIST-015' }]);
      // The end's transaction was rolled back: the batch is not half closed.
      assert.deepEqual(db.all('SELECT status, last_sync_at FROM batches'), [{ status: 'Syncing', last_sync_at: null }]);
    } finally {
      db.close();
    }
  });
});
