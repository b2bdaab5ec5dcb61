// options.notifications as the plan language reads it: every field acts (events, templates, end
// users before the cut-over, the sync interval), and a template Ferry cannot use is PLAN-052.
import * as assert from 'node:assert/strict';
import { BASE_CSV, BASE_PLAN, edit, found, run } from './planTestUtil';

const notifications = `  syncInterval: 6h
  notifications:
    to: [ops@fabrikam.example]
    onStarted: false
    onApprovalNeeded: false
    templates: { completed: notices/done.txt, failed: notices/failed.txt }
    endUsers: { before: 2d, template: notices/cutover.txt }
`;
const plan = edit(BASE_PLAN, '  notifications: { to: [ops@fabrikam.example] }\n', notifications);
const files = { 'wave2.csv': BASE_CSV, 'notices/done.txt': 'Subject: {{batch}} done\n\nbody\n', 'notices/failed.txt': 'Subject: failed\n\nbody\n', 'notices/cutover.txt': 'Subject: moving\n\n{{source}}\n' };

describe('plan: notifications and the sync interval', () => {
  it('reads every field into the plan', () => {
    const { plan: p, diagnostics } = run(plan, files);
    assert.deepEqual(found(diagnostics), []);
    assert.equal(p.options.syncIntervalMs, 6 * 3_600_000);
    assert.deepEqual(p.options.notifications, {
      to: ['ops@fabrikam.example'],
      on: { started: false, synced: true, completed: true, failed: true, approvalNeeded: false },
      templates: { completed: 'notices/done.txt', failed: 'notices/failed.txt' },
      endUsers: { beforeMs: 2 * 86_400_000, template: 'notices/cutover.txt' },
    });
  });

  it('syncs every 24 hours by default; off turns it off; other values are refused by the schema', () => {
    assert.equal(run(BASE_PLAN).plan.options.syncIntervalMs, 86_400_000);
    assert.equal(run(edit(plan, 'syncInterval: 6h', "syncInterval: 'off'"), files).plan.options.syncIntervalMs, undefined);
    assert.deepEqual(found(run(edit(plan, 'syncInterval: 6h', 'syncInterval: 6 hours'), files).diagnostics).map(([c]) => c), ['PLAN-012']);
  });

  it('PLAN-052: a template that is missing, outside the project or without a Subject line', () => {
    const missing = run(plan, { ...files, 'notices/failed.txt': undefined as unknown as string });
    assert.deepEqual(missing.diagnostics.map((d) => [d.code, d.message.replace(/ at \/.*(?=\.$)/, '')]), [['PLAN-052', "Notification template 'notices/failed.txt' cannot be read: there is no readable file."]]);
    const noSubject = run(plan, { ...files, 'notices/cutover.txt': 'Hello {{source}}\n' });
    assert.deepEqual(noSubject.diagnostics.map((d) => d.message), ["Notification template 'notices/cutover.txt' does not start with a 'Subject: ...' line."]);
    const outside = run(edit(plan, 'notices/done.txt', '../../etc/passwd'), files);
    assert.deepEqual(outside.diagnostics.map((d) => d.message), ["Notification template '../../etc/passwd' cannot be read: it is outside the project folder."]);
  });
});
