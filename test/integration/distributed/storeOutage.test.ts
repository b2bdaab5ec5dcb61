// A PostgreSQL that stops answering for longer than the job lease, mid-pass, with two `ferry worker`s:
// every process of the server is stopped (SIGSTOP: connections stay open, nothing answers) for three
// leases, then let go on. A worker's store call blocks its thread, and BullMQ renews leases on that
// thread: the store's calls are bounded well under the lease, so each mailbox keeps its job, waits
// for the database and goes on, never handed to the other worker while it still runs.
import * as assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import type { PassSummary } from '../../../src/engine/summary';
import type { ProjectStatus } from '../../../src/engine/projectStatus';
import { HoldPoints } from '../../unit/helpers/holdPoints';
import { exited, ferryRun } from '../engine/maildirFixture';
import { useCluster } from './cluster';
import { assertSameSets, people, project } from './fourMailboxes';

/** Everything a worker prints (stdout: mailbox statuses, stderr: its log). */
function output(child: ChildProcess): () => string {
  let text = '';
  child.stdout!.on('data', (d: Buffer) => (text += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (text += d.toString()));
  return () => text;
}

describe('distributed mode: PostgreSQL stops answering for longer than the job lease', function () {
  this.timeout(180_000);
  const cluster = useCluster();
  /** The workers' lease: long enough that a busy machine's own pauses do not let it lapse. */
  const leaseMs = 5000;

  it('mid-pass with 2 workers: each mailbox keeps its lease and waits; destination equals source, nothing twice, the log says so', async () => {
    const p = project();
    const env = cluster.environment();
    const holds = new HoldPoints();
    const follower = ferryRun(cluster.ferry, ['run', p.plan, '--pass', 'full', '--json'], p.dir, env);
    const lease = ['--lease', String(leaseMs / 1000)];
    const workers = [cluster.worker(p.dir, holds.env(['write.after#2'], env), lease), cluster.worker(p.dir, holds.env(['write.after#2'], env), lease)];
    const logs = workers.map(output);
    // Mid-mailbox: an item written to the destination, its watermark not yet committed.
    await holds.reached('write.after');
    cluster.server.freeze();
    const frozenAt = Date.now();
    try {
      holds.release('write.after');
      // The outage: three leases without an answer (the fault injected, not a wait for a result).
      while (Date.now() - frozenAt < 3 * leaseMs) await new Promise((r) => setTimeout(r, 100));
    } finally {
      cluster.server.thaw();
    }
    const run = await follower;
    const log = logs.map((l) => l()).join('\n');
    assert.equal(run.status, 0, `${run.stderr}\n${run.stdout}\n${log}`);
    const summary = JSON.parse(run.stdout) as PassSummary;
    assert.equal(summary.status, 'completed');
    assert.deepEqual(summary.items.map((i) => i.status).sort(), people.map(() => 'Completed'));
    try {
      assertSameSets(p.dir);
    } catch (err) {
      throw Object.assign(err as Error, { message: `${(err as Error).message}\n${log}` });
    }

    // No lease lapsed, so no mailbox was run by two workers: each ended once, on one worker.
    assert.doesNotMatch(log, /could not renew lock|could not be renewed|its lease lapsed|Missing lock/, log);
    for (const who of people) assert.equal(log.split(`${who}@contoso.example: Completed`).length - 1, 1, `${who} completed once\n${log}`);
    // And the log says what happened: the wait and the way on.
    assert.match(log, /STORE-030 .*Job \S+ keeps its lease and waits for the state database/);
    assert.match(log, /the state database answered after \d+\.\d s; job \S+ kept its lease and goes on/);

    const status = JSON.parse((await ferryRun(cluster.ferry, ['status', p.plan, '--json'], p.dir, env)).stdout) as { projects: ProjectStatus[] };
    assert.deepEqual(status.projects[0].batches[0].items.map((i) => i.status).sort(), people.map(() => 'Completed'));
    assert.equal(status.projects[0].passes[0].status, 'completed');
    for (const w of workers) w.kill('SIGTERM');
    await Promise.all(workers.map(exited));
  });
});
