// `npm run bench:m365`: Ferry against Microsoft 365 (the fake Graph) with Outlook's per-app,
// per-mailbox throttling enforced, scaled down in time so a run takes a minute or two: at most 4 concurrent
// requests, REQUESTS per WINDOW seconds and UPLOAD bytes per WINDOW seconds (Microsoft: 10,000 per
// 10 minutes and 150 MB per 5 minutes; the window stays long enough that Retry-After's whole seconds
// weigh little, as they do at 10 minutes). IMAP (Dovecot) -> Microsoft 365 through runPass. Prints per
// run: messages per second per mailbox and for the batch, and per mailbox the share of its request
// and upload budgets Ferry used in the steady state (accepted in the whole windows after the first,
// against their limits; the target is >= 90%),
// the busiest window against the limit (never over), and the refused share. Asserts nothing; exits
// 1 only when a mailbox lost or duplicated a message.
//   node out/test/bench/m365.bench.js [--requests N] [--upload BYTES] [--window SECONDS] [--batch N]
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { resetTokenProviders } from '../../src/connectors/m365/auth/tokenProvider';
import { runPass } from '../../src/engine/runPass';
import { registryConnectors } from '../../src/runner/connectors';
import { loadPlan } from '../../src/runner/loadPlan';
import { Store } from '../../src/store/store';
import { seedMessages, startDovecot, type DovecotServer } from '../servers/dovecot';
import type { KeyUsage } from '../servers/fakeM365/throttle';
import { startTestTenant, type TestTenant } from '../servers/fakeM365/testTenant';
import { plainMessage } from '../servers/testMessages';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(process.argv[i + 1]);
};
const REQUESTS = arg('requests', 400);
const UPLOAD = arg('upload', 2 * 1024 * 1024);
const WINDOW_MS = arg('window', 20) * 1000;
const BATCH = arg('batch', 20);

interface Workload {
  name: string;
  mailboxes: number;
  messages: number;
  bodyBytes: number;
}

const workloads: Workload[] = [
  { name: 'one mailbox, small messages (request budget binds)', mailboxes: 1, messages: 1200, bodyBytes: 200 },
  { name: 'one mailbox, 40 KB messages (upload budget binds)', mailboxes: 1, messages: 300, bodyBytes: 40_000 },
  { name: `a batch of ${BATCH} mailboxes, small messages`, mailboxes: BATCH, messages: 400, bodyBytes: 200 },
];

/** The most accepted in any sliding window (count, or bytes when weighted). */
function busiest(points: { at: number; w: number }[]): number {
  let best = 0;
  let sum = 0;
  for (let i = 0, j = 0; i < points.length; i++) {
    sum += points[i].w;
    while (points[i].at - points[j].at >= WINDOW_MS) sum -= points[j++].w;
    best = Math.max(best, sum);
  }
  return best;
}

/**
 * Budget shares in the steady state: what was accepted in the whole windows after the first one
 * (whose budget a client may spend at once), windows laid end to end from the first accepted
 * request, against the limit of each; the partial last window is left out. At most 100%.
 */
function budgetOf(usage: KeyUsage): { requests: number; upload: number; peakRequests: number; peakUpload: number; refused: number } {
  const first = usage.acceptedAt[0];
  const last = usage.acceptedAt[usage.acceptedAt.length - 1];
  const whole = Math.floor((last - first) / WINDOW_MS);
  const windows = Math.max(1, whole - 1);
  const counted = (at: number) => (whole < 2 ? true : at >= first + WINDOW_MS && at < first + whole * WINDOW_MS);
  const uploaded = usage.uploads.filter((u) => counted(u.at)).reduce((s, u) => s + u.bytes, 0);
  return {
    requests: usage.acceptedAt.filter(counted).length / (REQUESTS * windows),
    upload: uploaded / (UPLOAD * windows),
    peakRequests: busiest(usage.acceptedAt.map((at) => ({ at, w: 1 }))),
    peakUpload: busiest(usage.uploads.map((u) => ({ at: u.at, w: u.bytes }))),
    refused: usage.refused / (usage.acceptedAt.length + usage.refused),
  };
}

async function run(dovecot: DovecotServer, t: TestTenant, w: Workload, users: string[]): Promise<void> {
  t.fake.throttle.usage.clear();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-bench-m365-'));
  fs.writeFileSync(
    path.join(dir, 'p.migration.yaml'),
    `version: 1
project: { name: M365 bench }
options: { maxConcurrentMigrations: ${w.mailboxes} }
endpoints:
  src: { type: imap, host: 127.0.0.1, port: ${dovecot.port}, security: none, auth: { username: '{mailbox}', password: { secret: IMAP } } }
  dst: ${t.endpointYaml()}
source: src
destination: dst
batches:
  - name: Main
    items:
${users.map((u) => `      - { source: ${u}@imap.test, destination: ${u}@contoso.test }`).join('\n')}
`,
  );
  const store = Store.open(path.join(dir, '.ferry'));
  const secrets: Record<string, string> = { IMAP: 'imap-pw', M365_SECRET: t.secret };
  const started = Date.now();
  const summary = await runPass({ plan: loadPlan(path.join(dir, 'p.migration.yaml')).plan, store, pass: 'full', connectors: registryConnectors, secrets: (n) => secrets[n] });
  const seconds = (Date.now() - started) / 1000;
  store.close();
  const total = w.mailboxes * w.messages;
  console.log(`${w.name}: ${total} messages in ${seconds.toFixed(1)} s = ${(total / seconds).toFixed(1)} msg/s for the batch, ${(w.messages / seconds).toFixed(1)} msg/s per mailbox`);
  const budgets: ReturnType<typeof budgetOf>[] = [];
  for (const u of users) {
    const user = t.fake.data.findUser(t.tenant, `${u}@contoso.test`)!;
    const messages = t.fake.data.mailbox(user.id).messages;
    if (messages.length !== w.messages || new Set(messages.map((m) => m.internetMessageId)).size !== w.messages) {
      console.error(`  ${u}: ${messages.length} messages, expected ${w.messages}; ${JSON.stringify(summary.items.find((i) => i.source.startsWith(u)))}`);
      process.exitCode = 1;
    }
    const usage = t.fake.throttle.usage.get(`${t.app.clientId}|${user.id}`);
    if (usage?.acceptedAt.length) budgets.push(budgetOf(usage));
  }
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const show = budgets.length > 4 ? [budgets.reduce((a, b) => (a.requests < b.requests ? a : b))] : budgets;
  for (const [i, b] of show.entries()) {
    const label = budgets.length > 4 ? `lowest of ${budgets.length} mailboxes` : `mailbox ${i + 1}`;
    console.log(`    ${label}: request budget used ${pct(b.requests)}, upload budget used ${pct(b.upload)}; busiest ${WINDOW_MS / 1000} s: ${b.peakRequests}/${REQUESTS} requests, ${(b.peakUpload / 1024).toFixed(0)}/${(UPLOAD / 1024).toFixed(0)} KB (never over); refused ${pct(b.refused)}`);
  }
  if (budgets.length > 4) console.log(`    all ${budgets.length} mailboxes: request budget used ${pct(Math.min(...budgets.map((b) => b.requests)))} to ${pct(Math.max(...budgets.map((b) => b.requests)))}, never over: ${budgets.every((b) => b.peakRequests <= REQUESTS && b.peakUpload <= UPLOAD)}`);
}

async function main(): Promise<void> {
  const all = Array.from({ length: workloads.reduce((n, w) => n + w.mailboxes, 0) }, (_, i) => `u${i + 1}`);
  const [dovecot, t] = await Promise.all([
    startDovecot({ users: all.map((u) => ({ user: `${u}@imap.test`, password: 'imap-pw' })) }),
    startTestTenant(all.map((u) => `${u}@contoso.test`), { limits: { concurrent: 4, requests: REQUESTS, requestWindowMs: WINDOW_MS, uploadBytes: UPLOAD, uploadWindowMs: WINDOW_MS } }),
  ]);
  try {
    console.log(`Microsoft 365 benchmark: IMAP (Dovecot) -> Microsoft 365 (fake Graph), ${os.cpus().length} cores`);
    console.log(`throttling per app per mailbox: 4 concurrent, ${REQUESTS} requests and ${(UPLOAD / 1024).toFixed(0)} KB uploaded per ${WINDOW_MS / 1000} s (Outlook's limits scaled in time)\n`);
    let next = 0;
    for (const w of workloads) {
      const users = all.slice(next, next + w.mailboxes);
      next += w.mailboxes;
      for (const u of users) {
        const base = all.indexOf(u) * 10_000;
        await seedMessages(dovecot, `${u}@imap.test`, 'INBOX', Array.from({ length: w.messages }, (_, i) => plainMessage(base + i, { body: `Message ${i} of ${u}. ${'x'.repeat(w.bodyBytes)}` })).map((m) => ({ raw: m.raw, flags: [], date: m.date })));
      }
      await run(dovecot, t, w, users);
    }
  } finally {
    await dovecot.stop();
    await t.fake.close();
    resetTokenProviders();
  }
}

void main();
