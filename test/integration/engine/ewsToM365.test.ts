// Seed 003's job: on-premises Exchange (the fake EWS server) to Microsoft 365 (the fake Graph),
// through runPass like a real run. Mail moves as MIME with its read state and received date, never
// as drafts; folders keep their place (Inbox/Projects under Inbox); a delta moves nothing, then
// only what is new. Contacts become Graph contacts, calendar items Graph events in the calendar of
// the same place (a sub-calendar becomes its own calendar) without a single invitation sent, tasks
// Microsoft To Do tasks; a lost store writes none of them twice (watermarks). A weekly series with a
// moved and a cancelled occurrence arrives with exactly those exceptions, also after a write cut
// off between the series and its last request.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { resetTokenProviders } from '../../../src/connectors/m365/auth/tokenProvider';
import { defaultRetryPolicy } from '../../../src/engine/backoff';
import { runPass } from '../../../src/engine/runPass';
import { registryConnectors } from '../../../src/runner/connectors';
import { loadPlan } from '../../../src/runner/loadPlan';
import { Store } from '../../../src/store/store';
import { createFakeEwsData, startFakeEws, type FakeEws, type SeedMailbox } from '../../servers/fakeEws/server';
import { startTestTenant, type TestTenant } from '../../servers/fakeM365/testTenant';
import { plainMessage } from '../../servers/testMessages';
import { request, tokenRequest } from '../../unit/connectors/m365/fakeHttp';

const ORG = 'contoso.local';
/** A weekly meeting with two attendees, as Exchange's MimeContent writes a calendar item. */
const meeting = [
  'BEGIN:VCALENDAR', 'METHOD:PUBLISH', 'VERSION:2.0',
  'BEGIN:VEVENT', 'UID:040000008200E00074C5B7101A82E008', 'SUMMARY:Weekly pipeline review', 'DESCRIPTION:Numbers first.',
  'DTSTART;TZID=W. Europe Standard Time:20260907T090000', 'DTEND;TZID=W. Europe Standard Time:20260907T100000',
  'RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=12',
  `ORGANIZER;CN=Ann:mailto:ann@${ORG}`, `ATTENDEE;CN=Bob;PARTSTAT=ACCEPTED:mailto:bob@${ORG}`, 'ATTENDEE;CN=Client;PARTSTAT=NEEDS-ACTION:mailto:client@tailspin.example',
  'LOCATION:Room 4', 'BEGIN:VALARM', 'TRIGGER:-PT10M', 'ACTION:DISPLAY', 'END:VALARM',
  'END:VEVENT', 'END:VCALENDAR', '',
].join('\r\n');

const W_EUROPE = 'W. Europe Standard Time';
/**
 * A weekly series as Exchange's MimeContent writes it with its exceptions: the zone as a VTIMEZONE,
 * the occurrence of 19 October deleted (EXDATE), the one of 26 October (after the clocks went back)
 * moved to the 27th in another room (a VEVENT with its RECURRENCE-ID).
 */
const series = [
  'BEGIN:VCALENDAR', 'METHOD:PUBLISH', 'PRODID:Microsoft Exchange Server 2010', 'VERSION:2.0',
  'BEGIN:VTIMEZONE', `TZID:${W_EUROPE}`,
  'BEGIN:STANDARD', 'DTSTART:16010101T030000', 'TZOFFSETFROM:+0200', 'TZOFFSETTO:+0100', 'RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=10', 'END:STANDARD',
  'BEGIN:DAYLIGHT', 'DTSTART:16010101T020000', 'TZOFFSETFROM:+0100', 'TZOFFSETTO:+0200', 'RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=3', 'END:DAYLIGHT',
  'END:VTIMEZONE',
  'BEGIN:VEVENT', 'UID:040000008200E00074C5B7101A82E00800000000SPRINT', 'SUMMARY:Sprint review', 'DESCRIPTION:Demo first.',
  `DTSTART;TZID=${W_EUROPE}:20261005T140000`, `DTEND;TZID=${W_EUROPE}:20261005T150000`,
  'RRULE:FREQ=WEEKLY;COUNT=8;BYDAY=MO;WKST=MO', `EXDATE;TZID=${W_EUROPE}:20261019T140000`,
  `ORGANIZER;CN=Cat:mailto:cat@${ORG}`, `ATTENDEE;CN=Bob;PARTSTAT=ACCEPTED:mailto:bob@${ORG}`, 'ATTENDEE;CN=Client;PARTSTAT=NEEDS-ACTION:mailto:client@tailspin.example',
  'LOCATION:Room 4', 'END:VEVENT',
  'BEGIN:VEVENT', 'UID:040000008200E00074C5B7101A82E00800000000SPRINT', `RECURRENCE-ID;TZID=${W_EUROPE}:20261026T140000`, 'SUMMARY:Sprint review (moved)', 'DESCRIPTION:Demo first.',
  `DTSTART;TZID=${W_EUROPE}:20261027T160000`, `DTEND;TZID=${W_EUROPE}:20261027T170000`,
  `ORGANIZER;CN=Cat:mailto:cat@${ORG}`, `ATTENDEE;CN=Bob;PARTSTAT=ACCEPTED:mailto:bob@${ORG}`, 'LOCATION:Room 9', 'END:VEVENT',
  'END:VCALENDAR', '',
].join('\r\n');
/** The series' instances as Graph lists them (UTC): 8 Mondays, the 19th cancelled, the 26th moved. */
const expectedInstances = [
  ['occurrence', '2026-10-05T12:00:00Z', '2026-10-05T12:00:00.0000000', 'Sprint review', 'Room 4'],
  ['occurrence', '2026-10-12T12:00:00Z', '2026-10-12T12:00:00.0000000', 'Sprint review', 'Room 4'],
  ['exception', '2026-10-26T13:00:00Z', '2026-10-27T15:00:00.0000000', 'Sprint review (moved)', 'Room 9'],
  ...['02', '09', '16', '23'].map((d) => ['occurrence', `2026-11-${d}T13:00:00Z`, `2026-11-${d}T13:00:00.0000000`, 'Sprint review', 'Room 4']),
];
const PENDING = 'string {4f1e6f3a-9b0c-4c5e-8a61-2f6d1e0c7a11} name ferryseriespending';

describe('engine: Exchange (fake EWS) -> Microsoft 365 (fake Graph)', function () {
  this.timeout(90_000);
  let ews: FakeEws;
  let t: TestTenant;

  before(async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-ews-m365-'));
    const mail = (n: number, folder: string, isRead: boolean) => ({ folder, mime: plainMessage(n).raw, isRead, received: plainMessage(n).date.toISOString() });
    // ann's mailbox, and abe's with the same content: each test that changes its source has its own.
    const sample = (): SeedMailbox => ({
      folders: [{ path: 'inbox/Projects' }, { path: 'Archive 2024' }, { path: 'contacts/Suppliers', folderClass: 'IPF.Contact' }, { path: 'calendar/Holidays', folderClass: 'IPF.Appointment' }],
      items: [
        ...Array.from({ length: 8 }, (_, i) => mail(800 + i, 'inbox', i < 3)),
        ...Array.from({ length: 3 }, (_, i) => mail(820 + i, 'inbox/Projects', true)),
        ...Array.from({ length: 2 }, (_, i) => mail(830 + i, 'Archive 2024', false)),
        ...Array.from({ length: 2 }, (_, i) => mail(840 + i, 'sentitems', true)),
        { folder: 'contacts', itemClass: 'IPM.Contact', mime: 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Erin\r\nN:;Erin;;;\r\nEND:VCARD\r\n' },
        { folder: 'contacts/Suppliers', itemClass: 'IPM.Contact', mime: 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Fabrice Lemaire\r\nN:Lemaire;Fabrice;;;\r\nORG:Tailspin Toys;Purchasing\r\nEMAIL;TYPE=WORK:fabrice@tailspin.example\r\nTEL;TYPE=CELL:+33 6 12 34 56 78\r\nEND:VCARD\r\n' },
        { folder: 'calendar', itemClass: 'IPM.Appointment', mime: meeting },
        { folder: 'calendar/Holidays', itemClass: 'IPM.Appointment', mime: 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:h1\r\nSUMMARY:Christmas Eve\r\nDTSTART;VALUE=DATE:20261224\r\nDTEND;VALUE=DATE:20261225\r\nTRANSP:TRANSPARENT\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n' },
        { folder: 'tasks', itemClass: 'IPM.Task', mime: 'Subject: Renew the domain\r\n\r\n', task: { body: 'Before the end of the month.', dueDate: '2026-11-30T17:00:00Z', status: 'InProgress', importance: 'High', reminderDueBy: '2026-11-30T09:00:00Z' } },
      ],
    });
    createFakeEwsData(dataDir, {
      users: [{ address: `migadmin@${ORG}`, login: 'CONTOSO\\migadmin', password: 'Adm1n-pass', roles: ['ApplicationImpersonation'] }, { address: `ann@${ORG}`, login: 'CONTOSO\\ann', password: 'x' }, { address: `abe@${ORG}`, login: 'CONTOSO\\abe', password: 'x' }, { address: `cat@${ORG}`, login: 'CONTOSO\\cat', password: 'x' }],
      mailboxes: {
        [`ann@${ORG}`]: sample(),
        [`abe@${ORG}`]: sample(),
        [`cat@${ORG}`]: { folders: [], items: [{ folder: 'calendar', itemClass: 'IPM.Appointment', mime: series }] },
      },
    });
    [ews, t] = await Promise.all([startFakeEws({ dataDir }), startTestTenant(['ann@fabrikam.test'])]);
  });
  after(async () => {
    await ews?.close();
    await t?.fake.close();
    resetTokenProviders();
  });

  /** A plan moving ann's (or `source`'s) mailbox to `destination`, its store, and a pass runner with fast retries. */
  function project(destination: string, source = `ann@${ORG}`) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-ews-m365-plan-'));
    fs.writeFileSync(
      path.join(dir, 'p.migration.yaml'),
      `version: 1
project: { name: Exchange to Microsoft 365 }
endpoints:
  onprem: { type: exchange, url: '${ews.ewsUrl}', auth: { username: 'CONTOSO\\migadmin', password: { secret: EX } } }
  cloud: ${t.endpointYaml()}
source: onprem
destination: cloud
batches:
  - name: Wave 1
    items:
      - { source: ${source}, destination: ${destination} }
`,
    );
    const plan = loadPlan(path.join(dir, 'p.migration.yaml')).plan;
    const secrets: Record<string, string> = { EX: 'Adm1n-pass', M365_SECRET: t.secret };
    const passWith = (store: Store, pass: 'full' | 'delta', attempts = 8) => runPass({ plan, store, pass, connectors: registryConnectors, secrets: (n) => secrets[n], retry: { ...defaultRetryPolicy, attempts, patience: attempts, baseMs: 20, maxMs: 200 } });
    return { plan, store: Store.open(path.join(dir, '.ferry')), passWith };
  }

  it('full then delta: every message once, in place, read state and dates kept, no drafts; new mail once', async () => {
    const { store, passWith } = project('ann@fabrikam.test');
    const run = (pass: 'full' | 'delta') => passWith(store, pass);
    const full = await run('full');
    assert.deepEqual([full.items[0].status, full.totals.copied], ['Completed', 15 + 5], JSON.stringify(store.errors.forItems([1, 2, 3])));
    const user = t.fake.data.findUser(t.tenant, 'ann@fabrikam.test')!;
    const mailbox = t.fake.data.mailbox(user.id);
    const messages = mailbox.messages;
    assert.equal(messages.length, 15);
    assert.equal(new Set(messages.map((m) => m.internetMessageId)).size, 15);
    assert.ok(messages.every((m) => !m.isDraft), 'a message was left a draft');
    assert.equal(messages.filter((m) => m.isRead).length, 3 + 3 + 2);
    assert.ok(messages.some((m) => m.receivedDateTime === plainMessage(800).date.toISOString().replace(/\.\d+Z$/, 'Z')), 'received date not kept');
    const folderName = (id: string) => mailbox.folders.find((f) => f.id === id)?.displayName;
    const inFolder = (name: string) => messages.filter((m) => folderName(m.folderId) === name).length;
    assert.deepEqual([inFolder('Inbox'), inFolder('Projects'), inFolder('Archive 2024'), inFolder('Sent Items')], [8, 3, 2, 2]);
    // Contacts, events and tasks, each in its place, and not one invitation mailed.
    const pim = mailbox.pim!;
    assert.equal(pim.invitationsSent, 0, 'the migration sent meeting invitations');
    const contacts = pim.items.filter((i) => i.kind === 'contact');
    assert.deepEqual(contacts.map((c) => c.body.displayName).sort(), ['Erin', 'Fabrice Lemaire']);
    const fabrice = contacts.find((c) => c.body.displayName === 'Fabrice Lemaire')!;
    assert.deepEqual([pim.contactFolders.find((f) => f.id === fabrice.containerId)?.displayName, fabrice.body.companyName, fabrice.body.mobilePhone], ['Suppliers', 'Tailspin Toys', '+33 6 12 34 56 78']);
    const events = pim.items.filter((i) => i.kind === 'event');
    const calendarOf = (id: string) => pim.calendars.find((c) => c.id === id);
    const review = events.find((e) => e.body.subject === 'Weekly pipeline review')!;
    assert.equal(calendarOf(review.containerId)?.isDefaultCalendar, true);
    assert.deepEqual(review.body.start, { dateTime: '2026-09-07T09:00:00', timeZone: 'W. Europe Standard Time' });
    assert.equal(review.body.attendees, undefined);
    assert.match(String((review.body.body as { content: string }).content), /Numbers first\.[\s\S]*Attendees: Bob <bob@contoso\.local> \(accepted\); Client <client@tailspin\.example> \(no answer\)/);
    assert.deepEqual((review.body.recurrence as { pattern: object }).pattern, { type: 'weekly', interval: 1, daysOfWeek: ['monday'], firstDayOfWeek: 'monday' });
    const eve = events.find((e) => e.body.subject === 'Christmas Eve')!;
    assert.deepEqual([calendarOf(eve.containerId)?.name, eve.body.isAllDay, eve.body.showAs], ['Holidays', true, 'free']);
    const tasks = pim.items.filter((i) => i.kind === 'task');
    assert.deepEqual(
      tasks.map((x) => [x.body.title, (x.body.body as { content: string }).content, x.body.status, x.body.importance, x.body.dueDateTime, x.body.reminderDateTime, pim.lists.find((l) => l.id === x.containerId)?.wellknownListName]),
      [['Renew the domain', 'Before the end of the month.', 'inProgress', 'high', { dateTime: '2026-11-30T17:00:00', timeZone: 'UTC' }, { dateTime: '2026-11-30T09:00:00', timeZone: 'UTC' }, 'defaultList']],
    );
    assert.equal((await run('delta')).totals.copied, 0);

    // The store lost: a new full pass finds every item by its watermark and writes none again.
    const lostDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-ews-m365-lost-'));
    const lost = Store.open(lostDir);
    const again = await passWith(lost, 'full');
    lost.close();
    assert.equal(again.items[0].status, 'Completed', JSON.stringify(again.items));
    assert.deepEqual([t.fake.data.mailbox(user.id).messages.length, pim.items.length, pim.invitationsSent], [15, 5, 0]);
    ews.store.putItem(`ann@${ORG}`, { folder: ews.store.folderByDistinguished(`ann@${ORG}`, 'inbox')!.id, itemClass: 'IPM.Note', subject: 'Plain message 850', internetMessageId: '<plain-850@ferry.test>', dateTimeReceived: plainMessage(850).date.toISOString(), dateTimeCreated: new Date().toISOString(), lastModifiedTime: new Date().toISOString(), messageFlags: 0, isAssociated: false, extended: [] }, plainMessage(850).raw);
    assert.equal((await run('delta')).totals.copied, 1);
    assert.equal(t.fake.data.mailbox(user.id).messages.length, 16);
    store.close();
  });

  it('without Calendars.ReadWrite the mailbox stops with GRAPH-403-PIM and the consent fix; granted, a rerun finishes it; a series Graph cannot express fails alone', async () => {
    const app = t.tenant.apps[0];
    const granted = [...app.roles];
    app.roles = granted.filter((r) => r !== 'Calendars.ReadWrite');
    resetTokenProviders();
    t.fake.data.addUser(t.tenant, 'ben@fabrikam.test');
    const hourly = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'BEGIN:VEVENT', 'UID:hourly', 'SUMMARY:Pump check', 'DTSTART:20260105T080000Z', 'DTEND:20260105T081000Z', 'RRULE:FREQ=HOURLY;COUNT=8', 'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n');
    const calendarId = ews.store.folderByDistinguished(`abe@${ORG}`, 'calendar')!.id;
    ews.store.putItem(`abe@${ORG}`, { folder: calendarId, itemClass: 'IPM.Appointment', subject: 'Pump check', dateTimeReceived: '2026-01-01T00:00:00Z', dateTimeCreated: '2026-01-01T00:00:00Z', lastModifiedTime: '2026-01-01T00:00:00Z', messageFlags: 0, isAssociated: false, extended: [] }, Buffer.from(hourly));
    const { store, passWith } = project('ben@fabrikam.test', `abe@${ORG}`);
    const run = () => passWith(store, 'full');
    const ben = t.fake.data.findUser(t.tenant, 'ben@fabrikam.test')!;
    try {
      const denied = await run();
      assert.equal(denied.items[0].code, 'GRAPH-403-PIM', JSON.stringify(denied.items));
      assert.match(denied.items[0].message ?? '', /Calendars\.ReadWrite/);
      assert.equal(t.fake.data.mailbox(ben.id).pim?.items.filter((i) => i.kind === 'event').length ?? 0, 0);
    } finally {
      app.roles = granted;
      resetTokenProviders();
    }
    const done = await run();
    assert.equal(done.items[0].status, 'FinishedWithErrors', JSON.stringify(done.items));
    const open = store.errors.forItems([1]);
    assert.deepEqual(open.map((e) => e.code), ['GRAPH-RECURRENCE'], JSON.stringify(open));
    assert.match(open[0].message, /FREQ=HOURLY/);
    const box = t.fake.data.mailbox(ben.id);
    // Everything else once: 15 messages, 5 contacts, events and tasks, no invitation.
    assert.deepEqual([box.messages.length, new Set(box.messages.map((m) => m.internetMessageId)).size, box.pim!.items.length, box.pim!.invitationsSent], [15, 15, 5, 0]);
    store.close();
  });

  /** The events of `upn`'s mailbox in the fake, and the instances Graph lists for one of them. */
  async function calendarOf(upn: string) {
    const user = t.fake.data.findUser(t.tenant, upn)!;
    const pim = t.fake.data.mailbox(user.id).pim!;
    const token = String((await tokenRequest(t.fake.url, t.fake.caPem, t.tenant.id, t.app.clientId, t.secret)).json().access_token);
    const instances = async (id: string) => {
      const listed = await request(`${t.fake.url}/v1.0/users/${upn}/events/${id}/instances?startDateTime=2026-09-01T00:00:00Z&endDateTime=2027-01-01T00:00:00Z&$top=50`, t.fake.caPem, { headers: { authorization: `Bearer ${token}` } });
      assert.equal(listed.status, 200, listed.body.toString());
      return (listed.json().value as { type: string; originalStart: string; start: { dateTime: string }; subject: string; location?: { displayName: string } }[]).map((i) => [i.type, i.originalStart, i.start.dateTime, i.subject, i.location?.displayName]);
    };
    return { pim, events: pim.items.filter((i) => i.kind === 'event'), instances };
  }

  it('a weekly series with a moved and a cancelled occurrence arrives with exactly those exceptions, no invitation; a delta writes nothing', async () => {
    const { store, passWith } = project('cat@fabrikam.test', `cat@${ORG}`);
    t.fake.data.addUser(t.tenant, 'cat@fabrikam.test');
    const full = await passWith(store, 'full');
    assert.deepEqual([full.items[0].status, full.totals.copied], ['Completed', 1], JSON.stringify(store.errors.forItems([1])));
    const { pim, events, instances } = await calendarOf('cat@fabrikam.test');
    assert.equal(events.length, 1);
    const [master] = events;
    assert.deepEqual([master.body.subject, master.body.start, master.body.attendees, pim.invitationsSent], ['Sprint review', { dateTime: '2026-10-05T14:00:00', timeZone: W_EUROPE }, undefined, 0]);
    assert.equal(master.props[PENDING], 'done');
    assert.deepEqual(await instances(master.id), expectedInstances);
    const moved = master.occurrences!.changed['2026-10-26T13:00:00Z'];
    assert.match(String((moved.body as { content: string }).content), /Demo first\.[\s\S]*Attendees: Bob <bob@contoso\.local> \(accepted\)/);
    assert.equal(moved.attendees, undefined);

    const delta = await passWith(store, 'delta');
    assert.equal(delta.totals.copied, 0);
    const after = await calendarOf('cat@fabrikam.test');
    assert.deepEqual([after.events.map((e) => e.id), await after.instances(master.id)], [[master.id], expectedInstances]);
    store.close();
  });

  it('a series cut off before its pending mark is cleared is left pending, then deleted and written again whole by the rerun: one series, its exceptions', async () => {
    const { store, passWith } = project('dan@fabrikam.test', `cat@${ORG}`);
    t.fake.data.addUser(t.tenant, 'dan@fabrikam.test');
    // The last PATCH of the write fails, and so does the clean-up after it (as if the process died): no retry.
    const seriesPath = /^\/users\/dan@fabrikam\.test\/events\/AAMkA[^/]*$/;
    t.fake.faults.failMatching({ method: 'PATCH', path: seriesPath, body: /FerrySeriesPending/ }, 1);
    t.fake.faults.failMatching({ method: 'DELETE', path: seriesPath }, 1);
    try {
      const cut = await passWith(store, 'full', 1);
      assert.notEqual(cut.items[0].status, 'Completed', JSON.stringify(cut.items));
    } finally {
      t.fake.faults.clear();
    }
    const halfDone = await calendarOf('dan@fabrikam.test');
    assert.equal(halfDone.events.length, 1);
    const [pending] = halfDone.events;
    assert.equal(pending.props[PENDING], 'pending', 'the cut-off series is still marked pending');

    const rerun = await passWith(store, 'full');
    assert.equal(rerun.items[0].status, 'Completed', JSON.stringify(store.errors.forItems([1])));
    const { pim, events, instances } = await calendarOf('dan@fabrikam.test');
    assert.equal(events.length, 1, 'exactly one series');
    assert.notEqual(events[0].id, pending.id, 'the pending series was replaced');
    assert.deepEqual([events[0].props[PENDING], pim.invitationsSent], ['done', 0]);
    assert.deepEqual(await instances(events[0].id), expectedInstances);
    store.close();
  });
});
