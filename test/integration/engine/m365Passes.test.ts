// The engine with Microsoft 365 (the fake) as the destination, IMAP (Dovecot) as the source,
// through runPass like a real run: full then delta with zero duplicates, Microsoft 365 as a source
// too (M365 -> M365), a 429 storm (injected faults and the documented per-mailbox budget)
// survived, a token revoked mid-pass renewed, and an unlicensed destination reported as
// Insufficient licenses.
import * as assert from 'node:assert/strict';
import { resetTokenProviders } from '../../../src/connectors/m365/auth/tokenProvider';
import { m365Connector } from '../../../src/connectors/m365/m365Connector';
import { defaultRetryPolicy } from '../../../src/engine/backoff';
import { runPass } from '../../../src/engine/runPass';
import { registryConnectors } from '../../../src/runner/connectors';
import { startDovecot, seedMessages, type DovecotServer } from '../../servers/dovecot';
import { plainMessage } from '../../servers/testMessages';
import { imapToM365Project } from './imapToM365Project';
import { startTestTenant, type TestTenant } from '../../servers/fakeM365/testTenant';

const USERS = ['ann', 'bob', 'cat', 'dan'];

describe('engine: IMAP (Dovecot) -> Microsoft 365 (fake)', function () {
  this.timeout(60_000);
  let server: DovecotServer;
  let t: TestTenant;
  // Every JSON body the fake sent was held against Graph's v1.0 metadata (graphSchema.ts): none deviated.
  afterEach(() => assert.deepEqual(t?.fake.graph.deviations ?? [], []));
  const secrets: Record<string, string> = { SRC: 'src-pw' };

  before(async () => {
    [server, t] = await Promise.all([startDovecot({ users: USERS.map((u) => ({ user: `${u}@src.test`, password: 'src-pw' })) }), startTestTenant(USERS.map((u) => `${u}@contoso.test`))]);
    t.fake.data.addUser(t.tenant, 'eve@contoso.test', { licensed: false });
    secrets.M365_SECRET = t.secret;
    await Promise.all(
      USERS.map(async (u, k) => {
        const base = 1000 * (k + 1);
        await seedMessages(server, `${u}@src.test`, 'INBOX', Array.from({ length: 12 }, (_, i) => plainMessage(base + i)).map((m, i) => ({ raw: m.raw, flags: i % 2 ? ['\\Seen'] : [], date: m.date })));
        await seedMessages(server, `${u}@src.test`, 'Projects/2026', Array.from({ length: 4 }, (_, i) => plainMessage(base + 100 + i)).map((m) => ({ raw: m.raw, flags: ['\\Seen', '\\Flagged'], date: m.date })));
      }),
    );
  });
  after(async () => {
    await server?.stop();
    await t?.fake.close();
    resetTokenProviders();
  });

  const project = (items: [string, string][]) => imapToM365Project(server.port, t, items);

  const fast = { ...defaultRetryPolicy, attempts: 10, baseMs: 20, maxMs: 200 };
  const messagesOf = (user: string) => t.fake.data.mailbox(t.fake.data.findUser(t.tenant, user)!.id).messages;

  it('full then delta: every message once, not a draft, read state and dates kept; delta copies nothing', async () => {
    const { plan, store } = project([['ann@src.test', 'ann@contoso.test']]);
    const run = (pass: 'full' | 'delta') => runPass({ plan, store, pass, connectors: registryConnectors, secrets: (n) => secrets[n], retry: fast });
    const full = await run('full');
    assert.deepEqual([full.items[0].status, full.totals.copied], ['Completed', 16], JSON.stringify(full.items));
    assert.equal((await run('delta')).totals.copied, 0);
    const messages = messagesOf('ann@contoso.test');
    assert.equal(messages.length, 16);
    assert.equal(new Set(messages.map((m) => m.internetMessageId)).size, 16);
    assert.ok(messages.every((m) => !m.isDraft));
    assert.equal(messages.filter((m) => m.isRead).length, 6 + 4);
    assert.equal(messages.filter((m) => m.flagStatus === 'flagged').length, 4);
    assert.ok(messages.some((m) => m.receivedDateTime === plainMessage(1000).date.toISOString().replace(/\.\d+Z$/, 'Z')));
    await seedMessages(server, 'ann@src.test', 'INBOX', [plainMessage(1500)].map((m) => ({ raw: m.raw, flags: [], date: m.date })));
    assert.equal((await run('delta')).totals.copied, 1);
    assert.equal(messagesOf('ann@contoso.test').length, 17);
    store.close();
  });

  it('Microsoft 365 -> Microsoft 365: full, delta moves zero, new mail once (per-folder delta links as cursors)', async () => {
    // Its own source mailbox (not the one the IMAP test fills): 12 messages in the Inbox, 4 in Projects/2026.
    t.fake.data.addUser(t.tenant, 'amy@contoso.test');
    t.fake.data.addUser(t.tenant, 'zed@contoso.test');
    const amy = await m365Connector.openDestination(t.request('amy@contoso.test'));
    const [inbox, projects] = [await amy.ensureFolder(['INBOX'], 'inbox'), await amy.ensureFolder(['Projects', '2026'], undefined)];
    for (let i = 0; i < 16; i++) {
      const seed = plainMessage(1700 + i);
      await amy.writeItem(i < 12 ? inbox : projects, { format: 'rfc822', data: seed.raw, flags: i % 2 ? ['\\Seen'] : [], date: seed.date }, new AbortController().signal);
    }
    const { plan, store } = project([['amy@contoso.test', 'zed@contoso.test']]);
    const src = plan.endpoints.get('src')!;
    plan.endpoints.set('src', { ...src, type: 'm365', settings: t.settings() });
    const run = (pass: 'full' | 'delta') => runPass({ plan, store, pass, connectors: registryConnectors, secrets: (n) => secrets[n], retry: fast });
    const full = await run('full');
    assert.deepEqual([full.items[0].status, full.totals.copied], ['Completed', 16], JSON.stringify(full.items));
    assert.equal((await run('delta')).totals.copied, 0);
    const m = plainMessage(1600);
    await amy.writeItem(inbox, { format: 'rfc822', data: m.raw, flags: [], date: m.date }, new AbortController().signal);
    assert.equal((await run('delta')).totals.copied, 1);
    const zed = messagesOf('zed@contoso.test');
    assert.equal(zed.length, 17);
    assert.deepEqual(zed.map((x) => x.internetMessageId).sort(), messagesOf('amy@contoso.test').map((x) => x.internetMessageId).sort());
    assert.ok(zed.every((x) => !x.isDraft));
    await amy.close();
    store.close();
  });

  it('survives a 429 storm: injected 429/503 and a small per-mailbox request budget', async () => {
    t.fake.faults.failNext(8, 429, 0);
    t.fake.faults.failNext(4, 503, 0);
    t.fake.throttle.limits = { ...t.fake.throttle.limits, requests: 12, requestWindowMs: 3_000 };
    try {
      const { plan, store } = project([['bob@src.test', 'bob@contoso.test'], ['cat@src.test', 'cat@contoso.test']]);
      const full = await runPass({ plan, store, pass: 'full', connectors: registryConnectors, secrets: (n) => secrets[n], retry: fast });
      assert.deepEqual(full.items.map((i) => i.status), ['Completed', 'Completed'], JSON.stringify(full.items));
      assert.ok(t.fake.throttle.refusals.requests > 0, 'the budget was never reached');
      assert.equal(messagesOf('bob@contoso.test').length, 16);
      assert.equal(messagesOf('cat@contoso.test').length, 16);
      store.close();
    } finally {
      t.fake.throttle.limits = { ...t.fake.throttle.limits, requests: 10_000, requestWindowMs: 600_000 };
    }
  });

  it('renews a token revoked mid-pass', async () => {
    const graph = t.fake.graph;
    const handle = graph.handle.bind(graph);
    let served = 0;
    graph.handle = async (req) => {
      if (++served === 12) t.fake.tokens.revokeAll();
      return handle(req);
    };
    try {
      const issued = t.fake.tokens.issued;
      const { plan, store } = project([['dan@src.test', 'dan@contoso.test']]);
      const full = await runPass({ plan, store, pass: 'full', connectors: registryConnectors, secrets: (n) => secrets[n], retry: fast });
      assert.deepEqual([full.items[0].status, full.totals.copied], ['Completed', 16], JSON.stringify(full.items));
      assert.ok(t.fake.tokens.issued > issued, 'no new token was requested');
      assert.equal(messagesOf('dan@contoso.test').length, 16);
      store.close();
    } finally {
      graph.handle = handle;
    }
  });

  it('reports an unlicensed destination as Insufficient licenses', async () => {
    const { plan, store } = project([['ann@src.test', 'eve@contoso.test']]);
    const verify = await runPass({ plan, store, pass: 'verify', connectors: registryConnectors, secrets: (n) => secrets[n], retry: fast });
    assert.equal(verify.items[0].status, 'InsufficientLicenses');
    assert.equal(verify.items[0].code, 'GRAPH-NOLICENSE');
    store.close();
  });
});
