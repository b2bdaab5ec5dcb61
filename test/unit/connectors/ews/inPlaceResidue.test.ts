// What an in-place update on Exchange does not set is hashed (issue 13): a change of it must show,
// a change of what the update sets or of a revision stamp must not.
import * as assert from 'node:assert/strict';
import { residueOf } from '../../../../src/connectors/ews/inPlaceResidue';

const cal = (lines: string[]) => ({ format: 'icalendar' as const, data: Buffer.from(['BEGIN:VCALENDAR', 'VERSION:2.0', 'BEGIN:VEVENT', 'UID:a@ferry.test', ...lines, 'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n')), flags: [], date: new Date(0) });
const card = (lines: string[]) => ({ format: 'vcard' as const, data: Buffer.from(['BEGIN:VCARD', 'VERSION:3.0', ...lines, 'END:VCARD', ''].join('\r\n')), flags: [], date: new Date(0) });
const event = ['DTSTAMP:20260101T080000Z', 'DTSTART:20260110T090000Z', 'DTEND:20260110T100000Z', 'SUMMARY:Review', 'ATTENDEE;PARTSTAT=NEEDS-ACTION:mailto:bob@contoso.test', 'BEGIN:VALARM', 'ACTION:DISPLAY', 'TRIGGER:-PT15M', 'END:VALARM'];

describe('in-place residue (what an Exchange UpdateItem does not set)', () => {
  it('an appointment: set fields, the reminder and revision stamps do not count; an attendee or an answer does', async () => {
    const base = await residueOf(cal(event), 'calendar');
    const moved = event.map((l) => l.replace('20260110T09', '20260111T09').replace('SUMMARY:Review', 'SUMMARY:Review 2').replace('-PT15M', '-PT30M').replace('DTSTAMP:20260101', 'DTSTAMP:20260102'));
    assert.equal(await residueOf(cal([...moved, 'X-MICROSOFT-CDO-BUSYSTATUS:OOF', 'CLASS:PRIVATE', 'SEQUENCE:3']), 'calendar'), base);
    assert.notEqual(await residueOf(cal(event.map((l) => l.replace('NEEDS-ACTION', 'ACCEPTED'))), 'calendar'), base, 'an answer');
    assert.notEqual(await residueOf(cal([...event, 'ATTENDEE:mailto:carol@contoso.test']), 'calendar'), base, 'an attendee');
    assert.notEqual(await residueOf(cal([...event, 'BEGIN:VALARM', 'ACTION:DISPLAY', 'TRIGGER:-PT5M', 'END:VALARM']), 'calendar'), base, 'a second alarm');
  });

  it('a contact: names, phones, e-mails, notes and the first address of each kind do not count; a birthday, a middle name or a second address of a kind does', async () => {
    const c = ['FN:Ann Lee', 'N:Lee;Ann;;;', 'TEL;TYPE=WORK:+41 1', 'EMAIL:ann@contoso.test', 'ADR;TYPE=WORK:;;1 Main St;Bern;;3000;CH'];
    const base = await residueOf(card(c), 'contacts');
    assert.equal(await residueOf(card(['FN:Ann Li', 'N:Li;Anne;;;', 'TEL;TYPE=WORK:+41 2', 'EMAIL:anne@contoso.test', 'ADR;TYPE=WORK:;;2 Main St;Bern;;3000;CH', 'NOTE:new', 'REV:20260101T000000Z']), 'contacts'), base);
    assert.notEqual(await residueOf(card([...c, 'BDAY:1980-02-03']), 'contacts'), base, 'a birthday');
    assert.notEqual(await residueOf(card([...c, 'ADR;TYPE=WORK:;;9 Side St;Bern;;3000;CH']), 'contacts'), base, 'a second work address');
    assert.notEqual(await residueOf(card(c.map((l) => l.replace('N:Lee;Ann;;;', 'N:Lee;Ann;Maria;;'))), 'contacts'), base, 'a middle name');
  });

  it('tasks and opaque items have none', async () => {
    assert.equal(await residueOf(cal(['SUMMARY:x']), 'tasks'), undefined);
    assert.equal(await residueOf({ format: 'opaque', data: Buffer.from('x'), flags: [], date: new Date(0) }, 'calendar'), undefined);
  });
});
