// The embedded mode never loads what distributed mode needs: BullMQ and pg are loaded only once
// FERRY_DATABASE_URL puts a command on the shared store and queue.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tempDir } from '../helpers/repoRoot';

describe('distributed mode: lazy loading', () => {
  it('ferry validate, run and status in the embedded mode load neither bullmq nor pg', function () {
    this.timeout(60_000);
    const dir = tempDir('lazy');
    fs.mkdirSync(path.join(dir, 'source', 'a@contoso.example', 'cur'), { recursive: true });
    fs.writeFileSync(
      path.join(dir, 'p.migration.yaml'),
      'version: 1\nproject: { name: Lazy }\nendpoints:\n  src: { type: maildir, path: ./source }\n  dst: { type: maildir, path: ./destination, layout: fs }\nsource: src\ndestination: dst\nbatches:\n  - name: B\n    items:\n      - { source: a@contoso.example, destination: a@fabrikam.example }\n',
    );
    const main = path.resolve(__dirname, '../../../src/cli/main.js');
    const script = `
      const { main } = require(${JSON.stringify(main)});
      const io = { cwd: ${JSON.stringify(dir)}, env: {}, out: () => undefined, err: () => undefined };
      (async () => {
        const codes = [await main(['validate', 'p.migration.yaml'], io), await main(['run', 'p.migration.yaml', '--pass', 'full'], io), await main(['status', 'p.migration.yaml'], io)];
        const loaded = Object.keys(require.cache).filter((f) => /node_modules[\\\\/](bullmq|pg|ioredis)[\\\\/]/.test(f));
        process.stdout.write(JSON.stringify({ codes, loaded }));
      })();`;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', env: { ...process.env, FERRY_DATABASE_URL: '' } });
    assert.equal(r.status, 0, r.stderr);
    const { codes, loaded } = JSON.parse(r.stdout) as { codes: number[]; loaded: string[] };
    assert.deepEqual(codes, [0, 0, 0]);
    assert.deepEqual(loaded, []);
  });
});
