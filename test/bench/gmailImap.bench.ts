// `npm run bench:gmail-imap`: a Gmail mailbox through the `imap` endpoint (the fake Gmail IMAP
// front, XOAUTH2 with refresh) into Dovecot, through runPass. Prints the messages and the copies the
// label mapping makes, the copies a folder-by-folder copy would have made (every Gmail folder,
// All Mail included), messages and copies per second, bodies fetched per copy, token refreshes, and
// the share of Gmail's documented IMAP download limit (2,500 MB a day per user) a day at this rate
// would use. Asserts nothing; exits 1 only when the destination lost or duplicated a copy.
//   node out/test/bench/gmailImap.bench.js [--messages N] [--seed S]
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { mapLabels, type GmailLabel } from '../../src/connectors/gmail/labelMapping';
import { defaultRetryPolicy } from '../../src/engine/backoff';
import { runPass } from '../../src/engine/runPass';
import { registryConnectors } from '../../src/runner/connectors';
import { loadPlan } from '../../src/runner/loadPlan';
import { Store } from '../../src/store/store';
import { connectAs, startDovecot } from '../servers/dovecot';
import { startGoogleTokens } from '../servers/fakeGmailImap/googleTokens';
import { generatedMailbox } from '../servers/fakeGmailImap/generatedMailbox';
import { GmailStore } from '../servers/fakeGmailImap/gmailStore';
import { startFakeGmailImap } from '../servers/fakeGmailImap/server';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(process.argv[i + 1]);
};
const MESSAGES = arg('messages', 2000);
const SEED = arg('seed', 12);
/** Gmail's IMAP download limit per user and day (support.google.com/a/answer/1071518). */
const DAILY_IMAP_BYTES = 2500 * 1024 * 1024;

async function main(): Promise<void> {
  const client = { clientId: 'bench.apps.googleusercontent.test', clientSecret: 'bench-secret' };
  const dovecot = await startDovecot({ users: [{ user: 'ann@dst.test', password: 'ann-pw' }] });
  const tokens = await startGoogleTokens({ client });
  const specs = generatedMailbox(MESSAGES, SEED);
  const store = new GmailStore(specs);
  const gmail = await startFakeGmailImap({ tokens, mailboxes: new Map([['ann@gmail.test', store]]) });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-bench-gmail-imap-'));
  try {
    fs.writeFileSync(
      path.join(dir, 'p.migration.yaml'),
      `version: 1
project: { name: Gmail IMAP bench }
endpoints:
  gmail: { type: imap, host: 127.0.0.1, port: ${gmail.port}, security: none, auth: { username: '{mailbox}' }, oauth: { clientId: ${client.clientId}, clientSecret: { secret: GC }, refreshToken: { secret: GR }, tokenUrl: '${tokens.tokenUrl}' } }
  dovecot: { type: imap, host: 127.0.0.1, port: ${dovecot.port}, security: none, auth: { username: ann@dst.test, password: { secret: DST } } }
source: gmail
destination: dovecot
batches:
  - name: Main
    items:
      - { source: ann@gmail.test, destination: ann@dst.test }
`,
    );
    const secrets: Record<string, string> = { GC: client.clientSecret, GR: tokens.grant('ann@gmail.test'), DST: 'ann-pw' };
    const { plan } = loadPlan(path.join(dir, 'p.migration.yaml'));
    const state = Store.open(path.join(dir, '.ferry'));
    const run = (pass: 'full' | 'delta') => runPass({ plan, store: state, pass, connectors: registryConnectors, secrets: (n) => secrets[n], retry: { ...defaultRetryPolicy, baseMs: 20, maxMs: 500 } });

    const names = new Set(specs.flatMap((s) => s.labels).filter((l) => l !== l.toUpperCase() || l.includes('/')));
    const labels: GmailLabel[] = [...names].map((n) => ({ id: n, name: n, type: 'user' }));
    const copies = specs.reduce((n, s) => n + mapLabels(s.labels, labels).folders.length, 0);
    const folderByFolder = store.folderNames().reduce((n, f) => n + store.contents(store.get(f)!).length, 0);
    const bytes = specs.reduce((n, s) => n + Buffer.byteLength(s.raw), 0);

    const t0 = performance.now();
    const full = await run('full');
    const fullS = (performance.now() - t0) / 1000;
    const t1 = performance.now();
    const delta = await run('delta');
    const deltaS = (performance.now() - t1) / 1000;
    state.close();

    const client2 = await connectAs(dovecot, 'ann@dst.test');
    let arrived = 0;
    const ids = new Set<string>();
    let duplicated = 0;
    for (const box of await client2.list()) {
      if (box.flags.has('\\Noselect')) continue;
      const lock = await client2.getMailboxLock(box.path, { readOnly: true });
      try {
        if ((client2.mailbox && client2.mailbox.exists) || 0) {
          for (const m of await client2.fetchAll('1:*', { headers: ['message-id'] })) {
            const key = `${box.path}|${m.headers?.toString().trim()}`;
            arrived++;
            if (ids.has(key)) duplicated++;
            ids.add(key);
          }
        }
      } finally {
        lock.release();
      }
    }
    await client2.logout();
    const bodies = [...gmail.bodiesSent.values()].reduce((a, b) => a + b, 0);
    const bytesPerS = bytes / fullS;
    console.log(`gmail-imap bench (seed ${SEED}): ${MESSAGES} messages, ${(bytes / 1024 / 1024).toFixed(1)} MB`);
    console.log(`  label mapping: ${copies} copies (${(copies / MESSAGES).toFixed(2)} per message); folder by folder it would be ${folderByFolder} (${(folderByFolder / MESSAGES).toFixed(2)} per message)`);
    console.log(`  full: ${full.items[0].status}, ${full.totals.copied} copied in ${fullS.toFixed(1)} s: ${(MESSAGES / fullS).toFixed(0)} messages/s, ${(full.totals.copied / fullS).toFixed(0)} copies/s, ${(bytesPerS / 1024 / 1024).toFixed(2)} MB/s of message data`);
    console.log(`  bodies fetched: ${bodies} (${(bodies / Math.max(1, full.totals.copied)).toFixed(2)} per copy); IMAP commands: ${gmail.commands.length}; token refreshes: ${tokens.refreshes.length}`);
    console.log(`  delta: ${delta.totals.copied} copied in ${deltaS.toFixed(1)} s`);
    console.log(`  Gmail's IMAP download limit (2,500 MB/day/user): a day at this rate would be ${((bytesPerS * 86400) / DAILY_IMAP_BYTES * 100).toFixed(0)}% of it; the limit allows ${(DAILY_IMAP_BYTES / (bytes / MESSAGES) / 86400).toFixed(1)} messages/s of this size sustained`);
    console.log(`  destination: ${arrived} messages, ${duplicated} duplicated`);
    if (arrived !== copies || duplicated > 0) process.exitCode = 1;
  } finally {
    await gmail.close();
    await tokens.close();
    await dovecot.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
