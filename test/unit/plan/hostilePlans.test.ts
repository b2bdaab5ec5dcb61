// Plans of hostile shapes end with a coded finding, never a throw: alias bombs and bad aliases,
// nesting beyond the parser, plans past the size limit, a validation that overruns its deadline,
// folder expressions that backtrack exponentially, and maps with many keys (looked up in one step).
import * as assert from 'node:assert/strict';
import { validatePlan } from '../../../src/plan/validate';
import { planLimits } from '../../../src/plan/limits';
import { backtrackingProblem } from '../../../src/plan/rules/regexBacktracking';
import { BASE_PLAN, PLAN_FILE, NOW, run } from './planTestUtil';

const codes = (text: string, deadlineMs?: number) => validatePlan(text, { file: PLAN_FILE, now: NOW, readFile: () => undefined, deadlineMs }).diagnostics.map((d) => d.code);

function aliasBomb(levels: number, width: number): string {
  const out = [`l0: &l0 [${Array(width).fill('"lol"').join(', ')}]`];
  for (let i = 1; i < levels; i++) out.push(`l${i}: &l${i} [${Array(width).fill(`*l${i - 1}`).join(', ')}]`);
  return `${out.join('\n')}\n`;
}

describe('hostile plans', () => {
  it('an alias bomb is PLAN-046, not a stack trace', () => {
    assert.deepEqual(codes(aliasBomb(9, 10)), ['PLAN-046']);
  });

  it('an alias without its anchor, or inside it, is PLAN-046', () => {
    assert.deepEqual(codes(`${BASE_PLAN}extra: *nowhere\n`), ['PLAN-046']);
    assert.deepEqual(codes(`${BASE_PLAN}loop: &loop [1, *loop]\n`), ['PLAN-046']);
  });

  it('an anchor used 2,000 times within the bounds is fine (the library refused past 1,000)', () => {
    const text = BASE_PLAN.replace('  - name: Wave 2\n    itemsFile: wave2.csv\n', `  - name: Wave 2\n    items:\n${Array.from({ length: 2000 }, (_, i) => `      - { source: u${i}@contoso.example, sourceAuth: *auth }`).join('\n')}\n`).replace('    auth:\n      username: admin', '    auth: &auth\n      username: admin');
    assert.deepEqual(codes(text).filter((c) => c !== 'PLAN-020'), []);
  });

  it('more aliases than the bound is PLAN-046', () => {
    assert.deepEqual(codes(`${BASE_PLAN}x: &x 1\nmany: [${Array(planLimits.aliases + 1).fill('*x').join(', ')}]\n`), ['PLAN-046']);
  });

  it('nesting past the limit is PLAN-047, also through aliases and where the parser runs out of stack', () => {
    assert.ok(codes(`${BASE_PLAN}deep: ${'['.repeat(planLimits.depth + 1)}${']'.repeat(planLimits.depth + 1)}\n`).includes('PLAN-047'));
    const anchored = `a: &a ${'['.repeat(40)}${']'.repeat(40)}\nb: &b ${'['.repeat(30)}*a${']'.repeat(30)}\n`;
    assert.deepEqual(codes(anchored), ['PLAN-047']);
    assert.ok(codes(`${'- '.repeat(200_000)}x\n`).includes('PLAN-047'));
  });

  it('a plan past the size limit is PLAN-045 alone, and is not parsed', () => {
    const text = `${BASE_PLAN}# ${'x'.repeat(planLimits.planBytes)}\n`;
    const result = validatePlan(text, { file: PLAN_FILE, readFile: () => undefined });
    assert.deepEqual(result.diagnostics.map((d) => d.code), ['PLAN-045']);
    assert.match(result.diagnostics[0].message, /up to 8 MB/);
  });

  it('a validation past its deadline ends with PLAN-048 and what it found before', () => {
    const result = validatePlan(`${BASE_PLAN}oops: [\n`, { file: PLAN_FILE, now: NOW, readFile: () => undefined, deadlineMs: 0 });
    assert.deepEqual(result.diagnostics.map((d) => d.code), ['PLAN-048', 'PLAN-001']);
    assert.match(result.diagnostics[0].message, /stopped after 0 s while parsing the YAML/);
  });

  it('duplicate keys are still PLAN-001 (checked by Ferry, linear in the keys)', () => {
    const result = run(BASE_PLAN.replace('source: contoso-imap\n', 'source: contoso-imap\nsource: fabrikam\n'));
    const duplicate = result.diagnostics.find((d) => d.code === 'PLAN-001');
    assert.ok(duplicate);
    assert.match(duplicate.message, /Map keys must be unique/);
    assert.equal(duplicate.range.start.line, 19);
  });

  it('2,000 endpoints get one finding each at their own key (keys are looked up through an index)', () => {
    const many = Array.from({ length: 2000 }, (_, i) => `  e${i}: { type: maildir, path: ./e${i} }`).join('\n');
    const result = run(BASE_PLAN.replace('endpoints:\n', `endpoints:\n${many}\n`));
    const unused = result.diagnostics.filter((d) => d.code === 'PLAN-030');
    assert.equal(unused.length, 2000);
    assert.equal(unused[1999].range.start.line, 5 + 1999);
  });
});

describe('folder expressions that backtrack exponentially (PLAN-050)', () => {
  const slow = ['(a+)+$', '^(\\w+\\s?)*$', '(x+x+)+y', '(a|a)*b', '(a|ab)*c', '((ab)*)+c', '(?<n>a+)+!', '([a-z]+)*@', '(a{1,5}){2,}'];
  const fine = ['^Junk$', '^Archive/(.*)$', '(Inbox|Archive)+', '^(Sent|Drafts)/', '\\d+', '[(]+', '(ab)+', 'a+b+c+', '(?:x|y)?z*', '\\(a+\\)+'];
  for (const pattern of slow) it(`refuses ${pattern}`, () => assert.ok(backtrackingProblem(pattern)));
  for (const pattern of fine) it(`takes ${pattern}`, () => assert.equal(backtrackingProblem(pattern), undefined));

  it('reports the plan\'s catastrophic and overlong expressions', () => {
    const text = BASE_PLAN.replace("exclude: ['^Junk$']", () => `exclude: ['(a+)+$', '${'x'.repeat(planLimits.patternLength + 1)}']`);
    assert.deepEqual(run(text).diagnostics.map((d) => d.code), ['PLAN-050', 'PLAN-050']);
  });
});
