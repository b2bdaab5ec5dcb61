// Exchange counts concurrent EWS requests per account (EWSMaxConcurrency), whatever mailbox they
// serve. An embedded pass copies several mailboxes at once through one impersonation account, so
// the account's requests of every mailbox of the process share the endpoint's maxConnections
// (before, each mailbox's session had its own pool of maxConnections: 4 mailboxes could put 8
// requests of the account in flight). The fake EWS refuses a request over the account's concurrency
// with ErrorServerBusy and counts it: none may be refused.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { PassSummary } from '../../../src/engine/summary';
import type { FakeEws } from '../../servers/fakeEws/server';
import { tempDir } from '../../unit/helpers/repoRoot';
import { ADMIN, ORG, assertSameMail, budgetExchange, startBudgetEws, writeBatchPlan } from './budgetFixture';
import { ensureBuilt, ferryRun } from './maildirFixture';

const PEOPLE = ['ann', 'bob', 'cat', 'dan'];
/** The account's budget: Exchange's concurrency for the account, and the plan's maxConnections. */
const BUDGET = 2;

describe("embedded mode: an Exchange account's budget holds across the mailboxes of a pass", function () {
  this.timeout(180_000);
  let ews: FakeEws;
  let ferry: string;

  before(async () => {
    ferry = path.join(ensureBuilt(), 'bin', 'ferry.js');
    ews = await startBudgetEws(PEOPLE, BUDGET);
  });
  after(async () => {
    await ews?.close();
  });

  it('4 mailboxes at once on one impersonation account with maxConnections 2: no request refused, the account never over 2 in flight', async () => {
    const dir = tempDir('ews-budget');
    const exchange = budgetExchange(ews, BUDGET);
    const file = writeBatchPlan(dir, { name: 'Account budget', src: exchange, dst: exchange, maxConcurrentMigrations: 4, items: PEOPLE.map((p) => [`${p}@${ORG}`, `${p}.new@${ORG}`]) });
    const env: NodeJS.ProcessEnv = { ...process.env, FERRY_SECRET_EX_ADMIN: ADMIN.password };
    delete env.FERRY_DATABASE_URL;
    delete env.FERRY_REDIS_URL;
    ews.resetStats();
    const run = await ferryRun(ferry, ['run', file, '--pass', 'full', '--json'], dir, env);
    assert.equal(run.status, 0, run.stderr);
    const summary = JSON.parse(run.stdout) as PassSummary;
    assert.deepEqual(summary.items.map((i) => i.status), PEOPLE.map(() => 'Completed'), JSON.stringify(summary.items));
    assertSameMail(ews, PEOPLE);
    const account = ews.stats().accounts[ADMIN.address];
    assert.ok(account.accepted > 0, JSON.stringify(ews.stats().accounts));
    console.log(`      account ${ADMIN.address}: ${account.accepted} accepted, ${account.refused} refused, at most ${account.maxInFlight} in flight`);
    assert.equal(account.refused, 0, `requests refused for the account's concurrency: ${JSON.stringify(account)}`);
    assert.ok(account.maxInFlight <= BUDGET, `requests of the account in flight at once: ${JSON.stringify(account)}`);
  });
});
