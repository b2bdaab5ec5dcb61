// The bundles know the state database's expected shape from the build (esbuild.mjs,
// scripts/schema-shape.mjs): opening an up-to-date state database runs no migration SQL (before,
// every start ran all migrations in an in-memory database: 3-7 ms, issue 17), and the shape they
// check against is still complete (a missing column is STORE-010). Runs `bin/ferry.js status`.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { StateDatabase } from '../../../src/store/database';
import { openDatabase } from '../../../src/store/sqlite';
import { expectedShape } from '../../../src/store/integrity';
import { tempDir } from '../../unit/helpers/repoRoot';
import { ensureBuilt } from '../engine/maildirFixture';

const plan = `version: 1
project: { name: Shape }
endpoints:
  src: { type: imap, host: 127.0.0.1, port: 1, security: none, auth: { username: '{mailbox}', password: { secret: PW } } }
  dst: { type: imap, host: 127.0.0.1, port: 1, security: none, auth: { username: '{mailbox}', password: { secret: PW } } }
source: src
destination: dst
batches:
  - name: B
    items:
      - { source: a@x.test, destination: b@x.test }
`;

/** A plan folder whose state database is up to date (made by the store itself). */
function planFolder(): { dir: string; db: string } {
  const dir = tempDir('schema-shape');
  fs.writeFileSync(path.join(dir, 'p.migration.yaml'), plan);
  fs.mkdirSync(path.join(dir, '.ferry'));
  const db = path.join(dir, '.ferry', 'state.db');
  StateDatabase.open(db).close();
  return { dir, db };
}

/** `ferry status` of the folder's plan; `sql`: every statement its process gave SQLite's exec. */
function status(dir: string): { status: number | null; out: string; sql: string[] } {
  const root = ensureBuilt();
  const log = path.join(dir, 'exec.json');
  const hook = path.join(dir, 'hook.js');
  fs.writeFileSync(
    hook,
    `const seen = []; const p = require('node:sqlite').DatabaseSync.prototype; const exec = p.exec;
p.exec = function (sql) { seen.push(String(sql)); return exec.call(this, sql); };
process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(log)}, JSON.stringify(seen)));\n`,
  );
  const r = spawnSync(process.execPath, [path.join(root, 'bin', 'ferry.js'), 'status', 'p.migration.yaml'], { cwd: dir, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: `--require ${hook}` } });
  return { status: r.status, out: r.stdout + r.stderr, sql: JSON.parse(fs.readFileSync(log, 'utf8')) as string[] };
}

describe('the expected schema shape of the bundles (built in)', function () {
  this.timeout(120_000);

  it('opens an up-to-date state database without running any migration', () => {
    const { dir } = planFolder();
    const r = status(dir);
    assert.equal(r.status, 0, r.out);
    assert.match(r.out, /No pass has run for this plan yet/);
    assert.ok(r.sql.length > 0, 'the hook saw the store open');
    const migrationSql = r.sql.filter((s) => /\b(CREATE|ALTER)\s+TABLE\b/i.test(s) && !/CREATE TABLE IF NOT EXISTS schema_version/i.test(s));
    assert.deepEqual(migrationSql.map((s) => s.trim().split('\n')[0]), []);
  });

  it('still finds a column missing from the state database (STORE-010)', () => {
    const { dir, db } = planFolder();
    assert.ok(expectedShape().get('items')?.has('delta_limit_message'));
    const raw = openDatabase(db);
    raw.exec('ALTER TABLE items DROP COLUMN delta_limit_message');
    raw.close();
    const r = status(dir);
    assert.equal(r.status, 1, r.out);
    assert.match(r.out, /STORE-010 .*column items\.delta_limit_message is missing/);
  });
});
