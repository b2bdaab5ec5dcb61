// Validate → fix → validate: on the shared valid base plan with one mistake, the finding the rules
// really report gets a fix whose edits make that finding go away without adding new errors.
import * as assert from 'node:assert/strict';
import { fixesFor } from '../../../src/plan/fixes';
import { applyEdits } from '../../../src/plan/fixes/applyEdits';
import { BASE_PLAN, NOW, PLAN_FILE, edit, run } from './planTestUtil';

interface Case {
  name: string;
  edits: [string, string][];
  code: string;
  /** The fix to take, by title; the preferred (else the first) one when not given. */
  title?: RegExp;
  /** Errors the fix may leave for the operator (an added property still needs its value). */
  expectNew?: string[];
}

const cases: Case[] = [
  { name: 'duplicate batch name', edits: [['- name: Wave 2', '- name: wave 1']], code: 'duplicateDisplayNameJob' },
  { name: 'completeAfter in the past', edits: [['startAfter: 2026-12-01T20:00:00Z', 'startAfter: 2026-10-01T20:00:00Z'], ['completeAfter: 2026-12-05T20:00:00Z', 'completeAfter: 2026-11-01T20:00:00Z']], code: 'PLAN-051' },
  { name: 'startAfter after completeAfter', edits: [['startAfter: 2026-12-01T20:00:00Z', 'startAfter: 2026-12-09T20:00:00Z']], code: 'PLAN-026' },
  { name: 'same source twice in a batch', edits: [['        destination: robert@fabrikam.example\n', '        destination: robert@fabrikam.example\n      - source: ANN@Contoso.example\n']], code: 'CTM-001' },
  { name: 'undefined endpoint', edits: [['destination: fabrikam\n', 'destination: fabrikm\n']], code: 'EXCH-07' },
  { name: 'destination cannot be derived: add a rule', edits: [['- source: ann@contoso.example', '- source: ann@northwind.example']], code: 'IM-003', title: /identity rule/ },
  { name: 'destination cannot be derived: add a destination', edits: [['- source: ann@contoso.example', '- source: ann@northwind.example']], code: 'IM-003', title: /destination/ },
  { name: 'plaintext password', edits: [['password: { secret: CONTOSO_IMAP }', 'password: hunter2']], code: 'PLAN-020' },
  { name: 'unused endpoint', edits: [['  fabrikam:\n', '  spare:\n    type: maildir\n    path: ./spare\n  fabrikam:\n']], code: 'PLAN-030' },
  { name: 'misspelt property', edits: [['    host: imap.contoso.example', '    hots: imap.contoso.example']], code: 'PLAN-011' },
  { name: 'missing property', edits: [['  name: Contoso to Fabrikam\n', '  description: x\n']], code: 'PLAN-010', expectNew: ['PLAN-012'] },
  { name: 'value not allowed', edits: [['security: tls', 'security: ssl']], code: 'PLAN-012' },
];

describe('plan quick fixes: validate, fix, validate', () => {
  it('the base plan has no findings', () => {
    assert.deepEqual(run(BASE_PLAN).diagnostics.map((d) => d.code), []);
  });

  for (const c of cases) {
    it(`${c.name} (${c.code})`, () => {
      const text = c.edits.reduce((t, [from, to]) => edit(t, from, to), BASE_PLAN);
      const before = run(text).diagnostics;
      const finding = before.find((d) => d.code === c.code && d.file === PLAN_FILE);
      if (!finding) return void console.log(`      (skipped: the rules report no ${c.code} here yet: ${before.map((d) => d.code).join(', ')})`);
      const fixes = fixesFor(text, finding, { file: PLAN_FILE, now: NOW });
      const fix = c.title ? fixes.find((f) => c.title?.test(f.title)) : (fixes.find((f) => f.isPreferred) ?? fixes[0]);
      assert.ok(fix, `no fix for ${c.code}: ${JSON.stringify(fixes.map((f) => f.title))}`);
      const after = run(applyEdits(text, fix.edits)).diagnostics;
      const count = (list: typeof before) => list.filter((d) => d.code === c.code).length;
      assert.equal(count(after), count(before) - 1, `${fix.title} left ${c.code}: ${JSON.stringify(after.map((d) => d.message))}`);
      const errors = (list: typeof before) => list.filter((d) => d.severity === 'error' && d.code !== c.code).map((d) => d.code);
      assert.deepEqual(errors(after).filter((code) => !errors(before).includes(code)), c.expectNew ?? [], `${fix.title} added errors`);
    });
  }
});
