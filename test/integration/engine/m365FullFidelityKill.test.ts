// kill -9 of `ferry run` on the full-fidelity path, Microsoft 365 -> Microsoft 365 (the fake): each
// item is imported (POST to the import URL), then one PATCH sets its watermark. Three times the run
// is killed mid-pass while the fake holds watermark PATCHes and imports unanswered, so at least one
// item is imported and not marked; then it runs to the end. The destination must hold every source
// message exactly once, each with its watermark: the cut import is finished by the id the engine
// kept on its intent, not imported a second time. (An import whose answer never reached Ferry is
// outside what this closes: the test holds imports so that none is in flight at the kill.)
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { resetTokenProviders } from '../../../src/connectors/m365/auth/tokenProvider';
import { m365Connector } from '../../../src/connectors/m365/m365Connector';
import { WATERMARK } from '../../../src/connectors/m365/messageProperties';
import type { PassSummary } from '../../../src/engine/summary';
import { openDatabase } from '../../../src/store/sqlite';
import { propKey } from '../../servers/fakeM365/extendedProperties';
import { startTestTenant, type TestTenant } from '../../servers/fakeM365/testTenant';
import { plainMessage } from '../../servers/testMessages';
import { ensureBuilt, exited, ferryRun, storeRows as rows, whenStore } from './maildirFixture';

const TOTAL = 60;
/** Graph's PATCH of one message: in full fidelity, only the watermark after an import. */
const WATERMARK_PATCH = /^\/users\/[^/]+\/messages\/[^/]+$/;
/** The import URL's POST (the fake serves it under /v1.0/_outlook/importItem). */
const IMPORT = /^\/_outlook\/importItem/;

/** The destination ids the store's intents hold (the column is absent before schema 3: none). */
function createdIdsOnIntents(dbFile: string): string[] {
  const db = openDatabase(dbFile);
  try {
    return db.prepare('SELECT * FROM intents').all().map((r) => (r as { destination_item_id?: string | null }).destination_item_id).filter((id): id is string => typeof id === 'string');
  } finally {
    db.close();
  }
}

describe('kill -9 during full-fidelity imports (M365 -> M365 fake)', function () {
  this.timeout(90_000);
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
    t.app.roles.push('MailboxItem.ImportExport.All');
    t.fake.data.saveDirectory();
    const seed = await m365Connector.openDestination(t.request('src@contoso.test'));
    const folders = [await seed.ensureFolder(['INBOX'], 'inbox'), await seed.ensureFolder(['Projects'], undefined)];
    const signal = new AbortController().signal;
    for (let n = 1; n <= TOTAL; n++) {
      // Every tenth message has no Message-ID (the fake makes one up, as Exchange does).
      const m = plainMessage(7000 + n, { body: `Body ${n} ${'lorem '.repeat(30)}`, ...(n % 10 === 0 ? { messageId: null } : {}) });
      await seed.writeItem(folders[n % 4 === 0 ? 1 : 0], { format: 'rfc822', data: m.raw, flags: n % 2 ? ['\\Seen'] : [], date: m.date }, signal);
    }
    await seed.close();
  });
  after(async () => {
    t?.fake.faults.clear();
    await t?.fake.close();
    resetTokenProviders();
  });

  it('ends with every source message exactly once, each with its watermark, after kills between import and watermark', async () => {
    const root = ensureBuilt();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-kill-ff-'));
    fs.writeFileSync(
      path.join(dir, 'p.migration.yaml'),
      `version: 1\nproject: { name: KillFullFidelity }\nendpoints:\n  src: ${t.endpointYaml('M365')}\n  dst: ${t.endpointYaml('M365')}\nsource: src\ndestination: dst\nbatches:\n  - name: Main\n    items:\n      - { source: src@contoso.test, destination: dst@contoso.test }\n`,
    );
    const env = { ...process.env, FERRY_SECRET_M365: t.secret, NODE_EXTRA_CA_CERTS: t.fake.caPath };
    const ferry = path.join(root, 'bin', 'ferry.js');
    const db = path.join(dir, '.ferry', 'state.db');
    const kills: { unmarked: string[]; createdIds: string[] }[] = [];
    for (let kill = 1; kill <= 3; kill++) {
      const before = rows(db, 'watermarks');
      const child = spawn(process.execPath, [ferry, 'run', 'p.migration.yaml', '--pass', 'full'], { cwd: dir, env, stdio: 'ignore' });
      if (!(await whenStore(child, db, () => rows(db, 'watermarks') >= before + 8))) break;
      // From now on no watermark PATCH is served, and once one waits no import either: each lane
      // stops at one of them, an item imported and not marked, or an import not made. Killed when
      // every lane with an intent has stopped there (as many held requests as intents): an import
      // answered before that has had its id recorded, and none is in flight. A lane still reading
      // its item has no intent and has written nothing. Each check follows a newly held request.
      t.fake.faults.holdRequests('PATCH', WATERMARK_PATCH);
      const ended = exited(child).then(() => 'exited' as const);
      if ((await Promise.race([t.fake.faults.whenHeld(1), ended])) === 'exited') break;
      t.fake.faults.holdRequests('POST', IMPORT);
      let parked = false;
      for (let n = 1; !parked; n++) {
        if ((await Promise.race([t.fake.faults.whenHeld(n), ended])) === 'exited') break;
        parked = t.fake.faults.held.length >= rows(db, 'intents');
      }
      if (!parked) break;
      child.kill('SIGKILL');
      await exited(child);
      t.fake.faults.dropHeld();
      kills.push({ unmarked: unmarked('dst@contoso.test').map((m) => m.immutableId ?? m.id), createdIds: createdIdsOnIntents(db) });
    }
    assert.equal(kills.length, 3, 'a run ended before it could be killed');
    // Each kill left an imported item without its watermark (the old code imported it again).
    assert.ok(kills.every((k) => k.unmarked.length >= 1), JSON.stringify(kills));

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
    // The engine had each such import's id on its intent before the kill: that is what the rerun finished.
    assert.ok(kills.every((k) => k.unmarked.every((id) => k.createdIds.includes(id))), JSON.stringify(kills));
    assert.equal(rows(db, 'intents'), 0);
    assert.equal(rows(db, 'watermarks'), TOTAL);
  });
});
