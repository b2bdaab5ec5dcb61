// Delta into Exchange updates contacts, calendar items and tasks in place (issue 13): Microsoft 365
// (the fake Graph, read as vCard / iCalendar) -> Exchange (the fake EWS). After a full pass the
// source's user reschedules 2 events, changes 2 contacts' phones, completes 1 task, deletes 1 of
// each and adds 1 of each. Each changed item is updated with one UpdateItem (SetItemField /
// DeleteItemField of the properties that differ, AlwaysOverwrite because its ChangeKey is still the
// one Ferry's write left, SendToNone) and keeps its id; an item the user changed in the new mailbox
// is left and reported (ENG-081); a kill -9 after an update and before its record, then a rerun,
// ends the same with no duplicate. Every UpdateItem is held to Microsoft's schemas where
// ../shared has them (the fake refuses an invalid one, as Exchange does).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { resetTokenProviders } from '../../../src/connectors/m365/auth/tokenProvider';
import { createFakeEwsData, startFakeEws, type FakeEws, type FakeEwsUser } from '../../servers/fakeEws/server';
import { ewsSchemasIfPresent, validateEnvelopes } from '../../servers/fakeEws/xsd';
import { pimOf } from '../../servers/fakeM365/graphPim';
import { startTestTenant, type TestTenant } from '../../servers/fakeM365/testTenant';
import { tempDir } from '../../unit/helpers/repoRoot';
import { changeM365Source, contact, ewsIds, ewsSummary, expectedByItemType, expectedSummary, ferryChild, seedM365, UPDATED } from './deltaItemsScenario';
import { inProcessProject } from './deltaScenario';

const ORG = 'contoso.local';
const ADMIN = { address: `migadmin@${ORG}`, login: 'CONTOSO\\migadmin', password: 'Adm1n-pass', roles: ['ApplicationImpersonation'] } satisfies FakeEwsUser;
const CASES = ['delete', 'conflict', 'kill', 'props'] as const;

describe('delta updates contacts, calendar items and tasks in place on Exchange (Microsoft 365 -> Exchange, fake EWS)', function () {
  this.timeout(180_000);
  let t: TestTenant;
  let ews: FakeEws;
  let xsdDir: string | undefined;
  const answers: string[] = [];
  const secrets: Record<string, string> = { EX_ADMIN: ADMIN.password };

  before(async () => {
    t = await startTestTenant(CASES.map((c) => `src-${c}@contoso.test`), { latencyMs: 1 });
    secrets.M365_SECRET = t.secret;
    const dataDir = tempDir('ferry-delta-m365-ews');
    createFakeEwsData(dataDir, { users: [ADMIN, ...CASES.map((c) => ({ address: `dst-${c}@${ORG}`, login: `CONTOSO\\dst-${c}`, password: `dst-${c}-Pass1` }))] });
    xsdDir = ewsSchemasIfPresent();
    const tap = (a: { operation: string; body: string }) => void (['GetItem', 'UpdateItem'].includes(a.operation) && answers.push(a.body));
    ews = await startFakeEws({ dataDir, ...(xsdDir ? { requestSchemas: { xsdDir, operations: ['UpdateItem', 'DeleteItem'] }, onEwsResponse: tap } : {}) });
  });
  after(async () => {
    // Where ../shared has the schemas, the updates were held to them.
    if (xsdDir && ews) console.log(`      UpdateItem / DeleteItem requests validated against messages.xsd: ${ews.requestChecks().validated}`);
    await ews?.close();
    await t?.fake.close();
    resetTokenProviders();
  });
  afterEach(() => {
    assert.deepEqual(ews.requestChecks().refused, [], 'every request valid against the schemas');
    // The answers too: GetItem with the contact and calendar fields, UpdateItem.
    const dir = tempDir('ferry-ews-answers');
    const files = answers.splice(0).map((body, i) => {
      const file = path.join(dir, `${i}.xml`);
      fs.writeFileSync(file, body);
      return file;
    });
    if (xsdDir && files.length) assert.deepEqual(validateEnvelopes(xsdDir, files).errors, [], 'every GetItem and UpdateItem answer valid against the schemas');
    assert.deepEqual(t.fake.graph.deviations, []);
  });

  const pim = (user: string) => pimOf(t.fake.data.mailbox(t.fake.data.findUser(t.tenant, user)!.id));
  const exchange = `{ type: exchange, url: '${'EWS_URL'}', auth: { username: 'CONTOSO\\migadmin', password: { secret: EX_ADMIN } } }`;
  const project = (c: (typeof CASES)[number]) => inProcessProject({ src: t.endpointYaml(), dst: exchange.replace('EWS_URL', ews.ewsUrl) }, { source: `src-${c}@contoso.test`, destination: `dst-${c}@${ORG}` }, 'delete', secrets);
  const change = async (source: string) => {
    changeM365Source(pim(source));
    await seedM365(t, source, [5]);
  };

  it('rescheduled, changed and completed items are updated in place (same ids), deleted and new ones follow; a second delta changes nothing', async () => {
    const source = 'src-delete@contoso.test';
    const dst = `dst-delete@${ORG}`;
    await seedM365(t, source);
    const p = project('delete');
    try {
      await p.run('full');
      const ids = ewsIds(ews, dst, UPDATED);
      assert.ok(ids.every((id) => id !== undefined), 'the items are copied');
      await change(source);
      const before = { ...ews.stats().operations };
      assert.equal((await p.run('delta')).totals.copied, 3, 'the 3 new items are copied');
      const ops = Object.entries(ews.stats().operations).map(([op, n]) => [op, n - (before[op] ?? 0)] as const).filter(([, n]) => n > 0);
      console.log(`      EWS requests of the delta (5 updated in place, 3 deleted, 3 new): ${ops.map(([op, n]) => `${op} ${n}`).join(', ')}`);
      assert.deepEqual(ewsSummary(ews, dst), expectedSummary('delete'), 'destination after the delta');
      assert.deepEqual(ewsIds(ews, dst, UPDATED), ids, 'each changed item keeps its id');
      assert.deepEqual(p.report().changes.byItemType, expectedByItemType('delete'));
      assert.equal(ews.store.invitationsSent, 0, 'a migration invites nobody');
      assert.equal((await p.run('delta')).totals.copied, 0);
      assert.deepEqual(ewsSummary(ews, dst), expectedSummary('delete'), 'destination after a second delta');
      assert.deepEqual(p.report().changes.byItemType, expectedByItemType('delete'), 'a second delta adds no change');
    } finally {
      p.store.close();
    }
  });

  it('a contact the user changed in the new mailbox is left as the user left it and reported (ENG-081); the others are updated', async () => {
    const source = 'src-conflict@contoso.test';
    const dst = `dst-conflict@${ORG}`;
    await seedM365(t, source);
    const p = project('conflict');
    try {
      await p.run('full');
      const ids = ewsIds(ews, dst, UPDATED);
      // The user gives Contact 1 another number in Outlook: Exchange gives it a new ChangeKey.
      const mine = [...ews.store.itemsOf(dst).values()].find((i) => i.subject === 'Contact 1')!;
      const { createdSeq: _c, modSeq: _m, readSeq: _r, size: _s, ...rest } = mine;
      ews.store.putItem(dst, { ...rest, lastModifiedTime: new Date().toISOString() }, Buffer.from(contact(1, '+41 44 999 99 99')));
      await change(source);
      await p.run('delta');
      const want = expectedSummary('delete').map((l) => (l.startsWith('contact|Contact 1|') ? 'contact|Contact 1|+41 44 999 99 99' : l));
      assert.deepEqual(ewsSummary(ews, dst), want, 'Contact 1 as its user left it, the rest as at the source');
      assert.deepEqual(ewsIds(ews, dst, UPDATED), ids);
      const byType = expectedByItemType('delete');
      assert.deepEqual(p.report().changes.byItemType, { ...byType, contacts: { updated: 1, deleted: 1, 'conflict-left': 1 } });
      await p.run('delta');
      assert.deepEqual(ewsSummary(ews, dst), want);
      assert.deepEqual(p.report().changes.byItemType, { ...byType, contacts: { updated: 1, deleted: 1, 'conflict-left': 1 } }, 'reported once');
    } finally {
      p.store.close();
    }
  });

  it('a contact\'s address and notes, an appointment\'s reminder, show-as, sensitivity, importance and attendees reach Exchange: in place where set field by field (same id), else replaced; a second delta changes nothing', async () => {
    const source = 'src-props@contoso.test';
    const dst = `dst-props@${ORG}`;
    await seedM365(t, source);
    const p = project('props');
    try {
      await p.run('full');
      const subjects = ['Contact 1', 'Contact 2', 'Contact 3', 'Meeting 1', 'Meeting 2', 'Meeting 3'];
      const ids = ewsIds(ews, dst, subjects);
      const later = new Date(Date.now() + 1000).toISOString();
      const touch = (name: string, fields: Record<string, unknown>) => {
        const item = pim(source).items.find((i) => [i.body.subject, i.body.displayName].includes(name))!;
        item.body = { ...item.body, ...fields };
        item.lastModifiedDateTime = later;
      };
      touch('Contact 1', { businessAddress: { street: '1 Quai du Mont-Blanc', city: 'Geneva', postalCode: '1201', countryOrRegion: 'Switzerland' }, personalNotes: 'Gate code 4711' });
      touch('Contact 2', { businessPhones: ['+41 79 222 22 22'] });
      touch('Contact 3', { personalNotes: 'Prefers calls after 10' });
      touch('Meeting 1', { isReminderOn: true, reminderMinutesBeforeStart: 30, showAs: 'oof' });
      touch('Meeting 3', { sensitivity: 'private', importance: 'high' });
      touch('Meeting 2', { attendees: [{ emailAddress: { address: 'bob@contoso.test', name: 'Bob' }, type: 'required', status: { response: 'accepted' } }] });
      await p.run('delta');
      const mime = (subject: string) => ews.store.mime(dst, [...ews.store.itemsOf(dst).values()].find((i) => i.subject === subject && ews.store.folder(dst, i.folder)?.distinguished !== 'recoverableitemsdeletions')!).toString().replace(/\r\n[ \t]/g, '');
      assert.match(mime('Contact 1'), /^ADR[^:\n]*:;;1 Quai du Mont-Blanc;Geneva;;1201;Switzerland$/im, 'the address');
      assert.match(mime('Contact 1'), /^NOTE:Gate code 4711$/m, 'the notes');
      assert.match(mime('Contact 2'), /^TEL[^:\n]*:\+41 79 222 22 22$/m, 'the phone');
      assert.match(mime('Contact 3'), /^NOTE:Prefers calls after 10$/m, 'the notes alone');
      assert.match(mime('Meeting 1'), /^TRIGGER:-PT30M$/m, 'the reminder');
      assert.match(mime('Meeting 1'), /^X-MICROSOFT-CDO-BUSYSTATUS:OOF$/m, 'show-as');
      assert.match(mime('Meeting 3'), /^CLASS:PRIVATE$/m, 'the sensitivity');
      assert.match(mime('Meeting 3'), /^PRIORITY:1$/m, 'the importance');
      assert.match(mime('Meeting 2'), /^ATTENDEE;.*PARTSTAT=ACCEPTED.*:mailto:bob@contoso\.test$/m, 'the attendee and the answer');
      const after = ewsIds(ews, dst, subjects);
      // The attendees (Meeting 2) are not set field by field: that one is replaced.
      assert.deepEqual(after.map((id, i) => id === ids[i]), [true, true, true, true, false, true], 'set in place: same id; otherwise replaced');
      assert.deepEqual(p.report().changes.byItemType, { calendar: { updated: 3 }, contacts: { updated: 3 } });
      const state = [...ews.store.itemsOf(dst).values()].map((i) => `${i.id}|${i.subject}|${ews.store.mime(dst, i).toString()}`).sort();
      await p.run('delta');
      assert.deepEqual([...ews.store.itemsOf(dst).values()].map((i) => `${i.id}|${i.subject}|${ews.store.mime(dst, i).toString()}`).sort(), state, 'a second delta changes nothing');
      assert.deepEqual(p.report().changes.byItemType, { calendar: { updated: 3 }, contacts: { updated: 3 } }, 'a second delta adds no change');
    } finally {
      p.store.close();
    }
  });

  it('kill -9 after an item is updated in place and before the update is recorded, then a rerun: the same end state, ids kept, no duplicate', async () => {
    const source = 'src-kill@contoso.test';
    const dst = `dst-kill@${ORG}`;
    await seedM365(t, source);
    const p = project('kill');
    p.store.close();
    const ferry = ferryChild(path.join(p.dir, 'p.migration.yaml'), { ...process.env, FERRY_SECRET_EX_ADMIN: ADMIN.password, FERRY_SECRET_M365_SECRET: t.secret, NODE_EXTRA_CA_CERTS: t.fake.caPath });
    await ferry.run('full');
    const ids = ewsIds(ews, dst, UPDATED);
    await change(source);
    await ferry.killDeltaAt('change.after#2');
    await ferry.run('delta');
    assert.deepEqual(ewsSummary(ews, dst), expectedSummary('delete'), 'destination after the rerun');
    assert.deepEqual(ewsIds(ews, dst, UPDATED), ids, 'the same ids');
    assert.deepEqual(await ferry.byItemType(), expectedByItemType('delete'));
  });
});
