// Acceptance of issue 15: a plan with three batches left to `ferry serve` (a real child process,
// real Maildirs, a real SMTP server on 127.0.0.1 as the relay): one starting in a few seconds, one
// Synced with a short sync interval, one completing at a set time. The first scheduler is killed
// with SIGKILL in the middle of the start (held at a source read), a second one takes over: each
// batch starts, syncs and completes on time, every run happens once, nothing is copied twice, the
// notifications arrive once each with the right recipients and text, and `ferry status` shows the
// next scheduled action of each batch. Waits on the store and the sink, never on a fixed sleep.
import * as assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openDatabase } from '../../../src/store/sqlite';
import { HoldPoints } from '../../unit/helpers/holdPoints';
import { SmtpSink } from '../../servers/smtpSink';
import { addMessages, ensureBuilt, exited, maildirPlanHead, messageHashes, whenStore } from '../engine/maildirFixture';

const who = { Soon: 'ann', Synced: 'bob', Cutover: 'cat' } as const;

function planText(startAfter: string, completeAfter: string): string {
  return `${maildirPlanHead('Serve acceptance', '  syncInterval: 3s\n  notifications:\n    to: [ops@fabrikam.example]\n    endUsers: { before: 1d }\n')}batches:
  - name: Soon
    startAfter: ${startAfter}
    items: [{ source: ann@contoso.example, destination: ann@fabrikam.example }]
  - name: Synced
    items: [{ source: bob@contoso.example, destination: bob@fabrikam.example }]
  - name: Cutover
    completeAfter: ${completeAfter}
    items: [{ source: cat@contoso.example, destination: cat@fabrikam.example }]
`;
}

/** Rows of the state database of a running serve (read-only use; WAL lets it read beside the writer). */
function rows(dbFile: string, sql: string): Record<string, unknown>[] {
  if (!fs.existsSync(dbFile)) return [];
  const db = openDatabase(dbFile);
  try {
    return db.prepare(sql).all() as Record<string, unknown>[];
  } catch {
    return []; // not migrated yet
  } finally {
    db.close();
  }
}

const batchStatus = (dbFile: string) => Object.fromEntries(rows(dbFile, 'SELECT name, status FROM batches').map((r) => [r.name, r.status]));
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

function collect(child: ChildProcess): { text: string } {
  const out = { text: '' };
  child.stderr?.on('data', (d: Buffer) => (out.text += d.toString()));
  child.stdout?.on('data', (d: Buffer) => (out.text += d.toString()));
  return out;
}

describe('ferry serve: a project that runs itself', function () {
  this.timeout(240_000);
  let sink: SmtpSink;
  let ferry: string;
  const children: ChildProcess[] = [];
  before(async () => {
    ferry = path.join(ensureBuilt(), 'bin', 'ferry.js');
    sink = await SmtpSink.start();
  });
  after(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await sink.close();
  });

  it('starts, syncs and completes each batch on time across a kill -9, notifies once, and status shows what is next', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-serve-'));
    const src = path.join(dir, 'source');
    for (const name of Object.values(who)) addMessages(src, `${name}@contoso.example`, ['INBOX'], 40, 2000);
    const plan = path.join(dir, 'p.migration.yaml');
    const dbFile = path.join(dir, '.ferry', 'state.db');
    const cli = (args: string[]) => spawnSync(process.execPath, [ferry, ...args], { cwd: dir, encoding: 'utf8' });

    // Two batches were migrated by hand before the scheduler: Synced and Cutover are Synced.
    fs.writeFileSync(plan, planText('2999-01-01T00:00:00Z', '2999-01-02T00:00:00Z'));
    for (const batch of ['Synced', 'Cutover']) assert.equal(cli(['run', plan, '--pass', 'full', '--batch', batch]).status, 0);

    // The schedule: Soon starts in a few seconds, Cutover completes a few seconds later.
    const t0 = Date.now();
    const startAfter = iso(t0 + 5_000);
    const completeAfter = iso(t0 + 12_000);
    fs.writeFileSync(plan, planText(startAfter, completeAfter));

    // Before any scheduler runs, status already shows each batch's next action and when.
    const before = JSON.parse(cli(['status', plan, '--json']).stdout) as { projects: { schedule: { batch: string; action: string; dueAt: string; state: string }[] }[] };
    const next = (batch: string) => before.projects[0].schedule.filter((a) => a.batch === batch).map((a) => [a.action, a.action === 'sync' ? 'every 3s' : a.dueAt]);
    assert.deepEqual(next('Soon'), [['start', new Date(startAfter).toISOString()]]);
    assert.deepEqual(next('Synced'), [['sync', 'every 3s']]);
    // The end users' notice is already due (1 day before), the syncs go on until the cut-over.
    assert.deepEqual(next('Cutover').map(([a]) => a).sort(), ['complete', 'notice', 'sync']);
    assert.ok(next('Cutover').some(([a, t]) => a === 'complete' && t === new Date(completeAfter).toISOString()));

    // The first scheduler is held in the middle of Soon's start (its 10th source read), then killed.
    const holds = new HoldPoints();
    const env = { ...process.env, ...sink.env() };
    const first = spawn(process.execPath, [ferry, 'serve', plan, '--look', '1s'], { cwd: dir, env: holds.env(['source.read#10'], env) });
    children.push(first);
    const firstLog = collect(first);
    await holds.reached('source.read');
    assert.deepEqual(rows(dbFile, "SELECT b.name, r.action, r.state FROM scheduled_runs r JOIN batches b ON b.id = r.batch_id WHERE r.action = 'start'").map((r) => [r.name, r.action, r.state]), [['Soon', 'start', 'running']]);
    first.kill('SIGKILL');
    await exited(first);

    // The second scheduler resumes the start; new mail for bob arrives meanwhile.
    const second = spawn(process.execPath, [ferry, 'serve', plan, '--look', '1s'], { cwd: dir, env });
    children.push(second);
    const secondLog = collect(second);
    addMessages(src, 'bob@contoso.example', ['INBOX'], 3, 2000);
    const bobSource = messageHashes(path.join(src, 'bob@contoso.example')).length;
    const done = await whenStore(second, dbFile, () => {
      const s = batchStatus(dbFile);
      return s.Cutover === 'Completed' && s.Soon === 'Synced' && messageHashes(path.join(dir, 'destination', 'bob@fabrikam.example')).length === bobSource;
    });
    assert.ok(done, `serve ended early:\n${secondLog.text}`);

    // One runner per project: a manual pass is refused while serve owns the state folder.
    const manual = cli(['run', plan, '--pass', 'delta']);
    assert.equal(manual.status, 1);
    assert.match(manual.stderr, /ENG-070/);

    await sink.until((m) => m.some((x) => /Cutover completed/.test(x.subject)) && m.some((x) => /Soon is Synced/.test(x.subject)) && m.some((x) => x.to.includes('cat@contoso.example')), 'the started, synced, completed and end-user messages');

    // SIGTERM stops it cleanly.
    second.kill('SIGTERM');
    await exited(second);
    assert.equal(second.exitCode, 0, secondLog.text);
    assert.match(secondLog.text, /start batch Soon \(due [^)]*resumed after a restart\)/);
    // The end users' notice fell due (a day before the cut-over) before any scheduler ran: it runs once and says so.
    assert.match(firstLog.text, /SCHED-001 The notice of batch Cutover was due at \S+, while no scheduler ran; it runs now, once\./);
    assert.doesNotMatch(secondLog.text, /notice batch Cutover/);

    // Every run once: one start of Soon (resumed, not repeated), one completion of Cutover, not before its time.
    const runs = rows(dbFile, 'SELECT b.name, r.action, r.due_at, r.state, r.started_at FROM scheduled_runs r JOIN batches b ON b.id = r.batch_id ORDER BY r.id');
    const of = (name: string, action: string) => runs.filter((r) => r.name === name && r.action === action);
    assert.deepEqual(of('Soon', 'start').map((r) => [r.due_at, r.state]), [[new Date(startAfter).toISOString(), 'done']]);
    assert.deepEqual(of('Cutover', 'complete').map((r) => [r.due_at, r.state]), [[new Date(completeAfter).toISOString(), 'done']]);
    assert.ok(String(of('Cutover', 'complete')[0].started_at) >= new Date(completeAfter).toISOString(), 'completed at completeAfter, not before');
    assert.ok(String(of('Soon', 'start')[0].started_at) >= new Date(startAfter).toISOString(), 'started at startAfter, not before');
    // Synced syncs every 3 s, so the SIGTERM can land during one: that run alone stays running, for
    // the next scheduler to take up again (SchedulesRepo.claim); every earlier one is done.
    const synced = of('Synced', 'sync');
    assert.ok(synced.length >= 1 && synced.slice(0, -1).every((r) => r.state === 'done') && ['done', 'running'].includes(String(synced[synced.length - 1].state)), JSON.stringify(runs));
    assert.deepEqual(of('Cutover', 'notice').map((r) => r.state), ['done']);
    const soonPasses = rows(dbFile, "SELECT p.status FROM passes p WHERE p.kind = 'full' AND p.scope_batch = 'Soon' ORDER BY p.id").map((r) => r.status);
    assert.deepEqual(soonPasses, ['interrupted', 'completed']);

    // Nothing lost, nothing twice, at the destination.
    for (const name of Object.values(who)) {
      assert.deepEqual(messageHashes(path.join(dir, 'destination', `${name}@fabrikam.example`)), messageHashes(path.join(src, `${name}@contoso.example`)), name);
    }

    // Each message once, to the right people, with the right text.
    const keys = sink.received.map((m) => `${m.to.join(',')}|${m.subject}`);
    assert.deepEqual(keys, [...new Set(keys)], 'no message twice');
    const started = sink.received.find((m) => /Soon started/.test(m.subject));
    assert.deepEqual(started?.to, ['ops@fabrikam.example']);
    assert.equal(started?.from, 'ferry@ops.example');
    assert.match(started!.text, /ann@contoso\.example -> ann@fabrikam\.example/);
    const completed = sink.received.find((m) => /Cutover completed/.test(m.subject))!;
    assert.deepEqual(completed.to, ['ops@fabrikam.example']);
    assert.match(completed.text, /cat@contoso\.example -> cat@fabrikam\.example: Finalized\n/);
    const notice = sink.received.find((m) => m.to.includes('cat@contoso.example'))!;
    assert.deepEqual(notice.to, ['cat@contoso.example']);
    assert.equal(notice.subject, `Your mailbox moves on ${new Date(completeAfter).toISOString()}`);
    assert.match(notice.text, /cat@contoso\.example moves to cat@fabrikam\.example/);
    assert.ok(!sink.received.some((m) => m.to.includes('ann@contoso.example') || m.to.includes('bob@contoso.example')), 'no notice for batches without a cut-over');

    // After: Cutover has nothing left; Soon and Synced sync next.
    const after = JSON.parse(cli(['status', plan, '--json']).stdout) as typeof before;
    const left = Object.fromEntries(['Soon', 'Synced', 'Cutover'].map((b) => [b, after.projects[0].schedule.filter((a) => a.batch === b).map((a) => a.action)]));
    assert.deepEqual(left, { Soon: ['sync'], Synced: ['sync'], Cutover: [] });
    const text = cli(['status', plan]).stdout;
    assert.match(text, /Scheduled \(ferry serve\):/);
    assert.match(text, /Soon\s+sync\s+/);
    console.log(`      first serve log:\n${firstLog.text.replace(/^/gm, '        ')}\n      second serve log:\n${secondLog.text.replace(/^/gm, '        ')}`);
  });
});
