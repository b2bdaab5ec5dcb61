// Two `ferry run` for one state folder, held at each window of taking the runner lock (hold points,
// src/store/holdPoint.ts): at most one runs the pass, the other is refused with a code, and the
// destination ends with every source message exactly once. A lock naming a live process that is
// not Ferry (pid reuse after a crash) neither blocks a run nor gets signalled by `ferry stop`.
import * as assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isAlive } from '../../../src/store/processIdentity';
import { HoldPoints } from '../../unit/helpers/holdPoints';
import { addMessages, ensureBuilt, exited, messageHashes, planYaml } from './maildirFixture';

type Result = { status: number | null; stdout: string; stderr: string };

function project(): { dir: string; plan: string; state: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-race-'));
  addMessages(path.join(dir, 'source'), 'ann@contoso.example', ['INBOX'], 120);
  addMessages(path.join(dir, 'source'), 'bob@contoso.example', ['INBOX'], 80);
  const plan = path.join(dir, 'p.migration.yaml');
  fs.writeFileSync(plan, planYaml(['ann', 'bob']));
  return { dir, plan, state: path.join(dir, '.ferry') };
}

function assertExactlyOnce(dir: string): void {
  for (const who of ['ann', 'bob']) {
    assert.deepEqual(messageHashes(path.join(dir, 'destination', `${who}@fabrikam.example`)), messageHashes(path.join(dir, 'source', `${who}@contoso.example`)), `${who}: every message exactly once`);
  }
}

describe('runner lock: two ferry run at once', function () {
  this.timeout(120_000);
  let ferry: string;
  const children: ChildProcess[] = [];
  before(() => {
    ferry = path.join(ensureBuilt(), 'bin', 'ferry.js');
  });
  afterEach(() => {
    for (const c of children.splice(0)) c.kill('SIGKILL');
  });

  function run(p: { dir: string; plan: string }, env: NodeJS.ProcessEnv = process.env): { child: ChildProcess; done: Promise<Result> } {
    const child = spawn(process.execPath, [ferry, 'run', p.plan, '--pass', 'full'], { cwd: p.dir, env });
    children.push(child);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    return { child, done: new Promise((resolve) => child.on('close', (status) => resolve({ status, stdout, stderr }))) };
  }

  const ferrySync = (p: { dir: string; plan: string }, args: string[]) => spawnSync(process.execPath, [ferry, ...args, p.plan], { cwd: p.dir, encoding: 'utf8' });

  function sleeper(): ChildProcess {
    const sleep = spawn('sleep', ['300'], { stdio: 'ignore' });
    children.push(sleep);
    return sleep;
  }

  /** A lock left by a runner that died: its identity names `pid`, its lock file is there, unheld. */
  function staleLock(state: string, pid: number): void {
    fs.mkdirSync(state, { recursive: true });
    fs.writeFileSync(path.join(state, 'runner.lockdb'), '');
    fs.writeFileSync(path.join(state, 'runner.lock'), JSON.stringify({ pid, startedAt: '2026-01-01T00:00:00.000Z', owner: 'cli', processStart: 'linux:1' }));
  }

  it('two starts at the same instant over a stale lock: one runs, the other is refused, nothing twice', async () => {
    const p = project();
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    staleLock(p.state, Number(dead.stdout));
    const holds = new HoldPoints();
    // The winner is held once it owns the lock, so the loser meets it there (not after its pass).
    const runs = [0, 1].map(() => run(p, holds.env(['lock.beforeTake', 'lock.afterIdentity'])));
    await holds.reached('lock.beforeTake', 2);
    holds.release('lock.beforeTake');
    const loser = await Promise.race(runs.map((r) => r.done));
    assert.equal((await holds.reached('lock.afterIdentity')).length, 1, 'one run owns the lock');
    assert.equal(loser.status, 1, loser.stderr);
    holds.release('lock.afterIdentity');
    const results = await Promise.all(runs.map((r) => r.done));
    const statuses = results.map((r) => r.status).sort();
    assert.deepEqual(statuses, [0, 1], results.map((r) => r.stderr).join('\n'));
    assert.match(results.find((r) => r.status === 1)!.stderr, /ENG-07[01]/);
    assertExactlyOnce(p.dir);
  });

  it('a pause between taking the lock and using it: the second run is refused (ENG-070) and the first completes', async () => {
    const p = project();
    const holds = new HoldPoints();
    const first = run(p, holds.env(['lock.afterIdentity']));
    const [pid] = await holds.reached('lock.afterIdentity');
    const second = await run(p).done;
    assert.equal(second.status, 1, second.stderr);
    assert.match(second.stderr, new RegExp(`ENG-070 Another Ferry runner \\(pid ${pid},`));
    holds.release('lock.afterIdentity');
    assert.equal((await first.done).status, 0);
    assertExactlyOnce(p.dir);
  });

  it('the lock taken but its holder not yet written, over a lock naming a live sleep: run refused, stop signals nothing', async () => {
    const p = project();
    const sleep = sleeper();
    staleLock(p.state, sleep.pid!);
    const holds = new HoldPoints();
    const first = run(p, holds.env(['lock.afterTake']));
    await holds.reached('lock.afterTake');
    const second = await run(p).done;
    assert.equal(second.status, 1, second.stderr);
    assert.match(second.stderr, /ENG-071/);
    const stop = ferrySync(p, ['stop']);
    assert.equal(stop.status, 1, stop.stdout);
    assert.match(stop.stderr, new RegExp(`ENG-071 .*pid ${sleep.pid} claimed.*nothing was signalled`));
    assert.ok(isAlive(sleep.pid!), 'the sleep was not signalled');
    holds.release('lock.afterTake');
    assert.equal((await first.done).status, 0);
    assertExactlyOnce(p.dir);
    assert.ok(isAlive(sleep.pid!), 'the sleep still runs');
  });

  it('a lock naming a live process that is not Ferry: stop signals nothing, run proceeds', async () => {
    const p = project();
    const sleep = sleeper();
    staleLock(p.state, sleep.pid!);
    const stop = ferrySync(p, ['stop']);
    assert.equal(stop.status, 0, stop.stderr);
    assert.match(stop.stdout, /nothing to stop/);
    assert.ok(isAlive(sleep.pid!), 'the sleep was not signalled');
    const status = ferrySync(p, ['status']);
    assert.match(status.stdout, /Runner: none/);
    const result = await run(p).done;
    assert.equal(result.status, 0, result.stderr);
    assertExactlyOnce(p.dir);
    assert.ok(isAlive(sleep.pid!), 'the sleep still runs');
    sleep.kill('SIGKILL');
    await exited(sleep);
  });
});
