// `ferry` started as a program gets the native memory settings of a pass from its first line
// (glibc's arenas capped, one V8 worker thread), at no cost. A command that runs passes started
// otherwise (`node bin/ferry.js run`) starts again, in the same process, with them
// (bin/passProcess.js). Other commands start once, as they are; an operator's own setting wins.
// Each case in a child process (execve replaces it).
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot, tempDir } from '../helpers/repoRoot';

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

/** Runs bin/ferry.js as a program (its `#!` line), with a probe that records each image of the process; the images. */
function programImages(args: string[], env: Record<string, string | undefined> = {}): Started[] {
  const dir = tempDir('ferry-program');
  const out = path.join(dir, 'images.jsonl');
  const probe = path.join(dir, 'probe.js');
  fs.writeFileSync(probe, `require('node:fs').appendFileSync(${JSON.stringify(out)}, JSON.stringify({ pid: process.pid, tunables: process.env.GLIBC_TUNABLES, execArgv: process.execArgv.filter((a) => a.startsWith('--')) }) + '\\n');\n`);
  // `node` on PATH is the Node running the tests (the project's Node 22), as npm scripts and npx put it.
  const childEnv: Record<string, string | undefined> = { ...process.env, PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ''}`, NODE_OPTIONS: `--require ${probe}`, ...env };
  const r = spawnSync(path.join(repoRoot(), 'bin', 'ferry.js'), args, { encoding: 'utf8', env: childEnv, cwd: dir });
  assert.equal(r.error, undefined);
  return fs.readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Started);
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

  it('`ferry` run as a program has the settings from its first line: `ferry run` is not started again', () => {
    const [only, ...more] = programImages(['run', 'missing.migration.yaml'], { GLIBC_TUNABLES: undefined });
    assert.equal(more.length, 0, 'started once');
    assert.match(only.tunables ?? '', /^glibc\.malloc\.arena_max=2:?$/);
    assert.ok(only.execArgv.includes('--v8-pool-size=1'), only.execArgv.join(' '));
    // An operator's own tunables come after (glibc takes the last value of a tunable).
    const [theirs, ...again] = programImages(['run', 'missing.migration.yaml'], { GLIBC_TUNABLES: 'glibc.malloc.arena_max=8' });
    assert.equal(again.length, 0);
    assert.equal(theirs.tunables, 'glibc.malloc.arena_max=2:glibc.malloc.arena_max=8');
  });
});
