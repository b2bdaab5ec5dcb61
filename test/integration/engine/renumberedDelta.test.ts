// A delta after the source renumbered a folder (IMAP: a new UIDVALIDITY, every UID changed), on a
// real Dovecot: INBOX (30) and Archive (5) copied by a full pass, then changed by a mail client and
// renumbered (`doveadm mailbox update --uid-validity`, or the folder deleted and made again). The
// delta finds a message moved out of the renumbered folder in its new folder (the destination item
// is moved, not copied again), carries on when the folder is renumbered while its move detection
// reads it (listed again, IMAP-UIDVALIDITY told), keeps the old copies found nowhere and says so
// (ENG-083, nothing deleted at the destination because of a renumber). Each time the destination
// holds every source message once, and a following delta copies nothing.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ImapFlow } from 'imapflow';
import type { PassSummary } from '../../../src/engine/summary';
import { asClient as asClientOf, renumberFolder, seedMessages } from '../../servers/dovecotSeed';
import { plainMessage } from '../../servers/testMessages';
import { HoldPoints } from '../../unit/helpers/holdPoints';
import { tempDir } from '../../unit/helpers/repoRoot';
import { dovecotPlanText } from './dovecotPlan';
import { dovecotSuite } from './dovecotSuite';
import { ferryRun, messageHashes, queryState } from './maildirFixture';

const PASSWORD = 'renumbered-delta-pw';
const cases = ['movedout', 'recreated', 'duringmoves', 'deleted', 'gonemoves'] as const;
type Case = (typeof cases)[number];

describe('a delta after a folder was renumbered at the source (IMAP on Dovecot)', function () {
  this.timeout(120_000);
  const suite = dovecotSuite(cases, PASSWORD);
  let seq = 0;
  const asClient = (user: string, work: (client: ImapFlow) => Promise<unknown>) => asClientOf(suite.server, user, work);
  const renumber = (user: string, folder: string) => renumberFolder(suite.server, user, folder);

  /** The first `n` messages of `from` (by UID) moved to `to` by a mail client (UID MOVE). */
  const move = (user: string, from: string, to: string, n: number) =>
    asClient(user, async (client) => {
      await client.mailboxOpen(from);
      const uids = ((await client.search({ all: true }, { uid: true })) || []).sort((a, b) => a - b);
      assert.ok(await client.messageMove(uids.slice(0, n).join(','), to, { uid: true }));
    });

  /** 30 messages in INBOX and 5 in Archive at `who`'s source, copied by a full pass (deletions: delete). */
  async function copied(who: Case, env: NodeJS.ProcessEnv = {}) {
    const base = 1000 * ++seq;
    await seedMessages(suite.server, `${who}@src.test`, 'INBOX', Array.from({ length: 30 }, (_, i) => ({ raw: plainMessage(base + i).raw, flags: [] })));
    await seedMessages(suite.server, `${who}@src.test`, 'Archive', Array.from({ length: 5 }, (_, i) => ({ raw: plainMessage(base + 100 + i).raw, flags: ['\\Seen'] })));
    const dir = tempDir(`ferry-${who}`);
    const plan = path.join(dir, 'p.migration.yaml');
    const text = dovecotPlanText(suite.server, 'imap', [{ source: `${who}@src.test`, destination: `${who}@dst.test`, srcSecret: 'SRC', dstSecret: 'DST' }]);
    fs.writeFileSync(plan, text.replace('batches:', 'options:\n  delta: { deletions: delete }\nbatches:'));
    const penv = { ...process.env, FERRY_SECRET_SRC: PASSWORD, FERRY_SECRET_DST: PASSWORD, ...env };
    const run = async (pass: string, runEnv = penv) => {
      const r = await ferryRun(suite.ferry, ['run', plan, '--pass', pass, '--json'], dir, runEnv);
      return { summary: JSON.parse(r.stdout) as PassSummary, stderr: r.stderr };
    };
    const query = <T>(sql: string): T[] => queryState<T>(dir, sql);
    const full = await run('full');
    assert.equal(full.summary.items[0].status, 'Completed', full.stderr);
    return { dir, plan, env: penv, run, query };
  }

  /** Every source message once at the destination, in the folder it is in at the source. */
  function sameAsSource(who: Case): void {
    const folders = (user: string) => Object.fromEntries(['', '.Archive'].map((f) => [f || 'INBOX', messageHashes(path.join(suite.server.mailDir(user), f), { crlfAsLf: true }).length]));
    const all = (user: string) => messageHashes(suite.server.mailDir(user), { crlfAsLf: true });
    assert.equal(all(`${who}@dst.test`).length, all(`${who}@src.test`).length, 'messages at the destination');
    assert.deepEqual(all(`${who}@dst.test`), all(`${who}@src.test`), 'every source message exactly once at the destination');
    // INBOX's Maildir folder holds the others as subfolders: its own count is cur/new only.
    const own = (user: string) => ({ ...folders(user), INBOX: folders(user).INBOX - folders(user).Archive });
    assert.deepEqual(own(`${who}@dst.test`), own(`${who}@src.test`), 'each in its folder');
  }

  async function nextDeltaIdle(p: Awaited<ReturnType<typeof copied>>, who: Case): Promise<void> {
    const next = await p.run('delta');
    assert.deepEqual([next.summary.items[0].status, next.summary.totals.copied], ['Resynced', 0], JSON.stringify(next.summary.items[0]));
    assert.doesNotMatch(next.stderr, /ENG-083/, 'told once');
    sameAsSource(who);
  }

  /**
   * `who`'s project copied, 3 messages moved from Archive into INBOX, then a delta held at its first
   * read (its move detection's, of a message new in INBOX) while `atHold` changes the source.
   */
  async function heldMoves(who: Case, atHold: () => Promise<void>) {
    // Through imapflow: the lean reader reads ahead of the engine, past the hold point.
    const p = await copied(who, { FERRY_IMAP_LEAN_FETCH: 'off' });
    await move(`${who}@src.test`, 'Archive', 'INBOX', 3);
    const holds = new HoldPoints();
    const running = ferryRun(suite.ferry, ['run', p.plan, '--pass', 'delta', '--json'], p.dir, holds.env(['source.read#1'], p.env));
    await holds.reached('source.read');
    await atHold();
    holds.release('source.read');
    const r = await running;
    return { p, r, item: (JSON.parse(r.stdout) as PassSummary).items[0] };
  }

  it('3 messages moved out of INBOX, then INBOX renumbered: the delta moves their copies to Archive (found by content), copies nothing, writes nothing twice', async () => {
    const p = await copied('movedout');
    await move('movedout@src.test', 'INBOX', 'Archive', 3);
    renumber('movedout@src.test', 'INBOX');
    const delta = await p.run('delta');
    const item = delta.summary.items[0];
    assert.deepEqual([item.status, item.copied, item.errors], ['Resynced', 0, 0], `${JSON.stringify(item)}\n${delta.stderr}`);
    sameAsSource('movedout');
    const moves = p.query<{ n: number }>(`SELECT COUNT(*) AS n FROM delta_changes WHERE kind = 'moved' AND state = 'done'`)[0].n;
    assert.equal(Number(moves), 3, 'the three moves carried as moves');
    assert.equal(Number(p.query<{ n: number }>(`SELECT COUNT(*) AS n FROM watermarks WHERE source_folder_id = 'INBOX' AND source_item_id NOT LIKE '4242:%'`)[0].n), 0, 'no watermark of the old numbering left');
    await nextDeltaIdle(p, 'movedout');
  });

  it('3 messages moved out of Archive into INBOX, then Archive deleted and made again with the other 2 (another UIDVALIDITY): the copies are moved, nothing written twice', async () => {
    const p = await copied('recreated');
    await move('recreated@src.test', 'Archive', 'INBOX', 3);
    let kept: Buffer[] = [];
    await asClient('recreated@src.test', async (client) => {
      await client.mailboxOpen('Archive');
      kept = (await client.fetchAll('1:*', { source: true })).map((m) => m.source!);
      await client.mailboxClose();
      await client.mailboxDelete('Archive');
      await client.mailboxCreate('Archive');
      for (const raw of kept) await client.append('Archive', raw, ['\\Seen']);
    });
    assert.equal(kept.length, 2);
    const delta = await p.run('delta');
    const item = delta.summary.items[0];
    assert.deepEqual([item.status, item.copied, item.errors], ['Resynced', 0, 0], `${JSON.stringify(item)}\n${delta.stderr}`);
    sameAsSource('recreated');
    await nextDeltaIdle(p, 'recreated');
  });

  it('INBOX renumbered while the delta reads it to find the messages moved into it: listed again, the mailbox not failed, the moves carried, nothing written twice', async () => {
    const { p, r, item } = await heldMoves('duringmoves', async () => renumber('duringmoves@src.test', 'INBOX'));
    assert.deepEqual([item.status, item.copied, item.errors], ['Resynced', 0, 0], `${JSON.stringify(item)}\n${r.stderr}`);
    assert.match(r.stderr, /note IMAP-UIDVALIDITY UIDVALIDITY of INBOX changed from \d+ to 4242/, 'the notice');
    sameAsSource('duringmoves');
    assert.equal(Number(p.query<{ n: number }>(`SELECT COUNT(*) AS n FROM delta_changes WHERE kind = 'moved' AND state = 'done'`)[0].n), 3, 'the three moves carried as moves');
    await nextDeltaIdle(p, 'duringmoves');
  });

  it('a message expunged while the delta reads it to find the messages moved into INBOX: the mailbox not failed, the message reported gone by the copy (IMAP-ITEM-GONE), the others moved', async () => {
    // The first message moved in (INBOX's UIDs 1-30 are the seeded ones): the one being read.
    const { p, r, item } = await heldMoves('gonemoves', () =>
      asClient('gonemoves@src.test', async (client) => {
        await client.mailboxOpen('INBOX');
        assert.ok(await client.messageDelete('31', { uid: true }));
      }),
    );
    assert.deepEqual([item.status, item.copied, item.errors], ['FinishedWithErrors', 0, 1], `${JSON.stringify(item)}\n${r.stderr}`);
    assert.deepEqual(p.query<{ code: string }>('SELECT code FROM errors WHERE resolved_at IS NULL').map((e) => e.code), ['IMAP-ITEM-GONE']);
    sameAsSource('gonemoves');
    assert.equal(Number(p.query<{ n: number }>(`SELECT COUNT(*) AS n FROM delta_changes WHERE kind = 'moved' AND state = 'done'`)[0].n), 2, 'the other two moves carried as moves');
  });

  it('2 messages deleted from INBOX, then INBOX renumbered: their copies are kept at the destination and told (ENG-083), not deleted, not looked at again', async () => {
    const p = await copied('deleted');
    await asClient('deleted@src.test', async (client) => {
      await client.mailboxOpen('INBOX');
      assert.ok(await client.messageDelete('1:2'));
    });
    renumber('deleted@src.test', 'INBOX');
    const delta = await p.run('delta');
    const item = delta.summary.items[0];
    assert.deepEqual([item.status, item.copied, item.errors], ['Resynced', 0, 0], `${JSON.stringify(item)}\n${delta.stderr}`);
    assert.match(delta.stderr, /note ENG-083 The source renumbered INBOX since the last pass; 2 of its earlier copies were not found again/);
    const dst = messageHashes(suite.server.mailDir('deleted@dst.test'), { crlfAsLf: true });
    assert.equal(dst.length, 35, 'nothing deleted at the destination');
    assert.equal(new Set(dst).size, 35, 'nothing written twice');
    assert.deepEqual(
      p.query<{ kind: string; n: number }>(`SELECT kind, COUNT(*) AS n FROM delta_changes GROUP BY kind`).map((r) => [r.kind, Number(r.n)]),
      [['kept-deleted', 2]],
      'recorded as kept',
    );
    const next = await p.run('delta');
    assert.deepEqual([next.summary.items[0].status, next.summary.totals.copied], ['Resynced', 0]);
    assert.doesNotMatch(next.stderr, /ENG-083/, 'told once');
    assert.equal(messageHashes(suite.server.mailDir('deleted@dst.test'), { crlfAsLf: true }).length, 35);
  });
});
