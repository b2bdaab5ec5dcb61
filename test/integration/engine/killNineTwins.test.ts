// Identical messages through kills and TCP cuts, on a real Dovecot. The source holds every message
// twice (byte for byte; the second copy with other flags and another internal date, as mail filed
// or imported twice is), in INBOX and in Projects/2024 (Projects exists only as a parent). A pass
// is stopped at a deterministic point (a hold point, or a TCP proxy that cuts a connection when
// a given command goes by), killed with SIGKILL where it holds, then run again: the destination
// must end with exactly the source's messages, each as many times as the source has it, with the
// same flags, dates and folders.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { imapConnector } from '../../../src/connectors/imap/imapConnector';
import { maildirConnector } from '../../../src/connectors/maildir/maildirConnector';
import type { SourceMailbox } from '../../../src/connectors/types';
import type { PassSummary } from '../../../src/engine/summary';
import { startDovecot, type DovecotServer } from '../../servers/dovecot';
import { connectAs, seedMessages } from '../../servers/dovecotSeed';
import { startTcpProxy, type ProxyRule, type TcpProxy } from '../../servers/tcpProxy';
import { plainMessage } from '../../servers/testMessages';
import { imapRequest, maildirRequest, snapshot } from '../../unit/connectors/connectorHarness';
import { openDatabase } from '../../../src/store/sqlite';
import { ensureBuilt, ferryRun, killAtHold, storeRows } from './maildirFixture';

const SRC = 'src@twins.test';
const INBOX = 100;
const PROJECTS = 20;

/** `count` messages, then the same bytes again with other flags and a later internal date. */
function twins(from: number, count: number) {
  const firsts = Array.from({ length: count }, (_, i) => {
    const n = from + i;
    const m = plainMessage(n, { body: `Body of ${n}. ${'lorem ipsum '.repeat(40)}`, ...(n % 10 === 0 ? { messageId: null } : {}) });
    return { raw: m.raw, date: m.date, flags: n % 3 ? ['\\Seen'] : ['\\Seen', '\\Flagged'] };
  });
  const seconds = firsts.map((m, i) => ({ raw: m.raw, date: new Date(m.date.getTime() + 3_600_000), flags: i % 2 ? ['$Forwarded', `Label${i % 7}`] : ['\\Answered', '$Forwarded'] }));
  return [...firsts, ...seconds];
}

describe('identical messages through kill -9 and TCP cuts (Dovecot)', function () {
  this.timeout(180_000);
  let server: DovecotServer;
  let root: string;
  const users = ['d1', 'd2', 'd3', 'd4', 'd5', 'd6', 'd7', 'd8'].map((u) => ({ user: `${u}@twins.test`, password: `${u}-pw` }));

  before(async () => {
    root = ensureBuilt();
    server = await startDovecot({ users: [{ user: SRC, password: 'src-pw' }, ...users] });
    await seedMessages(server, SRC, 'INBOX', twins(1, INBOX));
    await seedMessages(server, SRC, 'Projects/2024', twins(5001, PROJECTS));
  });
  after(async () => {
    await server?.stop();
  });

  interface Project {
    dir: string;
    env: NodeJS.ProcessEnv;
    db: string;
    destination: () => Promise<SourceMailbox>;
  }

  /** A plan from the source to `user` on IMAP or in a Maildir; ports may point at a proxy. */
  function project(kind: 'imap' | 'maildir', user: { user: string; password: string }, ports: { source?: number; destination?: number } = {}): Project {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-twins-'));
    const imap = (port: number, secret: string) => `{ type: imap, host: 127.0.0.1, port: ${port}, security: none, auth: { username: '{mailbox}', password: { secret: ${secret} } } }`;
    const dst = kind === 'imap' ? imap(ports.destination ?? server.port, 'DST') : '{ type: maildir, path: ./destination }';
    fs.writeFileSync(
      path.join(dir, 'p.migration.yaml'),
      `version: 1\nproject: { name: Twins }\nendpoints:\n  src: ${imap(ports.source ?? server.port, 'SRC')}\n  dst: ${dst}\nsource: src\ndestination: dst\nbatches:\n  - name: Main\n    items:\n      - { source: ${SRC}, destination: ${user.user} }\n`,
    );
    const destination = () =>
      kind === 'imap'
        ? imapConnector.openSource(imapRequest('127.0.0.1', server.port, user.user, { username: user.user, password: { secret: 'PW' } }, { PW: user.password }))
        : maildirConnector.openSource(maildirRequest(dir, 'destination', user.user));
    return { dir, env: { ...process.env, FERRY_SECRET_SRC: 'src-pw', FERRY_SECRET_DST: user.password }, db: path.join(dir, '.ferry', 'state.db'), destination };
  }

  const ferry = () => path.join(root, 'bin', 'ferry.js');

  /** Runs a full pass that stops at the hold point `hold` (`name#N`: from its N-th arrival on), kills it there with SIGKILL. */
  async function killAt(p: Project, hold: string): Promise<void> {
    await killAtHold(ferry(), ['run', 'p.migration.yaml', '--pass', 'full'], p.dir, p.env, hold);
  }

  async function fullPass(p: Project): Promise<PassSummary> {
    const run = await ferryRun(ferry(), ['run', 'p.migration.yaml', '--pass', 'full', '--json'], p.dir, p.env);
    assert.equal(run.status, 0, run.stderr);
    return JSON.parse(run.stdout) as PassSummary;
  }

  /** Folders, content, copies of each content, flags and dates: the destination equals the source. */
  async function assertExact(p: Project): Promise<void> {
    const src = await imapConnector.openSource(imapRequest('127.0.0.1', server.port, SRC, { username: SRC, password: { secret: 'PW' } }, { PW: 'src-pw' }));
    const dst = await p.destination();
    try {
      const [a, b] = [await snapshot(src), await snapshot(dst)];
      assert.equal(b.get('INBOX')?.length, 2 * INBOX, 'INBOX: every copy of every message');
      assert.equal(b.get('Projects/2024')?.length, 2 * PROJECTS, 'Projects/2024: every copy');
      assert.deepEqual([...b.keys()].sort(), [...a.keys()].sort(), 'the same folders (Projects only as a parent)');
      for (const [folder, messages] of a) assert.deepEqual(b.get(folder), messages, `${folder}: content, copies, flags and dates`);
    } finally {
      await src.close();
      await dst.close();
    }
    assert.equal(storeRows(p.db, 'intents'), 0);
    assert.equal(storeRows(p.db, 'watermarks'), 2 * (INBOX + PROJECTS));
    const db = openDatabase(p.db);
    try {
      const claimed = db.prepare(`SELECT COUNT(DISTINCT destination_folder_id || '/' || destination_item_id) AS c FROM watermarks`).get()?.c;
      assert.equal(Number(claimed), 2 * (INBOX + PROJECTS), 'each watermark names its own destination item');
    } finally {
      db.close();
    }
  }

  for (const kind of ['imap', 'maildir'] as const) {
    it(`into ${kind}: killed with the second copies' intents committed and not written, the rerun writes them`, async () => {
      const p = project(kind, users[kind === 'imap' ? 0 : 1]);
      // Write 1 is INBOX's first copies, write 2 the second copies (one batch each).
      await killAt(p, 'write.before#2');
      assert.deepEqual([storeRows(p.db, 'watermarks'), storeRows(p.db, 'intents')], [INBOX, INBOX], '100 written, 100 intents pending');
      await fullPass(p);
      await assertExact(p);
    });
  }

  /** Destination item ids the store has watermarks for. */
  function recorded(p: Project): Set<string> {
    const db = openDatabase(p.db);
    try {
      return new Set(db.prepare('SELECT destination_item_id AS id FROM watermarks').all().map((r) => String(r.id)));
    } finally {
      db.close();
    }
  }

  it('into maildir: killed after the second copies were written, before their watermarks; settled with the source\'s flags and dates, not copied again', async () => {
    const p = project('maildir', users[2]);
    await killAt(p, 'write.after#2');
    assert.deepEqual([storeRows(p.db, 'watermarks'), storeRows(p.db, 'intents')], [INBOX, INBOX]);
    // The copies written but not recorded lose their flags and date (as a server killed mid-write
    // may leave them): settling must give them the source's again.
    const cur = path.join(p.dir, 'destination', users[2].user, 'cur');
    const known = recorded(p);
    let damaged = 0;
    for (const name of fs.readdirSync(cur)) {
      const id = name.split(':')[0];
      if (known.has(id)) continue;
      fs.renameSync(path.join(cur, name), path.join(cur, `${id}:2,`));
      fs.utimesSync(path.join(cur, `${id}:2,`), new Date(), new Date());
      damaged++;
    }
    assert.equal(damaged, INBOX);
    const rerun = await fullPass(p);
    assert.equal(rerun.totals.copied, 2 * PROJECTS, 'only Projects/2024 was still to copy');
    await assertExact(p);
  });

  it('into maildir: killed after the first batch was written, before any watermark of the folder; the rest is probed and written with its flags', async () => {
    const p = project('maildir', users[5]);
    await killAt(p, 'write.after#1');
    assert.deepEqual([storeRows(p.db, 'watermarks'), storeRows(p.db, 'intents')], [0, INBOX]);
    await fullPass(p);
    await assertExact(p);
  });

  it('into imap: killed after the second copies were appended, before their watermarks; settled with the source\'s flags', async () => {
    const p = project('imap', users[6]);
    await killAt(p, 'write.after#2');
    const known = recorded(p);
    const client = await connectAs(server, users[6].user);
    try {
      const box = await client.mailboxOpen('INBOX');
      const unrecorded = (await client.search({ all: true }, { uid: true })) || [];
      const lost = unrecorded.filter((uid) => !known.has(`${box.uidValidity}:${uid}`));
      assert.equal(lost.length, INBOX);
      // As a server killed mid-write may leave them: the flags are gone.
      await client.messageFlagsSet(lost.join(','), [], { uid: true });
    } finally {
      await client.logout();
    }
    await fullPass(p);
    await assertExact(p);
  });

  describe('TCP cuts', () => {
    let proxy: TcpProxy | undefined;
    afterEach(async () => {
      await proxy?.close();
      proxy = undefined;
    });

    /** A full pass through the proxy while `rule` fires (then `after`): it completes and ends exact. */
    async function throughProxy(kind: 'imap' | 'maildir', user: (typeof users)[number], sides: ('source' | 'destination')[], rule: ProxyRule, after?: () => Promise<void>): Promise<void> {
      proxy = await startTcpProxy({ host: '127.0.0.1', port: server.port });
      const p = project(kind, user, Object.fromEntries(sides.map((side) => [side, proxy!.port])));
      const fired = proxy.when(rule).then(after);
      const summary = await fullPass(p);
      await fired;
      assert.equal(summary.items[0].status, 'Completed');
      await assertExact(p);
    }

    it('on the destination side, as the second copies are appended: the pass goes on and ends exact', async () => {
      await throughProxy('imap', users[3], ['destination'], { match: /^\S+ APPEND /m, nth: 2, action: 'cut' });
    });

    it('Dovecot killed with SIGKILL as it takes the second copies, then back: the pass goes on and ends exact', async () => {
      // Both sides on the one server, as a migration between two mailboxes of it.
      await throughProxy('imap', users[7], ['source', 'destination'], { match: /^\S+ APPEND /m, nth: 2, action: 'deliver-hold' }, async () => {
        await server.down('SIGKILL');
        await server.start();
      });
    });

    it('on the source side, while message bodies are fetched: the pass goes on and ends exact', async () => {
      await throughProxy('maildir', users[4], ['source'], { match: /FETCH [^\r\n]*BODY\.PEEK\[\]/, nth: 2, action: 'cut' });
    });
  });
});
