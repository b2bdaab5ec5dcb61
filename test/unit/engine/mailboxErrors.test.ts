// Errors are counted by how a mailbox stands now: a mailbox that fails the same way in two passes
// has one open error, not one per pass (the views and the report count open errors).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { main } from '../../../src/cli/main';
import type { CliIo } from '../../../src/cli/io';
import { readSnapshot } from '../../../src/snapshot/readSnapshot';
import { maildirProject } from '../runner/runnerFixture';

const io = (cwd: string): CliIo => ({ cwd, env: {}, out: () => undefined, err: () => undefined });

describe('mailbox errors per current state', function () {
  this.timeout(30_000);

  it('a Maildir missing in two passes counts one open error', async () => {
    const p = maildirProject(2);
    fs.rmSync(path.join(p.dir, 'source', 'bob@contoso.example'), { recursive: true });
    for (let pass = 0; pass < 2; pass++) assert.equal(await main(['run', 'p.migration.yaml', '--pass', 'full'], io(p.dir)), 3);
    const snapshot = readSnapshot(path.join(p.dir, '.ferry'), p.plan);
    const bob = snapshot.status?.batches[0].items.find((i) => i.source === 'bob@contoso.example');
    assert.equal(bob?.errors, 1);
    assert.deepEqual(snapshot.errors.map((g) => [g.code, g.count]), [['MAILDIR-NOT-FOUND', 1]]);
  });
});
