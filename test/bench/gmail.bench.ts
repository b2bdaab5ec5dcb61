// `npm run bench:gmail`: Ferry reading Google Workspace (the fake Google, Gmail's documented per-user
// quota enforced: 15,000 units a minute, 250 a second, messages.get 5 units...) into Dovecot through
// runPass. Prints, for one mailbox and for a batch of mailboxes in parallel: messages per second,
// Gmail quota units spent per message, the units per second per user against the documented 250 (the
// share of the per-user quota Ferry uses) and Google's refusals. Asserts nothing; exits 1 only when
// a mailbox lost or duplicated a message.
//   node out/test/bench/gmail.bench.js [--messages N] [--batch N]
import * as assert from 'node:assert/strict';
import { runPass } from '../../src/engine/runPass';
import { registryConnectors } from '../../src/runner/connectors';
import { connectAs, startDovecot, type DovecotServer } from '../servers/dovecot';
import { rfc822, startTestDomain, type TestDomain } from '../servers/fakeGoogle/testDomain';
import { gmailProject } from '../integration/engine/gmailProject';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(process.argv[i + 1]);
};
const MESSAGES = arg('messages', 600);
const BATCH = arg('batch', 4);
/** Gmail's documented per-user limit: 15,000 units a minute. */
const UNITS_PER_SECOND = 15_000 / 60;

async function count(server: DovecotServer, user: string): Promise<number> {
  const client = await connectAs(server, user);
  try {
    let n = 0;
    for (const box of await client.list()) {
      const status = await client.status(box.path, { messages: true });
      n += status ? (status.messages ?? 0) : 0;
    }
    return n;
  } finally {
    await client.logout().catch(() => undefined);
  }
}

async function run(d: TestDomain, server: DovecotServer, users: string[], perUser: number): Promise<boolean> {
  const items = users.map((u) => ({ source: `${u}@example.test`, destination: `${u}@dst.test`, destinationAuth: `{ username: '${u}@dst.test', password: { secret: DST } }` }));
  const { plan, store } = gmailProject(d, `{ type: imap, host: 127.0.0.1, port: ${server.port}, security: none }`, items, `options:\n  itemTypes: [mail]\n  maxConcurrentMigrations: ${users.length}\n`);
  const started = process.hrtime.bigint();
  const summary = await runPass({ plan, store, pass: 'full', connectors: registryConnectors, secrets: (n) => ({ GKEY: JSON.stringify(d.key), DST: 'dst-pw' })[n] });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  store.close();
  let ok = true;
  for (const u of users) {
    const got = await count(server, `${u}@dst.test`);
    if (got !== perUser) {
      console.error(`  ${u}: ${got} messages at the destination, ${perUser} expected`);
      ok = false;
    }
  }
  const stats = users.map((u) => d.fake.admin.quotaStats(`${u}@example.test`));
  const units = stats.reduce((n, s) => n + s.units, 0);
  const refused = stats.reduce((n, s) => n + s.refusedQuota + s.refusedConcurrency, 0);
  const perUserRate = units / users.length / seconds;
  console.log(`${users.length} mailbox(es) x ${perUser} messages: ${seconds.toFixed(1)} s, ${((users.length * perUser) / seconds).toFixed(1)} messages/s (${(perUser / seconds).toFixed(1)} per mailbox); status ${summary.items.map((i) => i.status).join(',')}`);
  console.log(`  Gmail units: ${(units / (users.length * perUser)).toFixed(1)} per message, ${perUserRate.toFixed(0)} a second per user = ${((100 * perUserRate) / UNITS_PER_SECOND).toFixed(0)}% of the documented per-user quota (250/s); refusals: ${refused}`);
  return ok;
}

async function main(): Promise<void> {
  const users = Array.from({ length: BATCH }, (_, i) => `u${i}`);
  const [server, d] = await Promise.all([startDovecot({ users: ['solo', ...users].map((u) => ({ user: `${u}@dst.test`, password: 'dst-pw' })) }), startTestDomain({ users: ['solo', ...users].map((u) => `${u}@example.test`) })]);
  try {
    for (const u of ['solo', ...users]) {
      const perUser = u === 'solo' ? MESSAGES : Math.ceil(MESSAGES / 2);
      for (let i = 0; i < perUser; i++) d.fake.admin.addMessage(`${u}@example.test`, { raw: rfc822(`${u} ${i}`, { to: `${u}@example.test`, body: `Body ${i}. ${'lorem ipsum dolor '.repeat(100)}` }), labels: i % 3 ? ['INBOX'] : ['INBOX', 'UNREAD'] });
    }
    assert.equal(d.fake.admin.quotaStats('solo@example.test').refusedQuota, 0);
    const a = await run(d, server, ['solo'], MESSAGES);
    const b = await run(d, server, users, Math.ceil(MESSAGES / 2));
    process.exitCode = a && b ? 0 : 1;
  } finally {
    await server.stop();
    await d.fake.stop();
  }
}

void main();
