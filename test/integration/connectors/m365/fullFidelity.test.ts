// Full fidelity between Microsoft 365 mailboxes (the fake): the mailbox import/export API as the
// fake serves it (at most 20 items an export, pre-authenticated import URLs that expire), and the
// m365 connector's full-fidelity path: exportItems in batches of up to 20, opaque items imported
// through import sessions renewed when they expire, nothing duplicated, nothing a draft.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { probeOf } from '../../../../src/connectors/fingerprint';
import { resetTokenProviders } from '../../../../src/connectors/m365/auth/tokenProvider';
import { FullFidelitySource } from '../../../../src/connectors/m365/fullFidelitySource';
import { m365Connector } from '../../../../src/connectors/m365/m365Connector';
import { M365Destination } from '../../../../src/connectors/m365/m365Destination';
import { M365Source } from '../../../../src/connectors/m365/m365Source';
import { WATERMARK } from '../../../../src/connectors/m365/messageProperties';
import type { DestinationMailbox, SourceMailbox } from '../../../../src/connectors/types';
import { propKey } from '../../../servers/fakeM365/extendedProperties';
import { expireImportSessions, mailboxApiSettings } from '../../../servers/fakeM365/mailboxApi';
import { findMessage, mailboxItemId } from '../../../servers/fakeM365/messageIds';
import { FULL_FIDELITY_ROLES, startTestTenant, type TestTenant } from '../../../servers/fakeM365/testTenant';
import { plainMessage } from '../../../servers/testMessages';
import { copyMailbox } from '../../../unit/connectors/connectorHarness';

const signal = new AbortController().signal;

describe('fake Microsoft 365: mailbox import/export API', function () {
  this.timeout(20_000);
  let t: TestTenant;
  // Every JSON body the fake sent was held against Graph's v1.0 metadata (graphSchema.ts): none deviated.
  afterEach(() => assert.deepEqual(t?.fake.graph.deviations ?? [], []));
  let token: string;
  const call = async (method: string, url: string, body?: unknown, bearer: string | undefined = token) => {
    const res = await fetch(url.startsWith('http') ? url : `${t.fake.url}/v1.0${url}`, { method, headers: { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  before(async () => {
    t = await startTestTenant(['ann@contoso.test', 'zed@contoso.test', 'yan@contoso.test']);
    token = t.fake.tokens.issue({ tid: t.tenant.id, appid: t.app.clientId, roles: ['Mail.ReadWrite', ...FULL_FIDELITY_ROLES, 'User.Read.All'] }).access_token;
    const ann = await m365Connector.openDestination(t.request('ann@contoso.test'));
    const inbox = await ann.ensureFolder(['INBOX'], 'inbox');
    for (let i = 0; i < 21; i++) {
      const m = plainMessage(7000 + i);
      await ann.writeItem(inbox, { format: 'rfc822', data: m.raw, flags: i % 2 ? ['\\Seen'] : [], date: m.date }, signal);
    }
    await ann.ensureFolder(['Projets', 'Été 2026'], undefined);
  });
  after(async () => {
    await t?.fake.close();
    resetTokenProviders();
  });

  const annBox = () => t.fake.data.mailbox(t.fake.data.findUser(t.tenant, 'ann@contoso.test')!.id);
  /** The mailbox path by the documented id: exchangeSettings.primaryMailboxId. */
  const mailboxOf = async (upn: string) => `/admin/exchange/mailboxes/${encodeURIComponent(String((await call('GET', `/users/${upn}/settings/exchange`)).body.primaryMailboxId))}`;
  /** The import/export API's id of a top-level folder, by name. */
  const folderIdOf = async (mailbox: string, name: string) => ((await call('GET', `${mailbox}/folders?$top=100`)).body.value as { id: string; displayName: string }[]).find((f) => f.displayName === name)!.id;

  it('finds the mailbox by its primaryMailboxId only (not a UPN or user id); lists folders with ids of their own, paging and child folders; needs MailboxItem permissions', async () => {
    const user = t.fake.data.findUser(t.tenant, 'ann@contoso.test')!;
    const settings = await call('GET', '/users/ann@contoso.test/settings/exchange');
    assert.equal(settings.status, 200);
    assert.deepEqual(Object.keys(settings.body).sort(), ['@odata.context', 'id', 'primaryMailboxId']);
    assert.equal((await call('GET', '/admin/exchange/mailboxes/ann@contoso.test')).status, 404);
    assert.equal((await call('GET', `/admin/exchange/mailboxes/${user.id}`)).status, 404);
    const mbx = encodeURIComponent(String(settings.body.primaryMailboxId));
    const mailbox = await call('GET', `/admin/exchange/mailboxes/${mbx}`);
    assert.equal(mailbox.body.id, settings.body.primaryMailboxId);
    const first = await call('GET', `/admin/exchange/mailboxes/${mbx}/folders?$top=3`);
    assert.equal((first.body.value as unknown[]).length, 3);
    const top = [...(first.body.value as { id: string; displayName: string; childFolderCount: number }[])];
    for (let next = first.body['@odata.nextLink'] as string | undefined; next; ) {
      const page = await call('GET', next);
      top.push(...(page.body.value as typeof top));
      next = page.body['@odata.nextLink'] as string | undefined;
    }
    assert.equal(top.length, 7);
    const inbox = top.find((f) => f.displayName === 'Inbox')!;
    assert.notEqual(inbox.id, annBox().folders.find((f) => f.wellKnownName === 'inbox')!.id, 'the import/export API has folder ids of its own');
    assert.equal((await call('GET', `/admin/exchange/mailboxes/${mbx}/folders/${encodeURIComponent(annBox().folders.find((f) => f.wellKnownName === 'inbox')!.id)}`)).status, 400);
    const projets = top.find((f) => f.displayName === 'Projets')!;
    assert.equal(projets.childFolderCount, 1);
    const children = await call('GET', `/admin/exchange/mailboxes/${mbx}/folders/${encodeURIComponent(projets.id)}/childFolders`);
    assert.deepEqual((children.body.value as { displayName: string }[]).map((f) => f.displayName), ['Été 2026']);
    const plain = t.fake.tokens.issue({ tid: t.tenant.id, appid: t.app.clientId, roles: ['Mail.ReadWrite'] }).access_token;
    assert.equal((await call('GET', `/admin/exchange/mailboxes/${mbx}/folders`, undefined, plain)).status, 403);
    assert.equal((await call('GET', `/admin/exchange/mailboxes/${mbx}/folders`, undefined, 'not-a-token')).status, 401);
  });

  it('lists items by delta: all, then nothing new through the deltaLink, then only what changed', async () => {
    const mailbox = await mailboxOf('ann@contoso.test');
    const url = `${mailbox}/folders/${encodeURIComponent(await folderIdOf(mailbox, 'Inbox'))}/items/delta`;
    const seen: string[] = [];
    let link = '';
    for (let next: string | undefined = url; next; ) {
      const page = await call('GET', next);
      seen.push(...(page.body.value as { id: string }[]).map((i) => i.id));
      next = page.body['@odata.nextLink'] as string | undefined;
      link = String(page.body['@odata.deltaLink'] ?? link);
    }
    assert.equal(new Set(seen).size, 21);
    assert.deepEqual((await call('GET', link)).body.value, []);
    const added = await call('POST', '/users/ann@contoso.test/mailFolders/inbox/messages', { subject: 'later' });
    assert.equal(added.status, 201);
    const changed = await call('GET', link);
    const addedRecord = annBox().messages.find((m) => m.id === added.body.id || m.immutableId === added.body.id)!;
    assert.deepEqual((changed.body.value as { id: string }[]).map((i) => i.id), [mailboxItemId(addedRecord)]);
  });

  it('delta as Microsoft documents it: unsupported query options refused; a moved item @removed from its folder and new in the other under the same id, a deleted one @removed; folders delta', async () => {
    const yan = await m365Connector.openDestination(t.request('yan@contoso.test'));
    for (let i = 0; i < 4; i++) {
      const m = plainMessage(7100 + i * 10);
      await yan.writeItem(await yan.ensureFolder(['INBOX'], 'inbox'), { format: 'rfc822', data: m.raw, flags: [], date: m.date }, signal);
    }
    await yan.ensureFolder(['Projets', 'Été 2026'], undefined);
    await yan.close();
    const yanBox = () => t.fake.data.mailbox(t.fake.data.findUser(t.tenant, 'yan@contoso.test')!.id);
    const mailbox = await mailboxOf('yan@contoso.test');
    const [inboxId, archiveId] = [await folderIdOf(mailbox, 'Inbox'), await folderIdOf(mailbox, 'Archive')];
    const items = (folder: string) => `${mailbox}/folders/${encodeURIComponent(folder)}/items/delta`;
    const round = async (url: string) => {
      const out: { id: string; '@removed'?: unknown }[] = [];
      for (let next: string | undefined = url; ; ) {
        const page = await call('GET', next);
        assert.equal(page.status, 200, JSON.stringify(page.body));
        out.push(...(page.body.value as typeof out));
        next = page.body['@odata.nextLink'] as string | undefined;
        if (!next) return { value: out, link: String(page.body['@odata.deltaLink']) };
      }
    };
    // Only $select, $top, $filter on receivedDateTime ge/gt and $orderby receivedDateTime desc; no $search.
    for (const query of ["$filter=subject eq 'x'", '$orderby=size', '$orderby=receivedDateTime asc', '$search="hello"', '$expand=singleValueExtendedProperties', '$skip=2']) {
      const refused = await call('GET', `${items(inboxId)}?${query}`);
      assert.equal(refused.status, 400, `${query}: ${JSON.stringify(refused.body)}`);
    }
    const beta = (p: string) => `${t.fake.url}/beta${p}`;
    const recent = await call('GET', beta(`${items(inboxId)}?$filter=receivedDateTime ge 2024-01-06T06:40:00Z&$select=size`));
    assert.equal(recent.status, 200, JSON.stringify(recent.body));
    assert.equal((recent.body.value as object[]).length, 2, 'the filter applies (2 of 4 received since)');
    assert.ok((recent.body.value as Record<string, unknown>[]).every((i) => Object.keys(i).sort().join() === 'id,size'), '$select applies');
    assert.equal((await call('GET', `${items(inboxId)}?$deltatoken=forged`)).status, 410);

    const [inbox, archive] = [await round(items(inboxId)), await round(items(archiveId))];
    const folders = await round(`${mailbox}/folders/delta`);
    assert.ok(folders.value.some((f) => (f as { displayName?: string }).displayName === 'Été 2026'), 'child folders are in the folders delta');
    const [moving, deleting] = yanBox().messages.filter((m) => m.folderId === yanBox().folders.find((f) => f.wellKnownName === 'inbox')!.id);
    const [movingId, deletingId] = [mailboxItemId(moving), mailboxItemId(deleting)];
    assert.equal((await call('POST', `/users/yan@contoso.test/messages/${encodeURIComponent(moving.immutableId ?? moving.id)}/move`, { destinationId: 'archive' })).status, 201);
    assert.equal((await fetch(`${t.fake.url}/v1.0/users/yan@contoso.test/messages/${encodeURIComponent(deleting.immutableId ?? deleting.id)}`, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } })).status, 204);
    const added = await call('POST', '/users/yan@contoso.test/mailFolders', { displayName: 'Later' });
    assert.equal(added.status, 201);
    const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    assert.deepEqual((await round(inbox.link)).value.sort(byId), [movingId, deletingId].map((id) => ({ id, '@removed': { reason: 'deleted' } })).sort(byId));
    assert.deepEqual((await round(archive.link)).value.map((i) => [i.id, i['@removed']]), [[movingId, undefined]], 'the moved item, same id, in its new folder');
    const second = await round(folders.link);
    const changedFolders = second.value as { displayName?: string }[];
    assert.deepEqual(changedFolders.map((f) => f.displayName), ['Later']);
    const laterId = (changedFolders[0] as { id: string }).id;
    assert.equal((await fetch(`${t.fake.url}/v1.0/users/yan@contoso.test/mailFolders/${encodeURIComponent(String(added.body.id))}/permanentDelete`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{}' })).status, 204);
    const afterRemoval = await round(second.link);
    assert.ok(afterRemoval.value.some((f) => f.id === laterId && f['@removed'] !== undefined), JSON.stringify(afterRemoval.value));
  });

  it('each route takes the permission its page documents, and nothing else: folders MailboxFolder.Read.All, items delta MailboxItem.Read.All, export MailboxItem.Export.All, import sessions MailboxItem.ImportExport.All (delegated: the names without .All, as scopes); else 403 ErrorAccessDenied', async () => {
    const mailbox = await mailboxOf('ann@contoso.test');
    const inboxId = encodeURIComponent(await folderIdOf(mailbox, 'Inbox'));
    const itemId = mailboxItemId(annBox().messages[0]);
    const routes: Record<string, [string, string, unknown?]> = {
      folders: ['GET', `${mailbox}/folders`],
      folder: ['GET', `${mailbox}/folders/${inboxId}`],
      children: ['GET', `${mailbox}/folders/${inboxId}/childFolders`],
      foldersDelta: ['GET', `${mailbox}/folders/delta`],
      childrenDelta: ['GET', `${mailbox}/folders/${inboxId}/childFolders/delta`],
      itemsDelta: ['GET', `${mailbox}/folders/${inboxId}/items/delta`],
      export: ['POST', `${mailbox}/exportItems`, { itemIds: [itemId] }],
      importSession: ['POST', `${mailbox}/createImportSession`, {}],
    };
    const FOLDERS = ['folders', 'folder', 'children', 'foldersDelta', 'childrenDelta'];
    /** The routes a token may use (200), every other one refused with 403 ErrorAccessDenied. */
    const served = async (claims: { roles: string[] } | { scp: string }) => {
      const bearer = t.fake.tokens.issue({ tid: t.tenant.id, appid: t.app.clientId, ...claims }).access_token;
      const ok: string[] = [];
      for (const [name, [method, url, body]] of Object.entries(routes)) {
        const answer = await call(method, url, body, bearer);
        if (answer.status === 200) ok.push(name);
        else assert.deepEqual([answer.status, (answer.body.error as { code?: string }).code], [403, 'ErrorAccessDenied'], `${name}: ${JSON.stringify(answer.body)}`);
      }
      return ok;
    };
    // What Ferry's app held before (an export permission alone) lists no folder and runs no delta.
    assert.deepEqual(await served({ roles: ['MailboxItem.ImportExport.All'] }), ['export', 'importSession']);
    assert.deepEqual(await served({ roles: ['MailboxItem.Export.All'] }), ['export']);
    assert.deepEqual(await served({ roles: ['MailboxFolder.Read.All'] }), FOLDERS);
    assert.deepEqual(await served({ roles: ['MailboxFolder.ReadWrite.All'] }), FOLDERS, 'the higher privileged folder permission');
    assert.deepEqual(await served({ roles: ['MailboxItem.Read.All'] }), ['itemsDelta']);
    assert.deepEqual(await served({ roles: ['MailboxFolder.Read.All', 'MailboxItem.Read.All', 'MailboxItem.Export.All'] }), [...FOLDERS, 'itemsDelta', 'export']);
    // Delegated scopes are the names without .All; a delegated name as an application role grants nothing, nor the reverse.
    assert.deepEqual(await served({ scp: 'MailboxFolder.Read MailboxItem.Read MailboxItem.Export' }), [...FOLDERS, 'itemsDelta', 'export']);
    assert.deepEqual(await served({ scp: 'MailboxItem.ImportExport' }), ['export', 'importSession']);
    assert.deepEqual(await served({ roles: ['MailboxFolder.Read', 'MailboxItem.Read', 'MailboxItem.Export'] }), []);
    assert.deepEqual(await served({ scp: 'MailboxFolder.Read.All MailboxItem.Read.All' }), []);
    // The permission is checked before the folder id: without it, an id of another form is 403, not 400.
    const noFolders = t.fake.tokens.issue({ tid: t.tenant.id, appid: t.app.clientId, roles: ['MailboxItem.Export.All'] }).access_token;
    assert.equal((await call('GET', `${mailbox}/folders/not-an-id`, undefined, noFolders)).status, 403);
  });

  it('exports at most 20 items a call (21: 400) as opaque data; imports it through a pre-authenticated URL that expires', async () => {
    const box = annBox();
    const ids = box.messages.map((m) => mailboxItemId(m));
    const ann = await mailboxOf('ann@contoso.test');
    // This API's item ids are its own: a message id is not one, and Graph's /messages refuses one of its ids.
    const byMessageId = await call('POST', `${ann}/exportItems`, { itemIds: [box.messages[0].id] });
    assert.equal((byMessageId.body.value as { error?: { code: string } }[])[0].error?.code, 'ErrorItemNotFound');
    assert.equal((await call('GET', `/users/ann@contoso.test/messages/${encodeURIComponent(ids[0])}`)).status, 400);
    const tooMany = await call('POST', `${ann}/exportItems`, { itemIds: ids.slice(0, 21) });
    assert.equal(tooMany.status, 400);
    const ok = await call('POST', `${ann}/exportItems`, { itemIds: ids.slice(0, 20) });
    assert.equal(ok.status, 200);
    const exported = ok.body.value as { itemId: string; data: string }[];
    assert.deepEqual(exported.map((e) => e.itemId), ids.slice(0, 20));
    assert.ok(exported.every((e) => typeof e.data === 'string' && e.data.length > 0));

    const zed = t.fake.data.findUser(t.tenant, 'zed@contoso.test')!;
    const zedMailbox = await mailboxOf('zed@contoso.test');
    const zedInbox = { id: await folderIdOf(zedMailbox, 'Inbox') };
    const session = await call('POST', `${zedMailbox}/createImportSession`, {});
    assert.equal(session.status, 200);
    assert.ok(Date.parse(String(session.body.expirationDateTime)) > Date.now());
    // A mail API folder id is no folder id of this API.
    const graphInbox = t.fake.data.mailbox(zed.id).folders.find((f) => f.wellKnownName === 'inbox')!;
    assert.equal((await call('POST', String(session.body.importUrl), { FolderId: graphInbox.id, Mode: 'create', Data: exported[1].data }, undefined)).status, 400);
    // No bearer: the URL carries its own authorisation.
    const imported = await call('POST', String(session.body.importUrl), { FolderId: zedInbox.id, Mode: 'create', Data: exported[1].data }, undefined);
    assert.equal(imported.status, 200, JSON.stringify(imported.body));
    const copy = t.fake.data.mailbox(zed.id).messages.find((m) => mailboxItemId(m) === imported.body.itemId)!;
    const original = box.messages.find((m) => mailboxItemId(m) === exported[1].itemId)!;
    assert.deepEqual([copy.isDraft, copy.isRead, copy.receivedDateTime, copy.internetMessageId, copy.subject], [false, original.isRead, original.receivedDateTime, original.internetMessageId, original.subject]);
    assert.deepEqual(fs.readFileSync(t.fake.data.emlPath(zed.id, copy.id)), fs.readFileSync(t.fake.data.emlPath(t.fake.data.findUser(t.tenant, 'ann@contoso.test')!.id, original.id)));

    // The fake's clock moves past the URL's expirationDateTime: refused, nothing imported.
    const settings = mailboxApiSettings(t.fake.graph);
    const short = await call('POST', `${zedMailbox}/createImportSession`, {});
    const expires = Date.parse(String(short.body.expirationDateTime));
    try {
      settings.now = () => expires - 1;
      const inTime = await call('POST', String(short.body.importUrl), { FolderId: zedInbox.id, Mode: 'create', Data: exported[2].data }, undefined);
      assert.equal(inTime.status, 200, 'valid until expirationDateTime');
      settings.now = () => expires;
      const late = await call('POST', String(short.body.importUrl), { FolderId: zedInbox.id, Mode: 'create', Data: exported[3].data }, undefined);
      assert.equal(late.status, 401);
    } finally {
      settings.now = () => Date.now();
    }
    assert.equal(t.fake.data.mailbox(zed.id).messages.length, 2);
  });
});

describe('m365 connector: full fidelity between Microsoft 365 mailboxes (fake)', function () {
  this.timeout(20_000);
  let t: TestTenant;
  const open: (SourceMailbox | DestinationMailbox)[] = [];
  const track = <T extends SourceMailbox | DestinationMailbox>(m: T) => (open.push(m), m);
  const boxOf = (upn: string) => t.fake.data.mailbox(t.fake.data.findUser(t.tenant, upn)!.id);
  const emlOf = (upn: string, id: string) => fs.readFileSync(t.fake.data.emlPath(t.fake.data.findUser(t.tenant, upn)!.id, id));
  const peer = (upn: string) => ({ ...t.request(upn), peerType: 'm365' as const });

  before(async () => {
    // Each test writes into a mailbox of its own (any order, any subset).
    t = await startTestTenant(['ann@contoso.test', 'zed@contoso.test', 'yan@contoso.test', 'xia@contoso.test', 'wes@contoso.test', 'vic@contoso.test', 'uma@contoso.test']);
    // Granted before the first sign-in, so every token carries it.
    t.app.roles.push(...FULL_FIDELITY_ROLES);
    t.fake.data.saveDirectory();
    const ann = track(await m365Connector.openDestination(t.request('ann@contoso.test')));
    const folders = [await ann.ensureFolder(['INBOX'], 'inbox'), await ann.ensureFolder(['Projets', 'Été 2026'], undefined)];
    for (let i = 0; i < 45; i++) {
      const m = plainMessage(8000 + i);
      await ann.writeItem(folders[i % 3 === 0 ? 1 : 0], { format: 'rfc822', data: m.raw, flags: [...(i % 2 ? ['\\Seen'] : []), ...(i % 5 === 0 ? ['\\Flagged'] : [])], date: m.date }, signal);
    }
  });
  after(async () => {
    await Promise.all(open.splice(0).map((m) => m.close()));
    await t?.fake.close();
    resetTokenProviders();
  });

  it('M365 -> M365 round trip: exportItems in batches of at most 20, import keeps content, dates, read and flag state; no drafts', async () => {
    const source = track(await m365Connector.openSource(peer('ann@contoso.test')));
    assert.ok(source instanceof FullFidelitySource);
    const settings = mailboxApiSettings(t.fake.graph);
    const exportsBefore = settings.exportCalls;
    const destination = track(await m365Connector.openDestination(t.request('zed@contoso.test')));
    const requestsBefore = t.fake.graph.requests;
    await copyMailbox(source, destination);
    // A figure, not a bound: Graph requests (import URL included) per item copied, listings and exports included.
    console.log(`      ${((t.fake.graph.requests - requestsBefore) / 45).toFixed(2)} requests per item (45 items)`);
    // 30 in the Inbox and 15 in Été 2026: 2 + 1 exports.
    assert.equal(settings.exportCalls - exportsBefore, 3);
    const from = boxOf('ann@contoso.test');
    const to = boxOf('zed@contoso.test');
    assert.equal(to.messages.length, 45);
    const key = (upn: string, box: typeof from, m: (typeof from.messages)[number]) => {
      const folder = box.folders.find((f) => f.id === m.folderId)!;
      return JSON.stringify([folder.wellKnownName ?? folder.displayName, m.internetMessageId, m.subject, m.receivedDateTime, m.isRead, m.isDraft, m.flagStatus, emlOf(upn, m.id).toString('base64')]);
    };
    assert.deepEqual(to.messages.map((m) => key('zed@contoso.test', to, m)).sort(), from.messages.map((m) => key('ann@contoso.test', from, m)).sort());
    assert.ok(to.messages.every((m) => !m.isDraft));
    // Without MailboxItem permissions, or towards another kind, the source stays on MIME.
    assert.ok(track(await m365Connector.openSource(t.request('ann@contoso.test'))) instanceof M365Source);
    // And when the destination says it may not import (asked once, through the engine).
    let asked = 0;
    const refusing = { ...peer('ann@contoso.test'), peerAcceptsOpaque: async () => (asked++, { accepted: false as const }) };
    assert.ok(track(await m365Connector.openSource(refusing)) instanceof M365Source);
    assert.equal(asked, 1);
    assert.deepEqual(await destination.acceptsOpaque!(), { accepted: true });
  });

  it('finds an imported item again by its watermark, so a lost store never duplicates', async () => {
    const source = track(await m365Connector.openSource(peer('ann@contoso.test')));
    const destination = track(await m365Connector.openDestination(t.request('xia@contoso.test')));
    const folder = (await source.listFolders()).find((f) => f.role === 'inbox')!;
    const target = await destination.ensureFolder(folder.path, folder.role);
    const ref = (await source.listItems(folder, undefined, signal)).items[0];
    const content = await source.readItem(folder, ref, signal);
    assert.equal(content.format, 'opaque');
    const written = await destination.writeItem(target, content, signal);
    assert.deepEqual(await destination.findWritten(target, probeOf(content, ref.messageId)), written);
    assert.equal(boxOf('xia@contoso.test').messages.length, 1);
  });

  it("keeps the source's read and flag state on an item found again (a lost store; a kill just after the move out of staging): the listing carries none", async () => {
    const source = track(await m365Connector.openSource(peer('ann@contoso.test')));
    const destination = track(await m365Connector.openDestination(t.request('uma@contoso.test')));
    const folder = (await source.listFolders()).find((f) => f.role === 'inbox')!;
    const target = await destination.ensureFolder(folder.path, folder.role);
    const refs = (await source.listItems(folder, undefined, signal)).items.slice(0, 8);
    const contents = await Promise.all(refs.map((ref) => source.readItem(folder, ref, signal)));
    const state = (upn: string) => boxOf(upn).messages.filter((m) => boxOf('uma@contoso.test').messages.some((u) => u.internetMessageId === m.internetMessageId)).map((m) => `${m.internetMessageId} read=${m.isRead} ${m.flagStatus ?? 'notFlagged'}`).sort();
    const written = [];
    for (const content of contents.slice(0, 7)) written.push(await destination.writeItem(target, content, signal));
    const kinds = new Set(state('ann@contoso.test').map((s) => s.replace(/^\S+ /, '')));
    assert.ok(kinds.has('read=true flagged') && kinds.has('read=false notFlagged'), `read+flagged and unread items among the source's: ${[...kinds].join(', ')}`);
    assert.deepEqual(state('uma@contoso.test'), state('ann@contoso.test'), 'imported with the source state');
    // The store lost (a state folder rebuilt): every item is asked for again, found by its watermark.
    for (const [n, content] of contents.slice(0, 7).entries()) assert.deepEqual(await destination.findWritten(target, probeOf(content, refs[n].messageId)), written[n]);
    assert.deepEqual(state('uma@contoso.test'), state('ann@contoso.test'), 'found again after a lost store');
    // Killed just after the move out of staging, before the watermark row: the next pass asks with
    // the handle its intent holds; the staging folder is empty, the watermark finds the item.
    const handles: string[] = [];
    const moved = await destination.writeItem(target, contents[7], signal, { created: (h) => handles.push(h) });
    assert.deepEqual(await destination.findWritten(target, { ...probeOf(contents[7], refs[7].messageId), destinationId: handles[0] }), moved);
    assert.equal(boxOf('uma@contoso.test').messages.length, 8);
    assert.deepEqual(state('uma@contoso.test'), state('ann@contoso.test'), 'found again after a cut move');
  });

  it('imports through a hidden staging folder: a cut import answer is settled from the handle the write reported, once; the folders go at close', async () => {
    const source = track(await m365Connector.openSource(peer('ann@contoso.test')));
    const destination = track(await m365Connector.openDestination(t.request('wes@contoso.test')));
    const folder = (await source.listFolders()).find((f) => f.role === 'inbox')!;
    const target = await destination.ensureFolder(folder.path, folder.role);
    const refs = (await source.listItems(folder, undefined, signal)).items.slice(1, 4);
    const wes = boxOf('wes@contoso.test');
    const staged = () => wes.messages.filter((m) => wes.folders.find((f) => f.id === m.folderId)?.isHidden);
    const contents = await Promise.all(refs.map((ref) => source.readItem(folder, ref, signal)));
    // A whole write: the item lands in its folder under a message id, marked; the handle came first.
    const handles: string[] = [];
    const whole = await destination.writeItem(target, contents[0], signal, { created: (h) => handles.push(h) });
    assert.equal(handles.length, 1);
    assert.match(handles[0], /^ferry-staging:Ferry import [0-9a-f]{8} 1$/);
    assert.equal(findMessage(wes, whole.id)!.folderId, target.id);
    assert.equal(findMessage(wes, whole.id)!.props[propKey(WATERMARK)], probeOf(contents[0]).fingerprint);
    assert.deepEqual(staged(), []);
    assert.ok(wes.folders.some((f) => f.isHidden && f.displayName === handles[0].replace('ferry-staging:', '')), 'the staging folder is hidden');

    // The import made the item, its answer never arrived: the write fails, the item waits in staging.
    t.fake.faults.cutAnswers({ method: 'POST', path: /_outlook\/importItem/ }, 1);
    const cutHandles: string[] = [];
    await assert.rejects(destination.writeItem(target, contents[1], signal, { created: (h) => cutHandles.push(h) }));
    assert.equal(staged().length, 1);
    const waiting = staged()[0];
    assert.equal(waiting.props[propKey(WATERMARK)] === probeOf(contents[1]).fingerprint, false, 'not marked');
    // Asked with the handle (as the engine asks after a cut write, or the next pass from the intent): found, marked, moved.
    const settled = await destination.findWritten(target, { ...probeOf(contents[1]), destinationId: cutHandles[0] });
    assert.ok(settled);
    assert.equal(settled.id, waiting.immutableId, 'the immutable id it had in staging, kept across the move');
    assert.equal(findMessage(wes, settled.id)!.folderId, target.id);
    assert.equal(findMessage(wes, settled.id)!.props[propKey(WATERMARK)], probeOf(contents[1]).fingerprint);
    assert.deepEqual(staged(), []);
    // Asked again (a second kill before the watermark row): the handle finds nothing, the watermark finds the item.
    assert.deepEqual(await destination.findWritten(target, { ...probeOf(contents[1]), destinationId: cutHandles[0] }), settled);
    // An import that never landed: nothing in staging, nothing found, so the engine writes it again.
    assert.equal(await destination.findWritten(target, { ...probeOf(contents[2]), destinationId: cutHandles[0] }), undefined);
    await destination.writeItem(target, contents[2], signal);
    assert.equal(wes.messages.length, 3);
    assert.equal(new Set(wes.messages.map((m) => m.internetMessageId)).size, 3);
    // The pass's end removes every staging folder.
    await destination.close();
    assert.deepEqual(wes.folders.filter((f) => f.displayName.startsWith('Ferry import ')), []);
    assert.equal(wes.messages.length, 3);
  });

  it('when the import/export API does not list hidden folders, stages in visible ones instead (removed at close): every item once', async () => {
    const settings = mailboxApiSettings(t.fake.graph);
    settings.listsHiddenFolders = false;
    try {
      const source = track(await m365Connector.openSource(peer('ann@contoso.test')));
      const destination = track(await m365Connector.openDestination(t.request('vic@contoso.test')));
      const folder = (await source.listFolders()).find((f) => f.role === 'inbox')!;
      const target = await destination.ensureFolder(folder.path, folder.role);
      for (const ref of (await source.listItems(folder, undefined, signal)).items.slice(0, 3)) await destination.writeItem(target, await source.readItem(folder, ref, signal), signal);
      const vic = boxOf('vic@contoso.test');
      assert.deepEqual(vic.folders.filter((f) => f.displayName.startsWith('Ferry import ')).map((f) => f.isHidden ?? false), [false], 'one visible staging folder (the hidden one removed)');
      assert.equal(vic.messages.length, 3);
      assert.ok(vic.messages.every((m) => m.folderId === target.id));
      await destination.close();
      assert.deepEqual(vic.folders.filter((f) => f.displayName.startsWith('Ferry import ')), []);
    } finally {
      settings.listsHiddenFolders = true;
    }
  });

  it('renews an import URL that expires mid-pass (by time, and refused before its time): the item is retried, never duplicated', async () => {
    const settings = mailboxApiSettings(t.fake.graph);
    const source = track(await m365Connector.openSource(peer('ann@contoso.test')));
    const destination = track(await m365Connector.openDestination(t.request('yan@contoso.test')));
    assert.ok(destination instanceof M365Destination);
    const folder = (await source.listFolders()).find((f) => f.role === 'inbox')!;
    const target = await destination.ensureFolder(folder.path, folder.role);
    const refs = (await source.listItems(folder, undefined, signal)).items;
    const before = settings.sessionsCreated;
    // Ferry's clock, moved by the test; the fake keeps the real one (URLs live an hour).
    let clock = Date.now();
    destination.imports.now = () => clock;
    let n = 0;
    for (const ref of refs.slice(0, 10)) {
      // Refused before expirationDateTime says so: only the server's answer tells (reactive renewal).
      if (n === 3) expireImportSessions(t.fake.graph);
      // Ferry's clock 30 s short of the current URL's expiry, inside its renewal margin (a minute):
      // renewed before posting. The fake would still take the old URL, so only a renewal ahead of
      // time makes a third session; the new one, an hour ahead of the fake's clock, is kept.
      if (n === 6) clock = Date.now() + settings.importUrlLifetimeMs - 30_000;
      await destination.writeItem(target, await source.readItem(folder, ref, signal), signal);
      n++;
    }
    assert.equal(settings.sessionsCreated - before, 3, 'the first, one renewed after a refusal, one renewed ahead of its expiry');
    assert.equal(destination.imports.created, 3);
    const yan = boxOf('yan@contoso.test').messages;
    assert.equal(yan.length, 10);
    assert.equal(new Set(yan.map((m) => m.internetMessageId)).size, 10);
  });
});
