// Quick fixes for the plan rules, each on a real plan text: the diagnostic is built by hand with
// the data its rule documents, the fix's edits are applied, and the result must parse with the
// new value where it belongs and the indentation of the rest of the document.
import * as assert from 'node:assert/strict';
import { parse, parseDocument } from 'yaml';
import { fixesFor, type PlanFix } from '../../../src/plan/fixes';
import { applyEdits } from '../../../src/plan/fixes/applyEdits';
import type { PlanDiagnostic } from '../../../src/plan/diagnostic';
import { PlanYaml, type PathSegment } from '../../../src/plan/yamlDocument';

export const FILE = '/plans/contoso/contoso.migration.yaml';
export const NOW = new Date('2026-11-21T12:00:00Z');

/** A finding at a YAML path, shaped as the rules report it (data.path joined by '.'). */
export function finding(text: string, code: string, path: string, data: Record<string, unknown> = {}, at: 'key' | 'value' = 'value'): PlanDiagnostic {
  const segments: PathSegment[] = path.split('.').map((s) => (/^\d+$/.test(s) ? Number(s) : s));
  return { file: FILE, range: new PlanYaml(text).rangeFor(segments, at), severity: 'error', code, message: code, data: { ...data, path } };
}

export function fixes(text: string, diagnostic: PlanDiagnostic, file = FILE): PlanFix[] {
  return fixesFor(text, diagnostic, { file, now: NOW });
}

/** Applies a fix and checks the result is YAML without errors. */
export function applied(text: string, fix: PlanFix | undefined): string {
  assert.ok(fix, 'expected a fix');
  const out = applyEdits(text, fix.edits);
  const doc = parseDocument(out);
  assert.deepEqual(doc.errors.map((e) => e.message), [], `the fixed plan does not parse:\n${out}`);
  return out;
}

const PLAN = `version: 1
project:
  name: Contoso to Fabrikam
endpoints:
  contoso-imap:
    type: imap
    host: imap.contoso.example
    auth:
      username: admin@contoso.example
      password: hunter2
  fabrikam:
    type: m365
    tenantId: fabrikam.onmicrosoft.com
    clientId: 11111111-2222-3333-4444-555555555555
    clientSecret: { secret: FABRIKAM_APP }
  google: { type: gmail, domain: contoso.example, auth: { username: a@contoso.example } }
  archive:
    type: maildir
    path: ./archive
source: contoso-imap
destination: fabrikm
batches:
  - name: Wave 1
    startAfter: 2026-12-09T20:00:00Z
    completeAfter: 2026-12-05T20:00:00Z
    items:
      - source: ann@contoso.example
        destination: ann@fabrikam.example
      - source: bob@contoso.example
        sourceAuth:
          username: bob@contoso.example
          password: { secret: BOB }
      - source: ann@contoso.example
  - name: "Wave 1"
    completeAfter: '2026-11-01T00:00:00Z'
    items:
      - source: carl@northwind.example
`;

describe('plan quick fixes: rules', () => {
  describe('makeBatchNameUnique (duplicateDisplayNameJob)', () => {
    it('renames to the suggestion, keeping the quotes', () => {
      const d = finding(PLAN, 'duplicateDisplayNameJob', 'batches.1.name', { name: 'Wave 1', suggestion: 'Wave 1 (2)' });
      const [fix] = fixes(PLAN, d);
      assert.equal(fix.title, "Rename the batch to 'Wave 1 (2)'");
      assert.equal(fix.isPreferred, true);
      const out = applied(PLAN, fix);
      assert.ok(out.includes('  - name: "Wave 1 (2)"\n'));
      assert.deepEqual(parse(out).batches.map((b: { name: string }) => b.name), ['Wave 1', 'Wave 1 (2)']);
    });

    it('finds a free name when the suggestion is taken (or missing)', () => {
      const text = PLAN.replace('  - name: Wave 1\n', '  - name: Wave 1\n    description: first\n  - name: wave 1 (2)\n    items: []\n  - name: Wave 1\n');
      const d = finding(text, 'duplicateDisplayNameJob', 'batches.2.name', { name: 'Wave 1', suggestion: 'Wave 1 (2)' });
      assert.equal(parse(applied(text, fixes(text, d)[0])).batches[2].name, 'Wave 1 (3)');
    });
  });

  describe('moveCompleteAfterToFuture (minThresholdFailed)', () => {
    it('sets the suggestion', () => {
      const d = finding(PLAN, 'minThresholdFailed', 'batches.1.completeAfter', { suggestion: '2026-11-22T12:00:00Z' });
      const [fix] = fixes(PLAN, d);
      assert.equal(fix.title, 'Set completeAfter to 2026-11-22T12:00:00Z');
      const out = applied(PLAN, fix);
      assert.ok(out.includes("    completeAfter: '2026-11-22T12:00:00Z'\n"), 'keeps the single quotes');
      assert.equal(parse(out).batches[1].completeAfter, '2026-11-22T12:00:00Z');
    });

    it('without a suggestion: one day from now, or a day after a later startAfter', () => {
      const d = finding(PLAN, 'minThresholdFailed', 'batches.1.completeAfter');
      assert.equal(parse(applied(PLAN, fixes(PLAN, { ...d, data: { path: 'batches.1.completeAfter' } })[0])).batches[1].completeAfter, '2026-11-22T12:00:00Z');
      const late = PLAN.replace("    completeAfter: '2026-11-01", "    startAfter: 2026-12-24T18:00:00Z\n    completeAfter: '2026-11-01");
      const d2 = finding(late, 'minThresholdFailed', 'batches.1.completeAfter');
      assert.equal(parse(applied(late, fixes(late, d2)[0])).batches[1].completeAfter, '2026-12-25T18:00:00Z');
    });
  });

  describe('removeDuplicateItem (CTM-001, CTM-002)', () => {
    it('removes the whole entry of the duplicate, whatever its lines', () => {
      const d = finding(PLAN, 'CTM-001', 'batches.0.items.2.source', { source: 'ann@contoso.example', firstLine: 27 });
      const [fix] = fixes(PLAN, d);
      assert.equal(fix.title, 'Remove the duplicate item ann@contoso.example');
      const out = applied(PLAN, fix);
      assert.deepEqual(parse(out).batches[0].items.map((i: { source: string }) => i.source), ['ann@contoso.example', 'bob@contoso.example']);
      assert.equal(out, PLAN.replace('      - source: ann@contoso.example\n  - name: "Wave 1"', '  - name: "Wave 1"'));
    });

    it('removes a multi-line entry in the middle', () => {
      const d = finding(PLAN, 'CTM-002', 'batches.0.items.1.source', { source: 'bob@contoso.example', otherBatch: 'Wave 0' });
      const out = applied(PLAN, fixes(PLAN, d)[0]);
      assert.deepEqual(parse(out).batches[0].items, [{ source: 'ann@contoso.example', destination: 'ann@fabrikam.example' }, { source: 'ann@contoso.example' }]);
    });

    it("the batch's only item leaves an empty list", () => {
      const d = finding(PLAN, 'CTM-002', 'batches.1.items.0.source', { source: 'carl@northwind.example', otherBatch: 'Wave 1' });
      const out = applied(PLAN, fixes(PLAN, d)[0]);
      assert.ok(out.endsWith("    completeAfter: '2026-11-01T00:00:00Z'\n    items: []\n"));
    });

    it('in a flow list', () => {
      const text = 'batches:\n  - name: a\n    items: [{ source: a@x.example }, { source: b@x.example }, { source: a@x.example }]\n';
      const d = finding(text, 'CTM-001', 'batches.0.items.2.source', { source: 'a@x.example' });
      assert.equal(applied(text, fixes(text, d)[0]), 'batches:\n  - name: a\n    items: [{ source: a@x.example }, { source: b@x.example }]\n');
    });

    it('a CSV finding deletes its line of the CSV file', () => {
      const csv = 'source,destination\nann@contoso.example,\nbob@contoso.example,\nann@contoso.example,\n';
      const d: PlanDiagnostic = { file: '/plans/contoso/wave2.csv', range: { start: { line: 3, character: 0 }, end: { line: 3, character: 20 } }, severity: 'error', code: 'CTM-001', message: '', data: { source: 'ann@contoso.example', firstLine: 2 } };
      const [fix] = fixes(csv, d, d.file);
      assert.equal(fix.title, 'Remove the duplicate item ann@contoso.example (line 4 of the CSV file)');
      assert.equal(applyEdits(csv, fix.edits), 'source,destination\nann@contoso.example,\nbob@contoso.example,\n');
      const noNewline = csv.trimEnd();
      assert.equal(applyEdits(noNewline, fixes(noNewline, d, d.file)[0].edits), 'source,destination\nann@contoso.example,\nbob@contoso.example,');
      // Offered from the plan's editor, the edit is the same whole line of the CSV.
      assert.deepEqual(fixes(PLAN, d)[0].edits, [{ range: { start: { line: 3, character: 0 }, end: { line: 4, character: 0 } }, newText: '' }]);
    });
  });

  describe('pickExistingEndpoint (EXCH-07, PLAN-027)', () => {
    it('one fix per endpoint, the most similar first', () => {
      const d = finding(PLAN, 'EXCH-07', 'destination', { name: 'fabrikm', available: ['contoso-imap', 'fabrikam', 'google', 'archive'] });
      const found = fixes(PLAN, d);
      assert.deepEqual(found.map((f) => f.title), ["Use endpoint 'fabrikam'", "Use endpoint 'archive'", "Use endpoint 'contoso-imap'"]);
      assert.equal(found[0].isPreferred, true);
      assert.equal(found[1].isPreferred, undefined);
      assert.equal(parse(applied(PLAN, found[0])).destination, 'fabrikam');
    });

    it('leaves out endpoints that cannot play the role (gmail is never a destination)', () => {
      const text = PLAN.replace('destination: fabrikm', 'destination: google');
      const d = finding(text, 'PLAN-027', 'destination', { name: 'google', type: 'gmail', role: 'destination' });
      assert.deepEqual(fixes(text, d).map((f) => f.title).sort(), ["Use endpoint 'archive'", "Use endpoint 'contoso-imap'", "Use endpoint 'fabrikam'"]);
    });

    it('at a batch override', () => {
      const text = PLAN.replace('  - name: Wave 1\n', '  - name: Wave 1\n    source: gogle\n');
      const d = finding(text, 'EXCH-07', 'batches.0.source', { name: 'gogle' });
      const [first] = fixes(text, d);
      assert.equal(first.title, "Use endpoint 'google'");
      assert.equal(parse(applied(text, first)).batches[0].source, 'google');
    });
  });

  describe('addIdentityRule (IM-003)', () => {
    const d = (text: string) => finding(text, 'IM-003', 'batches.1.items.0.source', { source: 'carl@northwind.example', domain: 'northwind.example' });

    it('creates identityMapping before batches, guessing the destination domain from other items', () => {
      const [rule, destination] = fixes(PLAN, d(PLAN));
      assert.equal(rule.title, 'Add the identity rule northwind.example → fabrikam.example');
      const out = applied(PLAN, rule);
      assert.ok(out.includes('destination: fabrikm\nidentityMapping:\n  domains:\n    - from: northwind.example\n      to: fabrikam.example\nbatches:\n'));
      assert.deepEqual(parse(out).identityMapping, { domains: [{ from: 'northwind.example', to: 'fabrikam.example' }] });
      assert.equal(destination.title, 'Add destination: carl@fabrikam.example to the item');
      assert.deepEqual(parse(applied(PLAN, destination)).batches[1].items[0], { source: 'carl@northwind.example', destination: 'carl@fabrikam.example' });
    });

    it('appends to an existing block list of domain rules', () => {
      const text = PLAN.replace('batches:\n', 'identityMapping:\n  lowercase: true\n  domains:\n  - from: contoso.example\n    to: fabrikam.example\nbatches:\n');
      const out = applied(text, fixes(text, d(text))[0]);
      assert.ok(out.includes('  domains:\n  - from: contoso.example\n    to: fabrikam.example\n  - from: northwind.example\n    to: fabrikam.example\nbatches:'));
    });

    it('appends to a flow list, and adds domains to a mapping that has only pairs', () => {
      const flow = PLAN.replace('batches:\n', 'identityMapping:\n  domains: [{ from: contoso.example, to: fabrikam.example }]\nbatches:\n');
      assert.deepEqual(parse(applied(flow, fixes(flow, d(flow))[0])).identityMapping.domains[1], { from: 'northwind.example', to: 'fabrikam.example' });
      const pairs = PLAN.replace('batches:\n', 'identityMapping:\n  pairs:\n    - { source: x@contoso.example, destination: y@fabrikam.example }\nbatches:\n');
      const out = applied(pairs, fixes(pairs, d(pairs))[0]);
      assert.deepEqual(parse(out).identityMapping.domains, [{ from: 'northwind.example', to: 'fabrikam.example' }]);
      assert.equal(parse(out).identityMapping.pairs.length, 1);
    });

    it('an empty identityMapping gets its domains below it', () => {
      const text = PLAN.replace('batches:\n', 'identityMapping:\nbatches:\n');
      assert.deepEqual(parse(applied(text, fixes(text, d(text))[0])).identityMapping, { domains: [{ from: 'northwind.example', to: 'fabrikam.example' }] });
    });

    it('TODO.example when nothing in the plan says where mail goes', () => {
      const text = 'version: 1\nbatches:\n- name: a\n  items:\n  - source: carl@northwind.example\n';
      const diagnostic = finding(text, 'IM-003', 'batches.0.items.0.source', { source: 'carl@northwind.example', domain: 'northwind.example' });
      const [rule, destination] = fixes(text, diagnostic);
      assert.equal(rule.isPreferred, false);
      assert.equal(applied(text, rule), 'version: 1\nidentityMapping:\n  domains:\n  - from: northwind.example\n    to: TODO.example\nbatches:\n- name: a\n  items:\n  - source: carl@northwind.example\n');
      assert.equal(applied(text, destination), 'version: 1\nbatches:\n- name: a\n  items:\n  - source: carl@northwind.example\n    destination: carl@TODO.example\n');
    });

    it('an item written as a flow map gets its destination inside the braces', () => {
      const text = 'batches:\n  - name: a\n    items:\n      - { source: carl@northwind.example }\n';
      const diagnostic = finding(text, 'IM-003', 'batches.0.items.0.source', { source: 'carl@northwind.example', domain: 'northwind.example' });
      assert.equal(applied(text, fixes(text, diagnostic)[1]), 'batches:\n  - name: a\n    items:\n      - { source: carl@northwind.example, destination: carl@TODO.example }\n');
    });
  });

  describe('moveSecretToStorage (PLAN-020)', () => {
    it('puts a reference in place of the value and stores the value with ferry.setSecret', () => {
      const d = finding(PLAN, 'PLAN-020', 'endpoints.contoso-imap.auth.password', { suggestedName: 'CONTOSO_IMAP_PASSWORD' });
      const [fix] = fixes(PLAN, d);
      assert.equal(fix.title, "Move the secret to secret storage as 'CONTOSO_IMAP_PASSWORD'");
      assert.deepEqual(fix.command, { command: 'ferry.setSecret', title: 'Store secret CONTOSO_IMAP_PASSWORD', arguments: ['CONTOSO_IMAP_PASSWORD', 'hunter2'] });
      const out = applied(PLAN, fix);
      assert.ok(out.includes('      password: { secret: CONTOSO_IMAP_PASSWORD }\n'));
      assert.deepEqual(parse(out).endpoints['contoso-imap'].auth, { username: 'admin@contoso.example', password: { secret: 'CONTOSO_IMAP_PASSWORD' } });
    });

    it('inside a flow map, a quoted value, and a name derived from the place', () => {
      const text = 'endpoints:\n  old-imap:\n    type: imap\n    host: h\n    auth: { username: a, password: "p@ss, word" }\n';
      const d = finding(text, 'PLAN-020', 'endpoints.old-imap.auth.password');
      const [fix] = fixes(text, d);
      assert.deepEqual(fix.command?.arguments, ['OLD_IMAP_PASSWORD', 'p@ss, word']);
      assert.deepEqual(parse(applied(text, fix)).endpoints['old-imap'].auth, { username: 'a', password: { secret: 'OLD_IMAP_PASSWORD' } });
    });

    it('a multi-line (block scalar) value', () => {
      const text = 'endpoints:\n  t:\n    type: m365\n    clientSecret: |\n      s3cr3t\n    tenantId: x.example\n';
      const d = finding(text, 'PLAN-020', 'endpoints.t.clientSecret', { suggestedName: 'T_CLIENT_SECRET' });
      const [fix] = fixes(text, d);
      assert.equal(fix.command?.arguments[1], 's3cr3t\n');
      assert.equal(applied(text, fix), 'endpoints:\n  t:\n    type: m365\n    clientSecret: { secret: T_CLIENT_SECRET }\n    tenantId: x.example\n');
    });
  });

  describe('swapSchedule (PLAN-026)', () => {
    it('swaps the two times of the batch', () => {
      const d = finding(PLAN, 'PLAN-026', 'batches.0.startAfter', { startAfter: '2026-12-09T20:00:00Z', completeAfter: '2026-12-05T20:00:00Z' });
      const batch = parse(applied(PLAN, fixes(PLAN, d)[0])).batches[0];
      assert.equal(batch.startAfter, '2026-12-05T20:00:00Z');
      assert.equal(batch.completeAfter, '2026-12-09T20:00:00Z');
    });
  });

  describe('removeUnusedEndpoint (PLAN-030)', () => {
    it('removes a block endpoint with all its lines', () => {
      const d = finding(PLAN, 'PLAN-030', 'endpoints.fabrikam', { name: 'fabrikam' }, 'key');
      const [fix] = fixes(PLAN, d);
      assert.equal(fix.title, "Remove the unused endpoint 'fabrikam'");
      const out = applied(PLAN, fix);
      assert.deepEqual(Object.keys(parse(out).endpoints), ['contoso-imap', 'google', 'archive']);
      assert.ok(out.includes('      password: hunter2\n  google: {'));
    });

    it('removes a one-line endpoint, and the last one', () => {
      assert.deepEqual(Object.keys(parse(applied(PLAN, fixes(PLAN, finding(PLAN, 'PLAN-030', 'endpoints.google', {}, 'key'))[0])).endpoints), ['contoso-imap', 'fabrikam', 'archive']);
      const out = applied(PLAN, fixes(PLAN, finding(PLAN, 'PLAN-030', 'endpoints.archive', {}, 'key'))[0]);
      assert.ok(out.includes('google: { type: gmail, domain: contoso.example, auth: { username: a@contoso.example } }\nsource: contoso-imap\n'));
    });

    it('an endpoint whose name has dots', () => {
      const text = 'endpoints:\n  mail.contoso.example:\n    type: maildir\n    path: x\n  b: { type: maildir, path: y }\n';
      const out = applied(text, fixes(text, finding(text, 'PLAN-030', 'endpoints.mail.contoso.example', {}, 'key'))[0]);
      assert.equal(out, 'endpoints:\n  b: { type: maildir, path: y }\n');
    });
  });

  describe('createItemsFile (PLAN-022, PLAN-031)', () => {
    it('is a command with the absolute path of the CSV file, not an edit', () => {
      const text = 'batches:\n  - name: Wave 2\n    itemsFile: waves/wave2.csv\n';
      const [fix] = fixes(text, finding(text, 'PLAN-022', 'batches.0.itemsFile', { path: 'waves/wave2.csv' }));
      assert.deepEqual(fix.edits, []);
      assert.deepEqual(fix.command, { command: 'ferry.createItemsFile', title: 'Create the items file', arguments: ['/plans/contoso/waves/wave2.csv'] });
    });

    it('for an empty batch also names the new file in the plan', () => {
      const text = 'batches:\n  - name: Wave 3\n    items: []\n';
      const found = fixes(text, finding(text, 'PLAN-031', 'batches.0.name'));
      const create = found.find((f) => f.command);
      assert.ok(create);
      assert.equal(parse(applied(text, create)).batches[0].itemsFile, 'wave-3.csv');
      assert.deepEqual(create.command?.arguments, ['/plans/contoso/wave-3.csv']);
      const remove = found.find((f) => f.title.startsWith('Remove the empty batch'));
      assert.equal(applied(text, remove), 'batches: []\n');
    });
  });

  it('no fixes for a code without plan edits, and none that throw on nonsense', () => {
    assert.deepEqual(fixes(PLAN, finding(PLAN, 'PLAN-021', 'project.name')), []);
    assert.deepEqual(fixes(PLAN, finding(PLAN, 'CTM-001', 'project.name')), []);
    assert.deepEqual(fixes('{{{', { file: FILE, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, severity: 'error', code: 'PLAN-026', message: '' }), []);
  });
});
