// IMAP batch writes (writeItems: one MULTIAPPEND) against a real Dovecot: every message lands with
// its bytes, flags, keywords and internal date; the ids from APPENDUID name the right messages in
// order; large (synchronising literal) and NUL-carrying (literal8) messages go in the same command;
// a refused batch stores nothing.
import * as assert from 'node:assert/strict';
import { imapConnector } from '../../../src/connectors/imap/imapConnector';
import { ImapDestination } from '../../../src/connectors/imap/imapDestination';
import { ConnectorError, type DestinationMailbox, type ItemContent } from '../../../src/connectors/types';
import { startDovecot, type DovecotServer } from '../../servers/dovecot';
import { connectAs } from '../../servers/dovecotSeed';
import { malformedMessage, plainMessage, sampleMessages } from '../../servers/testMessages';
import { imapRequest } from '../../unit/connectors/connectorHarness';

const signal = new AbortController().signal;
const KB = 1024;

describe('connectors: imap batch writes (MULTIAPPEND, Dovecot)', function () {
  this.timeout(30_000);
  let server: DovecotServer;
  const open: DestinationMailbox[] = [];
  const destination = async (user: string) => {
    const d = await imapConnector.openDestination(imapRequest('127.0.0.1', server.port, user, { username: user, password: { secret: 'PW' } }, { PW: `${user}-pw` }));
    open.push(d);
    return d;
  };
  /** Every message of a folder: uid, flags (without \Recent), internal date, bytes. */
  const fetchAll = async (user: string, folder: string) => {
    const client = await connectAs(server, user);
    try {
      await client.mailboxOpen(folder, { readOnly: true });
      if (!client.mailbox || client.mailbox.exists === 0) return [];
      const uidValidity = client.mailbox.uidValidity;
      const messages = await client.fetchAll('1:*', { uid: true, flags: true, internalDate: true, source: true });
      return messages.map((m) => ({ id: `${uidValidity}:${m.uid}`, flags: [...(m.flags ?? [])].filter((f) => f !== '\\Recent').sort(), date: m.internalDate as Date, source: m.source! }));
    } finally {
      await client.logout();
    }
  };

  before(async () => {
    server = await startDovecot({
      users: [
        { user: 'carol', password: 'carol-pw' },
        { user: 'dave', password: 'dave-pw' },
        { user: 'frank', password: 'frank-pw', quotaBytes: 64 * KB },
      ],
    });
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((m) => m.close()));
  });
  after(async () => {
    await server?.stop();
  });

  it('is offered on Dovecot (MULTIAPPEND + UIDPLUS) and stores a batch with ids in order, flags, keywords and dates', async () => {
    const d = await destination('carol');
    assert.ok(d instanceof ImapDestination && typeof d.writeItems === 'function');
    const folder = await d.ensureFolder(['Projets', 'Été 2026'], undefined);
    const big = plainMessage(900, { body: 'x'.repeat(300 * KB) });
    const withNul = { ...plainMessage(901), raw: Buffer.concat([plainMessage(901).raw, Buffer.from([0x41, 0x00, 0x42, 0x0d, 0x0a])]) };
    const shapes = [...sampleMessages(), big, withNul];
    const contents: ItemContent[] = shapes.map((m, i) => ({ format: 'rfc822', data: m.raw, flags: i === 0 ? ['\\Seen', '\\Flagged', '$Forwarded', '\\Recent'] : m.flags, date: m.date }));
    const written = await d.writeItems!(folder, contents, signal);
    assert.equal(written.length, contents.length);
    const stored = new Map((await fetchAll('carol', 'Projets/Été 2026')).map((m) => [m.id, m]));
    assert.equal(stored.size, contents.length);
    contents.forEach((c, i) => {
      const m = stored.get(written[i].id);
      assert.ok(m, `id ${written[i].id} of message ${i} exists`);
      // Dovecot serves bare LF as CRLF, and a NUL (accepted through literal8) as 0x80 in BODY[].
      const expected = i === 4 ? malformedMessage().raw.toString('latin1').replace(/\r?\n/g, '\r\n') : c.data.toString('latin1').replace(/\0/g, '\x80');
      assert.equal(m.source.toString('latin1'), expected, `message ${i} (${shapes[i].kind}) byte for byte, modulo CRLF`);
      assert.deepEqual(m.flags, c.flags.filter((f) => f !== '\\Recent').sort(), `message ${i} flags`);
      assert.equal(m.date.getTime(), c.date.getTime(), `message ${i} internal date`);
    });
  });

  it('appends batch after batch into a folder that already holds mail', async () => {
    const d = await destination('dave');
    const inbox = await d.ensureFolder(['INBOX'], 'inbox');
    const batch = (from: number) => Array.from({ length: 40 }, (_, i) => plainMessage(from + i)).map((m) => ({ format: 'rfc822' as const, data: m.raw, flags: ['\\Seen'], date: m.date }));
    const first = await d.writeItem(inbox, batch(1)[0], signal);
    const a = await d.writeItems!(inbox, batch(100), signal);
    const b = await d.writeItems!(inbox, batch(200), signal);
    const ids = [first.id, ...a.map((w) => w.id), ...b.map((w) => w.id)];
    assert.equal(new Set(ids).size, 81);
    const stored = await fetchAll('dave', 'INBOX');
    assert.deepEqual(stored.map((m) => m.id), ids);
    assert.match(stored[80].source.toString(), /Subject: Plain message 239/);
  });

  it('a batch the server refuses stores nothing (all or nothing) and fails with a catalog code', async () => {
    const d = await destination('frank');
    const inbox = await d.ensureFolder(['INBOX'], 'inbox');
    // 30 KB each against a 64 KB quota: the third message would not fit, so the batch does not either.
    const contents = [1, 2, 3].map((n) => plainMessage(n, { body: 'q'.repeat(30 * KB) })).map((m) => ({ format: 'rfc822' as const, data: m.raw, flags: [], date: m.date }));
    await assert.rejects(d.writeItems!(inbox, contents, signal), (e: unknown) => e instanceof ConnectorError && e.code === 'IMAP-QUOTA');
    assert.equal((await fetchAll('frank', 'INBOX')).length, 0);
    // One at a time the first two fit.
    await d.writeItems!(inbox, contents.slice(0, 2), signal);
    assert.equal((await fetchAll('frank', 'INBOX')).length, 2);
  });
});
