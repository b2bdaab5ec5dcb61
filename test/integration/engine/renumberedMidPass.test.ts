// A full pass lists an IMAP folder in windows of 2,000 (listingWindows.ts). The source changes
// under it mid pass, on a real Dovecot, the pass held at a read (hold point source.read): a folder
// renumbered (a new UIDVALIDITY, as a restore or an index rebuild gives) after its first window was
// copied, or after the pass listed it and before its first window, is listed anew and copied on in
// the same pass, every message once at the destination and the mailbox Completed; a message
// expunged meanwhile is reported gone (IMAP-ITEM-GONE), not a failure of the mailbox; a folder
// deleted meanwhile fails the mailbox as on the listing path (IMAP-NOMAILBOX per item, ENG-011).
// A delta or a second full pass of a folder renumbered since the full pass finds every copy again
// by content. So does the rerun (full or delta) of a pass killed or cancelled in the middle of a
// folder, before it recorded the folder's cursor, when the folder was renumbered meanwhile (without
// a renumber it copies only the rest). Bodies are read through imapflow here (FERRY_IMAP_LEAN_FETCH=off): the lean reader
// reads up to 8 MiB ahead of the engine, so a server change at a hold point would come after it had
// every body of these small messages; its own handling of a renumbered folder (IMAP-UIDVALIDITY, so
// the engine lists anew) is tested in unit/connectors/imapLeanReader.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { EngineEvent } from '../../../src/engine/events';
import type { PassSummary } from '../../../src/engine/summary';
import { RunnerClient } from '../../../src/runner/client';
import { startDovecot, type DovecotServer } from '../../servers/dovecot';
import type { ImapFlow } from 'imapflow';
import { asClient as asClientOf, renumberFolder, sessionsEnded } from '../../servers/dovecotSeed';
import { plainMessage } from '../../servers/testMessages';
import { HoldPoints } from '../../unit/helpers/holdPoints';
import { tempDir } from '../../unit/helpers/repoRoot';
import { dovecotPlanText } from './dovecotPlan';
import { spawnFerry } from './ferryChild';
import { ensureBuilt, exited, ferryRun, killAtHold, messageHashes, queryState } from './maildirFixture';

const PASSWORD = 'renumber-pw';
/** More than one window of the IMAP listing (2,000). */
const MESSAGES = 2300;
const cases = ['renumbered', 'between', 'expunged', 'deleted', 'delta', 'rerun', 'killed', 'stopkilled', 'stopcancelled', 'stopkept', 'stopdelta', 'stoprecreated', 'stopprogress'] as const;
/** Messages of a folder a pass is stopped in (one window, four write batches): it stops at the read of the 251st (the first batch recorded, the second in flight). */
const STOPPED_AT = 251;
const SMALL = 400;

describe('a folder changed at the source in the middle of a windowed pass (IMAP on Dovecot)', function () {
  this.timeout(240_000);
  let server: DovecotServer;
  let ferry: string;

  before(async () => {
    ferry = path.join(ensureBuilt(), 'bin', 'ferry.js');
    server = await startDovecot({ users: cases.flatMap((c) => [{ user: `${c}@src.test`, password: PASSWORD }, { user: `${c}@dst.test`, password: PASSWORD }]) });
  });
  after(async () => {
    await server?.stop();
  });

  /**
   * `count` distinct messages in a folder of `user` (Maildir++: '' is INBOX, '.Big' the folder Big),
   * written as Maildir files (APPENDing thousands one by one is slow).
   */
  function seed(user: string, folder: '' | '.Big', first: number, count: number): void {
    const dir = path.join(server.mailDir(user), folder);
    for (const sub of ['cur', 'new', 'tmp']) fs.mkdirSync(path.join(dir, sub), { recursive: true });
    for (let i = 0; i < count; i++) fs.writeFileSync(path.join(dir, 'cur', `${1_700_000_000 + i}.M${first + i}P1.seed:2,S`), plainMessage(first + i).raw);
    if (process.getuid?.() === 0) execFileSync('chown', ['-R', 'nobody:nogroup', server.mailDir(user)]);
  }

  const asClient = (user: string, work: (client: ImapFlow) => Promise<unknown>) => asClientOf(server, user, work);

  /** `user` expunges the message of UID `uid` from the INBOX. */
  const expunge = (user: string, uid: number) =>
    asClient(user, async (client) => {
      await client.mailboxOpen('INBOX');
      assert.ok(await client.messageDelete(String(uid), { uid: true }));
    });

  const renumber = (user: string, folder: string) => renumberFolder(server, user, folder);

  /** A project copying `who`'s source mailbox (seeded already): its plan, passes and state. */
  function project(who: (typeof cases)[number]) {
    const dir = tempDir(`ferry-${who}`);
    const plan = path.join(dir, 'p.migration.yaml');
    fs.writeFileSync(plan, dovecotPlanText(server, 'imap', [{ source: `${who}@src.test`, destination: `${who}@dst.test`, srcSecret: 'SRC', dstSecret: 'DST' }]));
    const env = { ...process.env, FERRY_SECRET_SRC: PASSWORD, FERRY_SECRET_DST: PASSWORD, FERRY_IMAP_LEAN_FETCH: 'off' };
    const args = ['run', plan, '--pass', 'full', '--json'];
    const run = async (pass: string) => JSON.parse((await ferryRun(ferry, ['run', plan, '--pass', pass, '--json'], dir, env)).stdout) as PassSummary;
    const query = <T>(sql: string): T[] => queryState<T>(dir, sql);
    const errorCodes = () => query<{ code: string }>('SELECT code FROM errors WHERE resolved_at IS NULL ORDER BY id').map((e) => e.code);
    const watermarks = () => Number(query<{ n: number }>('SELECT COUNT(*) AS n FROM watermarks')[0].n);
    /** Watermarks of ids under the UIDVALIDITY `renumber` gives, and under others. */
    const byValidity = () => {
      const [renumbered, old] = [`LIKE '4242:%'`, `NOT LIKE '4242:%'`].map((like) => Number(query<{ n: number }>(`SELECT COUNT(*) AS n FROM watermarks WHERE source_item_id ${like}`)[0].n));
      return { renumbered, old };
    };
    /** The cursor recorded for a source folder (null: none yet). */
    const cursorOf = (folder: string) => query<{ cursor: string | null }>(`SELECT cursor FROM folder_cursors WHERE source_path = '${folder}'`)[0]?.cursor ?? null;
    /** The UIDVALIDITYs the watermarks' source ids are of. */
    const validities = () => query<{ v: string }>(`SELECT DISTINCT substr(source_item_id, 1, instr(source_item_id, ':') - 1) AS v FROM watermarks ORDER BY v`).map((r) => r.v);
    return { dir, env, args, run, errorCodes, watermarks, byValidity, cursorOf, validities };
  }

  /** A full pass of `who`'s project held at its read number `at` while `atHold` changes the source. */
  async function heldPass(who: (typeof cases)[number], at: number, atHold: () => Promise<void>) {
    const p = project(who);
    const holds = new HoldPoints();
    const running = ferryRun(ferry, p.args, p.dir, holds.env([`source.read#${at}`], p.env));
    await holds.reached('source.read');
    await atHold();
    holds.release('source.read');
    const r = await running;
    return { ...p, summary: JSON.parse(r.stdout) as PassSummary, stderr: r.stderr };
  }

  const hashes = (user: string) => messageHashes(server.mailDir(user), { crlfAsLf: true });

  it('renumbered (new UIDVALIDITY) after the first window: listed anew, every message copied once, Completed; a delta then copies nothing', async () => {
    seed('renumbered@src.test', '', 10_000, MESSAGES);
    // At the 2,001st read the first window (2,000 messages) is copied and recorded.
    const { summary, stderr, run, watermarks } = await heldPass('renumbered', 2001, async () => renumber('renumbered@src.test', 'INBOX'));
    const item = summary.items[0];
    assert.equal(item.status, 'Completed', `${JSON.stringify(item)}\n${stderr}`);
    assert.deepEqual([item.errors, item.copied], [0, MESSAGES], 'the copies found again are not counted as copied a second time');
    assert.match(stderr, /note IMAP-UIDVALIDITY UIDVALIDITY of INBOX changed from \d+ to 4242/, 'the notice');
    const source = hashes('renumbered@src.test');
    assert.equal(source.length, MESSAGES);
    const copied = hashes('renumbered@dst.test');
    assert.equal(copied.length, source.length, 'messages at the destination');
    assert.deepEqual(copied, source, 'every source message exactly once at the destination');
    assert.equal(watermarks(), MESSAGES, 'one watermark per copy (those of the old UIDVALIDITY replaced)');

    // The cursor recorded is the new UIDVALIDITY's: a delta finds nothing to copy, and writes nothing.
    const delta = await run('delta');
    assert.deepEqual([delta.items[0].status, delta.totals.copied], ['Resynced', 0]);
    assert.deepEqual(hashes('renumbered@dst.test'), source);
  });

  it('renumbered after the pass listed it, before its first window (while INBOX was copied): listed anew, not left out of a Completed pass', async () => {
    seed('between@src.test', '', 30_000, 3);
    seed('between@src.test', '.Big', 40_000, MESSAGES);
    const { summary, stderr } = await heldPass('between', 1, async () => renumber('between@src.test', 'Big'));
    const item = summary.items[0];
    assert.equal(item.status, 'Completed', `${JSON.stringify(item)}\n${stderr}`);
    assert.match(stderr, /note IMAP-UIDVALIDITY UIDVALIDITY of Big changed from \d+ to 4242/, 'the notice');
    const source = hashes('between@src.test');
    assert.equal(source.length, MESSAGES + 3);
    const copied = hashes('between@dst.test');
    assert.equal(copied.length, source.length, 'messages at the destination');
    assert.deepEqual(copied, source, 'every source message exactly once at the destination');
  });

  it('a message expunged after the first window: reported gone (IMAP-ITEM-GONE), the mailbox not failed, the others copied once', async () => {
    seed('expunged@src.test', '', 20_000, MESSAGES);
    // In the second window, which the pass listed before the expunge.
    const { summary, stderr, errorCodes, run } = await heldPass('expunged', 2001, () => expunge('expunged@src.test', 2100));
    const item = summary.items[0];
    assert.equal(item.status, 'FinishedWithErrors', `${JSON.stringify(item)}\n${stderr}`);
    assert.deepEqual([item.errors, item.copied], [1, MESSAGES - 1]);
    assert.deepEqual(errorCodes(), ['IMAP-ITEM-GONE']);
    const source = hashes('expunged@src.test');
    assert.equal(source.length, MESSAGES - 1);
    assert.deepEqual(hashes('expunged@dst.test'), source);

    // Renumbered before a retry of that error: the retry cannot name the item by its old id; the
    // error stays open with the source's code, the mailbox is not failed, nothing is written.
    renumber('expunged@src.test', 'INBOX');
    const retry = await run('retry');
    assert.deepEqual([retry.items[0].status, retry.totals.copied, retry.totals.errors], ['FinishedWithErrors', 0, 1], JSON.stringify(retry.items[0]));
    assert.deepEqual(errorCodes(), ['IMAP-UIDVALIDITY']);
    assert.deepEqual(hashes('expunged@dst.test'), source);
  });

  it('the folder deleted after its first window: as on the listing path, its reads fail IMAP-NOMAILBOX (the folder named) until the bad item limit fails the mailbox, not Completed; a rerun copies nothing twice', async () => {
    seed('deleted@src.test', '', 50_000, 3);
    seed('deleted@src.test', '.Big', 60_000, MESSAGES);
    // The 3 INBOX messages first, then the first window of Big.
    const { summary, stderr, errorCodes, run } = await heldPass('deleted', 2004, () => asClient('deleted@src.test', (client) => client.mailboxDelete('Big')));
    const item = summary.items[0];
    assert.deepEqual([item.status, item.code], ['Failed', 'ENG-011'], `${JSON.stringify(item)}\n${stderr}`);
    assert.ok(item.copied >= 2003, 'the INBOX and the first window of Big are copied');
    assert.deepEqual([...new Set(errorCodes())], ['IMAP-NOMAILBOX', 'ENG-011']);
    assert.match(stderr, /IMAP-NOMAILBOX The folder Big does not exist/);
    const copied = hashes('deleted@dst.test');
    assert.equal(copied.length, item.copied);
    assert.equal(new Set(copied).size, copied.length, 'no message twice');

    const rerun = await run('full');
    assert.deepEqual([rerun.items[0].status, rerun.totals.copied], ['Completed', 0]);
    assert.deepEqual(hashes('deleted@dst.test'), copied);
  });

  for (const [who, pass, status] of [['delta', 'delta', 'Resynced'], ['rerun', 'full', 'Completed']] as const) {
    it(`renumbered between a full pass and a ${pass} pass: the second lists it anew (told by the recorded cursor) and finds every copy by content, none written twice`, async () => {
      seed(`${who}@src.test`, '', who === 'delta' ? 70_000 : 80_000, 30);
      const p = project(who);
      assert.equal((await p.run('full')).items[0].status, 'Completed');
      renumber(`${who}@src.test`, 'INBOX');
      const second = await p.run(pass);
      assert.deepEqual([second.items[0].status, second.totals.copied], [status, 0], JSON.stringify(second.items[0]));
      const source = hashes(`${who}@src.test`);
      assert.deepEqual(hashes(`${who}@dst.test`), source, 'every source message exactly once at the destination');
      assert.deepEqual(p.byValidity(), { renumbered: 30, old: 0 }, 'one watermark per copy, under the new UIDVALIDITY');
      assert.deepEqual([(await p.run(pass)).totals.copied, hashes(`${who}@dst.test`).length], [0, 30], 'the next pass has nothing to do');
    });
  }

  it('killed while the renumbered folder is found again: the rerun sees it renumbered (the old cursor was recorded) and writes nothing twice', async () => {
    seed('killed@src.test', '', 90_000, MESSAGES);
    const p = project('killed');
    const holds = new HoldPoints();
    // Window 1 is 20 write batches of 100 (intents 1-20); the 21st is the relist's first write.
    const { child, output } = spawnFerry(ferry, p.args, p.dir, holds.env(['source.read#2001', 'intent.before#21'], p.env));
    await holds.reached('source.read');
    renumber('killed@src.test', 'INBOX');
    // One copy of window 1 lost at the destination: the relist writes it again in the middle of finding the others.
    await expunge('killed@dst.test', 1000);
    holds.release('source.read');
    await holds.reached('intent.before', 1, `the relist's first write: ${output()}`);
    child.kill('SIGKILL');
    await exited(child);
    const killed = p.byValidity();
    assert.ok(killed.renumbered > 0 && killed.old > 1, `killed with copies found again and old watermarks left to replace: ${JSON.stringify(killed)}`);

    const rerun = await p.run('full');
    assert.equal(rerun.items[0].status, 'Completed', JSON.stringify(rerun.items[0]));
    const source = hashes('killed@src.test');
    const copied = hashes('killed@dst.test');
    assert.equal(copied.length, source.length, 'messages at the destination');
    assert.deepEqual(copied, source, 'every source message exactly once at the destination');
    // The old watermark of the copy lost at the destination stays (no copy was found for it): a
    // delta settles it as gone at the source.
    assert.deepEqual(p.byValidity(), { renumbered: MESSAGES, old: 1 }, 'one watermark per message');
  });

  /**
   * A full pass of `who`'s project stopped at the read of its STOPPED_AT-th message (in `folder`): killed
   * (SIGKILL), or cancelled (SIGTERM, as `ferry stop` and Ctrl-C: the items in flight finish). The
   * folder's copies so far are recorded, its cursor is not (the pass never finished the folder).
   */
  async function stoppedPass(who: (typeof cases)[number], how: 'killed' | 'cancelled', folder = 'INBOX') {
    const p = project(who);
    const hold = `source.read#${STOPPED_AT}`;
    if (how === 'killed') await killAtHold(ferry, p.args, p.dir, p.env, hold);
    else {
      const holds = new HoldPoints();
      const { child, output } = spawnFerry(ferry, p.args, p.dir, holds.env([hold], p.env));
      let held = false;
      const reached = holds.reached('source.read').then(() => void (held = true));
      reached.catch(() => undefined);
      const ended = exited(child).then(() => {
        if (!held) assert.fail(`ended before ${hold}: ${output()}`);
      });
      await Promise.race([reached, ended]);
      child.kill('SIGTERM');
      // The run has taken the stop request (its handler ran) before the held read goes on: a bounded poll of its output.
      for (let tries = 0; !/stopping cleanly/.test(output()); tries++) {
        if (tries > 3000) assert.fail(`the run never took the stop request: ${output()}`);
        await sleep(10);
      }
      holds.release('source.read');
      await ended;
    }
    // Dovecot may still be storing the killed pass's last APPEND: counted once its session ended.
    await sessionsEnded(server, `${who}@dst.test`);
    const written = hashes(`${who}@dst.test`).length;
    assert.ok(written > 0 && written < SMALL, `stopped with part of the folder copied (${written})`);
    assert.equal(p.cursorOf(folder), null, 'no cursor of the folder recorded');
    assert.ok(p.watermarks() > 0, 'its copies so far recorded');
    return { ...p, written };
  }

  for (const [who, how] of [['stopkilled', 'killed'], ['stopcancelled', 'cancelled']] as const) {
    it(`${how} before the folder's cursor was recorded, then renumbered: the rerun finds the copies of the old ids by content and copies the rest, every message once, Completed with the count really written`, async () => {
      seed(`${who}@src.test`, '', who === 'stopkilled' ? 100_000 : 110_000, SMALL);
      const p = await stoppedPass(who, how);
      renumber(`${who}@src.test`, 'INBOX');
      const rerun = await p.run('full');
      const item = rerun.items[0];
      assert.equal(item.status, 'Completed', JSON.stringify(item));
      const source = hashes(`${who}@src.test`);
      const copied = hashes(`${who}@dst.test`);
      assert.equal(copied.length, source.length, `messages at the destination (${p.written} before the rerun)`);
      assert.deepEqual(copied, source, 'every source message exactly once at the destination');
      assert.deepEqual([item.copied, item.errors], [SMALL - p.written, 0], 'copied: what the rerun really wrote');
      assert.deepEqual(p.byValidity(), { renumbered: SMALL, old: 0 }, 'one watermark per copy, under the new UIDVALIDITY');
      assert.deepEqual([(await p.run('delta')).totals.copied, hashes(`${who}@dst.test`).length], [0, SMALL], 'a delta then has nothing to do');
    });
  }

  it('killed before the folder cursor was recorded, then renumbered: the rerun\'s progress total is the folder\'s whole count from the first event (every message is gone through again), never below what is done, and ends where the copy ends', async () => {
    seed('stopprogress@src.test', '', 150_000, SMALL);
    const p = await stoppedPass('stopprogress', 'killed');
    renumber('stopprogress@src.test', 'INBOX');
    // Through the runner, as the extension runs a pass: its events are what the views show.
    const runner = await RunnerClient.fork(path.join(p.dir, '.ferry'), { runnerModule: path.join(ensureBuilt(), 'dist', 'runner.js'), env: p.env });
    const progress: Extract<EngineEvent, { type: 'progress' }>[] = [];
    try {
      await runner.request({ type: 'subscribe' });
      runner.onEvent((e) => {
        if (e.type === 'progress') progress.push(e);
      });
      const summary = await runner.request<PassSummary>({ type: 'start', planFile: path.join(p.dir, 'p.migration.yaml'), pass: 'full' });
      assert.deepEqual([summary.items[0].status, summary.items[0].copied], ['Completed', SMALL - p.written], JSON.stringify(summary.items[0]));
    } finally {
      await runner.shutdown();
    }
    assert.deepEqual(hashes('stopprogress@dst.test'), hashes('stopprogress@src.test'), 'every source message exactly once at the destination');
    assert.ok(progress.length >= 2, `progress events: ${progress.length}`);
    assert.deepEqual([progress[0].itemsDone, progress[0].itemsTotal], [0, SMALL], 'the first total: the folder\'s count (nothing is copied under its new ids)');
    for (const e of progress) assert.ok(e.itemsDone <= e.itemsTotal, `done ${e.itemsDone} of ${e.itemsTotal}`);
    const last = progress.at(-1)!;
    assert.deepEqual([last.itemsDone, last.itemsTotal], [SMALL - p.written, SMALL - p.written], 'the last: what was written, of what was written (the copies found again are neither)');
  });

  it('killed before the folder cursor was recorded, then the folder deleted and made again with the same messages (another UIDVALIDITY): the rerun copies each message once', async () => {
    seed('stoprecreated@src.test', '.Big', 140_000, SMALL);
    const p = await stoppedPass('stoprecreated', 'killed', 'Big');
    const [before] = p.validities();
    await asClient('stoprecreated@src.test', (client) => client.mailboxDelete('Big'));
    seed('stoprecreated@src.test', '.Big', 140_000, SMALL);
    const rerun = await p.run('full');
    assert.equal(hashes('stoprecreated@dst.test').length, SMALL, `messages at the destination (${p.written} before the rerun)`);
    assert.deepEqual(hashes('stoprecreated@dst.test'), hashes('stoprecreated@src.test'), 'every source message exactly once at the destination');
    assert.deepEqual([rerun.items[0].status, rerun.items[0].copied], ['Completed', SMALL - p.written], JSON.stringify(rerun.items[0]));
    const after = p.validities();
    assert.ok(after.length === 1 && after[0] !== before, `one watermark per copy, all under the new UIDVALIDITY (${before}, then ${after.join(', ')})`);
    assert.equal(p.watermarks(), SMALL, 'one watermark per copy');
  });

  it('killed before the folder cursor was recorded, not renumbered: the rerun copies only the rest', async () => {
    seed('stopkept@src.test', '', 120_000, SMALL);
    const p = await stoppedPass('stopkept', 'killed');
    const rerun = await p.run('full');
    assert.deepEqual([rerun.items[0].status, rerun.items[0].copied], ['Completed', SMALL - p.written], JSON.stringify(rerun.items[0]));
    assert.deepEqual(hashes('stopkept@dst.test'), hashes('stopkept@src.test'), 'every source message exactly once at the destination');
    assert.equal(p.watermarks(), SMALL);
  });

  it('killed before the folder cursor was recorded, then renumbered, then a delta: the delta lists the folder whole, finds the old copies by content and copies the rest once', async () => {
    seed('stopdelta@src.test', '', 130_000, SMALL);
    const p = await stoppedPass('stopdelta', 'killed');
    renumber('stopdelta@src.test', 'INBOX');
    const delta = await p.run('delta');
    assert.equal(delta.items[0].errors, 0, JSON.stringify(delta.items[0]));
    assert.equal(delta.items[0].copied, SMALL - p.written, 'copied: what the delta really wrote');
    assert.deepEqual(hashes('stopdelta@dst.test'), hashes('stopdelta@src.test'), 'every source message exactly once at the destination');
    assert.deepEqual(p.byValidity(), { renumbered: SMALL, old: 0 });
  });
});
