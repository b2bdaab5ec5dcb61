// Exchange -> Exchange in full fidelity with calendar items, contacts and tasks (none has a
// Message-ID): UploadItems writes an item, an UpdateItem sets Ferry's watermark on it. Exchange
// refuses that UpdateItem on a calendar item without SendMeetingInvitationsOrCancellations, and a
// watermark step that fails leaves an unmarked item a rerun must find again, not upload twice.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { defaultRetryPolicy } from '../../../src/engine/backoff';
import { runPass } from '../../../src/engine/runPass';
import { registryConnectors } from '../../../src/runner/connectors';
import { loadPlan } from '../../../src/runner/loadPlan';
import { Store } from '../../../src/store/store';
import { createFakeEwsData, startFakeEws, type FakeEws, type FakeEwsUser } from '../../servers/fakeEws/server';
import { plainMessage } from '../../servers/testMessages';

const ORG = 'contoso.local';
const ADMIN = { address: `migadmin@${ORG}`, login: 'CONTOSO\\migadmin', password: 'Adm1n-pass', roles: ['ApplicationImpersonation'] } satisfies FakeEwsUser;
const event = (n: number) => `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Ferry test//EN\r\nBEGIN:VEVENT\r\nUID:ev-${n}@ferry.test\r\nDTSTAMP:20260101T080000Z\r\nDTSTART:202601${10 + n}T090000Z\r\nDTEND:202601${10 + n}T100000Z\r\nSUMMARY:Meeting ${n}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n`;

describe('engine: Exchange -> Exchange calendar items, a failed watermark step and a rerun', function () {
  this.timeout(120_000);
  let ews: FakeEws;
  let work: string;
  const fast = { ...defaultRetryPolicy, attempts: 3, baseMs: 10, maxMs: 50 };

  before(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-ews-calendar-'));
    createFakeEwsData(path.join(work, 'data'), {
      users: [ADMIN, ...['ann', 'bob', 'cat'].map((p) => ({ address: `${p}@${ORG}`, login: `CONTOSO\\${p}`, password: `${p}-pass` }))],
      mailboxes: {
        [`ann@${ORG}`]: {
          items: [
            ...[1, 2, 3].map((n) => ({ folder: 'calendar', itemClass: 'IPM.Appointment', mime: event(n) })),
            { folder: 'contacts', itemClass: 'IPM.Contact', mime: 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Contact One\r\nN:One;Contact;;;\r\nEND:VCARD\r\n' },
            { folder: 'tasks', itemClass: 'IPM.Task', mime: 'Subject: Renew the domain\r\n\r\n', task: { status: 'InProgress', dueDate: '2026-11-30T17:00:00Z' } },
            { folder: 'inbox', mime: plainMessage(1).raw, isRead: true },
          ],
        },
      },
    });
    ews = await startFakeEws({ dataDir: path.join(work, 'data') });
  });
  after(async () => {
    await ews?.close();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  function project(destination: string) {
    const dir = fs.mkdtempSync(path.join(work, 'plan-'));
    const endpoint = `{ type: exchange, url: '${ews.ewsUrl}', auth: { username: 'CONTOSO\\migadmin', password: { secret: EX_ADMIN } } }`;
    fs.writeFileSync(path.join(dir, 'p.migration.yaml'), `version: 1\nproject: { name: Calendar }\nendpoints:\n  src: ${endpoint}\n  dst: ${endpoint}\nsource: src\ndestination: dst\nbatches:\n  - name: Main\n    items:\n      - { source: ann@${ORG}, destination: ${destination} }\n`);
    return { plan: loadPlan(path.join(dir, 'p.migration.yaml')).plan, store: Store.open(path.join(dir, '.ferry')) };
  }
  const run = (p: ReturnType<typeof project>) => runPass({ plan: p.plan, store: p.store, pass: 'full', connectors: registryConnectors, secrets: () => ADMIN.password, retry: fast });
  const written = (address: string) => [...ews.store.itemsOf(address).values()].filter((i) => !i.isAssociated);
  const marked = (address: string) => written(address).filter((i) => i.extended.some((e) => e.uri.PropertyName === 'FerryWatermark'));
  const source = () => written(`ann@${ORG}`);

  it('marks uploaded calendar items (SendMeetingInvitationsOrCancellations sent): one pass, every item once', async () => {
    const p = project(`bob@${ORG}`);
    try {
      const full = await run(p);
      assert.equal(full.items[0].status, 'Completed', JSON.stringify(full.items));
      assert.equal(written(`bob@${ORG}`).length, source().length);
      assert.equal(marked(`bob@${ORG}`).length, source().length);
      assert.equal(written(`bob@${ORG}`).filter((i) => i.itemClass === 'IPM.Appointment').length, 3);
    } finally {
      p.store.close();
    }
  });

  it('a watermark step that keeps failing, then a rerun: the unmarked items are found by the id UploadItems gave and marked, no duplicate', async () => {
    const p = project(`cat@${ORG}`);
    try {
      ews.setFaults([{ kind: 'internalServerError', mailbox: `cat@${ORG}`, operation: 'UpdateItem', count: -1 }]);
      const failed = await run(p);
      assert.notEqual(failed.items[0].status, 'Completed', 'the watermark step did not fail');
      assert.equal(marked(`cat@${ORG}`).length, 0);
      const uploaded = written(`cat@${ORG}`).length;
      assert.ok(uploaded > 0, 'nothing was uploaded before the watermark step');
      ews.setFaults([]);
      const rerun = await run(p);
      assert.equal(rerun.items[0].status, 'Completed', JSON.stringify(rerun.items));
      const cat = written(`cat@${ORG}`);
      assert.equal(cat.length, source().length, cat.map((i) => `${i.itemClass} ${i.subject}`).join('; '));
      assert.equal(marked(`cat@${ORG}`).length, source().length);
      assert.equal(cat.filter((i) => i.itemClass === 'IPM.Appointment').length, 3);
    } finally {
      ews.setFaults([]);
      p.store.close();
    }
  });
});
