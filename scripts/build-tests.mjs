// Compiles the TypeScript tests (and src/, which they import) into out/ with the repo's tsconfig.
// Fixtures are read from test/**/fixtures in place (tests find the repository root), so nothing
// else needs copying.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const started = Date.now();
const result = spawnSync(process.execPath, [tsc, '-p', root], { cwd: root, stdio: 'inherit' });
if (result.status !== 0) {
  console.error(`build-tests: tsc failed (${result.status ?? result.signal})`);
  process.exit(result.status || 1);
}
console.log(`build-tests: compiled into out/ in ${((Date.now() - started) / 1000).toFixed(1)} s`);
