// The fake Microsoft 365's messages at the protocol level, as Graph documents them: a message
// created from MIME is a draft and stays one (PR_MESSAGE_FLAGS is read-only once saved: the PATCH
// is refused with ErrorInvalidPropertySet); a JSON create with PR_MESSAGE_FLAGS in its
// singleValueExtendedProperties is a received message whose $value renders what it holds;
// attachments by POST and by upload session (pre-authenticated uploadUrl, Content-Range, 4 MB
// ranges, nextExpectedRanges, 201 with Location); 413 over 4 MB; ids that change on a move
// unless `Prefer: IdType="ImmutableId"` asks for immutable ones.
import * as assert from 'node:assert/strict';
import { startTestTenant, type TestTenant } from '../../../servers/fakeM365/testTenant';
import { request, tokenRequest } from './fakeHttp';

const MB = 1024 * 1024;
const props = (list: [string, string][]) => list.map(([id, value]) => ({ id, value }));

describe('fake Microsoft 365: messages, attachments, ids', function () {
  this.timeout(30_000);
  let t: TestTenant;
  let token: string;
  const graph = (path: string, options: Parameters<typeof request>[2] = {}) => request(`${t.fake.url}/v1.0/users/ann@contoso.test${path}`, t.fake.caPem, { ...options, headers: { authorization: `Bearer ${token}`, ...(options.headers ?? {}) } });
  const post = (path: string, body: object, headers: Record<string, string> = {}) => graph(path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const errorOf = (r: { json: () => Record<string, unknown> }) => (r.json().error as { code: string; message: string }).code;

  before(async () => {
    t = await startTestTenant(['ann@contoso.test']);
    token = String((await tokenRequest(t.fake.url, t.fake.caPem, t.tenant.id, t.app.clientId, t.secret)).json().access_token);
  });
  after(async () => {
    await t?.fake.close();
  });

  it('keeps a message created from MIME a draft: PATCH of PR_MESSAGE_FLAGS (0x0E07) is refused with ErrorInvalidPropertySet', async () => {
    const mime = Buffer.from('Subject: draft test\r\nMessage-ID: <draft-1@ferry.test>\r\n\r\nHello\r\n').toString('base64');
    const created = await graph('/mailFolders/inbox/messages', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: mime });
    assert.deepEqual([created.status, created.json().isDraft], [201, true]);
    const id = String(created.json().id);
    const patched = await graph(`/messages/${id}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ singleValueExtendedProperties: props([['Integer 0x0E07', '1']]) }) });
    assert.deepEqual([patched.status, errorOf(patched)], [400, 'ErrorInvalidPropertySet']);
    assert.equal((await graph(`/messages/${id}`)).json().isDraft, true);
    assert.equal((await graph(`/messages/${id}/$value`)).body.toString(), Buffer.from(mime, 'base64').toString());
  });

  it('creates a received message from JSON with PR_MESSAGE_FLAGS in the creating request, and renders it as MIME', async () => {
    const headers = 'Received: from mx.example by mail.example\r\nFrom: Ann <ann@source.example>\r\nTo: bob@source.example\r\nSubject: =?UTF-8?Q?caf=C3=A9?=\r\nDate: Sat, 01 Mar 2025 09:00:00 +0000\r\nMessage-ID: <json-1@ferry.test>\r\nX-Custom: kept\r\nMIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8';
    const body = {
      subject: 'café',
      body: { contentType: 'html', content: '<p>Hi <img src="cid:pic@x"></p>' },
      toRecipients: [{ emailAddress: { address: 'bob@source.example' } }],
      internetMessageId: '<json-1@ferry.test>',
      isRead: false,
      singleValueExtendedProperties: props([['Integer 0x0E07', '0'], ['SystemTime 0x0E06', '2025-03-01T09:00:05Z'], ['String 0x007D', headers]]),
      attachments: [{ '@odata.type': '#microsoft.graph.fileAttachment', name: 'pic.png', contentType: 'image/png', contentBytes: Buffer.from('png!').toString('base64'), isInline: true, contentId: 'pic@x' }],
    };
    const created = await post('/mailFolders/inbox/messages', body);
    assert.equal(created.status, 201, created.body.toString());
    assert.deepEqual([created.json().isDraft, created.json().isRead, created.json().receivedDateTime, created.json().internetMessageId], [false, false, '2025-03-01T09:00:05Z', '<json-1@ferry.test>']);
    const mime = (await graph(`/messages/${String(created.json().id)}/$value`)).body.toString();
    assert.match(mime, /^Received: from mx\.example by mail\.example\r\n/);
    assert.match(mime, /\r\nX-Custom: kept\r\n/);
    assert.match(mime, /Content-Type: multipart\/related;/);
    assert.match(mime, /Content-ID: <pic@x>/);
    assert.doesNotMatch(mime, /text\/html; charset=utf-8\r\nContent-Type/);
    const noType = await post(`/messages/${String(created.json().id)}/attachments`, { name: 'a.txt', contentBytes: 'aGk=' });
    assert.deepEqual([noType.status, errorOf(noType)], [422, 'UnprocessableType']);
  });

  it('answers 413 with Graph error JSON for a request body over 4 MB', async () => {
    const big = await post('/mailFolders/inbox/messages', { subject: 'big', body: { contentType: 'text', content: 'x'.repeat(4 * MB + 1) } });
    assert.deepEqual([big.status, errorOf(big)], [413, 'RequestEntityTooLarge']);
  });

  it('takes an attachment of 3 to 150 MB through an upload session: pre-authenticated URL, Content-Range, 4 MB ranges, 201 with Location', async () => {
    const created = await post('/mailFolders/inbox/messages', { subject: 'upload', singleValueExtendedProperties: props([['Integer 0x0E07', '1']]) });
    const id = String(created.json().id);
    const small = await post(`/messages/${id}/attachments/createUploadSession`, { AttachmentItem: { attachmentType: 'file', name: 'small.bin', size: 1000 } });
    assert.deepEqual([small.status, errorOf(small)], [400, 'ErrorAttachmentSizeShouldNotBeLessThanMinimumSize']);
    const size = 9 * MB + 5;
    const data = Buffer.alloc(size, 7);
    const session = await post(`/messages/${id}/attachments/createUploadSession`, { AttachmentItem: { attachmentType: 'file', name: 'big.bin', size, contentType: 'application/octet-stream' } });
    assert.equal(session.status, 201);
    const uploadUrl = String(session.json().uploadUrl);
    assert.ok(!uploadUrl.includes('/v1.0/'), 'the upload URL is outside Graph');
    assert.deepEqual(session.json().nextExpectedRanges, ['0-']);
    const put = (from: number, to: number, headers: Record<string, string> = {}) => request(uploadUrl, t.fake.caPem, { method: 'PUT', headers: { 'content-type': 'application/octet-stream', 'content-range': `bytes ${from}-${to - 1}/${size}`, ...headers }, body: data.subarray(from, to) });
    assert.equal((await put(0, MB, { authorization: `Bearer ${token}` })).status, 401, 'no Authorization header on the upload URL');
    assert.equal((await put(0, 4 * MB + 1)).status, 413, 'at most 4 MB a range');
    assert.equal((await put(MB, 2 * MB)).status, 416, 'ranges in order');
    const first = await put(0, 4 * MB);
    assert.deepEqual([first.status, first.json().nextExpectedRanges], [200, [String(4 * MB)]]);
    assert.equal((await put(4 * MB, 8 * MB)).status, 200);
    const last = await put(8 * MB, size);
    assert.equal(last.status, 201);
    const attachmentId = /Attachments\('([^']+)'\)$/.exec(String(last.headers.location))?.[1];
    assert.ok(attachmentId, String(last.headers.location));
    const listed = (await graph(`/messages/${id}/attachments`)).json().value as { id: string; name: string; size: number }[];
    assert.deepEqual(listed.map((a) => [a.id, a.name, a.size]), [[attachmentId, 'big.bin', size]]);
    assert.ok((await graph(`/messages/${id}/attachments/${attachmentId}/$value`)).body.equals(data));
  });

  it('changes a message id on a move unless immutable ids are asked for (Prefer: IdType="ImmutableId")', async () => {
    const immutable = { prefer: 'IdType="ImmutableId"' };
    const archive = String((await post('/mailFolders', { displayName: 'Moved' })).json().id);
    const created = (await post('/mailFolders/inbox/messages', { subject: 'ids', singleValueExtendedProperties: props([['Integer 0x0E07', '1']]) })).json();
    const restId = String(created.id);
    const immutableId = String((await graph(`/messages/${restId}`, { headers: immutable })).json().id);
    assert.notEqual(immutableId, restId);
    const moved = await post(`/messages/${restId}/move`, { destinationId: archive });
    assert.equal(moved.status, 201);
    assert.notEqual(moved.json().id, restId, 'a new REST id after the move');
    assert.equal((await graph(`/messages/${restId}`)).status, 404, 'the old REST id finds nothing');
    const again = await graph(`/messages/${immutableId}`, { headers: immutable });
    assert.deepEqual([again.status, again.json().id, again.json().parentFolderId], [200, immutableId, archive]);
    const movedBack = await post(`/messages/${immutableId}/move`, { destinationId: 'inbox' }, immutable);
    assert.equal(movedBack.json().id, immutableId, 'an immutable id stays');
  });
});
