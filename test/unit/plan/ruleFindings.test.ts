// What the quick fixes read from the rules' findings: exact ranges and the data they carry.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { PlanDiagnostic } from '../../../src/plan/diagnostic';
import { BASE_CSV, BASE_PLAN, PLAN_DIR, PLAN_FILE, covered, edit, run, type Files } from './planTestUtil';

function only(code: string, text: string, files?: Files): { d: PlanDiagnostic; text: string } {
  const result = run(text, files);
  const matching = result.diagnostics.filter((d) => d.code === code);
  assert.equal(matching.length, 1, `one ${code} in ${JSON.stringify(result.diagnostics.map((d) => d.code))}`);
  return { d: matching[0], text };
}

const range = (d: PlanDiagnostic) => [d.range.start.line + 1, d.range.start.character + 1, d.range.end.line + 1, d.range.end.character + 1];

describe('rule findings: ranges and data', () => {
  it('PLAN-020 on an endpoint password underlines the value and suggests a name', () => {
    const { d, text } = only('PLAN-020', edit(BASE_PLAN, 'password: { secret: CONTOSO_IMAP }', 'password: "hunter2"'));
    assert.deepEqual(range(d), [13, 17, 13, 26]);
    assert.equal(covered(text, d), '"hunter2"');
    assert.equal(d.severity, 'error');
    assert.deepEqual(d.data, { path: 'endpoints.contoso-imap.auth.password', suggestedName: 'CONTOSO_IMAP_PASSWORD' });
  });

  it('PLAN-020 on an item password names the mailbox and the side', () => {
    const text = edit(BASE_PLAN, '        destination: robert@fabrikam.example\n', '        destination: robert@fabrikam.example\n        destinationAuth:\n          username: robert\n          password: pa55\n');
    const { d } = only('PLAN-020', text);
    assert.deepEqual(d.data, { path: 'batches.0.items.1.destinationAuth.password', suggestedName: 'BOB_CONTOSO_EXAMPLE_DESTINATION_PASSWORD' });
    assert.equal(covered(text, d), 'pa55');
  });

  it('PLAN-020 never suggests a name another reference already uses', () => {
    const text = edit(edit(BASE_PLAN, 'password: { secret: CONTOSO_IMAP }', 'password: hunter2'), 'clientSecret: { secret: FABRIKAM_APP }', 'clientSecret: { secret: contoso_imap_password }');
    assert.equal(only('PLAN-020', text).d.data?.suggestedName, 'CONTOSO_IMAP_PASSWORD_2');
  });

  it('PLAN-039 points at the name and suggests a valid one', () => {
    const text = edit(BASE_PLAN, 'password: { secret: CONTOSO_IMAP }', 'password: { secret: "contoso imap!" }');
    const { d } = only('PLAN-039', text);
    assert.equal(covered(text, d), '"contoso imap!"');
    assert.deepEqual(d.data, { path: 'endpoints.contoso-imap.auth.password.secret', name: 'contoso imap!', suggestedName: 'CONTOSO_IMAP' });
  });

  it('EXCH-07 underlines the name and lists the endpoints to pick from', () => {
    const text = edit(BASE_PLAN, 'destination: fabrikam\n', 'destination: fabrikm\n');
    const { d } = only('EXCH-07', text);
    assert.deepEqual(range(d), [20, 14, 20, 21]);
    assert.deepEqual(d.data, { path: 'destination', name: 'fabrikm', role: 'destination', available: ['fabrikam', 'contoso-imap'] });
  });

  it('PLAN-027 offers only endpoints that can play the role', () => {
    const text = edit(
      edit(BASE_PLAN, 'source: contoso-imap', '  google:\n    type: gmail\n    domain: contoso.example\n    serviceAccount: { clientEmail: sa@contoso.example, privateKey: { secret: G } }\nsource: contoso-imap'),
      'destination: fabrikam\n',
      'destination: google\n',
    );
    const { d } = only('PLAN-027', text);
    assert.deepEqual(d.data, { path: 'destination', name: 'google', type: 'gmail', role: 'destination', available: ['contoso-imap', 'fabrikam'] });
  });

  it('PLAN-031 suggests an items file named after the batch', () => {
    const { d } = only('PLAN-031', edit(BASE_PLAN, '  - name: Wave 2\n    itemsFile: wave2.csv\n', '  - name: Wave 2 - Sales\n'));
    assert.deepEqual(d.data, { path: 'batches.1.name', batch: 'Wave 2 - Sales', suggestedItemsFile: 'wave-2-sales.csv' });
  });

  it('PLAN-035 recommends 5, or less when the link carries less', () => {
    const at = (mbps: string) => only('PLAN-035', edit(BASE_PLAN, 'maxConcurrentMigrations: 5', `maxConcurrentMigrations: 30\n  bandwidthMbps: ${mbps}`)).d.data;
    assert.deepEqual(at('4'), { path: 'options.maxConcurrentMigrations', capacity: 12, recommended: 5 });
    assert.deepEqual(at('1'), { path: 'options.maxConcurrentMigrations', capacity: 3, recommended: 3 });
  });

  it('PLAN-030 underlines the endpoint key only', () => {
    const text = edit(BASE_PLAN, 'source: contoso-imap', '  old-archive:\n    type: maildir\n    path: ./archive\nsource: contoso-imap');
    const { d } = only('PLAN-030', text);
    assert.deepEqual(range(d), [19, 3, 19, 14]);
    assert.equal(d.severity, 'hint');
    assert.equal(d.data?.name, 'old-archive');
  });

  it('CTM-001 underlines the second source and tells the first line', () => {
    const text = edit(BASE_PLAN, '        destination: robert@fabrikam.example\n', '        destination: robert@fabrikam.example\n      - source: ANN@Contoso.example\n');
    const { d } = only('CTM-001', text);
    assert.equal(covered(text, d), 'ANN@Contoso.example');
    assert.equal(d.data?.firstLine, 40);
    assert.equal(d.data?.path, 'batches.0.items.2.source');
  });

  it('a CSV finding is in the CSV file and covers its line', () => {
    const { d } = only('CTM-001', BASE_PLAN, { 'wave2.csv': `${BASE_CSV}Carol@contoso.example,\n` });
    assert.equal(d.file, path.join(PLAN_DIR, 'wave2.csv'));
    assert.deepEqual(d.range, { start: { line: 3, character: 0 }, end: { line: 3, character: 22 } });
    assert.equal(d.data?.path, undefined);
  });

  it('a mailbox typed into a batch that is already in a CSV is flagged where it was typed, the CSV line as related information', () => {
    const text = edit(BASE_PLAN, '      - source: ann@contoso.example\n', '      - source: ann@contoso.example\n      - source: carol@contoso.example\n');
    const { d } = only('CTM-002', text);
    assert.equal(d.file, PLAN_FILE);
    assert.equal(covered(text, d), 'carol@contoso.example');
    assert.equal(d.data?.otherBatch, 'Wave 2');
    assert.deepEqual(d.related?.map((r) => [path.basename(r.file), r.range.start.line + 1]), [['wave2.csv', 2]]);
    assert.match(d.related?.[0].message ?? '', /carol@contoso\.example is first listed here, in batch "Wave 2"/);
  });

  it('a mailbox typed into a later batch of the plan is flagged there, not on the first', () => {
    const text = edit(BASE_PLAN, '    itemsFile: wave2.csv', '    itemsFile: wave2.csv\n    items:\n      - source: ann@contoso.example');
    const { d } = only('CTM-002', text);
    assert.equal(d.range.start.line + 1, text.split('\n').findIndex((l) => l.includes('itemsFile')) + 3);
    assert.equal(d.related?.[0].range.start.line, text.split('\n').findIndex((l) => l.includes('- source: ann')));
  });

  it('PLAN-051 (completeAfter already past) suggests tomorrow at the same time of day, in the same zone', () => {
    const text = edit(edit(BASE_PLAN, 'startAfter: 2026-12-01T20:00:00Z', 'startAfter: 2026-10-01T20:00:00Z'), 'completeAfter: 2026-12-05T20:00:00Z', 'completeAfter: 2026-11-01T20:30:00+01:00');
    const { d } = only('PLAN-051', text);
    assert.equal(covered(text, d), '2026-11-01T20:30:00+01:00');
    assert.equal(d.data?.suggestion, '2026-11-22T20:30:00+01:00');
  });

  it('PLAN-026 underlines startAfter and carries both times for the swap', () => {
    const text = edit(BASE_PLAN, 'startAfter: 2026-12-01T20:00:00Z', 'startAfter: 2026-12-09T20:00:00Z');
    const { d } = only('PLAN-026', text);
    assert.equal(covered(text, d), '2026-12-09T20:00:00Z');
    assert.deepEqual(d.data, { path: 'batches.0.startAfter', startAfter: '2026-12-09T20:00:00Z', completeAfter: '2026-12-05T20:00:00Z' });
  });

  it('IM-003 carries the source and its domain for the add-identity-rule fix', () => {
    const { d } = only('IM-003', edit(BASE_PLAN, '- source: ann@contoso.example', '- source: Ann@Northwind.example'));
    assert.deepEqual(d.data, { path: 'batches.0.items.0.source', source: 'Ann@Northwind.example', domain: 'northwind.example' });
  });

  it('PLAN-022 carries the relative and absolute path for the create-file fix', () => {
    const { d } = only('PLAN-022', BASE_PLAN, {});
    assert.deepEqual(d.data, { path: 'wave2.csv', absolute: path.join(PLAN_DIR, 'wave2.csv') });
  });

  it('PLAN-002 replaces the schema enum error at version', () => {
    const result = run(edit(BASE_PLAN, 'version: 1', 'version: 3'));
    assert.deepEqual(result.diagnostics.map((d) => [d.code, d.data?.path]), [['PLAN-002', 'version']]);
  });

  it('a rule finding on a parent does not hide the schema errors inside it', () => {
    // PLAN-030 sits on the endpoint key; the missing path inside it is still reported.
    const result = run(edit(BASE_PLAN, 'source: contoso-imap', '  old-archive:\n    type: maildir\nsource: contoso-imap'));
    assert.deepEqual(result.diagnostics.map((d) => d.code).sort(), ['PLAN-010', 'PLAN-030']);
  });

  it('diagnostics are in the plan file unless they are about a CSV line', () => {
    const result = run(BASE_PLAN, { 'wave2.csv': `${BASE_CSV}Carol@contoso.example,\nbad\n` });
    assert.ok(result.diagnostics.length >= 2);
    for (const d of result.diagnostics) assert.equal(d.file, path.join(PLAN_DIR, 'wave2.csv'));
    assert.ok(!result.diagnostics.some((d) => d.file === PLAN_FILE));
  });
});

describe('rule findings: messages read as sentences', () => {
  const messages: [string, string, string, Files | undefined][] = [
    ['PLAN-021', edit(BASE_PLAN, 'owner: ops@fabrikam.example', 'owner: ops@fabrikam'), "'ops@fabrikam' in project.owner is not a valid email address.", undefined],
    ['PLAN-025', edit(BASE_PLAN, "to: 'Old Archive/$1'", "to: 'Old Archive/$2'"), "Regular expression '^Archive/(.*)$' cannot be used: the replacement uses $2 but the expression has 1 capture group", undefined],
    [
      'PLAN-028',
      edit(edit(BASE_PLAN, '  - name: Wave 1\n', '  - name: Wave 1\n    destination: contoso-imap\n'), 'destination: robert@fabrikam.example', 'destination: bob@contoso.example'),
      "Item 'bob@contoso.example' migrates into itself: source and destination are the same mailbox on endpoint 'contoso-imap'.",
      undefined,
    ],
    ['PLAN-029', edit(BASE_PLAN, 'destination: robert@fabrikam.example', 'destination: ann@fabrikam.example'), "Items 'ann@contoso.example' (at line 40) and 'bob@contoso.example' both migrate into 'ann@fabrikam.example'.", undefined],
    ['PLAN-031', edit(BASE_PLAN, '    itemsFile: wave2.csv\n', ''), "Batch 'Wave 2' has no items: it has neither items nor itemsFile.", undefined],
    ['PLAN-031', BASE_PLAN, "Batch 'Wave 2' has no items: its items file wave2.csv has no usable rows.", { 'wave2.csv': 'source\n' }],
    [
      'PLAN-035',
      edit(BASE_PLAN, 'maxConcurrentMigrations: 5', 'maxConcurrentMigrations: 20\n  bandwidthMbps: 2'),
      'maxConcurrentMigrations is 20, above the 6 mailboxes that 2 Mbps of bandwidth carries by the rule of thumb of 3 mailboxes per 1 Mbps.',
      undefined,
    ],
    ['PLAN-037', edit(BASE_PLAN, 'startAfter: 2026-12-01T20:00:00Z', 'startAfter: 2026-12-01T20:00'), "batches.0.startAfter: '2026-12-01T20:00' is not an ISO 8601 date-time with a time zone, e.g. 2026-12-05T20:00:00Z.", undefined],
    ['PLAN-002', edit(BASE_PLAN, 'version: 1', 'version: 2'), 'Plan version 2 is not supported; this Ferry reads version 1.', undefined],
  ];
  for (const [code, text, message, files] of messages) {
    it(`${code}: ${message}`, () => assert.equal(only(code, text, files).d.message, message));
  }
});
