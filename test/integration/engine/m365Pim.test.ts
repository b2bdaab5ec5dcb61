// Contacts, calendars and Microsoft To Do tasks out of Microsoft 365 (the fake Graph), through
// runPass like a real run: read from their Graph resources as vCard and iCalendar (events in the
// zone they were made in) and written into another Microsoft 365 mailbox, both when mail goes as
// MIME and when it goes with full fidelity: every field lands, a weekly series keeps its wall-clock
// time and rule, an all-day event its dates, attendees are listed and never invited; a delta moves
// nothing, then only what changed; a lost store writes nothing twice; an app without Contacts.Read
// stops the mailbox with GRAPH-403-PIM and the consent fix. And into Exchange (the fake EWS):
// contacts from vCard, appointments from iCalendar saved with SendToNone (no invitation mailed),
// tasks from their properties (Exchange has no MIME form for tasks).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { resetTokenProviders } from '../../../src/connectors/m365/auth/tokenProvider';
import { m365Connector } from '../../../src/connectors/m365/m365Connector';
import type { DestinationMailbox, FolderRole } from '../../../src/connectors/types';
import type { ItemType } from '../../../src/plan/model';
import { defaultRetryPolicy } from '../../../src/engine/backoff';
import { runPass } from '../../../src/engine/runPass';
import { registryConnectors } from '../../../src/runner/connectors';
import { loadPlan } from '../../../src/runner/loadPlan';
import { Store } from '../../../src/store/store';
import { createFakeEwsData, startFakeEws, type FakeEws } from '../../servers/fakeEws/server';
import { pimOf, type PimItemRecord } from '../../servers/fakeM365/graphPim';
import { mailboxApiSettings } from '../../servers/fakeM365/mailboxApi';
import { FULL_FIDELITY_ROLES, startTestTenant, type TestTenant } from '../../servers/fakeM365/testTenant';
import { plainMessage } from '../../servers/testMessages';

const crlf = (...lines: string[]) => Buffer.from(lines.join('\r\n') + '\r\n', 'utf8');
const signal = new AbortController().signal;

/** What the source mailbox holds besides mail, written through Ferry's own Graph destination. */
async function seed(box: DestinationMailbox): Promise<void> {
  const put = async (path: string[], role: FolderRole | undefined, type: ItemType, format: 'vcard' | 'icalendar', data: Buffer) => box.writeItem(await box.ensureFolder(path, role, type), { format, data, flags: [], date: new Date('2026-01-05T10:00:00Z') }, signal);
  await put(['Contacts'], 'contacts', 'contacts', 'vcard', crlf('BEGIN:VCARD', 'VERSION:3.0', 'FN:Erin Park', 'N:Park;Erin;;Dr.;', 'ORG:Contoso;Sales', 'TITLE:Buyer', 'EMAIL;TYPE=WORK:erin@contoso.example', 'EMAIL;TYPE=HOME:erin@home.example', 'TEL;TYPE=WORK:+1 555 0100', 'TEL;TYPE=CELL:+1 555 0101', 'ADR;TYPE=WORK:;;1 Main St;Springfield;IL;62701;USA', 'BDAY:1980-04-02', 'NOTE:Met at the fair; likes tea', 'CATEGORIES:Customers,VIP', 'END:VCARD'));
  await put(['Contacts', 'Suppliers'], undefined, 'contacts', 'vcard', crlf('BEGIN:VCARD', 'VERSION:3.0', 'FN:Fabrice Lemaire', 'N:Lemaire;Fabrice;;;', 'EMAIL:fabrice@tailspin.example', 'END:VCARD'));
  await put(['Calendar'], 'calendar', 'calendar', 'icalendar', crlf('BEGIN:VCALENDAR', 'VERSION:2.0', 'BEGIN:VEVENT', 'UID:weekly-1', 'SUMMARY:Weekly pipeline review', 'DESCRIPTION:Numbers first.', 'DTSTART;TZID=W. Europe Standard Time:20260302T090000', 'DTEND;TZID=W. Europe Standard Time:20260302T100000', 'RRULE:FREQ=WEEKLY;BYDAY=MO;UNTIL=20260629T215959Z', 'LOCATION:Room 4', 'CATEGORIES:Team', 'ORGANIZER;CN=Ann:mailto:ann@contoso.test', 'ATTENDEE;CN=Bob;PARTSTAT=ACCEPTED:mailto:bob@contoso.test', 'BEGIN:VALARM', 'TRIGGER:-PT10M', 'ACTION:DISPLAY', 'END:VALARM', 'END:VEVENT', 'END:VCALENDAR'));
  await put(['Calendar'], 'calendar', 'calendar', 'icalendar', crlf('BEGIN:VCALENDAR', 'VERSION:2.0', 'BEGIN:VEVENT', 'UID:call-1', 'SUMMARY:Call with Tailspin', 'DTSTART;TZID=America/Los_Angeles:20260315T160000', 'DTEND;TZID=America/Los_Angeles:20260315T163000', 'X-MICROSOFT-CDO-BUSYSTATUS:TENTATIVE', 'CLASS:PRIVATE', 'PRIORITY:1', 'END:VEVENT', 'END:VCALENDAR'));
  await put(['Calendar', 'Holidays'], undefined, 'calendar', 'icalendar', crlf('BEGIN:VCALENDAR', 'VERSION:2.0', 'BEGIN:VEVENT', 'UID:h1', 'SUMMARY:Christmas Eve', 'DTSTART;VALUE=DATE:20261224', 'DTEND;VALUE=DATE:20261225', 'TRANSP:TRANSPARENT', 'END:VEVENT', 'END:VCALENDAR'));
  await put(['Tasks'], 'tasks', 'tasks', 'icalendar', crlf('BEGIN:VCALENDAR', 'VERSION:2.0', 'BEGIN:VTODO', 'UID:t1', 'SUMMARY:Renew the domain', 'DESCRIPTION:Before the end of the month.', 'STATUS:IN-PROCESS', 'PRIORITY:1', 'DUE;VALUE=DATE:20261130', 'BEGIN:VALARM', 'TRIGGER;VALUE=DATE-TIME:20261130T090000Z', 'ACTION:DISPLAY', 'END:VALARM', 'END:VTODO', 'END:VCALENDAR'));
  await put(['Errands'], undefined, 'tasks', 'icalendar', crlf('BEGIN:VCALENDAR', 'VERSION:2.0', 'BEGIN:VTODO', 'UID:t2', 'SUMMARY:Pick up the badge', 'STATUS:COMPLETED', 'COMPLETED:20260110T120000Z', 'END:VTODO', 'END:VCALENDAR'));
}

describe('engine: contacts, calendars and To Do out of Microsoft 365 (fake Graph)', function () {
  this.timeout(90_000);
  let t: TestTenant;
  // Every JSON body the fake sent was held against Graph's v1.0 metadata (graphSchema.ts): none deviated.
  afterEach(() => assert.deepEqual(t?.fake.graph.deviations ?? [], []));
  let ews: FakeEws;
  const secrets: Record<string, string> = { EX: 'Adm1n-pass' };
  const pim = (user: string) => pimOf(t.fake.data.mailbox(t.fake.data.findUser(t.tenant, user)!.id));

  before(async () => {
    t = await startTestTenant(['ann@contoso.test', 'mia@contoso.test', 'ned@contoso.test', 'oz@contoso.test'], { latencyMs: 1 });
    const ewsData = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-m365-ews-'));
    createFakeEwsData(ewsData, { users: [{ address: 'migadmin@contoso.local', login: 'CONTOSO\\migadmin', password: 'Adm1n-pass', roles: ['ApplicationImpersonation'] }, { address: 'ann@contoso.local', login: 'CONTOSO\\ann', password: 'x' }], mailboxes: { 'ann@contoso.local': { folders: [], items: [] } } });
    ews = await startFakeEws({ dataDir: ewsData });
    secrets.M365_SECRET = t.secret;
    const ann = await m365Connector.openDestination(t.request('ann@contoso.test'));
    await seed(ann);
    // A meeting Ann organised in Outlook: attendees with their answers, an HTML body, an Eastern time zone.
    const box = pim('ann@contoso.test');
    const now = new Date().toISOString();
    box.items.push({ id: 'AAMkAmeeting1', kind: 'event', containerId: box.calendars.find((c) => c.isDefaultCalendar)!.id, props: {}, createdDateTime: now, lastModifiedDateTime: now, body: {
      subject: 'Quarterly planning', body: { contentType: 'html', content: '<p>Bring numbers</p>' }, start: { dateTime: '2026-04-01T14:00:00', timeZone: 'Eastern Standard Time' }, end: { dateTime: '2026-04-01T15:00:00', timeZone: 'Eastern Standard Time' },
      isAllDay: false, showAs: 'busy', sensitivity: 'normal', importance: 'normal', isReminderOn: true, reminderMinutesBeforeStart: 15, categories: [], responseRequested: true, iCalUId: '040000008200E00074C5B7101A82E0080000000010',
      organizer: { emailAddress: { name: 'Ann', address: 'ann@contoso.test' } },
      attendees: [{ type: 'required', status: { response: 'accepted' }, emailAddress: { name: 'Bob', address: 'bob@contoso.test' } }, { type: 'optional', status: { response: 'none' }, emailAddress: { name: 'Client', address: 'client@tailspin.example' } }],
    } });
    const inbox = await ann.ensureFolder(['INBOX'], 'inbox');
    for (let i = 0; i < 3; i++) {
      const m = plainMessage(9100 + i);
      await ann.writeItem(inbox, { format: 'rfc822', data: m.raw, flags: ['\\Seen'], date: m.date }, signal);
    }
  });
  after(async () => {
    await ews?.close();
    await t?.fake.close();
    resetTokenProviders();
  });

  function project(destination: string, exchange = false) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-m365-pim-'));
    const endpoint = t.endpointYaml();
    const target = exchange ? `{ type: exchange, url: '${ews.ewsUrl}', auth: { username: 'CONTOSO\\migadmin', password: { secret: EX } } }` : endpoint;
    fs.writeFileSync(path.join(dir, 'p.migration.yaml'), `version: 1\nproject: { name: M365 PIM }\nendpoints:\n  src: ${endpoint}\n  dst: ${target}\nsource: src\ndestination: dst\nbatches:\n  - name: Main\n    items:\n      - { source: ann@contoso.test, destination: ${destination} }\n`);
    const file = path.join(dir, 'p.migration.yaml');
    const fast = { ...defaultRetryPolicy, attempts: 6, baseMs: 20, maxMs: 200 };
    const open = () => ({ plan: loadPlan(file).plan, store: Store.open(path.join(dir, '.ferry')) });
    let state = open();
    return {
      run: (pass: 'full' | 'delta') => runPass({ plan: state.plan, store: state.store, pass, connectors: registryConnectors, secrets: (n) => secrets[n], retry: fast }),
      loseStore() {
        state.store.close();
        fs.rmSync(path.join(dir, '.ferry'), { recursive: true, force: true });
        state = open();
      },
      close: () => state.store.close(),
    };
  }

  /** The items of a mailbox by kind, with the fields a user sees (ids, stamps and Ferry's marks left out). */
  function view(user: string) {
    const p = pim(user);
    const containerName = (i: PimItemRecord) => (i.kind === 'contact' ? (p.contactFolders.find((f) => f.id === i.containerId)?.displayName ?? 'Contacts') : i.kind === 'event' ? p.calendars.find((c) => c.id === i.containerId)!.name : p.lists.find((l) => l.id === i.containerId)!.displayName);
    const fields = (i: PimItemRecord): Record<string, unknown> => {
      const { linkedResources, body, ...rest } = i.body as Record<string, unknown> & { body?: { content?: string } };
      void linkedResources;
      return { in: containerName(i), ...rest, body: String(body?.content ?? '').split('\n---\n')[0].replace(/<[^>]*>/g, '') };
    };
    const sorted = (kind: PimItemRecord['kind']) => p.items.filter((i) => i.kind === kind).map(fields).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    return { contacts: sorted('contact'), events: sorted('event'), tasks: sorted('task') };
  }

  /** What a copy differs in: Graph's own stamps (iCalUId, organizer) and the attendees, listed in the body instead of invited. */
  const comparable = (v: ReturnType<typeof view>) => ({ ...v, events: v.events.map(({ iCalUId, organizer, attendees, responseRequested, ...e }) => (void [iCalUId, organizer, attendees, responseRequested], e)) });

  for (const fullFidelity of [false, true]) {
    it(`moves every field to another mailbox (mail ${fullFidelity ? 'with full fidelity' : 'as MIME'}); delta zero, then only the new; a lost store writes nothing twice`, async () => {
      const roles = t.app.roles.filter((r) => !r.startsWith('MailboxItem.') && !r.startsWith('MailboxFolder.'));
      t.app.roles.splice(0, t.app.roles.length, ...roles, ...(fullFidelity ? FULL_FIDELITY_ROLES : []));
      t.fake.data.saveDirectory();
      resetTokenProviders();
      const destination = fullFidelity ? 'ned@contoso.test' : 'mia@contoso.test';
      const p = project(destination);
      const api = mailboxApiSettings(t.fake.graph);
      const exportsBefore = api.exportCalls;
      const full = await p.run('full');
      assert.equal(api.exportCalls > exportsBefore, fullFidelity, 'mail did not take the expected path');
      assert.equal(full.items[0].status, 'Completed', JSON.stringify(full.items));
      // 3 messages and every contact, event and task of the source (a contact more after the first test).
      assert.equal(full.totals.copied, 3 + pim('ann@contoso.test').items.length, JSON.stringify(full.totals));
      assert.deepEqual(comparable(view(destination)), comparable(view('ann@contoso.test')));
      // Attendees are listed in the body, never invited.
      const weekly = pim(destination).items.find((i) => i.body.subject === 'Weekly pipeline review')!;
      assert.match(String((weekly.body.body as { content: string }).content), /Organizer: Ann <ann@contoso\.test>\nAttendees: Bob <bob@contoso\.test> \(accepted\)/);
      const planning = pim(destination).items.find((i) => i.body.subject === 'Quarterly planning')!;
      assert.match(String((planning.body.body as { content: string }).content), /^Bring numbers\n---\n.*\nOrganizer: Ann <ann@contoso\.test>\nAttendees: Bob <bob@contoso\.test> \(accepted\); Client <client@tailspin\.example> \(no answer\)$/);
      assert.equal(planning.body.attendees, undefined);
      assert.equal(pim(destination).invitationsSent, 0);
      assert.deepEqual(weekly.body.start, { dateTime: '2026-03-02T09:00:00', timeZone: 'W. Europe Standard Time' });

      assert.equal((await p.run('delta')).totals.copied, 0);
      const ann = await m365Connector.openDestination(t.request('ann@contoso.test'));
      await ann.writeItem(await ann.ensureFolder(['Contacts', 'Suppliers'], undefined, 'contacts'), { format: 'vcard', data: crlf('BEGIN:VCARD', 'VERSION:3.0', `FN:New ${destination}`, 'END:VCARD'), flags: [], date: new Date() }, signal);
      assert.equal((await p.run('delta')).totals.copied, 1);
      assert.equal((await p.run('delta')).totals.copied, 0);
      const before = pim(destination).items.length;
      p.loseStore();
      const again = await p.run('full');
      assert.equal(again.items[0].status, 'Completed', JSON.stringify(again.items));
      assert.equal(pim(destination).items.length, before, 'a lost store wrote contacts, events or tasks again');
      p.close();
    });
  }

  it('an app without Contacts.Read stops the mailbox with GRAPH-403-PIM naming the permission; granted, a rerun finishes', async () => {
    const roles = [...t.app.roles];
    t.app.roles.splice(0, t.app.roles.length, ...roles.filter((r) => !r.startsWith('Contacts.') && !r.startsWith('MailboxItem.')));
    t.fake.data.saveDirectory();
    resetTokenProviders();
    const p = project('oz@contoso.test');
    const denied = await p.run('full');
    assert.equal(denied.items[0].code, 'GRAPH-403-PIM', JSON.stringify(denied.items));
    assert.match(denied.items[0].message ?? '', /contacts of ann@contoso\.test without the Contacts\.Read application permission/);
    t.app.roles.splice(0, t.app.roles.length, ...roles);
    t.fake.data.saveDirectory();
    resetTokenProviders();
    const granted = await p.run('full');
    assert.equal(granted.items[0].status, 'Completed', JSON.stringify(granted.items));
    assert.equal(pim('oz@contoso.test').items.filter((i) => i.kind === 'contact').length, pim('ann@contoso.test').items.filter((i) => i.kind === 'contact').length);
    p.close();
  });

  it('into Exchange (fake EWS): contacts from vCard, appointments from iCalendar with their zone and rule and no invitation, tasks from their properties; delta zero', async () => {
    const p = project('ann@contoso.local', true);
    const full = await p.run('full');
    assert.equal(full.items[0].status, 'Completed', JSON.stringify(full.items));
    const source = pim('ann@contoso.test').items;
    assert.equal(full.totals.copied, 3 + source.length, JSON.stringify(full.totals));
    const items = [...ews.store.itemsOf('ann@contoso.local').values()];
    const folderName = (id: string) => ews.store.folder('ann@contoso.local', id)?.displayName;
    const of = (cls: string) => items.filter((i) => i.itemClass === cls);
    assert.deepEqual(of('IPM.Contact').map((c) => folderName(c.folder)).sort(), source.filter((i) => i.kind === 'contact').map((i) => (i.containerId ? 'Suppliers' : 'Contacts')).sort());
    const erin = ews.store.mime('ann@contoso.local', of('IPM.Contact').find((c) => ews.store.mime('ann@contoso.local', c).includes('FN:Erin Park'))!).toString('utf8');
    for (const line of ['N:Park;Erin;;Dr.;', 'ORG:Contoso;Sales', 'TEL;TYPE=cell:+1 555 0101', 'ADR;TYPE=work:;;1 Main St;Springfield;IL;62701;USA', 'BDAY;VALUE=DATE:19800402', 'CATEGORIES:Customers,VIP']) assert.ok(erin.includes(line), `${line} missing from\n${erin}`);
    // Unfolded (RFC 5545 3.1: long lines continue after CRLF + space).
    const appointments = of('IPM.Appointment').map((a) => ({ in: folderName(a.folder), text: ews.store.mime('ann@contoso.local', a).toString('utf8').replace(/\r\n[ \t]/g, '') }));
    assert.equal(appointments.length, 4);
    const planning = appointments.find((a) => a.text.includes('SUMMARY:Quarterly planning'))!;
    for (const line of ['DTSTART;TZID=Eastern Standard Time:20260401T140000', 'TZID:Eastern Standard Time', 'ORGANIZER;CN=Ann:mailto:ann@contoso.test', 'ATTENDEE;CN=Bob;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED:mailto:bob@contoso.test', 'ATTENDEE;CN=Client;ROLE=OPT-PARTICIPANT;PARTSTAT=NEEDS-ACTION:mailto:client@tailspin.example', 'DESCRIPTION:Bring numbers']) assert.ok(planning.text.includes(line), `${line} missing from\n${planning.text}`);
    const weekly = appointments.find((a) => a.text.includes('SUMMARY:Weekly pipeline review'))!;
    assert.equal(weekly.in, 'Calendar');
    for (const line of ['BEGIN:VTIMEZONE', 'TZID:W. Europe Standard Time', 'DTSTART;TZID=W. Europe Standard Time:20260302T090000', 'RRULE:FREQ=WEEKLY;BYDAY=MO;UNTIL=20260629T215959Z', 'LOCATION:Room 4', 'TRIGGER:-PT10M']) assert.ok(weekly.text.includes(line), `${line} missing from\n${weekly.text}`);
    assert.equal(appointments.find((a) => a.text.includes('SUMMARY:Christmas Eve'))?.in, 'Holidays');
    assert.ok(appointments.find((a) => a.text.includes('SUMMARY:Call with Tailspin'))?.text.includes('DTSTART;TZID=America/Los_Angeles:20260315T160000'));
    assert.equal(ews.store.invitationsSent, 0, 'Exchange would have mailed invitations');
    const tasks = of('IPM.Task').map((x) => [folderName(x.folder), x.task?.status, x.task?.importance, x.task?.dueDate, x.task?.reminderDueBy, x.task?.body]);
    assert.deepEqual(tasks.sort(), [
      ['Errands', 'Completed', 'Normal', undefined, undefined, undefined],
      ['Tasks', 'InProgress', 'High', '2026-11-30T00:00:00Z', '2026-11-30T09:00:00Z', 'Before the end of the month.'],
    ]);
    assert.equal((await p.run('delta')).totals.copied, 0);
    p.close();
  });
});
