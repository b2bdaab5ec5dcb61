// A contact or calendar item moved between folders at the source (issue 13): Graph moves no contact
// or event between folders, so into Microsoft 365 the move is a replace (the item written in its new
// folder, then the old one removed, journalled as every delta change). Exchange -> Microsoft 365:
// after a full pass the source's user moves 1 contact to another contact folder and 1 event to
// another calendar; the delta leaves each exactly once in its new folder, records the moves, and a
// second delta changes nothing. Microsoft 365 and Google sources: matched by id (below).
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { buildReport } from '../../../src/engine/report';
import { recordFromMime } from '../../servers/fakeEws/data';
import type { PimRecord } from '../../servers/fakeM365/graphPim';
import { contact, event, m365Summary } from './deltaItemsScenario';
import { inProcessProject } from './deltaScenario';
import { useEwsToM365 } from './ewsToM365Fixture';
import { ensureBuilt, ferryRun, killAtHold } from './maildirFixture';
import { m365Connector } from '../../../src/connectors/m365/m365Connector';
import { gmailEndpointYaml } from './gmailProject';
import type { DeletionPolicy } from './deltaScenario';
import { EWS_ORG, usePimFakes } from './pimFakes';

const POLICIES = ['keep', 'delete', 'move'] as const;

/** Each contact and event of a Microsoft 365 mailbox with the folder that holds it: `contact|Clients|Contact 2`. */
function placed(pim: PimRecord): string[] {
  return pim.items.filter((i) => i.kind !== 'task').map((i) => {
    if (i.kind === 'contact') return `contact|${pim.contactFolders.find((f) => f.id === i.containerId)?.displayName ?? 'Contacts'}|${String(i.body.displayName)}`;
    return `event|${pim.calendars.find((c) => c.id === i.containerId)?.name}|${String(i.body.subject)}`;
  }).sort();
}

const BEFORE = ['contact|Clients|Contact 6', 'contact|Contacts|Contact 1', 'contact|Contacts|Contact 2', 'event|Calendar|Meeting 1', 'event|Calendar|Meeting 2', 'event|Team|Meeting 6'];
const AFTER = ['contact|Clients|Contact 2', 'contact|Clients|Contact 6', 'contact|Contacts|Contact 1', 'event|Calendar|Meeting 1', 'event|Team|Meeting 2', 'event|Team|Meeting 6'];

describe('delta: a contact or event moved to another folder at the source is moved into Microsoft 365 (a replace)', function () {
  this.timeout(180_000);
  const seed = { items: [...[1, 2].map((n) => ({ folder: 'calendar', itemClass: 'IPM.Appointment', mime: event(n) })), ...[1, 2].map((n) => ({ folder: 'contacts', itemClass: 'IPM.Contact', mime: contact(n) }))] };
  const f = useEwsToM365(['src-move', 'src-kill', 'src-bad', 'src-retry', 'src-gone'], seed, ['ews-move@contoso.test', 'ews-kill@contoso.test', 'ews-bad@contoso.test', 'ews-retry@contoso.test', 'ews-gone@contoso.test']);
  const pim = (user: string) => f.pim(user);
  /** The source's user changes an item (EWS UpdateItem: same id, new content, a new change stamp). */
  const changeAtSource = (address: string, subject: string, mime: string) => {
    const { createdSeq: _c, modSeq: _m, readSeq: _r, size: _s, ...rest } = [...f.ews.store.itemsOf(address).values()].find((i) => i.subject === subject)!;
    f.ews.store.putItem(address, { ...rest, lastModifiedTime: new Date().toISOString() }, Buffer.from(mime));
  };

  async function scenario(src: string, source: string, destination: string, move: () => void | Promise<void>): Promise<void> {
    const p = inProcessProject({ src, dst: f.t.endpointYaml() }, { source, destination }, 'delete', f.secrets);
    const changes = () => buildReport(p.store, path.join(p.dir, 'p.migration.yaml'))!.changes.byItemType;
    try {
      await p.run('full');
      assert.deepEqual(placed(pim(destination)), BEFORE, 'after the full pass');
      await move();
      const delta = await p.run('delta');
      assert.equal(delta.totals.copied, 0, 'a moved item is not copied again');
      assert.equal(delta.totals.failed, 0, 'no move refused');
      assert.deepEqual(placed(pim(destination)), AFTER, 'each moved item exactly once, in its new folder');
      assert.deepEqual(changes(), { calendar: { moved: 1 }, contacts: { moved: 1 } });
      const again = await p.run('delta');
      assert.equal(again.totals.copied + again.totals.failed, 0);
      assert.deepEqual(placed(pim(destination)), AFTER, 'a second delta changes nothing');
      assert.deepEqual(changes(), { calendar: { moved: 1 }, contacts: { moved: 1 } }, 'a second delta records no change');
    } finally {
      p.store.close();
    }
  }

  /** Adds the folders Clients (with Contact 6) and Team (with Meeting 6); returns the move the user makes after the full pass. */
  function folders(address: string): () => void {
    const { ews } = f;
    const clients = ews.store.createFolder(address, ews.store.folderByDistinguished(address, 'contacts')!.id, 'Clients', 'IPF.Contact');
    const team = ews.store.createFolder(address, ews.store.folderByDistinguished(address, 'calendar')!.id, 'Team', 'IPF.Appointment');
    const add = (folder: string, itemClass: string, mime: string) => ews.store.putItem(address, recordFromMime(Buffer.from(mime), folder, { itemClass }), Buffer.from(mime));
    add(clients.id, 'IPM.Contact', contact(6));
    add(team.id, 'IPM.Appointment', event(6));
    return () => {
      // As Outlook moves an item (EWS MoveItem): deleted from its folder, created in the other with a new id.
      const items = [...ews.store.itemsOf(address).values()];
      for (const [subject, to] of [['Contact 2', clients.id], ['Meeting 2', team.id]] as const) {
        const item = items.find((i) => i.subject === subject)!;
        const mime = ews.store.mime(address, item);
        const { id: _i, createdSeq: _c, modSeq: _m, readSeq: _r, size: _s, ...rest } = item;
        ews.store.deleteItem(address, item);
        ews.store.putItem(address, { ...rest, folder: to }, mime);
      }
    };
  }

  it('Exchange -> Microsoft 365: 1 contact to another contact folder, 1 event to another calendar', async () => {
    const address = f.sources[0];
    await scenario(f.exchange(), address, 'ews-move@contoso.test', folders(address));
  });

  it('kill -9 after the moved item is written in its new folder and before the old one is removed, then a rerun: each once, in its new folder', async () => {
    const address = f.sources[1];
    const move = folders(address);
    const ferry = path.join(ensureBuilt(), 'bin', 'ferry.js');
    const p = inProcessProject({ src: f.exchange(), dst: f.t.endpointYaml() }, { source: address, destination: 'ews-kill@contoso.test' }, 'delete', f.secrets);
    p.store.close();
    const plan = path.join(p.dir, 'p.migration.yaml');
    const env = { ...process.env, FERRY_SECRET_EX_ADMIN: f.secrets.EX_ADMIN, FERRY_SECRET_M365_SECRET: f.t.secret, NODE_EXTRA_CA_CERTS: f.t.fake.caPath };
    const run = async (pass: string) => {
      const r = await ferryRun(ferry, ['run', plan, '--pass', pass, '--json'], p.dir, env);
      assert.equal(r.status, 0, r.stderr + r.stdout);
    };
    await run('full');
    move();
    await killAtHold(ferry, ['run', plan, '--pass', 'delta'], p.dir, env, 'change.after#1');
    assert.equal(f.pim('ews-kill@contoso.test').items.filter((i) => i.body.displayName === 'Contact 2' || i.body.subject === 'Meeting 2').length, 3, 'killed with one item written twice');
    await run('delta');
    assert.deepEqual(placed(f.pim('ews-kill@contoso.test')), AFTER, 'after the rerun');
    await run('delta');
    assert.deepEqual(placed(f.pim('ews-kill@contoso.test')), AFTER, 'after a second delta');
    const report = await ferryRun(ferry, ['report', plan, '--format', 'json'], p.dir, env);
    assert.deepEqual((JSON.parse(report.stdout) as { changes: { byItemType: unknown } }).changes.byItemType, { calendar: { moved: 1 }, contacts: { moved: 1 } });
  });

  it("an update Microsoft 365 refuses is that change's error (ENG-082); the mailbox's other changes go on", async () => {
    const address = f.sources[2];
    const p = inProcessProject({ src: f.exchange(), dst: f.t.endpointYaml() }, { source: address, destination: 'ews-bad@contoso.test' }, 'delete', f.secrets);
    try {
      await p.run('full');
      // Meeting 1 loses its DTSTART (Graph takes no event without a start: GRAPH-PIM-INVALID); Contact 1 gets a new number.
      changeAtSource(address, 'Meeting 1', event(1).replace(/DTSTART:.*\r\n/, ''));
      changeAtSource(address, 'Contact 1', contact(1, '+41 79 111 11 11'));
      const delta = await p.run('delta', 'FinishedWithErrors');
      assert.equal(delta.totals.errors, 1);
      const report = buildReport(p.store, path.join(p.dir, 'p.migration.yaml'))!;
      assert.deepEqual(report.errors.map((e) => [e.code, e.count]), [['ENG-082', 1]]);
      const phones = f.pim('ews-bad@contoso.test').items.filter((i) => i.kind === 'contact').map((i) => (i.body.businessPhones as string[])[0]);
      assert.ok(phones.includes('+41 79 111 11 11'), "the contact's change is carried");
      assert.deepEqual(report.changes.byItemType, { contacts: { updated: 1 } });
    } finally {
      p.store.close();
    }
  });

  it('Retry errors makes a refused update of a contact and of a calendar item again: each once, as the source has it', async () => {
    const address = f.sources[3];
    const user = 'ews-retry@contoso.test';
    const p = inProcessProject({ src: f.exchange(), dst: f.t.endpointYaml() }, { source: address, destination: user }, 'delete', f.secrets);
    try {
      await p.run('full');
      const before = m365Summary(pim(user));
      changeAtSource(address, 'Meeting 1', event(1, 25));
      changeAtSource(address, 'Contact 1', contact(1, '+41 79 111 11 11'));
      const changed = before.map((l) => l.replace('Meeting 1|2026-01-11', 'Meeting 1|2026-01-25').replace(/^contact\|Contact 1\|.*$/, 'contact|Contact 1|+41 79 111 11 11')).sort();
      assert.notDeepEqual(changed, before);
      // Exchange Online refuses both new versions once: the mailbox is over its quota (507 ErrorQuotaExceeded).
      f.t.fake.faults.failMatching({ method: 'POST', path: /\/(events|contacts)$/ }, 2, 507);
      const delta = await p.run('delta', 'FinishedWithErrors');
      assert.equal(delta.totals.errors, 2);
      const refused = p.report().errors.find((g) => g.code === 'ENG-082');
      assert.deepEqual(refused?.examples.map((e) => /^The (\w+) change/.exec(e.message)?.[1]), ['updated', 'updated'], JSON.stringify(p.report().errors));
      assert.deepEqual(m365Summary(pim(user)), before, 'nothing changed at the destination until the retry');
      assert.equal(p.report().batches[0].items[0].retryable, 2, 'Retry errors is offered for the two updates');

      const retry = await p.run('retry');
      assert.equal(retry.totals.copied, 0, 'nothing copied by the retry');
      assert.deepEqual(m365Summary(pim(user)), changed, 'each updated item once, as the source has it now');
      assert.deepEqual(p.report().errors, [], 'the errors are closed');
      assert.deepEqual(p.report().changes.byItemType, { calendar: { updated: 1 }, contacts: { updated: 1 } });
      const again = await p.run('delta');
      assert.equal(again.totals.copied + again.totals.failed, 0, 'a later delta makes no change twice');
      assert.deepEqual(m365Summary(pim(user)), changed, 'after a later delta');
      assert.deepEqual(p.report().changes.byItemType, { calendar: { updated: 1 }, contacts: { updated: 1 } });
    } finally {
      p.store.close();
    }
  });

  it('a refused update whose source item is deleted before Retry errors: the retry drops it, the next delta carries the deletion', async () => {
    const address = f.sources[4];
    const user = 'ews-gone@contoso.test';
    const p = inProcessProject({ src: f.exchange(), dst: f.t.endpointYaml() }, { source: address, destination: user }, 'delete', f.secrets);
    try {
      await p.run('full');
      const before = m365Summary(pim(user));
      changeAtSource(address, 'Contact 1', contact(1, '+41 79 111 11 11'));
      f.t.fake.faults.failMatching({ method: 'POST', path: /\/contacts$/ }, 1, 507);
      await p.run('delta', 'FinishedWithErrors');
      const item = [...f.ews.store.itemsOf(address).values()].find((i) => i.subject === 'Contact 1')!;
      f.ews.store.deleteItem(address, item);
      await p.run('retry');
      assert.deepEqual(p.report().errors, [], 'the refused update is dropped with its error');
      assert.deepEqual(m365Summary(pim(user)), before, 'the retry writes nothing');
      await p.run('delta');
      assert.deepEqual(m365Summary(pim(user)), before.filter((l) => !l.startsWith('contact|Contact 1|')), 'the next delta carries the deletion');
    } finally {
      p.store.close();
    }
  });
});

// Sources whose ids survive a move (Graph's immutable ids, Google Calendar's event ids): the moved
// item is matched by its id, although its content changed with the move (a Graph contact's REV and
// an event's DTSTAMP follow lastModifiedDateTime, which the move sets). On the old code the item was
// copied again into its new folder, and under `keep` its old copy stayed: a duplicate.
describe('delta: a contact or event moved at a source whose ids survive a move (Microsoft 365, Google) is moved, matched by its id', function () {
  this.timeout(180_000);
  const f = usePimFakes({
    tenant: [...POLICIES.flatMap((p) => [`m365src-${p}@contoso.test`, `m365dst-${p}@contoso.test`, `gdst-${p}@contoso.test`]), 'm365src-ews@contoso.test'],
    google: POLICIES.map((p) => `gsrc-${p}@example.test`),
    ews: { users: [{ address: `dst@${EWS_ORG}`, login: 'CONTOSO\\dst', password: 'dst-Pass1' }] },
  });
  const { pim, secrets } = f;
  const signal = new AbortController().signal;

  async function scenario(src: string, source: string, destination: string, policy: DeletionPolicy, want: { before: string[]; after: string[]; changes: object }, move: () => void, dst = f.t.endpointYaml(), seen = () => placed(pim(destination))): Promise<void> {
    const p = inProcessProject({ src, dst }, { source, destination }, policy, secrets);
    const changes = () => buildReport(p.store, path.join(p.dir, 'p.migration.yaml'))!.changes.byItemType;
    try {
      await p.run('full');
      assert.deepEqual(seen(), want.before, 'after the full pass');
      move();
      const delta = await p.run('delta');
      assert.equal(delta.totals.copied, 0, 'a moved item is not copied again');
      assert.equal(delta.totals.failed, 0, 'no move refused');
      assert.deepEqual(seen(), want.after, 'each moved item exactly once, in its new folder, none in the old');
      assert.deepEqual(changes(), want.changes, 'the report counts them as moved');
      const again = await p.run('delta');
      assert.equal(again.totals.copied + again.totals.failed, 0);
      assert.deepEqual(seen(), want.after, 'a second delta changes nothing');
      assert.deepEqual(changes(), want.changes, 'a second delta records no change');
    } finally {
      p.store.close();
    }
  }

  /** Contact 1, 2 in Contacts, 6 in Clients; Meeting 1, 2 in Calendar, 6 in Team: made through the connector, as Outlook would. */
  async function seedM365(user: string): Promise<void> {
    const box = await m365Connector.openDestination(f.t.request(user));
    const put = async (folder: string, role: 'contacts' | 'calendar' | undefined, type: 'contacts' | 'calendar', data: string) =>
      box.writeItem(await box.ensureFolder([folder], role, type), { format: type === 'contacts' ? 'vcard' : 'icalendar', data: Buffer.from(data), flags: [], date: new Date('2026-01-05T10:00:00Z') }, signal);
    for (const n of [1, 2]) await put('Calendar', 'calendar', 'calendar', event(n));
    for (const n of [1, 2]) await put('Contacts', 'contacts', 'contacts', contact(n));
    await put('Clients', undefined, 'contacts', contact(6));
    await put('Team', undefined, 'calendar', event(6));
    await box.close();
  }

  /** As Outlook moves them with immutable ids: Contact 2 to Clients, Meeting 2 to Team, the same id in the other folder, modified now. */
  const moveInM365 = (source: string) => () => {
    const box = pim(source);
    const later = new Date(Date.now() + 1000).toISOString();
    const item = (name: string) => box.items.find((i) => i.body.displayName === name || i.body.subject === name)!;
    Object.assign(item('Contact 2'), { containerId: box.contactFolders.find((f) => f.displayName === 'Clients')!.id, lastModifiedDateTime: later });
    Object.assign(item('Meeting 2'), { containerId: box.calendars.find((c) => c.name === 'Team')!.id, lastModifiedDateTime: later });
  };

  for (const policy of POLICIES) {
    it(`Microsoft 365 -> Microsoft 365, deletions: ${policy}: 1 contact to another contact folder, 1 event to another calendar`, async () => {
      const source = `m365src-${policy}@contoso.test`;
      await seedM365(source);
      await scenario(f.t.endpointYaml(), source, `m365dst-${policy}@contoso.test`, policy, { before: BEFORE, after: AFTER, changes: { calendar: { moved: 1 }, contacts: { moved: 1 } } }, moveInM365(source));
    });

    it(`Google Workspace -> Microsoft 365, deletions: ${policy}: 1 event moved to another calendar (events.move)`, async () => {
      const source = `gsrc-${policy}@example.test`;
      const admin = f.google.fake.admin;
      const day = (d: number, h: number) => ({ dateTime: `2026-01-${d}T${String(h).padStart(2, '0')}:00:00Z`, timeZone: 'UTC' });
      const ids = [1, 2].map((n) => admin.addEvent(source, { summary: `Meeting ${n}`, start: day(10 + n, 9), end: day(10 + n, 10) }).id);
      const team = admin.addCalendar(source, { summary: 'Team' });
      admin.addEvent(source, { summary: 'Meeting 6', start: day(16, 9), end: day(16, 10) }, team.id);
      for (const n of [1, 2]) admin.addContact(source, { names: [{ givenName: 'Contact', familyName: String(n), displayName: `Contact ${n}` }], phoneNumbers: [{ value: `+41 44 000 00 ${10 + n}`, type: 'work' }] });
      const before = ['contact|Contacts|Contact 1', 'contact|Contacts|Contact 2', 'event|Calendar|Meeting 1', 'event|Calendar|Meeting 2', 'event|Team|Meeting 6'];
      const after = ['contact|Contacts|Contact 1', 'contact|Contacts|Contact 2', 'event|Calendar|Meeting 1', 'event|Team|Meeting 2', 'event|Team|Meeting 6'];
      await scenario(gmailEndpointYaml(f.google), source, `gdst-${policy}@contoso.test`, policy, { before, after, changes: { calendar: { moved: 1 } } }, () => void admin.moveEvent(source, ids[1], team.id));
    });
  }

  it('Microsoft 365 -> Exchange (which moves contacts and events): the moved item, its stamps changed by the move, is written anew in its new folder and the old copy removed', async () => {
    const source = 'm365src-ews@contoso.test';
    await seedM365(source);
    const address = `dst@${EWS_ORG}`;
    const seen = () => [...f.ews.store.itemsOf(address).values()].flatMap((i) => {
      const folder = f.ews.store.folder(address, i.folder);
      const kind = folder?.folderClass === 'IPF.Contact' ? 'contact' : folder?.folderClass === 'IPF.Appointment' ? 'event' : undefined;
      return kind ? [`${kind}|${folder!.displayName}|${i.subject}`] : [];
    }).sort();
    // The event is renamed with its move: the copy in its new folder must be the new version.
    const moveAndRename = () => {
      moveInM365(source)();
      const meeting = pim(source).items.find((i) => i.body.subject === 'Meeting 2')!;
      meeting.body = { ...meeting.body, subject: 'Meeting 2 (renamed)' };
    };
    const after = AFTER.map((l) => (l === 'event|Team|Meeting 2' ? 'event|Team|Meeting 2 (renamed)' : l));
    await scenario(f.t.endpointYaml(), source, address, 'keep', { before: BEFORE, after, changes: { calendar: { moved: 1 }, contacts: { moved: 1 } } }, moveAndRename, f.exchange(), seen);
  });
});
