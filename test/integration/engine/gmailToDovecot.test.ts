// The engine with Google Workspace (the fake Google) as the source and Dovecot as the destination,
// through runPass like a real run: a mailbox with nested labels, multi-label, starred, unread and
// important mail, a draft, spam, trash and All Mail-only mail arrives where the label mapping says,
// each copy once, with its flags and dates; a delta moves nothing, then exactly what changed; a
// history Google dropped (404) is a full relisting that copies nothing twice.
import * as assert from 'node:assert/strict';
import { defaultRetryPolicy } from '../../../src/engine/backoff';
import { runPass } from '../../../src/engine/runPass';
import { registryConnectors } from '../../../src/runner/connectors';
import { connectAs, startDovecot, type DovecotServer } from '../../servers/dovecot';
import { rfc822, startTestDomain, type TestDomain } from '../../servers/fakeGoogle/testDomain';
import { gmailProject } from './gmailProject';

interface Seen {
  folder: string;
  subject: string;
  flags: string[];
  date: string;
}

/** Every message of a Dovecot mailbox: folder, subject, flags (sorted), internal date. */
async function mailboxContent(server: DovecotServer, user: string): Promise<Seen[]> {
  const client = await connectAs(server, user);
  try {
    const out: Seen[] = [];
    for (const box of await client.list()) {
      if (box.flags.has('\\Noselect')) continue;
      const lock = await client.getMailboxLock(box.path);
      try {
        if ((client.mailbox && client.mailbox.exists) === 0) continue;
        for await (const m of client.fetch('1:*', { envelope: true, flags: true, internalDate: true })) {
          out.push({ folder: box.path, subject: m.envelope?.subject ?? '', flags: [...(m.flags ?? [])].sort(), date: new Date(m.internalDate ?? 0).toISOString() });
        }
      } finally {
        lock.release();
      }
    }
    return out.sort((a, b) => (a.folder + a.subject < b.folder + b.subject ? -1 : 1));
  } finally {
    await client.logout().catch(() => undefined);
  }
}

const when = (day: number) => new Date(Date.UTC(2026, 2, day, 9, 30));

describe('engine: Google Workspace (fake Google) -> IMAP (Dovecot)', function () {
  this.timeout(120_000);
  let server: DovecotServer;
  let d: TestDomain;
  const secrets: Record<string, string> = { DST: 'dst-pw' };
  const fast = { ...defaultRetryPolicy, attempts: 10, baseMs: 20, maxMs: 2000 };

  before(async () => {
    [server, d] = await Promise.all([startDovecot({ users: ['ann', 'bob', 'cat'].map((u) => ({ user: `${u}@dst.test`, password: 'dst-pw' })) }), startTestDomain({ users: ['ann@example.test', 'bob@example.test', 'cat@example.test'] })]);
    secrets.GKEY = JSON.stringify(d.key);
  });
  after(async () => {
    await server?.stop();
    await d?.fake.stop();
  });
  // Every answer the fake gave was held against Google's discovery descriptions: none deviated.
  afterEach(() => assert.deepEqual(d?.fake.admin.schemaProblems ?? [], []));

  const project = (source: string, destination: string, options = '') =>
    gmailProject(d, `{ type: imap, host: 127.0.0.1, port: ${server.port}, security: none }`, [{ source, destination, destinationAuth: `{ username: '${destination}', password: { secret: DST } }` }], options);

  /** One mailbox with every kind of placement. */
  function seed(user: string): void {
    const a = d.fake.admin;
    a.addLabel(user, 'Projects');
    a.addLabel(user, 'Projects/Alpha');
    a.addLabel(user, 'Receipts');
    const add = (subject: string, labels: string[], day: number) => a.addMessage(user, { raw: rfc822(subject, { to: user, date: when(day) }), labels, internalDate: when(day) });
    add('unread in inbox', ['INBOX', 'UNREAD', 'CATEGORY_PERSONAL'], 1);
    add('starred important alpha', ['INBOX', 'STARRED', 'IMPORTANT', 'Projects/Alpha'], 2);
    add('alpha and receipts', ['Projects/Alpha', 'Receipts'], 3);
    add('sent', ['SENT'], 4);
    add('draft', ['DRAFT'], 5);
    add('spam', ['SPAM', 'UNREAD'], 6);
    add('trashed receipt', ['TRASH', 'Receipts'], 7);
    add('archived', [], 8);
    add('social', ['INBOX', 'CATEGORY_SOCIAL'], 9);
  }

  it('full: every message where the label mapping puts it, each copy once, with flags and dates; delta 0, then exactly the change', async () => {
    seed('ann@example.test');
    const { plan, store } = project('ann@example.test', 'ann@dst.test');
    const run = (pass: 'full' | 'delta') => runPass({ plan, store, pass, connectors: registryConnectors, secrets: (n) => secrets[n], retry: fast });
    const full = await run('full');
    assert.deepEqual([full.items[0].status, full.totals.copied], ['Completed', 11], JSON.stringify(full.items));
    const got = await mailboxContent(server, 'ann@dst.test');
    const at = (day: number) => when(day).toISOString();
    assert.deepEqual(got, [
      { folder: 'Archive', subject: 'archived', flags: ['\\Seen'], date: at(8) },
      { folder: 'Drafts', subject: 'draft', flags: ['\\Draft', '\\Seen'], date: at(5) },
      { folder: 'INBOX', subject: 'social', flags: ['\\Seen'], date: at(9) },
      { folder: 'INBOX', subject: 'starred important alpha', flags: ['$Important', '\\Flagged', '\\Seen'], date: at(2) },
      { folder: 'INBOX', subject: 'unread in inbox', flags: [], date: at(1) },
      { folder: 'Junk', subject: 'spam', flags: [], date: at(6) },
      { folder: 'Projects/Alpha', subject: 'alpha and receipts', flags: ['\\Seen'], date: at(3) },
      { folder: 'Projects/Alpha', subject: 'starred important alpha', flags: ['$Important', '\\Flagged', '\\Seen'], date: at(2) },
      { folder: 'Receipts', subject: 'alpha and receipts', flags: ['\\Seen'], date: at(3) },
      { folder: 'Sent', subject: 'sent', flags: ['\\Seen'], date: at(4) },
      { folder: 'Trash', subject: 'trashed receipt', flags: ['Receipts', '\\Seen'], date: at(7) },
    ]);

    assert.equal((await run('delta')).totals.copied, 0, 'a delta with no change copies nothing');
    // One new message in the inbox, one archived message labelled Receipts: exactly those two copies.
    d.fake.admin.addMessage('ann@example.test', { raw: rfc822('new one', { to: 'ann@example.test', date: when(10) }), labels: ['INBOX', 'UNREAD'], internalDate: when(10) });
    const archived = [...d.fake.admin.mailbox('ann@example.test').messages.values()].find((m) => m.raw.toString().includes('Subject: archived'))!;
    d.fake.admin.modifyLabels('ann@example.test', archived.id, ['Receipts']);
    const delta = await run('delta');
    assert.equal(delta.totals.copied, 2, JSON.stringify(delta.items));
    const after = await mailboxContent(server, 'ann@dst.test');
    assert.equal(after.length, 13);
    assert.deepEqual(after.filter((m) => m.subject === 'new one').map((m) => [m.folder, m.flags.join(' ')]), [['INBOX', '']]);
    assert.deepEqual(after.filter((m) => m.subject === 'archived').map((m) => m.folder), ['Archive', 'Receipts']);
    store.close();
  });

  it('a history Google no longer keeps (404) relists the mailbox under the same ids: nothing twice, the new message once', async () => {
    seed('bob@example.test');
    const { plan, store } = project('bob@example.test', 'bob@dst.test');
    const run = (pass: 'full' | 'delta') => runPass({ plan, store, pass, connectors: registryConnectors, secrets: (n) => secrets[n], retry: fast });
    assert.equal((await run('full')).totals.copied, 11);
    d.fake.admin.addMessage('bob@example.test', { raw: rfc822('after expiry', { to: 'bob@example.test', date: when(11) }), labels: ['INBOX'], internalDate: when(11) });
    d.fake.admin.expireHistory('bob@example.test');
    const delta = await run('delta');
    assert.equal(delta.totals.copied, 1, JSON.stringify(delta.items));
    const got = await mailboxContent(server, 'bob@dst.test');
    assert.equal(got.length, 12);
    assert.equal(new Set(got.map((m) => `${m.folder}|${m.subject}`)).size, 12, 'no copy twice');
    store.close();
  });

  it('categories: one folder per message, the labels as keywords', async () => {
    seed('cat@example.test');
    const { plan, store } = project('cat@example.test', 'cat@dst.test', 'options:\n  gmail: { labels: categories }\n');
    const full = await runPass({ plan, store, pass: 'full', connectors: registryConnectors, secrets: (n) => secrets[n], retry: fast });
    assert.equal(full.totals.copied, 9, 'each of the 9 messages once');
    const got = await mailboxContent(server, 'cat@dst.test');
    assert.deepEqual(got.filter((m) => m.subject.includes('alpha')).map((m) => [m.folder, m.subject, m.flags.filter((f) => !f.startsWith('\\')).join(' ')]), [
      ['Archive', 'alpha and receipts', 'Projects/Alpha Receipts'],
      ['INBOX', 'starred important alpha', '$Important Projects/Alpha'],
    ]);
    store.close();
  });
});
