// Two machines, two checkouts of the same plan at different paths, one shared state: the project is
// the plan's identity (its name), not the path it was enqueued from. Both copies exist here (one
// machine playing two), the stricter case: the embedded store's rule would keep them apart. A worker
// given its own copy (`ferry worker --project`) resolves the plan's relative paths beside that copy,
// so it works where the enqueuing machine's path leads nowhere.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { PassSummary } from '../../../src/engine/summary';
import type { ProjectStatus } from '../../../src/engine/projectStatus';
import { tempDir } from '../../unit/helpers/repoRoot';
import { addMessages, exited, ferryRun, messageHashes, planYaml } from '../engine/maildirFixture';
import { useCluster } from './cluster';

const people = ['ann', 'bob'];

describe('distributed mode: two checkouts of a plan at different paths share its project', function () {
  this.timeout(180_000);
  const cluster = useCluster();

  it('a pass enqueued from one checkout is taken by a worker of the other, whose status and next pass continue the same project', async () => {
    const root = tempDir('dist-checkouts');
    const data = path.join(root, 'endpoints');
    for (const who of people) addMessages(path.join(data, 'source'), `${who}@contoso.example`, ['INBOX'], 40, 800);
    fs.mkdirSync(path.join(data, 'destination'), { recursive: true });
    // Each checkout reaches the same endpoints through its own relative paths.
    const checkout = (name: string) => {
      const dir = path.join(root, name);
      fs.mkdirSync(dir);
      fs.writeFileSync(path.join(dir, 'p.migration.yaml'), planYaml(people));
      for (const side of ['source', 'destination']) fs.symlinkSync(path.join(data, side), path.join(dir, side));
      return dir;
    };
    const a = checkout('machine-a');
    const b = checkout('machine-b');
    const env = cluster.environment();
    const status = async (cwd: string) => {
      const r = await ferryRun(cluster.ferry, ['status', 'p.migration.yaml', '--json'], cwd, env);
      assert.equal(r.status, 0, r.stderr);
      return (JSON.parse(r.stdout) as { projects: ProjectStatus[] }).projects;
    };

    // Machine A: a full pass with its own worker.
    const workerA = cluster.worker(a, env);
    const full = await ferryRun(cluster.ferry, ['run', 'p.migration.yaml', '--pass', 'full', '--json'], a, env);
    assert.equal(full.status, 0, full.stderr);
    workerA.kill('SIGTERM');
    await exited(workerA);

    // New mail; machine A enqueues a delta and goes away: its relative paths lead nowhere now.
    for (const who of people) addMessages(path.join(data, 'source'), `${who}@contoso.example`, ['INBOX'], 5, 800);
    const detached = await ferryRun(cluster.ferry, ['run', 'p.migration.yaml', '--pass', 'delta', '--detach', '--json'], a, env);
    assert.equal(detached.status, 0, detached.stderr);
    for (const side of ['source', 'destination']) fs.rmSync(path.join(a, side));

    // Machine B: a worker with its own copy finds the project and takes the delta.
    cluster.worker(b, env, ['--project', 'p.migration.yaml']);
    const deadline = Date.now() + 120_000;
    let projects = await status(b);
    while (projects[0]?.passes.some((p) => p.status === 'running')) {
      assert.ok(Date.now() < deadline, `the delta did not end: ${JSON.stringify(projects[0].passes)}`);
      await new Promise((r) => setTimeout(r, 250));
      projects = await status(b);
    }
    assert.equal(projects.length, 1, 'one project for both checkouts');
    assert.deepEqual(projects[0].passes.map((p) => [p.kind, p.status]), [['delta', 'completed'], ['full', 'completed']]);
    assert.deepEqual(projects[0].batches[0].items.map((i) => i.status), people.map(() => 'Resynced'));

    // Machine B runs the next pass itself: the same project's watermarks, nothing copied twice.
    const again = await ferryRun(cluster.ferry, ['run', 'p.migration.yaml', '--pass', 'delta', '--json'], b, env);
    assert.equal(again.status, 0, again.stderr);
    const summary = JSON.parse(again.stdout) as PassSummary;
    assert.equal(summary.totals.copied, 0, JSON.stringify(summary.totals));
    for (const who of people) {
      const source = messageHashes(path.join(data, 'source', `${who}@contoso.example`));
      assert.equal(source.length, 45);
      assert.deepEqual(messageHashes(path.join(data, 'destination', `${who}@fabrikam.example`)), source, `${who}: the same items, none twice`);
    }
    assert.equal((await status(a)).length, 1, 'machine A sees the same one project');
  });
});
