// Exchange counts concurrent EWS requests per account (EWSMaxConcurrency), whatever mailbox they
// serve. An embedded pass copies several mailboxes at once through one impersonation account, so
// the account's requests of every mailbox of the process share the endpoint's maxConnections
// (before, each mailbox's session had its own pool of maxConnections: 4 mailboxes could put 8
// requests of the account in flight). The fake EWS refuses a request over the account's concurrency
// with ErrorServerBusy and counts it: none may be refused.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { PassSummary } from '../../../src/engine/summary';
import { createFakeEwsData, startFakeEws, type FakeEws, type FakeEwsUser, type SeedMailbox } from '../../servers/fakeEws/server';
import { plainMessage } from '../../servers/testMessages';
import { tempDir } from '../../unit/helpers/repoRoot';
import { ensureBuilt, ferryRun } from './maildirFixture';

const ORG = 'contoso.local';
const ADMIN = { address: `migadmin@${ORG}`, login: 'CONTOSO\\migadmin', password: 'Adm1n-pass', roles: ['ApplicationImpersonation'] } satisfies FakeEwsUser;
const PEOPLE = ['ann', 'bob', 'cat', 'dan'];
/** The account's budget: Exchange's concurrency for the account, and the plan's maxConnections. */
const BUDGET = 2;

function mailbox(n: number): SeedMailbox {
  return { items: Array.from({ length: 20 }, (_, i) => ({ folder: 'inbox', mime: plainMessage(n * 100 + i).raw, isRead: i % 2 === 0, received: plainMessage(n * 100 + i).date.toISOString() })) };
}

describe("embedded mode: an Exchange account's budget holds across the mailboxes of a pass", function () {
  this.timeout(180_000);
  let ews: FakeEws;
  let ferry: string;

  before(async () => {
    ferry = path.join(ensureBuilt(), 'bin', 'ferry.js');
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-ews-budget-'));
    createFakeEwsData(dataDir, {
      users: [ADMIN, ...PEOPLE.flatMap((p) => [`${p}`, `${p}.new`]).map((p) => ({ address: `${p}@${ORG}`, login: `CONTOSO\\${p}`, password: `${p}-pass` }))],
      mailboxes: Object.fromEntries(PEOPLE.map((p, i) => [`${p}@${ORG}`, mailbox(i + 1)])),
      // A rate no pass reaches here: only the account's concurrency can refuse a request.
      // Each request takes 40 ms, as a real server's work does: requests of several mailboxes overlap.
      config: { throttling: { ratePerSecond: 100_000, burst: 100_000, maxConcurrency: BUDGET }, latencyMs: 40 },
    });
    ews = await startFakeEws({ dataDir });
  });
  after(async () => {
    await ews?.close();
  });

  it('4 mailboxes at once on one impersonation account with maxConnections 2: no request refused, the account never over 2 in flight', async () => {
    const exchange = `{ type: exchange, url: '${ews.ewsUrl}', authentication: basic, auth: { username: 'CONTOSO\\migadmin', password: { secret: EX_ADMIN } }, maxConnections: ${BUDGET} }`;
    const dir = tempDir('ews-budget');
    const file = path.join(dir, 'p.migration.yaml');
    fs.writeFileSync(
      file,
      `version: 1
project: { name: Account budget }
endpoints:
  src: ${exchange}
  dst: ${exchange}
source: src
destination: dst
options:
  maxConcurrentMigrations: 4
batches:
  - name: Main
    items:
${PEOPLE.map((p) => `      - { source: ${p}@${ORG}, destination: ${p}.new@${ORG} }`).join('\n')}
`,
    );
    const env: NodeJS.ProcessEnv = { ...process.env, FERRY_SECRET_EX_ADMIN: ADMIN.password };
    delete env.FERRY_DATABASE_URL;
    delete env.FERRY_REDIS_URL;
    ews.resetStats();
    const run = await ferryRun(ferry, ['run', file, '--pass', 'full', '--json'], dir, env);
    assert.equal(run.status, 0, run.stderr);
    const summary = JSON.parse(run.stdout) as PassSummary;
    assert.deepEqual(summary.items.map((i) => i.status), PEOPLE.map(() => 'Completed'), JSON.stringify(summary.items));
    for (const p of PEOPLE) {
      const mail = (address: string) => [...ews.store.itemsOf(address).values()].filter((i) => !i.isAssociated && i.itemClass.startsWith('IPM.Note')).map((i) => i.subject).sort();
      assert.deepEqual(mail(`${p}.new@${ORG}`), mail(`${p}@${ORG}`), `${p}: the same messages, none twice`);
    }
    const account = ews.stats().accounts[ADMIN.address];
    assert.ok(account.accepted > 0, JSON.stringify(ews.stats().accounts));
    console.log(`      account ${ADMIN.address}: ${account.accepted} accepted, ${account.refused} refused, at most ${account.maxInFlight} in flight`);
    assert.equal(account.refused, 0, `requests refused for the account's concurrency: ${JSON.stringify(account)}`);
    assert.ok(account.maxInFlight <= BUDGET, `requests of the account in flight at once: ${JSON.stringify(account)}`);
  });
});
