// kill -9 of `ferry run` on the full-fidelity path, Microsoft 365 -> Microsoft 365 (the fake), at
// each step of an import: the import POST made the item but its answer never came back (the
// import/export API's answer is the only thing that names the item), the item waits in its staging
// folder without its watermark, marked but not moved yet, and moved with the move's answer lost.
// Each time the fake holds that step for every lane with an intent, the run is killed, then the
// next one goes on; a last run ends the pass. The destination must hold every source message exactly once, each marked, none in a
// staging folder, each read and flagged exactly as its source, and the staging folders must be gone.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { resetTokenProviders } from '../../../src/connectors/m365/auth/tokenProvider';
import { m365Connector } from '../../../src/connectors/m365/m365Connector';
import { WATERMARK } from '../../../src/connectors/m365/messageProperties';
import type { PassSummary } from '../../../src/engine/summary';
import { openDatabase } from '../../../src/store/sqlite';
import { propKey } from '../../servers/fakeM365/extendedProperties';
import { FULL_FIDELITY_ROLES, startTestTenant, type TestTenant } from '../../servers/fakeM365/testTenant';
import { plainMessage } from '../../servers/testMessages';
import { killLeftChildrenAfterEach, spawnFerry } from './ferryChild';
import { ensureBuilt, exited, ferryRun, storeRows as rows } from './maildirFixture';

const TOTAL = 60;
/** Graph's PATCH of one message: in full fidelity, only the watermark of an item in its staging folder. */
const WATERMARK_PATCH = /^\/users\/[^/]+\/messages\/[^/]+$/;
/** The import URL's POST (the fake serves it under /v1.0/_outlook/importItem). */
const IMPORT = /^\/_outlook\/importItem/;
/** Graph's move of a message: in full fidelity, a marked item out of its staging folder. */
const MOVE = /^\/users\/[^/]+\/messages\/[^/]+\/move$/;

/** What the store's intents hold about their unfinished writes (the column is absent before schema 3: none). */
function handlesOnIntents(dbFile: string): string[] {
  const db = openDatabase(dbFile);
  try {
    return db.prepare('SELECT * FROM intents').all().map((r) => (r as { destination_item_id?: string | null }).destination_item_id).filter((id): id is string => typeof id === 'string');
  } finally {
    db.close();
  }
}

describe('kill -9 during full-fidelity imports (M365 -> M365 fake)', function () {
  // A hang guard, not a measure: alone the test takes about 25 s; on a machine loaded twelve times over its
  // cores, seeding 60 messages alone took longer than 90 s.
  this.timeout(300_000);
  let t: TestTenant;
  const messagesOf = (upn: string) => t.fake.data.mailbox(t.fake.data.findUser(t.tenant, upn)!.id).messages;
  /**
   * Messages without the watermark Ferry's PATCH sets. The source was itself written by Ferry (MIME),
   * and an import keeps every property: until the PATCH, an imported item carries the source's mark.
   */
  const unmarked = (upn: string) => {
    const sourceMarks = new Map(messagesOf('src@contoso.test').map((m) => [m.internetMessageId, m.props[propKey(WATERMARK)]]));
    return messagesOf(upn).filter((m) => m.props[propKey(WATERMARK)] === undefined || m.props[propKey(WATERMARK)] === sourceMarks.get(m.internetMessageId));
  };

  before(async () => {
    t = await startTestTenant(['src@contoso.test', 'dst@contoso.test'], { latencyMs: 1 });
    t.app.roles.push(...FULL_FIDELITY_ROLES);
    t.fake.data.saveDirectory();
    const seed = await m365Connector.openDestination(t.request('src@contoso.test'));
    const folders = [await seed.ensureFolder(['INBOX'], 'inbox'), await seed.ensureFolder(['Projects'], undefined)];
    const signal = new AbortController().signal;
    for (let n = 1; n <= TOTAL; n++) {
      // Every tenth message has no Message-ID (the fake makes one up, as Exchange does).
      const m = plainMessage(7000 + n, { body: `Body ${n} ${'lorem '.repeat(30)}`, ...(n % 10 === 0 ? { messageId: null } : {}) });
      await seed.writeItem(folders[n % 4 === 0 ? 1 : 0], { format: 'rfc822', data: m.raw, flags: [...(n % 2 ? ['\\Seen'] : []), ...(n % 3 === 0 ? ['\\Flagged'] : [])], date: m.date }, signal);
    }
    await seed.close();
  });
  /** What the test waits for now: said when it fails or times out, with what a child left running wrote. */
  let waiting = () => '';
  killLeftChildrenAfterEach(() => `waiting for: ${waiting()}`);
  after(async () => {
    t?.fake.faults.clear();
    await t?.fake.close();
    resetTokenProviders();
  });

  it('ends with every source message exactly once, marked, none left in staging, after kills at each step of an import', async () => {
    const root = ensureBuilt();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-kill-ff-'));
    fs.writeFileSync(
      path.join(dir, 'p.migration.yaml'),
      `version: 1\nproject: { name: KillFullFidelity }\nendpoints:\n  src: ${t.endpointYaml('M365')}\n  dst: ${t.endpointYaml('M365')}\nsource: src\ndestination: dst\nbatches:\n  - name: Main\n    items:\n      - { source: src@contoso.test, destination: dst@contoso.test }\n`,
    );
    const env = { ...process.env, FERRY_SECRET_M365: t.secret, NODE_EXTRA_CA_CERTS: t.fake.caPath };
    const ferry = path.join(root, 'bin', 'ferry.js');
    const db = path.join(dir, '.ferry', 'state.db');
    const dst = () => t.fake.data.mailbox(t.fake.data.findUser(t.tenant, 'dst@contoso.test')!.id);
    const hidden = () => dst().folders.filter((f) => f.isHidden);
    const staged = () => dst().messages.filter((m) => hidden().some((f) => f.id === m.folderId));
    // Where each kill stops every lane that has an intent. Each hold is armed before its run starts
    // and lets the first SKIP matching requests through (the run settles what the last kill left and
    // copies a few items first): every import passes the hold point, so no run, however fast or slow
    // this machine is, reaches the end of its pass past it.
    const SKIP = 8;
    const steps = [
      { step: 'import made, its answer held', hold: () => t.fake.faults.holdAnswers('POST', IMPORT, SKIP) },
      { step: 'in staging, its watermark PATCH held', hold: () => t.fake.faults.holdRequests('PATCH', WATERMARK_PATCH, SKIP) },
      { step: 'marked in staging, its move held', hold: () => t.fake.faults.holdRequests('POST', MOVE, SKIP) },
      // Moved out of staging, the answer lost: found by its watermark, where a full-fidelity item keeps its own state.
      { step: 'moved, its answer held', hold: () => t.fake.faults.holdAnswers('POST', MOVE, SKIP) },
    ];
    const kills: { step: string; unrecorded: number; staged: number; unmarked: number; handles: string[] }[] = [];
    /** Why the kills stopped short: the step, what the store and the fake held, the child's output. */
    let ended = '';
    for (const { step, hold } of steps) {
      hold();
      const run = spawnFerry(ferry, ['run', 'p.migration.yaml', '--pass', 'full'], dir, env);
      const { child } = run;
      const state = () => `${rows(db, 'watermarks')} watermarks, ${rows(db, 'intents')} intents, held ${JSON.stringify(t.fake.faults.held)}`;
      waiting = () => `${step}: as many held as intents (${state()})`;
      // Killed once every lane with an intent waits at this step (as many held as intents): each
      // held request follows a write whose intent was committed first. A lane still reading has no intent.
      const exit = exited(child).then(() => 'exited' as const);
      let parked = false;
      for (let n = 1; !parked; n++) {
        if ((await Promise.race([t.fake.faults.whenHeld(n), exit])) === 'exited') break;
        parked = t.fake.faults.held.length >= rows(db, 'intents');
      }
      if (!parked) {
        ended = `${step}: the run ended before every lane with an intent was held (${state()}); ${run.output()}`;
        t.fake.faults.dropHeld();
        break;
      }
      child.kill('SIGKILL');
      await exited(child);
      t.fake.faults.dropHeld();
      kills.push({ step, unrecorded: dst().messages.length - rows(db, 'watermarks'), staged: staged().length, unmarked: unmarked('dst@contoso.test').length, handles: handlesOnIntents(db) });
    }
    assert.equal(kills.length, steps.length, `a run ended before it could be killed: ${JSON.stringify(kills)}; ${ended}`);
    // Each kill left items the store does not know of at the destination: made, their answers lost.
    assert.ok(kills.every((k) => k.unrecorded >= 1), JSON.stringify(kills));
    console.log(`      kills: ${kills.map((k) => `${k.step}: ${k.unrecorded} unrecorded (${k.staged} in staging, ${k.unmarked} unmarked)`).join('; ')}`);

    waiting = () => 'the last run';
    const rerun = await ferryRun(ferry, ['run', 'p.migration.yaml', '--pass', 'full', '--json'], dir, env);
    assert.equal(rerun.status, 0, rerun.stderr);
    const summary = JSON.parse(rerun.stdout) as PassSummary;
    assert.equal(summary.items[0].status, 'Completed', JSON.stringify(summary.items[0]));

    const key = (m: ReturnType<typeof messagesOf>[number]) => `${m.internetMessageId} ${m.subject}`;
    const source = messagesOf('src@contoso.test').map(key).sort();
    const destination = messagesOf('dst@contoso.test').map(key).sort();
    assert.equal(source.length, TOTAL);
    assert.deepEqual(destination, source, 'every source message exactly once');
    assert.deepEqual(unmarked('dst@contoso.test').map(key), [], 'messages without their watermark');
    assert.ok(messagesOf('dst@contoso.test').every((m) => !m.isDraft));
    // The import/export API's listing has no read or flag state: each item keeps the one it was imported with.
    const state = (upn: string) => messagesOf(upn).map((m) => `${key(m)} read=${m.isRead} ${m.flagStatus ?? 'notFlagged'}`).sort();
    assert.deepEqual(state('dst@contoso.test'), state('src@contoso.test'), 'read and flag state as the source has it');
    assert.deepEqual(hidden().map((f) => f.displayName), [], 'staging folders left behind');
    assert.equal(rows(db, 'intents'), 0);
    assert.equal(rows(db, 'watermarks'), TOTAL);
  });
});
