import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { main } from '../../../src/cli/main';
import type { CliIo } from '../../../src/cli/io';
import { repoRoot, tempDir } from '../helpers/repoRoot';

function capture(cwd: string): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { cwd, env: {}, stdout, stderr, out: (l) => stdout.push(l), err: (l) => stderr.push(l) };
}

const root = repoRoot();
const brokenPlan = `version: 1
project: { name: Broken }
endpoints:
  src: { type: maildir, path: ./a }
source: src
destination: nowhere
batches:
  - name: One
    items:
      - source: a@contoso.example
        destination: a@fabrikam.example
`;

describe('ferry command line', () => {
  it('validates a correct plan with exit 0 and no findings', async () => {
    const dir = tempDir('cli');
    const io = capture(dir);
    assert.equal(await main(['init', dir], io), 0);
    const io2 = capture(dir);
    assert.equal(await main(['validate', 'project.migration.yaml'], io2), 0, io2.stdout.join('\n'));
    assert.deepEqual(io2.stdout, []);
    assert.match(io2.stderr.join('\n'), /1 file checked: 0 errors/);
  });

  it('prints compiler-style text with 1-based positions and exits 1 on errors', async () => {
    const dir = tempDir('cli');
    fs.writeFileSync(path.join(dir, 'broken.migration.yaml'), brokenPlan);
    const io = capture(dir);
    assert.equal(await main(['validate', 'broken.migration.yaml'], io), 1);
    const line = io.stdout.find((l) => l.includes('EXCH-07'));
    assert.ok(line, io.stdout.join('\n'));
    assert.match(line, /^broken\.migration\.yaml:6:14: error EXCH-07 /);
  });

  it('prints JSON with the documented fields', async () => {
    const dir = tempDir('cli');
    fs.writeFileSync(path.join(dir, 'broken.migration.yaml'), brokenPlan);
    const io = capture(dir);
    assert.equal(await main(['validate', '--format', 'json', 'broken.migration.yaml'], io), 1);
    const parsed = JSON.parse(io.stdout.join('\n')) as { diagnostics: Record<string, unknown>[] };
    const exch = parsed.diagnostics.find((d) => d.code === 'EXCH-07');
    assert.deepEqual(Object.keys(exch ?? {}).sort(), ['code', 'column', 'endColumn', 'endLine', 'file', 'line', 'message', 'severity']);
    assert.deepEqual([exch?.line, exch?.column, exch?.endLine, exch?.endColumn], [6, 14, 6, 21]);
  });

  it('reports an unreadable plan file as an error, not a crash', async () => {
    const io = capture(tempDir('cli'));
    assert.equal(await main(['validate', 'missing.migration.yaml'], io), 1);
    assert.match(io.stdout[0], /missing\.migration\.yaml:1:1: error PLAN-003 /);
  });

  const usageCases: [string, string[]][] = [
    ['no command', []],
    ['an unknown command', ['frobnicate']],
    ['validate without files', ['validate']],
    ['an unknown format', ['validate', '--format', 'xml', 'a.migration.yaml']],
    ['an unknown option', ['validate', '--colour', 'a.migration.yaml']],
    ['init with two folders', ['init', 'a', 'b']],
  ];
  for (const [name, args] of usageCases) {
    it(`exits 2 on usage errors: ${name}`, async () => {
      const io = capture(tempDir('cli'));
      assert.equal(await main(args, io), 2);
      assert.match(io.stderr.join('\n'), /Usage: ferry/);
    });
  }

  it('init refuses to overwrite without --force and keeps .ferry/ out of git once', async () => {
    const dir = tempDir('cli');
    assert.equal(await main(['init', dir], capture(dir)), 0);
    assert.equal(await main(['init', dir], capture(dir)), 1);
    assert.equal(await main(['init', dir, '--force'], capture(dir)), 0);
    const gitignore = fs.readFileSync(path.join(dir, '.gitignore'), 'utf8');
    assert.equal(gitignore.split('\n').filter((l) => l === '.ferry/').length, 1);
  });

  it('the built bin runs under the project Node (npx ferry)', function () {
    const cli = path.join(root, 'dist', 'cli.js');
    if (!fs.existsSync(cli)) this.skip();
    const result = spawnSync(process.execPath, [path.join(root, 'bin', 'ferry.js'), 'validate', '--format', 'json', path.join(root, 'examples', 'demo', 'demo.migration.yaml')], { encoding: 'utf8' });
    assert.equal(result.status, 0, result.stdout + result.stderr);
    assert.deepEqual(JSON.parse(result.stdout), { diagnostics: [] });
  });
});
