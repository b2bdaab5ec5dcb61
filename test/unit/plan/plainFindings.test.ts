// Issue 14: findings in the operator's words, at the place the problem starts. A broken parse is
// reported at the unclosed quote and nothing else is judged; a mis-indented key says where it
// belongs and the quick fix moves it there; a duplicate batch name points at the first.
import * as assert from 'node:assert/strict';
import { BASE_PLAN, PLAN_FILE, NOW, covered, edit, found, run } from './planTestUtil';
import { fixesFor, offeredFixes } from '../../../src/plan/fixes';
import { applyEdits } from '../../../src/plan/fixes/applyEdits';

const fixContext = { file: PLAN_FILE, now: NOW };

describe('plan findings in plain words', () => {
  it('an unclosed quote is reported at the quote, and a document that did not parse gets no other finding', () => {
    const text = edit(BASE_PLAN, '  - name: Wave 1\n', '  - name: "Wave 1\n');
    const line = text.split('\n').indexOf('  - name: "Wave 1') + 1;
    const { diagnostics } = run(text);
    assert.deepEqual(found(diagnostics), [['PLAN-001', line, 11]]);
    assert.match(diagnostics[0].message, /the quote " opened on line \d+ is never closed/);
    assert.equal(covered(text, diagnostics[0]), '"Wave 1');
  });

  it("an unclosed single quote inside the endpoints is reported at the quote too", () => {
    const text = edit(BASE_PLAN, '    host: imap.contoso.example', "    host: 'imap.contoso.example");
    const { diagnostics } = run(text);
    assert.deepEqual(diagnostics.map((d) => [d.code, d.range.start.line + 1]), [['PLAN-001', text.split('\n').findIndex((l) => l.includes("host: 'imap")) + 1]]);
    assert.match(diagnostics[0].message, /the quote ' opened on line \d+ is never closed/);
  });

  it('a key indented as an endpoint says where it belongs, and the quick fix indents it there', () => {
    const text = edit(BASE_PLAN, '      password: { secret: CONTOSO_IMAP }\n', '      password: { secret: CONTOSO_IMAP }\n  maxConnections: 4\n');
    const { diagnostics } = run(text);
    assert.deepEqual(diagnostics.map((d) => [d.code, d.message]), [['PLAN-054', "'maxConnections' is not a property of 'endpoints': did you mean to indent it under 'contoso-imap'?"]]);
    assert.equal(covered(text, diagnostics[0]), 'maxConnections');
    const fixes = fixesFor(text, diagnostics[0], fixContext);
    assert.deepEqual(fixes.map((f) => f.title), ["Indent 'maxConnections' under 'contoso-imap'"]);
    const fixed = applyEdits(text, fixes[0].edits);
    assert.ok(fixed.includes('      password: { secret: CONTOSO_IMAP }\n    maxConnections: 4\n'));
    assert.deepEqual(run(fixed).diagnostics, []);
  });

  it('a key indented one level too deep is moved out to the map that knows it', () => {
    const text = edit(BASE_PLAN, '  maxConcurrentMigrations: 5\n', '').replace("        to: 'Old Archive/$1'\n", () => "        to: 'Old Archive/$1'\n    maxConcurrentMigrations: 5\n");
    const { diagnostics } = run(text);
    assert.deepEqual(diagnostics.map((d) => [d.code, d.message]), [['PLAN-054', "'maxConcurrentMigrations' is not a property of 'options.folders': did you mean to move it out to 'options'?"]]);
    const fixed = applyEdits(text, fixesFor(text, diagnostics[0], fixContext)[0].edits);
    assert.deepEqual(run(fixed).diagnostics, []);
  });

  it('a duplicate batch name is flagged on the second with the first as related information and a rename', () => {
    const text = edit(BASE_PLAN, '  - name: Wave 2\n', '  - name: Wave 1\n');
    const { diagnostics } = run(text);
    const d = diagnostics.find((x) => x.code === 'duplicateDisplayNameJob');
    assert.ok(d);
    assert.equal(d.message, 'Batch name "Wave 1" is used by another batch too. Each batch needs its own name: the Ferry view, reports and --batch tell batches apart by name.');
    assert.equal(d.related?.[0].range.start.line, text.split('\n').indexOf('  - name: Wave 1'));
    assert.deepEqual(fixesFor(text, d, fixContext).map((f) => f.title), ["Rename the batch to 'Wave 1 (2)'"]);
  });

  it('the quick-fix menu offers orchestration articles only in a plan with orchestrated batches', () => {
    const text = edit(BASE_PLAN, '  - name: Wave 2\n', '  - name: Wave 1\n');
    const d = run(text).diagnostics.find((x) => x.code === 'duplicateDisplayNameJob')!;
    const plain = offeredFixes(text, d, fixContext);
    assert.deepEqual(plain.actions, []);
    assert.equal(plain.orchestrated, false);
    const orchestrated = edit(text, '    itemsFile: wave2.csv', '    orchestrated: true\n    itemsFile: wave2.csv');
    const offered = offeredFixes(orchestrated, d, fixContext);
    assert.ok(offered.actions.some((a) => a.title === 'Resolve errors during orchestrated migration'));
  });
});
