import * as assert from 'node:assert/strict';
import { existsSync, promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { maildirConnector } from '../../../src/connectors/maildir/maildirConnector';
import { probeOf } from '../../../src/connectors/fingerprint';
import { ConnectorError, type DestinationMailbox, type SourceMailbox } from '../../../src/connectors/types';
import { malformedMessage, plainMessage, sampleMessages } from '../../servers/testMessages';
import { copyMailbox, maildirRequest, snapshot } from './connectorHarness';

const signal = new AbortController().signal;

async function rejectsWith(promise: Promise<unknown>, code: string, disposition: string): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof ConnectorError, String(error));
    assert.equal(error.code, code);
    assert.equal(error.disposition, disposition);
    return true;
  });
}

describe('connectors: maildir', () => {
  let dir: string;
  const open: (SourceMailbox | DestinationMailbox)[] = [];
  const source = async (mailbox = 'ann@a.test', layout: 'maildir++' | 'fs' = 'maildir++', base = 'src') => {
    const s = await maildirConnector.openSource(maildirRequest(dir, base, mailbox, layout));
    open.push(s);
    return s;
  };
  const destination = async (mailbox = 'ann@a.test', layout: 'maildir++' | 'fs' = 'maildir++', base = 'src') => {
    const d = await maildirConnector.openDestination(maildirRequest(dir, base, mailbox, layout));
    open.push(d);
    return d;
  };

  /** A source mailbox filled through the destination side: every sample message in INBOX, nested and non-ASCII folders. */
  async function seeded(layout: 'maildir++' | 'fs' = 'maildir++'): Promise<SourceMailbox> {
    const d = await destination('ann@a.test', layout);
    for (const folderPath of [['INBOX'], ['Projets', 'Été 2026'], ['Входящие', 'Архив'], ['Sent']]) {
      const folder = await d.ensureFolder(folderPath, undefined);
      for (const m of sampleMessages()) await d.writeItem(folder, { format: 'rfc822', data: m.raw, flags: m.flags, date: m.date }, signal);
    }
    return source('ann@a.test', layout);
  }

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'ferry-maildir-'));
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((m) => m.close()));
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('fails a missing source mailbox with MAILDIR-NOT-FOUND (mailbox)', async () => {
    await rejectsWith(maildirConnector.openSource(maildirRequest(dir, 'src', 'nobody@a.test')), 'MAILDIR-NOT-FOUND', 'mailbox');
  });

  it('refuses an address that would leave the endpoint folder', async () => {
    await rejectsWith(maildirConnector.openSource(maildirRequest(dir, 'src', '../etc')), 'MAILDIR-MALFORMED-NAME', 'mailbox');
  });

  for (const layout of ['maildir++', 'fs'] as const) {
    it(`copies Maildir -> Maildir byte for byte with flags, keywords, dates and folder names (${layout})`, async () => {
      const from = await seeded(layout);
      const otherLayout = layout === 'fs' ? 'maildir++' : 'fs';
      const to = await destination('bob@b.test', otherLayout, 'dst');
      const copied = await copyMailbox(from, to);
      assert.deepEqual([...copied.entries()].sort(), [['INBOX', 5], ['Projets/Été 2026', 5], ['Sent', 5], ['Входящие/Архив', 5]], 'parents that are only parents are no folders');
      const back = await source('bob@b.test', otherLayout, 'dst');
      const [a, b] = [await snapshot(from, { exactBytes: true }), await snapshot(back, { exactBytes: true })];
      assert.deepEqual(b, a);
      const malformed = a.get('Projets/Été 2026')!.find((m) => m.content === malformedMessage().raw.toString('latin1'));
      assert.ok(malformed, 'malformed message carried byte for byte');
      const eightBit = a.get('INBOX')!.find((m) => m.flags.includes('Work'));
      assert.deepEqual(eightBit?.flags, ['Project-X', 'Work', '\\Draft']);
      assert.equal(eightBit?.date, Date.UTC(2024, 10, 1, 9, 30, 0));
    });
  }

  it('lays folders out as Dovecot does: .Parent.Child in modified UTF-7, or nested UTF-8 directories', async () => {
    const plus = await destination('a@a.test', 'maildir++');
    await plus.ensureFolder(['Projets', 'Été 2026'], undefined);
    const root = path.join(dir, 'src', 'a@a.test');
    assert.ok((await fs.stat(path.join(root, '.Projets.&AMk-t&AOk- 2026', 'cur'))).isDirectory());
    assert.ok((await fs.stat(path.join(root, '.Projets.&AMk-t&AOk- 2026', 'maildirfolder'))).isFile());
    const fsLayout = await destination('b@a.test', 'fs');
    await fsLayout.ensureFolder(['Projets', 'Été 2026'], undefined);
    assert.ok((await fs.stat(path.join(dir, 'src', 'b@a.test', 'Projets', 'Été 2026', 'new'))).isDirectory());
    // A parent that exists only as a parent is no folder of its own (Dovecot shows it \Noselect).
    assert.equal(existsSync(path.join(root, '.Projets')), false);
    assert.equal(existsSync(path.join(dir, 'src', 'b@a.test', 'Projets', 'cur')), false);
    assert.deepEqual((await fsLayout.listFolders()).map((f) => f.path.join('/')), ['INBOX', 'Projets/Été 2026']);
  });

  it('refuses names the layout cannot hold (MAILDIR-MALFORMED-NAME, item)', async () => {
    await rejectsWith((await destination('a@a.test', 'maildir++')).ensureFolder(['v1.2'], undefined), 'MAILDIR-MALFORMED-NAME', 'item');
    await rejectsWith((await destination('b@a.test', 'fs')).ensureFolder(['cur'], undefined), 'MAILDIR-MALFORMED-NAME', 'item');
  });

  it('gives folders roles by name and maps a role to the existing folder', async () => {
    const d = await destination();
    await d.ensureFolder(['Sent'], undefined);
    await d.ensureFolder(['Deleted Items'], undefined);
    const folders = await d.listFolders();
    assert.deepEqual(folders.map((f) => [f.path.join('/'), f.role]), [['INBOX', 'inbox'], ['Deleted Items', 'deleted'], ['Sent', 'sent']]);
    assert.equal((await d.ensureFolder(['Sent Items'], 'sent')).path.join('/'), 'Sent');
    assert.equal((await d.ensureFolder(['Trash'], 'deleted')).path.join('/'), 'Deleted Items');
    assert.equal((await d.ensureFolder(['Inbox'], 'inbox')).id, '.');
  });

  it('lists only what is new since the cursor, including files with the same mtime', async () => {
    const d = await destination();
    const inbox = await d.ensureFolder(['INBOX'], 'inbox');
    const when = new Date(Date.UTC(2024, 0, 1));
    await d.writeItem(inbox, { format: 'rfc822', data: plainMessage(1).raw, flags: [], date: when }, signal);
    const s = await source();
    const [folder] = await s.listFolders();
    const first = await s.listItems(folder, undefined, signal);
    assert.equal(first.items.length, 1);
    assert.equal(first.reset, false);
    assert.equal((await s.listItems(folder, first.cursor, signal)).items.length, 0);
    await d.writeItem(inbox, { format: 'rfc822', data: plainMessage(2).raw, flags: [], date: when }, signal);
    await d.writeItem(inbox, { format: 'rfc822', data: plainMessage(3).raw, flags: [], date: new Date(Date.UTC(2025, 0, 1)) }, signal);
    const second = await s.listItems(folder, first.cursor, signal);
    assert.equal(second.items.length, 2);
    assert.deepEqual(second.items.map((i) => i.date.getTime()), [when.getTime(), Date.UTC(2025, 0, 1)]);
    assert.equal((await s.listItems(folder, second.cursor, signal)).items.length, 0);
    assert.ok(JSON.stringify(second.cursor).length < 200, 'the cursor stays small');
  });

  it("a delta's listChanges takes the listing's scan: each message file is stat'ed once, and a later delta sees a flag change", async () => {
    const s = await seeded();
    const inbox = (await s.listFolders()).find((f) => f.role === 'inbox')!;
    // The module object itself (the connector calls statSync through it), to count its stats.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const fsModule = require('node:fs') as { statSync: typeof import('node:fs').statSync };
    const plainStat = fsModule.statSync;
    let stats = 0;
    fsModule.statSync = ((...args: Parameters<typeof plainStat>) => (stats++, plainStat(...args))) as typeof plainStat;
    let listing: Awaited<ReturnType<SourceMailbox['listItems']>>;
    let changes: Awaited<ReturnType<NonNullable<SourceMailbox['listChanges']>>>;
    try {
      listing = await s.listItems(inbox, undefined, signal);
      changes = await s.listChanges!(inbox, listing.cursor, signal);
    } finally {
      fsModule.statSync = plainStat;
    }
    assert.equal(listing.items.length, sampleMessages().length);
    assert.equal(stats, listing.items.length, 'one stat per message file');
    assert.deepEqual(changes.items.map((i) => [i.id, i.flags]), listing.items.map((i) => [i.id, i.flags]));
    // The next delta scans anew: a flag changed meanwhile is seen.
    const cur = path.join(dir, 'src', 'ann@a.test', 'cur');
    const [name] = (await fs.readdir(cur)).filter((n) => !n.includes(':2,') || !n.split(':2,')[1].includes('F'));
    await fs.rename(path.join(cur, name), path.join(cur, `${name.split(':2,')[0]}:2,F${name.split(':2,')[1] ?? ''}`));
    const flagged = (await s.listChanges!(inbox, listing.cursor, signal)).items.find((i) => name.startsWith(i.id));
    assert.ok(flagged?.flags.includes('\\Flagged'), JSON.stringify(flagged));
  });

  it('reads a message whose file was renamed by a flag change, and reports a deleted one as MAILDIR-ITEM-GONE', async () => {
    const d = await destination();
    const inbox = await d.ensureFolder(['INBOX'], 'inbox');
    const { id } = await d.writeItem(inbox, { format: 'rfc822', data: plainMessage(1).raw, flags: [], date: new Date() }, signal);
    const s = await source();
    const [folder] = await s.listFolders();
    const [ref] = (await s.listItems(folder, undefined, signal)).items;
    const cur = path.join(dir, 'src', 'ann@a.test', 'cur');
    await fs.rename(path.join(cur, `${id}:2,`), path.join(cur, `${id}:2,S`));
    assert.deepEqual((await s.readItem(folder, ref, signal)).flags, ['\\Seen']);
    await fs.rm(path.join(cur, `${id}:2,S`));
    await rejectsWith(s.readItem(folder, ref, signal), 'MAILDIR-ITEM-GONE', 'item');
  });

  it('reads keywords from dovecot-keywords and messages delivered into new/', async () => {
    const root = path.join(dir, 'src', 'ann@a.test');
    await Promise.all(['cur', 'new', 'tmp'].map((s) => fs.mkdir(path.join(root, s), { recursive: true })));
    await fs.writeFile(path.join(root, 'dovecot-keywords'), '0 $Forwarded\n1 Work\n');
    await fs.writeFile(path.join(root, 'cur', '1.M1P1.h,S=3:2,RSb'), 'x\n\n');
    await fs.writeFile(path.join(root, 'new', '2.M2P2.h'), 'y\n\n');
    const s = await source();
    const [inbox] = await s.listFolders();
    const items = (await s.listItems(inbox, undefined, signal)).items;
    assert.deepEqual(items.map((i) => [i.id, i.flags]).sort(), [['1.M1P1.h,S=3', ['\\Answered', '\\Seen', 'Work']], ['2.M2P2.h', []]]);
  });

  it('finds a message written before by its fingerprint, but not another with the same Message-ID', async () => {
    const d = await destination();
    const inbox = await d.ensureFolder(['INBOX'], 'inbox');
    const original = { format: 'rfc822' as const, data: plainMessage(1).raw, flags: ['\\Seen'], date: new Date() };
    const { id } = await d.writeItem(inbox, original, signal);
    const again = await destination();
    assert.deepEqual(await again.findWritten(inbox, probeOf(original)), { id });
    const impostor = { ...original, data: plainMessage(1, { body: 'other content' }).raw };
    assert.equal(await again.findWritten(inbox, probeOf(impostor)), undefined);
    // Same text with LF endings: the normalised fingerprint matches, the exact bytes do not.
    const lf = { ...original, data: Buffer.from(original.data.toString('latin1').replace(/\r\n/g, '\n'), 'latin1') };
    assert.equal(await again.findWritten(inbox, probeOf(lf)), undefined);
    const { exactHash: _ignored, ...normalisedOnly } = probeOf(lf);
    assert.deepEqual(await again.findWritten(inbox, normalisedOnly), { id });
    // A message written after the index was built is found too.
    const later = { ...original, data: plainMessage(9).raw };
    const written = await again.writeItem(inbox, later, signal);
    assert.deepEqual(await again.findWritten(inbox, probeOf(later)), written);
  });

  it('a message found again gets the flags and date of the source item it stands for', async () => {
    const d = await destination();
    const inbox = await d.ensureFolder(['INBOX'], 'inbox');
    const written = { format: 'rfc822' as const, data: plainMessage(7).raw, flags: ['\\Seen'], date: new Date(Date.UTC(2020, 0, 1)) };
    await d.writeItem(inbox, written, signal);
    const source_ = { ...written, flags: ['\\Flagged', '$Forwarded', 'Work'], date: new Date(Date.UTC(2021, 5, 6, 7, 8, 9)) };
    assert.ok(await (await destination()).findWritten(inbox, probeOf(source_)));
    const s = await source();
    const [item] = (await s.listItems((await s.listFolders())[0], undefined, signal)).items;
    assert.deepEqual([[...item.flags].sort(), item.date.getTime()], [['$Forwarded', 'Work', '\\Flagged'], source_.date.getTime()]);
  });

  it('keywords of messages written at the same time all reach dovecot-keywords', async () => {
    const d = await destination();
    const inbox = await d.ensureFolder(['INBOX'], 'inbox');
    const flags = (i: number) => ['\\Seen', `Label${i}`, ...(i % 2 ? ['$Forwarded'] : [])];
    await Promise.all(Array.from({ length: 12 }, (_, i) => d.writeItem(inbox, { format: 'rfc822', data: plainMessage(200 + i).raw, flags: flags(i), date: new Date() }, signal)));
    const s = await source();
    const items = (await s.listItems((await s.listFolders())[0], undefined, signal)).items;
    assert.equal(items.length, 12);
    assert.deepEqual(items.map((i) => [...i.flags].sort().join(' ')).sort(), Array.from({ length: 12 }, (_, i) => [...flags(i)].sort().join(' ')).sort());
  });

  it('identical messages: each found copy stands for one source item (claimed copies are passed over)', async () => {
    const d = await destination();
    const inbox = await d.ensureFolder(['INBOX'], 'inbox');
    const twin = { format: 'rfc822' as const, data: plainMessage(3).raw, flags: ['\\Seen'], date: new Date() };
    const first = await d.writeItem(inbox, twin, signal);
    const second = await d.writeItem(inbox, twin, signal);
    const again = await destination();
    assert.deepEqual(await again.findWritten(inbox, probeOf(twin), new Set([first.id])), second);
    assert.deepEqual(await again.findWritten(inbox, probeOf(twin), new Set([second.id])), first);
    assert.equal(await again.findWritten(inbox, probeOf(twin), new Set([first.id, second.id])), undefined);
  });

  it('sets the file mtime to the item date so internal dates survive', async () => {
    const d = await destination();
    const inbox = await d.ensureFolder(['INBOX'], 'inbox');
    const date = new Date(Date.UTC(2020, 4, 17, 10, 11, 12));
    const { id } = await d.writeItem(inbox, { format: 'rfc822', data: plainMessage(1).raw, flags: ['\\Flagged', '\\Seen'], date }, signal);
    const file = path.join(dir, 'src', 'ann@a.test', 'cur', `${id}:2,FS`);
    assert.equal((await fs.stat(file)).mtime.getTime(), date.getTime());
    assert.deepEqual(await fs.readdir(path.join(dir, 'src', 'ann@a.test', 'tmp')), []);
  });

  it('writes a batch: each file in cur/ with its bytes, flags and date (mtime to the millisecond), none left in tmp/', async () => {
    const d = await destination();
    const inbox = await d.ensureFolder(['INBOX'], 'inbox');
    const contents = [1, 2, 3].map((n) => ({ format: 'rfc822' as const, data: plainMessage(n).raw, flags: n === 2 ? ['\\Seen'] : [], date: new Date(Date.UTC(2021, 0, n, 8, 9, 10, 123 * n)) }));
    const written = await d.writeItems!(inbox, contents, signal);
    const box = path.join(dir, 'src', 'ann@a.test');
    for (const [i, { id }] of written.entries()) {
      const file = path.join(box, 'cur', `${id}:2,${i === 1 ? 'S' : ''}`);
      assert.deepEqual(await fs.readFile(file), contents[i]!.data);
      assert.equal((await fs.stat(file)).mtime.getTime(), contents[i]!.date.getTime());
    }
    assert.deepEqual(await fs.readdir(path.join(box, 'tmp')), []);
  });
});
