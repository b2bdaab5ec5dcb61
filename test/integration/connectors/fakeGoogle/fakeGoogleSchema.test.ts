// Every JSON answer of a scenario through all four APIs is an instance of its method's response
// schema in Google's discovery descriptions (test/servers/fakeGoogle/discovery.json, from
// scripts/derive-google-discovery.mjs); the check itself rejects what the schemas do not allow.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { schemaProblems, type ApiName } from '../../../servers/fakeGoogle/discovery';
import { rfc822, startTestDomain, type TestDomain } from '../../../servers/fakeGoogle/testDomain';

const API_OF: Record<string, ApiName> = { gmail: 'gmail.v1', calendar: 'calendar.v3', people: 'people.v1', directory: 'admin.directory_v1' };
const RESPONSE: Record<string, string> = {
  'gmail.users.getProfile': 'Profile',
  'gmail.users.labels.list': 'ListLabelsResponse',
  'gmail.users.labels.get': 'Label',
  'gmail.users.messages.list': 'ListMessagesResponse',
  'gmail.users.messages.get': 'Message',
  'gmail.users.messages.modify': 'Message',
  'gmail.users.history.list': 'ListHistoryResponse',
  'calendar.calendarList.list': 'CalendarList',
  'calendar.events.list': 'Events',
  'calendar.events.get': 'Event',
  'people.people.connections.list': 'ListConnectionsResponse',
  'directory.users.list': 'Users',
  'directory.users.get': 'User',
};

describe('fake Google: answers against Google\'s discovery schemas', () => {
  let d: TestDomain | undefined;
  afterEach(async () => {
    await d?.fake.stop();
    d = undefined;
  });

  it('the schema check refuses members, types and enum values the discovery description lacks', () => {
    assert.deepEqual(schemaProblems('gmail.v1', 'Message', { id: 'a', labelIds: ['INBOX'], sizeEstimate: 3 }), []);
    assert.notDeepEqual(schemaProblems('gmail.v1', 'Message', { id: 'a', folder: 'Inbox' }), []);
    assert.notDeepEqual(schemaProblems('gmail.v1', 'Message', { id: 'a', sizeEstimate: '3' }), []);
    assert.notDeepEqual(schemaProblems('gmail.v1', 'Label', { id: 'a', type: 'system', labelListVisibility: 'visible' }), []);
    assert.notDeepEqual(schemaProblems('calendar.v3', 'Event', { id: 'a', start: { dateTime: '2026-01-01T00:00:00Z', zone: 'UTC' } }), []);
  });

  it('a scenario through Gmail, Calendar, People and Directory answers only instances of the schemas', async () => {
    const t = await startTestDomain();
    d = t;
    const [ann] = t.users;
    const a = t.fake.admin;
    const answers = a.recordAnswers();
    a.addLabel(ann, 'Work');
    a.addLabel(ann, 'Work/Acme');
    const multipart = ['From: x@elsewhere.test', 'Subject: parts', 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="b1"', '', '--b1', 'Content-Type: text/html; charset=utf-8', '', '<p>Hi &amp; bye</p>', '--b1', 'Content-Type: application/pdf; name="a.pdf"', 'Content-Disposition: attachment; filename="a.pdf"', 'Content-Transfer-Encoding: base64', '', 'JVBERi0xLjQK', '--b1--', ''].join('\r\n');
    const m1 = a.addMessage(ann, { raw: multipart, labels: ['INBOX', 'UNREAD', 'Work/Acme', 'STARRED'] });
    a.addMessage(ann, { raw: rfc822('draft'), labels: ['DRAFT'] });
    const start = a.mailbox(ann).historyId;
    a.modifyLabels(ann, m1.id, ['IMPORTANT'], ['UNREAD']);
    a.trash(ann, a.addMessage(ann, { raw: rfc822('bin') }).id);
    a.addEvent(ann, { summary: 'Weekly', start: { dateTime: '2026-03-02T10:00:00', timeZone: 'Europe/Paris' }, end: { dateTime: '2026-03-02T11:00:00', timeZone: 'Europe/Paris' }, recurrence: ['RRULE:FREQ=WEEKLY;COUNT=4'], attendees: [{ email: 'x@elsewhere.test', responseStatus: 'tentative', displayName: 'X' }], reminders: { useDefault: false, overrides: [{ method: 'email', minutes: 60 }] } });
    const allDay = a.addEvent(ann, { summary: 'Holiday', start: { date: '2026-04-06' }, end: { date: '2026-04-07' }, transparency: 'transparent' });
    a.deleteEvent(ann, allDay.id);
    a.addContact(ann, { names: [{ givenName: 'Hugo', familyName: 'Ng' }], emailAddresses: [{ value: 'hugo@elsewhere.test', type: 'home' }], organizations: [{ name: 'Acme', title: 'CTO' }], birthdays: [{ date: { year: 1980, month: 2, day: 29 } }], addresses: [{ streetAddress: '1 Main St', city: 'Springfield', type: 'work' }] });
    const token = await t.accessToken(ann);
    const adminToken = await t.accessToken(t.admin);
    const paths = [
      '/gmail/v1/users/me/profile',
      '/gmail/v1/users/me/labels',
      `/gmail/v1/users/me/labels/${a.labelId(ann, 'Work/Acme')}`,
      '/gmail/v1/users/me/labels/INBOX',
      '/gmail/v1/users/me/messages?includeSpamTrash=true&maxResults=2',
      `/gmail/v1/users/me/messages/${m1.id}`,
      `/gmail/v1/users/me/messages/${m1.id}?format=raw`,
      `/gmail/v1/users/me/messages/${m1.id}?format=metadata`,
      `/gmail/v1/users/me/messages/${m1.id}?format=minimal`,
      `/gmail/v1/users/me/history?startHistoryId=${start}`,
      '/calendar/v3/users/me/calendarList',
      '/calendar/v3/calendars/primary/events?showDeleted=true',
      '/calendar/v3/calendars/primary/events?singleEvents=true&orderBy=startTime',
      '/v1/people/me/connections?personFields=names,emailAddresses,organizations,birthdays,addresses,metadata&requestSyncToken=true',
    ];
    for (const p of paths) assert.equal((await t.call(token, p)).status, 200, p);
    for (const p of ['/admin/directory/v1/users?customer=my_customer', `/admin/directory/v1/users/${encodeURIComponent(ann)}`]) assert.equal((await t.call(adminToken, p)).status, 200, p);
    assert.deepEqual(a.schemaProblems, []);
    assert.equal(answers.length, paths.length + 2);
    for (const { id, body } of answers) {
      const api = API_OF[id.split('.')[0]];
      assert.deepEqual(schemaProblems(api, RESPONSE[id], body), [], id);
    }
  });

  it('discovery.json is what the script derives from the discovery documents (where they are at hand)', function () {
    const from = process.env.FERRY_GOOGLE_DISCOVERY_DIR;
    if (!from || !fs.existsSync(path.join(from, 'gmail.v1.json'))) {
      console.log('      skipped: FERRY_GOOGLE_DISCOVERY_DIR (the folder of gmail.v1.json, calendar.v3.json, people.v1.json, admin.directory_v1.json) not set');
      this.skip();
    }
    const root = path.resolve(__dirname, '../../../../..');
    const r = spawnSync(process.execPath, [path.join(root, 'scripts/derive-google-discovery.mjs'), '--from', from, '--check'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
  });
});
