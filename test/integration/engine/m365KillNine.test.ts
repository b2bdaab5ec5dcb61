// kill -9 of `ferry run` while it writes into Microsoft 365 (the fake), Maildir -> M365: killed a
// few times mid-pass, then run to the end. The mailbox must hold every source message exactly once
// and none as a draft: each message is one creating request carrying its watermark, so a kill
// leaves it written whole or not at all; written ones are recognised by their watermark.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { PassSummary } from '../../../src/engine/summary';
import { startTestTenant, type TestTenant } from '../../servers/fakeM365/testTenant';
import { plainMessage } from '../../servers/testMessages';
import { ensureBuilt, exited, ferryRun, storeRows as rows, whenStore } from './maildirFixture';
import { killLeftChildrenAfterEach, spawnFerry } from './ferryChild';

const TOTAL = 120;


describe('kill -9 during writes into Microsoft 365 (Maildir -> M365 fake)', function () {
  this.timeout(60_000);
  killLeftChildrenAfterEach();
  let t: TestTenant;

  before(async () => {
    t = await startTestTenant(['kill@contoso.test'], { latencyMs: 1 });
  });
  after(async () => {
    await t?.fake.close();
  });

  it('ends with exactly the source set, no drafts, after kills mid-pass', async () => {
    const root = ensureBuilt();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-kill-m365-'));
    const box = path.join(dir, 'source', 'src@kill.test');
    for (const sub of ['cur', 'new', 'tmp']) fs.mkdirSync(path.join(box, sub), { recursive: true });
    for (let n = 1; n <= TOTAL; n++) {
      // Every tenth message has no Message-ID: found again by its content.
      const m = plainMessage(n, { body: `Body ${n} ${'lorem '.repeat(40)}`, ...(n % 10 === 0 ? { messageId: null } : {}) });
      const file = path.join(box, 'cur', `${Math.floor(m.date.getTime() / 1000)}.M${n}P1.kill:2,${n % 2 ? 'S' : ''}`);
      fs.writeFileSync(file, m.raw);
      fs.utimesSync(file, m.date, m.date);
    }
    fs.writeFileSync(
      path.join(dir, 'p.migration.yaml'),
      `version: 1\nproject: { name: KillM365 }\nendpoints:\n  src: { type: maildir, path: ./source }\n  dst: ${t.endpointYaml('M365')}\nsource: src\ndestination: dst\nbatches:\n  - name: Main\n    items:\n      - { source: src@kill.test, destination: kill@contoso.test }\n`,
    );
    const env = { ...process.env, FERRY_SECRET_M365: t.secret, NODE_EXTRA_CA_CERTS: t.fake.caPath };
    const ferry = path.join(root, 'bin', 'ferry.js');
    const db = path.join(dir, '.ferry', 'state.db');
    let kills = 0;
    /** What the last run wrote (for the messages below). */
    let last = () => 'no run';
    for (let kill = 1; kill <= 3; kill++) {
      const before = rows(db, 'watermarks');
      const run = spawnFerry(ferry, ['run', 'p.migration.yaml', '--pass', 'full'], dir, env);
      const { child } = run;
      last = run.output;
      if (!(await whenStore(child, db, () => rows(db, 'watermarks') >= before + 15 && rows(db, 'intents') > 0))) break;
      child.kill('SIGKILL');
      await exited(child);
      kills++;
    }
    assert.ok(kills > 0, `no run was interrupted; ${last()}`);

    const rerun = await ferryRun(ferry, ['run', 'p.migration.yaml', '--pass', 'full', '--json'], dir, env);
    assert.equal(rerun.status, 0, rerun.stderr);
    assert.equal((JSON.parse(rerun.stdout) as PassSummary).items[0].status, 'Completed');
    const messages = t.fake.data.mailbox(t.fake.data.findUser(t.tenant, 'kill@contoso.test')!.id).messages;
    assert.deepEqual(messages.filter((m) => m.isDraft).map((m) => m.subject), [], 'drafts left behind');
    const subjects = messages.map((m) => m.subject).sort();
    assert.equal(subjects.length, TOTAL, 'no message lost or copied twice');
    assert.equal(new Set(subjects).size, TOTAL);
    assert.equal(messages.filter((m) => m.isRead).length, TOTAL / 2);
  });
});
