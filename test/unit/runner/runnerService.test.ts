import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RunnerClient, RunnerRequestError } from '../../../src/runner/client';
import { isRunnerRequest } from '../../../src/runner/protocol';
import { RunnerService, toFailure } from '../../../src/runner/runnerService';
import { registryConnectors } from '../../../src/runner/connectors';
import { InvalidPlanError } from '../../../src/runner/loadPlan';
import { EngineRefusal } from '../../../src/engine/refusal';
import type { PassSummary } from '../../../src/engine/summary';
import type { EngineEvent } from '../../../src/engine/events';
import { maildirProject } from './runnerFixture';

const runnerModule = path.resolve(__dirname, '../../../src/runner/main.js');

describe('runner', function () {
  this.timeout(20_000);

  it('runs a pass in-process, answers status, refuses a second start while busy', async () => {
    const p = maildirProject(30);
    const service = new RunnerService(path.join(p.dir, '.ferry'), { connectors: registryConnectors, env: {}, owner: 'test' });
    assert.deepEqual(service.open(), []);
    const events: EngineEvent[] = [];
    service.events.on((e) => events.push(e));
    const first = service.start({ planFile: p.plan, pass: 'full' });
    await assert.rejects(service.start({ planFile: p.plan, pass: 'delta' }), /is running/);
    const summary = await first;
    assert.equal(summary.totals.copied, 60);
    const status = service.status(p.plan);
    assert.equal(status.runner?.pid, process.pid);
    assert.equal(status.projects[0].batches[0].batch.status, 'Synced');
    assert.ok(events.some((e) => e.type === 'passEnded'));
    assert.equal(service.stop(), false);
    service.close();
  });

  it('a pass that wrote nothing keeps the backup it found; one that copied writes it again', async () => {
    const p = maildirProject(3);
    const state = path.join(p.dir, '.ferry');
    const backup = path.join(state, 'backup', 'state.db');
    const service = new RunnerService(state, { connectors: registryConnectors, env: {}, owner: 'test' });
    service.open();
    try {
      assert.equal((await service.start({ planFile: p.plan, pass: 'full' })).totals.copied, 6);
      const written = fs.readFileSync(backup);
      // Nothing new at the source: the delta copies nothing, and a restore of the backup loses nothing.
      assert.equal((await service.start({ planFile: p.plan, pass: 'delta' })).totals.copied, 0);
      assert.ok(fs.readFileSync(backup).equals(written), 'the backup of the full pass is kept');
      fs.writeFileSync(path.join(p.dir, 'source', 'ann@contoso.example', 'cur', '1800000000.M9P1.test:2,S'), 'Message-ID: <ann-new@contoso.example>\nSubject: new\n\nnew\n');
      assert.equal((await service.start({ planFile: p.plan, pass: 'delta' })).totals.copied, 1);
      assert.ok(!fs.readFileSync(backup).equals(written), 'a pass that copied writes the backup again');
    } finally {
      service.close();
    }
  });

  it('maps failures to protocol errors with codes', () => {
    assert.deepEqual(toFailure(new EngineRefusal('ENG-052', ['Batch', 'X'], 'usage')), { kind: 'usage', code: 'ENG-052', message: "Batch 'X' is not in the plan." });
    const invalid = toFailure(new InvalidPlanError([{ file: 'f', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, severity: 'error', code: 'PLAN-003', message: 'm' }]));
    assert.equal(invalid.kind, 'invalidPlan');
    assert.equal(invalid.code, 'PLAN-003');
    assert.equal(toFailure(new Error('x')).kind, 'internal');
    assert.ok(isRunnerRequest({ id: 1, type: 'status' }));
    assert.ok(!isRunnerRequest({ type: 'status' }));
  });

  it('speaks the protocol as a forked process: ready, subscribe, start, events, status, errors, shutdown', async () => {
    const p = maildirProject(10);
    const state = path.join(p.dir, '.ferry');
    const client = await RunnerClient.fork(state, { runnerModule });
    const events: EngineEvent[] = [];
    client.onEvent((e) => events.push(e));
    await client.request({ type: 'subscribe' });
    const summary = await client.request<PassSummary>({ type: 'start', planFile: p.plan, pass: 'full', secrets: { UNUSED: 'x' } });
    assert.deepEqual([summary.status, summary.totals.copied], ['completed', 20]);
    assert.ok(events.some((e) => e.type === 'itemStatus' && e.status === 'Completed'));
    assert.ok(!JSON.stringify(events).includes('"x"'), 'secrets never travel back');
    await assert.rejects(client.request({ type: 'start', planFile: p.plan, pass: 'full', batch: 'Nope' }), (e: unknown) => e instanceof RunnerRequestError && e.failure.kind === 'usage' && e.failure.code === 'ENG-052');
    await assert.rejects(client.request({ type: 'delete', planFile: p.plan, batch: 'Main' }).then(() => client.request({ type: 'status' })).then(() => client.request({ type: 'start', planFile: path.join(p.dir, 'missing.yaml'), pass: 'full' })), (e: unknown) => e instanceof RunnerRequestError && e.failure.kind === 'invalidPlan');
    await client.shutdown();
    assert.equal(fs.existsSync(path.join(state, 'runner.lock')), false);
  });
});
