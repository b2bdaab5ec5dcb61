// What the budget tests share (ewsAccountBudget, the distributed accountBudget and tenantBudget): the
// fake Exchange whose one impersonation account's concurrency is the budget, the endpoint that
// names it, plans of one batch, and the check that each destination holds its source's mail once.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createFakeEwsData, startFakeEws, type FakeEws, type FakeEwsUser, type SeedMailbox } from '../../servers/fakeEws/server';
import { plainMessage } from '../../servers/testMessages';

export const ORG = 'contoso.local';
export const ADMIN = { address: `migadmin@${ORG}`, login: 'CONTOSO\\migadmin', password: 'Adm1n-pass', roles: ['ApplicationImpersonation'] } satisfies FakeEwsUser;

function mailbox(n: number): SeedMailbox {
  return { items: Array.from({ length: 20 }, (_, i) => ({ folder: 'inbox', mime: plainMessage(n * 100 + i).raw, isRead: i % 2 === 0, received: plainMessage(n * 100 + i).date.toISOString() })) };
}

/** The fake Exchange with `people` (20 messages each, and an empty `<p>.new`) and the account's concurrency `budget`. */
export async function startBudgetEws(people: readonly string[], budget: number): Promise<FakeEws> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-ews-budget-'));
  createFakeEwsData(dataDir, {
    users: [ADMIN, ...people.flatMap((p) => [`${p}`, `${p}.new`]).map((p) => ({ address: `${p}@${ORG}`, login: `CONTOSO\\${p}`, password: `${p}-pass` }))],
    mailboxes: Object.fromEntries(people.map((p, i) => [`${p}@${ORG}`, mailbox(i + 1)])),
    // A rate no pass reaches here: only the account's concurrency can refuse a request.
    // Each request takes 40 ms, as a real server's work does: requests of several mailboxes overlap.
    config: { throttling: { ratePerSecond: 100_000, burst: 100_000, maxConcurrency: budget }, latencyMs: 40 },
  });
  return startFakeEws({ dataDir });
}

/** The Exchange endpoint signing in as ADMIN (secret EX_ADMIN) with maxConnections `budget`. */
export const budgetExchange = (ews: FakeEws, budget: number): string =>
  `{ type: exchange, url: '${ews.ewsUrl}', authentication: basic, auth: { username: 'CONTOSO\\migadmin', password: { secret: EX_ADMIN } }, maxConnections: ${budget} }`;

/** Writes a plan of one batch Main (`items`: source and destination addresses) in `dir`; returns its path. */
export function writeBatchPlan(dir: string, o: { name: string; src: string; dst: string; maxConcurrentMigrations: number; items: readonly (readonly [string, string])[] }): string {
  const file = path.join(dir, 'p.migration.yaml');
  fs.writeFileSync(
    file,
    `version: 1
project: { name: ${o.name} }
endpoints:
  src: ${o.src}
  dst: ${o.dst}
source: src
destination: dst
options:
  maxConcurrentMigrations: ${o.maxConcurrentMigrations}
batches:
  - name: Main
    items:
${o.items.map(([s, d]) => `      - { source: ${s}, destination: ${d} }`).join('\n')}
`,
  );
  return file;
}

/** Each `<p>.new` holds the messages of `<p>`, none twice. */
export function assertSameMail(ews: FakeEws, people: readonly string[]): void {
  const mail = (address: string) => [...ews.store.itemsOf(address).values()].filter((i) => !i.isAssociated && i.itemClass.startsWith('IPM.Note')).map((i) => i.subject).sort();
  for (const p of people) assert.deepEqual(mail(`${p}.new@${ORG}`), mail(`${p}@${ORG}`), `${p}: the same messages, none twice`);
}
