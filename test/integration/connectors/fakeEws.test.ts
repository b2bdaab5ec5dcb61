// The fake on-premises Exchange (test/servers/fakeEws) behaves like Exchange 2016 for the
// protocol paths Ferry's EWS connector uses: authentication (Basic, NTLM through
// @ewsjs/ntlm-client), impersonation and delegation, paging, sync cursors, MIME round trips,
// ExportItems/UploadItems, throttling and autodiscover. Every response shape is recorded as a
// golden file; where ../shared/reference/ews holds the official EWS XSDs (CI) the goldens are also
// validated by xmllint.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { createFakeEwsData, startFakeEws, type FakeEws, type FakeEwsSeed, type FakeEwsUser } from '../../servers/fakeEws/server';
import { requireEwsSchemas, validateEnvelopes } from '../../servers/fakeEws/xsd';
import { children, NS, parseXml, path as xpath, text, type XElement } from '../../servers/fakeEws/xml';

/* eslint-disable @typescript-eslint/no-require-imports */
const ntlm = require('@ewsjs/ntlm-client') as {
  createType1Message(workstation?: string, target?: string): string;
  decodeType2Message(header: string): unknown;
  createType3Message(type2: unknown, user: string, password: string, workstation?: string, target?: string): string;
};

const ROOT = path.resolve(__dirname, '../../../..');
const GOLDEN_DIR = path.join(ROOT, 'test', 'servers', 'fakeEws', 'golden');

const USERS: FakeEwsUser[] = [
  { address: 'alice@contoso.com', displayName: 'Alice Archer', login: 'CONTOSO\\alice', password: 'Alice#2016', bearerTokens: ['alice-token'] },
  { address: 'bob@contoso.com', displayName: 'Bob Baker', login: 'CONTOSO\\bob', password: 'Bob#2016', quotaBytes: 4000 },
  { address: 'carol@contoso.com', displayName: 'Carol Cole', login: 'CONTOSO\\carol', password: 'Carol#2016', fullAccess: ['alice@contoso.com'] },
  { address: 'dave@contoso.com', displayName: 'Dave Dent', login: 'CONTOSO\\dave', password: 'Dave#2016' },
  { address: 'svc-ferry@contoso.com', displayName: 'Ferry Service', login: 'CONTOSO\\svc-ferry', password: 'Svc#2016', roles: ['ApplicationImpersonation'], hasMailbox: false },
];

function mime(n: number, extra = ''): string {
  return [
    'From: Zed Zimmer <zed@example.org>',
    'To: Alice Archer <alice@contoso.com>',
    `Subject: Message ${n}`,
    `Date: Mon, 0${n} Jan 2024 10:00:00 +0000`,
    `Message-ID: <msg-${n}@example.org>`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset="utf-8"',
    '',
    `Body of message ${n}. ${extra}`,
    '',
  ].join('\r\n');
}

const VCARD = 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Erin Example\r\nN:Example;Erin;;;\r\nEMAIL;TYPE=INTERNET:erin@example.org\r\nEND:VCARD\r\n';
const VCAL = 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Ferry//fake//EN\r\nBEGIN:VEVENT\r\nUID:evt-1@example.org\r\nDTSTART:20240105T090000Z\r\nDTEND:20240105T100000Z\r\nSUMMARY:Planning\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n';

function seed(extra?: Partial<FakeEwsSeed['config']>, moreUsers: FakeEwsUser[] = []): FakeEwsSeed {
  return {
    users: [...USERS, ...moreUsers],
    mailboxes: {
      'alice@contoso.com': {
        folders: [{ path: 'Projects' }, { path: 'Projects/2024' }, { path: 'Projects/2025' }, { path: 'inbox/Receipts' }],
        items: [
          { folder: 'inbox', mime: mime(1), isRead: true },
          { folder: 'inbox', mime: mime(2) },
          { folder: 'inbox', mime: mime(3) },
          { folder: 'Projects', mime: mime(4), isRead: true },
          { folder: 'contacts', mime: VCARD, itemClass: 'IPM.Contact', isRead: true },
          { folder: 'calendar', mime: VCAL, itemClass: 'IPM.Appointment', isRead: true },
        ],
      },
    },
    config: {
      authSchemes: ['Negotiate', 'NTLM', 'Basic', 'Bearer'],
      autodiscover: { domains: ['contoso.com'], redirects: { 'fabrikam.com': { addressDomain: 'contoso.com' }, 'tailspin.com': { url: 'https://mail.tailspin.com/autodiscover/autodiscover.svc' } } },
      ...extra,
    },
  };
}

const tmpDirs: string[] = [];
function tmpDir(tag: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `ferry-fakeews-${tag}-`));
  tmpDirs.push(dir);
  return dir;
}
after(() => {
  for (const d of tmpDirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const basic = (login: string, password: string) => `Basic ${Buffer.from(`${login}:${password}`).toString('base64')}`;
const ALICE = basic('CONTOSO\\alice', 'Alice#2016');
const SVC = basic('svc-ferry@contoso.com', 'Svc#2016');

interface Reply { status: number; headers: http.IncomingHttpHeaders; raw: string[]; body: string }

function request(url: string, opts: { method?: string; headers?: Record<string, string>; body?: string; agent?: http.Agent }): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: opts.method ?? 'POST', headers: opts.headers, agent: opts.agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, raw: res.rawHeaders, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

interface SoapOpts { auth?: string; header?: string; anchor?: string; version?: string; agent?: http.Agent }

function envelope(body: string, opts: SoapOpts = {}): string {
  return '<?xml version="1.0" encoding="utf-8"?>'
    + `<soap:Envelope xmlns:soap="${NS.soap}" xmlns:t="${NS.t}" xmlns:m="${NS.m}">`
    + `<soap:Header><t:RequestServerVersion Version="${opts.version ?? 'Exchange2013_SP1'}"/>${opts.header ?? ''}</soap:Header>`
    + `<soap:Body>${body}</soap:Body></soap:Envelope>`;
}

async function soap(fake: FakeEws, body: string, opts: SoapOpts = {}): Promise<Reply & { doc: XElement }> {
  const headers: Record<string, string> = { 'content-type': 'text/xml; charset=utf-8' };
  if (opts.auth !== '') headers.authorization = opts.auth ?? ALICE;
  if (opts.anchor) headers['x-anchormailbox'] = opts.anchor;
  const r = await request(fake.ewsUrl, { headers, body: envelope(body, opts), agent: opts.agent });
  return { ...r, doc: parseXml(r.body) };
}

const impersonate = (address: string) => `<t:ExchangeImpersonation><t:ConnectingSID><t:PrimarySmtpAddress>${address}</t:PrimarySmtpAddress></t:ConnectingSID></t:ExchangeImpersonation>`;

/** The response messages of an EWS reply. */
function messages(doc: XElement): XElement[] {
  const body = xpath(doc, [NS.soap, 'Body']);
  return children(children(children(body)[0], NS.m, 'ResponseMessages')[0]);
}
function code(m: XElement): string {
  return text(children(m, NS.m, 'ResponseCode')[0]) ?? '';
}
function all(e: XElement | undefined, local: string, ns: string = NS.t): XElement[] {
  const out: XElement[] = [];
  const walk = (n: XElement) => {
    for (const c of children(n)) {
      if (c.localName === local && c.namespaceURI === ns) out.push(c);
      walk(c);
    }
  };
  if (e) walk(e);
  return out;
}
function faultCode(doc: XElement): string | undefined {
  const f = xpath(doc, [NS.soap, 'Body'], [NS.soap, 'Fault']);
  return f ? text(all(f, 'ResponseCode', NS.e)[0]) : undefined;
}

const shape = (base: string, props = '') => `<m:ItemShape><t:BaseShape>${base}</t:BaseShape>${props ? `<t:AdditionalProperties>${props}</t:AdditionalProperties>` : ''}</m:ItemShape>`;
const folderShape = (base: string, props = '') => `<m:FolderShape><t:BaseShape>${base}</t:BaseShape>${props ? `<t:AdditionalProperties>${props}</t:AdditionalProperties>` : ''}</m:FolderShape>`;
const dfid = (id: string, mailbox?: string) => `<t:DistinguishedFolderId Id="${id}">${mailbox ? `<t:Mailbox><t:EmailAddress>${mailbox}</t:EmailAddress></t:Mailbox>` : ''}</t:DistinguishedFolderId>`;
const WATERMARK = '<t:ExtendedFieldURI PropertySetId="6a5c3c4e-2d0b-4a5e-9f3a-1f0e5b0c7d11" PropertyName="FerrySourceId" PropertyType="String"/>';
const FLAGS = '<t:ExtendedFieldURI PropertyTag="0x0E07" PropertyType="Integer"/>';
const DELIVERY = '<t:ExtendedFieldURI PropertyTag="0x0E06" PropertyType="SystemTime"/>';
const calendarWatermark = (value: string) => `<t:SetItemField>${WATERMARK}<t:CalendarItem><t:ExtendedProperty>${WATERMARK}<t:Value>${value}</t:Value></t:ExtendedProperty></t:CalendarItem></t:SetItemField>`;
const SUBMIT = '<t:ExtendedFieldURI PropertyTag="0x0039" PropertyType="SystemTime"/>';
const SEARCH_KEY = '<t:ExtendedFieldURI PropertyTag="0x300B" PropertyType="Binary"/>';
const moveOrCopy = (op: 'MoveItem' | 'CopyItem', to: string, ids: readonly string[]) => `<m:${op}><m:ToFolderId>${to}</m:ToFolderId><m:ItemIds>${ids.map((i) => `<t:ItemId Id="${i}"/>`).join('')}</m:ItemIds></m:${op}>`;
const getSearchKeys = (ids: readonly string[]) => `<m:GetItem>${shape('IdOnly', SEARCH_KEY)}<m:ItemIds>${ids.map((i) => `<t:ItemId Id="${i}"/>`).join('')}</m:ItemIds></m:GetItem>`;

function createItemBody(folderXml: string, mimeText: string, opts: { flags?: number; isRead?: boolean; delivery?: string; watermark?: string; element?: string } = {}): string {
  const el = opts.element ?? 'Message';
  const ext = [
    opts.flags !== undefined ? `<t:ExtendedProperty>${FLAGS}<t:Value>${opts.flags}</t:Value></t:ExtendedProperty>` : '',
    opts.delivery ? `<t:ExtendedProperty>${DELIVERY}<t:Value>${opts.delivery}</t:Value></t:ExtendedProperty><t:ExtendedProperty>${SUBMIT}<t:Value>${opts.delivery}</t:Value></t:ExtendedProperty>` : '',
    opts.watermark ? `<t:ExtendedProperty>${WATERMARK}<t:Value>${opts.watermark}</t:Value></t:ExtendedProperty>` : '',
  ].join('');
  return `<m:CreateItem${el === 'Message' ? ' MessageDisposition="SaveOnly"' : ''}><m:SavedItemFolderId>${folderXml}</m:SavedItemFolderId><m:Items><t:${el}><t:MimeContent CharacterSet="UTF-8">${Buffer.from(mimeText).toString('base64')}</t:MimeContent>${ext}${opts.isRead !== undefined ? `<t:IsRead>${opts.isRead}</t:IsRead>` : ''}</t:${el}></m:Items></m:CreateItem>`;
}

function itemId(m: XElement): string {
  return all(m, 'ItemId')[0]?.getAttribute('Id') ?? all(m, 'ItemId', NS.m)[0]?.getAttribute('Id') ?? '';
}

describe('fake EWS server (on-premises Exchange 2016)', function () {
  this.timeout(20000);
  let fake: FakeEws;

  // A fresh server and data for each test: what one test writes is not another's count.
  beforeEach(async () => {
    const dir = tmpDir('main');
    createFakeEwsData(dir, seed());
    fake = await startFakeEws({ dataDir: dir });
  });
  afterEach(async () => fake?.close());

  describe('authentication', () => {
    it('challenges an anonymous request with every enabled scheme', async () => {
      const r = await request(fake.ewsUrl, { headers: { 'content-type': 'text/xml' }, body: envelope('<m:GetFolder/>') });
      assert.equal(r.status, 401);
      const challenges: string[] = [];
      for (let i = 0; i < r.raw.length; i += 2) if (r.raw[i].toLowerCase() === 'www-authenticate') challenges.push(r.raw[i + 1]);
      assert.deepEqual(challenges.slice(0, 3), ['Negotiate', 'NTLM', 'Basic realm="127.0.0.1"']);
      assert.match(challenges[3], /^Bearer client_id="00000002-0000-0ff1-ce00-000000000000"/);
    });

    it('accepts Basic with the right password, DOMAIN\\user or UPN, and refuses a wrong one', async () => {
      const body = `<m:GetFolder>${folderShape('IdOnly')}<m:FolderIds>${dfid('inbox')}</m:FolderIds></m:GetFolder>`;
      assert.equal((await soap(fake, body)).status, 200);
      assert.equal((await soap(fake, body, { auth: basic('alice@contoso.com', 'Alice#2016') })).status, 200);
      const wrong = await request(fake.ewsUrl, { headers: { authorization: basic('CONTOSO\\alice', 'nope') }, body: envelope(body) });
      assert.equal(wrong.status, 401);
    });

    it('accepts a Bearer token from the config and refuses an unknown one', async () => {
      const body = `<m:GetFolder>${folderShape('IdOnly')}<m:FolderIds>${dfid('inbox')}</m:FolderIds></m:GetFolder>`;
      assert.equal((await soap(fake, body, { auth: 'Bearer alice-token' })).status, 200);
      const r = await request(fake.ewsUrl, { headers: { authorization: 'Bearer forged' }, body: envelope(body) });
      assert.equal(r.status, 401);
      assert.match(String(r.headers['www-authenticate']), /error="invalid_token"/);
    });

    async function ntlmHandshake(password: string): Promise<Reply> {
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      try {
        const t1 = await request(fake.ewsUrl, { method: 'GET', agent, headers: { authorization: ntlm.createType1Message('WS01', 'CONTOSO'), connection: 'keep-alive' } });
        assert.equal(t1.status, 401);
        const challenge = String(t1.headers['www-authenticate']);
        assert.match(challenge, /^NTLM [A-Za-z0-9+/=]+$/);
        const t3 = ntlm.createType3Message(ntlm.decodeType2Message(challenge), 'alice', password, 'WS01', 'CONTOSO');
        const body = envelope(`<m:GetFolder>${folderShape('Default')}<m:FolderIds>${dfid('inbox')}</m:FolderIds></m:GetFolder>`);
        return await request(fake.ewsUrl, { agent, headers: { authorization: t3, 'content-type': 'text/xml; charset=utf-8' }, body });
      } finally {
        agent.destroy();
      }
    }

    it('completes an NTLMv2 handshake from @ewsjs/ntlm-client on one keep-alive connection', async () => {
      const r = await ntlmHandshake('Alice#2016');
      assert.equal(r.status, 200);
      assert.equal(code(messages(parseXml(r.body))[0]), 'NoError');
    });

    it('refuses an NTLM handshake with a wrong password', async () => {
      const r = await ntlmHandshake('wrong');
      assert.equal(r.status, 401);
    });

    it('serves the @ewsjs/xhr NTLM provider (the connector\'s HTTP client)', async () => {
      const { XhrApi } = require('@ewsjs/xhr') as { XhrApi: new (o?: unknown) => { useNtlmAuthentication(u: string, p: string): { xhr(o: unknown): Promise<{ status: number; responseText: string }> } } };
      const api = new XhrApi({}).useNtlmAuthentication('CONTOSO\\alice', 'Alice#2016');
      const res = await api.xhr({ url: fake.ewsUrl, type: 'POST', data: envelope(`<m:GetFolder>${folderShape('IdOnly')}<m:FolderIds>${dfid('inbox')}</m:FolderIds></m:GetFolder>`), headers: { 'Content-Type': 'text/xml; charset=utf-8' } });
      assert.equal(res.status, 200);
      assert.match(res.responseText, /NoError/);
    });
  });

  describe('access', () => {
    const findRoot = `<m:FindFolder Traversal="Shallow">${folderShape('IdOnly')}<m:ParentFolderIds>${dfid('msgfolderroot')}</m:ParentFolderIds></m:FindFolder>`;

    it('lets an ApplicationImpersonation account impersonate a mailbox', async () => {
      const r = await soap(fake, findRoot, { auth: SVC, header: impersonate('alice@contoso.com'), anchor: 'alice@contoso.com' });
      assert.equal(r.status, 200);
      assert.equal(code(messages(r.doc)[0]), 'NoError');
    });

    it('refuses impersonation without the role, of an unknown mailbox, and with a mismatched X-AnchorMailbox', async () => {
      const denied = await soap(fake, findRoot, { auth: basic('CONTOSO\\dave', 'Dave#2016'), header: impersonate('alice@contoso.com') });
      assert.equal(denied.status, 500);
      assert.equal(faultCode(denied.doc), 'ErrorImpersonateUserDenied');
      const unknown = await soap(fake, findRoot, { auth: SVC, header: impersonate('nobody@contoso.com') });
      assert.equal(faultCode(unknown.doc), 'ErrorNonExistentMailbox');
      const mismatch = await soap(fake, findRoot, { auth: SVC, header: impersonate('alice@contoso.com'), anchor: 'bob@contoso.com' });
      assert.equal(faultCode(mismatch.doc), 'ErrorImpersonationFailed');
    });

    it('lets a FullAccess delegate open another mailbox and refuses one without rights', async () => {
      const body = `<m:GetFolder>${folderShape('Default')}<m:FolderIds>${dfid('inbox', 'alice@contoso.com')}</m:FolderIds></m:GetFolder>`;
      const ok = await soap(fake, body, { auth: basic('CONTOSO\\carol', 'Carol#2016'), anchor: 'alice@contoso.com' });
      assert.equal(code(messages(ok.doc)[0]), 'NoError');
      assert.equal(text(all(ok.doc, 'TotalCount')[0]), '3');
      const no = await soap(fake, body, { auth: basic('CONTOSO\\dave', 'Dave#2016') });
      assert.equal(code(messages(no.doc)[0]), 'ErrorAccessDenied');
      const anchored = await soap(fake, body, { auth: basic('CONTOSO\\dave', 'Dave#2016'), anchor: 'alice@contoso.com' });
      assert.equal(faultCode(anchored.doc), 'ErrorAccessDenied');
      const svcOwn = await soap(fake, `<m:GetFolder>${folderShape('IdOnly')}<m:FolderIds>${dfid('inbox')}</m:FolderIds></m:GetFolder>`, { auth: SVC });
      assert.equal(code(messages(svcOwn.doc)[0]), 'ErrorNonExistentMailbox');
    });

    it('refuses an operation newer than the requested schema version', async () => {
      const r = await soap(fake, '<m:ExportItems><m:ItemIds/></m:ExportItems>', { version: 'Exchange2010' });
      assert.equal(faultCode(r.doc), 'ErrorSchemaValidation');
      const bad = await soap(fake, findRoot, { version: 'Exchange2099' });
      assert.equal(faultCode(bad.doc), 'ErrorInvalidServerVersion');
    });
  });

  describe('folders and items', () => {
    it('pages FindFolder with IndexedPageFolderView and reports the size property', async () => {
      const seen: string[] = [];
      let offset = 0;
      const flags: string[] = [];
      for (;;) {
        const r = await soap(fake, `<m:FindFolder Traversal="Deep">${folderShape('Default', '<t:FieldURI FieldURI="folder:ParentFolderId"/><t:FieldURI FieldURI="folder:FolderClass"/><t:ExtendedFieldURI PropertyTag="0x0E08" PropertyType="Long"/>')}<m:IndexedPageFolderView MaxEntriesReturned="5" Offset="${offset}" BasePoint="Beginning"/><m:ParentFolderIds>${dfid('msgfolderroot')}</m:ParentFolderIds></m:FindFolder>`);
        const root = all(r.doc, 'RootFolder', NS.m)[0];
        assert.equal(root.getAttribute('TotalItemsInView'), '14');
        flags.push(root.getAttribute('IncludesLastItemInRange') ?? '');
        seen.push(...all(root, 'DisplayName').map((d) => text(d) ?? ''));
        offset = Number(root.getAttribute('IndexedPagingOffset'));
        if (root.getAttribute('IncludesLastItemInRange') === 'true') break;
      }
      assert.deepEqual(flags, ['false', 'false', 'true']);
      assert.equal(seen.length, 14);
      assert.ok(seen.includes('Receipts') && seen.includes('2024') && seen.includes('Inbox'));
    });

    it('syncs items: changes, then nothing, then new items, deletes; a bad SyncState is refused', async () => {
      const sync = (state: string, max = 2) => soap(fake, `<m:SyncFolderItems>${shape('IdOnly', '<t:FieldURI FieldURI="item:Subject"/><t:FieldURI FieldURI="message:IsRead"/>')}<m:SyncFolderId>${dfid('inbox')}</m:SyncFolderId>${state ? `<m:SyncState>${state}</m:SyncState>` : ''}<m:MaxChangesReturned>${max}</m:MaxChangesReturned><m:SyncScope>NormalItems</m:SyncScope></m:SyncFolderItems>`);
      const stateOf = (d: XElement) => text(all(d, 'SyncState', NS.m)[0]) ?? '';
      const last = (d: XElement) => text(all(d, 'IncludesLastItemInRange', NS.m)[0]);
      const r1 = await sync('');
      assert.equal(all(r1.doc, 'Create').length, 2);
      assert.equal(last(r1.doc), 'false');
      const r2 = await sync(stateOf(r1.doc));
      assert.equal(all(r2.doc, 'Create').length, 1);
      assert.equal(last(r2.doc), 'true');
      const r3 = await sync(stateOf(r2.doc));
      assert.equal(all(all(r3.doc, 'Changes', NS.m)[0], 'Create').length, 0);
      assert.equal(last(r3.doc), 'true');
      const created = await soap(fake, createItemBody(dfid('inbox'), mime(7), { flags: 1 }));
      const newId = itemId(messages(created.doc)[0]);
      const r4 = await sync(stateOf(r3.doc));
      assert.equal(all(r4.doc, 'Create').length, 1);
      assert.equal(all(r4.doc, 'ItemId')[0].getAttribute('Id'), newId);
      fake.setRead(newId, false);
      const r4b = await sync(stateOf(r4.doc));
      const flag = all(r4b.doc, 'ReadFlagChange')[0];
      assert.equal(all(flag, 'ItemId')[0].getAttribute('Id'), newId);
      assert.equal(text(all(flag, 'IsRead')[0]), 'false');
      await soap(fake, `<m:DeleteItem DeleteType="HardDelete"><m:ItemIds><t:ItemId Id="${newId}"/></m:ItemIds></m:DeleteItem>`);
      const r5 = await sync(stateOf(r4b.doc));
      assert.equal(all(r5.doc, 'Delete').length, 1);
      const bad = await sync('AAAAbm90IGEgc3luYyBzdGF0ZQ==');
      assert.equal(code(messages(bad.doc)[0]), 'ErrorInvalidSyncStateData');
      const foreign = await soap(fake, `<m:SyncFolderItems>${shape('IdOnly')}<m:SyncFolderId>${dfid('sentitems')}</m:SyncFolderId><m:SyncState>${stateOf(r5.doc)}</m:SyncState><m:MaxChangesReturned>10</m:MaxChangesReturned></m:SyncFolderItems>`);
      assert.equal(code(messages(foreign.doc)[0]), 'ErrorInvalidSyncStateData');
    });

    it('creates from MIME and returns the same bytes; IsRead, PR_MESSAGE_FLAGS and dates are honoured', async () => {
      const text1 = mime(8, 'ünïcödé');
      const a = await soap(fake, createItemBody(dfid('inbox'), text1, { flags: 1, delivery: '2023-05-06T07:08:09Z', watermark: 'src-8' }));
      const b = await soap(fake, createItemBody(dfid('inbox'), mime(9), { flags: 0, isRead: false }));
      const c = await soap(fake, createItemBody(dfid('drafts'), mime(10)));
      const ids = [a, b, c].map((r) => itemId(messages(r.doc)[0]));
      const got = await soap(fake, `<m:GetItem>${shape('IdOnly', `<t:FieldURI FieldURI="item:MimeContent"/><t:FieldURI FieldURI="message:IsRead"/><t:FieldURI FieldURI="item:IsDraft"/><t:FieldURI FieldURI="item:DateTimeReceived"/>${FLAGS}${WATERMARK}`)}<m:ItemIds>${ids.map((i) => `<t:ItemId Id="${i}"/>`).join('')}</m:ItemIds></m:GetItem>`);
      const msgs = messages(got.doc);
      assert.equal(msgs.length, 3);
      const mimeEl = all(msgs[0], 'MimeContent')[0];
      assert.equal(mimeEl.getAttribute('CharacterSet'), 'UTF-8');
      assert.equal(Buffer.from(text(mimeEl) ?? '', 'base64').toString('utf8'), text1);
      assert.deepEqual(msgs.map((m) => text(all(m, 'IsRead')[0])), ['true', 'false', 'true']);
      assert.deepEqual(msgs.map((m) => text(all(m, 'IsDraft')[0])), ['false', 'false', 'true']);
      assert.equal(text(all(msgs[0], 'DateTimeReceived')[0]), '2023-05-06T07:08:09Z');
      assert.equal(text(all(all(msgs[0], 'ExtendedProperty')[0], 'Value')[0]), '1');
      const found = await soap(fake, `<m:FindItem Traversal="Shallow">${shape('IdOnly')}<m:IndexedPageItemView MaxEntriesReturned="10" Offset="0" BasePoint="Beginning"/><m:Restriction><t:IsEqualTo>${WATERMARK}<t:FieldURIOrConstant><t:Constant Value="src-8"/></t:FieldURIOrConstant></t:IsEqualTo></m:Restriction><m:ParentFolderIds>${dfid('inbox')}</m:ParentFolderIds></m:FindItem>`);
      assert.deepEqual(all(found.doc, 'ItemId').map((i) => i.getAttribute('Id')), [ids[0]]);
      const byMsgId = await soap(fake, `<m:FindItem Traversal="Shallow">${shape('IdOnly')}<m:Restriction><t:IsEqualTo><t:FieldURI FieldURI="message:InternetMessageId"/><t:FieldURIOrConstant><t:Constant Value="&lt;msg-9@example.org&gt;"/></t:FieldURIOrConstant></t:IsEqualTo></m:Restriction><m:ParentFolderIds>${dfid('inbox')}</m:ParentFolderIds></m:FindItem>`);
      assert.deepEqual(all(byMsgId.doc, 'ItemId').map((i) => i.getAttribute('Id')), [ids[1]]);
    });

    it('gives contacts as vCard and calendar items as iCalendar', async () => {
      for (const [folder, start] of [['contacts', 'BEGIN:VCARD'], ['calendar', 'BEGIN:VCALENDAR']] as const) {
        const f = await soap(fake, `<m:FindItem Traversal="Shallow">${shape('IdOnly')}<m:ParentFolderIds>${dfid(folder)}</m:ParentFolderIds></m:FindItem>`);
        const id = all(f.doc, 'ItemId')[0].getAttribute('Id');
        const g = await soap(fake, `<m:GetItem>${shape('IdOnly', '<t:FieldURI FieldURI="item:MimeContent"/>')}<m:ItemIds><t:ItemId Id="${id}"/></m:ItemIds></m:GetItem>`);
        assert.ok(Buffer.from(text(all(g.doc, 'MimeContent')[0]) ?? '', 'base64').toString('utf8').startsWith(start));
      }
    });

    it('refuses UpdateItem on a calendar item without SendMeetingInvitationsOrCancellations, as Exchange does, and takes it with one', async () => {
      const f = await soap(fake, `<m:FindItem Traversal="Shallow">${shape('IdOnly')}<m:ParentFolderIds>${dfid('calendar')}</m:ParentFolderIds></m:FindItem>`);
      const id = all(f.doc, 'ItemId')[0].getAttribute('Id');
      const update = (attrs: string) => `<m:UpdateItem ConflictResolution="AlwaysOverwrite"${attrs}><m:ItemChanges><t:ItemChange><t:ItemId Id="${id}"/><t:Updates>${calendarWatermark('cal-1')}</t:Updates></t:ItemChange></m:ItemChanges></m:UpdateItem>`;
      const code = (r: { doc: XElement }) => text(all(r.doc, 'ResponseCode', NS.m)[0]);
      assert.equal(code(await soap(fake, update(' MessageDisposition="SaveOnly"'))), 'ErrorSendMeetingInvitationsOrCancellationsRequired');
      const wrong = await soap(fake, update(' SendMeetingInvitationsOrCancellations="SendToEveryone"'));
      assert.equal(wrong.status, 500);
      assert.match(wrong.body, /ErrorSchemaValidation/);
      assert.equal(code(await soap(fake, update(' SendMeetingInvitationsOrCancellations="SendToNone"'))), 'NoError');
    });

    it('refuses an item over the size limit and over the mailbox quota', async () => {
      const big = await soap(fake, createItemBody(dfid('inbox', 'bob@contoso.com'), mime(11, 'x'.repeat(5000))), { auth: SVC, header: impersonate('bob@contoso.com') });
      assert.equal(code(messages(big.doc)[0]), 'ErrorQuotaExceeded');
      fake.store.config.limits.maxItemBytes = 1000;
      try {
        const r = await soap(fake, createItemBody(dfid('inbox'), mime(12, 'y'.repeat(2000))));
        assert.equal(code(messages(r.doc)[0]), 'ErrorMessageSizeExceeded');
      } finally {
        fake.store.config.limits.maxItemBytes = 35 * 1024 * 1024;
      }
    });

    it('round-trips ExportItems -> UploadItems into another mailbox', async () => {
      const found = await soap(fake, `<m:FindItem Traversal="Shallow">${shape('IdOnly')}<m:ParentFolderIds>${dfid('inbox')}</m:ParentFolderIds></m:FindItem>`, { auth: SVC, header: impersonate('alice@contoso.com') });
      const ids = all(found.doc, 'ItemId').map((i) => i.getAttribute('Id'));
      assert.ok(ids.length >= 3);
      const exported = await soap(fake, `<m:ExportItems><m:ItemIds>${ids.map((i) => `<t:ItemId Id="${i}"/>`).join('')}</m:ItemIds></m:ExportItems>`, { auth: SVC, header: impersonate('alice@contoso.com') });
      const blobs = messages(exported.doc).map((m) => text(all(m, 'Data', NS.m)[0]) ?? '');
      assert.equal(blobs.length, ids.length);
      const target = await soap(fake, `<m:CreateFolder><m:ParentFolderId>${dfid('msgfolderroot')}</m:ParentFolderId><m:Folders><t:Folder><t:FolderClass>IPF.Note</t:FolderClass><t:DisplayName>Migrated</t:DisplayName></t:Folder></m:Folders></m:CreateFolder>`, { auth: basic('CONTOSO\\dave', 'Dave#2016') });
      const folderId = all(target.doc, 'FolderId')[0].getAttribute('Id');
      const dave = basic('CONTOSO\\dave', 'Dave#2016');
      const uploaded = await soap(fake, `<m:UploadItems><m:Items>${blobs.map((b) => `<t:Item CreateAction="CreateNew"><t:ParentFolderId Id="${folderId}"/><t:Data>${b}</t:Data></t:Item>`).join('')}</m:Items></m:UploadItems>`, { auth: dave });
      const newIds = messages(uploaded.doc).map((m) => { assert.equal(code(m), 'NoError'); return all(m, 'ItemId', NS.m)[0].getAttribute('Id'); });
      const again = await soap(fake, `<m:ExportItems><m:ItemIds>${newIds.map((i) => `<t:ItemId Id="${i}"/>`).join('')}</m:ItemIds></m:ExportItems>`, { auth: dave });
      assert.deepEqual(messages(again.doc).map((m) => text(all(m, 'Data', NS.m)[0])), blobs);
      const dup = await soap(fake, `<m:CreateFolder><m:ParentFolderId>${dfid('msgfolderroot')}</m:ParentFolderId><m:Folders><t:Folder><t:DisplayName>Migrated</t:DisplayName></t:Folder></m:Folders></m:CreateFolder>`, { auth: dave });
      assert.equal(code(messages(dup.doc)[0]), 'ErrorFolderExists');
      const corrupt = await soap(fake, `<m:UploadItems><m:Items><t:Item CreateAction="CreateNew"><t:ParentFolderId Id="${folderId}"/><t:Data>AAAA</t:Data></t:Item></m:Items></m:UploadItems>`, { auth: dave });
      assert.equal(code(messages(corrupt.doc)[0]), 'ErrorCorruptData');
    });

    it('gives each item a PidTagSearchKey that MoveItem keeps and CopyItem copies, that an upload does not carry, and that no client sets', async () => {
      const keys = async (ids: readonly string[]) => messages((await soap(fake, getSearchKeys(ids))).doc).map((m) => text(all(all(m, 'ExtendedProperty')[0], 'Value')[0]) ?? '');
      const created = [20, 21].map((n) => soap(fake, createItemBody(dfid('inbox'), mime(n))));
      const [a, b] = (await Promise.all(created)).map((r) => itemId(messages(r.doc)[0]));
      const [keyA, keyB] = await keys([a, b]);
      assert.equal(Buffer.from(keyA, 'base64').length, 16);
      assert.notEqual(keyA, keyB, 'each item its own key');
      const moved = itemId(messages((await soap(fake, moveOrCopy('MoveItem', dfid('drafts'), [a]))).doc)[0]);
      const copied = itemId(messages((await soap(fake, moveOrCopy('CopyItem', dfid('inbox'), [moved]))).doc)[0]);
      assert.equal(new Set([a, moved, copied]).size, 3, 'a move and a copy give new ItemIds');
      assert.deepEqual(await keys([moved, copied]), [keyA, keyA], 'kept by the move, copied onto the copy');
      const listed = await soap(fake, `<m:SyncFolderItems>${shape('IdOnly', SEARCH_KEY)}<m:SyncFolderId>${dfid('drafts')}</m:SyncFolderId><m:MaxChangesReturned>512</m:MaxChangesReturned></m:SyncFolderItems>`);
      assert.ok(all(listed.doc, 'Value').some((v) => text(v) === keyA), 'SyncFolderItems serves it when its ItemShape asks');
      // Read-only for clients ([MS-OXCPRPT] 2.2.1.9).
      const setting = `<t:ExtendedProperty>${SEARCH_KEY}<t:Value>${keyB}</t:Value></t:ExtendedProperty>`;
      const create = await soap(fake, `<m:CreateItem MessageDisposition="SaveOnly"><m:SavedItemFolderId>${dfid('inbox')}</m:SavedItemFolderId><m:Items><t:Message><t:MimeContent CharacterSet="UTF-8">${Buffer.from(mime(22)).toString('base64')}</t:MimeContent>${setting}</t:Message></m:Items></m:CreateItem>`);
      assert.equal(code(messages(create.doc)[0]), 'ErrorInvalidPropertySet');
      const update = (change: string) => soap(fake, `<m:UpdateItem ConflictResolution="AlwaysOverwrite" MessageDisposition="SaveOnly"><m:ItemChanges><t:ItemChange><t:ItemId Id="${copied}"/><t:Updates>${change}</t:Updates></t:ItemChange></m:ItemChanges></m:UpdateItem>`);
      assert.equal(code(messages((await update(`<t:SetItemField>${SEARCH_KEY}<t:Message>${setting}</t:Message></t:SetItemField>`)).doc)[0]), 'ErrorInvalidPropertySet');
      assert.equal(code(messages((await update(`<t:DeleteItemField>${SEARCH_KEY}</t:DeleteItemField>`)).doc)[0]), 'ErrorInvalidPropertyDelete');
      assert.deepEqual(await keys([copied]), [keyA], 'unchanged');
      // ExportItems -> UploadItems: the uploaded item is a new one, with a key of its own.
      const exported = await soap(fake, `<m:ExportItems><m:ItemIds><t:ItemId Id="${copied}"/></m:ItemIds></m:ExportItems>`);
      const data = text(all(messages(exported.doc)[0], 'Data', NS.m)[0]) ?? '';
      const drafts = all((await soap(fake, `<m:GetFolder>${folderShape('IdOnly')}<m:FolderIds>${dfid('drafts')}</m:FolderIds></m:GetFolder>`)).doc, 'FolderId')[0].getAttribute('Id');
      const uploaded = await soap(fake, `<m:UploadItems><m:Items><t:Item CreateAction="CreateNew"><t:ParentFolderId Id="${drafts}"/><t:Data>${data}</t:Data></t:Item></m:Items></m:UploadItems>`);
      const [keyUploaded] = await keys([all(messages(uploaded.doc)[0], 'ItemId', NS.m)[0].getAttribute('Id') ?? '']);
      assert.ok(keyUploaded && ![keyA, keyB].includes(keyUploaded), 'a new key');
    });

    it('resolves names from the GAL', async () => {
      const one = await soap(fake, '<m:ResolveNames ReturnFullContactData="true" SearchScope="ActiveDirectory"><m:UnresolvedEntry>SMTP:bob@contoso.com</m:UnresolvedEntry></m:ResolveNames>');
      assert.equal(messages(one.doc)[0].getAttribute('ResponseClass'), 'Success');
      const many = await soap(fake, '<m:ResolveNames ReturnFullContactData="false"><m:UnresolvedEntry>SMTP:</m:UnresolvedEntry></m:ResolveNames>');
      assert.equal(code(messages(many.doc)[0]), 'ErrorNameResolutionMultipleResults');
      assert.equal(all(many.doc, 'Resolution').length, 4);
      fake.store.config.limits.resolveNamesMax = 3;
      try {
        const cut = await soap(fake, '<m:ResolveNames ReturnFullContactData="false"><m:UnresolvedEntry>SMTP:</m:UnresolvedEntry></m:ResolveNames>');
        assert.equal(all(cut.doc, 'ResolutionSet', NS.m)[0].getAttribute('IncludesLastItemInRange'), 'false');
        assert.equal(all(cut.doc, 'Resolution').length, 3);
      } finally {
        fake.store.config.limits.resolveNamesMax = 100;
      }
      const none = await soap(fake, '<m:ResolveNames ReturnFullContactData="false"><m:UnresolvedEntry>zzz</m:UnresolvedEntry></m:ResolveNames>');
      assert.equal(code(messages(none.doc)[0]), 'ErrorNameResolutionNoResults');
    });

    it('injects faults through the admin endpoint', async () => {
      const body = `<m:GetFolder>${folderShape('IdOnly')}<m:FolderIds>${dfid('inbox')}</m:FolderIds></m:GetFolder>`;
      await request(`${fake.url}/__fake/faults`, { headers: { 'content-type': 'application/json' }, body: JSON.stringify({ faults: [{ kind: 'mailboxMoveInProgress' }, { kind: 'http503' }, { kind: 'serverBusy', backOffMs: 1234 }] }) });
      assert.equal(code(messages((await soap(fake, body)).doc)[0]), 'ErrorMailboxMoveInProgress');
      assert.equal((await request(fake.ewsUrl, { headers: { authorization: ALICE }, body: envelope(body) })).status, 503);
      assert.equal(faultCode((await soap(fake, body)).doc), 'ErrorServerBusy');
      fake.setFaults([{ kind: 'reset' }]);
      await assert.rejects(request(fake.ewsUrl, { headers: { authorization: ALICE }, body: envelope(body) }));
      fake.setFaults([{ kind: 'malformed' }]);
      assert.throws(() => parseXml(''));
      const mal = await request(fake.ewsUrl, { headers: { authorization: ALICE }, body: envelope(body) });
      assert.throws(() => parseXml(mal.body));
      fake.setFaults([{ kind: 'itemNotFound', operation: 'GetItem' }, { kind: 'quotaAfterBytes', mailbox: 'alice@contoso.com', afterBytes: 300 }]);
      const some = await soap(fake, `<m:FindItem Traversal="Shallow">${shape('IdOnly')}<m:ParentFolderIds>${dfid('inbox')}</m:ParentFolderIds></m:FindItem>`);
      const firstId = all(some.doc, 'ItemId')[0].getAttribute('Id');
      const twice = await soap(fake, `<m:GetItem>${shape('IdOnly')}<m:ItemIds><t:ItemId Id="${firstId}"/><t:ItemId Id="${firstId}"/></m:ItemIds></m:GetItem>`);
      assert.deepEqual(messages(twice.doc).map(code), ['ErrorItemNotFound', 'NoError']);
      assert.equal(code(messages((await soap(fake, createItemBody(dfid('drafts'), mime(13)))).doc)[0]), 'NoError');
      assert.equal(code(messages((await soap(fake, createItemBody(dfid('drafts'), mime(14)))).doc)[0]), 'ErrorQuotaExceeded');
      fake.setFaults([]);
      assert.equal((await soap(fake, body)).status, 200);
    });
  });

  describe('ews-javascript-api 0.15.3 (the connector\'s library)', () => {
    it('reads folders, items, sync, names, faults and autodiscover from the fake', async () => {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const ews = require('ews-javascript-api') as any;
      const service = new ews.ExchangeService(ews.ExchangeVersion.Exchange2013_SP1);
      service.Credentials = new ews.WebCredentials('CONTOSO\\alice', 'Alice#2016');
      service.Url = new ews.Uri(fake.ewsUrl);
      const folders = await service.FindFolders(ews.WellKnownFolderName.MsgFolderRoot, new ews.FolderView(5));
      assert.equal(folders.MoreAvailable, true);
      assert.equal(service.ServerInfo.MajorVersion, 15);
      const found = await service.FindItems(ews.WellKnownFolderName.Contacts, new ews.ItemView(10));
      assert.equal(found.Items.length, 1);
      const items = await service.BindToItems(found.Items.map((i: { Id: unknown }) => i.Id), new ews.PropertySet(ews.BasePropertySet.IdOnly, [ews.ItemSchema.MimeContent, ews.ItemSchema.ItemClass]));
      assert.equal(items.Responses[0].Item.ItemClass, 'IPM.Contact');
      assert.equal(Buffer.from(items.Responses[0].Item.MimeContent.Content, 'base64').toString('utf8'), VCARD);
      const sync = await service.SyncFolderItems(new ews.FolderId(ews.WellKnownFolderName.Calendar), ews.PropertySet.IdOnly, null, 512, ews.SyncFolderItemsScope.NormalItems, null);
      assert.equal(sync.Count, 1);
      const again = await service.SyncFolderItems(new ews.FolderId(ews.WellKnownFolderName.Calendar), ews.PropertySet.IdOnly, null, 512, ews.SyncFolderItemsScope.NormalItems, sync.SyncState);
      assert.equal(again.Count, 0);
      const names = await service.ResolveName('SMTP:', ews.ResolveNameSearchLocation.DirectoryOnly, false);
      assert.equal(names.Count, 4);
      fake.setFaults([{ kind: 'serverBusy', backOffMs: 750 }]);
      await assert.rejects(service.FindFolders(ews.WellKnownFolderName.Inbox, new ews.FolderView(1)), (e: { ResponseCode: number; ErrorDetails: { get(k: string): string } }) => {
        assert.equal(e.ResponseCode, ews.ServiceError.ErrorServerBusy);
        assert.equal(e.ErrorDetails.get('BackOffMilliseconds'), '750');
        return true;
      });
      const auto = new ews.AutodiscoverService(new ews.Uri(`${fake.url}/autodiscover/autodiscover.svc`), ews.ExchangeVersion.Exchange2010);
      auto.Credentials = new ews.WebCredentials('CONTOSO\\alice', 'Alice#2016');
      const settings = await auto.GetUserSettings(['alice@contoso.com'], [ews.UserSettingName.InternalEwsUrl, ews.UserSettingName.UserDN]);
      const first = settings.Responses ? settings.Responses[0] : settings;
      assert.equal(first.ErrorCode, ews.AutodiscoverErrorCode.NoError);
      assert.equal(first.Settings.get(ews.UserSettingName.InternalEwsUrl), fake.ewsUrl);
    });
  });

  describe('throttling', () => {
    it('answers ErrorServerBusy with BackOffMilliseconds over budget and counts it', async () => {
      const dir = tmpDir('throttle');
      createFakeEwsData(dir, seed({ throttling: { ratePerSecond: 2, burst: 3, maxConcurrency: 10 } }));
      const t = await startFakeEws({ dataDir: dir });
      try {
        const body = `<m:GetFolder>${folderShape('IdOnly')}<m:FolderIds>${dfid('inbox')}</m:FolderIds></m:GetFolder>`;
        const replies = [];
        for (let i = 0; i < 6; i++) replies.push(await soap(t, body));
        const busy = replies.filter((r) => r.status === 500);
        assert.ok(busy.length >= 2, `expected refusals, got ${busy.length}`);
        assert.equal(faultCode(busy[0].doc), 'ErrorServerBusy');
        const backOff = all(busy[0].doc, 'Value').find((v) => v.getAttribute('Name') === 'BackOffMilliseconds');
        assert.ok(Number(text(backOff)) > 0);
        const stats = JSON.parse((await request(`${t.url}/__fake/stats`, { method: 'GET' })).body) as ReturnType<FakeEws['stats']>;
        const s = stats.mailboxes['alice@contoso.com'];
        assert.equal(s.refused, busy.length);
        assert.equal(s.accepted, 6 - busy.length);
        assert.equal(s.acceptedAt.length, s.accepted);
      } finally {
        await t.close();
      }
    });
  });

  describe('autodiscover', () => {
    const gus = (address: string) => `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:a="${NS.ad}" xmlns:wsa="${NS.wsa}" xmlns:xsi="${NS.xsi}" xmlns:soap="${NS.soap}"><soap:Header><a:RequestedServerVersion>Exchange2013</a:RequestedServerVersion><wsa:Action>http://schemas.microsoft.com/exchange/2010/Autodiscover/Autodiscover/GetUserSettings</wsa:Action><wsa:To>https://autodiscover.contoso.com/autodiscover/autodiscover.svc</wsa:To></soap:Header><soap:Body><a:GetUserSettingsRequestMessage><a:Request><a:Users><a:User><a:Mailbox>${address}</a:Mailbox></a:User></a:Users><a:RequestedSettings><a:Setting>UserDisplayName</a:Setting><a:Setting>UserDN</a:Setting><a:Setting>InternalEwsUrl</a:Setting><a:Setting>ExternalEwsUrl</a:Setting><a:Setting>CasVersion</a:Setting><a:Setting>EwsSupportedSchemas</a:Setting></a:RequestedSettings></a:Request></a:GetUserSettingsRequestMessage></soap:Body></soap:Envelope>`;
    const pox = (address: string) => `<?xml version="1.0" encoding="utf-8"?><Autodiscover xmlns="${NS.poxReq}"><Request><EMailAddress>${address}</EMailAddress><AcceptableResponseSchema>${NS.poxOutlook}</AcceptableResponseSchema></Request></Autodiscover>`;

    it('answers GetUserSettings and redirects a configured domain', async () => {
      const r = await request(`${fake.url}/autodiscover/autodiscover.svc`, { headers: { authorization: ALICE, 'content-type': 'text/xml; charset=utf-8' }, body: gus('alice@contoso.com') });
      assert.equal(r.status, 200);
      const doc = parseXml(r.body);
      const settings = Object.fromEntries(all(doc, 'UserSetting', NS.ad).map((s) => [text(children(s, NS.ad, 'Name')[0]), text(children(s, NS.ad, 'Value')[0])]));
      assert.equal(settings.InternalEwsUrl, fake.ewsUrl);
      assert.match(settings.EwsSupportedSchemas ?? '', /Exchange2016/);
      const red = parseXml((await request(`${fake.url}/autodiscover/autodiscover.svc`, { headers: { authorization: ALICE }, body: gus('alice@fabrikam.com') })).body);
      assert.equal(text(all(red, 'ErrorCode', NS.ad)[1]), 'RedirectAddress');
      assert.equal(text(all(red, 'RedirectTarget', NS.ad)[0]), 'alice@contoso.com');
      const anon = await request(`${fake.url}/autodiscover/autodiscover.svc`, { body: gus('alice@contoso.com') });
      assert.equal(anon.status, 401);
    });

    it('answers POX autodiscover with EXCH/EXPR EwsUrl and redirectAddr', async () => {
      const r = await request(`${fake.url}/autodiscover/autodiscover.xml`, { headers: { authorization: ALICE, 'content-type': 'text/xml' }, body: pox('alice@contoso.com') });
      const doc = parseXml(r.body);
      assert.deepEqual(all(doc, 'Type', NS.poxOutlook).map((t) => text(t)), ['EXCH', 'EXPR']);
      assert.equal(text(all(doc, 'EwsUrl', NS.poxOutlook)[0]), fake.ewsUrl);
      const red = parseXml((await request(`${fake.url}/autodiscover/autodiscover.xml`, { headers: { authorization: ALICE }, body: pox('alice@fabrikam.com') })).body);
      assert.equal(text(all(red, 'Action', NS.poxOutlook)[0]), 'redirectAddr');
      assert.equal(text(all(red, 'RedirectAddr', NS.poxOutlook)[0]), 'alice@contoso.com');
      assert.equal((await request(`${fake.url}/nowhere`, { method: 'GET' })).status, 404);
    });
  });
});

// ---------- golden responses and XSD validation ----------

const PLACEHOLDER_DATE = '2001-01-01T00:00:00Z';

/** Makes a response comparable: ports, dates, sync states, export data and random ids fixed. */
function normalise(xml: string): string {
  return xml
    .replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:PORT')
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, PLACEHOLDER_DATE)
    .replace(/<m:SyncState>[^<]*<\/m:SyncState>/g, '<m:SyncState>U1lOQ1NUQVRF</m:SyncState>')
    .replace(/<m:Data>[^<]*<\/m:Data>/g, '<m:Data>REFUQQ==</m:Data>')
    .replace(/(<t:Value Name="BackOffMilliseconds">)\d+/g, '$11000')
    .replace(/<Error Time="[^"]*" Id="\d+">/g, '<Error Time="00:00:00.000" Id="1">');
}

/** One element per line, indented (the fake's XML has no mixed content). */
function pretty(xml: string): string {
  const parts = xml.replace(/>\s*</g, '>\n<').split('\n');
  let depth = 0;
  const out: string[] = [];
  for (const p of parts) {
    if (/^<\//.test(p)) depth--;
    out.push('  '.repeat(Math.max(0, depth)) + p);
    if (/^<[^!?/][^>]*[^/]>$/.test(p) && !/<\/[^>]+>$/.test(p)) depth++;
    else if (/^<[^!?/][^>]*>$/.test(p) && !p.endsWith('/>') && !/<\/[^>]+>$/.test(p)) depth++;
  }
  return out.join('\n') + '\n';
}

describe('fake EWS golden responses', function () {
  this.timeout(20000);
  const recorded = new Map<string, { xml: string; ews: boolean }>();

  before(async () => {
    const dir = tmpDir('golden');
    createFakeEwsData(dir, seed({ secret: 'golden' }));
    const g = await startFakeEws({ dataDir: dir, now: () => new Date('2024-02-01T12:00:00Z') });
    try {
      const rec = async (name: string, body: string, opts: SoapOpts = {}) => {
        const r = await soap(g, body, opts);
        recorded.set(name, { xml: normalise(r.body), ews: true });
        return r;
      };
      const allProps = `<t:FieldURI FieldURI="item:MimeContent"/>${FLAGS}${DELIVERY}${WATERMARK}`;
      await rec('GetFolder', `<m:GetFolder>${folderShape('AllProperties', '<t:ExtendedFieldURI PropertyTag="0x0E08" PropertyType="Long"/>')}<m:FolderIds>${dfid('inbox')}${dfid('calendar')}${dfid('contacts')}${dfid('tasks')}</m:FolderIds></m:GetFolder>`);
      await rec('GetFolder-errors', `<m:GetFolder>${folderShape('Default')}<m:FolderIds>${dfid('inbox', 'alice@contoso.com')}${dfid('inbox', 'nobody@contoso.com')}<t:FolderId Id="bm90LWFuLWlk"/></m:FolderIds></m:GetFolder>`, { auth: basic('CONTOSO\\dave', 'Dave#2016') });
      const ff = await rec('FindFolder', `<m:FindFolder Traversal="Deep">${folderShape('Default', '<t:FieldURI FieldURI="folder:ParentFolderId"/><t:FieldURI FieldURI="folder:FolderClass"/><t:ExtendedFieldURI PropertyTag="0x0E08" PropertyType="Long"/>')}<m:IndexedPageFolderView MaxEntriesReturned="6" Offset="0" BasePoint="Beginning"/><m:ParentFolderIds>${dfid('msgfolderroot')}</m:ParentFolderIds></m:FindFolder>`);
      void ff;
      await rec('SyncFolderHierarchy', `<m:SyncFolderHierarchy>${folderShape('IdOnly', '<t:FieldURI FieldURI="folder:DisplayName"/><t:FieldURI FieldURI="folder:FolderClass"/><t:FieldURI FieldURI="folder:ParentFolderId"/>')}</m:SyncFolderHierarchy>`);
      await rec('CreateFolder', `<m:CreateFolder><m:ParentFolderId>${dfid('msgfolderroot')}</m:ParentFolderId><m:Folders><t:Folder><t:FolderClass>IPF.Note</t:FolderClass><t:DisplayName>Imported</t:DisplayName></t:Folder><t:ContactsFolder><t:DisplayName>Imported Contacts</t:DisplayName></t:ContactsFolder><t:Folder><t:DisplayName>Projects</t:DisplayName></t:Folder></m:Folders></m:CreateFolder>`);
      const s1 = await rec('SyncFolderItems', `<m:SyncFolderItems>${shape('IdOnly', '<t:FieldURI FieldURI="item:Subject"/><t:FieldURI FieldURI="message:IsRead"/><t:FieldURI FieldURI="item:DateTimeReceived"/>')}<m:SyncFolderId>${dfid('inbox')}</m:SyncFolderId><m:MaxChangesReturned>512</m:MaxChangesReturned><m:SyncScope>NormalItems</m:SyncScope></m:SyncFolderItems>`);
      const c1 = await rec('CreateItem', createItemBody(dfid('inbox'), mime(5), { flags: 1, delivery: '2024-01-05T10:00:00Z', watermark: 'src-5' }));
      const newId = itemId(messages(c1.doc)[0]);
      await rec('CreateItem-contact', createItemBody(dfid('contacts'), VCARD.replace('Erin', 'Frank'), { element: 'Contact' }));
      await rec('CreateItem-task-mime', createItemBody(dfid('tasks'), 'BEGIN:VTODO\r\nEND:VTODO\r\n', { element: 'Task' }));
      await rec('CreateItem-quota', createItemBody(dfid('inbox', 'bob@contoso.com'), mime(6, 'z'.repeat(5000))), { auth: SVC, header: impersonate('bob@contoso.com') });
      const state = text(all(s1.doc, 'SyncState', NS.m)[0]) ?? '';
      const changes = await rec('SyncFolderItems-changes', `<m:SyncFolderItems>${shape('IdOnly')}<m:SyncFolderId>${dfid('inbox')}</m:SyncFolderId><m:SyncState>${state}</m:SyncState><m:MaxChangesReturned>10</m:MaxChangesReturned></m:SyncFolderItems>`);
      const state2 = text(all(changes.doc, 'SyncState', NS.m)[0]) ?? '';
      await rec('SyncFolderItems-badstate', `<m:SyncFolderItems>${shape('IdOnly')}<m:SyncFolderId>${dfid('inbox')}</m:SyncFolderId><m:SyncState>Zm9yZ2Vk</m:SyncState><m:MaxChangesReturned>10</m:MaxChangesReturned></m:SyncFolderItems>`);
      const fi = await rec('FindItem', `<m:FindItem Traversal="Shallow">${shape('IdOnly', '<t:FieldURI FieldURI="item:Subject"/><t:FieldURI FieldURI="item:DateTimeReceived"/><t:FieldURI FieldURI="item:Size"/><t:FieldURI FieldURI="item:ItemClass"/><t:FieldURI FieldURI="message:InternetMessageId"/><t:FieldURI FieldURI="message:IsRead"/>')}<m:IndexedPageItemView MaxEntriesReturned="2" Offset="1" BasePoint="Beginning"/><m:ParentFolderIds>${dfid('inbox')}</m:ParentFolderIds></m:FindItem>`);
      await rec('FindItem-denied', `<m:FindItem Traversal="Shallow">${shape('IdOnly')}<m:ParentFolderIds>${dfid('inbox', 'bob@contoso.com')}</m:ParentFolderIds></m:FindItem>`);
      await rec('FindItem-restriction', `<m:FindItem Traversal="Shallow">${shape('IdOnly')}<m:Restriction><t:IsEqualTo>${WATERMARK}<t:FieldURIOrConstant><t:Constant Value="src-5"/></t:FieldURIOrConstant></t:IsEqualTo></m:Restriction><m:ParentFolderIds>${dfid('inbox')}</m:ParentFolderIds></m:FindItem>`);
      const inboxIds = all(fi.doc, 'ItemId').map((i) => i.getAttribute('Id'));
      const wm = (value: string) => `<t:SetItemField>${WATERMARK}<t:Message><t:ExtendedProperty>${WATERMARK}<t:Value>${value}</t:Value></t:ExtendedProperty></t:Message></t:SetItemField>`;
      await rec('UpdateItem', `<m:UpdateItem ConflictResolution="AlwaysOverwrite" MessageDisposition="SaveOnly"><m:ItemChanges><t:ItemChange><t:ItemId Id="${newId}"/><t:Updates>${wm('src-5b')}<t:SetItemField><t:FieldURI FieldURI="message:IsRead"/><t:Message><t:IsRead>false</t:IsRead></t:Message></t:SetItemField></t:Updates></t:ItemChange><t:ItemChange><t:ItemId Id="${newId.slice(0, -4)}AAAA"/><t:Updates>${wm('x')}</t:Updates></t:ItemChange></m:ItemChanges></m:UpdateItem>`);
      await rec('GetItem', `<m:GetItem>${shape('AllProperties', allProps)}<m:ItemIds><t:ItemId Id="${newId}"/><t:ItemId Id="${inboxIds[0]}"/><t:ItemId Id="${newId.slice(0, -4)}AAAA"/></m:ItemIds></m:GetItem>`);
      const cal = await soap(g, `<m:FindItem Traversal="Shallow">${shape('IdOnly')}<m:ParentFolderIds>${dfid('calendar')}</m:ParentFolderIds></m:FindItem>`);
      const con = await soap(g, `<m:FindItem Traversal="Shallow">${shape('IdOnly')}<m:ParentFolderIds>${dfid('contacts')}</m:ParentFolderIds></m:FindItem>`);
      await rec('GetItem-calendar-contact', `<m:GetItem>${shape('Default', '<t:FieldURI FieldURI="item:MimeContent"/><t:FieldURI FieldURI="item:ItemClass"/>')}<m:ItemIds><t:ItemId Id="${all(cal.doc, 'ItemId')[0].getAttribute('Id')}"/><t:ItemId Id="${all(con.doc, 'ItemId')[0].getAttribute('Id')}"/></m:ItemIds></m:GetItem>`);
      await rec('UpdateItem-calendar-no-invitations', `<m:UpdateItem ConflictResolution="AlwaysOverwrite" MessageDisposition="SaveOnly"><m:ItemChanges><t:ItemChange><t:ItemId Id="${all(cal.doc, 'ItemId')[0].getAttribute('Id')}"/><t:Updates>${calendarWatermark('cal-1')}</t:Updates></t:ItemChange></m:ItemChanges></m:UpdateItem>`);
      const ex = await rec('ExportItems', `<m:ExportItems><m:ItemIds><t:ItemId Id="${newId}"/><t:ItemId Id="${newId.slice(0, -4)}AAAA"/></m:ItemIds></m:ExportItems>`, { auth: SVC, header: impersonate('alice@contoso.com'), anchor: 'alice@contoso.com' });
      const data = text(all(ex.doc, 'Data', NS.m)[0]) ?? '';
      const bobInbox = await soap(g, `<m:GetFolder>${folderShape('IdOnly')}<m:FolderIds>${dfid('inbox')}</m:FolderIds></m:GetFolder>`, { auth: basic('CONTOSO\\bob', 'Bob#2016') });
      const bobInboxId = all(bobInbox.doc, 'FolderId')[0].getAttribute('Id');
      await rec('UploadItems', `<m:UploadItems><m:Items><t:Item CreateAction="CreateNew" IsAssociated="false"><t:ParentFolderId Id="${bobInboxId}"/><t:Data>${data}</t:Data></t:Item><t:Item CreateAction="Update"><t:ParentFolderId Id="${bobInboxId}"/><t:ItemId Id="${newId}"/><t:Data>${data}</t:Data></t:Item></m:Items></m:UploadItems>`, { auth: SVC, header: impersonate('bob@contoso.com') });
      const aliceInbox = await soap(g, `<m:GetFolder>${folderShape('IdOnly')}<m:FolderIds>${dfid('inbox')}</m:FolderIds></m:GetFolder>`);
      const aliceInboxId = all(aliceInbox.doc, 'FolderId')[0].getAttribute('Id');
      g.setRead(inboxIds[0] ?? '', true);
      await rec('UploadItems-update', `<m:UploadItems><m:Items><t:Item CreateAction="Update"><t:ParentFolderId Id="${aliceInboxId}"/><t:ItemId Id="${newId}"/><t:Data>${data}</t:Data></t:Item><t:Item CreateAction="CreateNew"><t:ParentFolderId Id="${aliceInboxId}"/><t:Data>Zm9yZ2VkIGRhdGE=</t:Data></t:Item></m:Items></m:UploadItems>`, { auth: SVC, header: impersonate('alice@contoso.com') });
      await soap(g, `<m:DeleteItem DeleteType="HardDelete"><m:ItemIds><t:ItemId Id="${inboxIds[1]}"/></m:ItemIds></m:DeleteItem>`);
      await rec('SyncFolderItems-all-changes', `<m:SyncFolderItems>${shape('IdOnly', '<t:FieldURI FieldURI="message:IsRead"/>')}<m:SyncFolderId>${dfid('inbox')}</m:SyncFolderId><m:SyncState>${state2}</m:SyncState><m:MaxChangesReturned>10</m:MaxChangesReturned></m:SyncFolderItems>`);
      await rec('ResolveNames', '<m:ResolveNames ReturnFullContactData="true" SearchScope="ActiveDirectory"><m:UnresolvedEntry>SMTP:carol@contoso.com</m:UnresolvedEntry></m:ResolveNames>');
      await rec('ResolveNames-multiple', '<m:ResolveNames ReturnFullContactData="false" SearchScope="ActiveDirectory"><m:UnresolvedEntry>SMTP:</m:UnresolvedEntry></m:ResolveNames>');
      await rec('ResolveNames-none', '<m:ResolveNames ReturnFullContactData="false"><m:UnresolvedEntry>nobody-at-all</m:UnresolvedEntry></m:ResolveNames>');
      await rec('DeleteItem', `<m:DeleteItem DeleteType="HardDelete"><m:ItemIds><t:ItemId Id="${newId}"/><t:ItemId Id="${newId}"/></m:ItemIds></m:DeleteItem>`);
      await rec('fault-ImpersonateUserDenied', `<m:GetFolder>${folderShape('IdOnly')}<m:FolderIds>${dfid('inbox')}</m:FolderIds></m:GetFolder>`, { auth: basic('CONTOSO\\dave', 'Dave#2016'), header: impersonate('alice@contoso.com') });
      await rec('fault-SchemaValidation', `<m:SyncFolderItems>${shape('IdOnly')}<m:SyncFolderId>${dfid('inbox')}</m:SyncFolderId><m:MaxChangesReturned>1000</m:MaxChangesReturned></m:SyncFolderItems>`);
      g.setFaults([{ kind: 'serverBusy', backOffMs: 5000 }, { kind: 'mailboxMoveInProgress' }, { kind: 'internalServerError' }]);
      await rec('fault-ServerBusy', `<m:GetFolder>${folderShape('IdOnly')}<m:FolderIds>${dfid('inbox')}</m:FolderIds></m:GetFolder>`);
      await rec('MailboxMoveInProgress', `<m:GetFolder>${folderShape('IdOnly')}<m:FolderIds>${dfid('inbox')}</m:FolderIds></m:GetFolder>`);
      await rec('fault-InternalServerError', `<m:GetFolder>${folderShape('IdOnly')}<m:FolderIds>${dfid('inbox')}</m:FolderIds></m:GetFolder>`);
      g.setFaults([]);
      // PidTagSearchKey: a contact copied (CopyItem) keeps its original's key; a client cannot set it.
      const contactId = all(con.doc, 'ItemId')[0].getAttribute('Id') ?? '';
      const copy = await rec('CopyItem', moveOrCopy('CopyItem', dfid('contacts'), [contactId, 'bm90LWFuLWlk']));
      await rec('GetItem-search-key', getSearchKeys([contactId, itemId(messages(copy.doc)[0])]));
      await rec('UpdateItem-search-key', `<m:UpdateItem ConflictResolution="AlwaysOverwrite"><m:ItemChanges><t:ItemChange><t:ItemId Id="${contactId}"/><t:Updates><t:SetItemField>${SEARCH_KEY}<t:Contact><t:ExtendedProperty>${SEARCH_KEY}<t:Value>AAECAwQFBgcICQoLDA0ODw==</t:Value></t:ExtendedProperty></t:Contact></t:SetItemField></t:Updates></t:ItemChange></m:ItemChanges></m:UpdateItem>`);
      const gusBody = (address: string) => `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:a="${NS.ad}" xmlns:soap="${NS.soap}"><soap:Header><a:RequestedServerVersion>Exchange2013</a:RequestedServerVersion></soap:Header><soap:Body><a:GetUserSettingsRequestMessage><a:Request><a:Users><a:User><a:Mailbox>${address}</a:Mailbox></a:User></a:Users><a:RequestedSettings><a:Setting>UserDisplayName</a:Setting><a:Setting>UserDN</a:Setting><a:Setting>InternalEwsUrl</a:Setting><a:Setting>ExternalEwsUrl</a:Setting><a:Setting>CasVersion</a:Setting><a:Setting>EwsSupportedSchemas</a:Setting><a:Setting>NoSuchSetting</a:Setting></a:RequestedSettings></a:Request></a:GetUserSettingsRequestMessage></soap:Body></soap:Envelope>`;
      for (const [name, address] of [['autodiscover-GetUserSettings', 'alice@contoso.com'], ['autodiscover-GetUserSettings-redirect', 'alice@fabrikam.com'], ['autodiscover-GetUserSettings-invalid', 'zed@contoso.com']]) {
        recorded.set(name, { xml: normalise((await request(`${g.url}/autodiscover/autodiscover.svc`, { headers: { authorization: ALICE }, body: gusBody(address) })).body), ews: false });
      }
      const poxBody = (address: string) => `<?xml version="1.0" encoding="utf-8"?><Autodiscover xmlns="${NS.poxReq}"><Request><EMailAddress>${address}</EMailAddress><AcceptableResponseSchema>${NS.poxOutlook}</AcceptableResponseSchema></Request></Autodiscover>`;
      for (const [name, address] of [['autodiscover-pox', 'alice@contoso.com'], ['autodiscover-pox-redirect', 'alice@fabrikam.com'], ['autodiscover-pox-unknown', 'zed@contoso.com']]) {
        recorded.set(name, { xml: normalise((await request(`${g.url}/autodiscover/autodiscover.xml`, { headers: { authorization: ALICE }, body: poxBody(address) })).body), ews: false });
      }
    } finally {
      await g.close();
    }
  });

  it('validates every EWS response against the official messages.xsd/types.xsd with xmllint', function () {
    const xsdDir = requireEwsSchemas(this);
    const tmp = tmpDir('xsd');
    const files: string[] = [];
    for (const [name, r] of recorded) if (r.ews) {
      const f = path.join(tmp, `${name}.xml`);
      fs.writeFileSync(f, r.xml);
      files.push(f);
    }
    const { validated, errors } = validateEnvelopes(xsdDir, files);
    assert.deepEqual(errors, []);
    assert.equal(validated, files.length);
    console.log(`      xmllint validated ${validated} EWS responses against ${xsdDir}`);
    if (process.env.FERRY_UPDATE_GOLDEN === '1') {
      fs.mkdirSync(GOLDEN_DIR, { recursive: true });
      for (const f of fs.readdirSync(GOLDEN_DIR)) if (f.endsWith('.xml')) fs.rmSync(path.join(GOLDEN_DIR, f));
      for (const [name, r] of recorded) fs.writeFileSync(path.join(GOLDEN_DIR, `${name}.xml`), pretty(r.xml));
    }
  });

  it('still produces exactly the golden (XSD-validated) XML', () => {
    assert.ok(recorded.size >= 30, `recorded ${recorded.size}`);
    const missing: string[] = [];
    for (const [name, r] of recorded) {
      const file = path.join(GOLDEN_DIR, `${name}.xml`);
      if (!fs.existsSync(file)) {
        missing.push(name);
        continue;
      }
      assert.equal(pretty(r.xml), fs.readFileSync(file, 'utf8'), `${name}.xml differs from the fake's response (FERRY_UPDATE_GOLDEN=1 rewrites it where ../shared/reference/ews is present)`);
    }
    assert.deepEqual(missing, [], 'golden files missing: run with FERRY_UPDATE_GOLDEN=1 where ../shared/reference/ews is present');
    const extra = fs.readdirSync(GOLDEN_DIR).filter((f) => f.endsWith('.xml') && !recorded.has(f.slice(0, -4)));
    assert.deepEqual(extra, []);
  });
});
