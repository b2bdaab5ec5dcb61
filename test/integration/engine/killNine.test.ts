import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RunnerClient } from '../../../src/runner/client';
import type { PassSummary } from '../../../src/engine/summary';
import { HoldPoints } from '../../unit/helpers/holdPoints';
import { addMessages, ensureBuilt, exited, ferryRun, killAtHold, messageHashes, planYaml, watermarkCount } from './maildirFixture';

// Each test holds the pass at a known item (the hold point `source.read#N`: the N-th read of a
// source item and every read after it wait) before it kills or stops it; nothing races the copy.

function watermarks(stateDir: string): number {
  return watermarkCount(path.join(stateDir, 'state.db'));
}

/** Resolves when `text` has appeared in what a stream wrote. */
function seen(stream: NodeJS.ReadableStream, text: string): Promise<void> {
  return new Promise((resolve) => {
    let all = '';
    const on = (d: Buffer) => {
      all += d.toString();
      if (all.includes(text)) {
        stream.off('data', on);
        resolve();
      }
    };
    stream.on('data', on);
  });
}

function project(): { dir: string; plan: string; state: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-kill-'));
  const src = path.join(dir, 'source');
  addMessages(src, 'ann@contoso.example', ['INBOX'], 900, 2000);
  addMessages(src, 'ann@contoso.example', ['Archive', '2024'], 300, 2000);
  addMessages(src, 'bob@contoso.example', ['INBOX'], 800, 2000);
  const plan = path.join(dir, 'p.migration.yaml');
  fs.writeFileSync(plan, planYaml(['ann', 'bob']));
  return { dir, plan, state: path.join(dir, '.ferry') };
}

function assertSameSets(dir: string): void {
  for (const who of ['ann', 'bob']) {
    const source = messageHashes(path.join(dir, 'source', `${who}@contoso.example`));
    const destination = messageHashes(path.join(dir, 'destination', `${who}@fabrikam.example`));
    assert.equal(destination.length, source.length, `${who}: count`);
    assert.deepEqual(destination, source, `${who}: fingerprints`);
  }
}

describe('kill -9 mid-pass, then a rerun', function () {
  this.timeout(120_000);
  let root: string;
  before(() => {
    root = ensureBuilt();
  });

  it('ferry run killed with SIGKILL: the rerun leaves exactly the source set in the destination', async () => {
    const p = project();
    const ferry = path.join(root, 'bin', 'ferry.js');
    await killAtHold(ferry, ['run', p.plan, '--pass', 'full'], p.dir, process.env, 'source.read#300');
    const copiedBefore = watermarks(p.state);
    assert.ok(copiedBefore < 2000, `killed mid-pass (${copiedBefore} copied)`);

    const rerun = spawnSync(process.execPath, [ferry, 'run', p.plan, '--pass', 'full', '--json'], { cwd: p.dir, encoding: 'utf8' });
    assert.equal(rerun.status, 0, rerun.stderr);
    const summary = JSON.parse(rerun.stdout) as PassSummary;
    assert.match(rerun.stderr, /ENG-060/);
    assert.ok(summary.totals.copied <= 2000 - copiedBefore + 1, `rerun copied ${summary.totals.copied}`);
    assertSameSets(p.dir);
  });

  it('the forked runner killed with SIGKILL: the next runner marks the pass interrupted and resumes', async () => {
    const p = project();
    const holds = new HoldPoints();
    const first = await RunnerClient.fork(p.state, { runnerModule: path.join(root, 'dist', 'runner.js'), env: holds.env(['source.read#400']) });
    await first.request({ type: 'subscribe' });
    let progress = 0;
    first.onEvent((e) => {
      if (e.type === 'progress') progress++;
    });
    const running = first.request({ type: 'start', planFile: p.plan, pass: 'full' }).catch(() => undefined);
    await holds.reached('source.read');
    first.child.kill('SIGKILL');
    await running;
    assert.ok(progress > 0, 'events arrived over IPC');

    const second = await RunnerClient.fork(p.state, { runnerModule: path.join(root, 'dist', 'runner.js') });
    const status = await second.request<{ projects: { passes: { status: string }[] }[] }>({ type: 'status' });
    assert.equal(status.projects[0].passes[0].status, 'interrupted');
    const summary = await second.request<PassSummary>({ type: 'start', planFile: p.plan, pass: 'full' });
    assert.equal(summary.status, 'completed');
    await second.shutdown();
    assertSameSets(p.dir);
    assert.equal(fs.existsSync(path.join(p.state, 'runner.lock')), false, 'the lock is released on shutdown');
  });

  it('ferry stop ends a running ferry run cleanly (exit 1, Stopped); the next run completes', async () => {
    const p = project();
    const ferry = path.join(root, 'bin', 'ferry.js');
    const holds = new HoldPoints();
    const child = spawn(process.execPath, [ferry, 'run', p.plan, '--pass', 'full', '--json'], { cwd: p.dir, stdio: ['ignore', 'pipe', 'pipe'], env: holds.env(['source.read#200']) });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    const asked = seen(child.stderr!, 'stopping cleanly');
    await holds.reached('source.read');
    const stopping = ferryRun(ferry, ['stop', p.plan], p.dir, process.env);
    // The run has taken the stop request (its SIGTERM handler ran) before the held reads go on.
    await asked;
    holds.release('source.read');
    const stop = await stopping;
    assert.equal(stop.status, 0, stop.stderr);
    assert.match(stop.stdout, /^Stopped \(pid \d+\)/);
    await exited(child);
    assert.equal(child.exitCode, 1);
    const stopped = JSON.parse(out) as PassSummary;
    assert.equal(stopped.status, 'stopped');
    assert.ok(stopped.items.every((i) => i.status === 'Stopped'));
    assert.ok(watermarks(p.state) < 2000, 'stopped mid-pass');
    const rerun = spawnSync(process.execPath, [ferry, 'run', p.plan, '--pass', 'full'], { cwd: p.dir, encoding: 'utf8' });
    assert.equal(rerun.status, 0, rerun.stderr);
    assertSameSets(p.dir);
  });

  it('a second runner for the same state folder is refused while the first lives', async () => {
    const p = project();
    const first = await RunnerClient.fork(p.state, { runnerModule: path.join(root, 'dist', 'runner.js') });
    await assert.rejects(RunnerClient.fork(p.state, { runnerModule: path.join(root, 'dist', 'runner.js') }), (e: Error & { failure?: { code?: string } }) => e.failure?.code === 'ENG-070');
    await first.shutdown();
  });
});
