// Transient server trouble mid-pass is waited out, not reported as item errors: Dovecot shut down
// cleanly (BYE to every client) or killed with SIGKILL while an IMAP -> IMAP pass copies, brought
// back once the engine says it is waiting (an ENG-013 notice). Both moments are hold points, not
// timers: the server goes down before the source's read of the 200th message, and comes back on
// the notice. The pass ends Completed with no error, every message once with its flags and date.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { defaultRetryPolicy } from '../../../src/engine/backoff';
import { EngineEvents, type EngineEvent } from '../../../src/engine/events';
import { runPass } from '../../../src/engine/runPass';
import type { ConnectorLookup } from '../../../src/engine/context';
import { registryConnectors } from '../../../src/runner/connectors';
import { loadPlan } from '../../../src/runner/loadPlan';
import { Store } from '../../../src/store/store';
import { startDovecot, type DovecotServer } from '../../servers/dovecot';
import { dovecotPlanText } from './dovecotPlan';
import { connectAs, seedMessages } from '../../servers/dovecotSeed';
import { plainMessage } from '../../servers/testMessages';

const COUNT = 600;

/** Each message of a folder as "date | flags | body", sorted: equal lists mean nothing lost, doubled or changed. */
async function snapshot(server: DovecotServer, user: string): Promise<string[]> {
  const client = await connectAs(server, user);
  try {
    await client.mailboxOpen('INBOX', { readOnly: true });
    const rows: string[] = [];
    for (const m of await client.fetchAll('1:*', { flags: true, internalDate: true, source: true })) {
      const flags = [...(m.flags ?? [])].filter((f) => f !== '\\Recent').sort().join(' ');
      rows.push(`${new Date(m.internalDate ?? 0).toISOString()} | ${flags} | ${m.source?.toString('latin1').replace(/\r\n/g, '\n')}`);
    }
    return rows.sort();
  } finally {
    await client.logout();
  }
}

/** The registry's connectors, with a source that runs `before(n)` ahead of its n-th read. */
function holdingReads(before: (n: number) => Promise<void>): ConnectorLookup {
  return async (kind) => {
    const connector = await registryConnectors(kind);
    if (!connector) return connector;
    let reads = 0;
    return {
      ...connector,
      openSource: async (request) => {
        const source = await connector.openSource(request);
        return new Proxy(source, {
          get(target, key, receiver) {
            if (key === 'readItem') return async (...args: Parameters<typeof source.readItem>) => (await before(++reads), target.readItem(...args));
            const value: unknown = Reflect.get(target, key, receiver);
            return typeof value === 'function' ? value.bind(target) : value;
          },
        });
      },
    };
  };
}

describe('a restarting IMAP server mid-pass', function () {
  this.timeout(120_000);
  let server: DovecotServer;
  const users = [
    { user: 'src@a.test', password: 'src-pw' },
    { user: 'term@b.test', password: 'term-pw' },
    { user: 'kill@b.test', password: 'kill-pw' },
  ];
  const secrets: Record<string, string> = { SRC: 'src-pw', TERM: 'term-pw', KILL: 'kill-pw' };

  before(async () => {
    server = await startDovecot({ users });
    const messages = Array.from({ length: COUNT }, (_, i) => plainMessage(i, { body: `message ${i}\n${'x'.repeat(2000)}\n` }));
    await seedMessages(server, 'src@a.test', 'INBOX', messages.map((m, i) => ({ raw: m.raw, date: m.date, flags: i % 4 === 0 ? ['\\Seen', '\\Flagged'] : i % 4 === 1 ? ['\\Answered'] : ['\\Seen'] })));
  });
  after(async () => {
    await server?.stop();
  });

  for (const [signal, destination, secret] of [['SIGTERM', 'term@b.test', 'TERM'], ['SIGKILL', 'kill@b.test', 'KILL']] as const) {
    it(`${signal} of Dovecot mid-pass: the pass waits, reconnects and completes exactly`, async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-restart-'));
      fs.writeFileSync(path.join(dir, 'p.migration.yaml'), dovecotPlanText(server, 'imap', [{ source: 'src@a.test', destination, srcSecret: 'SRC', dstSecret: secret }]));
      const { plan } = loadPlan(path.join(dir, 'p.migration.yaml'));
      const store = Store.open(path.join(dir, '.ferry'));
      const events: EngineEvent[] = [];
      let down: Promise<void> | undefined;
      let back: Promise<void> | undefined;
      const emitter = new EngineEvents();
      emitter.on((event) => {
        events.push(event);
        // Hold point 2: the engine says what it waits for; the server comes back.
        if (down && !back && event.type === 'notice' && event.code === 'ENG-013') back = down.then(() => server.start());
      });
      try {
        const summary = await runPass({
          plan,
          store,
          pass: 'full',
          // Hold point 1: before the source reads the 200th message, the server goes away.
          connectors: holdingReads(async (n) => {
            if (n === COUNT / 3) down = server.down(signal);
            await down;
          }),
          secrets: (n) => secrets[n],
          // Quick waits, as many as the default's patience: the server is back long before.
          retry: { ...defaultRetryPolicy, baseMs: 50, maxMs: 1000 },
          events: emitter,
        });
        await back;
        const errors = events.filter((e) => e.type === 'error');
        assert.deepEqual(errors, [], 'no item errors for a server that was only restarting');
        assert.equal(summary.items[0].status, 'Completed', JSON.stringify(summary.items[0]));
        assert.ok(down, 'the server was taken down mid-pass');
        assert.ok(back, 'the engine told the operator it was waiting (ENG-013)');
        const notice = events.find((e) => e.type === 'notice' && e.code === 'ENG-013');
        assert.match(notice && notice.type === 'notice' ? notice.message : '', /^Waiting \d+\.\d s, then trying again to .+ \(attempt 1 of 10: IMAP-/);
        assert.equal(summary.totals.copied, COUNT);
        assert.deepEqual(await snapshot(server, destination), await snapshot(server, 'src@a.test'));
      } finally {
        await back?.catch(() => undefined);
        store.close();
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
