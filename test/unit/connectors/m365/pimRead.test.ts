// Graph contacts, events and To Do tasks as vCard and iCalendar (Microsoft 365 as a source), read
// back by the conversions that write them: every recurrence pattern Graph has survives the round
// trip, a series keeps its wall-clock time across daylight saving through the VTIMEZONE Ferry
// writes (checked by expanding it with ical.js), zones without daylight saving and southern ones.
import * as assert from 'node:assert/strict';
import { vCardFromContact } from '../../../../src/connectors/m365/pim/contactVCard';
import { contactFromVCard } from '../../../../src/connectors/m365/pim/contactJson';
import { iCalendarFromEvent, type ReadEvent } from '../../../../src/connectors/m365/pim/eventICalendar';
import { eventFromICalendar } from '../../../../src/connectors/m365/pim/eventJson';
import { loadIcal } from '../../../../src/connectors/m365/pim/ical';
import type { GraphRecurrence } from '../../../../src/connectors/m365/pim/recurrenceJson';
import { iCalendarFromTask } from '../../../../src/connectors/m365/pim/taskICalendar';
import { taskFromICalendar } from '../../../../src/connectors/m365/pim/taskJson';
import { offsetChanges } from '../../../../src/connectors/m365/pim/vtimezone';
import { ianaZone, instantOf } from '../../../../src/connectors/m365/pim/zones';

const event = (over: Partial<ReadEvent>): ReadEvent => ({ id: 'e1', subject: 'S', start: { dateTime: '2026-03-02T09:00:00.0000000', timeZone: 'W. Europe Standard Time' }, end: { dateTime: '2026-03-02T09:30:00.0000000', timeZone: 'W. Europe Standard Time' }, lastModifiedDateTime: '2026-01-01T00:00:00Z', ...over });

describe('Microsoft 365 items as vCard and iCalendar', () => {
  it('a contact round-trips through vCard, nulls and all', async () => {
    const contact = { displayName: 'Erin Park', givenName: 'Erin', surname: 'Park', title: 'Dr.', nickName: 'E', emailAddresses: [{ address: 'erin@x.test', name: 'Erin Park' }, { address: 'e@home.test', name: 'Erin Park' }], businessPhones: ['+1 555 0100'], homePhones: ['+1 555 0102'], mobilePhone: '+1 555 0101', companyName: 'Contoso', department: 'Sales', jobTitle: 'Buyer', businessHomePage: 'https://contoso.example', businessAddress: { street: '1 Main St', city: 'Springfield', state: 'IL', postalCode: '62701', countryOrRegion: 'USA' }, homeAddress: { city: 'Shelbyville' }, birthday: '1980-04-02T00:00:00Z', personalNotes: 'Likes tea; no coffee, ever', categories: ['VIP', 'A,B'] };
    const back = await contactFromVCard(await vCardFromContact({ ...contact, otherAddress: null, middleName: null }));
    // As Graph receives it (JSON: absent and undefined are the same).
    assert.deepEqual(JSON.parse(JSON.stringify(back)), contact);
  });

  const patterns: [string, GraphRecurrence][] = [
    ['daily every 2 days, 10 times', { pattern: { type: 'daily', interval: 2 }, range: { type: 'numbered', startDate: '2026-03-02', numberOfOccurrences: 10, recurrenceTimeZone: 'W. Europe Standard Time' } }],
    ['weekly on Monday and Wednesday until a date', { pattern: { type: 'weekly', interval: 1, daysOfWeek: ['monday', 'wednesday'], firstDayOfWeek: 'monday' }, range: { type: 'endDate', startDate: '2026-03-02', endDate: '2026-06-29', recurrenceTimeZone: 'W. Europe Standard Time' } }],
    ['monthly on the 2nd, no end', { pattern: { type: 'absoluteMonthly', interval: 1, dayOfMonth: 2 }, range: { type: 'noEnd', startDate: '2026-03-02', recurrenceTimeZone: 'W. Europe Standard Time' } }],
    ['every 3 months on the last Friday', { pattern: { type: 'relativeMonthly', interval: 3, daysOfWeek: ['friday'], index: 'last' }, range: { type: 'noEnd', startDate: '2026-03-02', recurrenceTimeZone: 'W. Europe Standard Time' } }],
    ['yearly on 2 March', { pattern: { type: 'absoluteYearly', interval: 1, month: 3, dayOfMonth: 2 }, range: { type: 'numbered', startDate: '2026-03-02', numberOfOccurrences: 5, recurrenceTimeZone: 'W. Europe Standard Time' } }],
    ['yearly on the first Monday of March', { pattern: { type: 'relativeYearly', interval: 1, month: 3, daysOfWeek: ['monday'], index: 'first' }, range: { type: 'noEnd', startDate: '2026-03-02', recurrenceTimeZone: 'W. Europe Standard Time' } }],
  ];
  for (const [name, recurrence] of patterns) {
    it(`a series round-trips: ${name}`, async () => {
      const back = await eventFromICalendar(await iCalendarFromEvent(event({ recurrence })));
      const { firstDayOfWeek, ...pattern } = back.recurrence!.pattern;
      const { firstDayOfWeek: wanted, ...expected } = recurrence.pattern;
      assert.deepEqual(pattern, expected);
      if (wanted) assert.equal(firstDayOfWeek, wanted);
      assert.deepEqual(back.recurrence?.range, recurrence.range);
      assert.deepEqual(back.start, { dateTime: '2026-03-02T09:00:00', timeZone: 'W. Europe Standard Time' });
    });
  }

  it('a weekly 09:00 series stays at 09:00 local across the spring change, by the VTIMEZONE alone', async () => {
    const ICAL = await loadIcal();
    const text = (await iCalendarFromEvent(event({ recurrence: patterns[1][1] }))).toString('utf8');
    const root = new ICAL.Component(ICAL.parse(text.replace(/TZID=W\. Europe Standard Time|TZID:W\. Europe Standard Time/g, (m) => m.replace('W. Europe Standard Time', 'Ferry-Test-Zone'))) as unknown as unknown[]);
    ICAL.TimezoneService.register(root.getFirstSubcomponent('vtimezone')!);
    try {
      const vevent = root.getFirstSubcomponent('vevent')!;
      const ev = new ICAL.Event(vevent);
      const it = ev.iterator();
      const utcHours: string[] = [];
      for (let next = it.next(); next && utcHours.length < 12; next = it.next()) utcHours.push(next.convertToZone(ICAL.Timezone.utcTimezone).toString().slice(0, 16));
      // 2 March (CET, UTC+1) to 1 April (CEST, UTC+2): 08:00Z, then 07:00Z from 30 March.
      assert.deepEqual(utcHours.slice(0, 2), ['2026-03-02T08:00', '2026-03-04T08:00']);
      assert.equal(utcHours.find((h) => h.startsWith('2026-03-30')), '2026-03-30T07:00');
    } finally {
      ICAL.TimezoneService.remove('Ferry-Test-Zone');
    }
  });

  it('zones: Windows names through CLDR, changes found to the minute, none where there is no daylight saving, southern ones reversed', () => {
    assert.equal(ianaZone('Pacific Standard Time'), 'America/Los_Angeles');
    assert.equal(ianaZone('UTC'), 'UTC');
    assert.equal(ianaZone('Nowhere Standard Time'), undefined);
    assert.deepEqual(offsetChanges('Europe/Berlin', 2026).map((c) => [new Date(c.at).toISOString(), c.from, c.to]), [['2026-03-29T01:00:00.000Z', 60, 120], ['2026-10-25T01:00:00.000Z', 120, 60]]);
    assert.deepEqual(offsetChanges('Asia/Tokyo', 2026), []);
    assert.deepEqual(offsetChanges('Australia/Sydney', 2026).map((c) => [c.from, c.to]), [[660, 600], [600, 660]]);
    // A wall time skipped by the spring change is read with the offset before it; a repeated one takes the first.
    assert.equal(new Date(instantOf({ year: 2026, month: 3, day: 29, hour: 2, minute: 30, second: 0 }, 'Europe/Berlin')).toISOString(), '2026-03-29T01:30:00.000Z');
    assert.equal(new Date(instantOf({ year: 2026, month: 10, day: 25, hour: 2, minute: 30, second: 0 }, 'Europe/Berlin')).toISOString(), '2026-10-25T00:30:00.000Z');
  });

  it('an all-day event keeps its dates; attendees and their answers travel, the organizer only for meetings', async () => {
    const allDay = (await iCalendarFromEvent(event({ isAllDay: true, start: { dateTime: '2026-12-24T00:00:00.0000000', timeZone: 'Pacific Standard Time' }, end: { dateTime: '2026-12-25T00:00:00.0000000', timeZone: 'Pacific Standard Time' }, organizer: { emailAddress: { address: 'ann@x.test' } } }))).toString('utf8');
    assert.match(allDay, /DTSTART;VALUE=DATE:20261224\r\nDTEND;VALUE=DATE:20261225/);
    assert.doesNotMatch(allDay, /ORGANIZER|VTIMEZONE/);
    const meeting = (await iCalendarFromEvent(event({ organizer: { emailAddress: { name: 'Ann', address: 'ann@x.test' } }, attendees: [{ type: 'resource', status: { response: 'declined' }, emailAddress: { name: 'Room 4', address: 'room4@x.test' } }] }))).toString('utf8').replace(/\r\n[ \t]/g, '');
    assert.match(meeting, /ORGANIZER;CN=Ann:mailto:ann@x\.test/);
    assert.match(meeting, /ATTENDEE;CN=Room 4;ROLE=NON-PARTICIPANT;CUTYPE=RESOURCE;PARTSTAT=DECLINED:mailto:room4@x\.test/);
  });

  it('a To Do task round-trips: status, importance, due date, reminder, completion, categories', async () => {
    const task = { id: 't', title: 'File taxes', body: { content: 'Receipts in the drawer', contentType: 'text' }, status: 'completed', importance: 'high', dueDateTime: { dateTime: '2026-04-15T00:00:00.0000000', timeZone: 'UTC' }, completedDateTime: { dateTime: '2026-04-10T00:00:00.0000000', timeZone: 'UTC' }, isReminderOn: true, reminderDateTime: { dateTime: '2026-04-14T08:00:00.0000000', timeZone: 'W. Europe Standard Time' }, categories: ['Home'] };
    assert.deepEqual(await taskFromICalendar(await iCalendarFromTask(task)), {
      title: 'File taxes',
      body: { contentType: 'text', content: 'Receipts in the drawer' },
      status: 'completed',
      importance: 'high',
      dueDateTime: { dateTime: '2026-04-15T00:00:00', timeZone: 'UTC' },
      completedDateTime: { dateTime: '2026-04-10T00:00:00', timeZone: 'UTC' },
      isReminderOn: true,
      // 08:00 in Berlin (CEST) is 06:00 UTC.
      reminderDateTime: { dateTime: '2026-04-14T06:00:00', timeZone: 'UTC' },
      categories: ['Home'],
    });
  });
});
