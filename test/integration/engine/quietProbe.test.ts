// A no-op IMAP delta through the quiet probe (issue 17, round 6): the source's facts come from one
// LIST-STATUS on a lean connection, no EXAMINE, and the `ferry` process never loads imapflow
// (checked through the modules it loaded: a --require'd script writes require.cache at exit). Each
// kind of change the quiet check must see still reaches the destination through the full delta:
// a flag, a new message, an expunge, a new folder, a folder deleted and made again (another
// UIDVALIDITY). Dovecot announces LIST-STATUS and CONDSTORE; the source is reached through a proxy
// that records what Ferry sends it.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ImapFlow } from 'imapflow';
import type { PassSummary } from '../../../src/engine/summary';
import { startDovecot, type DovecotServer } from '../../servers/dovecot';
import { connectAs, seedMessages } from '../../servers/dovecotSeed';
import { plainMessage } from '../../servers/testMessages';
import { startTcpProxy, type TcpProxy } from '../../servers/tcpProxy';
import { tempDir } from '../../unit/helpers/repoRoot';
import { assertSameState, maildirState } from './deltaScenario';
import { dovecotPlanText } from './dovecotPlan';
import { ensureBuilt, ferryRun } from './maildirFixture';
import { imapConnector } from '../../../src/connectors/imap/imapConnector';
import { imapRequest } from '../../unit/connectors/connectorHarness';

const cases = ['quiet', 'flag', 'append', 'expunge', 'folder', 'uidvalidity', 'tree', 'utf7', 'password'] as const;
type Case = (typeof cases)[number];
const PASSWORD = 'probe-pw';

describe('a no-op IMAP delta through the quiet probe (no imapflow, no EXAMINE)', function () {
  this.timeout(120_000);
  let server: DovecotServer;
  let ferry: string;
  const proxies: TcpProxy[] = [];
  let seq = 0;

  before(async () => {
    ferry = path.join(ensureBuilt(), 'bin', 'ferry.js');
    server = await startDovecot({ users: cases.flatMap((c) => [{ user: `${c}@src.test`, password: PASSWORD }, { user: `${c}@dst.test`, password: PASSWORD }]) });
  });
  after(async () => {
    for (const p of proxies) await p.close();
    await server?.stop();
  });

  interface Project {
    dir: string;
    plan: string;
    env: NodeJS.ProcessEnv;
    proxy: TcpProxy;
    /** The files the last run's `ferry` process loaded (require.cache), then its builtins (process.moduleLoadList). */
    loaded: string;
    /** The V8 flags the last run's `ferry` process set, each with the builtins loaded before it. */
    flags: string;
  }

  /** 12 messages in INBOX, 3 in Archive at the source of `who`, reached through a recording proxy; after a full pass. */
  async function project(who: Case): Promise<Project> {
    const base = 1000 * ++seq;
    await seedMessages(server, `${who}@src.test`, 'INBOX', Array.from({ length: 12 }, (_, i) => ({ raw: plainMessage(base + i).raw, flags: [] })));
    await seedMessages(server, `${who}@src.test`, 'Archive', Array.from({ length: 3 }, (_, i) => ({ raw: plainMessage(base + 100 + i).raw, flags: ['\\Seen'] })));
    const proxy = await startTcpProxy({ host: '127.0.0.1', port: server.port });
    proxies.push(proxy);
    const dir = tempDir('ferry-quiet-probe');
    const plan = path.join(dir, 'p.migration.yaml');
    const text = dovecotPlanText(server, 'imap', [{ source: `${who}@src.test`, destination: `${who}@dst.test`, srcSecret: 'SRC', dstSecret: 'DST' }]);
    fs.writeFileSync(plan, text.replace(/^( {2}src: \{ type: imap, host: 127\.0\.0\.1, port: )\d+/m, `$1${proxy.port}`));
    const loaded = path.join(dir, 'loaded.json');
    const flags = path.join(dir, 'flags.json');
    const probe = path.join(dir, 'loaded-probe.js');
    fs.writeFileSync(
      probe,
      [
        `const v8 = require('node:v8'), set = v8.setFlagsFromString, flags = [];`,
        `v8.setFlagsFromString = (flag) => (flags.push({ flag, before: [...process.moduleLoadList] }), set(flag));`,
        `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(flags)}, JSON.stringify(flags)));`,
        `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(loaded)}, JSON.stringify([...Object.keys(require.cache), ...process.moduleLoadList])));\n`,
      ].join('\n'),
    );
    const env = { ...process.env, FERRY_SECRET_SRC: PASSWORD, FERRY_SECRET_DST: PASSWORD, NODE_OPTIONS: `--require ${probe}` };
    const p = { dir, plan, env, proxy, loaded, flags };
    assert.equal((await run(p, 'full')).totals.copied, 15);
    return p;
  }

  async function run(p: Project, pass: string): Promise<PassSummary> {
    const r = await ferryRun(ferry, ['run', p.plan, '--pass', pass, '--json'], p.dir, p.env);
    assert.equal(r.status, 0, r.stderr);
    return JSON.parse(r.stdout) as PassSummary;
  }

  const loaded = (p: Project, pattern: RegExp) => (JSON.parse(fs.readFileSync(p.loaded, 'utf8')) as string[]).some((f) => pattern.test(f));
  const imapflowLoaded = (p: Project) => loaded(p, /imapflow/);
  const flagsSet = (p: Project) => JSON.parse(fs.readFileSync(p.flags, 'utf8')) as { flag: string; before: string[] }[];
  const examines = (p: Project) => p.proxy.count(/^\S+ (EXAMINE|SELECT) /);
  const probes = (p: Project) => p.proxy.count(/^\S+ LIST "" "\*" RETURN \(STATUS \([^)]*UIDNEXT HIGHESTMODSEQ\)/);
  const state = (user: string) => maildirState(server.mailDir(user), 'maildir++');

  async function onSource(who: Case, change: (client: ImapFlow) => Promise<void>): Promise<void> {
    const client = await connectAs(server, `${who}@src.test`);
    try {
      await change(client);
    } finally {
      await client.logout().catch(() => undefined);
    }
  }

  it('nothing new or changed: one LIST-STATUS, no EXAMINE, imapflow not loaded; Resynced, nothing copied', async () => {
    const p = await project('quiet');
    assert.ok(imapflowLoaded(p) && loaded(p, /^NativeModule crypto$/), 'the full pass loads imapflow and node:crypto (the check of the check)');
    const [before, listed] = [examines(p), probes(p)];
    const quiet = await run(p, 'delta');
    assert.deepEqual([quiet.items[0].status, quiet.totals.copied], ['Resynced', 0]);
    assert.equal(examines(p), before, 'no folder examined');
    assert.equal(probes(p), listed + 1, 'one LIST-STATUS');
    assert.equal(imapflowLoaded(p), false, 'a quiet delta does not load imapflow');
    assert.equal(loaded(p, /^NativeModule (crypto|tls)$/), false, 'nor node:crypto or node:tls (it hashes nothing, connects in plain text)');
    assertSameState(state('quiet@dst.test'), state('quiet@src.test'), 'destination after the quiet delta');
    // V8 refuses a code cache made under other flags, Node's own of its builtins too: a quiet delta
    // sets none (the pass's heap flags are for listing and copying), so node:sqlite, node:net and
    // the rest load from Node's cache, not from source (issue 17, round 8).
    assert.deepEqual(flagsSet(p), [], 'a quiet delta sets no V8 flag');
    assert.ok(loaded(p, /^NativeModule (sqlite)$/) && loaded(p, /^NativeModule net$/));
    // Again: the cursors the quiet delta recorded are those the full listing gives.
    assert.deepEqual([(await run(p, 'delta')).totals.copied, examines(p), imapflowLoaded(p)], [0, before, false]);
  });

  it("lists the folders as the imapflow source does (ids, paths, roles, counts, sizes); a modified UTF-7 name goes the full way", async () => {
    await seedMessages(server, 'tree@src.test', 'INBOX', [{ raw: plainMessage(98_001).raw, flags: [] }]);
    await onSource('tree', async (c) => {
      for (const f of ['Projects', 'Projects/2026 plans', 'Projects/2026 plans/Q1', 'Sent', 'Trash', 'Drafts']) await c.mailboxCreate(f).catch(() => undefined);
      await c.append('Projects/2026 plans/Q1', plainMessage(98_002).raw, ['\\Seen']);
    });
    const request = (user: string) => imapRequest('127.0.0.1', server.port, user, { username: user, password: { secret: 'PW' } }, { PW: PASSWORD });
    const full = await imapConnector.openSource(request('tree@src.test'));
    const probe = await imapConnector.openQuietProbe!(request('tree@src.test'));
    assert.ok(probe, 'Dovecot announces LIST-STATUS and CONDSTORE');
    try {
      const byId = <T extends { id: string }>(folders: T[]) => [...folders].sort((a, b) => (a.id < b.id ? -1 : 1));
      const [expected, probed] = [byId(await full.listFolders()), byId(await probe.listFolders())];
      assert.ok(expected.length >= 7 && expected.some((f) => f.role === 'sent'));
      assert.deepEqual(probed, expected);
    } finally {
      await full.close();
      await probe.close();
    }
    await onSource('utf7', async (c) => void (await c.mailboxCreate('Entwürfe alt')));
    const utf7 = await imapConnector.openQuietProbe!(request('utf7@src.test'));
    try {
      await assert.rejects(utf7!.listFolders(), { name: 'NeedsFullSource' });
    } finally {
      await utf7!.close();
    }
  });

  it('a refused password: one login refused, not two (the probe tells it; no second try by the full path)', async () => {
    const p = await project('password');
    const logins = () => p.proxy.count(/^\S+ (LOGIN|AUTHENTICATE) /);
    const before = logins();
    const r = await ferryRun(ferry, ['run', p.plan, '--pass', 'delta', '--json'], p.dir, { ...p.env, FERRY_SECRET_SRC: 'not-the-password' });
    const delta = JSON.parse(r.stdout) as PassSummary;
    assert.deepEqual([delta.items[0].status, delta.items[0].code], ['NotValid', 'IMAP-AUTH'], r.stderr);
    assert.equal(logins(), before + 1, 'the server saw one refused login');
    // The right password again: quiet.
    assert.deepEqual([(await run(p, 'delta')).totals.copied, imapflowLoaded(p)], [0, false]);
  });

  const changes: { who: Case; what: string; change: (client: ImapFlow) => Promise<void>; copied: number }[] = [
    { who: 'flag', what: 'a flag set', copied: 0, change: async (c) => void (await c.mailboxOpen('INBOX'), await c.messageFlagsAdd('2', ['\\Flagged'], { uid: true })) },
    { who: 'append', what: 'a message added', copied: 1, change: async (c) => void (await c.append('Archive', plainMessage(99_001).raw, ['\\Seen'])) },
    { who: 'expunge', what: 'a message expunged', copied: 0, change: async (c) => void (await c.mailboxOpen('INBOX'), await c.messageDelete('3', { uid: true })) },
    { who: 'folder', what: 'a new folder', copied: 1, change: async (c) => void (await c.mailboxCreate('Projects'), await c.append('Projects', plainMessage(99_002).raw, [])) },
    {
      who: 'uidvalidity',
      what: 'a folder deleted and made again (another UIDVALIDITY)',
      copied: 2,
      change: async (c) => void (await c.mailboxDelete('Archive'), await c.mailboxCreate('Archive'), await c.append('Archive', plainMessage(99_003).raw, ['\\Seen']), await c.append('Archive', plainMessage(99_004).raw, [])),
    },
  ];
  for (const { who, what, change, copied } of changes) {
    it(`${what}: the probe sees it and the full delta carries it`, async () => {
      const p = await project(who);
      assert.equal((await run(p, 'delta')).totals.copied, 0);
      assert.equal(imapflowLoaded(p), false);
      const before = examines(p);
      await onSource(who, change);
      const delta = await run(p, 'delta');
      assert.deepEqual([delta.items[0].status, delta.totals.copied], ['Resynced', copied]);
      assert.ok(examines(p) > before, 'the full delta examined the folders');
      assert.ok(imapflowLoaded(p), 'and ran on imapflow');
      // The pass's heap flags, set once the delta had something to do (its state database open, its
      // probe answered), and V8's own values set back before the code cache is taken.
      const flags = flagsSet(p).map((f) => f.flag);
      assert.deepEqual([flags[0], flags[1], flags.at(-2), flags.at(-1)], ['--semi-space-growth-factor=1', '--heap-growing-percent=20', '--semi-space-growth-factor=2', '--heap-growing-percent=0'], flags.join(' '));
      assert.ok(flagsSet(p)[0].before.includes('NativeModule sqlite'), 'set after the state database was opened');
      // Under the default deletion policy (keep) the destination keeps what the source expunged.
      if (who === 'flag' || who === 'append' || who === 'folder') assertSameState(state(`${who}@dst.test`), state(`${who}@src.test`), 'destination after the delta');
      // Quiet again afterwards.
      const again = await run(p, 'delta');
      assert.deepEqual([again.totals.copied, imapflowLoaded(p)], [0, false]);
    });
  }
});
