// The state folder lost (deleted, or the project moved without it) after a full IMAP -> IMAP pass:
// the next full pass must find what the destination already holds, in bulk: one listing of the
// folder and a few FETCHes per batch, not a SEARCH per message (Dovecot reads every header for a
// SEARCH HEADER: quadratic over a folder, about 4 messages a second at 20,000). Nothing is written
// twice, identical twins keep distinct copies, messages without a Message-ID are matched by size,
// date and content, and a message missing at the destination is written again.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CliIo } from '../../../src/cli/io';
import { main } from '../../../src/cli/main';
import type { PassSummary } from '../../../src/engine/summary';
import { startDovecot, type DovecotServer } from '../../servers/dovecot';
import { seedMessages } from '../../servers/dovecotSeed';
import { startTcpProxy, type TcpProxy } from '../../servers/tcpProxy';
import { plainMessage } from '../../servers/testMessages';
import { messageHashes } from './maildirFixture';

const COUNT = 300;

describe('a lost state folder: what the destination holds is found in bulk (IMAP -> IMAP)', function () {
  this.timeout(180_000);
  let server: DovecotServer;
  let proxy: TcpProxy;

  before(async () => {
    server = await startDovecot({ users: [{ user: 'src@lost.test', password: 'src-pw' }, { user: 'dst@lost.test', password: 'dst-pw' }] });
    proxy = await startTcpProxy({ host: '127.0.0.1', port: server.port });
    const messages = Array.from({ length: COUNT }, (_, i) => {
      const n = i + 1;
      // Every tenth without a Message-ID; messages 3 and 4 identical twins of message 2.
      const m = plainMessage(n <= 4 && n >= 2 ? 2 : n, { body: `Body ${n <= 4 && n >= 2 ? 2 : n}. ${'lorem ipsum '.repeat(40)}`, ...(n % 10 === 0 ? { messageId: null } : {}) });
      return { raw: m.raw, date: m.date, flags: n % 3 ? ['\\Seen'] : ['\\Seen', '\\Flagged'] };
    });
    await seedMessages(server, 'src@lost.test', 'INBOX', messages);
  });
  after(async () => {
    await proxy?.close();
    await server?.stop();
  });

  it('finds every copied message with a listing, writes only the missing ones, duplicates none', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-lost-'));
    const imap = (port: number, secret: string) => `{ type: imap, host: 127.0.0.1, port: ${port}, security: none, auth: { username: '{mailbox}', password: { secret: ${secret} } } }`;
    fs.writeFileSync(path.join(dir, 'p.migration.yaml'), `version: 1\nproject: { name: Lost }\nendpoints:\n  src: ${imap(server.port, 'SRC')}\n  dst: ${imap(proxy.port, 'DST')}\nsource: src\ndestination: dst\nbatches:\n  - name: Main\n    items:\n      - { source: src@lost.test, destination: dst@lost.test }\n`);
    const io: CliIo & { stdout: string[] } = { cwd: dir, env: { FERRY_SECRET_SRC: 'src-pw', FERRY_SECRET_DST: 'dst-pw' }, stdout: [], out: (l) => io.stdout.push(l), err: () => undefined };
    const full = async () => {
      io.stdout.length = 0;
      assert.equal(await main(['run', 'p.migration.yaml', '--pass', 'full', '--json'], io), 0);
      return JSON.parse(io.stdout.join('\n')) as PassSummary;
    };
    assert.equal((await full()).totals.copied, COUNT);
    const source = messageHashes(server.mailDir('src@lost.test'), { crlfAsLf: true });
    assert.equal(messageHashes(server.mailDir('dst@lost.test'), { crlfAsLf: true }).length, COUNT);

    // The state is lost, and five messages are gone from the destination meanwhile.
    fs.rmSync(path.join(dir, '.ferry'), { recursive: true });
    const cur = path.join(server.mailDir('dst@lost.test'), 'cur');
    const removed = fs.readdirSync(cur).sort().slice(100, 105);
    assert.equal(removed.length, 5);
    for (const f of removed) fs.rmSync(path.join(cur, f));
    assert.equal(messageHashes(server.mailDir('dst@lost.test'), { crlfAsLf: true }).length, COUNT - 5);
    const searchesBefore = proxy.count(/^\S+ (UID )?SEARCH /i);
    const fetchesBefore = proxy.count(/^\S+ UID FETCH /i);

    const again = await full();
    assert.equal(again.items[0].status, 'Completed');
    assert.deepEqual(messageHashes(server.mailDir('dst@lost.test'), { crlfAsLf: true }), source, 'the destination holds the source exactly: none lost, none twice');
    assert.equal(proxy.count(/^\S+ (UID )?SEARCH /i) - searchesBefore, 0, 'no SEARCH per message');
    const fetches = proxy.count(/^\S+ UID FETCH /i) - fetchesBefore;
    assert.ok(fetches <= 20, `a listing and a few FETCHes per batch of 100, not one per message (${fetches} UID FETCH commands for ${COUNT} messages)`);

    io.stdout.length = 0;
    assert.equal(await main(['run', 'p.migration.yaml', '--pass', 'delta', '--json'], io), 0);
    assert.equal((JSON.parse(io.stdout.join('\n')) as PassSummary).totals.copied, 0, 'every message recorded: a delta moves nothing');
  });
});
