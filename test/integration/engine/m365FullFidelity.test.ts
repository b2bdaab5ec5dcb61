// The engine between two Microsoft 365 mailboxes (the fake) on the full-fidelity path, through
// runPass like a real run: items exported with exportItems (at most 20 a call) and imported through
// import sessions whose URLs expire mid-pass, through injected 429s and 503s and revoked tokens;
// full then delta with zero duplicates, new mail once, nothing a draft; and switches between the
// MIME path and full fidelity between passes that copy nothing twice.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { resetTokenProviders } from '../../../src/connectors/m365/auth/tokenProvider';
import { m365Connector } from '../../../src/connectors/m365/m365Connector';
import { defaultRetryPolicy } from '../../../src/engine/backoff';
import { runPass } from '../../../src/engine/runPass';
import { registryConnectors } from '../../../src/runner/connectors';
import { loadPlan } from '../../../src/runner/loadPlan';
import { Store } from '../../../src/store/store';
import { mailboxApiSettings } from '../../servers/fakeM365/mailboxApi';
import { FULL_FIDELITY_ROLES, startTestTenant, type TestTenant } from '../../servers/fakeM365/testTenant';
import { plainMessage } from '../../servers/testMessages';

describe('engine: Microsoft 365 -> Microsoft 365 full fidelity (fake)', function () {
  this.timeout(60_000);
  let t: TestTenant;
  // Every JSON body the fake sent was held against Graph's v1.0 metadata (graphSchema.ts): none deviated.
  afterEach(() => assert.deepEqual(t?.fake.graph.deviations ?? [], []));
  const secrets: Record<string, string> = {};
  const signal = new AbortController().signal;
  const messagesOf = (user: string) => t.fake.data.mailbox(t.fake.data.findUser(t.tenant, user)!.id).messages;

  before(async () => {
    t = await startTestTenant(['ann@contoso.test', 'zed@contoso.test', 'yan@contoso.test', 'xia@contoso.test'], { latencyMs: 2 });
    t.app.roles.push(...FULL_FIDELITY_ROLES);
    t.fake.data.saveDirectory();
    secrets.M365_SECRET = t.secret;
    const ann = await m365Connector.openDestination(t.request('ann@contoso.test'));
    const folders = [await ann.ensureFolder(['INBOX'], 'inbox'), await ann.ensureFolder(['Projects', '2026'], undefined)];
    for (let i = 0; i < 50; i++) {
      const m = plainMessage(9000 + i);
      await ann.writeItem(folders[i % 4 === 0 ? 1 : 0], { format: 'rfc822', data: m.raw, flags: i % 3 ? ['\\Seen'] : [], date: m.date }, signal);
    }
  });
  after(async () => {
    await t?.fake.close();
    resetTokenProviders();
  });

  function project(destination = 'zed@contoso.test'): { plan: ReturnType<typeof loadPlan>['plan']; store: Store } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-m365-ff-'));
    const endpoint = `${t.endpointYaml()}`;
    const text = `version: 1
project: { name: M365 full fidelity }
endpoints:
  src: ${endpoint}
  dst: ${endpoint}
source: src
destination: dst
batches:
  - name: Main
    items:
      - source: ann@contoso.test
        destination: ${destination}
`;
    fs.writeFileSync(path.join(dir, 'p.migration.yaml'), text);
    return { plan: loadPlan(path.join(dir, 'p.migration.yaml')).plan, store: Store.open(path.join(dir, '.ferry')) };
  }

  it('full through a 429 storm, delta moves zero, new mail once; import URLs expiring mid-pass are renewed; exports of at most 20', async () => {
    const api = mailboxApiSettings(t.fake.graph);
    // The fake's clock moves an hour on every 15th import: the URLs (an hour's life) handed out
    // before are expired, so the pass outlives several of them, whatever the machine's speed.
    api.now = () => Date.now() + Math.floor(api.imported / 15) * 60 * 60 * 1000;
    // The other test adds a message to ann's: count what is there.
    const total = messagesOf('ann@contoso.test').length;
    const { plan, store } = project();
    const fast = { ...defaultRetryPolicy, attempts: 10, baseMs: 20, maxMs: 200 };
    const run = (pass: 'full' | 'delta') => runPass({ plan, store, pass, connectors: registryConnectors, secrets: (n) => secrets[n], retry: fast });
    const exportsBefore = api.exportCalls;
    const sessionsBefore = api.sessionsCreated;
    // A storm on the way: 429s and 503s hit listings, exports and imports alike.
    t.fake.faults.failNext(6, 429, 0);
    t.fake.faults.failNext(3, 503, 0);
    const full = await run('full');
    assert.deepEqual([full.items[0].status, full.totals.copied], ['Completed', total], JSON.stringify(full.items));
    // 37 (or 38) + 13 items: at most 20 an export, so at least 3 calls, and read ahead keeps them near that.
    assert.ok(api.exportCalls - exportsBefore >= 3 && api.exportCalls - exportsBefore <= 6, `exports: ${api.exportCalls - exportsBefore}`);
    assert.ok(api.sessionsCreated - sessionsBefore >= 2, `import sessions: ${api.sessionsCreated - sessionsBefore}`);
    assert.equal((await run('delta')).totals.copied, 0);
    const zed = messagesOf('zed@contoso.test');
    assert.equal(zed.length, total);
    assert.equal(new Set(zed.map((m) => m.internetMessageId)).size, total);
    assert.ok(zed.every((m) => !m.isDraft));
    const ann = messagesOf('ann@contoso.test');
    const state = (list: typeof ann) => list.map((m) => `${m.internetMessageId} ${m.receivedDateTime} ${String(m.isRead)}`).sort();
    assert.deepEqual(state(zed), state(ann));

    const writer = await m365Connector.openDestination(t.request('ann@contoso.test'));
    const m = plainMessage(9600);
    await writer.writeItem(await writer.ensureFolder(['INBOX'], 'inbox'), { format: 'rfc822', data: m.raw, flags: [], date: m.date }, signal);
    // Tokens revoked before the delta: every side signs in again on its first 401.
    t.fake.tokens.revokeAll();
    assert.equal((await run('delta')).totals.copied, 1);
    assert.equal((await run('delta')).totals.copied, 0);
    assert.equal(messagesOf('zed@contoso.test').length, total + 1);
    assert.equal(new Set(messagesOf('zed@contoso.test').map((x) => x.internetMessageId)).size, total + 1);
    api.now = () => Date.now();
    store.close();
  });

  it('after a MIME pass, a permission granted later: folders listed as MIME stay MIME (their items are recorded under message ids, which the import/export API\'s are not), new folders go in full fidelity; nothing twice', async () => {
    const roles = [...t.app.roles];
    t.app.roles.splice(0, t.app.roles.length, ...roles.filter((r) => !r.startsWith('MailboxItem.')));
    resetTokenProviders();
    const { plan, store } = project('yan@contoso.test');
    const fast = { ...defaultRetryPolicy, attempts: 10, baseMs: 20, maxMs: 200 };
    const run = (pass: 'full' | 'delta') => runPass({ plan, store, pass, connectors: registryConnectors, secrets: (n) => secrets[n], retry: fast });
    const api = mailboxApiSettings(t.fake.graph);
    const exportsBefore = api.exportCalls;
    const total = messagesOf('ann@contoso.test').length;
    assert.equal((await run('full')).totals.copied, total);
    assert.equal(api.exportCalls, exportsBefore, 'the MIME pass exported');
    t.app.roles.splice(0, t.app.roles.length, ...roles);
    resetTokenProviders();
    const writer = await m365Connector.openDestination(t.request('ann@contoso.test'));
    const m = plainMessage(9700);
    await writer.writeItem(await writer.ensureFolder(['INBOX'], 'inbox'), { format: 'rfc822', data: m.raw, flags: [], date: m.date }, signal);
    const later = plainMessage(9701);
    await writer.writeItem(await writer.ensureFolder(['Later'], undefined), { format: 'rfc822', data: later.raw, flags: [], date: later.date }, signal);
    await writer.close();
    assert.equal((await run('delta')).totals.copied, 2);
    assert.equal(api.exportCalls, exportsBefore + 1, 'one export: the new folder, not the Inbox a MIME pass listed');
    assert.equal((await run('delta')).totals.copied, 0);
    const yan = messagesOf('yan@contoso.test');
    assert.equal(yan.length, total + 2);
    assert.equal(new Set(yan.map((x) => x.internetMessageId)).size, total + 2);
    store.close();
  });

  it('full fidelity, then the MailboxItem permission withdrawn: the mailbox stops with GRAPH-FF-LOST, nothing copied twice; granted again, the next pass goes on', async () => {
    const roles = [...t.app.roles];
    const { plan, store } = project('xia@contoso.test');
    const fast = { ...defaultRetryPolicy, attempts: 10, baseMs: 20, maxMs: 200 };
    const run = (pass: 'full' | 'delta') => runPass({ plan, store, pass, connectors: registryConnectors, secrets: (n) => secrets[n], retry: fast });
    const total = messagesOf('ann@contoso.test').length;
    assert.equal((await run('full')).totals.copied, total);
    t.app.roles.splice(0, t.app.roles.length, ...roles.filter((r) => !r.startsWith('MailboxItem.')));
    resetTokenProviders();
    const writer = await m365Connector.openDestination(t.request('ann@contoso.test'));
    const m = plainMessage(9800);
    await writer.writeItem(await writer.ensureFolder(['INBOX'], 'inbox'), { format: 'rfc822', data: m.raw, flags: [], date: m.date }, signal);
    await writer.close();
    const stopped = await run('delta');
    assert.equal(stopped.items[0].code, 'GRAPH-FF-LOST', JSON.stringify(stopped.items));
    assert.equal(messagesOf('xia@contoso.test').length, total, 'nothing copied as MIME on top of the full-fidelity copies');
    t.app.roles.splice(0, t.app.roles.length, ...roles);
    resetTokenProviders();
    const resumed = await run('delta');
    assert.equal(resumed.totals.copied, 1, JSON.stringify(resumed.items));
    const xia = messagesOf('xia@contoso.test');
    assert.equal(xia.length, total + 1);
    assert.equal(new Set(xia.map((x) => x.internetMessageId)).size, total + 1);
    store.close();
  });
});
