// The sample and fixture plans on disk: the demo validates clean, the broken fixture shows every
// problem once, each on the line whose comment names it.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { validatePlan } from '../../../src/plan/validate';
import { repoRoot } from '../helpers/repoRoot';
import { NOW } from './planTestUtil';

const repo = repoRoot();
const validateFile = (relative: string, now = NOW) => {
  const file = path.join(repo, relative);
  return validatePlan(fs.readFileSync(file, 'utf8'), { file, now });
};

const EVERY_CODE = [
  'PLAN-002', 'PLAN-010', 'PLAN-011', 'PLAN-012', 'PLAN-020', 'PLAN-021', 'PLAN-022', 'PLAN-023', 'PLAN-024', 'PLAN-025',
  'PLAN-026', 'PLAN-027', 'PLAN-028', 'PLAN-029', 'PLAN-030', 'PLAN-031', 'PLAN-032', 'PLAN-033', 'PLAN-034', 'PLAN-035',
  'PLAN-036', 'PLAN-037', 'PLAN-038', 'PLAN-039', 'PLAN-040', 'PLAN-041', 'PLAN-042', 'PLAN-043', 'PLAN-044', 'PLAN-051',
  'duplicateDisplayNameJob', 'minThresholdFailed', 'CTM-001', 'CTM-002', 'EXCH-07', 'IM-003',
];

describe('fixture and sample plans', () => {
  it('the demo project has no findings, today or in a year', () => {
    assert.deepEqual(validateFile('examples/demo/demo.migration.yaml', new Date()).diagnostics, []);
    assert.deepEqual(validateFile('examples/demo/demo.migration.yaml', new Date(Date.now() + 365 * 86_400_000)).diagnostics, []);
  });

  it('the demo project reads its CSV wave', () => {
    const { plan } = validateFile('examples/demo/demo.migration.yaml');
    assert.deepEqual(plan.batches.map((b) => b.items.length), [3, 3]);
  });

  it('the broken fixture shows every code exactly once', () => {
    const codes = validateFile('test/fixtures/plans/broken/broken.migration.yaml').diagnostics.map((d) => d.code);
    assert.deepEqual([...codes].sort(), [...EVERY_CODE].sort());
  });

  it('the broken fixture reports each finding on the line whose comment names it', () => {
    const result = validateFile('test/fixtures/plans/broken/broken.migration.yaml');
    const planLines = result.yaml.text.split('\n');
    for (const d of result.diagnostics) {
      if (d.file.endsWith('.csv')) {
        const csvLine = /PLAN-02[34]/.test(d.code) ? planLines.find((l) => l.includes('broken-wave.csv'))! : '';
        assert.match(csvLine, new RegExp(`${d.code} on line ${d.range.start.line + 1}`));
        continue;
      }
      assert.match(planLines[d.range.start.line], new RegExp(`# .*\\b${d.code}\\b`), `${d.code} at line ${d.range.start.line + 1}`);
    }
  });

  it('the broken fixture keeps its findings when the clock moves on', () => {
    const later = validateFile('test/fixtures/plans/broken/broken.migration.yaml', new Date('2031-01-01T00:00:00Z'));
    assert.deepEqual(later.diagnostics.map((d) => d.code).sort(), [...EVERY_CODE].sort());
  });

  it('the syntax error fixture gives PLAN-001 only', () => {
    assert.deepEqual(validateFile('test/fixtures/plans/syntax-error.migration.yaml').diagnostics.map((d) => d.code), ['PLAN-001']);
  });
});
