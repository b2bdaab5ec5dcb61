// What the m365 connector does when Microsoft 365 (the fake) says no or moves on: a message over
// Graph's request limit fails the item (GRAPH-413), a full mailbox the mailbox (GRAPH-507), a
// half-written message is never left behind, a throttled request carries
// Retry-After for the engine (GRAPH-429), an expired delta link lists the folder afresh, device
// code sign-in reaches the signed-in user's mailbox, and the tenant's mailboxes can be listed.
import * as assert from 'node:assert/strict';
import { probeOf } from '../../../../src/connectors/fingerprint';
import { setDeviceCodePrompt } from '../../../../src/connectors/m365/auth/deviceCode';
import { setTokenCacheStore } from '../../../../src/connectors/m365/auth/tokenCache';
import { resetTokenProviders } from '../../../../src/connectors/m365/auth/tokenProvider';
import { m365Connector } from '../../../../src/connectors/m365/m365Connector';
import { listTenantMailboxes } from '../../../../src/connectors/m365/m365Directory';
import { WATERMARK } from '../../../../src/connectors/m365/messageProperties';
import type { ItemContent } from '../../../../src/connectors/types';
import { withAttachment } from '../../../servers/realWorldMessages';
import { plainMessage } from '../../../servers/testMessages';
import { startTestTenant, type TestTenant } from '../../../servers/fakeM365/testTenant';
import { connectorRejection as rejection } from '../../../unit/connectors/connectorHarness';

const signal = new AbortController().signal;
const content = (n: number, body?: string): ItemContent => {
  const m = plainMessage(n, body ? { body } : {});
  return { format: 'rfc822', data: m.raw, flags: ['\\Seen'], date: m.date };
};

describe('m365 connector: refusals, expiry and device code (fake)', function () {
  this.timeout(20_000);
  let t: TestTenant;

  before(async () => {
    t = await startTestTenant(['ann@contoso.test'], { maxRequestBytes: 64 * 1024 });
    t.fake.data.addUser(t.tenant, 'full@contoso.test', { quotaBytes: 1000 });
  });
  after(async () => {
    setDeviceCodePrompt((request) => console.error(request.message));
    await t?.fake.close();
  });

  it('fails an item too large for a Graph request with GRAPH-413 and a full mailbox with GRAPH-507', async () => {
    const ann = await m365Connector.openDestination(t.request('ann@contoso.test'));
    const inbox = await ann.ensureFolder(['INBOX'], 'inbox');
    const big = await rejection(ann.writeItem(inbox, content(1, 'x'.repeat(80 * 1024)), signal));
    assert.deepEqual([big.code, big.disposition], ['GRAPH-413', 'item']);
    const full = await m365Connector.openDestination(t.request('full@contoso.test'));
    const fullInbox = await full.ensureFolder(['INBOX'], 'inbox');
    const quota = await rejection(full.writeItem(fullInbox, content(2, 'y'.repeat(2000)), signal));
    assert.deepEqual([quota.code, quota.disposition], ['GRAPH-507', 'mailbox']);
  });

  it('settles a write cut between the create and the finishing PATCH: the pending message is replaced, never kept', async function () {
    // Four parses of a 3.5 MB message (mailparser: about 0.4 s a MB) on a shared machine.
    this.timeout(90_000);
    const ann = await m365Connector.openDestination(t.request('ann@contoso.test'));
    const folder = await ann.ensureFolder(['Cut'], undefined);
    const graph = t.fake.graph;
    const handle = graph.handle.bind(graph);
    for (const [n, messageId] of [[6, undefined], [7, null]] as const) {
      // A 3.5 MB attachment: created pending, the attachment uploaded, then the watermark PATCHed.
      const item = { ...content(n), data: withAttachment(plainMessage(n, { messageId }).raw, 3.5 * 1024 * 1024) };
      // The PATCH (each of its 6 tries: throttled PATCHes are sent again) and the clean-up
      // (permanentDelete) fail: a message with the pending watermark stays behind.
      let failing = 7;
      graph.handle = async (req) => (failing > 0 && (req.method === 'PATCH' || req.path.endsWith('/permanentDelete')) ? (failing--, { status: 503, headers: { 'retry-after': '0' }, body: { error: { code: 'ServiceUnavailable', message: 'try later' } } }) : handle(req));
      try {
        assert.equal((await rejection(ann.writeItem(folder, item, signal))).code, 'GRAPH-503');
      } finally {
        graph.handle = handle;
      }
      const box = () => t.fake.data.mailbox(t.fake.data.findUser(t.tenant, 'ann@contoso.test')!.id).messages.filter((m) => m.subject === `Plain message ${n}`);
      assert.deepEqual(box().map((m) => m.props[WATERMARK.toLowerCase()]), [`pending:${probeOf(item).fingerprint}`]);
      assert.equal(await ann.findWritten(folder, probeOf(item)), undefined);
      assert.equal(box().length, 0, 'the half-written message was purged, not left among the items the user can recover');
      const written = await ann.writeItem(folder, item, signal);
      assert.deepEqual(await ann.findWritten(folder, probeOf(item)), written);
      assert.deepEqual(box().map((m) => [m.isDraft, m.attachments?.length]), [[false, 1]]);
    }
  });

  it('passes Retry-After to the engine on 429 and 503', async () => {
    const source = await m365Connector.openSource(t.request('ann@contoso.test'));
    // The folder list's own GET (listFolders also sends a $batch, whose refused sub-requests it sends again itself).
    const folderList = { method: 'GET', path: /\/mailFolders$/ };
    t.fake.faults.failMatching(folderList, 1, 429, 7);
    const throttled = await rejection(source.listFolders());
    assert.deepEqual([throttled.code, throttled.disposition, throttled.retryAfterMs], ['GRAPH-429', 'transient', 7000]);
    t.fake.faults.failMatching(folderList, 1, 503, 2);
    const busy = await rejection(source.listFolders());
    assert.deepEqual([busy.code, busy.disposition, busy.retryAfterMs], ['GRAPH-503', 'transient', 2000]);
  });

  it('lists a folder afresh (reset) when its delta link is no longer valid', async () => {
    const ann = await m365Connector.openDestination(t.request('ann@contoso.test'));
    const folder = await ann.ensureFolder(['Delta'], undefined);
    await ann.writeItem(folder, content(3), signal);
    const source = await m365Connector.openSource(t.request('ann@contoso.test'));
    const listed = (await source.listFolders()).find((f) => f.path.join('/') === 'Delta')!;
    const first = await source.listItems(listed, undefined, signal);
    assert.equal(first.items.length, 1);
    // The store's size of the message it holds (Exchange's, not the source MIME's).
    const held = t.fake.data.mailbox(t.fake.data.findUser(t.tenant, 'ann@contoso.test')!.id).messages.find((m) => m.subject === 'Plain message 3')!;
    assert.equal(first.items[0].sizeBytes, held.size, 'size from PR_MESSAGE_SIZE');
    await ann.writeItem(folder, content(4), signal);
    const next = await source.listItems(listed, first.cursor, signal);
    assert.deepEqual([next.items.length, next.reset], [1, false]);
    const stale = { deltaLink: String(first.cursor.deltaLink).replace(/\$deltatoken=[^&]+/, '$deltatoken=bm90LWEtdG9rZW4') };
    const again = await source.listItems(listed, stale, signal);
    assert.deepEqual([again.items.length, again.reset], [2, true]);
  });

  it('signs in with a device code approved by the user and reads their mailbox', async () => {
    let prompts = 0;
    setDeviceCodePrompt((request) => {
      prompts++;
      assert.equal(/enter the code (\S+)/.exec(request.message)?.[1], request.userCode, request.message);
      assert.match(request.verificationUri, /^https:\/\//);
      assert.ok(t.fake.identity.approveDeviceCode(request.userCode, 'ann@contoso.test'));
    });
    const settings = { ...t.settings(), deviceCode: true };
    delete (settings as Record<string, unknown>).clientSecret;
    const source = await m365Connector.openSource(t.request('ann@contoso.test', {}, settings));
    assert.ok((await source.listFolders()).some((f) => f.role === 'inbox'));
    assert.equal(prompts, 1);
    // A new process (the providers forgotten) with the persisted cache signs in silently.
    const kept = new Map<string, string>();
    setTokenCacheStore({ load: (key) => kept.get(key), save: (key, data) => void kept.set(key, data) });
    try {
      resetTokenProviders();
      await m365Connector.openSource(t.request('ann@contoso.test', {}, settings));
      assert.equal(prompts, 2, 'an empty cache asks for a device code');
      assert.equal(kept.size, 1, 'the cache was saved');
      resetTokenProviders();
      await m365Connector.openSource(t.request('ann@contoso.test', {}, settings));
      assert.equal(prompts, 2, 'the persisted cache signs in without a new device code');
    } finally {
      setTokenCacheStore();
    }
  });
});

describe('m365 connector: tenant mailboxes (fake)', function () {
  this.timeout(20_000);

  it('lists licensed users with a mailbox across pages, and needs User.Read.All', async () => {
    const t = await startTestTenant(Array.from({ length: 105 }, (_, i) => `user${String(i).padStart(3, '0')}@contoso.test`));
    try {
      t.fake.data.addUser(t.tenant, 'nolicence@contoso.test', { licensed: false });
      const found = await listTenantMailboxes(t.request('(any)'));
      assert.equal(found.length, 105);
      assert.equal(found[0], 'user000@contoso.test');
      assert.ok(!found.includes('nolicence@contoso.test'));
      const app = t.fake.data.addApp(t.tenant, { secrets: ['s'], roles: ['Mail.ReadWrite'] });
      const denied = await rejection(listTenantMailboxes(t.request('(any)', { M365_SECRET: 's' }, { ...t.settings(), clientId: app.clientId })));
      assert.equal(denied.code, 'GRAPH-403');
    } finally {
      await t.fake.close();
    }
  });
});
