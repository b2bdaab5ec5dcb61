// Every answer the fake Exchange gives a real Ferry session validates against Microsoft's official
// messages.xsd/types.xsd (../shared/reference/ews, present in CI; absent in a fresh clone, where
// this skips with one line). The session is driven through Ferry's own EWS connector and engine:
// full fidelity (ExportItems/UploadItems + the watermark UpdateItem), MIME into an Exchange 2010
// schema (GetItem MimeContent, tasks by their properties, CreateItem of every item kind, CreateFolder,
// FindItem restrictions after a lost store), delegation, verify refusals, the address book, and the
// faults a pass meets (ErrorServerBusy, ErrorMailboxMoveInProgress, ErrorItemNotFound,
// ErrorInternalServerError, ErrorQuotaExceeded). The goldens (fakeEws.test.ts) cover the rest.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { defaultRetryPolicy } from '../../../src/engine/backoff';
import { discoverMailboxes } from '../../../src/engine/discovery';
import { runPass } from '../../../src/engine/runPass';
import { registryConnectors } from '../../../src/runner/connectors';
import { loadPlan } from '../../../src/runner/loadPlan';
import { Store } from '../../../src/store/store';
import { createFakeEwsData, startFakeEws, type FakeEws, type FakeEwsUser, type SeedMailbox } from '../../servers/fakeEws/server';
import { requireEwsSchemas, validateEnvelopes } from '../../servers/fakeEws/xsd';
import { plainMessage } from '../../servers/testMessages';

const ORG = 'contoso.local';
const ADMIN = { address: `migadmin@${ORG}`, login: 'CONTOSO\\migadmin', password: 'Adm1n-pass', roles: ['ApplicationImpersonation'] } satisfies FakeEwsUser;
const DELEGATE = { address: `helpdesk@${ORG}`, login: 'CONTOSO\\helpdesk', password: 'Help-pass', fullAccess: [`ann@${ORG}`, `eve@${ORG}`] } satisfies FakeEwsUser;
const PEOPLE = ['ann', 'bob', 'cat', 'dan', 'eve'];

function annMailbox(): SeedMailbox {
  const mail = (n: number, folder: string, isRead: boolean) => ({ folder, mime: plainMessage(n).raw, isRead, received: plainMessage(n).date.toISOString() });
  return {
    folders: [{ path: 'inbox/Projects' }],
    items: [
      ...Array.from({ length: 4 }, (_, i) => mail(100 + i, 'inbox', i % 2 === 1)),
      mail(200, 'inbox/Projects', true),
      { folder: 'contacts', itemClass: 'IPM.Contact', mime: 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Contact One\r\nN:One;Contact;;;\r\nEMAIL;TYPE=INTERNET:one@example.com\r\nEND:VCARD\r\n' },
      { folder: 'calendar', itemClass: 'IPM.Appointment', mime: 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Ferry test//EN\r\nBEGIN:VEVENT\r\nUID:ev-1@ferry.test\r\nDTSTAMP:20260101T080000Z\r\nDTSTART:20260105T090000Z\r\nDTEND:20260105T100000Z\r\nSUMMARY:Kick-off\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n' },
      { folder: 'tasks', itemClass: 'IPM.Task', mime: 'Subject: Renew the domain\r\n\r\n', task: { body: 'Before the end of the month.', dueDate: '2026-11-30T17:00:00Z', status: 'InProgress', importance: 'High', reminderDueBy: '2026-11-30T09:00:00Z' } },
    ],
  };
}

describe('fake EWS: every answer to a Ferry session validates against messages.xsd/types.xsd', function () {
  this.timeout(120_000);
  let xsdDir: string;
  let ews: FakeEws;
  let work: string;
  const answers: { operation: string; status: number; body: string }[] = [];
  const secrets: Record<string, string> = { EX_ADMIN: ADMIN.password, EX_HELP: DELEGATE.password, WRONG: 'not-the-password' };
  const fast = { ...defaultRetryPolicy, attempts: 10, baseMs: 20, maxMs: 200 };

  before(async function () {
    xsdDir = requireEwsSchemas(this);
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-ews-schema-'));
    const dataDir = path.join(work, 'data');
    createFakeEwsData(dataDir, {
      users: [ADMIN, DELEGATE, ...PEOPLE.map((p) => ({ address: `${p}@${ORG}`, login: `CONTOSO\\${p}`, password: `${p}-pass`, ...(p === 'dan' ? { quotaBytes: 1500 } : {}) }))],
      mailboxes: { [`ann@${ORG}`]: annMailbox() },
      config: { authSchemes: ['Negotiate', 'NTLM', 'Basic'] },
    });
    ews = await startFakeEws({ dataDir, onEwsResponse: (a) => answers.push(a) });
  });
  after(async () => {
    await ews?.close();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  const endpoint = (extra = '', login = 'CONTOSO\\migadmin', secret = 'EX_ADMIN') => `{ type: exchange, url: '${ews.ewsUrl}', auth: { username: '${login}', password: { secret: ${secret} } }${extra} }`;
  let plans = 0;
  function project(src: string, dst: string, items: [string, string][]) {
    const dir = path.join(work, `plan-${++plans}`);
    fs.mkdirSync(dir);
    const text = `version: 1\nproject: { name: Schema }\nendpoints:\n  src: ${src}\n  dst: ${dst}\nsource: src\ndestination: dst\nbatches:\n  - name: Main\n    items:\n${items.map(([s, d]) => `      - { source: ${s}, destination: ${d} }`).join('\n')}\n`;
    fs.writeFileSync(path.join(dir, 'p.migration.yaml'), text);
    return { plan: loadPlan(path.join(dir, 'p.migration.yaml')).plan, dir };
  }
  async function run(p: ReturnType<typeof project>, pass: 'verify' | 'full' | 'delta', fresh = false) {
    if (fresh) fs.rmSync(path.join(p.dir, '.ferry'), { recursive: true, force: true });
    const store = Store.open(path.join(p.dir, '.ferry'));
    try {
      return await runPass({ plan: p.plan, store, pass, connectors: registryConnectors, secrets: (n) => secrets[n], retry: fast });
    } finally {
      store.close();
    }
  }
  const newMail = (address: string, n: number) => ews.store.putItem(address, { folder: ews.store.folderByDistinguished(address, 'inbox')!.id, itemClass: 'IPM.Note', subject: `Plain message ${n}`, internetMessageId: `<plain-${n}@ferry.test>`, dateTimeReceived: plainMessage(n).date.toISOString(), dateTimeCreated: new Date().toISOString(), lastModifiedTime: new Date().toISOString(), messageFlags: 1, isAssociated: false, extended: [] }, plainMessage(n).raw);

  it('full fidelity, MIME, delegation, verify refusals, the address book and injected faults: xmllint finds no deviation', async () => {
    // Full fidelity (NTLM): ExportItems, UploadItems, the watermark UpdateItem; a delta after a new message.
    const ff = project(endpoint(), endpoint(), [[`ann@${ORG}`, `bob@${ORG}`]]);
    assert.equal((await run(ff, 'full')).items[0].status, 'Completed');
    newMail(`ann@${ORG}`, 150);
    assert.equal((await run(ff, 'delta')).totals.copied, 1);
    // MIME into a destination that speaks Exchange 2010 (no UploadItems): every kind by CreateItem;
    // a lost store finds the written items again by their watermark (FindItem restrictions).
    const mime = project(endpoint(', authentication: basic'), endpoint(', authentication: basic, version: Exchange2010'), [[`ann@${ORG}`, `cat@${ORG}`]]);
    assert.equal((await run(mime, 'full')).items[0].status, 'Completed');
    const written = ews.store.itemsOf(`cat@${ORG}`).size;
    assert.equal((await run(mime, 'full', true)).items[0].status, 'Completed');
    assert.equal(ews.store.itemsOf(`cat@${ORG}`).size, written, 'the rerun wrote duplicates');
    // Delegation (DistinguishedFolderId with a Mailbox) and verify refusals.
    const delegated = project(endpoint(', access: delegation', 'CONTOSO\\helpdesk', 'EX_HELP'), endpoint(', access: delegation', 'CONTOSO\\helpdesk', 'EX_HELP'), [[`ann@${ORG}`, `eve@${ORG}`]]);
    assert.equal((await run(delegated, 'full')).items[0].status, 'Completed');
    for (const [src, mailbox] of [[endpoint('', 'CONTOSO\\helpdesk', 'EX_HELP'), `ann@${ORG}`], [endpoint(), `nobody@${ORG}`], [endpoint(', access: delegation', 'CONTOSO\\helpdesk', 'EX_HELP'), `bob@${ORG}`], [endpoint('', 'CONTOSO\\migadmin', 'WRONG'), `ann@${ORG}`]] as const) {
      assert.equal((await run(project(src, endpoint(), [[mailbox, `dan@${ORG}`]]), 'verify')).items[0].status, 'NotValid');
    }
    assert.ok((await discoverMailboxes({ plan: ff.plan, endpoint: 'src', connectors: registryConnectors, secrets: (n) => secrets[n] })).includes(`ann@${ORG}`));
    // The faults a pass meets, each once, then a quota the destination runs into.
    const faulty = project(endpoint(), endpoint(', version: Exchange2010'), [[`ann@${ORG}`, `dan@${ORG}`]]);
    ews.setFaults([
      { kind: 'serverBusy', backOffMs: 50, mailbox: `ann@${ORG}` },
      { kind: 'mailboxMoveInProgress', mailbox: `ann@${ORG}`, operation: 'GetItem' },
      { kind: 'itemNotFound', mailbox: `ann@${ORG}`, operation: 'GetItem' },
    ]);
    await run(faulty, 'full');
    ews.setFaults([{ kind: 'internalServerError', mailbox: `ann@${ORG}`, operation: 'SyncFolderItems' }]);
    await run(faulty, 'full', true);
    ews.setFaults([]);

    assert.ok(answers.length > 0, 'the session sent nothing');
    const dir = path.join(work, 'answers');
    fs.mkdirSync(dir);
    const files = answers.map((a, i) => {
      const file = path.join(dir, `${String(i).padStart(4, '0')}-${a.operation || 'unknown'}-${a.status}.xml`);
      fs.writeFileSync(file, a.body);
      return file;
    });
    const { validated, errors } = validateEnvelopes(xsdDir, files);
    assert.deepEqual(errors, []);
    assert.equal(validated, files.length);
    const operations = [...new Set(answers.map((a) => a.operation))].sort();
    const codes = [...new Set(answers.flatMap((a) => [...a.body.matchAll(/ResponseCode(?: [^>]*)?>(\w+)</g)].map((m) => m[1])))].sort();
    console.log(`      xmllint validated ${validated} answers: ${operations.join(', ')}; response codes ${codes.join(', ')}`);
    for (const op of ['GetFolder', 'FindFolder', 'SyncFolderItems', 'GetItem', 'CreateItem', 'CreateFolder', 'UpdateItem', 'FindItem', 'ExportItems', 'UploadItems', 'ResolveNames']) {
      assert.ok(operations.includes(op), `the session never sent ${op}: ${operations.join(', ')}`);
    }
    for (const code of ['NoError', 'ErrorServerBusy', 'ErrorMailboxMoveInProgress', 'ErrorItemNotFound', 'ErrorInternalServerError', 'ErrorImpersonateUserDenied', 'ErrorNonExistentMailbox', 'ErrorAccessDenied', 'ErrorQuotaExceeded']) {
      assert.ok(codes.includes(code), `no answer with ${code}: ${codes.join(', ')}`);
    }
  });
});
