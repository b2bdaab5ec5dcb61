// A project is its plan, not the path it was reached by: through a symlink, after a rename or a
// move of the whole folder, a delta goes on from the watermarks (nothing looked for again); a copy
// of the plan beside the original (same name, both there) is a project of its own.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { main } from '../../../src/cli/main';
import type { CliIo } from '../../../src/cli/io';
import type { PassSummary } from '../../../src/engine/summary';
import { tempDir } from '../helpers/repoRoot';
import { maildirProject } from '../runner/runnerFixture';

function capture(cwd: string): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { cwd, env: {}, stdout, stderr, out: (l) => stdout.push(l), err: (l) => stderr.push(l) };
}

async function ferry(cwd: string, ...args: string[]): Promise<string> {
  const io = capture(cwd);
  const code = await main(args, io);
  assert.equal(code, 0, `ferry ${args.join(' ')}: ${io.stderr.join('\n')}`);
  return io.stdout.join('\n');
}

async function delta(cwd: string, plan: string): Promise<PassSummary> {
  return JSON.parse(await ferry(cwd, 'run', plan, '--pass', 'delta', '--json')) as PassSummary;
}

interface StatusJson { stateDir: string; projects: { planFile: string; passes: unknown[] }[] }
const status = async (cwd: string, plan: string) => JSON.parse(await ferry(cwd, 'status', plan, '--json')) as StatusJson;

describe('ferry: a project keeps its state whatever path reaches its plan', function () {
  this.timeout(30_000);

  it('a plan reached through a symlink in another folder uses the state beside the plan itself', async () => {
    const p = maildirProject(3);
    await ferry(p.dir, 'run', 'p.migration.yaml', '--pass', 'full');
    const elsewhere = tempDir('identity-link');
    fs.symlinkSync(p.plan, path.join(elsewhere, 'linked.yaml'));
    const seen = await status(elsewhere, 'linked.yaml');
    assert.equal(fs.realpathSync(seen.stateDir), fs.realpathSync(path.join(p.dir, '.ferry')));
    assert.equal(seen.projects.length, 1, 'the project of the plan behind the link');
    const summary = await delta(elsewhere, 'linked.yaml');
    assert.equal(summary.totals.copied, 0);
    assert.ok(!fs.existsSync(path.join(elsewhere, '.ferry')), 'no second state folder beside the link');
  });

  it('a renamed plan, and a folder moved elsewhere with its state, go on as the same project', async () => {
    const p = maildirProject(3);
    await ferry(p.dir, 'run', 'p.migration.yaml', '--pass', 'full');
    fs.renameSync(p.plan, path.join(p.dir, 'renamed.migration.yaml'));
    const renamed = await status(p.dir, 'renamed.migration.yaml');
    assert.equal(renamed.projects.length, 1);
    assert.equal(renamed.projects[0].passes.length, 1, 'the full pass run under the old name');
    assert.equal((await delta(p.dir, 'renamed.migration.yaml')).totals.copied, 0);

    const moved = path.join(tempDir('identity-move'), 'project');
    fs.cpSync(p.dir, moved, { recursive: true });
    fs.rmSync(p.dir, { recursive: true });
    const summary = await delta(moved, 'renamed.migration.yaml');
    assert.equal(summary.totals.copied, 0);
    const after = await status(moved, 'renamed.migration.yaml');
    assert.equal(after.projects.length, 1);
    assert.equal(after.projects[0].passes.length, 3, 'full, delta after the rename, delta after the move');
    assert.equal(after.projects[0].planFile, fs.realpathSync(path.join(moved, 'renamed.migration.yaml')));
  });

  it('a copy of the plan beside the original is a project of its own', async () => {
    const p = maildirProject(2);
    await ferry(p.dir, 'run', 'p.migration.yaml', '--pass', 'full');
    fs.copyFileSync(p.plan, path.join(p.dir, 'copy.migration.yaml'));
    assert.equal((await status(p.dir, 'copy.migration.yaml')).projects.length, 0, 'the copy has run nothing');
    assert.equal((await status(p.dir, 'p.migration.yaml')).projects[0].passes.length, 1);
  });
});
