// Gmail through the `imap` endpoint: the fake Gmail IMAP front (X-GM-EXT-1, XOAUTH2 against the
// fake token endpoint) into a real Dovecot. Every message lands where the Gmail label mapping says
// (the one the Gmail API source uses), exactly once per folder, with its flags and date; a delta
// moves nothing, then exactly what is new; an access token that dies mid-pass is refreshed and the
// pass completes; a revoked refresh token is IMAP-OAUTH-REVOKED. A message labelled since a pass
// is copied into its new folder by the next delta.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { defaultRetryPolicy } from '../../../src/engine/backoff';
import { runPass } from '../../../src/engine/runPass';
import { registryConnectors } from '../../../src/runner/connectors';
import { loadPlan } from '../../../src/runner/loadPlan';
import { Store } from '../../../src/store/store';
import { startDovecot, type DovecotServer } from '../../servers/dovecot';
import { acceptanceMailbox } from '../../servers/fakeGmailImap/acceptanceMailbox';
import { startGoogleTokens, type GoogleTokens } from '../../servers/fakeGmailImap/googleTokens';
import { GmailStore, type GmailMessageSpec } from '../../servers/fakeGmailImap/gmailStore';
import { startFakeGmailImap, type FakeGmailImap } from '../../servers/fakeGmailImap/server';
import { startTestDomain } from '../../servers/fakeGoogle/testDomain';
import { gmailProject } from '../engine/gmailProject';
import { arrived, expected } from './gmailImapExpect';

const CLIENT = { clientId: '1234-ferry.apps.googleusercontent.test', clientSecret: 'GOCSPX-test-secret' };
describe('Gmail through the imap endpoint (fake Gmail IMAP -> Dovecot)', function () {
  this.timeout(120_000);
  let dovecot: DovecotServer;
  let tokens: GoogleTokens;
  let gmail: FakeGmailImap;
  const mailboxes = new Map<string, GmailStore>();
  const refresh = new Map<string, string>();
  const dirs: string[] = [];

  before(async () => {
    const users = ['ann', 'bea', 'cal', 'dan', 'eve', 'api'];
    dovecot = await startDovecot({ users: users.map((u) => ({ user: `${u}@dst.test`, password: `${u}-pw` })) });
    tokens = await startGoogleTokens({ client: CLIENT });
    for (const u of users) {
      mailboxes.set(`${u}@gmail.test`, new GmailStore(acceptanceMailbox()));
      refresh.set(u, tokens.grant(`${u}@gmail.test`));
    }
    gmail = await startFakeGmailImap({ tokens, mailboxes });
  });
  after(async () => {
    await gmail?.close();
    await tokens?.close();
    await dovecot?.stop();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  /** A project copying `user`@gmail.test to `user`@dst.test, the refresh token in the item's sourceAuth. */
  function project(user: string, options = '') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-gmail-imap-'));
    dirs.push(dir);
    fs.writeFileSync(
      path.join(dir, 'p.migration.yaml'),
      `version: 1
project: { name: Gmail over IMAP }
endpoints:
  gmail:
    type: imap
    host: 127.0.0.1
    port: ${gmail.port}
    security: none
    auth: { username: '{mailbox}', mechanism: xoauth2 }
    oauth: { clientId: ${CLIENT.clientId}, clientSecret: { secret: GOOGLE_CLIENT }, tokenUrl: '${tokens.tokenUrl}' }
  dovecot: { type: imap, host: 127.0.0.1, port: ${dovecot.port}, security: none }
source: gmail
destination: dovecot
${options}batches:
  - name: Main
    items:
      - source: ${user}@gmail.test
        destination: ${user}@dst.test
        sourceAuth: { username: '${user}@gmail.test', mechanism: xoauth2, password: { secret: ${user.toUpperCase()}_REFRESH } }
        destinationAuth: { username: '${user}@dst.test', password: { secret: ${user.toUpperCase()}_DST } }
`,
    );
    // loadPlan throws on an error finding: the oauth settings validate.
    const { plan } = loadPlan(path.join(dir, 'p.migration.yaml'));
    const store = Store.open(path.join(dir, '.ferry'));
    const secrets: Record<string, string> = { GOOGLE_CLIENT: CLIENT.clientSecret, [`${user.toUpperCase()}_REFRESH`]: refresh.get(user)!, [`${user.toUpperCase()}_DST`]: `${user}-pw` };
    const run = (pass: 'full' | 'delta') => runPass({ plan, store, pass, connectors: registryConnectors, secrets: (n) => secrets[n], retry: { ...defaultRetryPolicy, baseMs: 20, maxMs: 200 } });
    return { run, store, dir };
  }

  it('places every message as the label mapping says, once per folder, with flags and dates; delta moves 0, then only what is new', async () => {
    const p = project('ann');
    const full = await p.run('full');
    assert.equal(full.items[0].status, 'Completed', JSON.stringify(full.items));
    const specs = acceptanceMailbox();
    const want = expected(specs);
    const got = await arrived(dovecot, 'ann@dst.test');
    assert.deepEqual(Object.fromEntries(got), Object.fromEntries(want));
    const copies = [...want.values()].reduce((n, l) => n + l.length, 0);
    assert.equal(full.totals.copied, copies);
    // Each body left Gmail once per destination folder at most, never once per Gmail folder showing it.
    console.log(`      ${specs.length} Gmail messages -> ${copies} copies in ${want.size} folders; bodies fetched: ${[...gmail.bodiesSent.values()].reduce((a, b) => a + b, 0)}`);

    assert.equal((await p.run('delta')).totals.copied, 0);
    const added: GmailMessageSpec = { raw: 'From: Zed <zed@example.org>\r\nSubject: New\r\nMessage-ID: <gm-new@example.org>\r\n\r\nNew\r\n', date: new Date(Date.UTC(2025, 9, 1)), labels: ['INBOX', 'Work', 'UNREAD'] };
    mailboxes.get('ann@gmail.test')!.add(added);
    // A message labelled since the full pass: its new folder gets it, nothing else moves.
    mailboxes.get('ann@gmail.test')!.relabel(0, ['Work']);
    specs[0].labels.push('Work');
    const delta = await p.run('delta');
    assert.equal(delta.totals.copied, 3);
    assert.deepEqual(Object.fromEntries(await arrived(dovecot, 'ann@dst.test')), Object.fromEntries(expected([...specs, added])));
    assert.equal((await p.run('delta')).totals.copied, 0);
    p.store.close();
  });

  it('refreshes the access token when Gmail ends the session mid-pass, and the pass completes with nothing twice', async () => {
    const p = project('bea');
    const before = tokens.refreshes.filter((r) => r.user === 'bea@gmail.test').length;
    const fired = gmail.endSessionsAtBodyFetch(2);
    const full = await p.run('full');
    assert.equal(full.items[0].status, 'Completed', JSON.stringify(full.items));
    await fired;
    assert.ok(tokens.refreshes.filter((r) => r.user === 'bea@gmail.test').length - before >= 2, 'a second access token was fetched');
    assert.deepEqual(Object.fromEntries(await arrived(dovecot, 'bea@dst.test')), Object.fromEntries(expected(acceptanceMailbox())));
    p.store.close();
  });

  it('gives the destination the Gmail API source gives for the same mailbox (fake Google -> Dovecot)', async () => {
    // \\Answered has no Gmail API label: the API cannot carry it, IMAP does; leave it out to compare.
    const specs = acceptanceMailbox().map((m) => ({ ...m, flags: [] }));
    mailboxes.set('eve@gmail.test', new GmailStore(specs));
    const viaImap = project('eve');
    assert.equal((await viaImap.run('full')).items[0].status, 'Completed');
    viaImap.store.close();

    const google = await startTestDomain({ users: ['eve@example.test'] });
    try {
      for (const name of new Set(specs.flatMap((m) => m.labels).filter((l) => l !== l.toUpperCase() || l.includes('/')).flatMap((l) => l.split('/').map((_, i, p) => p.slice(0, i + 1).join('/'))))) google.fake.admin.addLabel('eve@example.test', name);
      for (const m of specs) google.fake.admin.addMessage('eve@example.test', { raw: m.raw.toString(), labels: m.labels, internalDate: m.date });
      const viaApi = gmailProject(google, `{ type: imap, host: 127.0.0.1, port: ${dovecot.port}, security: none }`, [{ source: 'eve@example.test', destination: 'api@dst.test', destinationAuth: "{ username: 'api@dst.test', password: { secret: API_DST } }" }]);
      dirs.push(viaApi.dir);
      const api = await runPass({ plan: viaApi.plan, store: viaApi.store, pass: 'full', connectors: registryConnectors, secrets: (n) => ({ GKEY: JSON.stringify(google.key), API_DST: 'api-pw' })[n], retry: { ...defaultRetryPolicy, baseMs: 20, maxMs: 200 } });
      assert.equal(api.items[0].status, 'Completed', JSON.stringify(api.items));
      viaApi.store.close();
    } finally {
      await google.fake.stop();
    }
    const [imapSide, apiSide] = [Object.fromEntries(await arrived(dovecot, 'eve@dst.test')), Object.fromEntries(await arrived(dovecot, 'api@dst.test'))];
    assert.deepEqual(imapSide, apiSide);
    assert.deepEqual(imapSide, Object.fromEntries(expected(specs)));
  });

  it('options.gmail.labels categories: each message once, in its primary folder, its labels as keywords', async () => {
    const p = project('dan', 'options:\n  gmail: { labels: categories }\n');
    const full = await p.run('full');
    assert.equal(full.totals.copied, acceptanceMailbox().length, JSON.stringify(full.items));
    const got = await arrived(dovecot, 'dan@dst.test');
    assert.deepEqual([...got.values()].flat().map((m) => m.messageId).sort(), acceptanceMailbox().map((m) => /Message-ID: (<[^>]+>)/.exec(m.raw.toString())![1]).sort());
    assert.deepEqual(got.get('INBOX')?.find((m) => m.messageId === '<gm-8@example.org>')?.flags, ['$Important', 'Personal', 'Work/Projects', '\\Answered', '\\Flagged', '\\Seen']);
    // A label that is no IMAP atom is still a keyword (modified UTF-7), not a refused APPEND.
    assert.deepEqual(got.get('INBOX')?.find((m) => m.messageId === '<gm-10@example.org>')?.flags, ['Projets/&AMk-t&AOk-', '\\Seen']);
    p.store.close();
  });

  it('a revoked refresh token fails the mailbox with IMAP-OAUTH-REVOKED and copies nothing', async () => {
    tokens.revoke(refresh.get('cal')!);
    const p = project('cal');
    const full = await p.run('full');
    assert.equal(full.items[0].status, 'NotValid');
    assert.equal(full.items[0].code, 'IMAP-OAUTH-REVOKED');
    assert.equal((await arrived(dovecot, 'cal@dst.test')).size, 0);
    p.store.close();
  });
});
