// A recurring event's exceptions as Ferry reads them from iCalendar (EXDATE, RECURRENCE-ID
// VEVENTs, STATUS:CANCELLED) and matches them to the occurrences Graph lists: original starts as
// UTC instants in every kind of zone, dates in all-day series, the listing windows, and what
// matches nothing.
import * as assert from 'node:assert/strict';
import { eventFromICalendar } from '../../../../src/connectors/m365/pim/eventJson';
import { seriesFromICalendar, type SeriesException } from '../../../../src/connectors/m365/pim/seriesExceptions';
import { instanceKey, instanceWindows, matchInstances, type GraphInstance } from '../../../../src/connectors/m365/pim/seriesInstances';
import { ConnectorError } from '../../../../src/connectors/types';

const ics = (...lines: string[]) => Buffer.from(['BEGIN:VCALENDAR', 'VERSION:2.0', ...lines, 'END:VCALENDAR', ''].join('\r\n'));
const master = (start: string, ...more: string[]) => ['BEGIN:VEVENT', 'UID:s1', 'SUMMARY:Review', 'LOCATION:Room 4', start, 'RRULE:FREQ=WEEKLY;COUNT=10', ...more, 'END:VEVENT'];
const override = (recurrenceId: string, ...more: string[]) => ['BEGIN:VEVENT', 'UID:s1', recurrenceId, ...more, 'END:VEVENT'];
/** An Office-time zone as Exchange writes one (not a name Graph knows): times convert through it. */
const officeZone = ['BEGIN:VTIMEZONE', 'TZID:Office time', 'BEGIN:STANDARD', 'DTSTART:16010101T030000', 'TZOFFSETFROM:+0200', 'TZOFFSETTO:+0100', 'RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10', 'END:STANDARD', 'BEGIN:DAYLIGHT', 'DTSTART:16010101T020000', 'TZOFFSETFROM:+0100', 'TZOFFSETTO:+0200', 'RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3', 'END:DAYLIGHT', 'END:VTIMEZONE'];

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof ConnectorError, String(err));
    return err.code;
  }
  throw new Error('no error');
}

describe('Microsoft 365 series exceptions from iCalendar', () => {
  const originalStarts: [string, string[], string[]][] = [
    ['a Windows zone, before and after the end of daylight saving', master('DTSTART;TZID=W. Europe Standard Time:20261012T090000', 'EXDATE;TZID=W. Europe Standard Time:20261019T090000,20261026T090000'), ['2026-10-19T07:00:00Z', '2026-10-26T08:00:00Z']],
    ['an IANA zone', master('DTSTART;TZID=America/New_York:20260302T090000', 'EXDATE;TZID=America/New_York:20260309T090000'), ['2026-03-09T13:00:00Z']],
    ['UTC', master('DTSTART:20260302T090000Z', 'EXDATE:20260309T090000Z'), ['2026-03-09T09:00:00Z']],
    ['a zone known only by its VTIMEZONE', [...officeZone, ...master('DTSTART;TZID=Office time:20260706T090000', 'EXDATE;TZID=Office time:20260713T090000')], ['2026-07-13T07:00:00Z']],
    ['floating times (read as UTC, like the master)', master('DTSTART:20260302T090000', 'EXDATE:20260309T090000'), ['2026-03-09T09:00:00Z']],
    ['an all-day series: dates', master('DTSTART;VALUE=DATE:20261224', 'EXDATE;VALUE=DATE:20271224'), ['2027-12-24']],
    ['several EXDATE properties, sorted', master('DTSTART:20260302T090000Z', 'EXDATE:20260316T090000Z', 'EXDATE:20260309T090000Z'), ['2026-03-09T09:00:00Z', '2026-03-16T09:00:00Z']],
  ];
  for (const [name, lines, expected] of originalStarts) {
    it(`cancelled occurrences (EXDATE) in ${name}`, async () => {
      const { exceptions } = await seriesFromICalendar(ics(...lines));
      assert.deepEqual(exceptions, expected.map((originalStart) => ({ originalStart })));
    });
  }

  it('a modified occurrence is converted like an event (time, subject, body with the attendees, place cleared when it has none), without recurrence', async () => {
    const data = ics(
      ...override('RECURRENCE-ID;TZID=W. Europe Standard Time:20261019T090000', 'SUMMARY:Review (moved)', 'DESCRIPTION:Other room', 'DTSTART;TZID=W. Europe Standard Time:20261020T140000', 'DTEND;TZID=W. Europe Standard Time:20261020T150000', 'ATTENDEE;CN=Bob;PARTSTAT=ACCEPTED:mailto:bob@contoso.example', 'X-MICROSOFT-CDO-BUSYSTATUS:TENTATIVE'),
      ...master('DTSTART;TZID=W. Europe Standard Time:20261012T090000', 'DTEND;TZID=W. Europe Standard Time:20261012T100000'),
    );
    const { event, exceptions } = await seriesFromICalendar(data);
    assert.equal(event.subject, 'Review', 'the master is the VEVENT without RECURRENCE-ID, wherever it stands');
    assert.deepEqual((await eventFromICalendar(data)).subject, 'Review');
    assert.equal(exceptions.length, 1);
    const moved = exceptions[0];
    assert.equal(moved.originalStart, '2026-10-19T07:00:00Z');
    assert.deepEqual([moved.event?.subject, moved.event?.start, moved.event?.end, moved.event?.showAs, moved.event?.location, moved.event?.recurrence], ['Review (moved)', { dateTime: '2026-10-20T14:00:00', timeZone: 'W. Europe Standard Time' }, { dateTime: '2026-10-20T15:00:00', timeZone: 'W. Europe Standard Time' }, 'tentative', { displayName: '' }, undefined]);
    assert.match(moved.event?.body.content ?? '', /^Other room\n---\n.*\nAttendees: Bob <bob@contoso\.example> \(accepted\)$/s);
  });

  it('STATUS:CANCELLED cancels; a cancellation wins over a change of the same occurrence; other UIDs are not exceptions', async () => {
    const { exceptions } = await seriesFromICalendar(
      ics(
        ...master('DTSTART:20260302T090000Z', 'EXDATE:20260316T090000Z'),
        ...override('RECURRENCE-ID:20260309T090000Z', 'STATUS:CANCELLED', 'DTSTART:20260309T090000Z'),
        ...override('RECURRENCE-ID:20260316T090000Z', 'SUMMARY:changed', 'DTSTART:20260316T100000Z'),
        ...override('RECURRENCE-ID:20260323T090000Z', 'SUMMARY:changed', 'DTSTART:20260323T100000Z'),
        'BEGIN:VEVENT', 'UID:other', 'RECURRENCE-ID:20260330T090000Z', 'DTSTART:20260330T100000Z', 'END:VEVENT',
      ),
    );
    assert.deepEqual(exceptions.map((e) => [e.originalStart, e.event?.subject ?? 'cancelled']), [['2026-03-09T09:00:00Z', 'cancelled'], ['2026-03-16T09:00:00Z', 'cancelled'], ['2026-03-23T09:00:00Z', 'changed']]);
  });

  it('a series without exceptions has none; what Graph cannot apply is refused before anything is written', async () => {
    assert.deepEqual((await seriesFromICalendar(ics(...master('DTSTART:20260302T090000Z')))).exceptions, []);
    assert.equal(await codeOf(seriesFromICalendar(ics(...master('DTSTART:20260302T090000Z'), ...override('RECURRENCE-ID;RANGE=THISANDFUTURE:20260309T090000Z', 'DTSTART:20260309T100000Z')))), 'GRAPH-RECURRENCE');
    assert.equal(await codeOf(seriesFromICalendar(ics('BEGIN:VEVENT', 'UID:s1', 'DTSTART:20260302T090000Z', 'EXDATE:20260309T090000Z', 'END:VEVENT'))), 'GRAPH-RECURRENCE');
    assert.equal(await codeOf(seriesFromICalendar(ics(...master('DTSTART;TZID=Nowhere Standard Time:20260302T090000', 'EXDATE;TZID=Nowhere Standard Time:20260309T090000')))), 'GRAPH-PIM-INVALID');
  });
});

describe('Microsoft 365 series exceptions matched to occurrences', () => {
  const cancel = (originalStart: string): SeriesException => ({ originalStart });
  const change = (originalStart: string, subject: string): SeriesException => ({ originalStart, event: { subject } as SeriesException['event'] & object });
  const occurrence = (id: string, originalStart: string, type: GraphInstance['type'] = 'occurrence'): GraphInstance => ({ id, type, originalStart });

  const keys: [string, string, boolean, string | undefined][] = [
    ['with Z', '2026-10-19T07:00:00Z', false, '2026-10-19T07:00:00Z'],
    ['with fractions, without Z', '2026-10-19T07:00:00.0000000', false, '2026-10-19T07:00:00Z'],
    ['with an offset', '2026-10-19T09:00:00+02:00', false, '2026-10-19T07:00:00Z'],
    ['all-day: the date', '2026-12-24T00:00:00Z', true, '2026-12-24'],
    ['unreadable', 'soon', false, undefined],
  ];
  for (const [name, originalStart, allDay, expected] of keys) it(`keys an originalStart ${name}`, () => assert.equal(instanceKey({ id: 'x', originalStart }, allDay), expected));

  const matches: [string, SeriesException[], GraphInstance[], boolean, { patches: string[]; deletes: string[]; unmatched: string[] }][] = [
    ['changes and cancellations by original start', [change('2026-10-19T07:00:00Z', 'moved'), cancel('2026-10-26T08:00:00Z')], [occurrence('a', '2026-10-12T07:00:00Z'), occurrence('b', '2026-10-19T07:00:00.0000000'), occurrence('c', '2026-10-26T08:00:00Z')], false, { patches: ['b'], deletes: ['c'], unmatched: [] }],
    ['an hour off is no match', [cancel('2026-10-26T07:00:00Z')], [occurrence('c', '2026-10-26T08:00:00Z')], false, { patches: [], deletes: [], unmatched: ['2026-10-26T07:00:00Z'] }],
    ['all-day series by date', [cancel('2026-12-24')], [occurrence('d', '2026-12-24T00:00:00Z')], true, { patches: [], deletes: ['d'], unmatched: [] }],
    ['the master and single instances are never matched', [cancel('2026-10-12T07:00:00Z')], [occurrence('m', '2026-10-12T07:00:00Z', 'seriesMaster')], false, { patches: [], deletes: [], unmatched: ['2026-10-12T07:00:00Z'] }],
    ['an earlier exception is matched again (a rerun over a series changed already)', [change('2026-10-19T07:00:00Z', 'moved')], [occurrence('b', '2026-10-19T07:00:00Z', 'exception')], false, { patches: ['b'], deletes: [], unmatched: [] }],
  ];
  for (const [name, exceptions, instances, allDay, expected] of matches) {
    it(`matches ${name}`, () => {
      const m = matchInstances(exceptions, instances, allDay);
      assert.deepEqual({ patches: m.patches.map((p) => p.id), deletes: m.deletes.map((d) => d.id), unmatched: m.unmatched.map((u) => u.originalStart) }, expected);
    });
  }

  it('lists a day around each original start, close ones in one window, far ones apart', () => {
    assert.deepEqual(instanceWindows([cancel('2026-10-19T07:00:00Z'), cancel('2026-10-26T08:00:00Z')]), [{ start: '2026-10-18T07:00:00Z', end: '2026-10-28T08:00:00Z' }]);
    assert.deepEqual(instanceWindows([cancel('2026-12-24'), cancel('2030-12-24')]), [
      { start: '2026-12-23T00:00:00Z', end: '2026-12-26T00:00:00Z' },
      { start: '2030-12-23T00:00:00Z', end: '2030-12-26T00:00:00Z' },
    ]);
  });
});
