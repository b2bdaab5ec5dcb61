// kill -9 of a `ferry run` reading Google Workspace (the fake Google, in this process) into Dovecot,
// at deterministic points (hold points: a source read, a written batch without its watermarks),
// then a rerun: every message ends where the label mapping puts it, each exactly once.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { connectAs, startDovecot, type DovecotServer } from '../../servers/dovecot';
import { rfc822, startTestDomain, type TestDomain } from '../../servers/fakeGoogle/testDomain';
import { ensureBuilt, ferryRun, killAtHold, storeRows } from './maildirFixture';
import { gmailProject } from './gmailProject';

const INBOX = 30;
const WORK = 10;
const ARCHIVED = 6;

describe('engine: Google Workspace -> Dovecot through kill -9', function () {
  this.timeout(180_000);
  let server: DovecotServer;
  let d: TestDomain;
  let root: string;
  const targets = ['k1@dst.test', 'k2@dst.test'];

  before(async () => {
    root = ensureBuilt();
    [server, d] = await Promise.all([startDovecot({ users: targets.map((user) => ({ user, password: 'dst-pw' })) }), startTestDomain({ users: ['kim@example.test'] })]);
    const a = d.fake.admin;
    a.addLabel('kim@example.test', 'Work');
    for (let i = 0; i < INBOX + ARCHIVED; i++) {
      const date = new Date(Date.UTC(2026, 0, 1 + i, 8));
      const labels = i < INBOX ? ['INBOX', ...(i < WORK ? ['Work'] : []), ...(i % 4 ? [] : ['UNREAD'])] : [];
      a.addMessage('kim@example.test', { raw: rfc822(`message ${i}`, { to: 'kim@example.test', date, body: `Body ${i}. ${'lorem ipsum '.repeat(30)}` }), labels, internalDate: date });
    }
  });
  after(async () => {
    await server?.stop();
    await d?.fake.stop();
  });

  async function content(user: string): Promise<Map<string, string[]>> {
    const client = await connectAs(server, user);
    try {
      const out = new Map<string, string[]>();
      for (const box of await client.list()) {
        const lock = await client.getMailboxLock(box.path);
        try {
          const subjects: string[] = [];
          if (client.mailbox && client.mailbox.exists > 0) for await (const m of client.fetch('1:*', { envelope: true })) subjects.push(m.envelope?.subject ?? '');
          if (subjects.length) out.set(box.path, subjects.sort());
        } finally {
          lock.release();
        }
      }
      return out;
    } finally {
      await client.logout().catch(() => undefined);
    }
  }

  for (const hold of ['source.read#12', 'write.after#2']) {
    it(`killed at ${hold}, the rerun ends with every message once where its labels say`, async () => {
      const target = targets[hold.startsWith('source') ? 0 : 1];
      const p = gmailProject(d, `{ type: imap, host: 127.0.0.1, port: ${server.port}, security: none, auth: { username: '{mailbox}', password: { secret: DST } } }`, [{ source: 'kim@example.test', destination: target }]);
      p.store.close();
      const env = { ...process.env, FERRY_SECRET_GKEY: JSON.stringify(d.key), FERRY_SECRET_DST: 'dst-pw' };
      const ferry = path.join(root, 'bin', 'ferry.js');
      await killAtHold(ferry, ['run', 'p.migration.yaml', '--pass', 'full'], p.dir, env, hold);
      const db = path.join(p.dir, '.ferry', 'state.db');
      const before = storeRows(db, 'watermarks');
      assert.ok(before < INBOX + WORK + ARCHIVED, `killed mid-pass (${before} watermarks)`);

      const rerun = await ferryRun(ferry, ['run', 'p.migration.yaml', '--pass', 'full', '--json'], p.dir, env);
      assert.equal(rerun.status, 0, rerun.stderr);
      const got = await content(target);
      const subjects = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `message ${from + i}`).sort();
      assert.deepEqual(Object.fromEntries(got), { INBOX: subjects(0, INBOX), Work: subjects(0, WORK), Archive: subjects(INBOX, INBOX + ARCHIVED) });
      assert.deepEqual([storeRows(db, 'watermarks'), storeRows(db, 'intents')], [INBOX + WORK + ARCHIVED, 0]);
    });
  }
});
