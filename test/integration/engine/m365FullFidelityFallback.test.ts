// Microsoft 365 -> Microsoft 365 (the fake) where the source app may export (MailboxItem.ImportExport.All)
// but the destination's app may not import: full fidelity is not available, so the mailbox moves
// as MIME (what the old choice, made by the source alone, turned into 403 failures), with no
// failure, and one notice per mailbox and pass saying why (GRAPH-403-IMPORT: the admin consent URL).
// The same when the destination's app may create import sessions but not list the import/export
// API's folders (MailboxFolder.Read.All), among which its staging folders are found.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { resetTokenProviders } from '../../../src/connectors/m365/auth/tokenProvider';
import { m365Connector } from '../../../src/connectors/m365/m365Connector';
import { defaultRetryPolicy } from '../../../src/engine/backoff';
import { EngineEvents, type EngineEvent } from '../../../src/engine/events';
import { runPass } from '../../../src/engine/runPass';
import { registryConnectors } from '../../../src/runner/connectors';
import { loadPlan } from '../../../src/runner/loadPlan';
import { Store } from '../../../src/store/store';
import type { AppRecord } from '../../servers/fakeM365/data';
import { mailboxApiSettings } from '../../servers/fakeM365/mailboxApi';
import { FULL_FIDELITY_ROLES, startTestTenant, type TestTenant } from '../../servers/fakeM365/testTenant';
import { plainMessage } from '../../servers/testMessages';

describe('engine: Microsoft 365 -> Microsoft 365 when the destination app may not import (fake)', function () {
  this.timeout(60_000);
  let t: TestTenant;
  /** The destination's app: Mail, Contacts, Calendars and Tasks permissions, no MailboxItem.ImportExport. */
  let mimeOnly: AppRecord;
  /** A destination app with MailboxItem.ImportExport.All but no MailboxFolder.Read.All. */
  let noFolders: AppRecord;
  const secrets: Record<string, string> = {};
  const signal = new AbortController().signal;
  const boxOf = (upn: string) => t.fake.data.mailbox(t.fake.data.findUser(t.tenant, upn)!.id);

  before(async () => {
    t = await startTestTenant(['ann@contoso.test', 'bob@contoso.test', 'cyd@contoso.test'], { latencyMs: 1 });
    t.app.roles.push(...FULL_FIDELITY_ROLES);
    mimeOnly = t.fake.data.addApp(t.tenant, { secrets: ['mime~only.Secret_0123456789'] });
    noFolders = t.fake.data.addApp(t.tenant, { secrets: ['no~folders.Secret_0123456789'] });
    noFolders.roles.push('MailboxItem.ImportExport.All');
    t.fake.data.saveDirectory();
    secrets.SRC = t.secret;
    secrets.DST = mimeOnly.secrets[0];
    secrets.NOFOLDERS = noFolders.secrets[0];
    const ann = await m365Connector.openDestination(t.request('ann@contoso.test'));
    const folders = [await ann.ensureFolder(['INBOX'], 'inbox'), await ann.ensureFolder(['Projects'], undefined)];
    for (let i = 0; i < 24; i++) {
      const m = plainMessage(6000 + i);
      await ann.writeItem(folders[i % 3 === 0 ? 1 : 0], { format: 'rfc822', data: m.raw, flags: i % 2 ? ['\\Seen'] : [], date: m.date }, signal);
    }
    await ann.close();
  });
  after(async () => {
    await t?.fake.close();
    resetTokenProviders();
  });

  for (const [destination, app, why] of [
    ['bob@contoso.test', 'DST', /bob@contoso\.test.*MIME/],
    ['cyd@contoso.test', 'NOFOLDERS', /cyd@contoso\.test.*MailboxFolder\.Read\.All \(application\).*MIME/],
  ] as const) {
  it(`moves every message as MIME, no failures, one notice with the consent fix (${app === 'DST' ? 'no MailboxItem.ImportExport.All' : 'no MailboxFolder.Read.All'})`, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-m365-ff-fallback-'));
    fs.writeFileSync(
      path.join(dir, 'p.migration.yaml'),
      `version: 1\nproject: { name: Fallback }\nendpoints:\n  src: ${t.endpointYaml('SRC')}\n  dst: ${t.endpointYaml(app, app === 'DST' ? mimeOnly : noFolders)}\nsource: src\ndestination: dst\nbatches:\n  - name: Main\n    items:\n      - { source: ann@contoso.test, destination: ${destination} }\n`,
    );
    const plan = loadPlan(path.join(dir, 'p.migration.yaml')).plan;
    const store = Store.open(path.join(dir, '.ferry'));
    const events = new EngineEvents();
    const seen: EngineEvent[] = [];
    events.on((e) => seen.push(e));
    const fast = { ...defaultRetryPolicy, attempts: 10, baseMs: 20, maxMs: 200 };
    const run = (pass: 'full' | 'delta') => runPass({ plan, store, pass, connectors: registryConnectors, secrets: (n) => secrets[n], retry: fast, events });
    const api = mailboxApiSettings(t.fake.graph);
    const [exportsBefore, importsBefore] = [api.exportCalls, api.imported];

    const full = await run('full');
    assert.deepEqual([full.items[0].status, full.totals.copied, full.items[0].errors], ['Completed', 24, 0], JSON.stringify(full.items));
    assert.deepEqual([api.exportCalls, api.imported], [exportsBefore, importsBefore], 'full fidelity was used');
    const ann = boxOf('ann@contoso.test');
    const bob = boxOf(destination);
    const state = (box: typeof ann) => box.messages.map((m) => `${m.internetMessageId} ${m.receivedDateTime} ${String(m.isRead)} ${String(m.isDraft)}`).sort();
    assert.deepEqual(state(bob), state(ann));
    const notices = seen.filter((e): e is Extract<EngineEvent, { type: 'notice' }> => e.type === 'notice');
    assert.deepEqual(notices.map((n) => [n.item, n.code]), [['ann@contoso.test', 'GRAPH-403-IMPORT']]);
    assert.match(notices[0].message, why);
    assert.deepEqual(seen.filter((e) => e.type === 'error'), []);

    // The next pass asks again (the permission may have been granted meanwhile) and moves nothing twice.
    assert.equal((await run('delta')).totals.copied, 0);
    assert.equal(boxOf(destination).messages.length, 24);
    store.close();
  });
  }
});
