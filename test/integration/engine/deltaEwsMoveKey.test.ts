// A contact and an event moved to another folder AND edited at an Exchange source between two deltas
// (issue 13). EWS gives the moved item a new ItemId, and its edited content no longer matches the
// copy's fingerprint; its PidTagSearchKey stays (MoveItem keeps it, [MS-OXCPRPT] 2.2.1.9), and the
// EWS source lists it as the item's move key. The delta pairs "gone from Contacts" with "new in
// Clients" by that key: the new version is written in the new folder and the old copy removed
// (through the crash-safe replace), under every deletion policy: under `keep` the move is a move,
// not a deletion kept beside a new copy. A copy made with CopyItem carries its original's key, which
// stays where it was: the copy is copied as a new item, not taken for a move. On the old code the
// moved items were copied again (3 copied instead of 1), and under `keep` the old copies stayed:
// duplicates. Into Microsoft 365 (Graph moves no contact or event: a replace either way) and into
// Exchange (full fidelity, ExportItems / UploadItems).
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { openDatabase } from '../../../src/store/sqlite';
import type { FakeEws, FakeEwsUser, SeedMailbox } from '../../servers/fakeEws/server';
import type { StoredItem } from '../../servers/fakeEws/data';
import { PimText } from '../../servers/fakeEws/pimFields';
import type { PimRecord } from '../../servers/fakeM365/graphPim';
import { contact, event } from './deltaItemsScenario';
import { inProcessProject, type DeletionPolicy, type InProcessProject } from './deltaScenario';
import { EWS_ORG, usePimFakes } from './pimFakes';

const POLICIES = ['keep', 'delete', 'move'] as const;
const NEW_PHONE = '+41 79 222 22 22';

/** Contacts 1 and 2 in Contacts, 6 in Clients; Meetings 1 and 2 in Calendar, 6 in Team. */
const SEED: SeedMailbox = {
  folders: [{ path: 'contacts/Clients', folderClass: 'IPF.Contact' }, { path: 'calendar/Team', folderClass: 'IPF.Appointment' }],
  items: [
    ...[1, 2].map((n) => ({ folder: 'contacts', itemClass: 'IPM.Contact', mime: contact(n) })),
    ...[1, 2].map((n) => ({ folder: 'calendar', itemClass: 'IPM.Appointment', mime: event(n) })),
    { folder: 'contacts/Clients', itemClass: 'IPM.Contact', mime: contact(6) },
    { folder: 'calendar/Team', itemClass: 'IPM.Appointment', mime: event(6) },
  ],
};

/** What the user sees, per folder: `contact|Clients|Contact 2|<phone>`, `event|Team|Meeting 2|<day>`. */
const BEFORE = [
  'contact|Clients|Contact 6|+41 44 000 00 16', 'contact|Contacts|Contact 1|+41 44 000 00 11', 'contact|Contacts|Contact 2|+41 44 000 00 12',
  'event|Calendar|Meeting 1|2026-01-11', 'event|Calendar|Meeting 2|2026-01-12', 'event|Team|Meeting 6|2026-01-16',
];
const AFTER = [
  'contact|Clients|Contact 1|+41 44 000 00 11', 'contact|Clients|Contact 2|+41 79 222 22 22', 'contact|Clients|Contact 6|+41 44 000 00 16', 'contact|Contacts|Contact 1|+41 44 000 00 11',
  'event|Calendar|Meeting 1|2026-01-11', 'event|Team|Meeting 2|2026-01-26', 'event|Team|Meeting 6|2026-01-16',
];

/** An Exchange mailbox's contacts and calendar items as its user sees them (not what sits in Recoverable Items). */
function ewsPlaced(ews: FakeEws, address: string): string[] {
  return [...ews.store.itemsOf(address).values()].flatMap((i) => {
    const folder = ews.store.folder(address, i.folder)!;
    if (folder.folderClass !== 'IPF.Contact' && folder.folderClass !== 'IPF.Appointment') return [];
    const name = folder.folderClass === 'IPF.Contact' ? 'contact' : 'event';
    const text = new PimText(ews.store.mime(address, i), name);
    const detail = name === 'contact' ? text.get('contacts:PhoneNumber', 'BusinessPhone') : text.get('calendar:Start')?.slice(0, 10);
    return [`${name}|${folder.displayName}|${i.subject}|${detail ?? ''}`];
  }).sort();
}

/** A Microsoft 365 mailbox's contacts and events, each with the folder or calendar that holds it. */
function m365Placed(pim: PimRecord): string[] {
  return pim.items.filter((i) => i.kind !== 'task').map((i) => {
    const b = i.body as { subject?: string; start?: { dateTime?: string }; displayName?: string; businessPhones?: string[] };
    if (i.kind === 'contact') return `contact|${pim.contactFolders.find((f) => f.id === i.containerId)?.displayName ?? 'Contacts'}|${b.displayName}|${b.businessPhones?.[0] ?? ''}`;
    return `event|${pim.calendars.find((c) => c.id === i.containerId)?.name}|${b.subject}|${b.start?.dateTime?.slice(0, 10)}`;
  }).sort();
}

/**
 * The user's changes at the source, as Outlook makes them through EWS: Contact 2 moved to Clients
 * (MoveItem: a new ItemId, the same search key) and then given a new phone number; Meeting 2
 * rescheduled and then moved to Team; Contact 1 copied into Clients (CopyItem: the copy carries
 * Contact 1's search key, Contact 1 stays).
 */
function moveEditAndCopy(ews: FakeEws, address: string): void {
  const { store } = ews;
  const folder = (name: string) => store.mailbox(address)!.folders.find((f) => f.displayName === name)!.id;
  const item = (subject: string) => [...store.itemsOf(address).values()].find((i) => i.subject === subject)!;
  const edit = (i: StoredItem, mime: string) => editItem(ews, address, i, mime);
  const contact2 = item('Contact 2');
  edit(store.moveItem(address, contact2, folder('Clients')), contact(2, NEW_PHONE));
  store.moveItem(address, edit(item('Meeting 2'), event(2, 26)), folder('Team'));
  const copy = store.copyItem(address, item('Contact 1'), folder('Clients'));
  assert.equal(copy.searchKey, item('Contact 1').searchKey, 'the copy carries its original search key');
  assert.equal(item('Contact 2').searchKey, contact2.searchKey, 'the move keeps the search key');
}

/** A user's edit of an item (EWS UpdateItem: the same id and search key, new content, a new ChangeKey). */
function editItem(ews: FakeEws, address: string, item: StoredItem, mime: string): StoredItem {
  const { createdSeq: _c, modSeq: _m, readSeq: _r, size: _s, ...rest } = item;
  return ews.store.putItem(address, { ...rest, lastModifiedTime: new Date().toISOString() }, Buffer.from(mime));
}

describe('delta: a contact and an event moved and edited at an Exchange source are moved, matched by their search key', function () {
  this.timeout(180_000);
  const user = (local: string): FakeEwsUser => ({ address: `${local}@${EWS_ORG}`, login: `CONTOSO\\${local}`, password: `${local}-Pass1` });
  const sources = [...POLICIES.flatMap((p) => [`src-m365-${p}`, `src-ews-${p}`]), 'src-ews-edited', 'src-ews-older'];
  const f = usePimFakes({
    tenant: POLICIES.map((p) => `dst-${p}@contoso.test`),
    google: [],
    ews: { users: [...sources, ...POLICIES.map((p) => `dst-${p}`), 'dst-edited', 'dst-older'].map(user), mailboxes: Object.fromEntries(sources.map((s) => [`${s}@${EWS_ORG}`, SEED])) },
  });

  /** A project from `source` to `destination` (at the `dst` endpoint) for `test`, its store closed after. */
  async function withProject(policy: DeletionPolicy, source: string, destination: string, dst: string, test: (p: InProcessProject) => Promise<void>): Promise<void> {
    const p = inProcessProject({ src: f.exchange(), dst }, { source, destination }, policy, f.secrets);
    try {
      await test(p);
    } finally {
      p.store.close();
    }
  }

  function scenario(policy: DeletionPolicy, source: string, destination: string, dst: string, placed: () => string[]): Promise<void> {
    return withProject(policy, source, destination, dst, async (p) => {
      await p.run('full');
      assert.deepEqual(placed(), BEFORE, 'after the full pass');
      moveEditAndCopy(f.ews, source);
      const delta = await p.run('delta');
      const after = placed();
      assert.deepEqual(after, AFTER, `each moved item once, edited, in its new folder; none left in its old one; the copy beside the original: ${JSON.stringify(after)}`);
      assert.equal(delta.totals.copied, 1, `only the copy made at the source is copied, the moved items are not copied again: ${delta.totals.copied} copied`);
      assert.equal(delta.totals.failed, 0);
      const want = { calendar: { moved: 1 }, contacts: { moved: 1 } };
      assert.deepEqual(p.report().changes.byItemType, want, 'the report counts two moves, no deletion');
      const again = await p.run('delta');
      assert.equal(again.totals.copied + again.totals.failed, 0, 'a second delta copies nothing');
      assert.deepEqual(placed(), AFTER, 'a second delta changes nothing');
      assert.deepEqual(p.report().changes.byItemType, want, 'a second delta records no change');
    });
  }

  it('a copy its user changed at the destination is not written over: left and reported, the moved item copied into its new folder', async () => {
    const destination = `dst-edited@${EWS_ORG}`;
    await withProject('delete', `src-ews-edited@${EWS_ORG}`, destination, f.exchange(), async (p) => {
      await p.run('full');
      // The new mailbox's user gives Contact 2 a mobile number after the full pass.
      const copy = [...f.ews.store.itemsOf(destination).values()].find((i) => i.subject === 'Contact 2')!;
      editItem(f.ews, destination, copy, contact(2).replace('END:VCARD', 'TEL;TYPE=CELL:+41 76 555 55 55\r\nEND:VCARD'));
      moveEditAndCopy(f.ews, `src-ews-edited@${EWS_ORG}`);
      const delta = await p.run('delta');
      assert.equal(delta.totals.copied, 2, 'the copy made at the source, and the moved contact beside the copy its user changed');
      assert.deepEqual(ewsPlaced(f.ews, destination), [...AFTER, 'contact|Contacts|Contact 2|+41 44 000 00 12'].sort(), "the user's copy stays where the user left it");
      assert.ok(f.ews.store.mime(destination, [...f.ews.store.itemsOf(destination).values()].find((i) => i.id === copy.id)!).toString().includes('+41 76 555 55 55'), "with the user's change");
      assert.deepEqual(p.report().changes.byItemType, { calendar: { moved: 1 }, contacts: { 'conflict-left': 1 } });
      await p.run('delta');
      assert.deepEqual(p.report().changes.byItemType, { calendar: { moved: 1 }, contacts: { 'conflict-left': 1 } }, 'reported once');
    });
  });

  it('items copied before Ferry kept search keys (a store from before v12): the next delta reads their keys once, and a later move and edit is a move', async () => {
    const [source, destination] = [`src-ews-older@${EWS_ORG}`, `dst-older@${EWS_ORG}`];
    await withProject('keep', source, destination, f.exchange(), async (p) => {
      await p.run('full');
      // What the earlier version recorded: no move key on any watermark.
      const db = openDatabase(path.join(p.dir, '.ferry', 'state.db'));
      try {
        db.prepare('UPDATE watermarks SET move_key = NULL').run();
      } finally {
        db.close();
      }
      f.ews.resetStats();
      assert.equal((await p.run('delta')).totals.copied, 0);
      console.log(`      keys read for 6 items in 4 folders: ${f.ews.stats().operations.GetItem ?? 0} GetItem requests`);
      f.ews.resetStats();
      assert.equal((await p.run('delta')).totals.copied, 0);
      assert.equal(f.ews.stats().operations.GetItem ?? 0, 0, 'the keys are read once');
      moveEditAndCopy(f.ews, source);
      const delta = await p.run('delta');
      const after = ewsPlaced(f.ews, destination);
      assert.deepEqual(after, AFTER, `each moved item once, in its new folder: ${JSON.stringify(after)}`);
      assert.equal(delta.totals.copied, 1, `only the copy made at the source is copied: ${delta.totals.copied} copied`);
      assert.deepEqual(p.report().changes.byItemType, { calendar: { moved: 1 }, contacts: { moved: 1 } });
    });
  });

  for (const policy of POLICIES) {
    it(`Exchange -> Microsoft 365, deletions: ${policy}`, async () => {
      const destination = `dst-${policy}@contoso.test`;
      await scenario(policy, `src-m365-${policy}@${EWS_ORG}`, destination, f.t.endpointYaml(), () => m365Placed(f.pim(destination)));
    });

    it(`Exchange -> Exchange (full fidelity), deletions: ${policy}`, async () => {
      const destination = `dst-${policy}@${EWS_ORG}`;
      await scenario(policy, `src-ews-${policy}@${EWS_ORG}`, destination, f.exchange(), () => ewsPlaced(f.ews, destination));
      assert.deepEqual(ewsPlaced(f.ews, destination), ewsPlaced(f.ews, `src-ews-${policy}@${EWS_ORG}`), 'the destination equals the source');
    });
  }
});
