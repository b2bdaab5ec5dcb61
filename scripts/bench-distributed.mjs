// Distributed mode's benchmark (test/bench/distributed.bench.ts): compiles the tests, then runs it.
// FERRY_BENCH_MAILBOXES (default 50000), FERRY_BENCH_WORKERS (4), FERRY_BENCH_COST_MS (500),
// FERRY_BENCH_SCALING_MAILBOXES (24) change the runs. Prints figures; asserts nothing.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const build = spawnSync(process.execPath, [path.join(root, 'scripts', 'build-tests.mjs')], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
const bench = spawnSync(process.execPath, [path.join(root, 'out', 'test', 'bench', 'distributed.bench.js')], { cwd: root, stdio: 'inherit' });
process.exit(bench.status ?? 1);
