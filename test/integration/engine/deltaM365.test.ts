// Delta passes that carry every change (issue 13) with Microsoft 365 (the fake): Maildir into
// Microsoft 365 (PATCH isRead and flag, POST .../move, DELETE) and Microsoft 365 as the source
// (the folder's delta: changed messages again, the ones that left `@removed`, a moved one anew
// under a new id). Microsoft 365 rebuilds a message from its MIME, so states compare by Message-ID.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as fs from 'node:fs';
import { resetTokenProviders } from '../../../src/connectors/m365/auth/tokenProvider';
import { m365Connector } from '../../../src/connectors/m365/m365Connector';
import { startTestTenant, type TestTenant } from '../../servers/fakeM365/testTenant';
import { changeM365Source, m365Source, m365State as m365StateOf } from './m365Scenario';
import { assertSameState, childProject, inProcessProject, byMessageId, changeMaildirSource, renameInfo, expectedCounts, expectedDestination, maildirSource, maildirState, withEntries, type DeletionPolicy, type MailboxState } from './deltaScenario';

const KILLS = [['change.after#4', 'a move'], ['change.after#12', 'a flag change'], ['change.after#24', 'a deletion']] as const;
const USERS = [...KILLS.map((_, i) => `src-kill${i}`), 'dst-delete', 'dst-move', 'src-amy', 'src-kim', 'src-lou', 'dst-zed', 'dst-refuse', 'dst-user'].map((u) => `${u}@contoso.test`);
/** The Microsoft 365 source of each policy's case (Microsoft 365 -> Maildir) and its first message number. */
const SOURCES = { delete: ['src-amy@contoso.test', 8000], keep: ['src-kim@contoso.test', 8200], move: ['src-lou@contoso.test', 8400] } as const;

describe('delta carries every change with Microsoft 365 (fake)', function () {
  this.timeout(120_000);
  let t: TestTenant;
  const secrets: Record<string, string> = {};
  // Every JSON body the fake sent was held against Graph's v1.0 metadata: none deviated.
  afterEach(() => assert.deepEqual(t?.fake.graph.deviations ?? [], []));

  before(async () => {
    t = await startTestTenant(USERS);
    secrets.M365_SECRET = t.secret;
  });
  after(async () => {
    await t?.fake.close();
    resetTokenProviders();
  });

  const m365State = (user: string): MailboxState => m365StateOf(t, user);

  const project = (src: string, dst: string, source: string, destination: string, policy: DeletionPolicy) => inProcessProject({ src, dst }, { source, destination }, policy, secrets);

  for (const policy of ['delete', 'move'] as const) {
    it(`Maildir -> Microsoft 365, deletions: ${policy}: PATCH, move and ${policy === 'move' ? 'a move to Deleted Items' : 'DELETE (recoverable)'} bring the mailbox to the source`, async () => {
      const user = `dst-${policy}@contoso.test`;
      const p = project('{ type: maildir, path: ./source }', t.endpointYaml(), 'ann@contoso.example', user, policy);
      const source = maildirSource(p.dir, 'ann@contoso.example');
      assert.equal((await p.run('full')).totals.copied, 35);
      const deleted = changeMaildirSource(source, byMessageId);
      assert.equal((await p.run('delta')).totals.copied, 4);
      // delete: Graph's DELETE soft-deletes into Recoverable Items (the user can recover them), never purges; move: Deleted Items.
      const expected = withEntries(maildirState(source.box, 'maildir++', byMessageId), policy === 'move' ? 'Deleted Items' : 'Recoverable Items/Deletions', deleted);
      assertSameState(m365State(user), expected, 'Microsoft 365 after the delta');
      assert.deepEqual(p.counts(), expectedCounts(policy));
      assert.equal((await p.run('delta')).totals.copied, 0);
      assertSameState(m365State(user), expected, 'Microsoft 365 after a second delta');
      assert.deepEqual(p.counts(), expectedCounts(policy), 'a rerun adds no change');
      p.store.close();
    });
  }

  it('a change the destination refuses is recorded on its own (ENG-082), the others are carried, and Retry errors makes just it, once', async () => {
    const user = 'dst-refuse@contoso.test';
    const p = project('{ type: maildir, path: ./source }', t.endpointYaml(), 'ann@contoso.example', user, 'delete');
    const source = maildirSource(p.dir, 'ann@contoso.example');
    await p.run('full');
    const deleted = changeMaildirSource(source, byMessageId);
    // Exchange Online refuses one flag change (the item went away meanwhile) and one move (the mailbox is full).
    t.fake.faults.failMatching({ method: 'PATCH', path: /\/messages\/[^/]+$/, body: /flagStatus/ }, 1, 404);
    t.fake.faults.failMatching({ method: 'POST', path: /\/move$/ }, 1, 507);
    const delta = await p.run('delta', 'FinishedWithErrors');
    assert.equal(delta.totals.copied, 4, 'the new messages are copied, the refused move is not copied instead');
    assert.deepEqual(p.counts(), { ...expectedCounts('delete'), flags: 14, moved: 6 });
    const refused = p.report().errors.find((g) => g.code === 'ENG-082');
    assert.equal(refused?.count, 2, JSON.stringify(p.report().errors));
    assert.deepEqual(refused.examples.map((e) => /^The (\w+) change/.exec(e.message)?.[1]).sort(), ['flags', 'moved']);
    assert.ok(refused.examples.some((e) => e.message.includes('GRAPH-507')) && refused.examples.some((e) => e.message.includes('GRAPH-ITEM-GONE')), 'the destination\'s own codes are named');
    const mailbox = () => p.report().batches[0].items[0];
    assert.equal(mailbox().retryable, 2, 'Retry errors is offered for the two changes');
    assert.equal(mailbox().lastDelta?.failed, 2);
    const expected = withEntries(maildirState(source.box, 'maildir++', byMessageId), 'Recoverable Items/Deletions', deleted);
    assert.notDeepEqual(m365State(user), expected, 'two changes are missing until the retry');

    const retry = await p.run('retry');
    assert.equal(retry.totals.copied, 0, 'nothing copied by the retry');
    assertSameState(m365State(user), expected, 'Microsoft 365 after Retry errors');
    assert.deepEqual(p.counts(), expectedCounts('delete'));
    assert.equal(p.report().errors.length, 0, 'the errors are closed');
    assert.equal(mailbox().lastDelta?.failed, 0);
    assert.equal((await p.run('delta')).totals.copied, 0);
    assert.deepEqual(p.counts(), expectedCounts('delete'), 'a later delta makes no change twice');
    assertSameState(m365State(user), expected, 'Microsoft 365 after another delta');
    p.store.close();
  });

  for (const policy of ['delete', 'keep', 'move'] as const) {
    it(`Microsoft 365 -> Maildir, deletions: ${policy}: read, flagged, moved, deleted and new messages arrive as at the source; a rerun changes nothing`, async () => {
      const [user, base] = SOURCES[policy];
      const source = await m365Source(t, user, base);
      const p = project(t.endpointYaml(), '{ type: maildir, path: ./destination, layout: fs }', user, 'zed@fabrikam.example', policy);
      assert.equal((await p.run('full')).totals.copied, 35);
      const deleted = await changeM365Source(source);
      assert.equal((await p.run('delta')).totals.copied, 4, 'only the new messages are copied');
      // What Outlook shows: the deleted messages wait in Recoverable Items, which no listing of folders reaches.
      const shown = m365State(user);
      assert.equal(shown.get('Recoverable Items/Deletions')?.length, 3);
      shown.delete('Recoverable Items/Deletions');
      const expected = expectedDestination(shown, deleted, policy, 'Deleted Items');
      const destination = () => maildirState(path.join(p.dir, 'destination', 'zed@fabrikam.example'), 'fs', byMessageId);
      assertSameState(destination(), expected, 'Maildir after the delta');
      assert.deepEqual(p.counts(), expectedCounts(policy));
      assert.equal((await p.run('delta')).totals.copied, 0);
      assertSameState(destination(), expected, 'Maildir after a second delta');
      assert.deepEqual(p.counts(), expectedCounts(policy), 'a rerun adds no change');
      await source.writer.close();
      p.store.close();
    });
  }

  KILLS.forEach(([hold, what], i) => {
    it(`Microsoft 365 -> Maildir: kill -9 after ${what} reached the destination and before it was recorded, then a rerun: the same end state, each change counted once`, async () => {
      const user = `src-kill${i}@contoso.test`;
      const source = await m365Source(t, user, 8600 + 100 * i);
      const p = childProject({ src: t.endpointYaml('M365'), dst: '{ type: maildir, path: ./destination, layout: fs }' }, { source: user, destination: 'zed@fabrikam.example' }, 'move', { ...process.env, FERRY_SECRET_M365: t.secret, NODE_EXTRA_CA_CERTS: t.fake.caPath });
      assert.equal((await p.run('full')).totals.copied, 35);
      const deleted = await changeM365Source(source);
      await p.killDeltaAt(hold);
      assert.equal((await p.run('delta')).totals.copied, 4, 'nothing copied again');
      const shown = m365State(user);
      shown.delete('Recoverable Items/Deletions');
      assertSameState(maildirState(path.join(p.dir, 'destination', 'zed@fabrikam.example'), 'fs', byMessageId), expectedDestination(shown, deleted, 'move', 'Deleted Items'), 'Maildir after the rerun');
      assert.deepEqual(await p.counts(), expectedCounts('move'));
      await source.writer.close();
    });
  });

  it('a flag the user set in Microsoft 365 after the copy is left alone and reported once (ENG-081); the source\'s read state is not carried over it', async () => {
    const user = 'dst-user@contoso.test';
    const p = project('{ type: maildir, path: ./source }', t.endpointYaml(), 'ann@contoso.example', user, 'delete');
    const source = maildirSource(p.dir, 'ann@contoso.example');
    await p.run('full');
    // The user flags the copy of the first Inbox message in Outlook (through Graph); at the source the same message is read.
    const messageId = byMessageId(fs.readFileSync(source.inbox[0]));
    const box = t.fake.data.mailbox(t.fake.data.findUser(t.tenant, user)!.id);
    const copy = () => box.messages.find((m) => m.internetMessageId === messageId)!;
    const outlook = await m365Connector.openDestination(t.request(user));
    await outlook.setFlags!(await outlook.ensureFolder(['INBOX'], 'inbox'), copy().id, ['\\Flagged'], new AbortController().signal);
    await outlook.close();
    renameInfo(source.inbox[0], 'S');
    await p.run('delta');
    assert.deepEqual([copy().flagStatus, copy().isRead], ['flagged', false], "the user's flag stays, the source's read state is not carried");
    assert.equal(p.counts()['conflict-left'], 1);
    assert.equal(p.counts().flags, 0);
    await p.run('delta');
    assert.equal(p.counts()['conflict-left'], 1, 'reported once');
    p.store.close();
  });
});
