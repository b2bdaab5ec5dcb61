// An IMAP server shutting down says BYE and then answers nothing; imapflow then returns empty
// answers (FETCH without messages, APPEND without a UID, SEARCH false) instead of failing. The
// connector must read that as a lost connection to retry, never as a message deleted at the source
// or one appended but not to be found. A proxy in front of Dovecot plays the shutdown: its BYE
// arrives with a command's tagged response, so the next command meets it (no race).
import * as assert from 'node:assert/strict';
import { probeOf } from '../../../src/connectors/fingerprint';
import { ConnectorError, type DestinationMailbox, type FolderInfo, type ItemContent, type SourceMailbox } from '../../../src/connectors/types';
import { startDovecot, type DovecotServer } from '../../servers/dovecot';
import { connectAs, seedMessages } from '../../servers/dovecotSeed';
import { startTcpProxy, type TcpProxy } from '../../servers/tcpProxy';
import { plainMessage } from '../../servers/testMessages';
import { imapSides } from '../../unit/connectors/connectorHarness';

const signal = new AbortController().signal;

/** Runs `op` as the engine does: a transient error is retried (after `before`, which may find it done); anything else is the outcome. */
async function withOneRetry<T>(outcomes: string[], op: () => Promise<T>, before?: () => Promise<T | undefined>): Promise<T | undefined> {
  for (let attempt = 1; attempt <= 3; attempt++) {
    try {
      const landed = attempt > 1 && before ? await before() : undefined;
      const result = landed ?? (await op());
      outcomes.push('ok');
      return result;
    } catch (error) {
      assert.ok(error instanceof ConnectorError, String(error));
      outcomes.push(`${error.code}/${error.disposition}`);
      if (error.disposition !== 'transient') return undefined;
    }
  }
  return undefined;
}

describe('connectors: imap server shutting down (BYE)', function () {
  this.timeout(30_000);
  let server: DovecotServer;
  let proxy: TcpProxy;
  const { open, source, destination } = imapSides(() => proxy.port);

  before(async () => {
    server = await startDovecot({ users: [{ user: 'alice', password: 'alice-pw' }, { user: 'bob', password: 'bob-pw' }] });
    proxy = await startTcpProxy({ host: server.host, port: server.port });
    // Over the read-ahead's per-message bound (1 MB): each read is a FETCH of its own.
    const big = (n: number) => plainMessage(n, { body: `${n}\r\n${'x'.repeat(76)}\r\n`.repeat(15_000) });
    await seedMessages(server, 'alice', 'Shutdown', [big(1), big(2), big(3)]);
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((m) => m.close()));
  });
  after(async () => {
    await proxy?.close();
    await server?.stop();
  });

  it('source: a read after BYE is a transient disconnect, then every message is read', async () => {
    const s: SourceMailbox = await source();
    const folder = (await s.listFolders()).find((f) => f.id === 'Shutdown')!;
    const { items } = await s.listItems(folder, undefined, signal);
    assert.equal(items.length, 3);
    const outcomes: string[] = [];
    const read: ItemContent[] = [];
    let byes = 0;
    void proxy.byeWithNextResponse().then(() => byes++);
    for (const ref of items) {
      const content = await withOneRetry(outcomes, () => s.readItem(folder, ref, signal));
      if (content) read.push(content);
    }
    assert.equal(byes, 1, 'the server said BYE');
    assert.deepEqual(outcomes.filter((o) => o !== 'ok' && o !== 'IMAP-DISCONNECT/transient'), [], `outcomes: ${outcomes.join(', ')}`);
    assert.equal(read.length, 3, `outcomes: ${outcomes.join(', ')}`);
  });

  it('destination: an APPEND after BYE is a transient disconnect; the retry finds or writes it, once each', async () => {
    const d: DestinationMailbox = await destination();
    const target: FolderInfo = await d.ensureFolder(['Arrivals'], undefined);
    const contents: ItemContent[] = [4, 5, 6].map((n) => ({ format: 'rfc822', data: plainMessage(n).raw, flags: ['\\Seen'], date: plainMessage(n).date }));
    const outcomes: string[] = [];
    let byes = 0;
    void proxy.byeWithNextResponse().then(() => byes++);
    for (const content of contents) await withOneRetry(outcomes, () => d.writeItem(target, content, signal), () => d.findWritten(target, probeOf(content)));
    assert.equal(byes, 1, 'the server said BYE');
    assert.deepEqual(outcomes.filter((o) => o !== 'ok' && o !== 'IMAP-DISCONNECT/transient'), [], `outcomes: ${outcomes.join(', ')}`);
    const client = await connectAs(server, 'bob');
    try {
      const box = await client.mailboxOpen('Arrivals', { readOnly: true });
      assert.equal(box.exists, 3, `outcomes: ${outcomes.join(', ')}`);
    } finally {
      await client.logout();
    }
  });
});
