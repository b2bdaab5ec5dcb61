// ferry complete, ferry delete and ferry schedule, and a plan whose completeAfter has passed: it
// runs (the deadline is due, not an error); complete and delete ask first like the VS Code
// commands, refuse without --yes where no one can answer (CLI-001), delete only in a final state (409).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { main } from '../../../src/cli/main';
import type { CliIo } from '../../../src/cli/io';
import { Store } from '../../../src/store/store';
import { maildirProject } from '../runner/runnerFixture';

function capture(cwd: string, answer?: string): CliIo & { stdout: string[]; stderr: string[]; asked: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const asked: string[] = [];
  return { cwd, env: {}, stdout, stderr, asked, out: (l) => stdout.push(l), err: (l) => stderr.push(l), ...(answer !== undefined ? { ask: async (q: string) => (asked.push(q), answer) } : {}) };
}

/** A project whose batch Main has a completeAfter already past. */
function pastCutover(): { dir: string; plan: string } {
  const p = maildirProject(3);
  fs.writeFileSync(p.plan, fs.readFileSync(p.plan, 'utf8').replace('  - name: Main\n', '  - name: Main\n    completeAfter: 2020-01-01T00:00:00Z\n'));
  return p;
}

function batchStatus(dir: string): string | undefined {
  const store = Store.open(path.join(dir, '.ferry'), { quick: true });
  try {
    return store.batches.getBatch(store.batches.listProjects()[0].id, 'Main')?.status;
  } finally {
    store.close();
  }
}

describe('ferry complete, delete and schedule', function () {
  this.timeout(20_000);

  it('a completeAfter already past does not stop the project: the pass runs, validate says it is due (PLAN-051)', async () => {
    const p = pastCutover();
    const io = capture(p.dir);
    assert.equal(await main(['run', 'p.migration.yaml', '--pass', 'full'], io), 0, io.stderr.join('\n'));
    const v = capture(p.dir);
    assert.equal(await main(['validate', 'p.migration.yaml'], v), 0);
    assert.match(v.stdout.join('\n'), /information PLAN-051 Batch 'Main': completeAfter \(2020-01-01T00:00:00Z\) has passed/);
  });

  it('complete asks first; without a terminal it refuses (CLI-001) unless --yes; answered yes it completes', async () => {
    const p = pastCutover();
    assert.equal(await main(['run', 'p.migration.yaml', '--pass', 'full'], capture(p.dir)), 0);
    const script = capture(p.dir);
    assert.equal(await main(['complete', 'p.migration.yaml', 'Main'], script), 1);
    assert.match(script.stderr.join('\n'), /CLI-001 Completing batch Main needs a confirmation .* add --yes/);
    assert.equal(batchStatus(p.dir), 'Synced');
    const no = capture(p.dir, 'n');
    assert.equal(await main(['complete', 'p.migration.yaml', 'Main'], no), 1);
    assert.match(no.asked[0], /Complete batch Main\?/);
    assert.equal(batchStatus(p.dir), 'Synced');
    const yes = capture(p.dir, 'y');
    assert.equal(await main(['complete', 'p.migration.yaml', 'Main'], yes), 0, yes.stderr.join('\n'));
    assert.match(yes.stdout.join('\n'), /Batch Main: Completed\./);
    assert.equal(batchStatus(p.dir), 'Completed');
  });

  it('complete is refused before completeAfter (ENG-032) and for a batch that is not Synced (ENG-040)', async () => {
    const p = maildirProject(2);
    const early = capture(p.dir);
    assert.equal(await main(['complete', 'p.migration.yaml', 'Main', '--yes'], early), 1);
    assert.match(early.stderr.join('\n'), /ENG-040 Cannot complete batch Main while it is Created/);
    fs.writeFileSync(p.plan, fs.readFileSync(p.plan, 'utf8').replace('  - name: Main\n', '  - name: Main\n    completeAfter: 2999-01-01T00:00:00Z\n'));
    assert.equal(await main(['run', 'p.migration.yaml', '--pass', 'full'], capture(p.dir)), 0);
    const io = capture(p.dir);
    assert.equal(await main(['complete', 'p.migration.yaml', '--batch', 'Main', '--yes'], io), 1);
    assert.match(io.stderr.join('\n'), /ENG-032 Batch Main cannot be completed before 2999-01-01T00:00:00.000Z/);
  });

  it('delete: 409 while the batch is in flight, whatever the answer; asks first in a final state; --yes deletes', async () => {
    const p = maildirProject(2);
    assert.equal(await main(['run', 'p.migration.yaml', '--pass', 'full'], capture(p.dir)), 0);
    const store = Store.open(path.join(p.dir, '.ferry'));
    const row = store.batches.getBatch(store.batches.listProjects()[0].id, 'Main')!;
    store.batches.setBatchStatus(row.id, 'Syncing');
    store.close();
    const busy = capture(p.dir, 'y');
    assert.equal(await main(['delete', 'p.migration.yaml', 'Main', '--yes'], busy), 1);
    assert.match(busy.stderr.join('\n'), /resourceTypeMismatch \(HTTP 409\).*It is Syncing\./);
    assert.deepEqual(busy.asked, []);

    const again = Store.open(path.join(p.dir, '.ferry'));
    again.batches.setBatchStatus(row.id, 'Synced');
    again.close();
    const script = capture(p.dir);
    assert.equal(await main(['delete', 'p.migration.yaml', 'Main'], script), 1);
    assert.match(script.stderr.join('\n'), /CLI-001 Deleting the state of batch Main needs a confirmation/);
    assert.equal(batchStatus(p.dir), 'Synced');
    const io = capture(p.dir);
    assert.equal(await main(['delete', 'p.migration.yaml', 'Main', '--yes'], io), 0);
    assert.deepEqual(io.stdout, ['Deleted the run state of batch Main.']);
    assert.equal(batchStatus(p.dir), undefined);
    const none = capture(p.dir);
    assert.equal(await main(['delete', 'p.migration.yaml', 'Main', '--yes'], none), 0);
    assert.deepEqual(none.stdout, ['Batch Main has no run state to delete.']);
    assert.equal(await main(['delete', 'p.migration.yaml', 'Nope', '--yes'], capture(p.dir)), 2);
  });

  it('schedule pause, now and skip are kept in the store and shown by status', async () => {
    const p = maildirProject(2, 'options:\n  syncInterval: 1h\n');
    assert.equal(await main(['run', 'p.migration.yaml', '--pass', 'full'], capture(p.dir)), 0);
    const status = async () => {
      const io = capture(p.dir);
      assert.equal(await main(['status', 'p.migration.yaml', '--json'], io), 0);
      return (JSON.parse(io.stdout.join('\n')) as { projects: { schedule: { batch: string; action: string; dueAt: string; state: string }[] }[] }).projects[0].schedule;
    };
    const [sync] = await status();
    assert.deepEqual([sync.batch, sync.action, sync.state], ['Main', 'sync', 'scheduled']);
    assert.equal(await main(['schedule', 'p.migration.yaml', 'pause', 'Main'], capture(p.dir)), 0);
    assert.equal((await status())[0].state, 'paused');
    assert.equal(await main(['schedule', 'p.migration.yaml', 'resume', 'Main'], capture(p.dir)), 0);
    const skip = capture(p.dir);
    assert.equal(await main(['schedule', 'p.migration.yaml', 'skip', 'Main'], skip), 0);
    assert.match(skip.stdout[0], new RegExp(`Skipped the sync of batch Main due ${sync.dueAt.replace(/[.]/g, '\\.')}`));
    assert.equal((await status())[0].dueAt, new Date(new Date(sync.dueAt).getTime() + 3_600_000).toISOString());
    assert.equal(await main(['schedule', 'p.migration.yaml', 'now', 'Main'], capture(p.dir)), 0);
    assert.equal((await status())[0].state, 'due');
    assert.equal(await main(['schedule', 'p.migration.yaml', 'hurry', 'Main'], capture(p.dir)), 2);
  });
});
