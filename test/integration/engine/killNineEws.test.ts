// kill -9 of `ferry run` while it writes into on-premises Exchange (the fake EWS server), IMAP ->
// Exchange: killed three times mid-pass, then run to the end. Each message is created with its
// watermark in the same CreateItem, so an item whose write the store never recorded is found by
// findWritten: the mailbox ends with exactly the source's messages, none lost, none twice.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { PassSummary } from '../../../src/engine/summary';
import { startDovecot, type DovecotServer } from '../../servers/dovecot';
import { seedMessages } from '../../servers/dovecotSeed';
import { createFakeEwsData, startFakeEws, type FakeEws } from '../../servers/fakeEws/server';
import { plainMessage } from '../../servers/testMessages';
import { ensureBuilt, exited, ferryRun, watermarkCount as watermarks, whenStore } from './maildirFixture';
import { killLeftChildrenAfterEach, spawnFerry } from './ferryChild';

describe('kill -9 while writing into Exchange (IMAP -> EWS)', function () {
  this.timeout(180_000);
  killLeftChildrenAfterEach();
  let dovecot: DovecotServer;
  let ews: FakeEws;
  const INBOX = 300;
  const ARCHIVE = 100;

  before(async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-kill-ews-data-'));
    createFakeEwsData(dataDir, { users: [{ address: 'migadmin@contoso.local', login: 'CONTOSO\\migadmin', password: 'Adm1n-pass', roles: ['ApplicationImpersonation'] }, { address: 'dst@contoso.local', login: 'CONTOSO\\dst', password: 'x' }] });
    [dovecot, ews] = await Promise.all([startDovecot({ users: [{ user: 'src@kill.test', password: 'src-pw' }] }), startFakeEws({ dataDir })]);
    const messages = (from: number, count: number) => Array.from({ length: count }, (_, i) => plainMessage(from + i, { ...((from + i) % 10 === 0 ? { messageId: null } : {}) })).map((m, i) => ({ raw: m.raw, date: m.date, flags: i % 3 ? ['\\Seen'] : [] }));
    await seedMessages(dovecot, 'src@kill.test', 'INBOX', messages(1, INBOX));
    await seedMessages(dovecot, 'src@kill.test', 'Archive/2024', messages(10_001, ARCHIVE));
  });
  after(async () => {
    await dovecot?.stop();
    await ews?.close();
  });

  it('ends with exactly the source messages after three kills and a rerun; delta copies nothing', async () => {
    const root = ensureBuilt();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-kill-ews-'));
    fs.writeFileSync(
      path.join(dir, 'p.migration.yaml'),
      `version: 1
project: { name: KillEws }
endpoints:
  src: { type: imap, host: 127.0.0.1, port: ${dovecot.port}, security: none, auth: { username: '{mailbox}', password: { secret: SRC } } }
  dst: { type: exchange, url: '${ews.ewsUrl}', auth: { username: 'CONTOSO\\migadmin', password: { secret: EX } } }
source: src
destination: dst
batches:
  - name: Main
    items:
      - { source: src@kill.test, destination: dst@contoso.local }
`,
    );
    const env = { ...process.env, FERRY_SECRET_SRC: 'src-pw', FERRY_SECRET_EX: 'Adm1n-pass' };
    const ferry = path.join(root, 'bin', 'ferry.js');
    const db = path.join(dir, '.ferry', 'state.db');
    const total = INBOX + ARCHIVE;
    const written = () => [...ews.store.itemsOf('dst@contoso.local').values()].filter((i) => i.itemClass.startsWith('IPM.Note'));

    let kills = 0;
    /** What the last run wrote (for the messages below). */
    let last = () => 'no run';
    for (let kill = 1; kill <= 3; kill++) {
      const before = watermarks(db);
      const run = spawnFerry(ferry, ['run', 'p.migration.yaml', '--pass', 'full'], dir, env);
      const { child } = run;
      last = run.output;
      if (!(await whenStore(child, db, () => watermarks(db) >= before + 60))) break;
      child.kill('SIGKILL');
      await exited(child);
      kills++;
      assert.ok(watermarks(db) < total, `killed mid-pass (kill ${kill}); ${last()}`);
    }
    assert.ok(kills >= 2, `the pass was killed mid-way (${kills} kills); ${last()}`);
    const rerun = await ferryRun(ferry, ['run', 'p.migration.yaml', '--pass', 'full', '--json'], dir, env);
    assert.equal(rerun.status, 0, rerun.stderr);
    const summary = JSON.parse(rerun.stdout) as PassSummary;
    assert.equal(summary.items[0].status, 'Completed', rerun.stdout);
    assert.equal(watermarks(db), total);
    const items = written();
    assert.equal(items.length, total, 'no message lost or copied twice');
    const subjects = new Set(items.map((i) => i.subject));
    assert.equal(subjects.size, total);
    assert.ok(items.every((i) => (i.messageFlags & 8) === 0), 'a message was left a draft');
    const delta = await ferryRun(ferry, ['run', 'p.migration.yaml', '--pass', 'delta', '--json'], dir, env);
    assert.equal((JSON.parse(delta.stdout) as PassSummary).totals.copied, 0);
    assert.equal(written().length, total);
  });
});
