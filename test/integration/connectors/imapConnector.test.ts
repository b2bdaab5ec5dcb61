// The IMAP connector against a real Dovecot started for this suite (and stopped by its pid).
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { messageIdOf, probeOf } from '../../../src/connectors/fingerprint';
import { ConnectorError, type FolderInfo, type ItemRef, type SourceMailbox } from '../../../src/connectors/types';
import { startDovecot, type DovecotServer } from '../../servers/dovecot';
import { startTcpProxy, type TcpProxy } from '../../servers/tcpProxy';
import { connectAs, seedMessages } from '../../servers/dovecotSeed';
import { plainMessage, sampleMessages } from '../../servers/testMessages';
import { imapSides } from '../../unit/connectors/connectorHarness';

const signal = new AbortController().signal;

/** The Message-IDs of listed items, read from their content (the listing does not fetch headers). */
async function messageIds(s: SourceMailbox, folder: FolderInfo, items: readonly ItemRef[]): Promise<(string | undefined)[]> {
  const ids: (string | undefined)[] = [];
  for (const item of items) ids.push(messageIdOf((await s.readItem(folder, item, signal)).data));
  return ids;
}

describe('connectors: imap (Dovecot)', function () {
  this.timeout(20_000);
  let server: DovecotServer;
  const { open, source, destination } = imapSides(() => server.port);

  before(async () => {
    server = await startDovecot({
      users: [
        { user: 'alice', password: 'alice-pw' },
        { user: 'bob', password: 'bob-pw' },
      ],
    });
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((m) => m.close()));
  });
  after(async () => {
    await server?.stop();
  });

  /** A source logged in (as alice, or `login`) through a TCP proxy that counts the commands it sends; closed after `work`. */
  async function throughProxy(work: (s: SourceMailbox, proxy: TcpProxy) => Promise<void>, login?: [string, string]): Promise<void> {
    const proxy = await startTcpProxy({ host: '127.0.0.1', port: server.port });
    try {
      const sides = imapSides(() => proxy.port);
      const s = await (login ? sides.source(...login) : sides.source());
      try {
        await work(s, proxy);
      } finally {
        await s.close();
      }
    } finally {
      await proxy.close();
    }
  }

  it('lists folders with SPECIAL-USE roles and splits paths by the delimiter', async () => {
    await seedMessages(server, 'alice', 'Projets/Été 2026', [plainMessage(1)]);
    const folders = await (await source()).listFolders();
    const byPath = new Map(folders.map((f) => [f.path.join('/'), f]));
    assert.equal(byPath.get('INBOX')?.role, 'inbox');
    assert.equal(byPath.get('Sent')?.role, 'sent');
    assert.equal(byPath.get('Trash')?.role, 'deleted');
    assert.equal(byPath.get('Junk')?.role, 'junk');
    assert.deepEqual(byPath.get('Projets/Été 2026')?.path, ['Projets', 'Été 2026']);
    assert.equal(byPath.get('Projets/Été 2026')?.id, 'Projets/Été 2026');
    assert.equal(byPath.get('Projets/Été 2026')?.itemCount, 1);
    assert.equal(folders[0].role, 'inbox');
  });

  it('lists only new messages after the cursor, by UIDVALIDITY and last UID', async () => {
    await seedMessages(server, 'alice', 'Cursor', [plainMessage(1), plainMessage(2)]);
    const s = await source();
    const folder = (await s.listFolders()).find((f) => f.id === 'Cursor')!;
    const first = await s.listItems(folder, undefined, signal);
    assert.equal(first.items.length, 2);
    assert.deepEqual(await messageIds(s, folder, first.items), ['<plain-1@ferry.test>', '<plain-2@ferry.test>']);
    assert.equal(first.cursor.lastUid, 2);
    assert.equal((await s.listItems(folder, first.cursor, signal)).items.length, 0);
    await seedMessages(server, 'alice', 'Cursor', [plainMessage(3)]);
    const second = await s.listItems(folder, first.cursor, signal);
    assert.deepEqual(await messageIds(s, folder, second.items), ['<plain-3@ferry.test>']);
    assert.equal(second.reset, false);
    assert.equal(second.cursor.lastUid, 3);
  });

  it('a delta of an unchanged folder is one EXAMINE: no UID SEARCH (UIDNEXT says nothing is new), no second EXAMINE for its changes', async () => {
    await seedMessages(server, 'alice', 'Quiet', [plainMessage(1), plainMessage(2)]);
    await throughProxy(async (s, proxy) => {
    const folder = (await s.listFolders()).find((f) => f.id === 'Quiet')!;
    const first = await s.listItems(folder, undefined, signal);
    const searches = proxy.count(/^\S+ UID SEARCH /);
    assert.equal(searches, 1, 'the first listing searches');
    // The lock that selects the folder gives its counts: one EXAMINE, not a second for freshness.
    assert.equal(proxy.count(/^\S+ (EXAMINE|SELECT) /), 1, 'a listing selects a folder once');
    const again = await s.listItems(folder, first.cursor, signal);
    assert.deepEqual([again.items.length, again.reset, again.cursor], [0, false, first.cursor]);
    // Selected already: selected again, for its counts now.
    assert.equal(proxy.count(/^\S+ (EXAMINE|SELECT) /), 2, 'a folder selected already is examined again');
    assert.equal(proxy.count(/^\S+ UID SEARCH /), searches, 'no search when nothing is new');
    // A delta of an unchanged folder: the listing's EXAMINE answers for listChanges too.
    const examines = proxy.count(/^\S+ (EXAMINE|SELECT) /);
    assert.deepEqual(await s.listChanges!(folder, first.cursor, signal), { items: [], removed: [], complete: false });
    assert.equal(proxy.count(/^\S+ (EXAMINE|SELECT) /), examines, 'no second EXAMINE for the unchanged folder');
    // A change after that listing: the next delta (listing, then changes, same cursor) sees it.
    const client = await connectAs(server, 'alice');
    try {
      await client.mailboxOpen('Quiet');
      await client.messageFlagsAdd('1', ['\\Flagged'], { uid: true });
    } finally {
      await client.logout().catch(() => undefined);
    }
    await s.listItems(folder, first.cursor, signal);
    const uv = String(first.cursor.uidValidity);
    assert.deepEqual((await s.listChanges!(folder, first.cursor, signal)).items.map((i) => [i.id, i.flags]), [[`${uv}:1`, ['\\Flagged']]]);
    await seedMessages(server, 'alice', 'Quiet', [plainMessage(3)]);
    const third = await s.listItems(folder, first.cursor, signal);
    assert.deepEqual(await messageIds(s, folder, third.items), ['<plain-3@ferry.test>']);
    });
  });

  it('lists a folder that LIST-STATUS found empty without an EXAMINE, with the cursor an EXAMINE gives; a message come since is listed next time', async () => {
    const setup = await connectAs(server, 'alice');
    try {
      await setup.mailboxCreate('Hollow');
      await setup.mailboxCreate('Hollow2');
    } finally {
      await setup.logout().catch(() => undefined);
    }
    await throughProxy(async (s, proxy) => {
    const folders = await s.listFolders();
    const hollow = folders.find((f) => f.id === 'Hollow')!;
    const examines = proxy.count(/^\S+ (EXAMINE|SELECT) /);
    const first = await s.listItems(hollow, undefined, signal);
    assert.equal(first.items.length, 0);
    assert.equal(proxy.count(/^\S+ (EXAMINE|SELECT) /), examines, 'no EXAMINE for a folder listed empty');
    // Listed again: examined, for fresh counts; the same cursor.
    const again = await s.listItems(hollow, undefined, signal);
    assert.equal(proxy.count(/^\S+ (EXAMINE|SELECT) /), examines + 1, 'the next listing of it examines it');
    assert.deepEqual(first.cursor, again.cursor);
    assert.equal(first.cursor.lastUid, 0);
    assert.match(String(first.cursor.highestModseq), /^\d+$/);
    // A message delivered after the folders were listed: the next listing from that cursor has it.
    const hollow2 = folders.find((f) => f.id === 'Hollow2')!;
    await seedMessages(server, 'alice', 'Hollow2', [plainMessage(41)]);
    const before = await s.listItems(hollow2, undefined, signal);
    assert.equal(before.items.length, 0, 'listed as the folder list saw it');
    const after = await s.listItems(hollow2, before.cursor, signal);
    assert.deepEqual(await messageIds(s, hollow2, after.items), ['<plain-41@ferry.test>']);
    });
  });

  it('lists a large folder a window at a time: its UIDs as an ESEARCH sequence set, the attributes of 2,000 per FETCH, the same items as the whole listing', async function () {
    this.timeout(120_000);
    // Seeded through the connector's MULTIAPPEND, 100 a command (4,300 APPENDs one by one take seconds).
    const d = await destination('bob', 'bob-pw');
    const large = await d.ensureFolder(['Large'], undefined, 'mail');
    const uids: number[] = [];
    for (let first = 1; first <= 4300; first += 100) {
      const contents = Array.from({ length: 100 }, (_, i) => plainMessage(first + i)).map((m, i) => ({ format: 'rfc822' as const, data: m.raw, flags: (first + i) % 3 ? ['\\Seen'] : [], date: m.date }));
      for (const w of await d.writeItems!(large, contents, signal)) uids.push(Number(w.id.split(':')[1]));
    }
    // A hole in the UIDs: the set the server answers has two ranges.
    const client = await connectAs(server, 'bob');
    try {
      await client.mailboxOpen('Large');
      await client.messageDelete(`${uids[100]}:${uids[299]}`, { uid: true });
    } finally {
      await client.logout().catch(() => undefined);
    }
    await throughProxy(async (s, proxy) => {
    const folder = (await s.listFolders()).find((f) => f.id === 'Large')!;
    const windows = await s.listItemWindows!(folder, undefined, signal);
    assert.equal(proxy.count(/^\S+ UID SEARCH RETURN \(ALL\) /), 1, 'the UIDs come as one ESEARCH answer');
    assert.equal(windows.count, 4100);
    const fetchesBefore = proxy.count(/^\S+ UID FETCH /);
    const sizes: number[] = [];
    const listed: ItemRef[] = [];
    for (let w = await windows.next(signal); w; w = await windows.next(signal)) {
      sizes.push(w.length);
      listed.push(...w);
    }
    assert.deepEqual(sizes, [2000, 2000, 100]);
    assert.equal(proxy.count(/^\S+ UID FETCH /) - fetchesBefore, 3, 'one FETCH per window');
    const whole = await s.listItems(folder, undefined, signal);
    assert.deepEqual(listed.map((r) => [r.id, r.sizeBytes, r.date.getTime(), r.flags]), whole.items.map((r) => [r.id, r.sizeBytes, r.date.getTime(), r.flags]));
    assert.deepEqual([windows.cursor, windows.reset], [whole.cursor, whole.reset]);
    assert.equal(windows.cursor.lastUid, uids.at(-1));
    // Read-ahead finds its place in a window: the last item of a window and the first of the next are read.
    const [at1999, at2000] = [listed[1999], listed[2000]];
    assert.deepEqual(await messageIds(s, folder, [at1999, at2000]), ['<plain-2200@ferry.test>', '<plain-2201@ferry.test>']);
    }, ['bob', 'bob-pw']);
  });

  it('a delta learns expunged UIDs from VANISHED (EARLIER) with QRESYNC, not from a UID SEARCH ALL of the folder', async () => {
    await seedMessages(server, 'alice', 'Vanish', [1, 2, 3, 4, 5].map((n) => plainMessage(n)));
    const s = await source();
    const folder = (await s.listFolders()).find((f) => f.id === 'Vanish')!;
    const first = await s.listItems(folder, undefined, signal);
    assert.ok(first.cursor.highestModseq, 'Dovecot announces CONDSTORE');
    const client = await connectAs(server, 'alice');
    try {
      await client.mailboxOpen('Vanish');
      await client.messageFlagsAdd('1', ['\\Seen'], { uid: true });
      await client.messageDelete('2,4', { uid: true });
    } finally {
      await client.logout().catch(() => undefined);
    }
    const changes = await s.listChanges!(folder, first.cursor, signal);
    const uv = String(first.cursor.uidValidity);
    assert.deepEqual(changes.removed.sort(), [`${uv}:2`, `${uv}:4`]);
    assert.equal(changes.present, undefined, 'no listing of every UID');
    assert.deepEqual(changes.items.map((i) => [i.id, i.flags]), [[`${uv}:1`, ['\\Seen']]]);
    assert.equal(changes.complete, false);
  });

  it('lists the folder again from the start when UIDVALIDITY changed (reset)', async () => {
    await seedMessages(server, 'alice', 'Renumbered', [plainMessage(1)]);
    const s = await source();
    const folder = (await s.listFolders()).find((f) => f.id === 'Renumbered')!;
    const before = await s.listItems(folder, undefined, signal);
    // Renumber the folder as a restore from backup would (doveadm sets UIDVALIDITY directly), then add two messages.
    execFileSync('doveadm', ['-c', path.join(server.dir, 'dovecot.conf'), 'mailbox', 'update', '-u', 'alice', '--uid-validity', '4242', 'Renumbered'], { stdio: 'ignore' });
    await seedMessages(server, 'alice', 'Renumbered', [plainMessage(7), plainMessage(8)]);
    // Dovecot may say BYE to a session whose selected folder was renumbered: a transient disconnect the engine retries.
    const after = await s.listItems(folder, before.cursor, signal).catch((error: unknown) => {
      assert.ok(error instanceof ConnectorError && error.code === 'IMAP-DISCONNECT' && error.disposition === 'transient', String(error));
      return s.listItems(folder, before.cursor, signal);
    });
    assert.equal(after.reset, true);
    assert.notEqual(after.cursor.uidValidity, before.cursor.uidValidity);
    assert.equal(after.cursor.uidValidity, '4242');
    assert.deepEqual(await messageIds(s, folder, after.items), ['<plain-1@ferry.test>', '<plain-7@ferry.test>', '<plain-8@ferry.test>']);
  });

  it('reads bytes without setting \\Seen on the source', async () => {
    await seedMessages(server, 'alice', 'Unread', [plainMessage(1), { ...plainMessage(2), flags: ['\\Flagged'] }]);
    const s = await source();
    const folder = (await s.listFolders()).find((f) => f.id === 'Unread')!;
    for (const ref of (await s.listItems(folder, undefined, signal)).items) {
      const item = await s.readItem(folder, ref, signal);
      assert.match(item.data.toString(), /^From: Ann Sender/);
      assert.deepEqual(item.flags, ref.flags);
    }
    const client = await connectAs(server, 'alice');
    await client.mailboxOpen('Unread', { readOnly: true });
    const flags = (await client.fetchAll('1:*', { flags: true })).map((m) => [...(m.flags ?? [])].filter((f) => f !== '\\Recent').sort());
    await client.logout();
    assert.deepEqual(flags, [[], ['\\Flagged']]);
  });

  it('writes with flags, keywords and internal date, and returns the APPENDUID id', async () => {
    const d = await destination();
    const folder = await d.ensureFolder(['Входящие', 'Архив'], undefined);
    assert.equal(folder.id, 'Входящие/Архив');
    const [, , , eightBit] = sampleMessages();
    const written = await d.writeItem(folder, { format: 'rfc822', data: eightBit.raw, flags: eightBit.flags, date: eightBit.date }, signal);
    assert.match(written.id, /^\d+:1$/);
    const client = await connectAs(server, 'bob');
    await client.mailboxOpen('Входящие/Архив');
    const [message] = await client.fetchAll('1', { flags: true, internalDate: true, source: true });
    const parent = (await client.list()).find((f) => f.path === 'Входящие');
    await client.logout();
    assert.deepEqual([...(message.flags ?? [])].filter((f) => f !== '\\Recent').sort(), ['Project-X', 'Work', '\\Draft']);
    assert.equal((message.internalDate as Date).getTime(), eightBit.date.getTime());
    assert.deepEqual(message.source, eightBit.raw);
    // The parent exists only as a parent (the source had no such folder): no real folder of its own.
    assert.ok(parent && [...parent.flags].some((f) => /^\\(noselect|nonexistent)$/i.test(f)), `the parent is only a parent (${[...(parent?.flags ?? [])].join(' ')})`);
    assert.equal((await d.listFolders()).some((f) => f.id === 'Входящие'), false);
  });

  it('maps a role folder to the server special-use folder: Sent Items go into Sent', async () => {
    const d = await destination();
    assert.equal((await d.ensureFolder(['Sent Items'], 'sent')).id, 'Sent');
    assert.equal((await d.ensureFolder(['Deleted Items'], 'deleted')).id, 'Trash');
    assert.equal((await d.ensureFolder(['Inbox'], 'inbox')).id, 'INBOX');
    assert.equal((await d.ensureFolder(['Projects', 'Sent'], undefined)).id, 'Projects/Sent');
  });

  it('finds a message written before, and not a different one with the same Message-ID', async () => {
    const d = await destination();
    const folder = await d.ensureFolder(['Found'], undefined);
    const original = { format: 'rfc822' as const, data: plainMessage(42).raw, flags: [], date: plainMessage(42).date };
    const written = await d.writeItem(folder, original, signal);
    const noId = { format: 'rfc822' as const, data: plainMessage(43, { messageId: null }).raw, flags: ['\\Seen'], date: plainMessage(43).date };
    const writtenNoId = await d.writeItem(folder, noId, signal);
    const again = await destination();
    assert.deepEqual(await again.findWritten(folder, probeOf(original)), written);
    const impostor = { ...original, data: plainMessage(42, { body: 'the same Message-ID, other words' }).raw };
    assert.equal(await again.findWritten(folder, probeOf(impostor)), undefined);
    // Without a Message-ID: by internal date and size, confirmed by fingerprint (LF input, CRLF on the server).
    const lf = { ...noId, data: Buffer.from(noId.data.toString('latin1').replace(/\r\n/g, '\n'), 'latin1') };
    assert.deepEqual(await again.findWritten(folder, probeOf(lf)), writtenNoId);
    assert.equal(await again.findWritten(folder, probeOf({ ...noId, date: new Date(Date.UTC(2001, 0, 1)) })), undefined);
  });

  it('a message found again gets the flags of the source item it stands for', async () => {
    const d = await destination();
    const folder = await d.ensureFolder(['Restated'], undefined);
    const m = plainMessage(60);
    await d.writeItem(folder, { format: 'rfc822', data: m.raw, flags: ['\\Seen'], date: m.date }, signal);
    const found = await d.findWritten(folder, probeOf({ format: 'rfc822', data: m.raw, flags: ['\\Flagged', '$Forwarded', 'Work'], date: m.date }));
    assert.ok(found);
    const client = await connectAs(server, 'bob');
    await client.mailboxOpen('Restated', { readOnly: true });
    const [message] = await client.fetchAll('1', { flags: true });
    await client.logout();
    assert.deepEqual([...(message.flags ?? [])].filter((f) => f !== '\\Recent').sort(), ['$Forwarded', 'Work', '\\Flagged']);
  });

  it('identical messages: a copy that stands for another source item is passed over, with or without a Message-ID', async () => {
    const d = await destination();
    const folder = await d.ensureFolder(['Twins'], undefined);
    for (const twin of [plainMessage(50), plainMessage(51, { messageId: null })]) {
      const content = { format: 'rfc822' as const, data: twin.raw, flags: [], date: twin.date };
      const first = await d.writeItem(folder, content, signal);
      const second = await d.writeItem(folder, content, signal);
      assert.deepEqual(await d.findWritten(folder, probeOf(content), new Set([first.id])), second);
      assert.deepEqual(await d.findWritten(folder, probeOf(content), new Set([second.id])), first);
      assert.equal(await d.findWritten(folder, probeOf(content), new Set([first.id, second.id])), undefined);
    }
  });
});
