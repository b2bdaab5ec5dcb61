// The bundles share one namespace per often-imported builtin (scripts/builtin-namespaces.mjs):
// `import * as fs from 'node:fs'` in many source modules no longer makes a copy of node:fs's ~100
// exports per module at every start (issue 17). Checked on the built bundles, then used.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { ensureBuilt } from './maildirFixture';

describe('bundles: one namespace per shared builtin', function () {
  this.timeout(120_000);

  it('dist/cli.js and dist/runner.js copy node:fs, node:path and node:os once each', () => {
    const root = ensureBuilt();
    for (const bundle of ['cli.js', 'runner.js']) {
      const text = fs.readFileSync(path.join(root, 'dist', bundle), 'utf8');
      for (const builtin of ['fs', 'path', 'os']) {
        const copies = text.split(`__toESM(require("node:${builtin}"))`).length - 1;
        assert.ok(copies <= 1, `${bundle}: ${copies} copies of node:${builtin}`);
      }
    }
    // The bundle so built runs: it reads a plan (node:fs, node:path) and reports on it.
    const plan = path.join(root, 'test', 'fixtures', 'plans', 'syntax-error.migration.yaml');
    const r = spawnSync(process.execPath, [path.join(root, 'bin', 'ferry.js'), 'validate', plan], { encoding: 'utf8' });
    assert.match(r.stdout + r.stderr, /1 file checked: [1-9]\d* errors?/);
  });
});
