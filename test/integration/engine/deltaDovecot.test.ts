// Delta passes that carry every change (issue 13), IMAP to IMAP on a real Dovecot (CONDSTORE
// announced): after a full pass the source is changed through IMAP (read 10, flag 5, UID MOVE 7 to
// Archive, delete 3, append 4); the delta brings the destination to the source under each deletion
// policy (move: into the destination's \Trash), the report lists each change by kind, a rerun
// changes nothing, and a kill -9 after a move reached the destination gives the same end state.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { PassSummary } from '../../../src/engine/summary';
import { startDovecot, type DovecotServer } from '../../servers/dovecot';
import { connectAs, seedMessages } from '../../servers/dovecotSeed';
import { plainMessage } from '../../servers/testMessages';
import { startTcpProxy } from '../../servers/tcpProxy';
import { openDatabase } from '../../../src/store/sqlite';
import { tempDir } from '../../unit/helpers/repoRoot';
import { assertSameState, entryOf, expectedCounts, expectedDestination, maildirState, type ChangeCounts, type DeletionPolicy } from './deltaScenario';
import { dovecotPlanText } from './dovecotPlan';
import { ensureBuilt, ferryRun, killAtHold } from './maildirFixture';

const cases = ['keep', 'delete', 'move', 'kill', 'scan', 'user', 'quiet'] as const;
const PASSWORD = 'delta-pw';

describe('delta carries every change (IMAP to IMAP on Dovecot)', function () {
  this.timeout(120_000);
  let server: DovecotServer;
  let ferry: string;
  let seq = 0;

  before(async () => {
    ferry = path.join(ensureBuilt(), 'bin', 'ferry.js');
    server = await startDovecot({ users: cases.flatMap((c) => [{ user: `${c}@src.test`, password: PASSWORD }, { user: `${c}@dst.test`, password: PASSWORD }]) });
  });
  after(async () => {
    await server?.stop();
  });

  /** 30 unread messages in INBOX and 5 read ones in Archive at the source of `who`; a plan with the policy. */
  async function project(who: (typeof cases)[number], policy: DeletionPolicy): Promise<{ dir: string; plan: string; env: NodeJS.ProcessEnv }> {
    const base = 1000 * ++seq;
    await seedMessages(server, `${who}@src.test`, 'INBOX', Array.from({ length: 30 }, (_, i) => ({ raw: plainMessage(base + i).raw, flags: [] })));
    await seedMessages(server, `${who}@src.test`, 'Archive', Array.from({ length: 5 }, (_, i) => ({ raw: plainMessage(base + 100 + i).raw, flags: ['\\Seen'] })));
    const dir = tempDir('ferry-delta-imap');
    const plan = path.join(dir, 'p.migration.yaml');
    const text = dovecotPlanText(server, 'imap', [{ source: `${who}@src.test`, destination: `${who}@dst.test`, srcSecret: 'SRC', dstSecret: 'DST' }]);
    // keep is the default: that plan says nothing.
    fs.writeFileSync(plan, policy === 'keep' ? text : text.replace('batches:', `options:\n  delta: { deletions: ${policy} }\nbatches:`));
    return { dir, plan, env: { ...process.env, FERRY_SECRET_SRC: PASSWORD, FERRY_SECRET_DST: PASSWORD } };
  }

  /** The scenario's changes made by a mail client; returns the deleted messages' entries. */
  async function changeSource(who: string): Promise<string[]> {
    const client = await connectAs(server, `${who}@src.test`);
    try {
      await client.mailboxOpen('INBOX');
      const uids = ((await client.search({ all: true }, { uid: true })) || []).sort((a, b) => a - b);
      const set = (from: number, to: number) => uids.slice(from, to).join(',');
      await client.messageFlagsAdd(set(0, 10), ['\\Seen'], { uid: true });
      await client.messageFlagsAdd(set(10, 15), ['\\Flagged'], { uid: true });
      await client.messageMove(set(15, 22), 'Archive', { uid: true });
      const deleted = (await client.fetchAll(set(22, 25), { uid: true, source: true }, { uid: true })).map((m) => entryOf(m.source!, []));
      await client.messageDelete(set(22, 25), { uid: true });
      for (let i = 0; i < 4; i++) await client.append('INBOX', plainMessage(1000 * seq + 200 + i).raw, ['\\Seen']);
      return deleted;
    } finally {
      await client.logout().catch(() => undefined);
    }
  }

  async function run(p: { dir: string; plan: string; env: NodeJS.ProcessEnv }, pass: string): Promise<PassSummary> {
    const r = await ferryRun(ferry, ['run', p.plan, '--pass', pass, '--json'], p.dir, p.env);
    assert.equal(r.status, 0, r.stderr);
    return JSON.parse(r.stdout) as PassSummary;
  }

  async function counts(p: { dir: string; plan: string; env: NodeJS.ProcessEnv }): Promise<ChangeCounts> {
    const r = await ferryRun(ferry, ['report', p.plan, '--format', 'json'], p.dir, p.env);
    assert.equal(r.status, 0, r.stderr);
    return (JSON.parse(r.stdout) as { changes: { byKind: ChangeCounts } }).changes.byKind;
  }

  const state = (user: string) => maildirState(server.mailDir(user), 'maildir++');

  for (const policy of ['keep', 'delete', 'move'] as const) {
    it(`deletions: ${policy}: the destination equals the source, the report lists each change, a rerun changes nothing`, async () => {
      const p = await project(policy, policy);
      assert.equal((await run(p, 'full')).totals.copied, 35);
      const deleted = await changeSource(policy);
      const summary = await run(p, 'delta');
      assert.equal(summary.totals.copied, 4, 'only the 4 new messages are copied (the 7 moved are moved)');
      const expected = expectedDestination(state(`${policy}@src.test`), deleted, policy, 'Trash');
      assertSameState(state(`${policy}@dst.test`), expected, 'destination after the delta');
      assert.deepEqual(await counts(p), expectedCounts(policy));

      assert.equal((await run(p, 'delta')).totals.copied, 0);
      assertSameState(state(`${policy}@dst.test`), expected, 'destination after a second delta');
      assert.deepEqual(await counts(p), expectedCounts(policy), 'a rerun adds no change');
    });
  }

  it('without a HIGHESTMODSEQ in the cursor (a server without CONDSTORE): a flags scan of every message finds the same changes', async () => {
    const p = await project('scan', 'delete');
    await run(p, 'full');
    // The cursors as a server without CONDSTORE leaves them: UIDVALIDITY and the last UID only.
    const db = openDatabase(path.join(p.dir, '.ferry', 'state.db'));
    for (const row of db.prepare('SELECT item_id, source_folder_id, cursor FROM folder_cursors').all() as { item_id: number; source_folder_id: string; cursor: string }[]) {
      const { highestModseq: _m, ...cursor } = JSON.parse(row.cursor) as Record<string, unknown>;
      db.prepare('UPDATE folder_cursors SET cursor = ? WHERE item_id = ? AND source_folder_id = ?').run(JSON.stringify(cursor), row.item_id, row.source_folder_id);
    }
    db.close();
    const deleted = await changeSource('scan');
    assert.equal((await run(p, 'delta')).totals.copied, 4);
    assertSameState(state('scan@dst.test'), expectedDestination(state('scan@src.test'), deleted, 'delete', 'Trash'), 'destination after the delta');
    assert.deepEqual(await counts(p), expectedCounts('delete'));
  });

  it('a delta that finds nothing new or changed at the source never connects to the destination; a change at the source still reaches it', async () => {
    const p = await project('quiet', 'keep');
    // The destination endpoint through a proxy that counts its logins (the source is reached directly).
    const proxy = await startTcpProxy({ host: '127.0.0.1', port: server.port });
    try {
      fs.writeFileSync(p.plan, fs.readFileSync(p.plan, 'utf8').replace(/^( {2}dst: \{ type: imap, host: 127\.0\.0\.1, port: )\d+/m, `$1${proxy.port}`));
      const logins = () => proxy.count(/^\S+ (LOGIN|AUTHENTICATE) /);
      assert.equal((await run(p, 'full')).totals.copied, 35);
      const afterFull = logins();
      assert.equal(afterFull, 1, 'the full pass logs in to the destination through the proxy');
      const quiet = await run(p, 'delta');
      assert.deepEqual([quiet.items[0].status, quiet.totals.copied], ['Resynced', 0]);
      assert.equal(logins(), afterFull, 'a delta with nothing to carry does not log in to the destination');
      assertSameState(state('quiet@dst.test'), state('quiet@src.test'), 'destination after the quiet delta');
      // A flag set and a message added at the source: the next delta logs in and carries both.
      const client = await connectAs(server, 'quiet@src.test');
      try {
        await client.mailboxOpen('INBOX');
        await client.messageFlagsAdd('1', ['\\Flagged'], { uid: true });
        await client.append('Archive', plainMessage(1000 * seq + 300).raw, ['\\Seen']);
      } finally {
        await client.logout().catch(() => undefined);
      }
      const changed = await run(p, 'delta');
      assert.deepEqual([changed.items[0].status, changed.totals.copied], ['Resynced', 1]);
      assert.equal(logins(), afterFull + 1, 'a delta with a change logs in to the destination');
      assertSameState(state('quiet@dst.test'), state('quiet@src.test'), 'destination after the delta with changes');
      assert.equal((await run(p, 'delta')).totals.copied, 0);
      assert.equal(logins(), afterFull + 1, 'quiet again');
    } finally {
      await proxy.close();
    }
  });

  it('kill -9 after a UID MOVE reached the destination and before it was recorded, then a rerun: the same end state', async () => {
    const p = await project('kill', 'delete');
    await run(p, 'full');
    const deleted = await changeSource('kill');
    await killAtHold(ferry, ['run', p.plan, '--pass', 'delta'], p.dir, p.env, 'change.after#3');
    assert.equal((await run(p, 'delta')).totals.copied, 4, 'nothing copied again');
    assertSameState(state('kill@dst.test'), expectedDestination(state('kill@src.test'), deleted, 'delete', 'Trash'), 'destination after the rerun');
    assert.deepEqual(await counts(p), expectedCounts('delete'));
  });

  it('a change the user made at the IMAP destination after the copy is left alone and reported once (ENG-081)', async () => {
    const p = await project('user', 'delete');
    await run(p, 'full');
    // The user flags the copy of the first INBOX message at the destination; at the source the same message is read.
    const first = async (user: string, flags: string[]) => {
      const client = await connectAs(server, user);
      try {
        await client.mailboxOpen('INBOX');
        const uid = Math.min(...((await client.search({ all: true }, { uid: true })) || []));
        const [m] = await client.fetchAll(String(uid), { uid: true, source: true }, { uid: true });
        await client.messageFlagsAdd(String(uid), flags, { uid: true });
        return m.source!;
      } finally {
        await client.logout().catch(() => undefined);
      }
    };
    const content = await first('user@dst.test', ['\\Flagged']);
    assert.ok((await first('user@src.test', ['\\Seen'])).equals(content), 'the same message on both sides');
    await run(p, 'delta');
    assert.ok(state('user@dst.test').get('INBOX')!.includes(entryOf(content, ['\\Flagged'])), "the user's flag stays, the source's read state is not carried");
    const c = await counts(p);
    assert.equal(c['conflict-left'], 1);
    assert.equal(c.flags, 0);
    await run(p, 'delta');
    assert.equal((await counts(p))['conflict-left'], 1, 'reported once');
  });
});
