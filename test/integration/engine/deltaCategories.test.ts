// IMAP keywords and Outlook categories on delta (issue 13), with the mapping of the first copy
// (src/connectors/categories.ts): a keyword added or removed at an IMAP source (Dovecot) changes
// the message's categories in Microsoft 365 (the fake), `$Important` as the category Important;
// categories set in a Microsoft 365 source arrive as keywords in IMAP, on the first copy and on delta.
import * as assert from 'node:assert/strict';
import { resetTokenProviders } from '../../../src/connectors/m365/auth/tokenProvider';
import { m365Connector } from '../../../src/connectors/m365/m365Connector';
import { startDovecot, type DovecotServer } from '../../servers/dovecot';
import { connectAs, seedMessages } from '../../servers/dovecotSeed';
import { startTestTenant, type TestTenant } from '../../servers/fakeM365/testTenant';
import { plainMessage } from '../../servers/testMessages';
import { inProcessProject } from './deltaScenario';

const PASSWORD = 'categories-pw';

describe('delta carries keywords as categories and back (Dovecot, Microsoft 365 fake)', function () {
  this.timeout(120_000);
  let server: DovecotServer;
  let t: TestTenant;
  const secrets: Record<string, string> = { IMAP: PASSWORD };

  before(async () => {
    server = await startDovecot({ users: ['kw@src.test', 'cat@dst.test'].map((user) => ({ user, password: PASSWORD })) });
    t = await startTestTenant(['kw-dst@contoso.test', 'cat-src@contoso.test']);
    secrets.M365_SECRET = t.secret;
  });
  after(async () => {
    await t?.fake.close();
    resetTokenProviders();
    await server?.stop();
  });
  afterEach(() => assert.deepEqual(t?.fake.graph.deviations ?? [], []));

  const imap = () => `{ type: imap, host: 127.0.0.1, port: ${server.port}, security: none, auth: { username: '{mailbox}', password: { secret: IMAP } } }`;

  /** Categories of the messages of a Microsoft 365 mailbox by subject. */
  function categories(user: string): Record<string, string[]> {
    const box = t.fake.data.mailbox(t.fake.data.findUser(t.tenant, user)!.id);
    return Object.fromEntries(box.messages.map((m) => [m.subject, [...(m.categories ?? m.created?.categories ?? [])].sort()]));
  }

  /** Keywords (no system flags) of the INBOX messages of a Dovecot user by subject. */
  async function keywords(user: string): Promise<Record<string, string[]>> {
    const client = await connectAs(server, user);
    try {
      await client.mailboxOpen('INBOX');
      const out: Record<string, string[]> = {};
      for (const m of await client.fetchAll('1:*', { envelope: true, flags: true })) out[m.envelope!.subject!] = [...(m.flags ?? [])].filter((f) => !f.startsWith('\\')).sort();
      return out;
    } finally {
      await client.logout().catch(() => undefined);
    }
  }

  it('IMAP -> Microsoft 365: a keyword added, $Important added and a keyword removed change the categories; a rerun changes nothing', async () => {
    await seedMessages(server, 'kw@src.test', 'INBOX', [{ raw: plainMessage(9001).raw, flags: [] }, { raw: plainMessage(9002).raw, flags: [] }, { raw: plainMessage(9003).raw, flags: ['Old'] }]);
    const p = inProcessProject({ src: imap(), dst: t.endpointYaml() }, { source: 'kw@src.test', destination: 'kw-dst@contoso.test' }, 'keep', secrets);
    assert.equal((await p.run('full')).totals.copied, 3);
    assert.deepEqual(categories('kw-dst@contoso.test'), { 'Plain message 9001': [], 'Plain message 9002': [], 'Plain message 9003': ['Old'] }, 'the first copy');
    const client = await connectAs(server, 'kw@src.test');
    try {
      await client.mailboxOpen('INBOX');
      await client.messageFlagsAdd('1', ['Projects']);
      await client.messageFlagsAdd('2', ['$Important']);
      await client.messageFlagsRemove('3', ['Old']);
    } finally {
      await client.logout().catch(() => undefined);
    }
    await p.run('delta');
    const expected = { 'Plain message 9001': ['Projects'], 'Plain message 9002': ['Important'], 'Plain message 9003': [] };
    assert.deepEqual(categories('kw-dst@contoso.test'), expected);
    assert.equal(p.counts().flags, 3);
    await p.run('delta');
    assert.equal(p.counts().flags, 3, 'a rerun changes nothing');
    assert.deepEqual(categories('kw-dst@contoso.test'), expected);
    p.store.close();
  });

  it('Microsoft 365 -> IMAP: categories arrive as keywords on the first copy and on delta (Important as $Important)', async () => {
    const src = await m365Connector.openDestination(t.request('cat-src@contoso.test'));
    const signal = new AbortController().signal;
    const inbox = await src.ensureFolder(['INBOX'], 'inbox');
    const ids: string[] = [];
    for (const [n, flags] of [[9101, ['Clients']], [9102, []]] as const) {
      const m = plainMessage(n);
      ids.push((await src.writeItem(inbox, { format: 'rfc822', data: m.raw, flags: [...flags], date: m.date }, signal)).id);
    }
    const p = inProcessProject({ src: t.endpointYaml(), dst: imap() }, { source: 'cat-src@contoso.test', destination: 'cat@dst.test' }, 'keep', secrets);
    assert.equal((await p.run('full')).totals.copied, 2);
    assert.deepEqual(await keywords('cat@dst.test'), { 'Plain message 9101': ['Clients'], 'Plain message 9102': [] }, 'the first copy');
    // Outlook: the first message loses Clients and gets Travel, the second is marked Important.
    await src.setFlags!(inbox, ids[0], ['Travel'], signal);
    await src.setFlags!(inbox, ids[1], ['$Important'], signal);
    assert.deepEqual(categories('cat-src@contoso.test'), { 'Plain message 9101': ['Travel'], 'Plain message 9102': ['Important'] });
    await p.run('delta');
    assert.deepEqual(await keywords('cat@dst.test'), { 'Plain message 9101': ['Travel'], 'Plain message 9102': ['$Important'] });
    assert.equal(p.counts().flags, 2);
    await src.close();
    p.store.close();
  });
});
