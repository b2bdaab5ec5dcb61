// The fake Graph held to Microsoft's v1.0 CSDL: the committed graphMetadata.json is what
// scripts/derive-graph-metadata.mjs derives from ../shared (skipped without it), a `$select`,
// `$expand` or `$filter` naming a property v1.0 lacks is Graph's 400 (mailFolder.sizeInBytes is
// beta only), `$select` cuts the answer, the body check refuses an unknown property, and the
// connector lists folders (sizes from PidTagMessageSizeExtended) without the fake deviating.
// `$batch` runs its sub-requests side by side (4 per mailbox, against its concurrency limit),
// honours dependsOn (424 after a failed dependency), and the connector retries a throttled one.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { resetTokenProviders } from '../../../../src/connectors/m365/auth/tokenProvider';
import { GraphSession } from '../../../../src/connectors/m365/graphSession';
import { select } from '../../../../src/connectors/m365/graphSelect';
import { listGraphFolders } from '../../../../src/connectors/m365/m365Folders';
import type { MailFolder } from '@microsoft/microsoft-graph-types';
import { m365Settings } from '../../../../src/connectors/m365/m365Settings';
import { bodyDeviations } from '../../../servers/fakeM365/graphSchema';
import { startTestTenant, type TestTenant } from '../../../servers/fakeM365/testTenant';
import { repoRoot } from '../../helpers/repoRoot';
import { requireShared } from '../../helpers/sharedReference';
import { request, tokenRequest } from './fakeHttp';


describe('fake Microsoft 365 against the v1.0 metadata', function () {
  this.timeout(30_000);
  let t: TestTenant;
  let token: string;
  const graph = (p: string, options: Parameters<typeof request>[2] = {}) => request(`${t.fake.url}${p.startsWith('/beta') ? '' : '/v1.0'}${p}`, t.fake.caPem, { ...options, headers: { authorization: `Bearer ${token}`, ...(options.headers ?? {}) } });
  const batch = (requests: object[]) => graph('/$batch', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ requests }) });

  before(async () => {
    t = await startTestTenant(['ann@contoso.test']);
    token = String((await tokenRequest(t.fake.url, t.fake.caPem, t.tenant.id, t.app.clientId, t.secret)).json().access_token);
  });
  after(async () => {
    await t?.fake.close();
    resetTokenProviders();
  });
  afterEach(() => assert.deepEqual(t.fake.graph.deviations, [], 'the fake sent bodies v1.0 does not allow'));

  it('the committed graphMetadata.json is what the script derives from the CSDL', function () {
    const csdl = requireShared(this, 'reference/microsoft-graph/v1.0-metadata.xml');
    const run = spawnSync(process.execPath, [path.join(repoRoot(), 'scripts/derive-graph-metadata.mjs'), '--csdl', csdl, '--check'], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
  });

  it("answers 400 to $select=sizeInBytes on v1.0 mailFolders (beta only), and to unknown $expand/$filter names, with Graph's message", async () => {
    const v1 = await graph('/users/ann@contoso.test/mailFolders?$select=id,displayName,sizeInBytes');
    assert.equal(v1.status, 400);
    assert.equal((v1.json().error as { message: string }).message, "Could not find a property named 'sizeInBytes' on type 'microsoft.graph.mailFolder'.");
    assert.equal((await graph('/users/ann@contoso.test/mailFolders?$expand=nothing')).status, 400);
    assert.equal((await graph("/users/ann@contoso.test/mailFolders/inbox/messages?$filter=noSuchField eq 'x'")).status, 400);
    const beta = await graph('/beta/users/ann@contoso.test/mailFolders?$select=id,sizeInBytes');
    assert.equal(beta.status, 200);
    assert.ok((beta.json().value as Record<string, unknown>[]).every((f) => typeof f.sizeInBytes === 'number'));
  });

  it("types the connector's $select with Microsoft's v1.0 types: a beta-only property does not compile", () => {
    assert.equal(select<MailFolder>('id', 'totalItemCount'), 'id,totalItemCount');
    // @ts-expect-error sizeInBytes is no property of v1.0's mailFolder (tsc fails if it ever compiles)
    assert.equal(select<MailFolder>('id', 'sizeInBytes'), 'id,sizeInBytes');
  });

  it('cuts a v1.0 answer to $select (id stays) and never sends sizeInBytes under v1.0', async () => {
    const page = await graph('/users/ann@contoso.test/mailFolders?$select=displayName');
    assert.equal(page.status, 200);
    for (const f of page.json().value as Record<string, unknown>[]) assert.deepEqual(Object.keys(f).sort(), ['displayName', 'id']);
    const whole = await graph('/users/ann@contoso.test/mailFolders/inbox');
    assert.equal(whole.json().sizeInBytes, undefined);
  });

  it('the body check refuses a property v1.0 lacks and a wrong type, and allows paging annotations', () => {
    assert.deepEqual(bodyDeviations({ '@odata.nextLink': 'x', value: [{ id: 'a', displayName: 'Inbox' }] }, { type: 'mailFolder', collection: true }, 'r'), []);
    assert.match(bodyDeviations({ id: 'a', sizeInBytes: 1 }, { type: 'mailFolder', collection: false }, 'r').join(), /sizeInBytes: no such property/);
    assert.match(bodyDeviations({ id: 'a', totalItemCount: '3' }, { type: 'mailFolder', collection: false }, 'r').join(), /is no Edm.Int32/);
  });

  it('the connector lists the folder tree with sizes from PidTagMessageSizeExtended (Long 0x0E08)', async () => {
    await graph('/users/ann@contoso.test/mailFolders/inbox/messages', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ subject: 'sized' }) });
    const session = await GraphSession.open(m365Settings(t.request('ann@contoso.test')), 'ann@contoso.test');
    const folders = await listGraphFolders(session);
    const inbox = folders.find((f) => f.role === 'inbox')!;
    const box = t.fake.data.mailbox(t.fake.data.findUser(t.tenant, 'ann@contoso.test')!.id);
    const expected = box.messages.filter((m) => m.folderId === inbox.id).reduce((s, m) => s + m.size, 0);
    assert.ok(expected > 0);
    assert.equal(inbox.sizeBytes, expected);
  });

  it('$batch runs sub-requests side by side, 4 per mailbox, against the mailbox concurrency limit', async () => {
    t.fake.graph.latencyMs = 40;
    try {
      const requests = Array.from({ length: 8 }, (_, i) => ({ id: String(i), method: 'GET', url: '/users/ann@contoso.test/mailFolders/inbox' }));
      const free = await batch(requests);
      assert.deepEqual((free.json().responses as { status: number }[]).map((r) => r.status), Array(8).fill(200));
      // One request of the client in flight on the mailbox: the batch's 4th parallel sub-request is the 5th, refused alone.
      const before = t.fake.throttle.refusals.concurrency;
      const [busy, other] = await Promise.all([batch(requests.slice(0, 4)), graph('/users/ann@contoso.test/mailFolders/drafts')]);
      const statuses = [...(busy.json().responses as { status: number }[]).map((r) => r.status), other.status];
      assert.equal(statuses.filter((s) => s === 429).length, 1, JSON.stringify(statuses));
      assert.equal(t.fake.throttle.refusals.concurrency, before + 1);
    } finally {
      t.fake.graph.latencyMs = 0;
    }
  });

  it('$batch honours dependsOn: the dependent runs after, and gets 424 when its dependency failed', async () => {
    const res = await batch([
      { id: 'b', method: 'GET', url: '/users/ann@contoso.test/mailFolders/nowhere', dependsOn: [] },
      { id: 'c', method: 'POST', url: '/users/ann@contoso.test/mailFolders', headers: { 'content-type': 'application/json' }, body: { displayName: 'After b' }, dependsOn: ['b'] },
      { id: 'a', method: 'POST', url: '/users/ann@contoso.test/mailFolders', headers: { 'content-type': 'application/json' }, body: { displayName: 'Parent' } },
      { id: 'd', method: 'GET', url: '/users/ann@contoso.test/mailFolders/inbox', dependsOn: ['a'] },
    ]);
    const byId = new Map((res.json().responses as { id: string; status: number }[]).map((r) => [r.id, r.status]));
    assert.deepEqual([byId.get('a'), byId.get('b'), byId.get('c'), byId.get('d')], [201, 404, 424, 200]);
    const box = t.fake.data.mailbox(t.fake.data.findUser(t.tenant, 'ann@contoso.test')!.id);
    assert.equal(box.folders.some((f) => f.displayName === 'After b'), false, 'a request whose dependency failed must not run');
    assert.equal((await batch([{ id: 'x', method: 'GET', url: '/me', dependsOn: ['y'] }])).status, 400);
  });

  it("the connector's $batch retries a sub-request throttled inside the batch (per-request 429)", async () => {
    const session = await GraphSession.open(m365Settings(t.request('ann@contoso.test')), 'ann@contoso.test');
    t.fake.faults.failMatching({ method: 'GET', path: /\/mailFolders\/inbox$/ }, 1, 429, 1);
    const folders = await listGraphFolders(session);
    assert.ok(folders.some((f) => f.role === 'inbox'), 'the throttled well-known folder was asked again');
  });
});
