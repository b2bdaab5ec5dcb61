// Exchange counts concurrent EWS requests per account (EWSMaxConcurrency), and one impersonation
// account opens every mailbox, whichever project or endpoint names it: two projects copying
// Exchange -> Exchange at once on two `ferry worker` processes must together stay within the
// account's budget, the endpoints' maxConnections (each project's endpoint slots alone would let
// both use it in full). The fake EWS refuses a request over its account's concurrency with
// ErrorServerBusy and counts it: none may be refused.
import * as assert from 'node:assert/strict';
import type { PassSummary } from '../../../src/engine/summary';
import type { FakeEws } from '../../servers/fakeEws/server';
import { tempDir } from '../../unit/helpers/repoRoot';
import { ADMIN, ORG, assertSameMail, budgetExchange, startBudgetEws, writeBatchPlan } from '../engine/budgetFixture';
import { ferryRun } from '../engine/maildirFixture';
import { useCluster } from './cluster';

const PEOPLE = ['ann', 'bob', 'cat', 'dan', 'eve', 'fay'];
/** The account's budget: Exchange's concurrency for the account, and the plan's maxConnections. */
const BUDGET = 2;

describe("distributed mode: an Exchange account's budget holds across workers", function () {
  this.timeout(180_000);
  const cluster = useCluster();
  let ews: FakeEws;

  before(async () => {
    ews = await startBudgetEws(PEOPLE, BUDGET);
  });
  after(async () => {
    await ews?.close();
  });

  it('two projects on two workers copying Exchange -> Exchange on one impersonation account never exceed its concurrent requests', async () => {
    const exchange = budgetExchange(ews, BUDGET);
    const planOf = (name: string, people: string[]) => {
      const dir = tempDir('dist-ews');
      return { dir, file: writeBatchPlan(dir, { name, src: exchange, dst: exchange, maxConcurrentMigrations: 6, items: people.map((p) => [`${p}@${ORG}`, `${p}.new@${ORG}`]) }) };
    };
    const plans = [planOf('Budget A', PEOPLE.slice(0, 3)), planOf('Budget B', PEOPLE.slice(3))];
    const env = { ...cluster.environment(), FERRY_SECRET_EX_ADMIN: ADMIN.password };
    ews.resetStats();
    for (const plan of plans) cluster.worker(plan.dir, env, ['--concurrency', '3']);
    const runs = await Promise.all(plans.map((plan) => ferryRun(cluster.ferry, ['run', plan.file, '--pass', 'full', '--json'], plan.dir, env)));
    for (const run of runs) {
      assert.equal(run.status, 0, run.stderr);
      const summary = JSON.parse(run.stdout) as PassSummary;
      assert.deepEqual(summary.items.map((i) => i.status), [0, 1, 2].map(() => 'Completed'), JSON.stringify(summary.items));
    }
    assertSameMail(ews, PEOPLE);
    const account = ews.stats().accounts[ADMIN.address];
    assert.ok(account.accepted > 0, JSON.stringify(ews.stats().accounts));
    assert.equal(account.refused, 0, `requests refused for the account's concurrency: ${JSON.stringify(account)}`);
    assert.ok(account.maxInFlight <= BUDGET, `requests of the account in flight at once: ${JSON.stringify(account)}`);
  });
});
