// The engine with on-premises Exchange (the fake EWS server) through runPass like a real run:
// Exchange -> IMAP (Dovecot), IMAP -> Exchange, Exchange -> Exchange in full fidelity (ExportItems /
// UploadItems); delta with zero duplicates, a lost store rerun finding Ferry's watermarks, a
// throttling storm survived, NTLM and Basic, autodiscover, and the rights problems verify reports.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { defaultRetryPolicy } from '../../../src/engine/backoff';
import { discoverMailboxes } from '../../../src/engine/discovery';
import { runPass } from '../../../src/engine/runPass';
import { buildReport } from '../../../src/engine/report';
import { reportMarkdown } from '../../../src/cli/reportFormat';
import { registryConnectors } from '../../../src/runner/connectors';
import { loadPlan } from '../../../src/runner/loadPlan';
import { Store } from '../../../src/store/store';
import { connectAs, seedMessages, startDovecot, type DovecotServer } from '../../servers/dovecot';
import { createFakeEwsData, startFakeEws, type FakeEws, type FakeEwsUser, type SeedMailbox } from '../../servers/fakeEws/server';
import { plainMessage } from '../../servers/testMessages';

const ORG = 'contoso.local';
const ADMIN = { address: `migadmin@${ORG}`, login: 'CONTOSO\\migadmin', password: 'Adm1n-pass', roles: ['ApplicationImpersonation'] } satisfies FakeEwsUser;
const DELEGATE = { address: `helpdesk@${ORG}`, login: 'CONTOSO\\helpdesk', password: 'Help-pass', fullAccess: [`ann@${ORG}`] } satisfies FakeEwsUser;
/** An app signed in with OAuth: the secret holds its access token. */
const APP = { address: `ferryapp@${ORG}`, login: 'CONTOSO\\ferryapp', password: 'unused-Pass1', bearerTokens: ['eyJ0eXAiOiJKV1QifQ.ferry-app-token'], roles: ['ApplicationImpersonation'], hasMailbox: false } satisfies FakeEwsUser;
const PEOPLE = ['ann', 'bob', 'cat', 'dan', 'eve', 'fay', 'gus', 'hal'];

/** Ann's mailbox: Inbox (12, every other one read), Inbox/Projects (4), Sent Items (3), Contacts (2 vCards), Calendar (1 iCalendar). */
function annMailbox(): SeedMailbox {
  const mail = (n: number, folder: string, isRead: boolean) => ({ folder, mime: plainMessage(n).raw, isRead, received: plainMessage(n).date.toISOString() });
  const vcard = (n: number) => `BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Contact ${n}\r\nN:${n};Contact;;;\r\nEMAIL;TYPE=INTERNET:contact${n}@example.com\r\nEND:VCARD\r\n`;
  return {
    folders: [{ path: 'inbox/Projects' }],
    items: [
      ...Array.from({ length: 12 }, (_, i) => mail(100 + i, 'inbox', i % 2 === 1)),
      ...Array.from({ length: 4 }, (_, i) => mail(200 + i, 'inbox/Projects', true)),
      ...Array.from({ length: 3 }, (_, i) => mail(300 + i, 'sentitems', true)),
      ...[1, 2].map((n) => ({ folder: 'contacts', mime: vcard(n), itemClass: 'IPM.Contact' })),
      { folder: 'calendar', itemClass: 'IPM.Appointment', mime: 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Ferry test//EN\r\nBEGIN:VEVENT\r\nUID:ev-1@ferry.test\r\nDTSTAMP:20260101T080000Z\r\nDTSTART:20260105T090000Z\r\nDTEND:20260105T100000Z\r\nSUMMARY:Kick-off\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n' },
    ],
  };
}

describe('engine: on-premises Exchange (fake EWS)', function () {
  this.timeout(120_000);
  let dovecot: DovecotServer;
  let ews: FakeEws;
  const secrets: Record<string, string> = { EX_ADMIN: ADMIN.password, EX_HELP: DELEGATE.password, EX_TOKEN: APP.bearerTokens[0], IMAP: 'imap-pw' };
  const fast = { ...defaultRetryPolicy, attempts: 10, baseMs: 20, maxMs: 200 };

  before(async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-ews-engine-'));
    createFakeEwsData(dataDir, {
      users: [ADMIN, DELEGATE, APP, ...PEOPLE.map((p) => ({ address: `${p}@${ORG}`, login: `CONTOSO\\${p}`, password: `${p}-pass` }))],
      mailboxes: { [`ann@${ORG}`]: annMailbox() },
      config: { autodiscover: { domains: [ORG], redirects: {} }, authSchemes: ['Negotiate', 'NTLM', 'Basic', 'Bearer'] },
    });
    [dovecot, ews] = await Promise.all([startDovecot({ users: PEOPLE.map((p) => ({ user: `${p}@imap.test`, password: 'imap-pw' })) }), startFakeEws({ dataDir })]);
  });
  after(async () => {
    await dovecot?.stop();
    await ews?.close();
  });

  function exchangeEndpoint(extra = ''): string {
    return `{ type: exchange, url: '${ews.ewsUrl}', auth: { username: 'CONTOSO\\migadmin', password: { secret: EX_ADMIN } }${extra} }`;
  }

  function project(src: string, dst: string, items: [string, string][], imapSide: 'src' | 'dst' | 'none', options = ''): { plan: ReturnType<typeof loadPlan>['plan']; store: Store; dir: string } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-ews-plan-'));
    const imapAuth = (addr: string) => `\n        ${imapSide}Auth: { username: '${addr}', password: { secret: IMAP } }`;
    const text = `version: 1
project: { name: EWS }
endpoints:
  src: ${src}
  dst: ${dst}
source: src
destination: dst
${options ? `options:\n${options}\n` : ''}batches:
  - name: Main
    items:
${items.map(([s, d]) => `      - source: ${s}\n        destination: ${d}${imapSide === 'src' ? imapAuth(s).replace('srcAuth', 'sourceAuth') : imapSide === 'dst' ? imapAuth(d).replace('dstAuth', 'destinationAuth') : ''}`).join('\n')}
`;
    fs.writeFileSync(path.join(dir, 'p.migration.yaml'), text);
    return { plan: loadPlan(path.join(dir, 'p.migration.yaml')).plan, store: Store.open(path.join(dir, '.ferry')), dir };
  }
  const imap = () => `{ type: imap, host: 127.0.0.1, port: ${dovecot.port}, security: none }`;
  const items = (address: string) => [...ews.store.itemsOf(address).values()];
  const mailOf = (address: string) => items(address).filter((i) => i.itemClass.startsWith('IPM.Note'));
  const run = (p: { plan: ReturnType<typeof loadPlan>['plan']; store: Store }, pass: 'verify' | 'full' | 'delta') => runPass({ plan: p.plan, store: p.store, pass, connectors: registryConnectors, secrets: (n) => secrets[n], retry: fast });

  it('Exchange -> IMAP: mail as MIME byte for byte, read state and received dates; contacts and calendar listed as not copied (ENG-023); delta moves zero, then the new message once', async () => {
    const p = project(exchangeEndpoint(), imap(), [[`ann@${ORG}`, 'ann@imap.test']], 'dst', '  logFailedItemSubjects: true');
    const full = await run(p, 'full');
    assert.equal(full.items[0].status, 'Completed', JSON.stringify(full.items));
    assert.equal(full.totals.copied, 19);
    // IMAP holds mail only: the 2 contacts and the appointment are recorded with their code, not dropped.
    assert.equal(full.totals.skipped, 3);
    const itemId = p.store.items.listItems(p.store.batches.listBatches(p.store.batches.listProjects()[0].id)[0].id)[0].id;
    assert.deepEqual(p.store.skips.byCode(itemId), { 'ENG-023': 3 });
    assert.deepEqual(p.store.skips.items(itemId).map((i) => [i.folderPath, i.code, i.subject]), [['Calendar', 'ENG-023', 'Kick-off'], ['Contacts', 'ENG-023', 'Contact 1'], ['Contacts', 'ENG-023', 'Contact 2']]);
    const report = reportMarkdown(buildReport(p.store, p.plan.file)!);
    assert.match(report, /Skipped: 3 × ENG-023 \(Folder holds items the destination cannot take\)/);
    assert.match(report, /\| Calendar \| ENG-023 \| .* \| Kick-off \|/);
    const client = await connectAs(dovecot, 'ann@imap.test');
    try {
      const inbox = await client.mailboxOpen('INBOX');
      assert.equal(inbox.exists, 12);
      const fetched = await client.fetchAll('1:*', { source: true, flags: true, internalDate: true });
      const first = fetched.find((m) => m.source?.toString().includes('Plain message 100'))!;
      assert.equal(first.source!.toString(), plainMessage(100).raw.toString());
      assert.equal(new Date(first.internalDate!).getTime(), plainMessage(100).date.getTime());
      assert.equal(fetched.filter((m) => m.flags?.has('\\Seen')).length, 6);
      const projects = await client.status('INBOX/Projects', { messages: true });
      assert.equal(projects && projects.messages, 4);
    } finally {
      await client.logout();
    }
    assert.equal((await run(p, 'delta')).totals.copied, 0);
    ews.store.putItem(`ann@${ORG}`, { folder: ews.store.folderByDistinguished(`ann@${ORG}`, 'inbox')!.id, itemClass: 'IPM.Note', subject: 'Plain message 150', internetMessageId: '<plain-150@ferry.test>', dateTimeReceived: plainMessage(150).date.toISOString(), dateTimeCreated: new Date().toISOString(), lastModifiedTime: new Date().toISOString(), messageFlags: 0, isAssociated: false, extended: [] }, plainMessage(150).raw);
    assert.equal((await run(p, 'delta')).totals.copied, 1);
    p.store.close();
  });

  it('IMAP -> Exchange: every message once, not a draft, read state and dates kept; a lost store reruns with zero duplicates', async () => {
    await seedMessages(dovecot, 'bob@imap.test', 'INBOX', Array.from({ length: 10 }, (_, i) => plainMessage(400 + i)).map((m, i) => ({ raw: m.raw, flags: i < 3 ? ['\\Seen'] : [], date: m.date })));
    await seedMessages(dovecot, 'bob@imap.test', 'Archive/2025', Array.from({ length: 5 }, (_, i) => plainMessage(450 + i)).map((m) => ({ raw: m.raw, flags: ['\\Seen'], date: m.date })));
    const p = project(imap(), exchangeEndpoint(), [['bob@imap.test', `bob@${ORG}`]], 'src');
    const full = await run(p, 'full');
    assert.deepEqual([full.items[0].status, full.totals.copied], ['Completed', 15], JSON.stringify(full.items));
    assert.equal((await run(p, 'delta')).totals.copied, 0);
    const bob = mailOf(`bob@${ORG}`);
    assert.equal(bob.length, 15);
    assert.equal(new Set(bob.map((m) => m.internetMessageId)).size, 15);
    assert.ok(bob.every((m) => (m.messageFlags & 8) === 0), 'a message was left a draft');
    assert.equal(bob.filter((m) => m.messageFlags & 1).length, 3 + 5);
    assert.ok(bob.some((m) => new Date(m.dateTimeReceived).getTime() === plainMessage(400).date.getTime()), 'received date not kept');
    assert.ok(bob.every((m) => m.extended.some((e) => e.uri.PropertyName === 'FerryWatermark')), 'a message has no watermark');
    // The store is lost: a new one starts from nothing, and the watermarks prevent every duplicate.
    p.store.close();
    fs.rmSync(path.join(p.dir, '.ferry'), { recursive: true, force: true });
    const again = { plan: p.plan, store: Store.open(path.join(p.dir, '.ferry')) };
    const rerun = await run(again, 'full');
    assert.equal(rerun.items[0].status, 'Completed', JSON.stringify(rerun.items));
    assert.equal(mailOf(`bob@${ORG}`).length, 15);
    again.store.close();
  });

  it('Exchange -> Exchange: full fidelity through ExportItems/UploadItems, contacts and calendar included; delta moves zero', async () => {
    const p = project(exchangeEndpoint(), exchangeEndpoint(", authentication: basic"), [[`ann@${ORG}`, `cat@${ORG}`]], 'none');
    const full = await run(p, 'full');
    assert.equal(full.items[0].status, 'Completed', JSON.stringify(full.items));
    const ann = items(`ann@${ORG}`).filter((i) => !i.isAssociated);
    const cat = items(`cat@${ORG}`).filter((i) => !i.isAssociated);
    assert.equal(cat.length, ann.length);
    const key = (i: { subject: string; itemClass: string; messageFlags: number; dateTimeReceived: string }) => `${i.itemClass}|${i.subject}|${i.messageFlags & 1}|${i.dateTimeReceived}`;
    assert.deepEqual(cat.map(key).sort(), ann.map(key).sort());
    assert.ok(ews.stats().operations.ExportItems > 0 && ews.stats().operations.UploadItems > 0, JSON.stringify(ews.stats().operations));
    assert.equal((await run(p, 'delta')).totals.copied, 0);
    assert.equal(items(`cat@${ORG}`).filter((i) => !i.isAssociated).length, ann.length);
    p.store.close();
  });

  it('survives a throttling storm: ErrorServerBusy with BackOffMilliseconds honoured per mailbox', async () => {
    await seedMessages(dovecot, 'dan@imap.test', 'INBOX', Array.from({ length: 20 }, (_, i) => plainMessage(500 + i)).map((m) => ({ raw: m.raw, flags: [], date: m.date })));
    ews.setFaults([{ kind: 'serverBusy', count: 6, mailbox: `dan@${ORG}`, backOffMs: 150 }]);
    ews.resetStats();
    const started = Date.now();
    const p = project(imap(), exchangeEndpoint(), [['dan@imap.test', `dan@${ORG}`]], 'src');
    const full = await run(p, 'full');
    assert.deepEqual([full.items[0].status, full.totals.copied], ['Completed', 20], JSON.stringify(full.items));
    assert.equal(mailOf(`dan@${ORG}`).length, 20);
    assert.deepEqual(ews.faults().map((f) => f.count), [0], 'every injected ErrorServerBusy was met');
    // Six answers asked for 150 ms each: the mailbox's calls waited at least that long in all.
    assert.ok(Date.now() - started >= 6 * 150, `${Date.now() - started} ms`);
    ews.setFaults([]);
    p.store.close();
  });

  it('stays within a tight throttling budget (a second server with 20 requests/s per mailbox): some refusals, nothing lost', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-ews-tight-'));
    createFakeEwsData(dataDir, { users: [ADMIN, { address: `ivy@${ORG}`, login: 'CONTOSO\\ivy', password: 'x' }], config: { throttling: { ratePerSecond: 20, burst: 10, maxConcurrency: 10 } } });
    const tight = await startFakeEws({ dataDir });
    try {
      await seedMessages(dovecot, 'hal@imap.test', 'INBOX', Array.from({ length: 30 }, (_, i) => plainMessage(700 + i)).map((m) => ({ raw: m.raw, flags: [], date: m.date })));
      const p = project(imap(), `{ type: exchange, url: '${tight.ewsUrl}', auth: { username: 'CONTOSO\\migadmin', password: { secret: EX_ADMIN } } }`, [['hal@imap.test', `ivy@${ORG}`]], 'src');
      const full = await run(p, 'full');
      assert.deepEqual([full.items[0].status, full.totals.copied], ['Completed', 30], JSON.stringify(full.items));
      assert.equal([...tight.store.itemsOf(`ivy@${ORG}`).values()].filter((i) => i.itemClass === 'IPM.Note').length, 30);
      const stats = tight.stats().mailboxes[`ivy@${ORG}`];
      assert.ok(stats.refused > 0, 'the budget was never reached');
      p.store.close();
    } finally {
      await tight.close();
    }
  });

  it('verify credentials: a wrong password, impersonation refused, a missing mailbox and delegation without full access each get their code', async () => {
    secrets.WRONG = 'not-the-password';
    const cases: [string, string, string][] = [
      [exchangeEndpoint().replace('EX_ADMIN', 'WRONG'), `eve@${ORG}`, 'EWS-UNAUTHORIZED'],
      [`{ type: exchange, url: '${ews.ewsUrl}', auth: { username: 'CONTOSO\\helpdesk', password: { secret: EX_HELP } } }`, `eve@${ORG}`, 'EWS-IMPERSONATION-DENIED'],
      [exchangeEndpoint(), `nobody@${ORG}`, 'EWS-MAILBOX-NOT-FOUND'],
      [`{ type: exchange, url: '${ews.ewsUrl}', access: delegation, auth: { username: 'CONTOSO\\helpdesk', password: { secret: EX_HELP } } }`, `eve@${ORG}`, 'EWS-ACCESS-DENIED'],
    ];
    for (const [endpoint, mailbox, code] of cases) {
      const p = project(endpoint, imap(), [[mailbox, 'eve@imap.test']], 'dst');
      const verify = await run(p, 'verify');
      assert.deepEqual([verify.items[0].status, verify.items[0].code], ['NotValid', code], JSON.stringify(verify.items));
      p.store.close();
    }
    // An OAuth bearer token with the impersonation role opens any mailbox.
    const oauth = project(`{ type: exchange, url: '${ews.ewsUrl}', authentication: oauth, auth: { username: '${APP.address}', password: { secret: EX_TOKEN } } }`, imap(), [[`ann@${ORG}`, 'fay@imap.test']], 'dst');
    const viaToken = await run(oauth, 'verify');
    assert.notEqual(viaToken.items[0].status, 'NotValid', JSON.stringify(viaToken.items));
    oauth.store.close();
    // Delegation with full access opens the mailbox.
    const ok = project(`{ type: exchange, url: '${ews.ewsUrl}', access: delegation, auth: { username: 'CONTOSO\\helpdesk', password: { secret: EX_HELP } } }`, imap(), [[`ann@${ORG}`, 'fay@imap.test']], 'dst');
    const verified = await run(ok, 'verify');
    assert.notEqual(verified.items[0].status, 'NotValid', JSON.stringify(verified.items));
    ok.store.close();
  });

  it('discovers the organisation\'s mailboxes from the address book (ResolveNames), splitting pages Exchange cuts at its limit', async () => {
    const p = project(exchangeEndpoint(), imap(), [[`ann@${ORG}`, 'ann@imap.test']], 'dst');
    const found = await discoverMailboxes({ plan: p.plan, endpoint: 'src', connectors: registryConnectors, secrets: (n) => secrets[n] });
    assert.deepEqual(found, [ADMIN.address, DELEGATE.address, ...PEOPLE.map((x) => `${x}@${ORG}`)].sort());
    p.store.close();
    // A server that returns 3 names per call: the prefixes are split until every page is whole.
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-ews-gal-'));
    const many = Array.from({ length: 23 }, (_, i) => `user${String(i).padStart(2, '0')}@${ORG}`);
    createFakeEwsData(dataDir, { users: [ADMIN, ...many.map((a, i) => ({ address: a, login: `CONTOSO\\u${i}`, password: 'x' }))], config: { limits: { maxItemBytes: 35 * 1024 * 1024, exportMaxItems: 100, findCountLimit: 1000, resolveNamesMax: 3 } } });
    const small = await startFakeEws({ dataDir });
    try {
      const q = project(`{ type: exchange, url: '${small.ewsUrl}', auth: { username: 'CONTOSO\\migadmin', password: { secret: EX_ADMIN } } }`, imap(), [[many[0], 'ann@imap.test']], 'dst');
      const all = await discoverMailboxes({ plan: q.plan, endpoint: 'src', connectors: registryConnectors, secrets: (n) => secrets[n] });
      assert.deepEqual(all, [ADMIN.address, ...many].sort());
      q.store.close();
    } finally {
      await small.close();
    }
  });

  it('falls back to POX autodiscover (autodiscover.xml) when the SOAP service is not there', async () => {
    // A front end that has only the POX service (older Exchange, some hosting), before the fake.
    const front = http.createServer((req, res) => {
      if (req.url?.toLowerCase().includes('autodiscover.svc')) {
        req.resume();
        res.writeHead(404).end();
        return;
      }
      const upstream = http.request(`${ews.url}${req.url ?? '/'}`, { method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      req.pipe(upstream);
    });
    await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
    try {
      const port = (front.address() as AddressInfo).port;
      const before = ews.stats().operations['autodiscover:POX'] ?? 0;
      const endpoint = `{ type: exchange, autodiscover: 'migadmin@${ORG}', autodiscoverUrl: 'http://127.0.0.1:${port}/autodiscover/autodiscover.xml', authentication: basic, auth: { username: 'CONTOSO\\migadmin', password: { secret: EX_ADMIN } } }`;
      const p = project(endpoint, imap(), [[`bob@${ORG}`, 'gus@imap.test']], 'dst');
      const verify = await run(p, 'verify');
      assert.notEqual(verify.items[0].status, 'NotValid', JSON.stringify(verify.items));
      assert.ok((ews.stats().operations['autodiscover:POX'] ?? 0) > before, JSON.stringify(ews.stats().operations));
      p.store.close();
    } finally {
      await new Promise<void>((resolve) => front.close(() => resolve()));
    }
  });

  it('finds the EWS URL by autodiscover (SOAP, POX fallback) when the plan gives only an address', async () => {
    const endpoint = `{ type: exchange, autodiscover: 'migadmin@${ORG}', autodiscoverUrl: '${ews.url}/autodiscover/autodiscover.svc', authentication: basic, auth: { username: 'CONTOSO\\migadmin', password: { secret: EX_ADMIN } } }`;
    const p = project(endpoint, imap(), [[`ann@${ORG}`, 'gus@imap.test']], 'dst');
    const verify = await run(p, 'verify');
    assert.notEqual(verify.items[0].status, 'NotValid', JSON.stringify(verify.items));
    assert.ok((ews.stats().operations['autodiscover:GetUserSettings'] ?? 0) > 0, JSON.stringify(ews.stats().operations));
    p.store.close();
  });
});
