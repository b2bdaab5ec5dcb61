// A command that runs passes starts again, in the same process, with the native memory settings of
// a pass (bin/passProcess.js): glibc's arenas capped, one V8 worker thread. Other commands start
// once, as they are; an operator's own setting wins. Each case in a child process (execve replaces it).
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { repoRoot } from '../helpers/repoRoot';

const passProcess = path.join(repoRoot(), 'bin', 'passProcess.js');

interface Started {
  pid: number;
  tunables?: string;
  execArgv: string[];
}

/** Each image of a child that calls restartForPasses(command) says who it is (a line each); the images, in order. */
function images(command: string, env: Record<string, string | undefined> = {}, nodeArgs: string[] = []): Started[] {
  const script = `process.stdout.write(JSON.stringify({ pid: process.pid, tunables: process.env.GLIBC_TUNABLES, execArgv: process.execArgv.filter((a) => a.startsWith('--')) }) + '\\n');
require(${JSON.stringify(passProcess)}).restartForPasses(${JSON.stringify(command)});`;
  const childEnv: Record<string, string | undefined> = { ...process.env, ...env };
  delete childEnv.NODE_OPTIONS;
  const r = spawnSync(process.execPath, [...nodeArgs, '-e', script], { encoding: 'utf8', env: childEnv });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Started);
}

describe('pass processes start with their native memory settings (bin/passProcess.js)', function () {
  this.timeout(60_000);
  before(function () {
    if (process.platform !== 'linux') this.skip();
  });

  for (const command of ['run', 'serve', 'worker']) {
    it(`ferry ${command} starts again in the same process with glibc's arenas capped and one V8 worker`, () => {
      const [first, second, ...more] = images(command, { GLIBC_TUNABLES: undefined });
      assert.equal(more.length, 0, 'started again once');
      assert.equal(second.pid, first.pid, 'the same process (the runner lock names it)');
      assert.equal(second.tunables, 'glibc.malloc.arena_max=2');
      assert.ok(second.execArgv.includes('--v8-pool-size=1'), second.execArgv.join(' '));
    });
  }

  it('other commands start once, as they are', () => {
    for (const command of ['validate', 'status', 'plan', '']) assert.equal(images(command).length, 1, command);
  });

  it("keeps the operator's other glibc tunables, and leaves an operator's own arena or pool setting alone", () => {
    const [, kept] = images('run', { GLIBC_TUNABLES: 'glibc.malloc.tcache_count=0' });
    assert.equal(kept.tunables, 'glibc.malloc.tcache_count=0:glibc.malloc.arena_max=2');
    assert.equal(images('run', { GLIBC_TUNABLES: 'glibc.malloc.arena_max=8' }).length, 1);
    assert.equal(images('run', {}, ['--v8-pool-size=2']).length, 1);
  });
});
