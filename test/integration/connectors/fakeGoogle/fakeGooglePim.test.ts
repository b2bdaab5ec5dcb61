// The fake Calendar, People and Directory APIs: calendars and events with recurrence, exceptions,
// attendees, reminders and zones (kept as a series, or expanded by singleEvents), showDeleted,
// sync tokens and their 410; contacts with personFields, paging and sync tokens; the domain's
// users for an administrator only.
import * as assert from 'node:assert/strict';
import { startTestDomain, type TestDomain } from '../../../servers/fakeGoogle/testDomain';

type Ev = { id: string; status: string; recurringEventId?: string; start: { dateTime?: string; date?: string; timeZone?: string }; recurrence?: string[]; summary?: string };

describe('fake Google: Calendar, People and Directory APIs', () => {
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

  it('events.list keeps a series with its exceptions, or expands it with singleEvents, in the event\'s zone', async () => {
    const a = d.fake.admin;
    a.setCalendarTimeZone(ann, 'Europe/Berlin');
    const series = a.addEvent(ann, {
      summary: 'Standup',
      start: { dateTime: '2026-03-23T09:00:00', timeZone: 'Europe/Berlin' },
      end: { dateTime: '2026-03-23T09:15:00', timeZone: 'Europe/Berlin' },
      recurrence: ['RRULE:FREQ=DAILY;COUNT=10', 'EXDATE;TZID=Europe/Berlin:20260325T090000'],
      attendees: [{ email: ann, responseStatus: 'accepted', organizer: true }, { email: 'carol@elsewhere.test', responseStatus: 'needsAction', optional: true }],
      reminders: { useDefault: false, overrides: [{ method: 'popup', minutes: 5 }] },
    });
    a.addEvent(ann, { recurringEventId: series.id, originalStartTime: { dateTime: '2026-03-26T09:00:00+01:00', timeZone: 'Europe/Berlin' }, summary: 'Standup (moved)', start: { dateTime: '2026-03-26T11:00:00+01:00', timeZone: 'Europe/Berlin' }, end: { dateTime: '2026-03-26T11:15:00+01:00', timeZone: 'Europe/Berlin' } });
    a.addEvent(ann, { recurringEventId: series.id, originalStartTime: { dateTime: '2026-03-27T09:00:00+01:00', timeZone: 'Europe/Berlin' }, status: 'cancelled', start: { dateTime: '2026-03-27T09:00:00+01:00' }, end: { dateTime: '2026-03-27T09:15:00+01:00' } });
    const kept = (await d.call(token, '/calendar/v3/calendars/primary/events')).body;
    const items = kept.items as Ev[];
    assert.equal(kept.timeZone, 'Europe/Berlin');
    assert.deepEqual(items.map((e) => [e.recurringEventId ? 'exception' : 'series', e.status]), [['series', 'confirmed'], ['exception', 'confirmed'], ['exception', 'cancelled']]);
    assert.deepEqual(items[0].recurrence, ['RRULE:FREQ=DAILY;COUNT=10', 'EXDATE;TZID=Europe/Berlin:20260325T090000']);
    const expanded = (await d.call(token, '/calendar/v3/calendars/primary/events?singleEvents=true&orderBy=startTime')).body.items as Ev[];
    assert.equal(expanded.length, 8, '10 occurrences, one excluded, one cancelled');
    assert.equal(expanded[0].start.dateTime, '2026-03-23T09:00:00+01:00');
    assert.ok(expanded.some((e) => e.summary === 'Standup (moved)'));
    // Summer time starts on 29 March in Berlin: the wall time stays 09:00.
    assert.equal(expanded[expanded.length - 1].start.dateTime, '2026-04-01T09:00:00+02:00');
    assert.ok(expanded.every((e) => e.recurringEventId === series.id));
    const bad = await d.call(token, '/calendar/v3/calendars/primary/events?orderBy=startTime');
    assert.equal(bad.status, 400, 'orderBy=startTime needs singleEvents');
  });

  it('events.list pages, then gives a sync token that returns only the changes (deletions as cancelled); 410 when it is no longer valid', async () => {
    const a = d.fake.admin;
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) ids.push(a.addEvent(ann, { summary: `e${i}`, start: { date: `2026-05-0${i + 1}` }, end: { date: `2026-05-0${i + 2}` } }).id);
    const seen: string[] = [];
    let pageToken: string | undefined;
    let syncToken: string | undefined;
    do {
      const r = (await d.call(token, `/calendar/v3/calendars/primary/events?maxResults=3${pageToken ? `&pageToken=${pageToken}` : ''}`)).body;
      seen.push(...(r.items as Ev[]).map((e) => e.id));
      pageToken = r.nextPageToken as string | undefined;
      syncToken = r.nextSyncToken as string | undefined;
      assert.ok(!(pageToken && syncToken), 'a sync token only on the last page');
    } while (pageToken);
    assert.deepEqual(seen.sort(), [...ids].sort());
    const none = (await d.call(token, `/calendar/v3/calendars/primary/events?syncToken=${syncToken}`)).body;
    assert.deepEqual(none.items, []);
    a.updateEvent(ann, ids[0], { summary: 'renamed' });
    a.deleteEvent(ann, ids[1]);
    const delta = (await d.call(token, `/calendar/v3/calendars/primary/events?syncToken=${String(none.nextSyncToken)}`)).body;
    assert.deepEqual((delta.items as Ev[]).map((e) => [e.id, e.status]).sort(), [[ids[0], 'confirmed'], [ids[1], 'cancelled']].sort());
    const withTime = await d.call(token, `/calendar/v3/calendars/primary/events?syncToken=${String(delta.nextSyncToken)}&timeMin=2026-01-01T00:00:00Z`);
    assert.equal(withTime.status, 400);
    a.expireCalendarSyncTokens(ann);
    const gone = await d.call(token, `/calendar/v3/calendars/primary/events?syncToken=${String(delta.nextSyncToken)}`);
    assert.equal(gone.status, 410);
    assert.deepEqual((gone.body.error as { errors: { reason: string }[] }).errors[0].reason, 'fullSyncRequired');
    const deletedHidden = (await d.call(token, '/calendar/v3/calendars/primary/events')).body.items as Ev[];
    assert.equal(deletedHidden.length, 6);
    const deletedShown = (await d.call(token, '/calendar/v3/calendars/primary/events?showDeleted=true')).body.items as Ev[];
    assert.equal(deletedShown.length, 7);
  });

  it('calendarList.list shows the primary and other calendars; events.get gives one event', async () => {
    const a = d.fake.admin;
    const team = a.addCalendar(ann, { summary: 'Team', timeZone: 'America/New_York' });
    const e = a.addEvent(ann, { summary: 'Offsite', start: { dateTime: '2026-06-01T09:00:00-04:00' }, end: { dateTime: '2026-06-01T17:00:00-04:00' } }, team.id);
    const list = (await d.call(token, '/calendar/v3/users/me/calendarList')).body;
    const items = list.items as { id: string; primary?: boolean; timeZone: string }[];
    assert.deepEqual(items.map((c) => [c.id, c.primary ?? false]), [[ann, true], [team.id, false]]);
    const got = await d.call(token, `/calendar/v3/calendars/${encodeURIComponent(team.id)}/events/${e.id}`);
    assert.equal(got.body.summary, 'Offsite');
    assert.equal((await d.call(token, `/calendar/v3/calendars/primary/events/${e.id}`)).status, 404);
  });

  it('people.connections.list needs personFields, pages, and syncs changes and deletions; an expired token is 400 EXPIRED_SYNC_TOKEN', async () => {
    const a = d.fake.admin;
    const names: string[] = [];
    for (let i = 0; i < 5; i++) names.push(a.addContact(ann, { names: [{ givenName: `Gina${i}`, familyName: 'Doe' }], emailAddresses: [{ value: `gina${i}@elsewhere.test`, type: 'work' }], phoneNumbers: [{ value: `+49 30 ${i}`, type: 'mobile' }] }));
    const missing = await d.call(token, '/v1/people/me/connections');
    assert.equal(missing.status, 400);
    assert.match((missing.body.error as { message: string }).message, /personFields mask is required/);
    const wrong = await d.call(token, '/v1/people/me/connections?personFields=names,shoeSize');
    assert.match((wrong.body.error as { message: string }).message, /Invalid personFields mask path: "shoeSize"/);
    const first = (await d.call(token, '/v1/people/me/connections?personFields=names,emailAddresses&pageSize=3&requestSyncToken=true')).body;
    const people = first.connections as { resourceName: string; names: { givenName: string; metadata: { primary?: boolean } }[]; phoneNumbers?: unknown }[];
    assert.equal(people.length, 3);
    assert.equal(first.totalPeople, 5);
    assert.equal(people[0].phoneNumbers, undefined, 'only the fields asked for');
    assert.equal(people[0].names[0].metadata.primary, true);
    assert.equal(first.nextSyncToken, undefined);
    const second = (await d.call(token, `/v1/people/me/connections?personFields=names,emailAddresses&pageSize=3&requestSyncToken=true&pageToken=${String(first.nextPageToken)}`)).body;
    assert.equal((second.connections as unknown[]).length, 2);
    const sync = String(second.nextSyncToken);
    a.updateContact(ann, names[0], { names: [{ givenName: 'Gina', familyName: 'Roe' }] });
    a.deleteContact(ann, names[1]);
    const delta = (await d.call(token, `/v1/people/me/connections?personFields=names&syncToken=${sync}`)).body;
    const changed = delta.connections as { resourceName: string; metadata?: { deleted?: boolean } }[];
    assert.deepEqual(changed.map((p) => [p.resourceName, p.metadata?.deleted ?? false]), [[names[0], false], [names[1], true]]);
    a.expireContactSyncTokens(ann);
    const expired = await d.call(token, `/v1/people/me/connections?personFields=names&syncToken=${String(delta.nextSyncToken)}`);
    assert.equal(expired.status, 400);
    assert.equal((expired.body.error as { status: string }).status, 'FAILED_PRECONDITION');
  });

  it('Directory users.list pages the domain\'s users for an admin (suspended ones marked); others get 403', async () => {
    const a = d.fake.admin;
    for (let i = 0; i < 4; i++) a.addUser(`user${i}@${a.domainName}`, { suspended: i === 2 });
    const adminToken = await d.accessToken(d.admin);
    const emails: string[] = [];
    let suspended: string[] = [];
    let pageToken: string | undefined;
    do {
      const r = (await d.call(adminToken, `/admin/directory/v1/users?customer=my_customer&maxResults=3${pageToken ? `&pageToken=${pageToken}` : ''}`)).body;
      const users = r.users as { primaryEmail: string; suspended: boolean }[];
      emails.push(...users.map((u) => u.primaryEmail));
      suspended = [...suspended, ...users.filter((u) => u.suspended).map((u) => u.primaryEmail)];
      pageToken = r.nextPageToken as string | undefined;
    } while (pageToken);
    assert.equal(emails.length, 7);
    assert.deepEqual(emails, [...emails].sort());
    assert.deepEqual(suspended, [`user2@${a.domainName}`]);
    const byQuery = (await d.call(adminToken, `/admin/directory/v1/users?domain=${a.domainName}&query=isSuspended=false`)).body.users as unknown[];
    assert.equal(byQuery.length, 6);
    assert.equal((await d.call(adminToken, '/admin/directory/v1/users')).status, 400, 'customer or domain is required');
    const notAdmin = await d.call(token, '/admin/directory/v1/users?customer=my_customer');
    assert.equal(notAdmin.status, 403);
    assert.equal((notAdmin.body.error as { message: string }).message, 'Not Authorized to access this resource/api');
  });
});
