// Graph evaluates limits per app per tenant as well as Outlook's per app per mailbox, and one
// mailbox is one job: the app's requests in a tenant come from every mailbox of every worker at
// once. Two `ferry worker` processes copying four mailboxes into one tenant must together stay
// within the endpoint's maxTenantRequests, held in Redis (each mailbox's own limit of 4 alone lets
// them put 16 in flight). The fake Microsoft 365 is given a concurrency per app per tenant,
// answers 429 with Retry-After beyond it, as Graph does, and counts it: none may be refused.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { PassSummary } from '../../../src/engine/summary';
import { startTestTenant, type TestTenant } from '../../servers/fakeM365/testTenant';
import { tempDir } from '../../unit/helpers/repoRoot';
import { writeBatchPlan } from '../engine/budgetFixture';
import { addMessages, ferryRun } from '../engine/maildirFixture';
import { useCluster } from './cluster';

const PEOPLE = ['ann', 'bob', 'cat', 'dan'];
/**
 * The app's budget in the tenant: the fake's concurrency per app per tenant, and the plan's
 * maxTenantRequests. 4, as a $batch runs up to 4 requests of a mailbox side by side (each counted).
 */
const BUDGET = 4;
const MESSAGES = 15;

describe("distributed mode: a Graph app's budget in a tenant holds across workers", function () {
  this.timeout(180_000);
  const cluster = useCluster();
  let t: TestTenant;

  before(async () => {
    // Each request takes 40 ms, as Graph's work does: requests of several mailboxes overlap.
    t = await startTestTenant(PEOPLE.map((p) => `${p}@contoso.test`), { latencyMs: 40, limits: { tenantConcurrent: BUDGET } });
  });
  after(async () => {
    await t?.fake.close();
  });

  it('four mailboxes on two workers never put more than maxTenantRequests requests of the app in flight in the tenant', async () => {
    const dir = tempDir('dist-tenant');
    for (const p of PEOPLE) addMessages(path.join(dir, 'source'), `${p}@contoso.example`, ['INBOX'], MESSAGES, 400);
    const m365 = t.endpointYaml('M365').replace(/ }$/, `, maxTenantRequests: ${BUDGET} }`);
    const plan = writeBatchPlan(dir, { name: 'Tenant budget', src: '{ type: maildir, path: ./source }', dst: m365, maxConcurrentMigrations: 4, items: PEOPLE.map((p) => [`${p}@contoso.example`, `${p}@contoso.test`]) });
    const env = { ...cluster.environment(), FERRY_SECRET_M365: t.secret, NODE_EXTRA_CA_CERTS: t.fake.caPath };
    // The default lease (30 s): this is about budgets, not takeovers (workers.test.ts kills workers).
    for (let w = 0; w < 2; w++) cluster.worker(dir, env, ['--concurrency', '2', '--lease', '30']);
    const run = await ferryRun(cluster.ferry, ['run', plan, '--pass', 'full', '--json'], dir, env);
    assert.equal(run.status, 0, run.stderr);
    const summary = JSON.parse(run.stdout) as PassSummary;
    assert.deepEqual(summary.items.map((i) => i.status), PEOPLE.map(() => 'Completed'), JSON.stringify(summary.items));
    for (const p of PEOPLE) {
      const messages = t.fake.data.mailbox(t.fake.data.findUser(t.tenant, `${p}@contoso.test`)!.id).messages;
      assert.equal(new Set(messages.map((m) => m.subject)).size, MESSAGES, `${p}: every message`);
      assert.equal(messages.length, MESSAGES, `${p}: none twice`);
    }
    const tenant = t.fake.throttle.tenants.get(`${t.app.clientId}|${t.tenant.id}`);
    assert.ok(tenant && tenant.accepted > 0, JSON.stringify([...t.fake.throttle.tenants]));
    console.log(`      app in tenant: ${tenant.accepted} accepted, ${tenant.refused} refused (429), at most ${tenant.maxInFlight} in flight`);
    assert.equal(tenant.refused, 0, `requests refused for the app's concurrency in the tenant: ${JSON.stringify(tenant)}`);
    assert.ok(tenant.maxInFlight <= BUDGET, `requests of the app in the tenant in flight at once: ${JSON.stringify(tenant)}`);
  });
});
