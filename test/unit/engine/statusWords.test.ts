// Issue 14: one status vocabulary. The seeds' words, from one module (src/engine/statusWords.ts),
// in every view: a mailbox the completion finalized reads Finalized wherever it is shown (the
// dashboard counted Finalized while the tree said Resynced), a batch no pass touched reads Created
// (the description said Created, the tooltip Not started).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { batchStatuses, itemStatuses, statusLabels } from '../../../src/engine/statuses';
import { batchStatusLabel, itemStatusLabel, syncStateLabel } from '../../../src/engine/statusWords';
import { planOutline } from '../../../src/views/planOutline';
import { projectView } from '../../../src/views/projectView';
import { dashboardModel } from '../../../src/views/dashboard/dashboardModel';
import { reportMarkdown } from '../../../src/cli/reportFormat';
import type { MigrationReport } from '../../../src/engine/report';
import { blockPlan, item, planFile, snapshot } from '../extension/outlineFixtures';

const root = path.resolve(__dirname, '../../../..');

describe('status vocabulary', () => {
  it("every batch and item status reads as the seeds word it, a run never started as Created / Never synced", () => {
    for (const s of batchStatuses) assert.equal(batchStatusLabel(s), statusLabels[s]);
    for (const s of itemStatuses) assert.equal(itemStatusLabel(s), statusLabels[s]);
    assert.equal(batchStatusLabel(undefined), 'Created');
    assert.equal(itemStatusLabel(undefined), 'Never synced');
    assert.equal(itemStatusLabel('Resynced', true), 'Finalized');
    assert.equal(itemStatusLabel('Failed', true), 'Failed');
    assert.equal(syncStateLabel('InSync'), 'In sync');
  });

  it('the dashboard and the report word the same mailboxes and batches alike', () => {
    const items = [item('ann@contoso.example', 'Resynced', { finalized: true, syncState: 'InSync' }), item('bob@contoso.example', 'FinishedWithErrors')];
    const snap = snapshot(items);
    const view = projectView(planFile, planOutline(planFile, blockPlan), snap, undefined);
    const dashboard = dashboardModel(view, [], new Date('2026-01-02T00:00:00Z'));
    const byMailbox = Object.fromEntries(dashboard.items.map((i) => [i.source, i.statusLabel]));
    assert.equal(byMailbox['ann@contoso.example'], 'Finalized');
    assert.equal(byMailbox['bob@contoso.example'], 'Finished with errors');
    assert.equal(byMailbox['carol@contoso.example'], 'Never synced');
    assert.deepEqual(dashboard.batches.map((b) => [b.name, b.statusLabel]), [['Pilot', 'Synced with errors'], ['Wave 2', 'Created'], ['Empty', 'Created']]);
    const report: MigrationReport = { project: 'Demo', planFile, generatedAt: '2026-01-02T00:00:00Z', batches: snap.status!.batches, totals: { mailboxes: 2, synced: 1, finalized: 1, failed: 0, items: 0, bytes: 0, skipped: 0, errors: 0 }, errors: [], changes: { byKind: { flags: 0, moved: 0, deleted: 0, 'kept-deleted': 0, 'conflict-left': 0 } as MigrationReport['changes']['byKind'], byItemType: {}, entries: [] } };
    const md = reportMarkdown(report);
    assert.match(md, /\| ann@contoso\.example \| ann@fabrikam\.example \| Finalized \| In sync \|/);
    assert.match(md, /\| Pilot \| Synced with errors \|/);
  });

  it('no view words a status itself: the tree, tooltips, dashboard, status bar, notifications, report and ferry status all go through statusWords', () => {
    const views = [
      'src/extension/tree/kinds/batchKinds.ts',
      'src/extension/tree/kinds/itemKinds.ts',
      'src/extension/tree/tooltips.ts',
      'src/views/dashboard/dashboardModel.ts',
      'src/extension/runs/statusBar.ts',
      'src/views/viewSummary.ts',
      'src/views/runFindings.ts',
      'src/views/mailbox/mailboxModel.ts',
      'src/extension/commands/targets.ts',
      'src/cli/commands/status.ts',
      'src/cli/reportFormat.ts',
      'src/notify/messages.ts',
      'src/scheduler/scheduler.ts',
    ];
    for (const file of views) {
      const text = fs.readFileSync(path.join(root, file), 'utf8');
      assert.doesNotMatch(text, /statusLabels|Not started|never run|label\(/, `${file} words a status itself`);
    }
    for (const file of views.filter((f) => /kinds|tooltips|dashboardModel|status\.ts|reportFormat|messages/.test(f))) {
      assert.match(fs.readFileSync(path.join(root, file), 'utf8'), /(batch|item)StatusLabel|itemLabel/, `${file} does not use statusWords`);
    }
  });
});
