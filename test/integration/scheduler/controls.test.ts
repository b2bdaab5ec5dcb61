// The operator's hand on a running scheduler: `ferry schedule ... now` (what the tree's Run Now
// runs) is picked up at the scheduler's next look and answered by one run, once; the state folder
// is the only channel between them.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { main } from '../../../src/cli/main';
import { registryConnectors } from '../../../src/runner/connectors';
import { RunnerService } from '../../../src/runner/runnerService';
import { Scheduler } from '../../../src/scheduler/scheduler';
import { maildirProject } from '../../unit/runner/runnerFixture';

const quiet = (cwd: string) => ({ cwd, env: {}, out: () => undefined, err: () => undefined });

describe('ferry serve and the operator', function () {
  this.timeout(60_000);

  it('run now: the next sync of a Synced batch runs at the next look, once, and the request is answered', async () => {
    const p = maildirProject(3, 'options:\n  syncInterval: 1h\n');
    assert.equal(await main(['run', 'p.migration.yaml', '--pass', 'full'], quiet(p.dir)), 0);
    const service = new RunnerService(path.join(p.dir, '.ferry'), { connectors: registryConnectors, env: {}, owner: 'test' });
    service.open();
    const store = service.openStore();
    const batchId = store.batches.getBatch(store.batches.listProjects()[0].id, 'Main')!.id;
    const controller = new AbortController();
    const log: string[] = [];
    const running = new Scheduler({ planFile: p.plan, service, log: (l) => log.push(l), lookMs: 100 }).run(controller.signal);
    try {
      assert.equal(await main(['schedule', 'p.migration.yaml', 'now', 'Main'], quiet(p.dir)), 0);
      const deadline = Date.now() + 30_000;
      while (!store.schedules.runs(batchId, 'sync').some((r) => r.state === 'done')) {
        assert.ok(Date.now() < deadline, `no sync ran:\n${log.join('\n')}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    } finally {
      controller.abort();
      await running;
    }
    const runs = store.schedules.runs(batchId, 'sync');
    assert.deepEqual(runs.map((r) => [r.state, r.note]), [['done', 'requested']]);
    assert.equal(store.schedules.control(batchId).runNowAt, undefined, 'the request is answered');
    assert.equal(store.passes.lastPasses(store.batches.listProjects()[0].id, 1)[0].kind, 'delta');
    service.close();
  });
});
