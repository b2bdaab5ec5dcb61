// The engine against a real IMAP server (Debian's Dovecot on 127.0.0.1): Maildir -> IMAP full then
// delta, IMAP -> IMAP with flags, a wrong password (Not valid with its code), and kill -9 of the
// runner mid-pass with an IMAP destination. Content compares modulo line endings.
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runPass } from '../../../src/engine/runPass';
import type { PassSummary } from '../../../src/engine/summary';
import { registryConnectors } from '../../../src/runner/connectors';
import { loadPlan } from '../../../src/runner/loadPlan';
import { Store } from '../../../src/store/store';
import { startDovecot, type DovecotServer } from '../../servers/dovecot';
import { seedMessages } from '../../servers/dovecotSeed';
import { plainMessage } from '../../servers/testMessages';
import { dovecotPlanText as planText } from './dovecotPlan';
import { addMessages, ensureBuilt, exited, messageHashes, watermarkCount, whenStore } from './maildirFixture';

describe('engine against Dovecot', function () {
  this.timeout(120_000);
  let server: DovecotServer;
  const secrets: Record<string, string> = { ANN_DST: 'ann-dst-pw', BOB_SRC: 'bob-src-pw', BOB_DST: 'bob-dst-pw', WRONG: 'not-the-password', KILL_DST: 'kill-pw' };

  before(async () => {
    server = await startDovecot({
      users: [
        { user: 'ann@dst.test', password: 'ann-dst-pw' },
        { user: 'bob@src.test', password: 'bob-src-pw' },
        { user: 'bob@dst.test', password: 'bob-dst-pw' },
        { user: 'kill@dst.test', password: 'kill-pw' },
      ],
    });
  });
  after(async () => {
    await server?.stop();
  });

  const project = (text: string) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-dovecot-engine-'));
    fs.writeFileSync(path.join(dir, 'p.migration.yaml'), text);
    return dir;
  };

  it('Maildir -> IMAP: full, delta moves zero, new mail moves once, content arrives', async () => {
    const dir = project(planText(server, 'maildir', [{ source: 'ann@src.test', destination: 'ann@dst.test', dstSecret: 'ANN_DST' }]));
    addMessages(path.join(dir, 'source'), 'ann@src.test', ['INBOX'], 30);
    addMessages(path.join(dir, 'source'), 'ann@src.test', ['Projets', 'Été 2026'], 10);
    const { plan } = loadPlan(path.join(dir, 'p.migration.yaml'));
    const store = Store.open(path.join(dir, '.ferry'));
    const run = (pass: 'full' | 'delta') => runPass({ plan, store, pass, connectors: registryConnectors, secrets: (n) => secrets[n] });
    const full = await run('full');
    assert.deepEqual([full.items[0].status, full.totals.copied], ['Completed', 40], JSON.stringify(full.items));
    assert.equal((await run('delta')).totals.copied, 0);
    const added = addMessages(path.join(dir, 'source'), 'ann@src.test', ['INBOX'], 2);
    const later = new Date(Date.now() + 60_000);
    for (const f of added) fs.utimesSync(f, later, later);
    assert.equal((await run('delta')).totals.copied, 2);
    assert.equal((await run('delta')).totals.copied, 0);
    assert.deepEqual(messageHashes(server.mailDir('ann@dst.test'), { crlfAsLf: true }), messageHashes(path.join(dir, 'source', 'ann@src.test'), { crlfAsLf: true }));
    store.close();
  });

  it('IMAP -> IMAP keeps flags; delta after full is empty; a wrong password is Not valid with its code', async () => {
    const messages = Array.from({ length: 12 }, (_, i) => plainMessage(100 + i));
    await seedMessages(server, 'bob@src.test', 'INBOX', messages.map((m, i) => ({ raw: m.raw, flags: i % 3 === 0 ? ['\\Seen', '\\Flagged'] : ['\\Seen'], date: m.date })));
    const dir = project(planText(server, 'imap', [{ source: 'bob@src.test', destination: 'bob@dst.test', srcSecret: 'BOB_SRC', dstSecret: 'BOB_DST' }]));
    const { plan } = loadPlan(path.join(dir, 'p.migration.yaml'));
    const store = Store.open(path.join(dir, '.ferry'));
    const full = await runPass({ plan, store, pass: 'full', connectors: registryConnectors, secrets: (n) => secrets[n] });
    assert.deepEqual([full.items[0].status, full.totals.copied], ['Completed', 12]);
    const delta = await runPass({ plan, store, pass: 'delta', connectors: registryConnectors, secrets: (n) => secrets[n] });
    assert.equal(delta.totals.copied, 0);
    assert.deepEqual(messageHashes(server.mailDir('bob@dst.test'), { crlfAsLf: true }), messageHashes(server.mailDir('bob@src.test'), { crlfAsLf: true }));
    const flagged = fs.readdirSync(path.join(server.mailDir('bob@dst.test'), 'cur')).filter((f) => /:2,[A-Z]*F/.test(f));
    assert.equal(flagged.length, 4);

    const verify = await runPass({ plan, store, pass: 'verify', connectors: registryConnectors, secrets: (n) => (n === 'BOB_SRC' ? secrets.WRONG : secrets[n]) });
    assert.equal(verify.items[0].status, 'NotValid');
    assert.equal(verify.items[0].code, 'IMAP-AUTH');
    store.close();
  });

  it('kill -9 of ferry run with an IMAP destination, then a rerun: exactly the source set', async function () {
    const root = ensureBuilt();
    const dir = project(planText(server, 'maildir', [{ source: 'kill@src.test', destination: 'kill@dst.test', dstSecret: 'KILL_DST' }]));
    addMessages(path.join(dir, 'source'), 'kill@src.test', ['INBOX'], 1500, 1000);
    const env = { ...process.env, FERRY_SECRET_KILL_DST: secrets.KILL_DST };
    const ferry = path.join(root, 'bin', 'ferry.js');
    const child = spawn(process.execPath, [ferry, 'run', 'p.migration.yaml', '--pass', 'full'], { cwd: dir, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (c) => (stderr += c));
    const db = path.join(dir, '.ferry', 'state.db');
    if (!(await whenStore(child, db, () => watermarkCount(db) >= 200))) throw new Error(`ended before 200 messages (exit ${child.exitCode}): ${stderr}`);
    child.kill('SIGKILL');
    await exited(child);
    assert.ok(watermarkCount(db) < 1500, 'killed mid-pass');
    const rerun = spawnSync(process.execPath, [ferry, 'run', 'p.migration.yaml', '--pass', 'full', '--json'], { cwd: dir, env, encoding: 'utf8' });
    assert.equal(rerun.status, 0, rerun.stderr);
    assert.equal((JSON.parse(rerun.stdout) as PassSummary).items[0].status, 'Completed');
    const destination = messageHashes(server.mailDir('kill@dst.test'), { crlfAsLf: true });
    assert.equal(destination.length, 1500);
    assert.deepEqual(destination, messageHashes(path.join(dir, 'source', 'kill@src.test'), { crlfAsLf: true }));
  });
});
