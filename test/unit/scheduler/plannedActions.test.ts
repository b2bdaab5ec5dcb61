// What ferry serve does next for a batch, computed from the plan and the store alone (no timers):
// start at startAfter, sync every syncInterval after the last sync, complete at completeAfter once
// Synced (a past deadline on a batch that is not Synced is a finding on it), the operator's pause,
// skip and run-now, and a run a dead scheduler left claimed.
import * as assert from 'node:assert/strict';
import { plannedActions, type BatchScheduleInput } from '../../../src/engine/schedule';
import { defaultOptions, type PlanBatch } from '../../../src/plan/model';
import type { BatchRow } from '../../../src/store/rows';
import type { ScheduledRun } from '../../../src/store/schedulesRepo';

const NOW = new Date('2026-12-06T12:00:00Z');
const at = (iso: string) => new Date(iso);
const H = 3_600_000;

function input(batch: Partial<PlanBatch>, row?: Partial<BatchRow>, extra: Partial<BatchScheduleInput> = {}): BatchScheduleInput {
  return {
    batch: { name: 'B', orchestrated: false, items: [], nameRange: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, ...batch },
    row: row ? { id: 1, projectId: 1, name: 'B', status: 'Created', createdAt: '2026-12-01T00:00:00Z', ...row } : undefined,
    control: { batchId: 1 },
    runs: [],
    options: { syncIntervalMs: 24 * H, notifications: defaultOptions.notifications },
    now: NOW,
    ...extra,
  };
}

const run = (action: ScheduledRun['action'], dueAt: string, state: ScheduledRun['state']): ScheduledRun => ({ id: 1, batchId: 1, action, dueAt, state });
const brief = (i: BatchScheduleInput) => plannedActions(i).map((a) => [a.action, a.dueAt.toISOString(), a.state, ...(a.code ? [a.code] : [])]);

describe('scheduler: the next action of a batch', () => {
  it('starts a batch at startAfter: scheduled before, due after; nothing without startAfter', () => {
    assert.deepEqual(brief(input({ startAfter: at('2026-12-06T13:00:00Z') }, {})), [['start', '2026-12-06T13:00:00.000Z', 'scheduled']]);
    assert.deepEqual(brief(input({ startAfter: at('2026-12-06T11:00:00Z') })), [['start', '2026-12-06T11:00:00.000Z', 'due']]);
    assert.deepEqual(brief(input({}, {})), []);
  });

  it('does not start again a batch that started (by hand or by an earlier run)', () => {
    assert.deepEqual(brief(input({ startAfter: at('2026-12-06T11:00:00Z') }, { status: 'Stopped', startedAt: '2026-12-06T10:00:00Z' })), []);
    assert.deepEqual(brief(input({ startAfter: at('2026-12-06T11:00:00Z') }, { status: 'Failed' }, { runs: [run('start', '2026-12-06T11:00:00.000Z', 'failed')] })), []);
  });

  it('syncs a Synced batch one interval after its last sync (24 h by default), off when the plan says so', () => {
    const synced = { status: 'Synced' as const, startedAt: '2026-12-05T00:00:00Z', lastSyncAt: '2026-12-05T13:00:00.000Z' };
    assert.deepEqual(brief(input({}, synced)), [['sync', '2026-12-06T13:00:00.000Z', 'scheduled']]);
    assert.deepEqual(brief(input({}, { ...synced, status: 'SyncedWithErrors', lastSyncAt: '2026-12-05T09:00:00.000Z' })), [['sync', '2026-12-06T09:00:00.000Z', 'due']]);
    assert.deepEqual(brief(input({}, synced, { options: { syncIntervalMs: undefined, notifications: defaultOptions.notifications } })), []);
  });

  it('a sync missed during downtime is due once, and the next one counts from the last run', () => {
    const synced = { status: 'Synced' as const, startedAt: '2026-12-01T00:00:00Z', lastSyncAt: '2026-12-02T12:00:00.000Z' };
    assert.deepEqual(brief(input({}, synced)), [['sync', '2026-12-03T12:00:00.000Z', 'due']]);
    // That run failed (the batch stayed Synced): the next one is one interval after its due time, not four runs in a row.
    assert.deepEqual(brief(input({}, synced, { runs: [run('sync', '2026-12-03T12:00:00.000Z', 'failed')] })), [['sync', '2026-12-04T12:00:00.000Z', 'due']]);
  });

  it('completes a Synced batch at completeAfter, before any sync due later; a past completeAfter is due now', () => {
    const synced = { status: 'Synced' as const, startedAt: '2026-12-05T00:00:00Z', lastSyncAt: '2026-12-06T11:00:00.000Z' };
    assert.deepEqual(brief(input({ completeAfter: at('2026-12-06T20:00:00Z') }, synced)), [['complete', '2026-12-06T20:00:00.000Z', 'scheduled']]);
    assert.deepEqual(brief(input({ completeAfter: at('2026-12-01T20:00:00Z') }, synced)), [['complete', '2026-12-01T20:00:00.000Z', 'due']]);
    assert.deepEqual(brief(input({ completeAfter: at('2026-12-01T20:00:00Z') }, { ...synced, status: 'Completed', completedAt: '2026-12-06T11:00:00Z' })), []);
  });

  it('a sync due before the cut-over still runs first', () => {
    const synced = { status: 'Synced' as const, startedAt: '2026-12-05T00:00:00Z', lastSyncAt: '2026-12-05T13:00:00.000Z' };
    assert.deepEqual(brief(input({ completeAfter: at('2026-12-07T20:00:00Z') }, synced)), [['sync', '2026-12-06T13:00:00.000Z', 'scheduled'], ['complete', '2026-12-07T20:00:00.000Z', 'scheduled']]);
  });

  it('a deadline a batch cannot meet (not Synced) is a finding on that batch: blocked with SCHED-002', () => {
    const [a] = plannedActions(input({ completeAfter: at('2026-12-01T20:00:00Z') }, { status: 'Failed', startedAt: '2026-11-30T00:00:00Z' }));
    assert.deepEqual([a.action, a.state, a.code, a.args], ['complete', 'blocked', 'SCHED-002', ['B', '2026-12-01T20:00:00.000Z', 'Failed']]);
  });

  it('pause holds every action; skip moves to the next occurrence; run now makes the next action due', () => {
    const synced = { status: 'Synced' as const, startedAt: '2026-12-05T00:00:00Z', lastSyncAt: '2026-12-05T13:00:00.000Z' };
    assert.deepEqual(brief(input({}, synced, { control: { batchId: 1, pausedAt: '2026-12-06T00:00:00Z' } })), [['sync', '2026-12-06T13:00:00.000Z', 'paused']]);
    assert.deepEqual(brief(input({}, synced, { runs: [run('sync', '2026-12-06T13:00:00.000Z', 'skipped')] })), [['sync', '2026-12-07T13:00:00.000Z', 'scheduled']]);
    assert.deepEqual(brief(input({}, synced, { control: { batchId: 1, runNowAt: '2026-12-06T11:59:00.000Z' } })), [['sync', '2026-12-06T11:59:00.000Z', 'due']]);
    assert.deepEqual(brief(input({ startAfter: at('2026-12-09T00:00:00Z') }, {}, { control: { batchId: 1, runNowAt: '2026-12-06T11:59:00.000Z' } })), [['start', '2026-12-06T11:59:00.000Z', 'due']]);
    assert.deepEqual(brief(input({ startAfter: at('2026-12-09T00:00:00Z') }, {}, { runs: [run('start', '2026-12-09T00:00:00.000Z', 'skipped')] })), []);
  });

  it('a run a scheduler claimed and did not end comes first and says it resumes', () => {
    const [a] = plannedActions(input({ startAfter: at('2026-12-06T11:00:00Z') }, { status: 'Stopped', startedAt: '2026-12-06T11:00:01Z' }, { runs: [run('start', '2026-12-06T11:00:00.000Z', 'running')] }));
    assert.deepEqual([a.action, a.dueAt.toISOString(), a.state, a.resumed], ['start', '2026-12-06T11:00:00.000Z', 'due', true]);
  });

  it('the end users are told `before` their cut-over, once', () => {
    const notifications = { ...defaultOptions.notifications, endUsers: { beforeMs: 24 * H } };
    const i = input({ completeAfter: at('2026-12-07T06:00:00Z') }, { status: 'Synced', startedAt: '2026-12-05T00:00:00Z', lastSyncAt: '2026-12-06T11:00:00.000Z' }, { options: { syncIntervalMs: 24 * H, notifications } });
    assert.deepEqual(brief(i), [['notice', '2026-12-06T06:00:00.000Z', 'due'], ['complete', '2026-12-07T06:00:00.000Z', 'scheduled']]);
    assert.deepEqual(brief({ ...i, runs: [run('notice', '2026-12-06T06:00:00.000Z', 'done')] }), [['complete', '2026-12-07T06:00:00.000Z', 'scheduled']]);
  });
});
