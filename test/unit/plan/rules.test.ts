// The semantic rules, case by case: the valid base plan plus one change, and every finding it
// must produce at the exact key or value (1-based line and column, as the command line prints).
import * as assert from 'node:assert/strict';
import { BASE_CSV, BASE_PLAN, PLAN_FILE, covered, edit, found, run, type Files, type Found } from './planTestUtil';

interface Case {
  name: string;
  plan?: string;
  files?: Files;
  expect: Found[];
}

const plan = (...edits: [string, string][]) => edits.reduce((text, [from, to]) => edit(text, from, to), BASE_PLAN);
const csv = (extra: string) => ({ 'wave2.csv': BASE_CSV + extra });

const GMAIL = `  google:
    type: gmail
    domain: contoso.example
    serviceAccount:
      clientEmail: migration@contoso-project.iam.gserviceaccount.com
      privateKey: { secret: GOOGLE_SA_KEY }
source: contoso-imap`;

const cases: Case[] = [
  // batch names
  { name: 'duplicate batch name (case-insensitive)', plan: plan(['- name: Wave 2', '- name: wave 1']), expect: [['duplicateDisplayNameJob', 43, 11]] },
  // version
  { name: 'unsupported version, without the schema enum error', plan: plan(['version: 1', 'version: 2']), expect: [['PLAN-002', 1, 10]] },
  // schedules
  { name: 'startAfter without a time zone', plan: plan(['startAfter: 2026-12-01T20:00:00Z', 'startAfter: 2026-12-01T20:00:00']), expect: [['PLAN-037', 37, 17]] },
  { name: 'startAfter on a day that does not exist', plan: plan(['startAfter: 2026-12-01T20:00:00Z', 'startAfter: 2026-11-31T20:00:00Z']), expect: [['PLAN-037', 37, 17]] },
  { name: 'completeAfter as a bare date', plan: plan(['completeAfter: 2026-12-05T20:00:00Z', 'completeAfter: 2026-12-05']), expect: [['PLAN-037', 38, 20]] },
  {
    name: 'completeAfter in the past',
    plan: plan(['startAfter: 2026-12-01T20:00:00Z', 'startAfter: 2026-10-01T20:00:00Z'], ['completeAfter: 2026-12-05T20:00:00Z', 'completeAfter: 2026-11-01T20:00:00Z']),
    expect: [['PLAN-051', 38, 20]],
  },
  { name: 'startAfter after completeAfter', plan: plan(['startAfter: 2026-12-01T20:00:00Z', 'startAfter: 2026-12-09T20:00:00Z']), expect: [['PLAN-026', 37, 17]] },
  // items
  { name: 'same source twice in one batch, other case', plan: plan(['        destination: robert@fabrikam.example\n', '        destination: robert@fabrikam.example\n      - source: ANN@Contoso.example\n']), expect: [['CTM-001', 43, 17]] },
  { name: 'same source in the plan and the CSV of one batch', plan: plan(['    itemsFile: wave2.csv', '    itemsFile: wave2.csv\n    items:\n      - source: carol@contoso.example']), expect: [['CTM-001', 2, 1, 'wave2.csv']] },
  { name: 'same source twice in one CSV file', files: csv('Carol@contoso.example,\n'), expect: [['CTM-001', 4, 1, 'wave2.csv']] },
  { name: 'same source in two batches (in the plan and a CSV: flagged in the plan)', files: csv('ann@contoso.example,\n'), expect: [['CTM-002', 40, 17]] },
  { name: 'same source in two batches (plan)', plan: plan(['    itemsFile: wave2.csv', '    itemsFile: wave2.csv\n    items:\n      - source: bob@contoso.example']), expect: [['CTM-002', 46, 17]] },
  { name: 'same address on two different source servers is two mailboxes', plan: plan(['  fabrikam:\n', '  other-imap:\n    type: imap\n    host: imap.other.example\n    auth: { username: admin@other.example, password: { secret: OTHER } }\n  fabrikam:\n'], ['    itemsFile: wave2.csv', '    source: other-imap\n    itemsFile: wave2.csv']), files: csv('ann@contoso.example,\n'), expect: [] },
  { name: 'invalid project owner', plan: plan(['owner: ops@fabrikam.example', 'owner: ops@fabrikam']), expect: [['PLAN-021', 4, 10]] },
  { name: 'invalid item source (no IM-003 on top)', plan: plan(['- source: ann@contoso.example', '- source: ann.contoso.example']), expect: [['PLAN-021', 40, 17]] },
  { name: 'invalid item destination', plan: plan(['destination: robert@fabrikam.example', 'destination: robert@@fabrikam.example']), expect: [['PLAN-021', 42, 22]] },
  { name: 'invalid notification address', plan: plan(['to: [ops@fabrikam.example]', 'to: [ops@fabrikam.example, "ops fabrikam"]']), expect: [['PLAN-021', 29, 47]] },
  { name: 'invalid identity pair', plan: plan(['destination: chief@fabrikam.example', 'destination: chief@fabrikam.']), expect: [['PLAN-021', 34, 51]] },
  { name: 'invalid CSV destination', files: { 'wave2.csv': BASE_CSV.replace('david@fabrikam.example', 'david@') }, expect: [['PLAN-021', 3, 1, 'wave2.csv']] },
  { name: 'destination cannot be derived', plan: plan(['- source: ann@contoso.example', '- source: ann@northwind.example']), expect: [['IM-003', 40, 17]] },
  { name: 'destination cannot be derived (CSV)', files: csv('erin@northwind.example,\n'), expect: [['IM-003', 4, 1, 'wave2.csv']] },
  { name: 'two sources into one destination', plan: plan(['destination: robert@fabrikam.example', 'destination: ann@fabrikam.example']), expect: [['PLAN-029', 42, 22]] },
  { name: 'two sources into one destination, derived in a CSV', files: csv('ANN@CONTOSO.EXAMPLE.,ann@fabrikam.example\n'), expect: [['PLAN-021', 4, 1, 'wave2.csv'], ['PLAN-029', 4, 1, 'wave2.csv']] },
  {
    name: 'source and destination the same mailbox on the same endpoint',
    plan: plan(['  - name: Wave 1\n', '  - name: Wave 1\n    destination: contoso-imap\n'], ['destination: robert@fabrikam.example', 'destination: Bob@contoso.example']),
    expect: [['PLAN-028', 43, 22]],
  },
  // endpoints
  { name: 'undefined destination endpoint', plan: plan(['destination: fabrikam\n', 'destination: fabrikm\n']), expect: [['PLAN-030', 14, 3], ['EXCH-07', 20, 14]] },
  { name: 'undefined batch source override', plan: plan(['    itemsFile: wave2.csv', '    itemsFile: wave2.csv\n    source: contoso']), expect: [['EXCH-07', 45, 13]] },
  { name: 'gmail cannot be a destination', plan: plan(['source: contoso-imap', GMAIL], ['  - name: Wave 2\n', '  - name: Wave 2\n    destination: google\n']), expect: [['PLAN-027', 50, 18]] },
  { name: 'unused endpoint', plan: plan(['source: contoso-imap', '  old-archive:\n    type: maildir\n    path: ./archive\nsource: contoso-imap']), expect: [['PLAN-030', 19, 3]] },
  {
    name: 'EWS against Exchange Online',
    plan: plan(['source: contoso-imap', '  ews:\n    type: exchange\n    url: https://outlook.office365.com/EWS/Exchange.asmx\n    auth: { username: admin@contoso.example, password: { secret: EWS } }\nsource: ews']),
    expect: [['PLAN-030', 6, 3], ['PLAN-033', 21, 10]],
  },
  {
    name: 'EWS over plain HTTP to a remote host',
    plan: plan(['source: contoso-imap', '  ews:\n    type: exchange\n    url: http://mail.contoso.example/EWS/Exchange.asmx\n    auth: { username: admin@contoso.example, password: { secret: EWS } }\nsource: ews']),
    expect: [['PLAN-030', 6, 3], ['PLAN-044', 21, 10]],
  },
  {
    name: 'EWS over plain HTTP on loopback is fine',
    plan: plan(['source: contoso-imap', '  ews:\n    type: exchange\n    url: http://127.0.0.1:8080/EWS/Exchange.asmx\n    auth: { username: admin@contoso.example, password: { secret: EWS } }\nsource: ews']),
    expect: [['PLAN-030', 6, 3]],
  },
  { name: 'IMAP without TLS to a remote host', plan: plan(['port: 993\n    security: tls', 'port: 143\n    security: none']), expect: [['PLAN-034', 10, 15]] },
  { name: 'IMAP without TLS on loopback is fine', plan: plan(['host: imap.contoso.example\n    port: 993\n    security: tls', 'host: 127.0.0.1\n    port: 143\n    security: none']), expect: [] },
  { name: 'IMAP port and security crossed', plan: plan(['security: tls', 'security: starttls']), expect: [['PLAN-040', 9, 11]] },
  { name: 'shared authorizationIdentity without {mailbox}', plan: plan(['      password: { secret: CONTOSO_IMAP }', '      password: { secret: CONTOSO_IMAP }\n      authorizationIdentity: ann@contoso.example']), expect: [['PLAN-043', 14, 30]] },
  { name: 'IMAP oauth with another auth.mechanism', plan: plan(['      password: { secret: CONTOSO_IMAP }', '      mechanism: plain\n    oauth: { clientId: x.apps.googleusercontent.com, clientSecret: { secret: GOOGLE_CLIENT }, refreshToken: { secret: GOOGLE_REFRESH } }']), expect: [['PLAN-053', 13, 18]] },
  { name: 'IMAP oauth with two refresh tokens', plan: plan(['      password: { secret: CONTOSO_IMAP }', '      password: { secret: CONTOSO_IMAP }\n    oauth: { clientId: x.apps.googleusercontent.com, clientSecret: { secret: GOOGLE_CLIENT }, refreshToken: { secret: GOOGLE_REFRESH } }']), expect: [['PLAN-053', 13, 17]] },
  { name: 'IMAP oauth with the refresh token in auth.password', plan: plan(['      password: { secret: CONTOSO_IMAP }', '      password: { secret: CONTOSO_IMAP }\n      mechanism: xoauth2\n    oauth: { clientId: x.apps.googleusercontent.com, clientSecret: { secret: GOOGLE_CLIENT }, tokenUrl: "https://oauth2.googleapis.com/token" }']), expect: [] },
  { name: 'authorizationIdentity with {mailbox}', plan: plan(['      password: { secret: CONTOSO_IMAP }', '      password: { secret: CONTOSO_IMAP }\n      mechanism: plain\n      authorizationIdentity: "{mailbox}"']), expect: [] },
  // secrets
  { name: 'plaintext endpoint password, without a schema error', plan: plan(['password: { secret: CONTOSO_IMAP }', 'password: hunter2']), expect: [['PLAN-020', 13, 17]] },
  { name: 'numeric plaintext password', plan: plan(['password: { secret: CONTOSO_IMAP }', 'password: 123456']), expect: [['PLAN-020', 13, 17]] },
  { name: 'plaintext m365 client secret, without schema errors', plan: plan(['clientSecret: { secret: FABRIKAM_APP }', "clientSecret: 'x~8Q~abc'"]), expect: [['PLAN-020', 18, 19]] },
  { name: 'plaintext item password', plan: plan(['- source: ann@contoso.example\n', '- source: ann@contoso.example\n        sourceAuth: { username: ann, password: s3cret }\n']), expect: [['PLAN-020', 41, 48]] },
  { name: 'plaintext token under an unknown key still is a secret', plan: plan(['    type: m365\n', '    type: m365\n    accessToken: eyJ0eXAi\n']), expect: [['PLAN-020', 16, 18]] },
  {
    name: 'PEM private key under a certificate',
    plan: plan(['clientSecret: { secret: FABRIKAM_APP }', 'certificate:\n      thumbprint: 0123456789abcdef0123456789abcdef01234567\n      privateKey: |\n        -----BEGIN PRIVATE KEY-----\n        MIIE\n        -----END PRIVATE KEY-----']),
    expect: [['PLAN-020', 20, 19]],
  },
  { name: 'invalid secret name, without the schema pattern error', plan: plan(['password: { secret: CONTOSO_IMAP }', 'password: { secret: "contoso imap" }']), expect: [['PLAN-039', 13, 27]] },
  { name: 'password column in the CSV', files: { 'wave2.csv': BASE_CSV.replace('source,destination', 'source,destination,password').replace(/example,\n/, 'example,,\n').replace('david@fabrikam.example', 'david@fabrikam.example,') }, expect: [['PLAN-020', 1, 1, 'wave2.csv']] },
  // folder patterns
  { name: 'exclude pattern that does not compile', plan: plan(["exclude: ['^Junk$']", "exclude: ['^Junk$', '(Spam']"]), expect: [['PLAN-025', 23, 25]] },
  { name: 'map.from that does not compile', plan: plan(["from: '^Archive/(.*)$'", "from: '^Archive/[(.*)$'"]), expect: [['PLAN-025', 25, 15]] },
  { name: 'map.to uses a group that from does not have', plan: plan(["to: 'Old Archive/$1'", "to: 'Old Archive/$2'"]), expect: [['PLAN-025', 26, 13]] },
  { name: 'map.to uses $0', plan: plan(["to: 'Old Archive/$1'", "to: 'Old Archive/$0'"]), expect: [['PLAN-025', 26, 13]] },
  { name: 'map.to uses an unknown named group', plan: plan(["from: '^Archive/(.*)$'", "from: '^Archive/(?<rest>.*)$'"], ["to: 'Old Archive/$1'", "to: 'Old Archive/$<Rest>'"]), expect: [['PLAN-025', 26, 13]] },
  { name: 'map.to with $$, $& and $10 (= $1 then 0) is fine', plan: plan(["to: 'Old Archive/$1'", "to: 'Old $$ Archive/$&/$10'"]), expect: [] },
  // options
  { name: 'dateRange from after to', plan: plan(["{ from: '2020-01-01', to: '2026-12-31' }", "{ from: '2027-01-01', to: '2026-12-31' }"]), expect: [['PLAN-032', 27, 22]] },
  { name: 'dateRange with an impossible date', plan: plan(["from: '2020-01-01'", "from: '2020-13-01'"]), expect: [['PLAN-037', 27, 22]] },
  { name: 'concurrency above 3 per Mbps', plan: plan(['maxConcurrentMigrations: 5', 'maxConcurrentMigrations: 5\n  bandwidthMbps: 1']), expect: [['PLAN-035', 28, 28]] },
  { name: 'default concurrency above 3 per Mbps', plan: plan(['  maxConcurrentMigrations: 5\n', '  bandwidthMbps: 1.5\n']), expect: [['PLAN-035', 28, 18]] },
  { name: 'items above what Microsoft 365 accepts', plan: plan(['maxConcurrentMigrations: 5', 'maxConcurrentMigrations: 5\n  maxItemSizeMB: 200']), expect: [['PLAN-042', 29, 18]] },
  { name: 'orchestrated batch from IMAP', plan: plan(['  - name: Wave 1\n', '  - name: Wave 1\n    orchestrated: true\n']), expect: [['PLAN-041', 37, 19]] },
  // identity mapping
  { name: 'domain rule twice', plan: plan(['    - { from: contoso.example, to: fabrikam.example }\n', '    - { from: contoso.example, to: fabrikam.example }\n    - { from: Contoso.Example, to: other.example }\n']), expect: [['PLAN-036', 33, 15]] },
  { name: 'pair twice with different destinations', plan: plan(['destination: chief@fabrikam.example }\n', 'destination: chief@fabrikam.example }\n    - { source: ceo@contoso.example, destination: ann@fabrikam.example }\n']), expect: [['PLAN-036', 35, 17]] },
  { name: 'the same pair twice is harmless', plan: plan(['destination: chief@fabrikam.example }\n', 'destination: chief@fabrikam.example }\n    - { source: ceo@contoso.example, destination: chief@fabrikam.example }\n']), expect: [] },
  // items files
  { name: 'items file missing', files: {}, expect: [['PLAN-022', 44, 16]] },
  { name: 'items file outside the project folder', plan: plan(['itemsFile: wave2.csv', 'itemsFile: ../shared/wave2.csv']), files: { '../shared/wave2.csv': BASE_CSV }, expect: [['PLAN-038', 44, 16]] },
  { name: 'absolute items file', plan: plan(['itemsFile: wave2.csv', 'itemsFile: /plans/contoso/wave2.csv']), expect: [['PLAN-038', 44, 16]] },
  { name: 'batch with neither items nor itemsFile', plan: plan(['    itemsFile: wave2.csv\n', '    description: later\n']), expect: [['PLAN-031', 43, 11]] },
  { name: 'batch whose CSV has no rows', files: { 'wave2.csv': 'source,destination\n' }, expect: [['PLAN-031', 44, 16]] },
];

describe('plan rules', () => {
  it('the base plan and its CSV give no findings', () => {
    assert.deepEqual(found(run(BASE_PLAN).diagnostics), []);
  });
  for (const c of cases) {
    it(c.name, () => {
      const result = run(c.plan ?? BASE_PLAN, c.files ?? { 'wave2.csv': BASE_CSV });
      assert.deepEqual(found(result.diagnostics), c.expect, result.diagnostics.map((d) => `${d.code} ${d.range.start.line + 1}:${d.range.start.character + 1} ${d.message}`).join('\n'));
      for (const d of result.diagnostics) {
        assert.ok(d.message && !/\{\d\}/.test(d.message), `${d.code}: every placeholder filled: ${d.message}`);
        if (d.file === PLAN_FILE) assert.notEqual(covered(result.yaml.text, d).trim(), '', `${d.code} underlines some text`);
      }
    });
  }
});

/** Every endpoint type and most options, used the way they are meant to be: no finding at all. */
const EVERY_FEATURE = `version: 1
project: { name: Everything, owner: ops@fabrikam.example, tags: [full] }
endpoints:
  onprem:
    type: exchange
    url: https://mail.contoso.example/EWS/Exchange.asmx
    authentication: ntlm
    access: impersonation
    auth: { username: 'CONTOSO\\migadmin', password: { secret: ONPREM_ADMIN } }
  discovered:
    type: exchange
    autodiscover: admin@northwind.example
    auth: { username: admin@northwind.example, password: { secret: NORTHWIND_ADMIN } }
  google:
    type: gmail
    domain: contoso.example
    serviceAccount: { clientEmail: sa@contoso-project.iam.gserviceaccount.com, privateKey: { secret: GOOGLE_SA.key } }
  lab-imap:
    type: imap
    host: localhost
    port: 143
    security: none
    auth: { username: admin, mechanism: plain, authorizationIdentity: '{mailbox}', password: { secret: lab-imap } }
  tenant:
    type: m365
    tenantId: 00000000-1111-2222-3333-444444444444
    clientId: 11111111-2222-3333-4444-555555555555
    certificate: { thumbprint: 0123456789abcdef0123456789abcdef01234567, privateKey: { secret: TENANT_KEY } }
  archive:
    type: maildir
    path: ./archive
source: onprem
destination: tenant
options:
  folders:
    include: ['^(Inbox|Sent Items|Archive)(/.*)?$']
    exclude: ['^Inbox/Spam$']
    map: [{ from: '^Archive/(?<year>\\d{4})/(.*)$', to: 'Archive $<year>/$2' }]
  dateRange: { from: 2015-01-01, to: '2026-11-30T23:59:59+01:00' }
  preStage: { olderThanDays: 30 }
  itemTypes: [mail, calendar]
  maxConcurrentMigrations: 12
  bandwidthMbps: 4
  maxItemSizeMB: 150
  mailboxQuotaGB: 100
  badItemLimit: 10
  notifications: { to: [ops@fabrikam.example, noc@fabrikam.example], onCompleted: false }
  logFailedItemSubjects: true
identityMapping:
  domains:
    - { from: contoso.example, to: fabrikam.example }
    - { from: northwind.example, to: fabrikam.example }
  pairs:
    - { source: ceo@contoso.example, destination: chief@fabrikam.example }
  lowercase: true
batches:
  - name: Exchange wave
    startAfter: 2026-11-28T20:00:00+01:00
    completeAfter: 2026-12-05T20:00:00+01:00
    items:
      - { source: ann@contoso.example, approveOversize: true }
      - source: ceo@contoso.example
        sourceAuth: { username: 'CONTOSO\\ceo', password: { secret: CEO } }
  - name: Northwind
    source: discovered
    items: [{ source: ann@northwind.example, destination: ann.n@fabrikam.example }]
  - name: Google
    source: google
    items: [{ source: bob@contoso.example }]
  - name: Lab
    source: lab-imap
    destination: archive
    items: [{ source: carol@contoso.example }, { source: dave@contoso.example }]
  - name: From CSV
    itemsFile: waves/wave5.csv
`;

describe('valid plans', () => {
  it('a plan using every endpoint type and option gives no findings', () => {
    const result = run(EVERY_FEATURE, { 'waves/wave5.csv': 'source,destination,sourceUsername,sourcePasswordSecret\r\nerin@contoso.example,,erin,ERIN_PW\r\nfrank@contoso.example,franklin@fabrikam.example,,\r\n' });
    assert.deepEqual(result.diagnostics.map((d) => `${d.code} ${d.range.start.line + 1}:${d.range.start.character + 1} ${d.message}`), []);
    assert.equal(result.plan.batches.reduce((n, b) => n + b.items.length, 0), 8);
  });
});

describe('rules on broken shapes', () => {
  const shapes = ['', '~', '42', '[1, 2]', 'batches: 5', 'endpoints: []\nbatches: [null, 1, {items: 3}, {items: [null, {source: 7}]}]', 'options: { folders: { map: [1, {from: 2}] }, dateRange: 3 }', 'identityMapping: { domains: [null], pairs: [{}] }'];
  for (const text of shapes) {
    it(`never throws on ${JSON.stringify(text)}`, () => {
      assert.doesNotThrow(() => run(text));
    });
  }

  it('never throws on any truncation or deleted line of the base plan', () => {
    const lines = BASE_PLAN.split('\n');
    for (let i = 0; i < lines.length; i++) run([...lines.slice(0, i), ...lines.slice(i + 1)].join('\n'));
    for (let n = 0; n < BASE_PLAN.length; n += 7) run(BASE_PLAN.slice(0, n));
  });
});
