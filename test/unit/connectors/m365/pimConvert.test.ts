// vCard and iCalendar as Graph contacts, events and To Do tasks: what maps where, what overflows
// into the notes, how times keep their zone, which recurrences Graph can express, and the codes of
// what it cannot take.
import * as assert from 'node:assert/strict';
import { contactFromVCard } from '../../../../src/connectors/m365/pim/contactJson';
import { eventFromICalendar } from '../../../../src/connectors/m365/pim/eventJson';
import { taskFromICalendar, taskFromMessage } from '../../../../src/connectors/m365/pim/taskJson';
import { ConnectorError } from '../../../../src/connectors/types';

const crlf = (...lines: string[]) => Buffer.from(lines.join('\r\n') + '\r\n', 'utf8');
const calendar = (...lines: string[]) => crlf('BEGIN:VCALENDAR', 'VERSION:2.0', ...lines, 'END:VCALENDAR');
const event = (...lines: string[]) => calendar('BEGIN:VEVENT', 'UID:x', 'SUMMARY:S', ...lines, 'END:VEVENT');

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof ConnectorError, String(err));
    assert.equal(err.disposition, 'item');
    return err.code;
  }
  throw new Error('no error');
}

describe('Microsoft 365 contacts from vCard', () => {
  it('maps names, organisation, phones by type, addresses, birthday and categories', async () => {
    const c = await contactFromVCard(crlf('BEGIN:VCARD', 'VERSION:3.0', 'FN:Dr. Erin J. Park', 'N:Park;Erin;J;Dr.;PhD', 'ORG:Contoso;Sales', 'TITLE:Buyer', 'EMAIL;TYPE=INTERNET,WORK:erin@contoso.example', 'TEL;TYPE=WORK,VOICE:+1 555 0100', 'TEL;TYPE=CELL:+1 555 0101', 'TEL;TYPE=HOME:+1 555 0102', 'ADR;TYPE=WORK:;Suite 4;1 Main St;Springfield;IL;62701;USA', 'BDAY:1980-04-02', 'NOTE:Met at the fair', 'CATEGORIES:Customers,VIP', 'END:VCARD'));
    assert.deepEqual(
      { ...c },
      {
        displayName: 'Dr. Erin J. Park',
        givenName: 'Erin',
        middleName: 'J',
        surname: 'Park',
        title: 'Dr.',
        generation: 'PhD',
        emailAddresses: [{ address: 'erin@contoso.example', name: 'Dr. Erin J. Park' }],
        businessPhones: ['+1 555 0100'],
        homePhones: ['+1 555 0102'],
        mobilePhone: '+1 555 0101',
        companyName: 'Contoso',
        department: 'Sales',
        jobTitle: 'Buyer',
        businessAddress: { street: 'Suite 4\n1 Main St', city: 'Springfield', state: 'IL', postalCode: '62701', countryOrRegion: 'USA' },
        birthday: '1980-04-02T00:00:00Z',
        personalNotes: 'Met at the fair',
        categories: ['Customers', 'VIP'],
      },
    );
  });

  it('keeps what Graph has no room for in the notes (a fourth address, a fax, a second work address)', async () => {
    const c = await contactFromVCard(crlf('BEGIN:VCARD', 'VERSION:4.0', 'FN:Many', 'EMAIL:a@x.example', 'EMAIL:b@x.example', 'EMAIL:c@x.example', 'EMAIL:d@x.example', 'TEL;TYPE=fax:+1 555 0199', 'ADR;TYPE=work:;;1 A St;Town;;;', 'ADR;TYPE=work:;;2 B St;City;;;', 'END:VCARD'));
    assert.deepEqual(c.emailAddresses.map((e) => e.address), ['a@x.example', 'b@x.example', 'c@x.example']);
    assert.equal(c.personalNotes, 'Other e-mail addresses: d@x.example\nPhone (fax): +1 555 0199\nAddress: 2 B St, City');
  });

  it('refuses what is not a vCard with GRAPH-PIM-INVALID', async () => {
    assert.equal(await codeOf(contactFromVCard(Buffer.from('not a card'))), 'GRAPH-PIM-INVALID');
    assert.equal(await codeOf(contactFromVCard(calendar('BEGIN:VEVENT', 'END:VEVENT'))), 'GRAPH-PIM-INVALID');
  });
});

describe('Microsoft 365 events from iCalendar', () => {
  it('keeps a Windows or IANA zone as it is (the wall-clock time stays across daylight saving)', async () => {
    const e = await eventFromICalendar(event('DTSTART;TZID=W. Europe Standard Time:20260907T090000', 'DTEND;TZID=W. Europe Standard Time:20260907T100000'));
    assert.deepEqual([e.start, e.end, e.isAllDay], [{ dateTime: '2026-09-07T09:00:00', timeZone: 'W. Europe Standard Time' }, { dateTime: '2026-09-07T10:00:00', timeZone: 'W. Europe Standard Time' }, false]);
    const iana = await eventFromICalendar(event('DTSTART;TZID=Europe/Paris:20260907T090000', 'DURATION:PT45M'));
    assert.deepEqual(iana.end, { dateTime: '2026-09-07T09:45:00', timeZone: 'Europe/Paris' });
  });

  it('converts another zone to UTC through the calendar\'s VTIMEZONE; UTC times stay UTC', async () => {
    const zone = ['BEGIN:VTIMEZONE', 'TZID:Office time', 'BEGIN:STANDARD', 'DTSTART:16010101T030000', 'TZOFFSETFROM:+0200', 'TZOFFSETTO:+0100', 'RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10', 'END:STANDARD', 'BEGIN:DAYLIGHT', 'DTSTART:16010101T020000', 'TZOFFSETFROM:+0100', 'TZOFFSETTO:+0200', 'RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3', 'END:DAYLIGHT', 'END:VTIMEZONE'];
    const summer = await eventFromICalendar(calendar(...zone, 'BEGIN:VEVENT', 'DTSTART;TZID=Office time:20260706T090000', 'DTEND;TZID=Office time:20260706T093000', 'END:VEVENT'));
    assert.deepEqual(summer.start, { dateTime: '2026-07-06T07:00:00', timeZone: 'UTC' });
    const winter = await eventFromICalendar(calendar(...zone, 'BEGIN:VEVENT', 'DTSTART;TZID=Office time:20260112T090000', 'END:VEVENT'));
    assert.deepEqual(winter.start, { dateTime: '2026-01-12T08:00:00', timeZone: 'UTC' });
    const utc = await eventFromICalendar(event('DTSTART:20260101T100000Z', 'DTEND:20260101T110000Z'));
    assert.deepEqual(utc.start, { dateTime: '2026-01-01T10:00:00', timeZone: 'UTC' });
  });

  it('makes all-day events from dates (a day long without DTEND)', async () => {
    const e = await eventFromICalendar(event('DTSTART;VALUE=DATE:20261224', 'TRANSP:TRANSPARENT', 'CLASS:PRIVATE'));
    assert.deepEqual([e.start.dateTime, e.end.dateTime, e.isAllDay, e.showAs, e.sensitivity], ['2026-12-24T00:00:00', '2026-12-25T00:00:00', true, 'free', 'private']);
  });

  it('never invites anyone: attendees and organizer go into the body, not into attendees', async () => {
    const e = await eventFromICalendar(event('DTSTART:20260101T100000Z', 'DESCRIPTION:Agenda', 'ORGANIZER;CN=Ann:mailto:ann@contoso.example', 'ATTENDEE;CN=Bob;PARTSTAT=DECLINED:mailto:bob@contoso.example', 'ATTENDEE:mailto:eve@contoso.example'));
    assert.equal('attendees' in e, false);
    assert.equal(e.responseRequested, false);
    assert.equal(e.body.content, 'Agenda\n---\nMigrated by Ferry: attendees were not invited again.\nOrganizer: Ann <ann@contoso.example>\nAttendees: Bob <bob@contoso.example> (declined); eve@contoso.example');
  });

  it('maps reminders, busy status and importance', async () => {
    const e = await eventFromICalendar(event('DTSTART:20260101T100000Z', 'X-MICROSOFT-CDO-BUSYSTATUS:OOF', 'PRIORITY:1', 'BEGIN:VALARM', 'ACTION:DISPLAY', 'TRIGGER:-PT30M', 'END:VALARM'));
    assert.deepEqual([e.isReminderOn, e.reminderMinutesBeforeStart, e.showAs, e.importance], [true, 30, 'oof', 'high']);
  });

  const series = async (rule: string, start = 'DTSTART:20260105T090000Z') => (await eventFromICalendar(event(start, rule))).recurrence;

  it('expresses daily, weekly, monthly and yearly series with their ranges', async () => {
    assert.deepEqual(await series('RRULE:FREQ=DAILY;INTERVAL=2;COUNT=5'), { pattern: { type: 'daily', interval: 2 }, range: { type: 'numbered', startDate: '2026-01-05', numberOfOccurrences: 5, recurrenceTimeZone: 'UTC' } });
    assert.deepEqual((await series('RRULE:FREQ=WEEKLY;BYDAY=MO,TH;WKST=SU;UNTIL=20260331T235959Z'))!, { pattern: { type: 'weekly', interval: 1, daysOfWeek: ['monday', 'thursday'], firstDayOfWeek: 'sunday' }, range: { type: 'endDate', startDate: '2026-01-05', endDate: '2026-03-31', recurrenceTimeZone: 'UTC' } });
    assert.deepEqual((await series('RRULE:FREQ=WEEKLY'))!.pattern.daysOfWeek, ['monday']);
    assert.deepEqual((await series('RRULE:FREQ=MONTHLY;BYMONTHDAY=15'))!.pattern, { type: 'absoluteMonthly', interval: 1, dayOfMonth: 15 });
    assert.deepEqual((await series('RRULE:FREQ=MONTHLY;BYDAY=-1FR'))!.pattern, { type: 'relativeMonthly', interval: 1, daysOfWeek: ['friday'], index: 'last' });
    assert.deepEqual((await series('RRULE:FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2'))!.pattern, { type: 'relativeMonthly', interval: 1, daysOfWeek: ['tuesday'], index: 'second' });
    assert.deepEqual((await series('RRULE:FREQ=YEARLY'))!.pattern, { type: 'absoluteYearly', interval: 1, month: 1, dayOfMonth: 5 });
    assert.deepEqual((await series('RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=4TH'))!.pattern, { type: 'relativeYearly', interval: 1, month: 11, daysOfWeek: ['thursday'], index: 'fourth' });
    assert.equal((await series('RRULE:FREQ=DAILY'))!.range.type, 'noEnd');
  });

  it('refuses series Graph cannot express with GRAPH-RECURRENCE, and broken events with GRAPH-PIM-INVALID', async () => {
    assert.equal(await codeOf(series('RRULE:FREQ=HOURLY')), 'GRAPH-RECURRENCE');
    assert.equal(await codeOf(series('RRULE:FREQ=MONTHLY;BYDAY=1MO,3MO')), 'GRAPH-RECURRENCE');
    assert.equal(await codeOf(series('RRULE:FREQ=YEARLY;BYWEEKNO=20')), 'GRAPH-RECURRENCE');
    assert.equal(await codeOf(eventFromICalendar(event('DESCRIPTION:no start'))), 'GRAPH-PIM-INVALID');
    assert.equal(await codeOf(eventFromICalendar(Buffer.from('BEGIN:VCALENDAR\r\nthis is not'))), 'GRAPH-PIM-INVALID');
  });
});

describe('Microsoft To Do tasks', () => {
  it('from a VTODO: title, body, status, importance, dates and an absolute reminder', async () => {
    const task = await taskFromICalendar(calendar('BEGIN:VTODO', 'SUMMARY:Call the bank', 'DESCRIPTION:About the loan', 'DTSTART:20261120T080000Z', 'DUE:20261201T170000Z', 'STATUS:IN-PROCESS', 'PRIORITY:9', 'CATEGORIES:Money', 'BEGIN:VALARM', 'ACTION:DISPLAY', 'TRIGGER;VALUE=DATE-TIME:20261201T090000Z', 'END:VALARM', 'END:VTODO'));
    assert.deepEqual(task, {
      title: 'Call the bank',
      body: { contentType: 'text', content: 'About the loan' },
      status: 'inProgress',
      importance: 'low',
      dueDateTime: { dateTime: '2026-12-01T17:00:00', timeZone: 'UTC' },
      startDateTime: { dateTime: '2026-11-20T08:00:00', timeZone: 'UTC' },
      isReminderOn: true,
      reminderDateTime: { dateTime: '2026-12-01T09:00:00', timeZone: 'UTC' },
      categories: ['Money'],
    });
  });

  it('a relative reminder counts back from the due date; COMPLETED dates make a completed task', async () => {
    const task = await taskFromICalendar(calendar('BEGIN:VTODO', 'SUMMARY:T', 'DUE:20261201T170000Z', 'COMPLETED:20261130T120000Z', 'BEGIN:VALARM', 'ACTION:DISPLAY', 'TRIGGER:-PT1H', 'END:VALARM', 'END:VTODO'));
    assert.deepEqual([task.status, task.reminderDateTime, task.completedDateTime], ['completed', { dateTime: '2026-12-01T16:00:00', timeZone: 'UTC' }, { dateTime: '2026-11-30T12:00:00', timeZone: 'UTC' }]);
  });

  it('from a message: subject and text', async () => {
    const task = await taskFromMessage(Buffer.from('Subject: Renew the domain\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nBefore Friday.\r\n'), []);
    assert.deepEqual([task.title, task.body?.content, task.status], ['Renew the domain', 'Before Friday.', 'notStarted']);
  });

  it('refuses an iCalendar without a VTODO', async () => {
    assert.equal(await codeOf(taskFromICalendar(event('DTSTART:20260101T100000Z'))), 'GRAPH-PIM-INVALID');
  });
});
