// The IMAP source's lean body reader (src/connectors/imap/lean/) against Dovecot: for a mailbox of
// mixed sizes (small, 8-bit, bare LF, 1.5 and 3.5 MB) it gives the same bytes, flags and internal
// dates as the imapflow path (FERRY_IMAP_LEAN_FETCH=off), on a connection of its own; a message
// expunged between listing and reading is IMAP-ITEM-GONE whether or not the reader's connection
// had the folder open already; a connection cut with FETCHes in flight is a transient disconnect,
// and the retried reads give every message. (kill -9 mid-pass with bodies in flight, then a rerun,
// is killNineImap.test.ts: exactly once, with this reader.)
import * as assert from 'node:assert/strict';
import { ConnectorError, type FolderInfo, type ItemContent, type ItemRef, type SourceMailbox } from '../../../src/connectors/types';
import { startDovecot, type DovecotServer } from '../../servers/dovecot';
import { connectAs, seedMessages, type SeedMessage } from '../../servers/dovecotSeed';
import { largeAttachmentMessage } from '../../servers/realWorldMessages';
import { startTcpProxy, type TcpProxy } from '../../servers/tcpProxy';
import { plainMessage, sampleMessages } from '../../servers/testMessages';
import { imapSides } from '../../unit/connectors/connectorHarness';

const signal = new AbortController().signal;

/** Small, odd and large messages with assorted flags and dates, in an order that mixes the sizes. */
function mixedMailbox(): SeedMessage[] {
  const eightBit = plainMessage(900, { body: 'Grüße aus Köln, ça va? \u00ff\u00e9\r\nLigne 2 avec des accents: àéîõü' });
  const odd = [...sampleMessages(), eightBit];
  const large = [largeAttachmentMessage(901, 1_500_000), largeAttachmentMessage(902, 3_500_000)];
  const small = Array.from({ length: 150 }, (_, i) => plainMessage(i + 1, { body: `Body ${i + 1}. ${'lorem ipsum '.repeat(i % 40)}` }));
  const all = [...small.slice(0, 60), large[0], ...odd, ...small.slice(60, 120), large[1], ...small.slice(120)];
  const flagSets = [[], ['\\Seen'], ['\\Seen', '\\Flagged'], ['\\Answered', '$Forwarded'], ['\\Draft', 'Project_X']];
  return all.map((m, i) => ({ raw: m.raw, flags: flagSets[i % flagSets.length], date: new Date(Date.UTC(2020, i % 12, 1 + (i % 27), i % 24, i % 60, 7)) }));
}

interface Read {
  content?: ItemContent;
  outcome: string;
}

/** Reads every item as the engine does: a transient failure is retried (once), anything else is the outcome. */
async function readAll(source: SourceMailbox, folder: FolderInfo, items: readonly ItemRef[]): Promise<Read[]> {
  const out: Read[] = [];
  for (const ref of items) {
    let read: Read | undefined;
    for (let attempt = 1; !read; attempt++) {
      try {
        read = { content: await source.readItem(folder, ref, signal), outcome: attempt === 1 ? 'ok' : 'ok after a retry' };
      } catch (error) {
        assert.ok(error instanceof ConnectorError, String(error));
        if (error.disposition !== 'transient' || attempt === 2) read = { outcome: `${error.code}/${error.disposition}` };
        else out.push({ outcome: `${error.code}/${error.disposition}` });
      }
    }
    out.push(read);
  }
  return out;
}

describe('connectors: imap source, lean body FETCH (Dovecot)', function () {
  this.timeout(120_000);
  let server: DovecotServer;
  let proxy: TcpProxy;
  const { open, source } = imapSides(() => proxy.port);
  let reference: Read[];

  /** A source through imapflow alone (the path before the lean reader). */
  const imapflowSource = async (user = 'alice', password = 'alice-pw') => {
    process.env.FERRY_IMAP_LEAN_FETCH = 'off';
    try {
      return await source(user, password);
    } finally {
      delete process.env.FERRY_IMAP_LEAN_FETCH;
    }
  };
  const folderOf = async (s: SourceMailbox, id: string) => (await s.listFolders()).find((f) => f.id === id)!;

  before(async () => {
    server = await startDovecot({ users: [{ user: 'alice', password: 'alice-pw' }] });
    proxy = await startTcpProxy({ host: server.host, port: server.port });
    await seedMessages(server, 'alice', 'Mixed', mixedMailbox());
    const s = await imapflowSource();
    const folder = await folderOf(s, 'Mixed');
    reference = await readAll(s, folder, (await s.listItems(folder, undefined, signal)).items);
    await s.close();
    open.splice(0);
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((m) => m.close()));
  });
  after(async () => {
    await proxy?.close();
    await server?.stop();
  });

  it('gives the bytes, flags and internal dates the imapflow path gives, on a second connection', async () => {
    assert.equal(reference.length, 150 + 2 + sampleMessages().length + 1);
    assert.ok(reference.every((r) => r.outcome === 'ok'));
    const logins = proxy.count(/^\S+ (LOGIN|AUTHENTICATE) /i);
    const s = await source();
    const folder = await folderOf(s, 'Mixed');
    const read = await readAll(s, folder, (await s.listItems(folder, undefined, signal)).items);
    assert.equal(proxy.count(/^\S+ (LOGIN|AUTHENTICATE) /i) - logins, 2, "imapflow's connection and the lean reader's");
    assert.deepEqual(read.map((r) => r.outcome), reference.map(() => 'ok'));
    for (let i = 0; i < read.length; i++) {
      const [a, b] = [read[i].content!, reference[i].content!];
      assert.ok(a.data.equals(b.data), `message ${i}: ${a.data.length} bytes against ${b.data.length}`);
      assert.deepEqual(a.flags, b.flags, `flags of message ${i}`);
      assert.equal(a.date.getTime(), b.date.getTime(), `date of message ${i}`);
    }
    assert.ok(read.some((r) => r.content!.data.length > 3_000_000) && read.some((r) => /[\x80-\xff]/.test(r.content!.data.toString('latin1'))));
  });

  // After: the reader's connection has the folder open (EXAMINEd for the first read) when the
  // message goes, and the message is past what the first read asked ahead (LEAN_AHEAD.bytes of 4 MB messages).
  for (const when of ['before the reader opened the folder', 'after the reader opened the folder'] as const) {
    it(`a message expunged between listing and reading, ${when}, is IMAP-ITEM-GONE; the others are read`, async () => {
      const [name, count, gone, message] = when.startsWith('before') ? ['GoneBefore', 30, 20, plainMessage] : ['GoneAfter', 13, 12, (n: number) => largeAttachmentMessage(n, 3_000_000)];
      const uids = await seedMessages(server, 'alice', name, Array.from({ length: count }, (_, i) => ({ raw: message(i + 1).raw })));
      const s = await source();
      const folder = await folderOf(s, name);
      const { items } = await s.listItems(folder, undefined, signal);
      const first = when.startsWith('after') ? await readAll(s, folder, items.slice(0, 1)) : [];
      const client = await connectAs(server, 'alice');
      try {
        await client.mailboxOpen(name);
        await client.messageDelete(String(uids[gone]), { uid: true });
      } finally {
        await client.logout().catch(() => undefined);
      }
      const read = [...first, ...(await readAll(s, folder, items.slice(first.length)))];
      assert.deepEqual(
        read.map((r) => r.outcome),
        items.map((_, i) => (i === gone ? 'IMAP-ITEM-GONE/item' : 'ok')),
      );
    });
  }

  it('a connection cut with FETCHes in flight: a transient disconnect, then every message is read as the imapflow path reads it', async () => {
    const s = await source();
    const folder = await folderOf(s, 'Mixed');
    const { items } = await s.listItems(folder, undefined, signal);
    // The commands reach the server; its answers are held, then the connection is cut.
    const held = proxy.when({ match: /UID FETCH [^\r\n]*BODY\.PEEK\[\]/, action: 'deliver-hold' });
    const reading = readAll(s, folder, items);
    await held;
    proxy.release();
    const read = await reading;
    const contents = read.filter((r) => r.content);
    assert.deepEqual(read.map((r) => r.outcome).filter((o) => o !== 'ok' && o !== 'ok after a retry' && o !== 'IMAP-DISCONNECT/transient'), []);
    assert.equal(contents.length, reference.length);
    contents.forEach((r, i) => assert.ok(r.content!.data.equals(reference[i].content!.data), `message ${i}`));
  });
});
