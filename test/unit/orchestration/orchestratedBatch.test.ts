// A batch with `orchestrated: true` through runPass against the fake's cross-tenant jobs: every job
// state to completed with the job deleted afterwards, per-user failures (IM-003 at validation,
// MIGR-002 during the migration) landing as item errors with catalog codes, a duplicate name
// (422) failing the batch's items, a stop that cancels and deletes the job, and a verify pass that
// only validates.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { resetTokenProviders } from '../../../src/connectors/m365/auth/tokenProvider';
import { defaultRetryPolicy } from '../../../src/engine/backoff';
import { HandedOver } from '../../../src/engine/mailboxWorker';
import { EngineEvents } from '../../../src/engine/events';
import { projectStatistics } from '../../../src/engine/statistics';
import { runPass } from '../../../src/engine/runPass';
import { registryConnectors } from '../../../src/runner/connectors';
import { loadPlan } from '../../../src/runner/loadPlan';
import { Store } from '../../../src/store/store';
import { crossTenantJobsOf, type CrossTenantJobs } from '../../servers/fakeM365/crossTenantJobs';
import { startTestTenant, type TestTenant } from '../../servers/fakeM365/testTenant';
import { orchestratedPlanYaml } from './orchestratedPlan';

const HOUR = 3_600_000;

describe('orchestrated batches (fake cross-tenant migration service)', function () {
  this.timeout(20_000);
  let t: TestTenant;
  let service: CrossTenantJobs;
  const fast = { ...defaultRetryPolicy, attempts: 5, baseMs: 10, maxMs: 80 };

  before(async () => {
    t = await startTestTenant(['ann@contoso.test', 'bob@contoso.test', 'cat@contoso.test']);
    t.app.roles.push('CrossTenantContentMigration.ReadWrite.All');
    service = crossTenantJobsOf(t.fake.graph);
  });
  after(async () => {
    await t?.fake.close();
    resetTokenProviders();
  });
  afterEach(() => {
    service.userFaults.clear();
    service.now = () => Date.now();
  });

  /** Far enough ahead that no load makes it past when the job is created. */
  const later = () => new Date(Date.now() + HOUR);
  /**
   * Events that move the service's clock past completeAfter once the migration starts (Microsoft
   * holds the cutover until then): the job completes without the test waiting for the time.
   */
  function cutOverOnceMigrating(): EngineEvents {
    const events = new EngineEvents();
    events.on((e) => {
      if (e.type === 'itemStatus' && e.status === 'InProgress') service.now = () => Date.now() + 2 * HOUR;
    });
    return events;
  }

  function project(batch: string, users: string[], completeAfter: Date): { plan: ReturnType<typeof loadPlan>['plan']; store: Store } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-orchestrated-'));
    const text = orchestratedPlanYaml(t, batch, users, completeAfter);
    fs.writeFileSync(path.join(dir, 'p.migration.yaml'), text);
    return { plan: loadPlan(path.join(dir, 'p.migration.yaml')).plan, store: Store.open(path.join(dir, '.ferry')) };
  }

  const run = (p: ReturnType<typeof project>, pass: 'full' | 'verify' = 'full', signal?: AbortSignal, events?: EngineEvents) =>
    runPass({ plan: p.plan, store: p.store, pass, connectors: registryConnectors, secrets: (n) => (n === 'M365_SECRET' ? t.secret : undefined), retry: fast, ...(signal ? { signal } : {}), ...(events ? { events } : {}) });

  it('drives a batch through every job state to completed, then deletes the job', async () => {
    const p = project('Wave 1', ['ann', 'bob'], later());
    const summary = await run(p, 'full', undefined, cutOverOnceMigrating());
    assert.deepEqual(summary.items.map((i) => [i.source, i.status, i.matchState]), [
      ['ann@fabrikam.test', 'Completed', 'Migrated'],
      ['bob@fabrikam.test', 'Completed', 'Migrated'],
    ]);
    assert.equal(summary.status, 'completed');
    assert.equal(service.jobs.length, 0, 'the final job was not deleted');
    // The service cut both mailboxes over: finalized, and the batch Completed (the dashboard's Finalized was 0, the batch Synced).
    const batch = p.store.batches.getBatch(1, 'Wave 1')!;
    assert.deepEqual([batch.status, typeof batch.completedAt], ['Completed', 'string']);
    assert.deepEqual(p.store.items.listItems(batch.id).map((i) => [i.source, i.finalized, i.syncState]), [['ann@fabrikam.test', true, 'InSync'], ['bob@fabrikam.test', true, 'InSync']]);
    const stats = projectStatistics(p.store, 1)[0].batch;
    assert.deepEqual([stats.total, stats.synced, stats.finalized, stats.failed], [2, 2, 2, 0]);
    p.store.close();
  });

  it('records every state the service went through (job history read before the delete)', async () => {
    const p = project('Wave 2', ['ann'], later());
    let history: string[] = [];
    const original = service.handle.bind(service);
    service.handle = (call, req, segments) => {
      if (req.method === 'DELETE') history = [...(service.job(segments[3])?.history ?? [])];
      return original(call, req, segments);
    };
    try {
      const summary = await run(p, 'full', undefined, cutOverOnceMigrating());
      assert.equal(summary.items[0].status, 'Completed');
    } finally {
      service.handle = original;
    }
    const states = history.filter((s, i) => s !== history[i - 1]);
    assert.deepEqual(states, ['submitted', 'validateSubmitted', 'validateInProgress', 'validatePassed', 'approved', 'processing', 'inProgress', 'cuttingOver', 'completed']);
    assert.ok(service.polls > 0);
    p.store.close();
  });

  it('maps failed users to item errors with the seed codes (IM-003 at validation, MIGR-002 when migrating)', async () => {
    service.notInIdentityMapping('bob@contoso.test', 'contoso.test');
    service.notInSecurityGroup('cat@contoso.test', 'T2T-Movers');
    const p = project('Wave 3', ['ann', 'bob', 'cat'], later());
    const summary = await run(p, 'full', undefined, cutOverOnceMigrating());
    assert.deepEqual(summary.items.map((i) => [i.source, i.status, i.code ?? '']), [
      ['ann@fabrikam.test', 'Completed', ''],
      ['bob@fabrikam.test', 'NotValid', 'IM-003'],
      ['cat@fabrikam.test', 'Failed', 'MIGR-002'],
    ]);
    const rows = p.store.items.listItems(p.store.batches.getBatch(1, 'Wave 3')!.id);
    const bob = rows.find((r) => r.source === 'bob@fabrikam.test')!;
    const cat = rows.find((r) => r.source === 'cat@fabrikam.test')!;
    assert.deepEqual(p.store.errors.unresolved(bob.id).map((e) => e.code), ['IM-003']);
    assert.match(p.store.errors.unresolved(bob.id)[0].message, /User bob@contoso\.test is not mapped to an identity on tenant contoso\.test/);
    assert.deepEqual(p.store.errors.unresolved(cat.id).map((e) => e.code), ['MIGR-002']);
    assert.match(p.store.errors.unresolved(cat.id)[0].message, /add them to security group T2T-Movers/);
    assert.equal(p.store.batches.getBatch(1, 'Wave 3')!.status, 'SyncedWithErrors');
    assert.deepEqual(rows.map((r) => [r.source, r.finalized]), [['ann@fabrikam.test', true], ['bob@fabrikam.test', false], ['cat@fabrikam.test', false]]);
    assert.equal(projectStatistics(p.store, 1)[0].batch.finalized, 1);
    assert.equal(service.jobs.length, 0);
    p.store.close();
  });

  it('names the target users by their object ids under /beta; a target user missing in the destination tenant is its item\'s GRAPH-TARGET-USER, the others go on', async () => {
    const p = project('Wave 7', ['ann', 'dan', 'bob'], later());
    // The fake takes only object ids of the tenant's users as resources (422 otherwise) and the jobs only under /beta.
    const summary = await run(p, 'full', undefined, cutOverOnceMigrating());
    assert.deepEqual(summary.items.map((i) => [i.source, i.status, i.code ?? '']), [
      ['ann@fabrikam.test', 'Completed', ''],
      ['dan@fabrikam.test', 'NotValid', 'GRAPH-TARGET-USER'],
      ['bob@fabrikam.test', 'Completed', ''],
    ]);
    const dan = p.store.items.listItems(p.store.batches.getBatch(1, 'Wave 7')!.id).find((r) => r.source === 'dan@fabrikam.test')!;
    assert.match(p.store.errors.unresolved(dan.id)[0].message, /dan@contoso\.test is not in the destination tenant/);
    p.store.close();
  });

  it('fails the items with duplicateDisplayNameJob when the service already has a job of that name', async () => {
    const p = project('Wave 4', ['ann'], later());
    const now = new Date().toISOString();
    service.jobs.push({ id: 'existing', tenantId: t.tenant.id, displayName: 'Wave 4', jobType: 'migrate', sourceTenantId: '', targetTenantId: t.tenant.id, completeAfterDateTime: now, status: 'submitted', message: '', createdDateTime: now, createdBy: 'test', lastUpdatedDateTime: now, exchangeSettings: null, workloads: ['Exchange'], resourceType: 'Users', resources: ['00000000-0000-4000-8000-00000000dead'], tasks: [], history: ['submitted'] });
    try {
      const summary = await run(p);
      assert.deepEqual([summary.items[0].status, summary.items[0].code], ['Failed', 'duplicateDisplayNameJob']);
    } finally {
      service.jobs.splice(0, service.jobs.length);
    }
    p.store.close();
  });

  it('takes up the batch\'s own job left by a pass that was cut off (same name and users) instead of refusing it', async () => {
    const p = project('Wave 6', ['ann'], later());
    const now = new Date().toISOString();
    // What a runner killed right after creating the job leaves on the service.
    const annId = t.fake.data.findUser(t.tenant, 'ann@contoso.test')!.id.toUpperCase();
    service.jobs.push({ id: 'left-over', tenantId: t.tenant.id, displayName: 'Wave 6', jobType: 'migrate', sourceTenantId: '', targetTenantId: t.tenant.id, completeAfterDateTime: later().toISOString(), status: 'submitted', message: '', createdDateTime: now, createdBy: 'test', lastUpdatedDateTime: now, exchangeSettings: null, workloads: ['Exchange'], resourceType: 'Users', resources: [annId], tasks: [{ id: annId, lastUpdatedDateTime: now, service: 'Exchange', status: 'notStarted', message: '', errors: [] }], history: ['submitted'] });
    try {
      const summary = await run(p, 'full', undefined, cutOverOnceMigrating());
      assert.deepEqual([summary.items[0].status, summary.items[0].code ?? ''], ['Completed', ''], JSON.stringify(summary.items));
      assert.equal(service.jobs.length, 0, 'the job was deleted once final');
    } finally {
      service.jobs.splice(0, service.jobs.length);
    }
    p.store.close();
  });

  it('cancels the job when the pass is stopped, and deletes it once cancelled', async () => {
    const p = project('Wave 5', ['ann'], later());
    const stop = new AbortController();
    // Stopped while the service migrates: when a poll has found the job in progress.
    const original = service.handle.bind(service);
    let cancelledFrom = '';
    service.handle = (call, req, segments) => {
      const response = original(call, req, segments);
      const job = service.job(segments[3]);
      if (req.method === 'GET' && segments.length === 4 && job?.status === 'inProgress' && !stop.signal.aborted) stop.abort();
      if (req.method === 'POST' && segments[4] === 'cancel') cancelledFrom = job?.history.at(-2) ?? '';
      return response;
    };
    try {
      const summary = await run(p, 'full', stop.signal);
      assert.equal(summary.items[0].status, 'Stopped');
    } finally {
      service.handle = original;
    }
    assert.equal(cancelledFrom, 'inProgress', 'cancelled while the service migrated');
    assert.equal(service.jobs.length, 0, 'the cancelled job was not deleted');
    p.store.close();
  });

  it('a runner whose job went to another (a distributed worker whose lease lapsed) leaves Microsoft\'s job as it is: no cancel, no delete, nothing recorded', async () => {
    const p = project('Wave 5b', ['ann'], later());
    const lost = new AbortController();
    const original = service.handle.bind(service);
    const writes: string[] = [];
    service.handle = (call, req, segments) => {
      const response = original(call, req, segments);
      const job = service.job(segments[3]);
      if (req.method === 'GET' && segments.length === 4 && job?.status === 'inProgress' && !lost.signal.aborted) lost.abort(new HandedOver('the lease lapsed'));
      else if (req.method !== 'GET' && lost.signal.aborted) writes.push(`${req.method} ${segments.slice(3).join('/')}`);
      return response;
    };
    try {
      await run(p, 'full', lost.signal);
    } finally {
      service.handle = original;
    }
    assert.deepEqual(writes, [], 'nothing asked of the service after the job was handed over');
    const left = service.jobs.find((j) => j.displayName === 'Wave 5b');
    assert.equal(left?.status, 'inProgress', 'the job goes on for the worker that took it over');
    const item = p.store.items.listItems(p.store.batches.getBatch(1, 'Wave 5b')!.id)[0];
    assert.equal(item.status, 'InProgress', 'the item left as the other worker will find it');
    service.jobs.splice(service.jobs.indexOf(left!), 1);
    p.store.close();
  });

  it('a verify pass only validates (a validation job), then deletes it', async () => {
    service.notInIdentityMapping('bob@contoso.test');
    const p = project('Wave 6', ['ann', 'bob'], later());
    const summary = await run(p, 'verify');
    assert.deepEqual(summary.items.map((i) => [i.status, i.matchState]), [
      ['Completed', 'Matched'],
      ['NotValid', 'NotMatched'],
    ]);
    assert.equal(service.jobs.length, 0);
    p.store.close();
  });
});
