// The fake Gmail API as a migration reads it: profile, labels (system and nested user labels,
// counts on get), messages.list paging and its q/labelIds/includeSpamTrash semantics,
// messages.get in each format, history.list after changes and its 404 once history is gone,
// and Google's 400 for parameters Gmail does not take.
import * as assert from 'node:assert/strict';
import { rfc822, startTestDomain, type TestDomain } from '../../../servers/fakeGoogle/testDomain';

describe('fake Google: Gmail API', () => {
  let d: TestDomain;
  let ann: string;
  let token: string;
  beforeEach(async () => {
    d = await startTestDomain();
    ann = d.users[0];
    token = await d.accessToken(ann);
  });
  afterEach(async () => {
    await d.fake.stop();
  });

  it('lists system and nested user labels; get adds the counts', async () => {
    const a = d.fake.admin;
    a.addLabel(ann, 'Projects');
    const child = a.addLabel(ann, 'Projects/2026');
    a.addMessage(ann, { raw: rfc822('one'), labels: ['INBOX', 'UNREAD', 'Projects/2026'] });
    a.addMessage(ann, { raw: rfc822('two'), labels: ['Projects/2026'] });
    const labels = (await d.call(token, '/gmail/v1/users/me/labels')).body.labels as { id: string; name: string; type: string }[];
    const byName = new Map(labels.map((l) => [l.name, l]));
    for (const system of ['INBOX', 'SENT', 'DRAFT', 'SPAM', 'TRASH', 'STARRED', 'UNREAD', 'IMPORTANT', 'CATEGORY_SOCIAL']) assert.equal(byName.get(system)?.type, 'system', system);
    assert.deepEqual(byName.get('Projects/2026'), { id: child.id, name: 'Projects/2026', messageListVisibility: 'show', labelListVisibility: 'labelShow', type: 'user' });
    const got = (await d.call(token, `/gmail/v1/users/me/labels/${child.id}`)).body;
    assert.deepEqual([got.messagesTotal, got.messagesUnread, got.threadsTotal, got.threadsUnread], [2, 1, 2, 1]);
    assert.equal((await d.call(token, '/gmail/v1/users/me/labels/Label_999')).status, 404);
  });

  it('pages messages.list newest first with pageToken; maxResults is capped at 500', async () => {
    for (let i = 0; i < 12; i++) d.fake.admin.addMessage(ann, { raw: rfc822(`m${i}`), labels: ['INBOX'], internalDate: Date.UTC(2026, 0, 1 + i) });
    const seen: string[] = [];
    let pageToken: string | undefined;
    let pages = 0;
    do {
      const r = await d.call(token, `/gmail/v1/users/me/messages?maxResults=5${pageToken ? `&pageToken=${pageToken}` : ''}`);
      assert.equal(r.status, 200);
      assert.equal(r.body.resultSizeEstimate, 12);
      seen.push(...(r.body.messages as { id: string }[]).map((m) => m.id));
      pageToken = r.body.nextPageToken as string | undefined;
      pages++;
    } while (pageToken);
    assert.equal(pages, 3);
    assert.equal(new Set(seen).size, 12);
    const dates = seen.map((id) => d.fake.admin.mailbox(ann).get(id).internalDate);
    assert.deepEqual(dates, [...dates].sort((x, y) => y - x));
    const big = await d.call(token, '/gmail/v1/users/me/messages?maxResults=100000');
    assert.equal((big.body.messages as unknown[]).length, 12);
  });

  it('leaves spam and trash out unless asked; labelIds ANDs; q understands in:, label:, is: and rfc822msgid:', async () => {
    const a = d.fake.admin;
    const inbox = a.addMessage(ann, { raw: rfc822('hello', { messageId: '<hello@x.test>' }), labels: ['INBOX', 'STARRED'] });
    const spam = a.addMessage(ann, { raw: rfc822('buy now'), labels: ['SPAM'] });
    const trash = a.addMessage(ann, { raw: rfc822('old'), labels: ['TRASH', 'Work'] });
    const work = a.addMessage(ann, { raw: rfc822('plan'), labels: ['Work', 'UNREAD'] });
    const ids = async (query: string) => (((await d.call(token, `/gmail/v1/users/me/messages?${query}`)).body.messages ?? []) as { id: string }[]).map((m) => m.id).sort();
    assert.deepEqual(await ids(''), [inbox.id, work.id].sort());
    assert.deepEqual(await ids('includeSpamTrash=true'), [inbox.id, spam.id, trash.id, work.id].sort());
    assert.deepEqual(await ids('labelIds=TRASH'), [trash.id]);
    assert.deepEqual(await ids(`labelIds=INBOX&labelIds=STARRED`), [inbox.id]);
    assert.deepEqual(await ids(`q=${encodeURIComponent('in:spam')}`), [spam.id]);
    assert.deepEqual(await ids(`q=${encodeURIComponent('label:work')}`), [work.id]);
    assert.deepEqual(await ids(`q=${encodeURIComponent('is:unread')}`), [work.id]);
    assert.deepEqual(await ids(`q=${encodeURIComponent('rfc822msgid:hello@x.test')}`), [inbox.id]);
    assert.deepEqual(await ids(`q=${encodeURIComponent('in:anywhere -in:inbox')}`), [spam.id, trash.id, work.id].sort());
  });

  it('messages.get: raw is base64url RFC 822 byte for byte; minimal, metadata and full carry what Gmail documents', async () => {
    const raw = rfc822('Grüße', { body: 'Hallo ünd tschüss' });
    const m = d.fake.admin.addMessage(ann, { raw, labels: ['INBOX', 'UNREAD', 'IMPORTANT'], internalDate: Date.UTC(2026, 1, 2, 3, 4, 5) });
    const r = (await d.call(token, `/gmail/v1/users/me/messages/${m.id}?format=raw`)).body;
    assert.equal(Buffer.from(String(r.raw), 'base64url').toString('utf8'), raw);
    assert.deepEqual([r.id, r.threadId, r.internalDate, r.sizeEstimate, r.labelIds], [m.id, m.threadId, String(Date.UTC(2026, 1, 2, 3, 4, 5)), Buffer.byteLength(raw), ['INBOX', 'UNREAD', 'IMPORTANT']]);
    assert.match(String(r.historyId), /^\d+$/);
    const minimal = (await d.call(token, `/gmail/v1/users/me/messages/${m.id}?format=minimal`)).body;
    assert.equal(minimal.raw, undefined);
    assert.equal(minimal.payload, undefined);
    const meta = (await d.call(token, `/gmail/v1/users/me/messages/${m.id}?format=metadata&metadataHeaders=Subject&metadataHeaders=Message-ID`)).body;
    assert.deepEqual((meta.payload as { headers: { name: string }[] }).headers.map((h) => h.name), ['Subject', 'Message-ID']);
    const full = (await d.call(token, `/gmail/v1/users/me/messages/${m.id}`)).body;
    const payload = full.payload as { mimeType: string; body: { data: string } };
    assert.equal(payload.mimeType, 'text/plain');
    assert.equal(Buffer.from(payload.body.data, 'base64url').toString('utf8').trim(), 'Hallo ünd tschüss');
    assert.equal((await d.call(token, '/gmail/v1/users/me/messages/0000000000000000')).status, 404);
  });

  it('history.list gives the changes after a start id, filtered by type; 404 once the history is gone', async () => {
    const a = d.fake.admin;
    const first = a.addMessage(ann, { raw: rfc822('first'), labels: ['INBOX'] });
    const start = String((await d.call(token, '/gmail/v1/users/me/profile')).body.historyId);
    const added = a.addMessage(ann, { raw: rfc822('second'), labels: ['INBOX'] });
    a.modifyLabels(ann, first.id, ['STARRED'], ['INBOX']);
    a.deleteMessage(ann, added.id);
    const all = (await d.call(token, `/gmail/v1/users/me/history?startHistoryId=${start}`)).body;
    const history = all.history as Record<string, unknown>[];
    assert.deepEqual(
      history.map((h) => Object.keys(h).filter((k) => k !== 'id' && k !== 'messages')),
      [['messagesAdded'], ['labelsAdded'], ['labelsRemoved'], ['messagesDeleted']],
    );
    assert.deepEqual((history[1].labelsAdded as { labelIds: string[] }[])[0].labelIds, ['STARRED']);
    assert.equal(all.historyId, String(a.mailbox(ann).historyId));
    const ids = history.map((h) => Number(h.id));
    assert.deepEqual(ids, [...ids].sort((x, y) => x - y));
    const onlyAdded = (await d.call(token, `/gmail/v1/users/me/history?startHistoryId=${start}&historyTypes=messageAdded`)).body;
    assert.equal((onlyAdded.history as unknown[]).length, 1);
    const now = String(all.historyId);
    const none = (await d.call(token, `/gmail/v1/users/me/history?startHistoryId=${now}`)).body;
    assert.deepEqual(none, { historyId: now });
    a.expireHistory(ann);
    const gone = await d.call(token, `/gmail/v1/users/me/history?startHistoryId=${start}`);
    assert.equal(gone.status, 404);
    assert.equal((gone.body.error as { status: string }).status, 'NOT_FOUND');
    assert.equal((await d.call(token, `/gmail/v1/users/me/history?startHistoryId=${a.mailbox(ann).historyId}`)).status, 200);
  });

  it('answers Google\'s 400 for an unknown parameter, a bad enum value or a malformed number', async () => {
    const unknown = await d.call(token, '/gmail/v1/users/me/messages?maxResult=5');
    assert.equal(unknown.status, 400);
    assert.match((unknown.body.error as { message: string }).message, /Unknown name "maxResult": Cannot bind query parameter/);
    const format = await d.call(token, '/gmail/v1/users/me/messages/abc?format=mime');
    assert.equal(format.status, 400);
    assert.match((format.body.error as { message: string }).message, /Invalid value at 'format'/);
    const notNumber = await d.call(token, '/gmail/v1/users/me/messages?maxResults=ten');
    assert.equal(notNumber.status, 400);
    const history = await d.call(token, '/gmail/v1/users/me/history?startHistoryId=-3');
    assert.equal(history.status, 400);
  });

  it('another user\'s mailbox is refused ("Delegation denied"); fields= trims the answer', async () => {
    const other = await d.call(token, `/gmail/v1/users/${encodeURIComponent(d.users[1])}/profile`);
    assert.equal(other.status, 403);
    assert.equal((other.body.error as { message: string }).message, `Delegation denied for ${ann}`);
    d.fake.admin.addMessage(ann, { raw: rfc822('x'), labels: ['INBOX'] });
    const trimmed = (await d.call(token, '/gmail/v1/users/me/messages?fields=messages(id),nextPageToken')).body;
    assert.deepEqual(Object.keys(trimmed), ['messages']);
    assert.deepEqual(Object.keys((trimmed.messages as object[])[0]), ['id']);
  });

  it('insert, modify, trash and delete over the API change the mailbox and its history', async () => {
    const write = await d.accessToken(ann, ['https://mail.google.com/']);
    const raw = Buffer.from(rfc822('via api')).toString('base64url');
    const inserted = await d.call(write, '/gmail/v1/users/me/messages', { method: 'POST', body: { raw, labelIds: ['INBOX', 'UNREAD'] } });
    assert.equal(inserted.status, 200);
    const id = String(inserted.body.id);
    const modified = await d.call(write, `/gmail/v1/users/me/messages/${id}/modify`, { method: 'POST', body: { removeLabelIds: ['UNREAD'], addLabelIds: ['STARRED'] } });
    assert.deepEqual(modified.body.labelIds, ['INBOX', 'STARRED']);
    const trashed = await d.call(write, `/gmail/v1/users/me/messages/${id}/trash`, { method: 'POST' });
    assert.ok((trashed.body.labelIds as string[]).includes('TRASH'));
    assert.equal((await d.call(write, `/gmail/v1/users/me/messages/${id}`, { method: 'DELETE' })).status, 204);
    assert.equal(d.fake.admin.mailbox(ann).messages.size, 0);
    const readOnlyToken = await d.accessToken(ann, ['https://www.googleapis.com/auth/gmail.readonly']);
    const readOnly = await d.call(readOnlyToken, '/gmail/v1/users/me/messages', { method: 'POST', body: { raw } });
    assert.equal(readOnly.status, 403, 'gmail.readonly cannot insert');
    const unknownField = await d.call(write, `/gmail/v1/users/me/messages/${id}/modify`, { method: 'POST', body: { addLabels: ['X'] } });
    assert.equal(unknownField.status, 400);
  });
});
