// The code cache of the bundles (bin/bundleCache.js): written per command once the command has run,
// accepted on the next start, refused (and rewritten) when stale or damaged, and never in the way:
// a cache folder that cannot be written only costs the speed-up. Each case runs in a child process
// (the cache hooks the module loader of its process).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { repoRoot, tempDir } from '../helpers/repoRoot';

const root = repoRoot();
const bundleCache = path.join(root, 'bin', 'bundleCache.js');

/** A small "dist" folder: a bundle that requires a lazy library beside it and imports a builtin dynamically. */
function fakeDist(): string {
  const dist = tempDir('bundle-cache-dist');
  fs.mkdirSync(path.join(dist, 'lib'));
  fs.writeFileSync(path.join(dist, 'lib', 'greet.js'), "'use strict';\nexports.greet = (name) => `hello ${name}`;\n");
  fs.writeFileSync(
    path.join(dist, 'cli.js'),
    "'use strict';\nexports.main = async () => { const os = await import('node:os'); return [require('./lib/greet.js').greet('ferry'), path.basename(__filename), typeof os.platform].join(' '); };\nconst path = require('node:path');\n",
  );
  return dist;
}

/** Starts a process that loads the fake bundle through the cache for `command`; what it printed. */
function start(dist: string, cacheDir: string, command: string): { out: string; written: string[] } {
  const script = `const save = require(${JSON.stringify(bundleCache)}).useBundleCache(${JSON.stringify(dist)}, ${JSON.stringify(command)});
require(${JSON.stringify(path.join(dist, 'cli.js'))}).main().then((out) => console.log(JSON.stringify({ out, written: save().map((f) => require('node:path').basename(f)) })));`;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', env: { ...process.env, FERRY_CACHE_DIR: cacheDir } });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as { out: string; written: string[] };
}

const cacheFiles = (cacheDir: string) => (fs.existsSync(cacheDir) ? fs.readdirSync(path.join(cacheDir, 'code', `${process.version}-${process.arch}`)).sort() : []);

describe('bundle code cache (bin/bundleCache.js)', function () {
  this.timeout(60_000);

  it('writes a cache per bundle and command after the run, and accepts it on the next start', () => {
    const dist = fakeDist();
    const cacheDir = tempDir('bundle-cache');
    const first = start(dist, cacheDir, 'validate');
    assert.equal(first.out, 'hello ferry cli.js function');
    assert.deepEqual(first.written.map((f) => f.replace(/-[0-9a-f]+\./, '-#.')).sort(), ['cli-#.validate', 'greet-#.validate']);
    // Accepted: nothing to write again.
    assert.deepEqual(start(dist, cacheDir, 'validate'), { out: 'hello ferry cli.js function', written: [] });
    // Another command has its own cache.
    assert.equal(start(dist, cacheDir, 'status').written.length, 2);
    assert.equal(cacheFiles(cacheDir).length, 4);
  });

  it('refuses a stale or damaged cache, runs the bundle as built and writes the cache again', () => {
    const dist = fakeDist();
    const cacheDir = tempDir('bundle-cache');
    start(dist, cacheDir, 'status');
    const dir = path.join(cacheDir, 'code', `${process.version}-${process.arch}`);
    const cli = cacheFiles(cacheDir).find((f) => f.startsWith('cli-'))!;
    fs.writeFileSync(path.join(dir, cli), 'not a code cache');
    // The bundle was rebuilt since its cache was taken, to the same length (all V8 itself checks):
    // the cache is refused by its stamp and the new code runs.
    fs.writeFileSync(path.join(dist, 'lib', 'greet.js'), "'use strict';\nexports.greet = (name) => `howdy ${name}`;\n".replace('howdy', 'hallo'));
    const again = start(dist, cacheDir, 'status');
    assert.equal(again.out, 'hallo ferry cli.js function');
    assert.deepEqual(again.written.map((f) => f.split('-')[0]).sort(), ['cli', 'greet']);
    assert.deepEqual(start(dist, cacheDir, 'status').written, []);
  });

  it('runs as usual when the cache folder cannot be written', () => {
    const dist = fakeDist();
    const blocked = path.join(tempDir('bundle-cache'), 'a-file');
    fs.writeFileSync(blocked, '');
    assert.deepEqual(start(dist, blocked, 'validate'), { out: 'hello ferry cli.js function', written: [] });
  });

  it('ferry validate and ferry status start from their own caches in FERRY_CACHE_DIR, with the same output', () => {
    const cacheDir = tempDir('bundle-cache');
    const plan = path.join(root, 'examples', 'demo', 'demo.migration.yaml');
    const run = (...args: string[]) => spawnSync(process.execPath, [path.join(root, 'bin', 'ferry.js'), ...args], { encoding: 'utf8', env: { ...process.env, FERRY_CACHE_DIR: cacheDir } });
    const first = run('validate', '--format', 'json', plan);
    assert.equal(first.status, 0, first.stderr);
    const second = run('validate', '--format', 'json', plan);
    assert.equal(second.stdout, first.stdout);
    const state = tempDir('bundle-cache-state');
    assert.equal(run('status', '--state', state).status, 0);
    const files = cacheFiles(cacheDir);
    assert.ok(files.some((f) => /^cli-[0-9a-f]+\.validate$/.test(f)), files.join(', '));
    assert.ok(files.some((f) => /^yaml-[0-9a-f]+\.validate$/.test(f)), files.join(', '));
    assert.ok(files.some((f) => /^cli-[0-9a-f]+\.status$/.test(f)), files.join(', '));
  });

  it('ferry run keeps its cache: a second pass starts from it and writes none (the young-generation flag is set before the bundle is compiled)', () => {
    // V8 refuses a cache taken under other flags: set once the bundle ran, the pass's semi-space
    // flag made every `ferry run` compile dist/cli.js from source and write its 1 MB cache again.
    const cacheDir = tempDir('bundle-cache');
    const project = tempDir('bundle-cache-run');
    fs.cpSync(path.join(root, 'examples', 'demo'), project, { recursive: true });
    const run = (pass: string) => {
      const r = spawnSync(process.execPath, [path.join(root, 'bin', 'ferry.js'), 'run', 'demo.migration.yaml', '--pass', pass, '--json'], { cwd: project, encoding: 'utf8', env: { ...process.env, FERRY_CACHE_DIR: cacheDir } });
      assert.equal(r.status, 0, r.stderr);
      const dir = path.join(cacheDir, 'code', `${process.version}-${process.arch}`);
      return new Map(cacheFiles(cacheDir).map((f) => [f, fs.statSync(path.join(dir, f)).mtimeMs]));
    };
    const first = run('full');
    assert.ok([...first.keys()].some((f) => /^cli-[0-9a-f]+\.run-full$/.test(f)), [...first.keys()].join(', '));
    const second = run('full');
    for (const [file, written] of first) assert.equal(second.get(file), written, `${file} was written again: its cache was refused`);
  });

  it('ferry run keeps a cache per pass: a delta starts from what a delta compiled, not from the full pass (issue 17, round 8)', () => {
    // V8 deserialises all of a cache at each start. One `run` cache, taken by the first pass of a
    // plan (the full pass, with the plan's validation), made every later delta deserialise the full
    // pass's code (~50% more than a quiet delta runs) and compile its own delta code from source.
    const cacheDir = tempDir('bundle-cache');
    const project = tempDir('bundle-cache-run');
    fs.cpSync(path.join(root, 'examples', 'demo'), project, { recursive: true });
    const dir = path.join(cacheDir, 'code', `${process.version}-${process.arch}`);
    const run = (...args: string[]) => {
      const r = spawnSync(process.execPath, [path.join(root, 'bin', 'ferry.js'), 'run', 'demo.migration.yaml', ...args, '--json'], { cwd: project, encoding: 'utf8', env: { ...process.env, FERRY_CACHE_DIR: cacheDir } });
      assert.equal(r.status, 0, r.stderr);
      return new Map(cacheFiles(cacheDir).map((f) => [f, fs.statSync(path.join(dir, f)).mtimeMs]));
    };
    const cli = (files: Map<string, number>) => [...files.keys()].filter((f) => f.startsWith('cli-')).map((f) => f.replace(/-[0-9a-f]+\./, '-#.'));
    const full = run('--pass', 'full');
    assert.deepEqual(cli(full), ['cli-#.run-full']);
    const delta = run('--pass=delta');
    assert.deepEqual(cli(delta).sort(), ['cli-#.run-delta', 'cli-#.run-full']);
    for (const [file, written] of full) assert.equal(delta.get(file), written, `${file} was written by the delta`);
    // The delta's own cache is accepted by the next delta.
    const again = run('--pass', 'delta');
    for (const [file, written] of delta) assert.equal(again.get(file), written, `${file} was written again: its cache was refused`);
  });

  it('keys a cache by the command, and that of `ferry run` by its pass', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { cacheKind } = require(bundleCache) as { cacheKind: (argv: string[]) => string };
    assert.equal(cacheKind(['run', 'plan.yaml', '--pass', 'delta', '--json']), 'run-delta');
    assert.equal(cacheKind(['run', '--pass=full', 'plan.yaml']), 'run-full');
    assert.equal(cacheKind(['run', 'plan.yaml']), 'run');
    assert.equal(cacheKind(['run', 'plan.yaml', '--pass', '../../x']), 'run');
    assert.equal(cacheKind(['status', 'plan.yaml', '--pass', 'delta']), 'status');
    assert.equal(cacheKind([]), '');
  });

  it('ferry run of large messages keeps its cache too (the flags a large batch and a hash thread changed are set back before it is taken)', () => {
    // A batch of large items sets V8's own heap growth (passHeap.ts): a cache taken under it was
    // refused at every next start, so each pass of large messages compiled dist/cli.js from source.
    const cacheDir = tempDir('bundle-cache');
    const project = tempDir('bundle-cache-large');
    const cur = path.join(project, 'source', 'ann@contoso.example', 'cur');
    for (const sub of ['cur', 'new', 'tmp']) fs.mkdirSync(path.join(project, 'source', 'ann@contoso.example', sub), { recursive: true });
    const body = `${'QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAxMjM0NTY3'.repeat(1)}\r\n`.repeat(5000);
    for (let i = 1; i <= 3; i++) fs.writeFileSync(path.join(cur, `170000000${i}.M${i}P1.test:2,S`), `Message-ID: <large${i}@contoso.example>\r\nSubject: large ${i}\r\nDate: Mon, 1 Jan 2024 10:00:00 +0000\r\n\r\n${body}`);
    const endpoint = (dir: string) => `{ type: maildir, path: ./${dir} }`;
    fs.writeFileSync(path.join(project, 'large.migration.yaml'), `version: 1\nproject: { name: Large }\nendpoints:\n  src: ${endpoint('source')}\n  dst: ${endpoint('destination')}\nsource: src\ndestination: dst\nbatches:\n  - name: B\n    items:\n      - { source: ann@contoso.example, destination: ann@fabrikam.example }\n`);
    const run = (pass: string) => {
      const r = spawnSync(process.execPath, [path.join(root, 'bin', 'ferry.js'), 'run', 'large.migration.yaml', '--pass', pass, '--json'], { cwd: project, encoding: 'utf8', env: { ...process.env, FERRY_CACHE_DIR: cacheDir } });
      assert.equal(r.status, 0, r.stderr);
      const dir = path.join(cacheDir, 'code', `${process.version}-${process.arch}`);
      return { copied: (JSON.parse(r.stdout) as { totals: { copied: number } }).totals.copied, files: new Map(cacheFiles(cacheDir).map((f) => [f, fs.statSync(path.join(dir, f)).mtimeMs])) };
    };
    const first = run('full');
    assert.equal(first.copied, 3);
    assert.ok([...first.files.keys()].some((f) => /^cli-[0-9a-f]+\.run-full$/.test(f)), [...first.files.keys()].join(', '));
    const second = run('full');
    assert.equal(second.copied, 0);
    for (const [file, written] of first.files) assert.equal(second.files.get(file), written, `${file} was written again: its cache was refused`);
  });

  it('ferry validate loads neither the engine nor the store (no child_process, worker_threads, crypto), nor perf_hooks', () => {
    const probe = "process.on('exit', () => require('node:fs').writeSync(2, '\\nLOADED ' + process.moduleLoadList.join(',') + '\\n'))";
    const r = spawnSync(process.execPath, ['--require', writeProbe(probe), path.join(root, 'bin', 'ferry.js'), 'validate', path.join(root, 'examples', 'demo', 'demo.migration.yaml')], { encoding: 'utf8', env: { ...process.env, FERRY_CACHE_DIR: tempDir('bundle-cache') } });
    assert.equal(r.status, 0, r.stderr);
    const loaded = new Set(/LOADED (.*)/.exec(r.stderr)![1].split(','));
    for (const builtin of ['child_process', 'worker_threads', 'crypto', 'perf_hooks']) assert.ok(!loaded.has(`NativeModule ${builtin}`), `validate loaded ${builtin}`);
  });

  it('ferry run of small messages loads neither child_process nor worker_threads (each required where it is needed), nor perf_hooks', () => {
    const project = tempDir('bundle-cache-run');
    fs.cpSync(path.join(root, 'examples', 'demo'), project, { recursive: true });
    const probe = "process.on('exit', () => require('node:fs').writeSync(2, '\\nLOADED ' + process.moduleLoadList.join(',') + '\\n'))";
    const r = spawnSync(process.execPath, ['--require', writeProbe(probe), path.join(root, 'bin', 'ferry.js'), 'run', 'demo.migration.yaml', '--pass', 'full'], { cwd: project, encoding: 'utf8', env: { ...process.env, FERRY_CACHE_DIR: tempDir('bundle-cache') } });
    assert.equal(r.status, 0, r.stderr);
    const loaded = new Set(/LOADED (.*)/.exec(r.stderr)![1].split(','));
    // child_process: only where /proc cannot tell a process's start time; worker_threads: large messages, PostgreSQL;
    // perf_hooks (the `performance` global, eleven modules): nowhere on a pass's path (issue 17).
    for (const builtin of ['child_process', 'worker_threads', 'perf_hooks']) assert.ok(!loaded.has(`NativeModule ${builtin}`), `ferry run loaded ${builtin}`);
  });
});

function writeProbe(text: string): string {
  const file = path.join(tempDir('bundle-cache-probe'), 'probe.js');
  fs.writeFileSync(file, text);
  return file;
}
