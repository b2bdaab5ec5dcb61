import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { acquireLock, LockHeldError, lockFileName, readLock } from '../../../src/store/lock';
import { stateDirFor } from '../../../src/store/location';
import { tempDir } from '../helpers/repoRoot';

describe('store: runner lock', () => {
  it('is taken, read and released by its owner', () => {
    const dir = tempDir('lock');
    const release = acquireLock(dir, 'cli');
    assert.equal(readLock(dir)?.pid, process.pid);
    release();
    assert.equal(fs.existsSync(path.join(dir, lockFileName)), false);
  });

  it('refuses a second runner while the owner lives', () => {
    const dir = tempDir('lock');
    fs.writeFileSync(path.join(dir, lockFileName), JSON.stringify({ pid: process.ppid, startedAt: 'then', owner: 'runner' }));
    assert.throws(() => acquireLock(dir, 'cli'), (err: unknown) => err instanceof LockHeldError && err.holder.pid === process.ppid);
  });

  it('takes over a stale lock whose process is gone', () => {
    const dir = tempDir('lock');
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    fs.writeFileSync(path.join(dir, lockFileName), JSON.stringify({ pid: Number(dead.stdout), startedAt: 'then', owner: 'runner' }));
    assert.equal(readLock(dir), undefined);
    const release = acquireLock(dir, 'cli');
    assert.equal(readLock(dir)?.pid, process.pid);
    release();
  });

  it('puts state beside the plan unless told otherwise', () => {
    assert.equal(stateDirFor('plans/a.migration.yaml', undefined, '/work'), path.join('/work/plans', '.ferry'));
    assert.equal(stateDirFor('plans/a.migration.yaml', 'state', '/work'), path.join('/work', 'state'));
  });
});
