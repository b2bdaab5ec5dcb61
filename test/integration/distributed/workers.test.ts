// Distributed mode end to end, with real processes: `ferry run` enqueues a pass on the queue (BullMQ
// on a throwaway Redis) and follows it; `ferry worker` processes take the mailbox jobs, with the
// state in a throwaway PostgreSQL. Workers are killed with SIGKILL at a known point
// (the hold point `write.after`: an item written to the destination, its watermark not yet
// committed) and others take their jobs over after the lease.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { PassSummary } from '../../../src/engine/summary';
import type { ProjectStatus } from '../../../src/engine/projectStatus';
import { HoldPoints } from '../../unit/helpers/holdPoints';
import { tempDir } from '../../unit/helpers/repoRoot';
import { exited, ferryRun, messageHashes, planYaml } from '../engine/maildirFixture';
import { useCluster } from './cluster';
import { assertSameSets, people, project } from './fourMailboxes';

describe('distributed mode: ferry run on the queue in Redis, ferry worker processes, state in PostgreSQL', function () {
  this.timeout(180_000);
  const cluster = useCluster();
  const { environment, worker } = cluster;

  /**
   * A pass enqueued and followed by `ferry run`, its one worker held at its second batch write
   * (written, watermarks not committed); `go()` lets the worker on and returns the run's summary.
   */
  async function heldPass() {
    const p = project();
    const env = environment();
    const holds = new HoldPoints();
    const follower = ferryRun(cluster.ferry, ['run', p.plan, '--pass', 'full', '--json'], p.dir, env);
    const w = worker(p.dir, holds.env(['write.after#2'], env));
    const [pid] = await holds.reached('write.after');
    const go = async () => {
      holds.release('write.after', pid);
      const run = await follower;
      return { run, summary: JSON.parse(run.stdout) as PassSummary };
    };
    const end = async () => {
      w.kill('SIGTERM');
      await exited(w);
    };
    return { p, env, go, end };
  }

  it('a worker killed with SIGKILL three times in one pass: others take its jobs after the lease; destination equals source, nothing twice', async () => {
    const p = project();
    const env = environment();
    const follower = ferryRun(cluster.ferry, ['run', p.plan, '--pass', 'full', '--json'], p.dir, env);
    for (let kill = 1; kill <= 3; kill++) {
      const holds = new HoldPoints();
      const w = worker(p.dir, holds.env(['write.after#2'], env));
      await holds.reached('write.after');
      w.kill('SIGKILL');
      await exited(w);
    }
    const finisher = worker(p.dir, env);
    const run = await follower;
    assert.equal(run.status, 0, `${run.stderr}\n${run.stdout}`);
    const summary = JSON.parse(run.stdout) as PassSummary;
    assert.equal(summary.status, 'completed');
    assert.deepEqual(summary.items.map((i) => i.status).sort(), people.map(() => 'Completed'));
    assertSameSets(p.dir);

    const status = await ferryRun(cluster.ferry, ['status', p.plan, '--json'], p.dir, env);
    const projects = (JSON.parse(status.stdout) as { projects: ProjectStatus[] }).projects;
    assert.equal(projects[0].batches[0].batch.status, 'Synced');
    assert.deepEqual(projects[0].batches[0].items.map((i) => i.status).sort(), people.map(() => 'Completed'));
    assert.equal(projects[0].passes[0].status, 'completed');

    finisher.kill('SIGTERM');
    await exited(finisher);
    assert.equal(finisher.exitCode, 0, 'a worker asked to stop ends cleanly');
  });

  it('ferry stop from another machine stops the pass on the workers; a rerun completes it without duplicates', async () => {
    const { p, env, go, end } = await heldPass();
    const stop = await ferryRun(cluster.ferry, ['stop', p.plan], p.dir, env);
    assert.equal(stop.status, 0, stop.stderr);
    assert.match(stop.stdout, /Asked the workers to stop pass \d+/);
    const { run, summary } = await go();
    assert.equal(summary.status, 'stopped', run.stderr);
    assert.ok(summary.items.some((i) => i.status === 'Stopped'), JSON.stringify(summary.items.map((i) => i.status)));
    const rerun = await ferryRun(cluster.ferry, ['run', p.plan, '--pass', 'full', '--json'], p.dir, env);
    assert.equal(rerun.status, 0, rerun.stderr);
    assertSameSets(p.dir);
    await end();
  });

  /** A server killed with SIGKILL and started again while a pass is held mid-mailbox: the pass ends completed, nothing twice. */
  async function restartedMidPass(server: { down(signal: 'SIGKILL'): Promise<void>; start(): Promise<void> }): Promise<void> {
    const { p, env, go, end } = await heldPass();
    await server.down('SIGKILL');
    await server.start();
    const { run, summary } = await go();
    assert.equal(run.status, 0, `${run.stderr}\n${run.stdout}`);
    assert.equal(summary.status, 'completed');
    assert.deepEqual(summary.items.map((i) => i.status).sort(), people.map(() => 'Completed'));
    assertSameSets(p.dir);
    const status = JSON.parse((await ferryRun(cluster.ferry, ['status', p.plan, '--json'], p.dir, env)).stdout) as { projects: ProjectStatus[] };
    assert.equal(status.projects[0].passes[0].status, 'completed');
    await end();
  }

  it('Redis restarted mid-pass (SIGKILL): the workers and ferry run pause and go on; destination equals source, nothing twice', async () => {
    await restartedMidPass(cluster.redis);
  });

  it('PostgreSQL restarted mid-pass (the state): the workers pause and go on; destination equals source', async () => {
    await restartedMidPass(cluster.server);
  });

  it('a mailbox above mailboxQuotaGB waits for approval; ferry approve on the shared store lets the next pass copy it', async () => {
    const p = project();
    fs.writeFileSync(p.plan, planYaml(people, '  mailboxQuotaGB: 0.0001\n'));
    const env = environment();
    const w = worker(p.dir, env);
    const first = JSON.parse((await ferryRun(cluster.ferry, ['run', p.plan, '--pass', 'full', '--json'], p.dir, env)).stdout) as PassSummary;
    assert.deepEqual(first.items.map((i) => i.status), people.map(() => 'ConfirmationRequired'));
    const approve = await ferryRun(cluster.ferry, ['approve', p.plan, '--item', 'ann@contoso.example'], p.dir, env);
    assert.equal(approve.status, 0, approve.stderr);
    assert.match(approve.stdout, /approved .*ann@contoso\.example/);
    const second = JSON.parse((await ferryRun(cluster.ferry, ['run', p.plan, '--pass', 'full', '--json'], p.dir, env)).stdout) as PassSummary;
    const byMailbox = Object.fromEntries(second.items.map((i) => [i.source, i.status]));
    assert.equal(byMailbox['ann@contoso.example'], 'Completed');
    assert.equal(byMailbox['bob@contoso.example'], 'ConfirmationRequired');
    assert.deepEqual(messageHashes(path.join(p.dir, 'destination', 'ann@fabrikam.example')), messageHashes(path.join(p.dir, 'source', 'ann@contoso.example')));
    w.kill('SIGTERM');
    await exited(w);
  });

  it('refuses a password in FERRY_DATABASE_URL or FERRY_REDIS_URL before doing anything (DIST-002)', async () => {
    const p = project();
    const env = environment();
    for (const wrong of [{ FERRY_DATABASE_URL: cluster.server.url }, { FERRY_REDIS_URL: `redis://default:${cluster.redis.password}@127.0.0.1:${cluster.redis.port}/0` }]) {
      const run = await ferryRun(cluster.ferry, ['run', p.plan, '--pass', 'full'], p.dir, { ...env, ...wrong });
      assert.equal(run.status, 1);
      assert.match(run.stderr, /DIST-002/);
      assert.match(run.stderr, /Next: /);
    }
    assert.equal(fs.existsSync(path.join(p.dir, 'destination')), false);
  });

  it('a Redis that refuses the password, or none named, is said before anything is enqueued (DIST-010, DIST-001)', async () => {
    const p = project();
    const env = environment();
    const wrongPw = path.join(tempDir('dist-pw'), 'wrong');
    fs.writeFileSync(wrongPw, 'not-the-password\n');
    const refused = await ferryRun(cluster.ferry, ['run', p.plan, '--pass', 'full'], p.dir, { ...env, FERRY_REDIS_PASSWORD_FILE: wrongPw });
    assert.equal(refused.status, 1, refused.stderr);
    assert.match(refused.stderr, /DIST-010/);
    assert.match(refused.stderr, /127\.0\.0\.1/);
    assert.doesNotMatch(refused.stderr, /not-the-password/);
    const none = { ...env };
    delete none.FERRY_REDIS_URL;
    const unnamed = await ferryRun(cluster.ferry, ['worker'], p.dir, none);
    assert.equal(unnamed.status, 1, unnamed.stderr);
    assert.match(unnamed.stderr, /DIST-001.*FERRY_REDIS_URL/);
    assert.equal(fs.existsSync(path.join(p.dir, 'destination')), false);
  });
});
