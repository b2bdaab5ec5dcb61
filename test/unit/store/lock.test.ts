import * as assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { acquireLock, LockHeldError, lockFileName, probeLock, readLock } from '../../../src/store/lock';
import { isAlive, processStartTime } from '../../../src/store/processIdentity';
import { stateDirFor } from '../../../src/store/location';
import { HoldPoints } from '../helpers/holdPoints';
import { tempDir } from '../helpers/repoRoot';

const holderScript = path.join(__dirname, 'lockHolder.js');

/** A child that takes the lock of `dir`; resolves with its first line ("held <pid>" / "refused <pid>"). */
function holder(dir: string, env: NodeJS.ProcessEnv = process.env): { child: ChildProcess; line: Promise<string> } {
  const child = spawn(process.execPath, [holderScript, dir], { env, stdio: ['pipe', 'pipe', 'inherit'] });
  const line = new Promise<string>((resolve) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) resolve(out.trim());
    });
    child.once('exit', () => resolve(out.trim()));
  });
  return { child, line };
}

const exited = (child: ChildProcess) => new Promise<void>((r) => (child.exitCode !== null || child.signalCode !== null ? r() : child.once('exit', () => r())));

/** A live process that is not Ferry (a crashed runner's pid, reused). */
function sleeper(): ChildProcess {
  return spawn('sleep', ['300'], { stdio: 'ignore' });
}

describe('store: runner lock', () => {
  const children: ChildProcess[] = [];
  afterEach(() => {
    for (const c of children.splice(0)) c.kill('SIGKILL');
  });

  it('is taken, read and released by its owner', () => {
    const dir = tempDir('lock');
    const release = acquireLock(dir, 'cli');
    assert.equal(readLock(dir)?.pid, process.pid);
    assert.equal(readLock(dir)?.processStart, processStartTime(process.pid));
    assert.throws(() => acquireLock(dir, 'cli'), LockHeldError, 'a second take in the same process');
    release();
    assert.equal(fs.existsSync(path.join(dir, lockFileName)), false);
    assert.equal(probeLock(dir).held, false);
  });

  it('refuses a second runner while the holder lives; its kill -9 frees the lock with nothing to clean', async () => {
    const dir = tempDir('lock');
    const first = holder(dir);
    children.push(first.child);
    assert.equal(await first.line, `held ${first.child.pid}`);
    assert.throws(() => acquireLock(dir, 'cli'), (err: unknown) => err instanceof LockHeldError && err.holder?.pid === first.child.pid);
    first.child.kill('SIGKILL');
    await exited(first.child);
    assert.ok(fs.existsSync(path.join(dir, lockFileName)), 'the dead runner left its identity file behind');
    assert.equal(readLock(dir), undefined);
    const release = acquireLock(dir, 'cli');
    assert.equal(readLock(dir)?.pid, process.pid);
    release();
  });

  it('a lock file naming a live process that is not Ferry is stale: taken over, the process untouched', async () => {
    const dir = tempDir('lock');
    const sleep = sleeper();
    children.push(sleep);
    fs.writeFileSync(path.join(dir, lockFileName), JSON.stringify({ pid: sleep.pid, startedAt: 'then', owner: 'runner' }));
    assert.equal(readLock(dir), undefined);
    const release = acquireLock(dir, 'cli');
    assert.equal(readLock(dir)?.pid, process.pid);
    release();
    assert.ok(isAlive(sleep.pid!), 'the sleep still runs');
  });

  it('between taking the lock and writing who holds it, the holder is held but unproven, never the stale pid', async () => {
    const dir = tempDir('lock');
    const sleep = sleeper();
    children.push(sleep);
    fs.writeFileSync(path.join(dir, lockFileName), JSON.stringify({ pid: sleep.pid, startedAt: 'then', owner: 'runner', processStart: 'linux:1' }));
    const holds = new HoldPoints();
    const first = holder(dir, holds.env(['lock.afterTake']));
    children.push(first.child);
    const [pid] = await holds.reached('lock.afterTake');
    assert.equal(pid, first.child.pid);
    const state = probeLock(dir);
    assert.equal(state.held, true);
    assert.equal(state.holder, undefined);
    assert.equal(state.claimed?.pid, sleep.pid);
    assert.throws(() => acquireLock(dir, 'cli'), (err: unknown) => err instanceof LockHeldError && err.holder === undefined);
    holds.release('lock.afterTake');
    assert.equal(await first.line, `held ${first.child.pid}`);
    assert.equal(readLock(dir)?.pid, first.child.pid);
    first.child.stdin!.end();
    await exited(first.child);
    assert.equal(probeLock(dir).held, false);
  });

  it('two takers released at the same instant over a stale lock: exactly one wins', async () => {
    const dir = tempDir('lock');
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    fs.writeFileSync(path.join(dir, lockFileName), JSON.stringify({ pid: Number(dead.stdout), startedAt: 'then', owner: 'runner' }));
    const holds = new HoldPoints();
    const takers = [holder(dir, holds.env(['lock.beforeTake'])), holder(dir, holds.env(['lock.beforeTake']))];
    children.push(...takers.map((t) => t.child));
    await holds.reached('lock.beforeTake', 2);
    holds.release('lock.beforeTake');
    const lines = (await Promise.all(takers.map((t) => t.line))).map((l) => l.split(' ')[0]).sort();
    assert.deepEqual(lines, ['held', 'refused']);
  });

  it('puts state beside the plan unless told otherwise', () => {
    assert.equal(stateDirFor('plans/a.migration.yaml', undefined, '/work'), path.join('/work/plans', '.ferry'));
    assert.equal(stateDirFor('plans/a.migration.yaml', 'state', '/work'), path.join('/work', 'state'));
  });
});
