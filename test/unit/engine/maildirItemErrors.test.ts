// Issue 14: one message file the file system refuses is that item's error, not the mailbox's. The
// mailbox ends Finished with errors with the rest copied, the item is retryable, and a retry once
// the file is readable copies it once. Running as root, a chmod refuses nothing, so the refusal is
// played by the file system call itself (EACCES for that one path).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import nodeFs from 'node:fs';
import * as path from 'node:path';
import { main } from '../../../src/cli/main';
import type { CliIo } from '../../../src/cli/io';
import { readSnapshot } from '../../../src/snapshot/readSnapshot';
import { maildirProject } from '../runner/runnerFixture';

const io = (cwd: string): CliIo => ({ cwd, env: {}, out: () => undefined, err: () => undefined });

/** Makes reads of one file fail with EACCES (the Maildir source reads synchronously) until the returned function is called. */
function refuseReading(file: string): () => void {
  const original = nodeFs.readFileSync;
  const refusing = ((target: unknown, ...rest: unknown[]) => {
    if (typeof target === 'string' && path.resolve(target) === file) throw Object.assign(new Error(`EACCES: permission denied, open '${file}'`), { code: 'EACCES', errno: -13, syscall: 'open', path: file });
    return (original as (...a: unknown[]) => unknown)(target, ...rest);
  }) as typeof fs.readFileSync;
  nodeFs.readFileSync = refusing;
  return () => {
    nodeFs.readFileSync = original;
  };
}

const copied = (dir: string) => fs.readdirSync(path.join(dir, 'destination', 'bob@fabrikam.example', 'cur')).length;

describe('Maildir: an unreadable message file', function () {
  this.timeout(60_000);

  it('is an item error: the mailbox finishes with errors, the rest copied, and a retry copies it once', async () => {
    const p = maildirProject(5);
    const bobCur = path.join(p.dir, 'source', 'bob@contoso.example', 'cur');
    const unreadable = path.join(bobCur, fs.readdirSync(bobCur).sort()[2]);
    const restore = refuseReading(unreadable);
    try {
      assert.equal(await main(['run', 'p.migration.yaml', '--pass', 'full'], io(p.dir)), 3);
    } finally {
      restore();
    }
    let bob = readSnapshot(path.join(p.dir, '.ferry'), p.plan).status?.batches[0].items.find((i) => i.source === 'bob@contoso.example');
    assert.equal(bob?.status, 'FinishedWithErrors');
    assert.equal(bob?.lastErrorCode, 'MAILDIR-ITEM-UNREADABLE');
    assert.deepEqual([bob?.errors, bob?.retryable], [1, 1]);
    assert.equal(copied(p.dir), 4);

    assert.equal(await main(['run', 'p.migration.yaml', '--pass', 'retry'], io(p.dir)), 0);
    bob = readSnapshot(path.join(p.dir, '.ferry'), p.plan).status?.batches[0].items.find((i) => i.source === 'bob@contoso.example');
    assert.equal(bob?.errors, 0);
    assert.equal(copied(p.dir), 5);
  });
});
