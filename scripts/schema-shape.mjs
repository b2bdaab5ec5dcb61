// The state database's expected shape (every table and column the migrations make), computed once
// at build time: esbuild.mjs puts it in the bundles as FERRY_SCHEMA_SHAPE, so opening a state
// database no longer runs every migration in an in-memory database to learn it (issue 17: 3-7 ms
// of each start, ALTER TABLE re-parses the schema). It is `shapeFromMigrations()` itself, run here.
import * as esbuild from 'esbuild';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** `[table, columns][]` as JSON, or undefined when this Node has no node:sqlite (the bundles then compute it). */
export async function schemaShapeJson() {
  try {
    await import('node:sqlite');
  } catch {
    console.warn('esbuild: this Node has no node:sqlite; the bundles compute the schema shape at run time');
    return undefined;
  }
  const result = await esbuild.build({ entryPoints: [path.join(root, 'src/store/integrity.ts')], bundle: true, platform: 'node', format: 'cjs', target: 'node22', write: false, logLevel: 'warning' });
  const module = { exports: {} };
  const require = createRequire(path.join(root, 'src/store/integrity.ts'));
  new Function('module', 'exports', 'require', result.outputFiles[0].text)(module, module.exports, require);
  const shape = module.exports.shapeFromMigrations();
  return JSON.stringify([...shape].map(([table, columns]) => [table, [...columns]]));
}
