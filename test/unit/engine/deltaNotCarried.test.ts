// A delta whose source cannot tell what changed (no SourceMailbox.listChanges: the engine tests'
// memory connector, or a future connector) says so per mailbox with ENG-080, kept on the mailbox
// for `ferry report`, the dashboard and the mailbox page, never a silent "0 changes" (issue 13).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { reportMarkdown } from '../../../src/cli/reportFormat';
import { buildReport } from '../../../src/engine/report';
import { readSnapshot } from '../../../src/snapshot/readSnapshot';
import { dashboardModel } from '../../../src/views/dashboard/dashboardModel';
import { mailboxPageModel } from '../../../src/views/mailbox/mailboxModel';
import { planOutline } from '../../../src/views/planOutline';
import { projectView } from '../../../src/views/projectView';
import { harness, simplePlan } from './engineTestUtil';

const ann = 'ann@contoso.example';

describe('engine: a delta that cannot carry changes says so per mailbox (ENG-080)', () => {
  it('shows ENG-080 in the report, the dashboard and the mailbox page', async () => {
    const yaml = simplePlan(['ann']);
    const h = harness(yaml);
    fs.writeFileSync(h.plan.file, yaml);
    h.world.add(ann, ['INBOX'], 'hello');
    assert.equal((await h.run('full')).items[0].status, 'Completed');
    assert.equal((await h.run('delta')).items[0].status, 'Resynced');
    const item = buildReport(h.store, h.plan.file)!.batches[0].items[0];
    assert.equal(item.deltaNotCarried?.code, 'ENG-080', JSON.stringify(item));
    assert.match(item.deltaNotCarried.message, /the source cannot tell what changed/);
    assert.match(reportMarkdown(buildReport(h.store, h.plan.file)!), /### ann@contoso\.example[\s\S]*Changes not carried \(ENG-080 \(Changes of copied items not carried\)\): .*copies new items only/);
    const ref = { batch: 'B1', source: ann };
    const snapshot = readSnapshot(h.store.dir, h.plan.file, Date.now, [ref]);
    const view = projectView(h.plan.file, planOutline(h.plan.file, yaml), snapshot, undefined, { revision: 1 });
    assert.match(dashboardModel(view, []).items.find((i) => i.source === ann)?.notCopied ?? '', /changes not carried \(ENG-080\)/);
    assert.equal(mailboxPageModel(view, ref.batch, ref.source)?.deltaNotCarried?.code, 'ENG-080');
    h.store.close();
  });
});
