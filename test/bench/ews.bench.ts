// `npm run bench:ews`: Ferry against on-premises Exchange (the fake EWS server) with Exchange's
// throttling on. IMAP (Dovecot) -> Exchange, one pass per run through runPass like `ferry run`.
// Prints, per run: messages, duration, time per 1,000 messages, and for throttled runs the share of
// each mailbox's request budget Ferry used (accepted requests / (rate x duration + burst); at most
// 100% by construction, the target is >= 90%), the refused share (requests Exchange had to push
// back) and the busiest 1-second window against the rate. Asserts nothing; exits 1 only when a run
// lost or duplicated a message.
//   node out/test/bench/ews.bench.js [--messages N] [--mailboxes N] [--rate R] [--burst B]
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runPass } from '../../src/engine/runPass';
import { registryConnectors } from '../../src/runner/connectors';
import { loadPlan } from '../../src/runner/loadPlan';
import { Store } from '../../src/store/store';
import { seedMessages, startDovecot, type DovecotServer } from '../servers/dovecot';
import { createFakeEwsData, startFakeEws } from '../servers/fakeEws/server';
import { plainMessage } from '../servers/testMessages';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(process.argv[i + 1]);
};
const MESSAGES = arg('messages', 1000);
const MAILBOXES = arg('mailboxes', 4);
const RATE = arg('rate', 40);
const BURST = arg('burst', 20);
const ADMIN = { address: 'migadmin@contoso.local', login: 'CONTOSO\\migadmin', password: 'Adm1n-pass', roles: ['ApplicationImpersonation' as const] };

interface RunResult {
  name: string;
  mailboxes: number;
  messages: number;
  seconds: number;
  perThousand: number;
  budget?: { used: number; refused: number; peak: number }[];
}

async function run(dovecot: DovecotServer, name: string, users: string[], throttled: boolean): Promise<RunResult> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-bench-ews-'));
  const policy = throttled ? { ratePerSecond: RATE, burst: BURST, maxConcurrency: 0 } : { ratePerSecond: 0, burst: 0, maxConcurrency: 0 };
  createFakeEwsData(dataDir, {
    users: [ADMIN, ...users.map((u) => ({ address: `${u}@contoso.local`, login: `CONTOSO\\${u}`, password: 'x' }))],
    // The account's own budget is left open: the run measures the per-mailbox budgets.
    config: { throttling: { ratePerSecond: 0, burst: 0, maxConcurrency: 0 }, mailboxThrottling: policy },
  });
  const ews = await startFakeEws({ dataDir });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-bench-ews-plan-'));
  fs.writeFileSync(
    path.join(dir, 'p.migration.yaml'),
    `version: 1
project: { name: EWS bench }
options: { maxConcurrentMigrations: ${users.length} }
endpoints:
  src: { type: imap, host: 127.0.0.1, port: ${dovecot.port}, security: none, auth: { username: '{mailbox}', password: { secret: IMAP } } }
  dst: { type: exchange, url: '${ews.ewsUrl}', auth: { username: 'CONTOSO\\migadmin', password: { secret: EX } } }
source: src
destination: dst
batches:
  - name: Main
    items:
${users.map((u) => `      - { source: ${u}@imap.test, destination: ${u}@contoso.local }`).join('\n')}
`,
  );
  const store = Store.open(path.join(dir, '.ferry'));
  const secrets: Record<string, string> = { IMAP: 'imap-pw', EX: ADMIN.password };
  const started = Date.now();
  const summary = await runPass({ plan: loadPlan(path.join(dir, 'p.migration.yaml')).plan, store, pass: 'full', connectors: registryConnectors, secrets: (n) => secrets[n] });
  const ended = Date.now();
  store.close();
  const seconds = (ended - started) / 1000;
  for (const u of users) {
    const written = [...ews.store.itemsOf(`${u}@contoso.local`).values()].filter((i) => i.itemClass === 'IPM.Note');
    if (written.length !== MESSAGES || new Set(written.map((i) => i.subject)).size !== MESSAGES) {
      console.error(`${name}: ${u} holds ${written.length} messages (${new Set(written.map((i) => i.subject)).size} distinct), expected ${MESSAGES}; pass: ${JSON.stringify(summary.items)}`);
      process.exitCode = 1;
    }
  }
  const stats = ews.stats();
  await ews.close();
  const result: RunResult = { name, mailboxes: users.length, messages: MESSAGES * users.length, seconds, perThousand: seconds / ((MESSAGES * users.length) / 1000) };
  if (throttled) {
    result.budget = users.map((u) => {
      const s = stats.mailboxes[`${u}@contoso.local`];
      const first = Math.min(...s.acceptedAt);
      const last = Math.max(...s.acceptedAt);
      const window = Math.max(0.001, (last - first) / 1000);
      let peak = 0;
      for (let i = 0, j = 0; i < s.acceptedAt.length; i++) {
        while (s.acceptedAt[i] - s.acceptedAt[j] >= 1000) j++;
        peak = Math.max(peak, i - j + 1);
      }
      return { used: s.accepted / (RATE * window + BURST), refused: s.refused / (s.accepted + s.refused), peak };
    });
  }
  return result;
}

async function main(): Promise<void> {
  const users = Array.from({ length: MAILBOXES }, (_, i) => `u${i + 1}`);
  const dovecot = await startDovecot({ users: users.map((u) => ({ user: `${u}@imap.test`, password: 'imap-pw' })) });
  try {
    for (const u of users) {
      const base = users.indexOf(u) * 100_000;
      await seedMessages(dovecot, `${u}@imap.test`, 'INBOX', Array.from({ length: MESSAGES }, (_, i) => plainMessage(base + i, { body: `Message ${i} of ${u}. ${'lorem ipsum dolor sit amet '.repeat(40)}` })).map((m) => ({ raw: m.raw, flags: [], date: m.date })));
    }
    console.log(`EWS benchmark: IMAP (Dovecot) -> Exchange (fake EWS), ${MESSAGES} messages per mailbox (~1.2 KB each), ${os.cpus().length} cores`);
    console.log(`throttling policy per mailbox: ${RATE} requests/s, burst ${BURST} (Exchange answers ErrorServerBusy with BackOffMilliseconds beyond it)\n`);
    const results: RunResult[] = [];
    results.push(await run(dovecot, 'one mailbox, no throttling', users.slice(0, 1), false));
    results.push(await run(dovecot, 'one mailbox, throttled', users.slice(0, 1), true));
    results.push(await run(dovecot, `${MAILBOXES} mailboxes at once, throttled`, users, true));
    for (const r of results) {
      console.log(`${r.name}: ${r.messages} messages in ${r.seconds.toFixed(1)} s = ${(r.messages / r.seconds).toFixed(0)} msg/s, ${r.perThousand.toFixed(1)} s per 1,000 messages`);
      for (const [i, b] of (r.budget ?? []).entries()) {
        console.log(`    mailbox ${i + 1}: budget used ${(b.used * 100).toFixed(1)}% (target >= 90%), refused ${(b.refused * 100).toFixed(1)}% of requests, busiest second ${b.peak} requests (rate ${RATE}, burst ${BURST})`);
      }
    }
    const ideal = 1000 / RATE;
    console.log(`\nthe budget's own floor: ${ideal.toFixed(1)} s per 1,000 messages per mailbox (one CreateItem each at ${RATE}/s)`);
  } finally {
    await dovecot.stop();
  }
}

void main();
