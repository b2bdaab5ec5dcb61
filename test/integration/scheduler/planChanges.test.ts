// `ferry serve --git-pull` picks plan changes up from git without a restart: a batch added in the
// repository the plan comes from is pulled, read and started at its startAfter; a change that
// breaks the plan holds the runs (SCHED-003) until the next commit fixes it. Real git, a real
// `ferry serve` child; waits on the store.
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openDatabase } from '../../../src/store/sqlite';
import { addMessages, ensureBuilt, exited, maildirPlanHead, whenStore } from '../engine/maildirFixture';

const git = (cwd: string, ...args: string[]) => {
  const r = spawnSync('git', ['-c', 'user.name=Ferry Test', '-c', 'user.email=test@ferry.example', ...args], { cwd, encoding: 'utf8' });
  assert.equal(r.status, 0, `git ${args.join(' ')}: ${r.stderr}`);
};

function batchStatus(dbFile: string, name: string): string | undefined {
  if (!fs.existsSync(dbFile)) return undefined;
  const db = openDatabase(dbFile);
  try {
    return (db.prepare('SELECT status FROM batches WHERE name = ?').get(name) as { status?: string } | undefined)?.status;
  } catch {
    return undefined;
  } finally {
    db.close();
  }
}

const batch = (name: string, who: string, extra = '') => `  - name: ${name}\n${extra}    items: [{ source: ${who}@contoso.example, destination: ${who}@fabrikam.example }]\n`;

describe('ferry serve picks plan changes up from git', function () {
  this.timeout(180_000);

  it('a batch committed upstream is pulled and started; a broken plan holds the runs until fixed', async function () {
    if (spawnSync('git', ['--version']).status !== 0) this.skip();
    const ferry = path.join(ensureBuilt(), 'bin', 'ferry.js');
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-git-'));
    const upstream = path.join(root, 'upstream');
    fs.mkdirSync(upstream);
    const head = maildirPlanHead('Git plan', "  syncInterval: 'off'\n");
    fs.writeFileSync(path.join(upstream, 'p.migration.yaml'), `${head}batches:\n${batch('First', 'ann')}`);
    git(upstream, 'init', '-q', '-b', 'main');
    git(upstream, 'add', '.');
    git(upstream, 'commit', '-qm', 'plan');
    git(root, 'clone', '-q', upstream, 'work');
    const work = path.join(root, 'work');
    for (const who of ['ann', 'dan']) addMessages(path.join(work, 'source'), `${who}@contoso.example`, ['INBOX'], 5);
    const dbFile = path.join(work, '.ferry', 'state.db');

    const serve = spawn(process.execPath, [ferry, 'serve', 'p.migration.yaml', '--look', '1s', '--git-pull', '1s'], { cwd: work, env: process.env });
    let log = '';
    const waiting: (() => void)[] = [];
    serve.stderr.on('data', (d: Buffer) => {
      log += d.toString();
      for (const w of waiting.splice(0)) w();
    });
    /** Resolves once the log matches (checked on each line it writes), bounded. */
    const logged = async (pattern: RegExp) => {
      const deadline = Date.now() + 60_000;
      while (!pattern.test(log)) {
        if (Date.now() > deadline || serve.exitCode !== null) throw new Error(`no ${pattern} in:\n${log}`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, deadline - Date.now());
          waiting.push(() => (clearTimeout(timer), resolve()));
        });
      }
    };
    try {
      // A change that breaks the plan: the runs wait, and it is said with its code.
      fs.writeFileSync(path.join(upstream, 'p.migration.yaml'), `${head}batches:\n${batch('First', 'ann')}${batch('Second', 'dan', '    startAfter: 2026-01-01T00:00:00\n')}`);
      git(upstream, 'commit', '-qam', 'a start time without its zone');
      await logged(/SCHED-003 .*PLAN-037/);
      assert.equal(batchStatus(dbFile, 'Second'), undefined);

      // The fix: Second starts (its startAfter has passed), without a restart.
      fs.writeFileSync(path.join(upstream, 'p.migration.yaml'), `${head}batches:\n${batch('First', 'ann')}${batch('Second', 'dan', '    startAfter: 2026-01-01T00:00:00Z\n')}`);
      git(upstream, 'commit', '-qam', 'zone');
      assert.ok(await whenStore(serve, dbFile, () => batchStatus(dbFile, 'Second') === 'Synced'), log);
      assert.match(log, /plan .*p\.migration\.yaml changed: read again \(2 batches\)/);
      assert.match(log, /start batch Second \(due 2026-01-01T00:00:00\.000Z\)/);
      assert.equal(batchStatus(dbFile, 'First'), 'Created', 'a batch without a schedule is not started by the scheduler');
    } finally {
      serve.kill('SIGTERM');
      await exited(serve);
    }
    assert.equal(serve.exitCode, 0, log);
  });
});
