// A Google Calendar occurrence changed or cancelled alone (issue 13): with a sync token Google lists
// the changed occurrence as an event of its own (recurringEventId, originalStartTime) and a
// cancelled one as status=cancelled with those fields, without listing its series. The delta reads
// the series whole (its master and every event sharing its iCalUID) and carries it: at the
// destination the copied series gets the moved occurrence as an exception and the cancelled one
// removed (Microsoft 365: the series' changed and cancelled occurrences; Exchange: the series'
// iCalendar with a RECURRENCE-ID VEVENT and an EXDATE). One copy of the series, before and after; a
// second delta changes nothing. On the old code the delta saw no change at all.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { buildReport } from '../../../src/engine/report';
import { gmailEndpointYaml } from './gmailProject';
import { inProcessProject, type InProcessProject } from './deltaScenario';
import { EWS_ORG, usePimFakes } from './pimFakes';

const at = (d: number, h: number) => ({ dateTime: `2026-03-${String(d).padStart(2, '0')}T${String(h).padStart(2, '0')}:00:00Z`, timeZone: 'UTC' });

describe('delta: a Google Calendar occurrence changed or cancelled without its series being listed is carried into the copied series', function () {
  this.timeout(180_000);
  const f = usePimFakes({ tenant: ['occ@contoso.test'], google: ['occ-m365@example.test', 'occ-ews@example.test'], ews: { users: [{ address: `occ@${EWS_ORG}`, login: 'CONTOSO\\occ', password: 'occ-Pass1' }] } });

  /** A weekly series of 4 (Mondays from 2 March, 09:00 UTC) and a single event. */
  function seed(user: string): string {
    const a = f.google.fake.admin;
    a.addEvent(user, { summary: 'Lunch', start: at(4, 12), end: at(4, 13) });
    return a.addEvent(user, { summary: 'Standup', start: at(2, 9), end: at(2, 10), recurrence: ['RRULE:FREQ=WEEKLY;COUNT=4'] }).id;
  }

  /** The user moves the second occurrence to 11:00 and renames it, and deletes the third: "this event" only. */
  function change(user: string, series: string): void {
    const a = f.google.fake.admin;
    a.changeOccurrence(user, series, at(9, 9), { summary: 'Standup (moved)', start: at(9, 11), end: at(9, 12) });
    a.changeOccurrence(user, series, at(16, 9), 'cancelled');
  }

  async function scenario(p: InProcessProject, check: (when: 'full' | 'delta') => void, series: string, user: string): Promise<void> {
    const changes = () => buildReport(p.store, path.join(p.dir, 'p.migration.yaml'))!.changes.byItemType;
    try {
      await p.run('full');
      check('full');
      change(user, series);
      const delta = await p.run('delta');
      assert.equal(delta.totals.copied + delta.totals.failed, 0, 'nothing copied anew, nothing failed');
      check('delta');
      assert.deepEqual(changes(), { calendar: { updated: 1 } }, 'the series is reported updated');
      const again = await p.run('delta');
      assert.equal(again.totals.copied + again.totals.failed, 0);
      check('delta');
      assert.deepEqual(changes(), { calendar: { updated: 1 } }, 'a second delta records no change');
    } finally {
      p.store.close();
    }
  }

  it('Google Workspace -> Microsoft 365: the series gets the moved occurrence as an exception and the cancelled one removed', async () => {
    const user = 'occ-m365@example.test';
    const series = seed(user);
    const pim = () => f.pim('occ@contoso.test');
    const p = inProcessProject({ src: gmailEndpointYaml(f.google), dst: f.t.endpointYaml() }, { source: user, destination: 'occ@contoso.test' }, 'keep', f.secrets);
    await scenario(p, (when) => {
      const events = pim().items.filter((i) => i.kind === 'event');
      assert.deepEqual(events.map((e) => e.body.subject).sort(), ['Lunch', 'Standup'], `one copy of each event after the ${when} pass`);
      const standup = events.find((e) => e.body.subject === 'Standup')!;
      const changed = Object.values(standup.occurrences?.changed ?? {}).map((c) => [c.subject, (c.start as { dateTime: string }).dateTime]);
      if (when === 'full') {
        assert.deepEqual([changed, standup.occurrences?.cancelled ?? []], [[], []]);
        return;
      }
      assert.deepEqual(changed, [['Standup (moved)', '2026-03-09T11:00:00']], 'the moved occurrence is an exception of the series');
      assert.equal(standup.occurrences?.cancelled.length, 1, 'the cancelled occurrence is removed from the series');
    }, series, user);
  });

  it('Google Workspace -> Exchange: the series\' iCalendar gets the moved occurrence (RECURRENCE-ID) and the cancelled one (EXDATE)', async () => {
    const user = 'occ-ews@example.test';
    const series = seed(user);
    const p = inProcessProject({ src: gmailEndpointYaml(f.google), dst: f.exchange() }, { source: user, destination: `occ@${EWS_ORG}` }, 'keep', f.secrets);
    await scenario(p, (when) => {
      const items = [...f.ews.store.itemsOf(`occ@${EWS_ORG}`).values()].filter((i) => i.itemClass === 'IPM.Appointment');
      assert.deepEqual(items.map((i) => i.subject).sort(), ['Lunch', 'Standup'], `one copy of each event after the ${when} pass`);
      const ical = f.ews.store.mime(`occ@${EWS_ORG}`, items.find((i) => i.subject === 'Standup')!).toString().replace(/\r\n[ \t]/g, '');
      const exceptions = ical.split('BEGIN:VEVENT').slice(1).filter((v) => /RECURRENCE-ID/.test(v));
      if (when === 'full') {
        assert.deepEqual([exceptions.length, /EXDATE/.test(ical)], [0, false], ical);
        return;
      }
      assert.equal(exceptions.length, 1, ical);
      assert.match(exceptions[0], /RECURRENCE-ID[^:]*:20260309T090000Z?/);
      assert.match(exceptions[0], /SUMMARY:Standup \(moved\)/);
      assert.match(exceptions[0], /DTSTART[^:]*:20260309T110000Z?/);
      assert.match(ical, /EXDATE[^:]*:20260316T090000Z?/);
    }, series, user);
  });
});
