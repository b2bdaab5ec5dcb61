import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { distributedConfig } from '../../../src/distributed/config';
import { EngineRefusal } from '../../../src/engine/refusal';
import { envSecrets } from '../../../src/engine/secrets';
import { getEntry } from '../../../src/errors/catalog';
import { tempDir } from '../helpers/repoRoot';

const config = (env: NodeJS.ProcessEnv) => distributedConfig(env, envSecrets(env));
const refusedWith = (code: string) => (err: unknown) => err instanceof EngineRefusal && err.code === code && !!getEntry(code);

describe('distributed configuration', () => {
  it('is the embedded mode without FERRY_DATABASE_URL', () => {
    assert.equal(config({}), undefined);
  });

  it('reads the PostgreSQL password from a file and the Redis password from a secret by name', () => {
    const file = path.join(tempDir('dist-config'), 'pw');
    fs.writeFileSync(file, 'p@ss:w/rd\n');
    const c = config({
      FERRY_DATABASE_URL: 'postgres://ferry@db.example:5432/ferry',
      FERRY_DATABASE_PASSWORD_FILE: file,
      FERRY_REDIS_URL: 'redis://default@queue.example:6379/0',
      FERRY_REDIS_PASSWORD_SECRET: 'queue-pw',
      FERRY_SECRET_QUEUE_PW: 'r3dis',
    })!;
    const db = new URL(c.databaseUrl);
    assert.equal(decodeURIComponent(db.password), 'p@ss:w/rd');
    assert.equal(db.hostname, 'db.example');
    assert.equal(new URL(c.redisUrl!).password, 'r3dis');
  });

  it('refuses a password inside a URL, naming where it goes instead (DIST-002)', () => {
    assert.throws(() => config({ FERRY_DATABASE_URL: 'postgres://ferry:secret@db/ferry' }), refusedWith('DIST-002'));
    assert.throws(() => config({ FERRY_DATABASE_URL: 'postgres://ferry@db/ferry', FERRY_REDIS_URL: 'redis://:secret@q:6379' }), refusedWith('DIST-002'));
  });

  it('refuses what it cannot use: a wrong scheme, Redis without PostgreSQL, an unreadable password (DIST-001, DIST-003)', () => {
    assert.throws(() => config({ FERRY_DATABASE_URL: 'mysql://db/ferry' }), refusedWith('DIST-001'));
    assert.throws(() => config({ FERRY_REDIS_URL: 'redis://q:6379' }), refusedWith('DIST-001'));
    assert.throws(() => config({ FERRY_DATABASE_URL: 'postgres://ferry@db/ferry', FERRY_DATABASE_PASSWORD_FILE: '/nonexistent/pw' }), refusedWith('DIST-003'));
    assert.throws(() => config({ FERRY_DATABASE_URL: 'postgres://ferry@db/ferry', FERRY_DATABASE_PASSWORD_SECRET: 'unset-one' }), refusedWith('DIST-003'));
  });
});
