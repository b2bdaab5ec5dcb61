// A worker that is alive but stalled (SIGSTOPped here; CPU starvation does the same) past its lease
// loses its mailbox jobs to another worker; when it wakes up it must not write those mailboxes
// again. The mailbox's fencing token (store/mailboxFence.ts) refuses its next intent: it stops
// before its next destination write and says so (DIST-016). Without the fence it went on copying
// items the other worker had already copied: the destination held them twice.
import * as assert from 'node:assert/strict';
import type { ProjectStatus } from '../../../src/engine/projectStatus';
import type { PassSummary } from '../../../src/engine/summary';
import { HoldPoints } from '../../unit/helpers/holdPoints';
import { exited, ferryRun } from '../engine/maildirFixture';
import { useCluster } from './cluster';
import { assertSameSets, people, project } from './fourMailboxes';

/** Resolves once `text()` matches `pattern` (a bounded poll); rejects with the text after 60 s. */
async function logSays(text: () => string, pattern: RegExp): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!pattern.test(text())) {
    if (Date.now() > deadline) throw new Error(`the log never matched ${pattern}:\n${text()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('distributed mode: a stalled worker that lost its mailbox writes nothing more (fencing token)', function () {
  this.timeout(180_000);
  const cluster = useCluster();

  it('a worker SIGSTOPped mid-mailbox until another finished its jobs: on SIGCONT it stops at its next intent (DIST-016); destination equals source, nothing twice', async () => {
    const p = project();
    const env = cluster.environment();
    const follower = ferryRun(cluster.ferry, ['run', p.plan, '--pass', 'full', '--json'], p.dir, env);
    const holds = new HoldPoints();
    // The stalled worker: one mailbox at a time, stopped just before it records the intents of its
    // second batch (the first batch copied, the rest of the mailbox still to copy). When it wakes,
    // its next step is that intent write, before it can hear from Redis that its lease lapsed.
    // (One at a time: a second mailbox could be stopped in the middle of a destination write,
    // after its intents: a write in flight that no fence in the store can recall; DEVELOPERS.md.)
    const zombie = cluster.worker(p.dir, holds.env(['intent.before#2'], env), ['--concurrency', '1']);
    let zombieLog = '';
    zombie.stderr!.on('data', (chunk: Buffer) => (zombieLog += chunk.toString()));
    const [pid] = await holds.reached('intent.before');
    assert.equal(pid, zombie.pid);
    process.kill(pid, 'SIGSTOP');
    try {
      // Another worker takes its jobs after the lease and finishes the whole pass.
      const other = cluster.worker(p.dir, env);
      let otherLog = '';
      other.stderr!.on('data', (chunk: Buffer) => (otherLog += chunk.toString()));
      const run = await follower;
      assert.equal(run.status, 0, `${run.stderr}\n${run.stdout}\n${otherLog}`);
      const summary = JSON.parse(run.stdout) as PassSummary;
      assert.equal(summary.status, 'completed');
      assert.deepEqual(summary.items.map((i) => i.status).sort(), people.map(() => 'Completed'));
      assert.match(otherLog, /its lease lapsed/, 'the other worker took a job of the stalled one');
      other.kill('SIGTERM');
      await exited(other);
    } finally {
      // The stalled worker wakes up, its hold let go at once: it goes on where it stood.
      holds.release('intent.before', pid);
      process.kill(pid, 'SIGCONT');
    }
    await logSays(() => zombieLog, /DIST-016/);
    assert.match(zombieLog, /lost the mailbox to another worker/);
    zombie.kill('SIGTERM');
    await exited(zombie);
    assertSameSets(p.dir);
    const status = JSON.parse((await ferryRun(cluster.ferry, ['status', p.plan, '--json'], p.dir, env)).stdout) as { projects: ProjectStatus[] };
    assert.deepEqual(status.projects[0].batches[0].items.map((i) => i.status).sort(), people.map(() => 'Completed'));
    assert.equal(status.projects[0].passes[0].status, 'completed');
  });
});
