// An endpoint's maxConnections across distributed workers: each worker has its own connection to
// the shared store, and together they never hold more slots than the bound; a worker killed with
// SIGKILL frees its slots (PostgreSQL drops a dead connection's advisory locks).
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { SharedSlots, slotKey } from '../../../src/distributed/sharedSlots';
import { Store } from '../../../src/store/store';
import { postgresMissing, startPostgres, type PostgresServer } from '../../servers/postgres';
import { skipWith } from '../../unit/helpers/sharedReference';

describe('distributed mode: endpoint connection slots shared by workers', function () {
  this.timeout(60_000);
  let server: PostgresServer;
  const stores: Store[] = [];
  before(async function () {
    const missing = postgresMissing();
    if (missing) skipWith(this, `skipped: ${missing}`);
    server = await startPostgres();
  });
  after(async () => {
    for (const s of stores.splice(0)) s.close();
    await server?.stop();
  });
  const open = (url: string) => {
    const s = Store.openShared(url);
    stores.push(s);
    return s;
  };

  it('three workers with maxConnections 2 never hold more than 2 connections at once, and all get their turn', async () => {
    const url = server.createDatabase('slots_bound');
    const key = slotKey(1, 'imap1');
    const workers = [open(url), open(url), open(url)].map((s) => new SharedSlots(s, key, 2, 5));
    let inUse = 0;
    let peak = 0;
    let done = 0;
    const mailbox = async (slots: SharedSlots) => {
      const release = await slots.acquire();
      inUse++;
      peak = Math.max(peak, inUse);
      // Hold the slot across a few turns of the event loop, as an open mailbox does.
      for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
      inUse--;
      done++;
      release();
    };
    await Promise.all(workers.flatMap((w) => [mailbox(w), mailbox(w), mailbox(w)]));
    assert.equal(done, 9);
    assert.equal(peak, 2, 'at most maxConnections across all workers');
  });

  it('a worker killed with SIGKILL while holding every slot frees them', async () => {
    const url = server.createDatabase('slots_kill');
    const key = slotKey(1, 'ews');
    const storeModule = path.resolve(__dirname, '../../../src/store/store.js');
    const slotsModule = path.resolve(__dirname, '../../../src/distributed/sharedSlots.js');
    const script = `const { Store } = require(${JSON.stringify(storeModule)}); const { SharedSlots } = require(${JSON.stringify(slotsModule)});
      const s = new SharedSlots(Store.openShared(${JSON.stringify(url)}), ${key}, 2);
      Promise.all([s.acquire(), s.acquire()]).then(() => { process.stdout.write('held'); setInterval(() => undefined, 1000); });`;
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve) => child.stdout!.on('data', (d: Buffer) => d.toString().includes('held') && resolve()));
    const mine = new SharedSlots(open(url), key, 2, 5);
    const controller = new AbortController();
    const waiting = mine.acquire(controller.signal);
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const release = await waiting;
    const second = await mine.acquire();
    release();
    second();
  });
});
