import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RunnerClient } from '../../../src/runner/client';
import type { PassSummary } from '../../../src/engine/summary';
import { addMessages, ensureBuilt, messageHashes, planYaml, watermarkCount } from './maildirFixture';

function watermarks(stateDir: string): number {
  return watermarkCount(path.join(stateDir, 'state.db'));
}

async function until(what: string, check: () => boolean, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
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
    const child = spawn(process.execPath, [ferry, 'run', p.plan, '--pass', 'full'], { cwd: p.dir, stdio: 'ignore' });
    await until('300 items copied', () => watermarks(p.state) >= 300);
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
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
    const first = await RunnerClient.fork(p.state, { runnerModule: path.join(root, 'dist', 'runner.js') });
    await first.request({ type: 'subscribe' });
    let progress = 0;
    first.onEvent((e) => {
      if (e.type === 'progress') progress++;
    });
    const running = first.request({ type: 'start', planFile: p.plan, pass: 'full' }).catch(() => undefined);
    await until('400 items copied', () => watermarks(p.state) >= 400);
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
    const child = spawn(process.execPath, [ferry, 'run', p.plan, '--pass', 'full', '--json'], { cwd: p.dir, stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    await until('200 items copied', () => watermarks(p.state) >= 200);
    const stop = spawnSync(process.execPath, [ferry, 'stop', p.plan], { cwd: p.dir, encoding: 'utf8' });
    assert.equal(stop.status, 0, stop.stderr);
    const code = await new Promise((r) => child.once('exit', r));
    assert.equal(code, 1);
    const stopped = JSON.parse(out) as PassSummary;
    assert.equal(stopped.status, 'stopped');
    assert.ok(stopped.items.every((i) => i.status === 'Stopped'));
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
