// Google Workspace (the fake Google) into Microsoft 365 (the fake Graph), through runPass: mail lands
// in the folders the label mapping names (Inbox, Sent Items, Drafts, Junk Email, Deleted Items,
// Archive, a folder per label), once, with read state, flag and date; the primary calendar's
// series with a changed and a cancelled occurrence, attendees, reminders and its time zone, an
// all-day event, and contacts arrive field by field; a delta moves nothing.
import * as assert from 'node:assert/strict';
import { resetTokenProviders } from '../../../src/connectors/m365/auth/tokenProvider';
import { defaultRetryPolicy } from '../../../src/engine/backoff';
import { runPass } from '../../../src/engine/runPass';
import { registryConnectors } from '../../../src/runner/connectors';
import { pimOf } from '../../servers/fakeM365/graphPim';
import { startTestTenant, type TestTenant } from '../../servers/fakeM365/testTenant';
import { rfc822, startTestDomain, type TestDomain } from '../../servers/fakeGoogle/testDomain';
import { gmailProject } from './gmailProject';

const when = (day: number) => new Date(Date.UTC(2026, 2, day, 9, 30));

describe('engine: Google Workspace (fake Google) -> Microsoft 365 (fake Graph)', function () {
  this.timeout(120_000);
  let t: TestTenant;
  let d: TestDomain;
  const secrets: Record<string, string> = {};
  const fast = { ...defaultRetryPolicy, attempts: 10, baseMs: 20, maxMs: 2000 };
  afterEach(() => {
    assert.deepEqual(t?.fake.graph.deviations ?? [], []);
    assert.deepEqual(d?.fake.admin.schemaProblems ?? [], []);
  });

  before(async () => {
    [t, d] = await Promise.all([startTestTenant(['ann@contoso.test']), startTestDomain({ users: ['ann@example.test'] })]);
    secrets.M365_SECRET = t.secret;
    secrets.GKEY = JSON.stringify(d.key);
    const a = d.fake.admin;
    const user = 'ann@example.test';
    a.addLabel(user, 'Projects');
    a.addLabel(user, 'Projects/Alpha');
    const add = (subject: string, labels: string[], day: number) => a.addMessage(user, { raw: rfc822(subject, { to: user, date: when(day) }), labels, internalDate: when(day) });
    add('unread in inbox', ['INBOX', 'UNREAD'], 1);
    add('starred alpha', ['INBOX', 'STARRED', 'IMPORTANT', 'Projects/Alpha'], 2);
    add('sent', ['SENT'], 3);
    add('draft', ['DRAFT'], 4);
    add('spam', ['SPAM'], 5);
    add('trashed', ['TRASH', 'Projects/Alpha'], 6);
    add('archived', [], 7);
    a.setCalendarTimeZone(user, 'Europe/Paris');
    const series = a.addEvent(user, {
      summary: 'Weekly review',
      description: 'Numbers first.',
      location: 'Room 4',
      start: { dateTime: '2026-03-02T09:00:00+01:00', timeZone: 'Europe/Paris' },
      end: { dateTime: '2026-03-02T10:00:00+01:00', timeZone: 'Europe/Paris' },
      recurrence: ['RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=8'],
      attendees: [{ email: 'bob@example.test', displayName: 'Bob', responseStatus: 'accepted' }, { email: 'client@tailspin.example', responseStatus: 'needsAction', optional: true }],
      reminders: { useDefault: false, overrides: [{ method: 'popup', minutes: 15 }] },
    });
    a.addEvent(user, { recurringEventId: series.id, originalStartTime: { dateTime: '2026-03-09T09:00:00+01:00', timeZone: 'Europe/Paris' }, summary: 'Weekly review (moved)', start: { dateTime: '2026-03-09T11:00:00+01:00', timeZone: 'Europe/Paris' }, end: { dateTime: '2026-03-09T12:00:00+01:00', timeZone: 'Europe/Paris' } });
    a.addEvent(user, { recurringEventId: series.id, originalStartTime: { dateTime: '2026-03-16T09:00:00+01:00', timeZone: 'Europe/Paris' }, status: 'cancelled', start: { dateTime: '2026-03-16T09:00:00+01:00', timeZone: 'Europe/Paris' }, end: { dateTime: '2026-03-16T10:00:00+01:00', timeZone: 'Europe/Paris' } });
    a.addEvent(user, { summary: 'Holiday', start: { date: '2026-12-24' }, end: { date: '2026-12-25' }, transparency: 'transparent' });
    a.addContact(user, {
      names: [{ givenName: 'Erin', familyName: 'Park', displayName: 'Erin Park' }],
      emailAddresses: [{ value: 'erin@contoso.example', type: 'work' }],
      phoneNumbers: [{ value: '+1 555 0100', type: 'work' }, { value: '+1 555 0101', type: 'mobile' }],
      organizations: [{ name: 'Contoso', title: 'Buyer', department: 'Sales' }],
      addresses: [{ streetAddress: '1 Main St', city: 'Springfield', region: 'IL', postalCode: '62701', country: 'USA', type: 'work' }],
      birthdays: [{ date: { year: 1980, month: 4, day: 2 } }],
      biographies: [{ value: 'Met at the fair' }],
    });
  });
  after(async () => {
    await t?.fake.close();
    await d?.fake.stop();
    resetTokenProviders();
  });

  it('mail where the labels say, once, with flags and dates; calendars and contacts field by field; delta zero', async () => {
    const { plan, store } = gmailProject(d, t.endpointYaml(), [{ source: 'ann@example.test', destination: 'ann@contoso.test' }]);
    const run = (pass: 'full' | 'delta') => runPass({ plan, store, pass, connectors: registryConnectors, secrets: (n) => secrets[n], retry: fast });
    const full = await run('full');
    assert.equal(full.items[0].status, 'Completed', JSON.stringify(full.items));
    const box = t.fake.data.mailbox(t.fake.data.findUser(t.tenant, 'ann@contoso.test')!.id);
    const pathOf = (id: string): string => {
      const f = box.folders.find((x) => x.id === id);
      return !f || f.id === box.rootId ? '' : [pathOf(f.parentFolderId), f.displayName].filter(Boolean).join('/');
    };
    const mail = box.messages.map((m) => [pathOf(m.folderId), m.subject, m.isRead, m.flagStatus, m.isDraft, m.receivedDateTime]).sort((a, b) => String(a[0]).localeCompare(String(b[0])) || String(a[1]).localeCompare(String(b[1])));
    const at = (day: number) => when(day).toISOString().replace(/\.\d+Z$/, 'Z');
    assert.deepEqual(mail, [
      ['Archive', 'archived', true, 'notFlagged', false, at(7)],
      ['Deleted Items', 'trashed', true, 'notFlagged', false, at(6)],
      // In Drafts, still a draft (created with MSGFLAG_UNSENT: a draft stays one).
      ['Drafts', 'draft', true, 'notFlagged', true, at(4)],
      ['Inbox', 'starred alpha', true, 'flagged', false, at(2)],
      ['Inbox', 'unread in inbox', false, 'notFlagged', false, at(1)],
      ['Junk Email', 'spam', true, 'notFlagged', false, at(5)],
      ['Projects/Alpha', 'starred alpha', true, 'flagged', false, at(2)],
      ['Sent Items', 'sent', true, 'notFlagged', false, at(3)],
    ]);
    // IMPORTANT ($Important at the source side) is the category Important: both copies of the message carry it.
    assert.deepEqual(box.messages.filter((m) => m.subject === 'starred alpha').map((m) => m.created?.categories), [['Important'], ['Important']]);

    const pim = pimOf(box);
    const events = pim.items.filter((i) => i.kind === 'event');
    const weekly = events.find((e) => e.body.subject === 'Weekly review')!;
    assert.ok(weekly, JSON.stringify(events.map((e) => e.body.subject)));
    assert.deepEqual(weekly.body.start, { dateTime: '2026-03-02T09:00:00', timeZone: 'Europe/Paris' });
    assert.equal((weekly.body.location as { displayName: string }).displayName, 'Room 4');
    assert.equal(weekly.body.reminderMinutesBeforeStart, 15);
    assert.deepEqual((weekly.body.recurrence as { pattern: { type: string; daysOfWeek: string[] }; range: { numberOfOccurrences: number } }).range.numberOfOccurrences, 8);
    assert.match(String((weekly.body.body as { content: string }).content), /Attendees: Bob <bob@example\.test> \(accepted\); client@tailspin\.example/);
    assert.equal(weekly.occurrences?.cancelled.length, 1, JSON.stringify(weekly.occurrences));
    assert.deepEqual(Object.values(weekly.occurrences?.changed ?? {}).map((c) => c.subject), ['Weekly review (moved)']);
    const holiday = events.find((e) => e.body.subject === 'Holiday')!;
    assert.deepEqual([holiday.body.isAllDay, holiday.body.showAs], [true, 'free']);
    const erin = pim.items.find((i) => i.kind === 'contact')!;
    assert.deepEqual(
      [erin.body.givenName, erin.body.surname, erin.body.companyName, erin.body.department, erin.body.jobTitle, erin.body.mobilePhone, erin.body.businessPhones, erin.body.emailAddresses, erin.body.personalNotes],
      ['Erin', 'Park', 'Contoso', 'Sales', 'Buyer', '+1 555 0101', ['+1 555 0100'], [{ address: 'erin@contoso.example', name: 'Erin Park' }], 'Met at the fair'],
    );
    assert.match(String(erin.body.birthday), /^1980-04-02/);

    const before = [box.messages.length, pim.items.length];
    assert.equal((await run('delta')).totals.copied, 0);
    assert.deepEqual([box.messages.length, pim.items.length], before);
    store.close();
  });
});
