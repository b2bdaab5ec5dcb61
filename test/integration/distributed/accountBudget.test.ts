// Exchange counts concurrent EWS requests per account (EWSMaxConcurrency), and one impersonation
// account opens every mailbox, whichever project or endpoint names it: two projects copying
// Exchange -> Exchange at once on two `ferry worker` processes must together stay within the
// account's budget, the endpoints' maxConnections (each project's endpoint slots alone would let
// both use it in full). The fake EWS refuses a request over its account's concurrency with
// ErrorServerBusy and counts it: none may be refused.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { PassSummary } from '../../../src/engine/summary';
import { createFakeEwsData, startFakeEws, type FakeEws, type FakeEwsUser, type SeedMailbox } from '../../servers/fakeEws/server';
import { plainMessage } from '../../servers/testMessages';
import { tempDir } from '../../unit/helpers/repoRoot';
import { ferryRun } from '../engine/maildirFixture';
import { useCluster } from './cluster';

const ORG = 'contoso.local';
const ADMIN = { address: `migadmin@${ORG}`, login: 'CONTOSO\\migadmin', password: 'Adm1n-pass', roles: ['ApplicationImpersonation'] } satisfies FakeEwsUser;
const PEOPLE = ['ann', 'bob', 'cat', 'dan', 'eve', 'fay'];
/** The account's budget: Exchange's concurrency for the account, and the plan's maxConnections. */
const BUDGET = 2;

function mailbox(n: number): SeedMailbox {
  return { items: Array.from({ length: 20 }, (_, i) => ({ folder: 'inbox', mime: plainMessage(n * 100 + i).raw, isRead: i % 2 === 0, received: plainMessage(n * 100 + i).date.toISOString() })) };
}

describe("distributed mode: an Exchange account's budget holds across workers", function () {
  this.timeout(180_000);
  const cluster = useCluster();
  let ews: FakeEws;

  before(async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-dist-ews-'));
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

  it('two projects on two workers copying Exchange -> Exchange on one impersonation account never exceed its concurrent requests', async () => {
    const exchange = `{ type: exchange, url: '${ews.ewsUrl}', authentication: basic, auth: { username: 'CONTOSO\\migadmin', password: { secret: EX_ADMIN } }, maxConnections: ${BUDGET} }`;
    const planOf = (name: string, people: string[]) => {
      const dir = tempDir('dist-ews');
      const file = path.join(dir, 'p.migration.yaml');
      fs.writeFileSync(
        file,
        `version: 1
project: { name: ${name} }
endpoints:
  src: ${exchange}
  dst: ${exchange}
source: src
destination: dst
options:
  maxConcurrentMigrations: 6
batches:
  - name: Main
    items:
${people.map((p) => `      - { source: ${p}@${ORG}, destination: ${p}.new@${ORG} }`).join('\n')}
`,
      );
      return { dir, file };
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
    for (const p of PEOPLE) {
      const mail = (address: string) => [...ews.store.itemsOf(address).values()].filter((i) => !i.isAssociated && i.itemClass.startsWith('IPM.Note')).map((i) => i.subject).sort();
      assert.deepEqual(mail(`${p}.new@${ORG}`), mail(`${p}@${ORG}`), `${p}: the same messages, none twice`);
    }
    const account = ews.stats().accounts[ADMIN.address];
    assert.ok(account.accepted > 0, JSON.stringify(ews.stats().accounts));
    assert.equal(account.refused, 0, `requests refused for the account's concurrency: ${JSON.stringify(account)}`);
    assert.ok(account.maxInFlight <= BUDGET, `requests of the account in flight at once: ${JSON.stringify(account)}`);
  });
});
