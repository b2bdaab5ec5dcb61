import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { main } from '../../../src/cli/main';
import type { CliIo } from '../../../src/cli/io';
import type { PassSummary } from '../../../src/engine/summary';
import { maildirProject } from '../runner/runnerFixture';

function capture(cwd: string): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { cwd, env: {}, stdout, stderr, out: (l) => stdout.push(l), err: (l) => stderr.push(l) };
}

describe('ferry run, status, plan, report, stop, approve', function () {
  this.timeout(20_000);

  it('run --pass full exits 0 with a summary; delta moves nothing; --json gives the summary', async () => {
    const p = maildirProject(4);
    const io = capture(p.dir);
    assert.equal(await main(['run', 'p.migration.yaml', '--pass', 'full'], io), 0, io.stderr.join('\n'));
    assert.match(io.stdout.join('\n'), /full pass completed .*: 2 mailboxes, 2 completed, 0 with errors, 0 failed; 8 items/);
    assert.match(io.stderr.join('\n'), /\[Main\] ann@contoso\.example: Completed/);
    const io2 = capture(p.dir);
    assert.equal(await main(['run', 'p.migration.yaml', '--pass', 'delta', '--json'], io2), 0);
    const summary = JSON.parse(io2.stdout.join('\n')) as PassSummary;
    assert.deepEqual([summary.kind, summary.totals.copied, summary.items.map((i) => i.status)], ['delta', 0, ['Resynced', 'Resynced']]);
    assert.ok(fs.existsSync(path.join(p.dir, '.ferry', 'state.db')), 'state beside the plan');
  });

  it('exits 3 when a mailbox completed with errors or failed, 1 when the pass is refused', async () => {
    const p = maildirProject(2);
    fs.rmSync(path.join(p.dir, 'source', 'bob@contoso.example'), { recursive: true });
    const io = capture(p.dir);
    assert.equal(await main(['run', 'p.migration.yaml', '--pass', 'full', '--state', 'st'], io), 3);
    assert.match(io.stdout.join('\n'), /bob@contoso\.example .*Not valid .*MAILDIR-NOT-FOUND/);
    assert.match(io.stdout.join('\n'), /full pass completed with errors .*: 2 mailboxes, 1 completed, 0 with errors, 1 failed/);
    const io2 = capture(p.dir);
    assert.equal(await main(['run', 'p.migration.yaml', '--pass', 'retry', '--state', 'st'], io2), 1);
    assert.match(io2.stderr.join('\n'), /retry pass refused/);
  });

  it('a pass whose every mailbox failed is summarised as failed, from the outcome that gives exit 1', async () => {
    const p = maildirProject(2);
    for (const who of ['ann', 'bob']) fs.rmSync(path.join(p.dir, 'source', `${who}@contoso.example`), { recursive: true });
    const io = capture(p.dir);
    assert.equal(await main(['run', 'p.migration.yaml', '--pass', 'full'], io), 1);
    assert.match(io.stdout.join('\n'), /full pass failed .*: 2 mailboxes, 0 completed, 0 with errors, 2 failed; 0 items/);
    assert.doesNotMatch(io.stdout.join('\n'), /pass completed/);
  });

  it('exits 2 for usage errors and 1 with the diagnostics for an invalid plan', async () => {
    const p = maildirProject(1);
    const io = capture(p.dir);
    assert.equal(await main(['run', 'p.migration.yaml'], io), 2);
    assert.equal(await main(['run', 'p.migration.yaml', '--pass', 'sideways'], capture(p.dir)), 2);
    const io2 = capture(p.dir);
    assert.equal(await main(['run', 'p.migration.yaml', '--pass', 'full', '--batch', 'Nope'], io2), 2);
    assert.match(io2.stderr.join('\n'), /ENG-052 Batch 'Nope' is not in the plan/);
    fs.writeFileSync(path.join(p.dir, 'bad.migration.yaml'), 'version: 1\nproject: { name: X }\n');
    const io3 = capture(p.dir);
    assert.equal(await main(['run', 'bad.migration.yaml', '--pass', 'full', '--state', 'bad-state'], io3), 1);
    assert.match(io3.stderr.join('\n'), /bad\.migration\.yaml:\d+:\d+: error PLAN-010/);
    assert.equal(fs.existsSync(path.join(p.dir, 'bad-state')), false, 'nothing ran');
  });

  it('status, plan and report read the store', async () => {
    const p = maildirProject(3);
    const before = capture(p.dir);
    assert.equal(await main(['plan', 'p.migration.yaml'], before), 0);
    assert.match(before.stdout.join('\n'), /Next full pass: 2 of 2 mailboxes would run/);
    assert.equal(await main(['run', 'p.migration.yaml', '--pass', 'full'], capture(p.dir)), 0);
    const status = capture(p.dir);
    assert.equal(await main(['status', 'p.migration.yaml'], status), 0);
    assert.match(status.stdout.join('\n'), /Main\s+Synced\s+2\s+2\s+0\s+0\s+100%/);
    const plan = capture(p.dir);
    assert.equal(await main(['plan', 'p.migration.yaml', '--pass', 'retry'], plan), 0);
    assert.match(plan.stdout.join('\n'), /skip .*ENG-002/);
    const md = capture(p.dir);
    assert.equal(await main(['report', 'p.migration.yaml', '--format', 'md'], md), 0);
    assert.match(md.stdout.join('\n'), /\| Main \| Synced \| 2 \| 2 \| 0 \| 0 \| 100% \|/);
    const out = capture(p.dir);
    assert.equal(await main(['report', 'p.migration.yaml', '--format', 'csv', '--out', 'reports'], out), 0);
    const csv = fs.readFileSync(path.join(p.dir, 'reports', 'ferry-report.csv'), 'utf8').trim().split('\n');
    assert.equal(csv.length, 3);
    assert.match(csv[1], /^Main,Synced,ann@contoso\.example,ann@fabrikam\.example,Completed,Migrated,InSync,3,/);
    const json = capture(p.dir);
    assert.equal(await main(['report', 'p.migration.yaml', '--format', 'json'], json), 0);
    assert.equal((JSON.parse(json.stdout.join('\n')) as { totals: { items: number } }).totals.items, 6);
    assert.equal(await main(['report', 'p.migration.yaml', '--format', 'pdf'], capture(p.dir)), 2);
  });

  it('stop without a runner says so; approve records approvals', async () => {
    const p = maildirProject(1, 'options:\n  mailboxQuotaGB: 0.000000001\n');
    const stop = capture(p.dir);
    assert.equal(await main(['stop', 'p.migration.yaml'], stop), 0);
    assert.match(stop.stdout.join('\n'), /nothing to stop/);
    const run = capture(p.dir);
    assert.equal(await main(['run', 'p.migration.yaml', '--pass', 'full'], run), 3);
    assert.match(run.stdout.join('\n'), /Confirmation required .*ENG-030/);
    const approve = capture(p.dir);
    assert.equal(await main(['approve', 'p.migration.yaml', '--item', 'ann@contoso.example'], approve), 0);
    assert.deepEqual(approve.stdout, ['approved ann@contoso.example']);
    const again = capture(p.dir);
    assert.equal(await main(['run', 'p.migration.yaml', '--pass', 'full', '--item', 'ann@contoso.example'], again), 0);
  });
});
