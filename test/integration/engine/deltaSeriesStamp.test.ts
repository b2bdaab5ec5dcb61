// A recurring series written with its exceptions into Microsoft 365 records its change stamp (the
// master's lastModifiedDateTime once the exceptions are written, issue 13): when the destination's
// user edits such a series after cut-over and the source changes it too, the delta leaves the
// user's version and reports the conflict (ENG-081, conflict-left) instead of overwriting it.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { buildReport } from '../../../src/engine/report';
import { inProcessProject } from './deltaScenario';
import { useEwsToM365 } from './ewsToM365Fixture';

/** A weekly series of 4 with its 3rd occurrence moved a day later (a VEVENT with its RECURRENCE-ID). */
const series = (summary: string) => [
  'BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Ferry test//EN',
  'BEGIN:VEVENT', 'UID:series-1@ferry.test', 'DTSTAMP:20260101T080000Z', `SUMMARY:${summary}`,
  'DTSTART:20260105T090000Z', 'DTEND:20260105T100000Z', 'RRULE:FREQ=WEEKLY;COUNT=4;BYDAY=MO', 'END:VEVENT',
  'BEGIN:VEVENT', 'UID:series-1@ferry.test', 'DTSTAMP:20260101T080000Z', 'RECURRENCE-ID:20260119T090000Z', `SUMMARY:${summary} (moved)`,
  'DTSTART:20260120T090000Z', 'DTEND:20260120T100000Z', 'END:VEVENT',
  'END:VCALENDAR', '',
].join('\r\n');

describe('delta: a series written with exceptions into Microsoft 365 keeps its change stamp', function () {
  this.timeout(180_000);
  const f = useEwsToM365(['src-series'], { items: [{ folder: 'calendar', itemClass: 'IPM.Appointment', mime: series('Sprint review') }] }, ['dst-series@contoso.test']);

  it("a user's edit of the series at the destination is left and reported when the source changes it too", async () => {
    const { ews, sources: [SOURCE] } = f;
    const p = inProcessProject({ src: f.exchange(), dst: f.t.endpointYaml() }, { source: SOURCE, destination: 'dst-series@contoso.test' }, 'delete', f.secrets);
    const pim = () => f.pim('dst-series@contoso.test');
    const master = () => pim().items.find((i) => i.kind === 'event' && i.body.recurrence)!;
    try {
      await p.run('full');
      assert.equal(master().body.subject, 'Sprint review');
      assert.ok(master().occurrences, 'the series was written with its exception');
      // The destination's user renames the series (Graph stamps it), the source's user changes it too.
      Object.assign(master(), { body: { ...master().body, subject: 'Sprint review (mine)' }, lastModifiedDateTime: new Date(Date.now() + 1000).toISOString() });
      const item = [...ews.store.itemsOf(SOURCE).values()].find((i) => i.itemClass === 'IPM.Appointment')!;
      const { createdSeq: _c, modSeq: _m, readSeq: _r, size: _s, ...rest } = item;
      ews.store.putItem(SOURCE, { ...rest, lastModifiedTime: new Date().toISOString() }, Buffer.from(series('Sprint review, new room')));
      await p.run('delta');
      assert.equal(pim().items.filter((i) => i.kind === 'event').length, 1, 'one series, not replaced');
      assert.equal(master().body.subject, 'Sprint review (mine)', "the user's edit is left");
      assert.deepEqual(buildReport(p.store, path.join(p.dir, 'p.migration.yaml'))!.changes.byItemType, { calendar: { 'conflict-left': 1 } });
    } finally {
      p.store.close();
    }
  });
});
