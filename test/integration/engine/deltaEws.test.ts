// Delta passes that carry every change (issue 13) with on-premises Exchange (the fake EWS):
// Exchange as the source (SyncFolderItems ReadFlagChange / Delete / Create; a move is a Delete and
// a Create with a new id) into Maildir, and Maildir into Exchange as the destination (UpdateItem
// IsRead, MoveItem, DeleteItem). Exchange keeps the read state only: flagging is not carried.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createFakeEwsData, startFakeEws, type FakeEws, type FakeEwsUser } from '../../servers/fakeEws/server';
import { requireEwsSchemas, validateEnvelopes } from '../../servers/fakeEws/xsd';
import { plainMessage } from '../../servers/testMessages';
import { tempDir } from '../../unit/helpers/repoRoot';
import { assertSameState, childProject, expectedCounts, expectedDestination, maildirKeywords, inProcessProject, changeMaildirSource, entryOf, maildirSource, maildirState, withEntries, type DeletionPolicy, type MailboxState } from './deltaScenario';

const ORG = 'contoso.local';
const ADMIN = { address: `migadmin@${ORG}`, login: 'CONTOSO\\migadmin', password: 'Adm1n-pass', roles: ['ApplicationImpersonation'] } satisfies FakeEwsUser;
const KILLS = [['change.after#4', 'a move'], ['change.after#12', 'a flag change'], ['change.after#22', 'a deletion']] as const;
const PEOPLE = [...KILLS.map((_, i) => `src-kill${i}`), 'src-cat', 'src-keep', 'src-delete', 'src-move', 'dst-keep', 'dst-delete', 'dst-move', 'dst-schema'];

/** An Exchange mailbox as the scenario's state: Inbox -> INBOX, other folders by display name; read state and follow-up flag. */
function ewsState(ews: FakeEws, address: string): MailboxState {
  const state: MailboxState = new Map();
  for (const item of ews.store.itemsOf(address).values()) {
    const folder = ews.store.folder(address, item.folder)!;
    const name = folder.distinguished === 'inbox' ? 'INBOX' : folder.displayName;
    state.set(name, [...(state.get(name) ?? []), entryOf(ews.store.mime(address, item), [...(item.messageFlags & 1 ? ['\\Seen'] : []), ...(item.flagStatus === 'Flagged' ? ['\\Flagged'] : [])])].sort());
  }
  return state;
}

/** A Maildir state as Exchange can hold it: read state and follow-up flag (entries list flags sorted, lower case). */
function readStateOnly(state: MailboxState): MailboxState {
  return new Map([...state].map(([k, v]) => [k, v.map((e) => e.replace(/\|.*$/, (f) => `|${f.slice(1).split(' ').filter((x) => x === '\\flagged' || x === '\\seen').join(' ')}`)).sort()]));
}

describe('delta carries every change with Exchange (fake EWS)', function () {
  this.timeout(120_000);
  let ews: FakeEws;
  /** Every answer the fake gave, in order (a test validates those of its own session). */
  const answers: { operation: string; status: number; body: string }[] = [];
  const secrets: Record<string, string> = { EX_ADMIN: ADMIN.password };
  const mail = (n: number, folder: string, isRead: boolean) => ({ folder, mime: plainMessage(n).raw, isRead, received: plainMessage(n).date.toISOString() });

  before(async () => {
    const dataDir = tempDir('ferry-delta-ews');
    const source = () => ({ items: [...Array.from({ length: 30 }, (_, i) => mail(5000 + i, 'inbox', false)), ...Array.from({ length: 5 }, (_, i) => mail(5100 + i, 'archive', true))] });
    createFakeEwsData(dataDir, {
      users: [ADMIN, ...PEOPLE.map((p) => ({ address: `${p}@${ORG}`, login: `CONTOSO\\${p}`, password: `${p}-Pass1` }))],
      mailboxes: { ...Object.fromEntries(KILLS.map((_, i) => [`src-kill${i}@${ORG}`, source()])), [`src-cat@${ORG}`]: source(), [`src-keep@${ORG}`]: source(), [`src-delete@${ORG}`]: source(), [`src-move@${ORG}`]: source() },
    });
    ews = await startFakeEws({ dataDir, onEwsResponse: (a) => answers.push(a) });
  });
  after(async () => {
    await ews?.close();
  });

  const exchange = () => `{ type: exchange, url: '${ews.ewsUrl}', auth: { username: 'CONTOSO\\migadmin', password: { secret: EX_ADMIN } } }`;

  const project = (src: string, dst: string, source: string, destination: string, policy: DeletionPolicy) => inProcessProject({ src, dst }, { source, destination }, policy, secrets);

  /** The scenario at a Maildir source into the Exchange mailbox `address`. */
  async function maildirToExchange(policy: DeletionPolicy, address: string): Promise<void> {
    const p = project('{ type: maildir, path: ./source }', exchange(), 'ann@contoso.example', address, policy);
    const source = maildirSource(p.dir, 'ann@contoso.example');
    assert.equal((await p.run('full')).totals.copied, 35);
    const deleted = changeMaildirSource(source);
    assert.equal((await p.run('delta')).totals.copied, 4);
    // delete: DeleteItem SoftDelete, into Recoverable Items\Deletions (the user can recover them); move: Deleted Items.
    const expected = withEntries(readStateOnly(maildirState(source.box, 'maildir++')), policy === 'move' ? 'Deleted Items' : policy === 'keep' ? 'INBOX' : 'Deletions', deleted);
    assertSameState(ewsState(ews, address), expected, 'Exchange after the delta');
    // The follow-up flag is carried too (item:Flag): 10 read, 5 flagged.
    assert.deepEqual(p.counts(), expectedCounts(policy));
    assert.equal((await p.run('delta')).totals.copied, 0);
    assertSameState(ewsState(ews, address), expected, 'Exchange after a second delta');
    assert.deepEqual(p.counts(), expectedCounts(policy));
    p.store.close();
  }

  /** Outlook's changes to the Exchange source `address`; returns the deleted items' entries. */
  function outlookChanges(address: string): string[] {
    // Outlook's changes: read 10, move 7 to Archive (a new id there), delete 3, 4 new.
    const inbox = [...ews.store.itemsOf(address).values()].filter((i) => ews.store.folder(address, i.folder)!.distinguished === 'inbox').sort((a, b) => a.id.localeCompare(b.id));
    const archive = ews.store.folderByDistinguished(address, 'archive')!;
    inbox.slice(0, 10).forEach((i) => ews.store.setRead(address, i, true));
    // Outlook flags 3 for follow-up (SyncFolderItems: Update) and 2 of the read ones (their flag read apart from the ReadFlagChange).
    for (const i of [...inbox.slice(20, 23), ...inbox.slice(0, 2)]) {
      const { createdSeq: _c, modSeq: _m, readSeq: _r, size: _s, ...rest } = ews.store.itemsOf(address).get(i.id)!;
      ews.store.putItem(address, { ...rest, flagStatus: 'Flagged' }, ews.store.mime(address, i));
    }
    for (const i of inbox.slice(10, 17)) {
      const mime = ews.store.mime(address, i);
      const { id: _id, createdSeq: _c, modSeq: _m, readSeq: _r, size: _s, ...rest } = i;
      ews.store.deleteItem(address, i);
      ews.store.putItem(address, { ...rest, folder: archive.id }, mime);
    }
    const deleted = inbox.slice(17, 20).map((i) => entryOf(ews.store.mime(address, i), []));
    inbox.slice(17, 20).forEach((i) => ews.store.deleteItem(address, i));
    const inboxId = ews.store.folderByDistinguished(address, 'inbox')!.id;
    for (let n = 0; n < 4; n++) {
      const m = plainMessage(5200 + n);
      ews.store.putItem(address, { folder: inboxId, itemClass: 'IPM.Note', subject: `new ${n}`, dateTimeReceived: m.date.toISOString(), dateTimeCreated: m.date.toISOString(), lastModifiedTime: m.date.toISOString(), messageFlags: 1, isAssociated: false, extended: [] }, m.raw);
    }
    return deleted;
  }

  for (const policy of ['keep', 'delete', 'move'] as const) {
    it(`Exchange -> Maildir, deletions: ${policy}: read, moved, deleted and new items arrive as at the source`, async () => {
      const address = `src-${policy}@${ORG}`;
      const p = project(exchange(), '{ type: maildir, path: ./destination, layout: fs }', address, `ann@fabrikam.example`, policy);
      assert.equal((await p.run('full')).totals.copied, 35);
      const deleted = outlookChanges(address);
      const delta = await p.run('delta');
      assert.equal(delta.totals.copied, 4, 'only the new items are copied');
      const expected = withEntries(readStateOnly(ewsState(ews, address)), policy === 'keep' ? 'INBOX' : 'Deleted Items', policy === 'delete' ? [] : deleted);
      const destination = () => readStateOnly(maildirState(path.join(p.dir, 'destination', 'ann@fabrikam.example'), 'fs'));
      assertSameState(destination(), expected, 'destination after the delta');
      // 10 read and 3 flagged (the 2 read ones flagged too count once each): 13 flag changes.
      const counts = { ...expectedCounts(policy), flags: 13 };
      assert.deepEqual(p.counts(), counts);
      assert.equal((await p.run('delta')).totals.copied, 0);
      assertSameState(destination(), expected, 'destination after a second delta');
      assert.deepEqual(p.counts(), counts, 'a rerun adds no change');
      p.store.close();
    });

    it(`Maildir -> Exchange, deletions: ${policy}: UpdateItem, MoveItem and DeleteItem bring Exchange to the source`, () => maildirToExchange(policy, `dst-${policy}@${ORG}`));
  }

  KILLS.forEach(([hold, what], i) => {
    it(`Exchange -> Maildir: kill -9 after ${what} reached the destination and before it was recorded, then a rerun: the same end state, each change counted once`, async () => {
      const address = `src-kill${i}@${ORG}`;
      const p = childProject({ src: exchange(), dst: '{ type: maildir, path: ./destination, layout: fs }' }, { source: address, destination: 'ann@fabrikam.example' }, 'move', { ...process.env, FERRY_SECRET_EX_ADMIN: ADMIN.password });
      assert.equal((await p.run('full')).totals.copied, 35);
      const deleted = outlookChanges(address);
      await p.killDeltaAt(hold);
      assert.equal((await p.run('delta')).totals.copied, 4, 'nothing copied again');
      const expected = expectedDestination(readStateOnly(ewsState(ews, address)), deleted, 'move', 'Deleted Items');
      assertSameState(readStateOnly(maildirState(path.join(p.dir, 'destination', 'ann@fabrikam.example'), 'fs')), expected, 'destination after the rerun');
      assert.deepEqual(await p.counts(), { ...expectedCounts('move'), flags: 13 });
    });
  });

  it('Exchange -> Maildir: categories given and taken at the source (SyncFolderItems Update) arrive as keywords (Important as $Important); a rerun changes nothing', async () => {
    const address = `src-cat@${ORG}`;
    const p = project(exchange(), '{ type: maildir, path: ./destination, layout: fs }', address, 'ann@fabrikam.example', 'keep');
    const inbox = () => [...ews.store.itemsOf(address).values()].filter((i) => ews.store.folder(address, i.folder)!.distinguished === 'inbox').sort((a, b) => a.id.localeCompare(b.id));
    const categorise = (index: number, categories: string[]) => {
      const item = inbox()[index];
      const { createdSeq: _c, modSeq: _m, readSeq: _r, size: _s, ...rest } = item;
      ews.store.putItem(address, { ...rest, categories }, ews.store.mime(address, item));
    };
    categorise(1, ['Old']);
    assert.equal((await p.run('full')).totals.copied, 35);
    // Outlook: two categories given to one message, the other's only category taken away.
    categorise(0, ['Projects', 'Important']);
    categorise(1, []);
    const keywordsOf = (index: number) => maildirKeywords(path.join(p.dir, 'destination', 'ann@fabrikam.example'), ews.store.mime(address, inbox()[index]));
    assert.deepEqual(keywordsOf(1), ['Old'], 'the first copy carries the category');
    await p.run('delta');
    assert.deepEqual([keywordsOf(0), keywordsOf(1)], [['$Important', 'Projects'], []]);
    assert.equal(p.counts().flags, 2);
    await p.run('delta');
    assert.equal(p.counts().flags, 2, 'a rerun changes nothing');
    p.store.close();
  });

  it('every answer the fake gives a delta into Exchange validates against messages.xsd/types.xsd (MoveItem, DeleteItem, UpdateItem)', async function () {
    const xsdDir = requireEwsSchemas(this);
    const from = answers.length;
    await maildirToExchange('delete', `dst-schema@${ORG}`);
    const mine = answers.slice(from);
    const dir = tempDir('ferry-delta-ews-answers');
    const files = mine.map((a, i) => {
      const file = path.join(dir, `${String(i).padStart(4, '0')}-${a.operation || 'unknown'}-${a.status}.xml`);
      fs.writeFileSync(file, a.body);
      return file;
    });
    const operations = new Set(mine.map((a) => a.operation));
    for (const op of ['MoveItem', 'DeleteItem', 'UpdateItem', 'GetItem']) assert.ok(operations.has(op), `no ${op} answer`);
    const { validated, errors } = validateEnvelopes(xsdDir, files);
    assert.deepEqual(errors, []);
    assert.equal(validated, files.length);
  });
});
