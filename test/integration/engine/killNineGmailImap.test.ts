// kill -9 of `ferry run` while it copies a Gmail mailbox read through the `imap` endpoint (the fake
// Gmail IMAP front in this process, XOAUTH2 with refresh) into Dovecot, killed twice with writes in
// flight, then run to the end: every message is where the label mapping says, each copy once, and
// a delta moves nothing. The X-GM-MSGID ids recorded before a kill are the ids the rerun lists.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { PassSummary } from '../../../src/engine/summary';
import { startDovecot, type DovecotServer } from '../../servers/dovecot';
import { generatedMailbox } from '../../servers/fakeGmailImap/generatedMailbox';
import { startGoogleTokens, type GoogleTokens } from '../../servers/fakeGmailImap/googleTokens';
import { GmailStore } from '../../servers/fakeGmailImap/gmailStore';
import { startFakeGmailImap, type FakeGmailImap } from '../../servers/fakeGmailImap/server';
import { arrived, expected } from '../connectors/gmailImapExpect';
import { ensureBuilt, exited, ferryRun, storeRows as rows, whenStore } from './maildirFixture';
import { killLeftChildrenAfterEach, spawnFerry } from './ferryChild';

describe('kill -9 during a Gmail IMAP pass (fake Gmail -> Dovecot)', function () {
  this.timeout(180_000);
  killLeftChildrenAfterEach();
  const CLIENT = { clientId: 'kill.apps.googleusercontent.test', clientSecret: 'kill-secret' };
  const specs = generatedMailbox(600, 7, 'kill');
  let dovecot: DovecotServer;
  let tokens: GoogleTokens;
  let gmail: FakeGmailImap;
  let dir: string;

  before(async () => {
    dovecot = await startDovecot({ users: [{ user: 'kim@dst.test', password: 'kim-pw' }] });
    tokens = await startGoogleTokens({ client: CLIENT });
    gmail = await startFakeGmailImap({ tokens, mailboxes: new Map([['kim@gmail.test', new GmailStore(specs)]]) });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-kill-gmail-imap-'));
  });
  after(async () => {
    await gmail?.close();
    await tokens?.close();
    await dovecot?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('reruns to exactly the mapped copies: nothing lost, nothing twice', async () => {
    const root = ensureBuilt();
    fs.writeFileSync(
      path.join(dir, 'p.migration.yaml'),
      `version: 1
project: { name: KillGmailImap }
endpoints:
  gmail: { type: imap, host: 127.0.0.1, port: ${gmail.port}, security: none, auth: { username: '{mailbox}' }, oauth: { clientId: ${CLIENT.clientId}, clientSecret: { secret: GC }, refreshToken: { secret: GR }, tokenUrl: '${tokens.tokenUrl}' } }
  dovecot: { type: imap, host: 127.0.0.1, port: ${dovecot.port}, security: none, auth: { username: '{mailbox}', password: { secret: DST } } }
source: gmail
destination: dovecot
batches:
  - name: Main
    items:
      - { source: kim@gmail.test, destination: kim@dst.test }
`,
    );
    const env = { ...process.env, FERRY_SECRET_GC: CLIENT.clientSecret, FERRY_SECRET_GR: tokens.grant('kim@gmail.test'), FERRY_SECRET_DST: 'kim-pw' };
    const ferry = path.join(root, 'bin', 'ferry.js');
    const db = path.join(dir, '.ferry', 'state.db');
    const want = expected(specs);
    const copies = [...want.values()].reduce((n, l) => n + l.length, 0);

    let kills = 0;
    /** What the last run wrote (for the messages below). */
    let last = () => 'no run';
    for (let kill = 1; kill <= 2; kill++) {
      const before = rows(db, 'watermarks');
      // Asynchronously: the fake answers from this process.
      const run = spawnFerry(ferry, ['run', 'p.migration.yaml', '--pass', 'full'], dir, env);
      const { child } = run;
      last = run.output;
      if (!(await whenStore(child, db, () => rows(db, 'watermarks') >= before + 100 && rows(db, 'intents') > 0))) break;
      child.kill('SIGKILL');
      await exited(child);
      kills++;
      assert.ok(rows(db, 'watermarks') < copies, `killed mid-pass (kill ${kill}); ${last()}`);
    }
    assert.ok(kills > 0, `at least one kill landed mid-pass; ${last()}`);

    const rerun = await ferryRun(ferry, ['run', 'p.migration.yaml', '--pass', 'full', '--json'], dir, env);
    assert.equal(rerun.status, 0, rerun.stderr);
    assert.equal((JSON.parse(rerun.stdout) as PassSummary).items[0].status, 'Completed');
    assert.equal(rows(db, 'intents'), 0);
    assert.equal(rows(db, 'watermarks'), copies);
    assert.deepEqual(Object.fromEntries(await arrived(dovecot, 'kim@dst.test')), Object.fromEntries(want));
    const delta = await ferryRun(ferry, ['run', 'p.migration.yaml', '--pass', 'delta', '--json'], dir, env);
    assert.equal((JSON.parse(delta.stdout) as PassSummary).totals.copied, 0);
  });
});
