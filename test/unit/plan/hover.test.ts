// Hover in plans: schema documentation for keys and values, and the catalog's explanation of a
// finding under the cursor.
import * as assert from 'node:assert/strict';
import { argsFromMessage, hoverPlan } from '../../../src/plan/hover';
import type { PlanDiagnostic } from '../../../src/plan/diagnostic';
import { withCursor } from './completionContext.test';

const PLAN = `version: 1
endpoints:
  contoso-imap:
    type: imap
    host: imap.contoso.example
    security: starttls
    auth: { username: admin, password: { secret: CONTOSO } }
source: contoso-imap
destination: fabrikm
options:
  itemTypes: [mail, calendar]
batches:
  - name: Wave 1
    items:
      - source: ann@contoso.example
`;

function hover(marked: string, diagnostics: PlanDiagnostic[] = []) {
  const { text, position } = withCursor(marked);
  return hoverPlan(text, position, diagnostics);
}

/** The plan with ‸ inserted at the n-th occurrence of `at` plus `offset` characters. */
function mark(at: string, offset = 1): string {
  const i = PLAN.indexOf(at);
  assert.ok(i >= 0, at);
  return PLAN.slice(0, i + offset) + '‸' + PLAN.slice(i + offset);
}

describe('plan hover', () => {
  it('a key: its markdownDescription, type and whether it is required', () => {
    const h = hover(mark('host:'));
    assert.ok(h);
    assert.match(h.contents, /^\*\*host\*\* \(required\): string/);
    assert.match(h.contents, /Server host name or address\./);
    assert.deepEqual(h.range, { start: { line: 4, character: 4 }, end: { line: 4, character: 8 } });
  });

  it('an enum value: what it means, then the property, allowed values and default', () => {
    const h = hover(mark('starttls', 3));
    assert.ok(h);
    assert.match(h.contents, /^`starttls`: Plain connection upgraded with STARTTLS \(port 143\)/);
    assert.match(h.contents, /Transport security/);
    assert.match(h.contents, /Default: `tls`/);
    assert.deepEqual(h.range, { start: { line: 5, character: 14 }, end: { line: 5, character: 22 } });
  });

  it('a key whose documentation comes through $ref (and the branch the endpoint type selects)', () => {
    assert.match(hover(mark('auth:'))?.contents ?? '', /\*\*auth\*\*: object\n\nCredentials:/);
    assert.match(hover(mark('secret:', 2))?.contents ?? '', /Name of the secret/);
  });

  it('an endpoint name under endpoints', () => {
    assert.match(hover(mark('contoso-imap:', 3))?.contents ?? '', /^\*\*contoso-imap\*\*: endpoint of type `imap`/);
  });

  it('an endpoint reference: the endpoint it names, or that none has that name', () => {
    assert.match(hover(mark('source: contoso', 10))?.contents ?? '', /^Endpoint `contoso-imap` of type `imap` \(the source\)\./);
    assert.match(hover(mark('fabrikm', 2))?.contents ?? '', /^No endpoint named `fabrikm` is defined/);
  });

  it('a list entry of an enum list', () => {
    assert.match(hover(mark('calendar]', 2))?.contents ?? '', /^`calendar`: Calendar items/);
  });

  it('keys of list entries', () => {
    assert.match(hover(mark('name: Wave', 2))?.contents ?? '', /Unique batch name/);
    assert.match(hover(mark('source: ann', 2))?.contents ?? '', /^\*\*source\*\* \(required\): string\n\nSource mailbox address\./);
  });

  it('nothing on blank space, comments or unknown keys', () => {
    assert.equal(hover('version: 1\n‸\n'), undefined);
    assert.equal(hover('version: 1 # the ‸format\n'), undefined);
    assert.equal(hover('vers‸ionx: 1\n'), undefined);
  });

  it("a finding under the cursor adds the catalog's explanation, with the message's values", () => {
    const diagnostic: PlanDiagnostic = {
      file: '/p.migration.yaml',
      range: { start: { line: 8, character: 13 }, end: { line: 8, character: 20 } },
      severity: 'error',
      code: 'EXCH-07',
      message: 'No valid migration endpoints for the remote tenant.',
    };
    const h = hover(mark('fabrikm', 3), [diagnostic]);
    assert.ok(h);
    const [schemaPart, catalogPart] = h.contents.split('\n\n---\n\n');
    assert.match(schemaPart, /No endpoint named `fabrikm`/);
    assert.match(catalogPart, /^\*\*EXCH-07: /);
    assert.match(catalogPart, /\*\*What to do:\*\*/);
    assert.match(catalogPart, /Quick fix: Use endpoint 'contoso-imap'/);
  });

  it('lists only the fixes the quick-fix menu offers, in the plan\'s words (no API wording, no orchestration article outside orchestrated plans)', () => {
    const text = `${PLAN}  - name: Wave 1\n    items:\n      - source: bob@contoso.example\n`;
    const line = text.split('\n').lastIndexOf('  - name: Wave 1');
    const d: PlanDiagnostic = { file: '/p.migration.yaml', range: { start: { line, character: 10 }, end: { line, character: 16 } }, severity: 'error', code: 'duplicateDisplayNameJob', message: 'Batch name "Wave 1" is used by another batch too.', data: { path: 'batches.1.name', name: 'Wave 1', suggestion: 'Wave 1 (2)' } };
    const h = hoverPlan(text, { line, character: 12 }, [d]);
    const contents = h?.contents ?? '';
    assert.match(contents, /Quick fix: Rename the batch to 'Wave 1 \(2\)'/);
    assert.doesNotMatch(contents, /HTTP 422|displayName|orchestrated migration|Resubmit/);
    const orchestrated = text.replace('    items:\n      - source: bob', '    orchestrated: true\n    items:\n      - source: bob');
    assert.match(hoverPlan(orchestrated, { line, character: 12 }, [d])?.contents ?? '', /HTTP 422[\s\S]*Resolve errors during orchestrated migration/);
  });

  it('promises no quick fix that is not offered', () => {
    const d: PlanDiagnostic = { file: '/p.migration.yaml', range: { start: { line: 4, character: 4 }, end: { line: 4, character: 8 } }, severity: 'error', code: 'PLAN-012', message: 'Invalid value at endpoints.contoso-imap.host: must be a value of type string.' };
    const contents = hoverPlan(PLAN, { line: 4, character: 5 }, [d])?.contents ?? '';
    assert.match(contents, /PLAN-012/);
    assert.doesNotMatch(contents, /Quick fix/);
  });

  it('a finding alone (no schema documentation there) still hovers, over its own range', () => {
    const diagnostic: PlanDiagnostic = {
      file: '/p.migration.yaml',
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 10 } },
      severity: 'error',
      code: 'PLAN-011',
      message: "Unknown property 'versionx' in the project.",
    };
    const h = hover('vers‸ionx: 1\n', [diagnostic]);
    assert.ok(h);
    assert.deepEqual(h.range, diagnostic.range);
    assert.match(h.contents, /^\*\*PLAN-011: Unknown property\*\*/);
    assert.match(h.contents, /> Unknown property 'versionx' in the project\./);
  });

  it('findings elsewhere are left out', () => {
    const far: PlanDiagnostic = { file: '/p', range: { start: { line: 12, character: 0 }, end: { line: 12, character: 5 } }, severity: 'error', code: 'PLAN-011', message: 'x' };
    assert.doesNotMatch(hover(mark('host:'), [far])?.contents ?? '', /PLAN-011/);
  });

  it('reads the arguments back from a message', () => {
    assert.deepEqual(argsFromMessage('PLAN-011', "Unknown property 'hots' in endpoints.a."), ['hots', 'endpoints.a']);
    assert.equal(argsFromMessage('PLAN-011', 'something else'), undefined);
  });
});
