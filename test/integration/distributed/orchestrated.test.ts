// An orchestrated batch in distributed mode: `ferry run` enqueues it as one job (Microsoft copies its
// mailboxes in one cross-tenant migration job), a `ferry worker` creates Microsoft's job and polls it,
// is killed with SIGKILL mid-poll, and a second worker takes the job over after the lease: it finds
// Microsoft's job again (the fake refuses a second job of the same name, as Graph does), never
// creates another, and the pass ends with each user's status. `ferry stop` and a verify pass behave
// as in embedded mode.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { resetTokenProviders } from '../../../src/connectors/m365/auth/tokenProvider';
import type { ProjectStatus } from '../../../src/engine/projectStatus';
import type { PassSummary } from '../../../src/engine/summary';
import { crossTenantJobsOf, type CrossTenantJobs } from '../../servers/fakeM365/crossTenantJobs';
import { startTestTenant, type TestTenant } from '../../servers/fakeM365/testTenant';
import { orchestratedPlanYaml } from '../../unit/orchestration/orchestratedPlan';
import { tempDir } from '../../unit/helpers/repoRoot';
import { exited, ferryRun } from '../engine/maildirFixture';
import { useCluster } from './cluster';

const HOUR = 3_600_000;
const users = ['ann', 'bob'];

/** Waits (bounded) until `condition` holds, checking every 100 ms. */
async function until(what: string, condition: () => boolean, ms = 90_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('distributed mode: an orchestrated batch is one queue job, taken over after a worker is killed mid-poll', function () {
  this.timeout(180_000);
  const cluster = useCluster();
  let t: TestTenant;
  let service: CrossTenantJobs;
  let caFile: string;

  before(async () => {
    t = await startTestTenant(users.map((u) => `${u}@contoso.test`));
    t.app.roles.push('CrossTenantContentMigration.ReadWrite.All');
    service = crossTenantJobsOf(t.fake.graph);
    caFile = path.join(tempDir('dist-ca'), 'ca.pem');
    fs.writeFileSync(caFile, t.fake.caPem);
  });
  after(async () => {
    await t?.fake.close();
    resetTokenProviders();
  });

  function project(batch: string): { dir: string; plan: string } {
    const dir = tempDir('dist-orchestrated');
    const plan = path.join(dir, 'p.migration.yaml');
    // completeAfter an hour ahead: Microsoft holds the cutover until then, so the worker polls a job waiting for it.
    fs.writeFileSync(plan, orchestratedPlanYaml(t, batch, users, new Date(Date.now() + HOUR)));
    return { dir, plan };
  }

  /** `ferry run` following the pass and a first worker polling Microsoft's job, which waits for completeAfter. */
  async function polling(batch: string) {
    const p = project(batch);
    const env = { ...cluster.environment(), NODE_EXTRA_CA_CERTS: caFile, FERRY_SECRET_M365_SECRET: t.secret };
    let ended = false;
    const follower = ferryRun(cluster.ferry, ['run', p.plan, '--pass', 'full', '--json'], p.dir, env).finally(() => (ended = true));
    const worker = cluster.worker(p.dir, env);
    const waiting = () => service.jobs.some((j) => j.displayName === batch && j.message === 'Waiting for completeAfterDateTime');
    await until("a worker polling Microsoft's job", () => waiting() || ended);
    if (ended) {
      const run = await follower;
      assert.fail(`ferry run ended before any worker polled Microsoft's job: ${run.status}\n${run.stderr}\n${run.stdout}`);
    }
    const polled = service.polls;
    await until('one more poll', () => service.polls > polled);
    return { p, env, follower, worker };
  }

  it('ferry run enqueues the batch; its worker is killed mid-poll; another finishes it with one Microsoft job; statuses right', async () => {
    const createdBefore = service.created;
    const { p, env, follower, worker: first } = await polling('Cross tenant');
    first.kill('SIGKILL');
    await exited(first);
    // Microsoft's clock passes completeAfter meanwhile: the job cuts over once read again.
    service.now = () => Date.now() + 2 * HOUR;
    try {
      cluster.worker(p.dir, env);
      const run = await follower;
      assert.equal(run.status, 0, `${run.stderr}\n${run.stdout}`);
      const summary = JSON.parse(run.stdout) as PassSummary;
      assert.equal(summary.status, 'completed', run.stdout);
      assert.deepEqual(summary.items.map((i) => `${i.source} ${i.status}`).sort(), users.map((u) => `${u}@fabrikam.test Completed`));
      assert.equal(service.created - createdBefore, 1, 'one cross-tenant job only: the second worker found the first one');
      assert.equal(service.jobs.filter((j) => j.displayName === 'Cross tenant').length, 0, 'the finished job deleted on the service');

      const status = await ferryRun(cluster.ferry, ['status', p.plan, '--json'], p.dir, env);
      const projects = (JSON.parse(status.stdout) as { projects: ProjectStatus[] }).projects;
      assert.deepEqual(projects[0].batches[0].items.map((i) => i.status).sort(), users.map(() => 'Completed'));
      assert.equal(projects[0].passes[0].status, 'completed');
    } finally {
      service.now = () => Date.now();
    }
  });

  it('ferry stop while a worker polls: Microsoft\'s job is cancelled and deleted, the users Stopped, the pass stopped', async () => {
    const createdBefore = service.created;
    const { p, env, follower } = await polling('Stopped batch');
    const stop = await ferryRun(cluster.ferry, ['stop', p.plan], p.dir, env);
    assert.equal(stop.status, 0, stop.stderr);
    const run = await follower;
    const summary = JSON.parse(run.stdout) as PassSummary;
    assert.equal(summary.status, 'stopped', `${run.stderr}\n${run.stdout}`);
    assert.deepEqual(summary.items.map((i) => `${i.status} ${i.code}`), users.map(() => 'Stopped ENG-061'));
    assert.equal(service.created - createdBefore, 1);
    assert.equal(service.jobs.filter((j) => j.displayName === 'Stopped batch').length, 0, 'the cancelled job deleted on the service');
  });

  it('a verify pass on a worker only validates: a validation job, per-user findings, the job deleted', async () => {
    const p = project('Verified batch');
    const env = { ...cluster.environment(), NODE_EXTRA_CA_CERTS: caFile, FERRY_SECRET_M365_SECRET: t.secret };
    service.notInIdentityMapping('bob@contoso.test');
    try {
      cluster.worker(p.dir, env);
      const run = await ferryRun(cluster.ferry, ['run', p.plan, '--pass', 'verify', '--json'], p.dir, env);
      const summary = JSON.parse(run.stdout) as PassSummary;
      assert.deepEqual(summary.items.map((i) => `${i.source} ${i.status} ${i.code ?? ''}`).sort(), ['ann@fabrikam.test Completed ', 'bob@fabrikam.test NotValid IM-003'], run.stderr);
      assert.equal(service.jobs.filter((j) => j.displayName.startsWith('Verified batch')).length, 0);
    } finally {
      service.userFaults.clear();
    }
  });
});
