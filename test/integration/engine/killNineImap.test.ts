// kill -9 of `ferry run` while it writes batches into IMAP (MULTIAPPEND), IMAP -> IMAP on Dovecot:
// killed several times at moments when a batch is in flight (its intents committed, its watermarks
// not yet), then run to the end. The destination must hold exactly the source's messages: the
// interrupted batches are settled by findWritten (by Message-ID, or by date, size and fingerprint
// for messages without one), never written twice and never lost.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { PassSummary } from '../../../src/engine/summary';
import { startDovecot, type DovecotServer } from '../../servers/dovecot';
import { seedMessages } from '../../servers/dovecotSeed';
import { plainMessage } from '../../servers/testMessages';
import { ensureBuilt, exited, messageHashes, storeRows as rows, whenStore } from './maildirFixture';
import { killLeftChildrenAfterEach, spawnFerry } from './ferryChild';

describe('kill -9 during batched IMAP writes (IMAP -> IMAP)', function () {
  this.timeout(180_000);
  killLeftChildrenAfterEach();
  let server: DovecotServer;
  const INBOX = 1400;
  const ARCHIVE = 400;

  before(async () => {
    server = await startDovecot({ users: [{ user: 'src@kill.test', password: 'src-pw' }, { user: 'dst@kill.test', password: 'dst-pw' }] });
    // Every tenth message has no Message-ID: findWritten must match those by date, size and content.
    const messages = (from: number, count: number) =>
      Array.from({ length: count }, (_, i) => plainMessage(from + i, { body: `Body of ${from + i}. ${'lorem ipsum '.repeat(60)}`, ...((from + i) % 10 === 0 ? { messageId: null } : {}) })).map((m, i) => ({ raw: m.raw, date: m.date, flags: i % 3 ? ['\\Seen'] : ['\\Seen', '\\Flagged'] }));
    await seedMessages(server, 'src@kill.test', 'INBOX', messages(1, INBOX));
    await seedMessages(server, 'src@kill.test', 'Archive/2024', messages(10_001, ARCHIVE));
  });
  after(async () => {
    await server?.stop();
  });

  it('settles every interrupted batch: the destination ends with exactly the source set', async () => {
    const root = ensureBuilt();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-kill-imap-'));
    const imap = (secret: string) => `{ type: imap, host: 127.0.0.1, port: ${server.port}, security: none, auth: { username: '{mailbox}', password: { secret: ${secret} } } }`;
    fs.writeFileSync(
      path.join(dir, 'p.migration.yaml'),
      `version: 1\nproject: { name: KillImap }\nendpoints:\n  src: ${imap('SRC')}\n  dst: ${imap('DST')}\nsource: src\ndestination: dst\nbatches:\n  - name: Main\n    items:\n      - { source: src@kill.test, destination: dst@kill.test }\n`,
    );
    const env = { ...process.env, FERRY_SECRET_SRC: 'src-pw', FERRY_SECRET_DST: 'dst-pw' };
    const ferry = path.join(root, 'bin', 'ferry.js');
    const db = path.join(dir, '.ferry', 'state.db');
    const total = INBOX + ARCHIVE;

    let midBatchKills = 0;
    /** What the last run wrote (for the messages below). */
    let last = () => 'no run';
    for (let kill = 1; kill <= 3; kill++) {
      const before = rows(db, 'watermarks');
      const run = spawnFerry(ferry, ['run', 'p.migration.yaml', '--pass', 'full'], dir, env);
      const { child } = run;
      last = run.output;
      // Kill once this run has copied a few batches and the next one is in flight.
      if (!(await whenStore(child, db, () => rows(db, 'watermarks') >= before + 150 && rows(db, 'intents') > 0))) break; // finished first: nothing left to interrupt
      child.kill('SIGKILL');
      await exited(child);
      const left = rows(db, 'intents');
      if (left > 0) midBatchKills++;
      assert.ok(left <= 100, `at most one batch in flight (${left} intents); ${last()}`);
      assert.ok(rows(db, 'watermarks') < total, `killed mid-pass (kill ${kill}); ${last()}`);
    }
    assert.ok(midBatchKills > 0, `at least one kill interrupted a batch; ${last()}`);

    const rerun = spawnSync(process.execPath, [ferry, 'run', 'p.migration.yaml', '--pass', 'full', '--json'], { cwd: dir, env, encoding: 'utf8' });
    assert.equal(rerun.status, 0, rerun.stderr);
    const summary = JSON.parse(rerun.stdout) as PassSummary;
    assert.equal(summary.items[0].status, 'Completed');
    assert.equal(rows(db, 'intents'), 0);
    assert.equal(rows(db, 'watermarks'), total);
    const destination = messageHashes(server.mailDir('dst@kill.test'), { crlfAsLf: true });
    assert.equal(destination.length, total, 'no message lost or copied twice');
    assert.deepEqual(destination, messageHashes(server.mailDir('src@kill.test'), { crlfAsLf: true }));
    const delta = spawnSync(process.execPath, [ferry, 'run', 'p.migration.yaml', '--pass', 'delta', '--json'], { cwd: dir, env, encoding: 'utf8' });
    assert.equal((JSON.parse(delta.stdout) as PassSummary).totals.copied, 0);
  });
});
